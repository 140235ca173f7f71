#include "app/session/session_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ctime>
#include <set>

#include "core/csv.hpp"
#include "core/file_io.hpp"

namespace scorelab {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kSessionFormat = "scorelab-session";

// FNV-1a over the bytes of the points: edits to a drawn set change it, a reload does not.
uint64_t points_hash(const Points& points) {
  uint64_t h = 14695981039346656037ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(points.data());
  for (size_t i = 0; i < static_cast<size_t>(points.size()) * sizeof(double); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
  return h;
}

// Moves `file` to `file.bad` (replacing an older one); returns the new name.
fs::path move_aside(const fs::path& file) {
  fs::path bad = file;
  bad += ".bad";
  std::error_code ec;
  fs::rename(file, bad, ec);
  if (ec) fs::remove(file, ec);  // at least do not trip over it again
  return bad;
}

int64_t modified_unix_time(const fs::path& file) {
  struct stat st{};
  return ::stat(file.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : 0;
}

// Where the scene came from and when it was saved; missing or unreadable info is not an error.
void read_info(const fs::path& file, RestoredSession& out, int64_t& saved_at) {
  try {
    const json j = json::parse(read_text_file(file, file.string()));
    if (!j.is_object() || j.value("format", "") != kSessionFormat) return;
    if (auto it = j.find("scene_path"); it != j.end() && it->is_string()) out.scene_path = it->get<std::string>();
    if (auto it = j.find("saved_at"); it != j.end() && it->is_number_integer()) saved_at = it->get<int64_t>();
  } catch (const std::exception&) {
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool same_points(const fs::path& csv, const Points& points) {
  try {
    const Points on_disk = read_points_csv(csv);
    return on_disk.cols() == points.cols() && on_disk == points;
  } catch (const InputError&) {
    return false;
  }
}

bool inside(const fs::path& file, const fs::path& dir) {
  if (dir.empty()) return false;
  std::error_code ec;
  const fs::path f = fs::weakly_canonical(fs::absolute(file), ec), d = fs::weakly_canonical(fs::absolute(dir), ec);
  if (ec) return false;
  auto fi = f.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++fi) {
    if (di->empty()) continue;  // a trailing separator
    if (fi == f.end() || *fi != *di) return false;
  }
  return true;
}

// `file` as seen from `dir`: relative when both resolve, else absolute.
std::string path_from(const fs::path& file, const fs::path& dir) {
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec);
  const fs::path rel = fs::relative(abs, fs::absolute(dir, ec), ec);
  return (ec || rel.empty() ? abs : rel).generic_string();
}

}  // namespace

EnvLookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

std::optional<fs::path> state_dir(const EnvLookup& env) {
  if (auto v = env("SCORELAB_STATE_DIR")) return fs::path(*v);
  // The XDG spec ignores relative values.
  if (auto v = env("XDG_STATE_HOME"); v && fs::path(*v).is_absolute()) return fs::path(*v) / "scorelab";
  if (auto v = env("HOME")) return fs::path(*v) / ".local" / "state" / "scorelab";
  return std::nullopt;
}

AutosavePolicy autosave_policy(const GuiOptions& options, const EnvLookup& env) {
  AutosavePolicy p;
  p.interval_s = kDefaultAutosaveSeconds;
  if (auto v = env("SCORELAB_AUTOSAVE_SECONDS")) {
    char* end = nullptr;
    const double s = std::strtod(v->c_str(), &end);
    if (end != v->c_str() + v->size() || !std::isfinite(s) || s <= 0)
      throw InputError("SCORELAB_AUTOSAVE_SECONDS: expected a number of seconds > 0 (got '" + *v + "')");
    p.interval_s = s;
  }
  p.dir = state_dir(env);
  const bool active = p.dir && (options.frames == 0 || env("SCORELAB_STATE_DIR"));
  p.save = active;
  p.restore = active && !options.scene && !options.no_restore;
  return p;
}

std::string session_fingerprint(const Scene& scene, uint64_t model_checksum, int64_t model_step) {
  std::string key = to_json(scene).dump(-1, ' ', false, json::error_handler_t::replace);
  if (scene.data.kind == DataKind::points) key += "|points " + std::to_string(points_hash(scene.data.points));
  key += "|model " + std::to_string(model_checksum) + " " + std::to_string(model_step);
  return key;
}

void write_session(const fs::path& dir, const Scene& scene, const fs::path& scene_path, const Mlp<float>* net,
                   int64_t step) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError("cannot create the state folder " + dir.string() + ": " + ec.message());
  const SessionFiles files{dir};
  if (net != nullptr) {
    save_model(files.model(), *net, step, to_json(scene));
  } else {
    fs::remove(files.model(), ec);  // a model of an earlier scene must not come back with this one
  }
  json info = {{"format", kSessionFormat},
               {"version", 1},
               {"scene_path", scene_path.empty() ? std::string() : fs::absolute(scene_path, ec).string()},
               {"saved_at", static_cast<int64_t>(std::time(nullptr))}};
  write_text_atomically(files.info(), info.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  save_scene_with_points(scene, scene_path, files.scene(), PointsFile::always_copy);
}

RestoredSession read_session(const fs::path& dir) {
  RestoredSession out;
  const SessionFiles files{dir};
  std::error_code ec;
  if (!fs::exists(files.scene(), ec)) return out;
  out.found = true;
  try {
    out.scene = load_scene(files.scene());
  } catch (const InputError& e) {
    const fs::path bad = move_aside(files.scene());
    out.error = true;
    out.message = "Your last session could not be restored (" + std::string(e.what()) + "); it was moved to " +
                  bad.string();
    return out;
  }
  Scene& scene = *out.scene;
  if (scene.data.kind == DataKind::points && fs::path(scene.data.file).is_relative())
    scene.data.file = fs::absolute(dir / scene.data.file, ec).lexically_normal().string();
  int64_t saved_at = modified_unix_time(files.scene());
  read_info(files.info(), out, saved_at);
  out.message = "Restored your last session (saved " + clock_time(saved_at) + ")";
  if (!fs::exists(files.model(), ec)) return out;
  try {
    SavedModel model = load_model(files.model());
    check_trained_noise(model, to_json(scene)["noise"], "the autosaved model");
    out.model = std::move(model);
  } catch (const InputError& e) {
    const std::string why = e.what();
    if (why.find("was trained with noise") != std::string::npos) {
      out.message += "; the model was left out: it was trained under another noise schedule";
    } else {
      const fs::path bad = move_aside(files.model());
      out.message += "; the model could not be read and was moved to " + bad.string();
    }
    out.error = true;
  }
  return out;
}

namespace {
// Moves the presets the order file lists to the front, in its order (a lecture reads them that way:
// the score field first, then each pitfall beside its fix); the rest keep their title order. A listed
// name with no preset gets a note, so a renamed scene is noticed.
void apply_teaching_order(const fs::path& order_file, PresetListing& listing) {
  std::ifstream in(order_file);
  if (!in) return;
  std::vector<Preset> ordered;
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty()) continue;
    auto it = std::find_if(listing.presets.begin(), listing.presets.end(),
                           [&](const Preset& p) { return p.file.filename() == line; });
    if (it == listing.presets.end()) {
      listing.notes.push_back(order_file.string() + ": lists " + line + ", which is not a preset here");
      continue;
    }
    ordered.push_back(*it);
    listing.presets.erase(it);
  }
  ordered.insert(ordered.end(), listing.presets.begin(), listing.presets.end());
  listing.presets = std::move(ordered);
}
}  // namespace

