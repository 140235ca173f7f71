#include "core/scene.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/csv.hpp"
#include "core/file_io.hpp"
#include "core/json_section.hpp"
#include "core/toy_data.hpp"

namespace scorelab {

using nlohmann::json;

namespace {

// [x, y]: two finite numbers of modest size (a mean, a box corner).
Vec2 get_vec2(const json& v, const std::string& at) {
  if (!v.is_array() || v.size() != 2) fail_at(at, std::string("expected [x, y], got ") + v.dump().substr(0, 40));
  Vec2 out;
  for (int d = 0; d < 2; ++d) {
    out[d] = json_number(v[d], at + "[" + std::to_string(d) + "]");
    if (std::abs(out[d]) > 1e6) fail_at(at, "must have |value| <= 1e6 (got " + format_number(out[d]) + ")");
  }
  return out;
}

// ---- sections -------------------------------------------------------------------------------

// weights/means/covs → the mixture. Shape errors are reported here; the GaussianMixture
// constructor checks the values (positive weights, SPD covariances) and its message is prefixed.
GaussianMixture parse_mixture(const JsonSection& s) {
  const json& means = s.required("means", "a list of [x, y] means");
  if (!means.is_array() || means.empty() || means.size() > 10000)
    fail_at(s.at("means"), "expected a list of 1 to 10000 [x, y] means");
  size_t k = means.size();
  std::vector<GaussianComponent> comps(k);
  for (size_t i = 0; i < k; ++i) comps[i].mean = get_vec2(means[i], s.at("means") + "[" + std::to_string(i) + "]");
  if (const json* w = s.find("weights")) {
    if (!w->is_array() || w->size() != k)
      fail_at(s.at("weights"), "expected " + std::to_string(k) + " numbers, one per mean (got " +
                                   (w->is_array() ? std::to_string(w->size()) : std::string(w->type_name())) + ")");
    for (size_t i = 0; i < k; ++i) {
      double x = json_number((*w)[i], s.at("weights") + "[" + std::to_string(i) + "]");
      if (!(x > 0 && x <= 1e12))
        fail_at(s.at("weights"), "must be positive numbers (got " + format_number(x) + " at index " + std::to_string(i) + ")");
      comps[i].weight = x;
    }
  }
  if (const json* c = s.find("covs")) {
    if (!c->is_array() || c->size() != k)
      fail_at(s.at("covs"), "expected " + std::to_string(k) + " 2x2 matrices, one per mean (got " +
                                (c->is_array() ? std::to_string(c->size()) : std::string(c->type_name())) + ")");
    for (size_t i = 0; i < k; ++i) {
      std::string at = s.at("covs") + "[" + std::to_string(i) + "]";
      const json& m = (*c)[i];
      if (!m.is_array() || m.size() != 2) fail_at(at, "expected a 2x2 matrix [[a, b], [b, d]]");
      comps[i].cov.row(0) = get_vec2(m[0], at + "[0]").transpose();
      comps[i].cov.row(1) = get_vec2(m[1], at + "[1]").transpose();
    }
  }
  try {
    return GaussianMixture(std::move(comps));
  } catch (const InputError& e) {
    fail_at("scene.data", e.what());
  }
}

DataConfig parse_data(const json& j, const std::filesystem::path& base_dir) {
  expect_json_type(j.is_object(), j, "scene.data", "an object");
  DataConfig d;
  auto kind_it = j.find("kind");
  if (kind_it == j.end()) fail_at("scene.data.kind", "missing (expected mixture, toy or points)");
  std::string kind = json_string(*kind_it, "scene.data.kind");
  std::vector<std::string> keys{"kind"};
  if (kind == "mixture") d.kind = DataKind::mixture, keys.insert(keys.end(), {"weights", "means", "covs"});
  else if (kind == "toy") d.kind = DataKind::toy, keys.push_back("name");
  else if (kind == "points") d.kind = DataKind::points, keys.push_back("file");
  else fail_at("scene.data.kind", "unknown kind '" + kind + "' (expected mixture, toy or points)");
  keys.insert(keys.end(), {"count", "seed"});
  JsonSection s(j, "scene.data", keys, " for kind '" + kind + "'");

  d.count = s.integer("count", d.count);
  if (d.count < 1 || d.count > 1000000)
    fail_at(s.at("count"), "must be an integer in [1, 1000000] (got " + std::to_string(d.count) + ")");
  d.seed = s.seed("seed", d.seed);
  if (d.kind == DataKind::mixture) {
    d.mixture = parse_mixture(s);
  } else if (d.kind == DataKind::toy) {
    const auto& names = toy_names();
    d.toy = json_string(s.required("name", "one of: " + join_names(names)), s.at("name"));
    if (std::find(names.begin(), names.end(), d.toy) == names.end())
      fail_at(s.at("name"), "unknown toy set '" + d.toy + "' (expected one of: " + join_names(names) + ")");
  } else {
    d.file = json_string(s.required("file", "the path of an x,y CSV file"), s.at("file"));
    if (d.file.empty()) fail_at(s.at("file"), "must not be empty");
    std::filesystem::path p(d.file);
    try {
      bool here = base_dir.empty() || base_dir == ".";  // keep messages free of a leading "./"
      d.points = read_points_csv(p.is_absolute() || here ? p : base_dir / p);
    } catch (const InputError& e) {
      fail_at(s.at("file"), e.what());
    }
  }
  return d;
}

NoiseConfig parse_noise(const json& j) {
  JsonSection s(j, "scene.noise", {"kind", "sigma_min", "sigma_max", "levels", "rho", "beta_min", "beta_max"});
  NoiseConfig c;
  c.kind = s.named("kind", c.kind, parse_noise_kind);
  c.sigma_min = s.number("sigma_min", c.sigma_min);
  c.sigma_max = s.number("sigma_max", c.sigma_max);
  c.levels = s.integer("levels", c.levels);
  c.rho = s.number("rho", c.rho);
  c.beta_min = s.number("beta_min", c.beta_min);
  c.beta_max = s.number("beta_max", c.beta_max);
  validate(c, "scene.noise");
  return c;
}

InitConfig parse_init(const json& j) {
  JsonSection s(j, "scene.sampler.init", {"kind", "low", "high"});
  InitConfig c;
  std::string kind = s.string("kind", c.kind == InitKind::prior ? "prior" : "uniform");
  if (kind == "prior") c.kind = InitKind::prior;
  else if (kind == "uniform") c.kind = InitKind::uniform;
  else fail_at(s.at("kind"), "unknown kind '" + kind + "' (expected uniform or prior)");
  if (const json* v = s.find("low")) c.low = get_vec2(*v, s.at("low"));
  if (const json* v = s.find("high")) c.high = get_vec2(*v, s.at("high"));
  return c;
}

SamplerConfig parse_sampler(const json& j) {
  JsonSection s(j, "scene.sampler", {"kind", "eps", "steps", "steps_per_level", "snr", "corrector_steps", "solver",
                                 "denoise", "sigma", "particles", "seed", "init", "s_churn", "s_tmin", "s_tmax",
                                 "s_noise"});
  SamplerConfig c;
  c.kind = s.named("kind", c.kind, parse_sampler_kind);
  c.solver = s.named("solver", c.solver, parse_ode_solver);
  // eps: a number, or "auto" (also when absent): annealed Langevin then takes Song & Ermon's ε.
  const json* eps = s.find("eps");
  c.eps_auto = !eps || (eps->is_string() && eps->get<std::string>() == "auto");
  if (eps && !c.eps_auto) {
    expect_json_type(eps->is_number(), *eps, s.at("eps"), "a number or \"auto\"");
    c.eps = json_number(*eps, s.at("eps"));
  }
  c.steps = s.integer("steps", c.steps);
  c.steps_per_level = s.integer("steps_per_level", c.steps_per_level);
  c.snr = s.number("snr", c.snr);
  c.corrector_steps = s.integer("corrector_steps", c.corrector_steps);
  c.denoise = s.boolean("denoise", c.denoise);
  c.langevin_sigma = s.number("sigma", c.langevin_sigma);
  c.particles = s.integer("particles", c.particles);
  c.seed = s.seed("seed", c.seed);
  c.s_churn = s.number("s_churn", c.s_churn);
  c.s_tmin = s.number("s_tmin", c.s_tmin);
  c.s_tmax = s.number("s_tmax", c.s_tmax);
  c.s_noise = s.number("s_noise", c.s_noise);
  if (const json* v = s.find("init")) c.init = parse_init(*v);
  validate(c, "scene.sampler");
  return c;
}

SceneLecture parse_lecture(const json& j) {
  JsonSection s(j, "scene.lecture", {"caption", "formula", "notice"});
  return SceneLecture{s.string("caption", ""), s.string("formula", ""), s.string("notice", "")};
}

int parse_version(const json& j) {
  auto it = j.find("version");
  if (it == j.end()) return 1;  // files written before versioning are version 1
  const int v = json_int(*it, "scene.version");
  if (v > Scene::kVersion)
    fail_at("scene.version", std::to_string(v) + " is newer than this ScoreLab understands (" +
                                 std::to_string(Scene::kVersion) + ")");
  if (v < 1) fail_at("scene.version", "must be 1 (got " + std::to_string(v) + ")");
  return v;
}

}  // namespace

Scene parse_scene(const json& j, const std::filesystem::path& base_dir) {
  expect_json_type(j.is_object(), j, "scene", "an object");
  Scene scene;
  // Version first: a newer file's unknown keys are better explained by its version.
  scene.version = parse_version(j);
  JsonSection s(j, "scene", {"version", "title", "description", "lecture", "data", "noise", "sampler", "train", "model",
                                  "show"});
  scene.title = s.string("title", "");
  scene.description = s.string("description", "");
  if (const json* v = s.find("lecture")) scene.lecture = parse_lecture(*v);
  scene.data = parse_data(s.required("data", "an object with a kind: mixture, toy or points"), base_dir);
  if (const json* v = s.find("noise")) scene.noise = parse_noise(*v);
  else validate(scene.noise, "scene.noise");
  if (const json* v = s.find("sampler")) scene.sampler = parse_sampler(*v);
  else validate(scene.sampler, "scene.sampler");
  if (const json* v = s.find("train")) scene.train = *v;
  if (const json* v = s.find("model")) scene.model = *v;
  if (const json* v = s.find("show")) {
    expect_json_type(v->is_object(), *v, "scene.show", "an object");
    scene.show = *v;
  }
  return scene;
}

// ---- writing ----------------------------------------------------------------------------------

namespace {

using ojson = nlohmann::ordered_json;

ojson vec2_json(const Vec2& v) { return ojson::array({v[0], v[1]}); }

ojson data_json(const DataConfig& d) {
  ojson j;
  switch (d.kind) {
    case DataKind::mixture: {
      j["kind"] = "mixture";
      ojson weights = ojson::array(), means = ojson::array(), covs = ojson::array();
      for (const auto& c : d.mixture.components()) {
        weights.push_back(c.weight);
        means.push_back(vec2_json(c.mean));
        covs.push_back(ojson::array({vec2_json(c.cov.row(0).transpose()), vec2_json(c.cov.row(1).transpose())}));
      }
      j["weights"] = weights;
      j["means"] = means;
      j["covs"] = covs;
      break;
    }
    case DataKind::toy:
      j["kind"] = "toy";
      j["name"] = d.toy;
      break;
    case DataKind::points:
      j["kind"] = "points";
      j["file"] = d.file;  // as written in the scene, so the scene stays relocatable with its CSV
      break;
  }
  j["count"] = d.count;
  j["seed"] = d.seed;
  return j;
}

ojson noise_json(const NoiseConfig& c) {
  return ojson{{"kind", to_string(c.kind)}, {"sigma_min", c.sigma_min}, {"sigma_max", c.sigma_max},
               {"levels", c.levels},        {"rho", c.rho},             {"beta_min", c.beta_min},
               {"beta_max", c.beta_max}};
}

ojson sampler_json(const SamplerConfig& c) {
  ojson j;
  j["kind"] = to_string(c.kind);
  if (c.eps_auto) j["eps"] = "auto";
  else j["eps"] = c.eps;
  j["steps"] = c.steps;
  j["steps_per_level"] = c.steps_per_level;
  j["snr"] = c.snr;
  j["corrector_steps"] = c.corrector_steps;
  j["solver"] = to_string(c.solver);
  j["denoise"] = c.denoise;
  j["sigma"] = c.langevin_sigma;
  j["particles"] = c.particles;
  j["seed"] = c.seed;
  j["s_churn"] = c.s_churn;
  j["s_tmin"] = c.s_tmin;
  j["s_tmax"] = c.s_tmax;
  j["s_noise"] = c.s_noise;
  j["init"] = ojson{{"kind", c.init.kind == InitKind::prior ? "prior" : "uniform"},
                    {"low", vec2_json(c.init.low)},
                    {"high", vec2_json(c.init.high)}};
  return j;
}

// Key order as a reader expects it (version first), hence ordered_json; to_json converts.
ojson scene_json(const Scene& s) {
  ojson j;
  j["version"] = s.version;
  j["title"] = s.title;
  j["description"] = s.description;
  if (!s.lecture.empty())
    j["lecture"] = ojson{{"caption", s.lecture.caption}, {"formula", s.lecture.formula}, {"notice", s.lecture.notice}};
  j["data"] = data_json(s.data);
  j["noise"] = noise_json(s.noise);
  j["sampler"] = sampler_json(s.sampler);
  if (!s.train.is_null()) j["train"] = ojson(s.train);
  if (!s.model.is_null()) j["model"] = ojson(s.model);
  if (!s.show.is_null()) j["show"] = ojson(s.show);
  return j;
}

// Like dump(2), but short arrays of numbers stay on one line ("low": [-8.0, -8.0]), so a saved scene
// reads like a hand-written one.
bool is_flat_array(const ojson& j) {
  if (!j.is_array() || j.size() > 8) return false;
  for (const auto& v : j)
    if (v.is_object() || (v.is_array() && !is_flat_array(v))) return false;
  return true;
}

void pretty(const ojson& j, int indent, std::string& out) {
  if (is_flat_array(j)) {
    out += '[';
    for (size_t i = 0; i < j.size(); ++i) {
      if (i) out += ", ";
      pretty(j[i], indent, out);
    }
    out += ']';
  } else if ((j.is_object() || j.is_array()) && !j.empty()) {
    out += j.is_object() ? "{\n" : "[\n";
    std::string pad(size_t(indent + 2), ' ');
    size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
      out += pad;
      if (j.is_object()) out += ojson(it.key()).dump() + ": ";
      pretty(*it, indent + 2, out);
      out += i + 1 < j.size() ? ",\n" : "\n";
    }
    out += std::string(size_t(indent), ' ') + (j.is_object() ? "}" : "]");
  } else {
    out += j.dump();
  }
}

// nlohmann reports the byte offset of the failure; people want line and column.
std::string describe_parse_error(const std::string& text, const json::parse_error& e) {
  size_t idx = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
  size_t line = 1 + std::count(text.begin(), text.begin() + idx, '\n');
  size_t last_newline = idx == 0 ? std::string::npos : text.rfind('\n', idx - 1);
  size_t line_start = last_newline == std::string::npos ? 0 : last_newline + 1;
  size_t column = idx - line_start + 1;
  // what(): "[json.exception.parse_error.101] parse error at line L, column C: <detail>"
  std::string what = e.what();
  size_t col = what.find("column ");
  size_t colon = col == std::string::npos ? std::string::npos : what.find(": ", col);
  std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
  // Past the last byte nlohmann reports a NUL character; say what happened instead.
  if (e.byte > text.size()) detail = "unexpected end of input (an unclosed string, object or array?)";
  std::replace(detail.begin(), detail.end(), '\n', ' ');
  return "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + detail;
}

// Duplicate keys are legal JSON, but nlohmann keeps only the last one: a silent typo trap.
// It also bounds the nesting depth: '[' * 100000 is a 200 kB file that would otherwise cost memory
// per level (issue 17). Each frame keeps only its own keys; the key path is built from the stack
// only for a message, so memory grows with the depth, not with its square.
struct DuplicateKeyCheck {
  struct Frame {
    std::set<std::string> keys;
    std::string last_key;  // the key whose value is being parsed (the path to a child frame)
    bool object;
  };
  std::vector<Frame> stack;
  std::string label;

