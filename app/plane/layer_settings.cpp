#include "app/plane/layer_settings.hpp"

#include <cmath>
#include <sstream>

#include "core/types.hpp"

namespace scorelab {
namespace {

[[noreturn]] void bad(const std::string& item, const std::string& expected) {
  throw InputError("SCORELAB_LAYERS: '" + item + "': expected " + expected);
}

bool flag(const std::string& item, const std::string& value) {
  if (value != "0" && value != "1") bad(item, item.substr(0, item.find('=')) + "=0|1");
  return value == "1";
}

void apply_item(const std::string& item, FieldSettings& field, HeatmapSettings& heatmap, OtherLayers& other) {
  const size_t eq = item.find('=');
  if (eq == std::string::npos) bad(item, "key=value (keys: heatmap, field, score, normalise, t, device, points, particles, tweedie)");
  const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
  if (key == "heatmap") {
    heatmap.show = value != "off";
    if (value == "true") heatmap.kind = HeatmapKind::log_density;
    else if (value == "model") heatmap.kind = HeatmapKind::model_log_density;
    else if (value == "difference") heatmap.kind = HeatmapKind::density_difference;
    else if (value == "error" || value == "error_p") {
      heatmap.kind = HeatmapKind::score_error;
      heatmap.weight_by_p = value == "error_p";
    } else if (value == "curl") {
      heatmap.kind = HeatmapKind::curl;
    } else if (value != "off") bad(item, "heatmap=off|true|model|difference|error|error_p|curl");
  } else if (key == "field") {
    field.show = value != "off";
    if (value == "arrows") field.style = FieldStyle::arrows;
    else if (value == "streamlines") field.style = FieldStyle::streamlines;
    else if (value != "off") bad(item, "field=off|arrows|streamlines");
  } else if (key == "score") {
    if (value == "true") field.kind = FieldKind::true_score;
    else if (value == "learned") field.kind = FieldKind::learned;
    else if (value == "difference") field.kind = FieldKind::difference;
    else bad(item, "score=true|learned|difference");
  } else if (key == "normalise") {
    field.normalise = flag(item, value);
  } else if (key == "tweedie") {
    field.tweedie_arrows = flag(item, value);
  } else if (key == "points") {
    other.points = flag(item, value);
  } else if (key == "particles") {
    other.particles = flag(item, value);
  } else if (key == "device") {
    if (value == "auto") heatmap.device = ComputeDevice::automatic;
    else if (value == "gpu") heatmap.device = ComputeDevice::gpu;
    else if (value == "cpu") heatmap.device = ComputeDevice::cpu;
    else bad(item, "device=auto|gpu|cpu");
    field.device = heatmap.device;
  } else if (key == "t") {
    char* end = nullptr;
    const double t = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !std::isfinite(t) || t <= 0.0 || t > 1.0) bad(item, "t in (0, 1]");
    field.t = static_cast<float>(t);
    field.follow_sampler = false;
  } else {
    bad(item, "one of the keys heatmap, field, score, normalise, t, device, points, particles, tweedie");
  }
}

}  // namespace

void apply_layers_spec(const std::string& spec, FieldSettings& field, HeatmapSettings& heatmap, OtherLayers* other) {
  // Parse into copies: a bad item leaves the settings as they were.
  FieldSettings f = field;
  HeatmapSettings h = heatmap;
  OtherLayers o;
  std::stringstream items(spec);
  std::string item;
  while (std::getline(items, item, ','))
    if (!item.empty()) apply_item(item, f, h, o);
  field = f;
  heatmap = h;
  if (other != nullptr) *other = o;
}

const char* layers_spec_help() {
  return "SCORELAB_LAYERS=heatmap=model,field=streamlines,... sets the field and heatmap layers at start-up:\n"
         "heatmap=off|true|model|difference|error|error_p|curl (curl: the learned score's curl),\n"
         "field=off|arrows|streamlines,\n"
         "score=true|learned|difference, normalise=0|1, t=<level in (0, 1]> (stops following the particles),\n"
         "device=auto|gpu|cpu (where the model's log-density and the arrows are computed; auto: CPU on llvmpipe),\n"
         "points=0|1, particles=0|1 (the data and the sampler's particles),\n"
         "tweedie=0|1 (a line from each of the first 300 particles to its denoised point E[x0 | xt]).\n";
}

}  // namespace scorelab