PresetListing list_presets(const fs::path& folder) {
  PresetListing out;
  for (const fs::path& file : list_json_files({folder})) {
    try {
      const Scene scene = load_scene(file);
      out.presets.push_back({scene.title.empty() ? file.stem().string() : scene.title, file});
    } catch (const InputError& e) {
      // Syntax errors name the file already; validation errors name only the key.
      const std::string what = e.what();
      out.notes.push_back(what.find(file.string()) != std::string::npos ? what : file.string() + ": " + what);
    }
  }
  std::stable_sort(out.presets.begin(), out.presets.end(), [](const Preset& a, const Preset& b) {
    const std::string la = lower(a.title), lb = lower(b.title);
    return la != lb ? la < lb : a.file.filename() < b.file.filename();
  });
  apply_teaching_order(folder / kTeachingOrderFile, out);
  return out;
}

std::vector<fs::path> list_json_files(const std::vector<fs::path>& folders) {
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  for (const fs::path& folder : folders) {
    std::error_code ec;
    if (folder.empty() || !fs::is_directory(folder, ec)) continue;
    std::vector<fs::path> here;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".json" && it->is_regular_file(ec)) here.push_back(it->path());
    }
    std::sort(here.begin(), here.end());
    for (fs::path& p : here) {
      if (seen.insert(fs::weakly_canonical(p, ec)).second) out.push_back(std::move(p));
    }
  }
  return out;
}

Scene save_scene_with_points(const Scene& scene, const fs::path& from, const fs::path& to, PointsFile policy,
                             const fs::path& volatile_dir) {
  Scene out = scene;
  if (out.data.kind == DataKind::points) {
    if (out.data.points.cols() < 1) throw InputError("cannot save " + to.string() + ": the point set is empty");
    const fs::path to_dir = to.parent_path().empty() ? fs::path(".") : to.parent_path();
    fs::path source;
    bool reference = false;
    if (policy == PointsFile::reference_if_unchanged && !out.data.file.empty()) {
      const fs::path file(out.data.file);
      source = file.is_absolute() || from.parent_path().empty() ? file : from.parent_path() / file;
      reference = !inside(source, volatile_dir) && same_points(source, out.data.points);
    }
    if (reference) {
      out.data.file = path_from(source, to_dir);
    } else {
      const fs::path csv = to_dir / (to.stem().string() + "_points.csv");
      write_points_csv(csv, out.data.points);
      out.data.file = csv.filename().string();
    }
  }
  save_scene(out, to);
  return out;
}

std::string clock_time(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return "--:--";
  char buf[8];
  std::strftime(buf, sizeof buf, "%H:%M", &local);
  return buf;
}

}  // namespace scorelab