  std::string path() const {
    std::string out = "scene";
    for (size_t i = 0; i + 1 < stack.size(); ++i) out += stack[i].object ? "." + stack[i].last_key : "[]";
    return out;
  }

  bool operator()(int, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    if (event == E::object_start || event == E::array_start) {
      if (stack.size() >= kMaxJsonDepth)
        throw InputError(label + ": nesting deeper than " + std::to_string(kMaxJsonDepth) +
                         " levels of objects and arrays (the limit; no scene needs more)");
      stack.push_back({{}, "", event == E::object_start});
    } else if (event == E::object_end || event == E::array_end) {
      if (!stack.empty()) stack.pop_back();
    } else if (event == E::key && !stack.empty()) {
      std::string key = parsed.get<std::string>();
      if (!stack.back().keys.insert(key).second)
        throw InputError(label + ": duplicate key " + clip_for_message(path() + "." + key, 120));
      stack.back().last_key = std::move(key);
    }
    return true;
  }
};

}  // namespace

json to_json(const Scene& scene) { return json(scene_json(scene)); }

json load_json_file(const std::filesystem::path& path, const std::string& label) {
  std::string text = read_text_file(path, label + " '" + path.string() + "'", ReadLimits{kMaxJsonBytes, true});
  json j;
  try {
    DuplicateKeyCheck check{{}, path.string()};
    j = json::parse(text, std::ref(check));
  } catch (const json::parse_error& e) {
    throw InputError(path.string() + ": " + describe_parse_error(text, e));
  } catch (const json::exception& e) {  // e.g. out_of_range.406 "number overflow parsing '1e400'"
    std::string what = e.what();
    size_t end = what.find("] ");
    throw InputError(path.string() + ": invalid JSON: " + (end == std::string::npos ? what : what.substr(end + 2)));
  }
  return j;
}

Scene load_scene(const std::filesystem::path& path) {
  const json j = load_json_file(path, "scene");
  std::filesystem::path base = path.parent_path();
  return parse_scene(j, base.empty() ? std::filesystem::path(".") : base);
}

void save_scene(const Scene& scene, const std::filesystem::path& path) {
  std::string text;
  try {
    pretty(scene_json(scene), 0, text);
    text += "\n";
  } catch (const nlohmann::json::exception& e) {  // e.g. a title that is not valid UTF-8
    throw InputError("cannot write " + path.string() + ": " + e.what());
  }
  write_text_atomically(path, text);
}

}  // namespace scorelab
