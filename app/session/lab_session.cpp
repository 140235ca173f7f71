#include "app/session/lab_session.hpp"

#include <chrono>

#include "core/nn/model_io.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

namespace fs = std::filesystem;

namespace {
// The scene alone (no model): what "dirty" compares.
std::string scene_fingerprint(const Scene& scene) { return session_fingerprint(scene, 0, 0); }
}  // namespace

double session_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string scene_title(const LoadedScene& scene) {
  if (!scene.scene.title.empty()) return scene.scene.title;
  if (!scene.path.empty()) return scene.path.stem().string();
  return "Untitled scene";
}

LabSession::LabSession(AutosavePolicy policy, LabBuilder builder)
    : policy_(std::move(policy)), builder_(std::move(builder)) {}

void LabSession::set_status(std::string text, bool error) {
  status_ = SessionStatus{std::move(text), error, session_seconds()};
}

void LabSession::build_lab() {
  if (builder_) {
    builder_(lab_, scene_);
  } else {
    lab_.load(scene_);
  }
}

bool LabSession::dirty() const { return scene_fingerprint(scene_.scene) != saved_; }

ModelRef LabSession::model() const {
  if (lab_.trainer()) {
    std::shared_ptr<const Snapshot> snap = lab_.trainer()->snapshot();
    if (snap && snap->step > 0) return {snap->net, snap->step, snap->checksum};
    return {};
  }
  return loaded_;
}

// ---- start and restore -------------------------------------------------------------------------------

// Reads the autosave into scene_ (before the lab is built) and hands back its model, if any.
std::optional<SavedModel> LabSession::read_autosave(StartReport& report) {
  if (!policy_.restore || !policy_.dir) return std::nullopt;
  RestoredSession restored = read_session(*policy_.dir);
  if (!restored.found) return std::nullopt;
  report.found = true;
  if (restored.scene) {
    try {
      LoadedScene loaded = load_scene_for_view(SessionFiles{*policy_.dir}.scene());
      loaded.scene.data.file = restored.scene->data.file;  // absolute: usable wherever it is saved next
      loaded.path = restored.scene_path;
      scene_ = std::move(loaded);
      report.restored = true;
    } catch (const std::exception& e) {
      restored.model.reset();
      restored.error = true;
      restored.message = std::string("Your last session could not be restored: ") + e.what();
    }
  }
  report.message = restored.message;
  report.error = restored.error;
  if (restored.model) report.model_step = restored.model->step;
  set_status(report.message, report.error);
  return std::move(restored.model);
}

StartReport LabSession::start(LoadedScene scene, const SceneOverrides& overrides) {
  scene_ = std::move(scene);
  StartReport report;
  std::optional<SavedModel> model = read_autosave(report);
  if (overrides) overrides(scene_.scene);
  // A restored scene may hold edits its file never saw: it starts dirty.
  saved_ = report.restored ? std::string() : scene_fingerprint(scene_.scene);
  build_lab();
  if (model) {
    const int64_t step = model->step;
    const std::string problem = apply_model(std::make_shared<const Mlp<float>>(std::move(model->net)), step);
    if (!problem.empty()) set_status("The autosaved model was not restored: " + problem, true);
  }
  clock_.mark_checked(session_seconds());
  if (report.restored) {
    const ModelRef m = this->model();
    clock_.written = session_fingerprint(scene_.scene, m.checksum, m.step);
  }
  return report;
}

// ---- models ------------------------------------------------------------------------------------------

std::string LabSession::apply_model(std::shared_ptr<const Mlp<float>> net, int64_t step) {
  loaded_ = {};
  const nlohmann::json& train = scene_.scene.train;
  if (net->config().classes > 0 && !(train.is_object() && train.value("conditional", false))) {
    // A class-conditional model trains (and keeps training) only as one: the scene says so too.
    if (!scene_.scene.train.is_object()) scene_.scene.train = nlohmann::json::object();
    scene_.scene.train["conditional"] = true;
  }
  if (lab_.trainer() && to_json(lab_.trainer()->model_config()) != to_json(net->config())) {
    // Another architecture than the scene's model section: the scene adopts the model's, so that
    // training continues from it and a saved scene describes the network it shows.
    scene_.scene.model = to_json(net->config());
    lab_.rebuild_trainer(scene_);
  }
  if (lab_.trainer()) {
    try {
      lab_.trainer()->load_weights(*net, step);
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  // No trainer (its settings are invalid): the model is used as it is.
  loaded_ = {net, step, weights_checksum(*net)};
  lab_.adopt_network(std::make_shared<const NetworkScore>(net), lab_.snapshot());
  return "";
}

std::string LabSession::save_model(const fs::path& to) {
  const ModelRef m = model();
  if (!m.net) return "there is no learned model yet: train first (T)";
  try {
    scorelab::save_model(to, *m.net, m.step, to_json(scene_.scene));
    set_status("Saved the model (step " + std::to_string(m.step) + ") to " + to.string());
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string LabSession::load_model(const fs::path& from) {
  try {
    SavedModel saved = scorelab::load_model(from);
    check_trained_noise(saved, to_json(scene_.scene)["noise"], from.string());
    const std::string problem = apply_model(std::make_shared<const Mlp<float>>(std::move(saved.net)), saved.step);
    if (!problem.empty()) return problem;
    set_status("Loaded the model " + from.filename().string() + " (step " + std::to_string(saved.step) +
               "): the learned field and the learned sampler use it");
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

// ---- scene files and undo ----------------------------------------------------------------------------

LabSession::UndoEntry LabSession::current_as_undo() const { return {scene_, model(), title(), saved_}; }

void LabSession::replace_scene(LoadedScene scene) {
  scene_ = std::move(scene);
  build_lab();
}

void LabSession::restore_entry(UndoEntry entry) {
  loaded_ = {};
  saved_ = std::move(entry.saved);
  replace_scene(std::move(entry.scene));
  if (entry.model.net) {
    const std::string problem = apply_model(entry.model.net, entry.model.step);
    if (!problem.empty()) set_status("The model could not be restored: " + problem, true);
  }
}

std::string LabSession::open(const fs::path& path) {
  LoadedScene next;
  try {
    next = load_scene_for_view(path);
  } catch (const std::exception& e) {
    return e.what();
  }
  present(std::move(next));
  return "";
}

void LabSession::present(LoadedScene next) {
  const fs::path path = next.path;
  UndoEntry previous = current_as_undo();
  loaded_ = {};
  saved_ = scene_fingerprint(next.scene);
  replace_scene(std::move(next));
  set_status("Opened " + (path.empty() ? scene_title(scene_) : path.string()) + " (Ctrl+Z: back to " +
             previous.title + ")");
  undo_ = std::move(previous);
}

std::string LabSession::save(const fs::path& to) {
  try {
    const Scene written = save_scene_with_points(scene_.scene, scene_.path, to, PointsFile::reference_if_unchanged,
                                                 policy_.dir.value_or(fs::path()));
    scene_.scene.data.file = written.data.file;  // now relative to the new file's folder
    scene_.path = to;
    saved_ = scene_fingerprint(scene_.scene);
    set_status("Saved the scene to " + to.string());
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

bool LabSession::undo() {
  if (!undo_) return false;
  UndoEntry back = std::move(*undo_);
  undo_ = current_as_undo();  // one level: undo again swaps back
  set_status("Back to " + back.title + " (Ctrl+Z again: forward)");
  restore_entry(std::move(back));
  return true;
}

std::optional<std::string> LabSession::undo_title() const {
  if (!undo_) return std::nullopt;
  return undo_->title;
}

// ---- autosave ----------------------------------------------------------------------------------------

AutosaveResult LabSession::autosave_if_due(double now_s, bool exiting) {
  if (!policy_.save || !policy_.dir) return AutosaveResult::off;
  if (!exiting && !clock_.check_due(now_s, policy_.interval_s)) return AutosaveResult::not_due;
  const ModelRef m = model();
  std::string fingerprint = session_fingerprint(scene_.scene, m.checksum, m.step);
  if (!clock_.changed(fingerprint)) {
    clock_.mark_checked(now_s);
    return AutosaveResult::unchanged;
  }
  try {
    write_session(*policy_.dir, scene_.scene, scene_.path, m.net.get(), m.step);
    clock_.mark_written(now_s, std::move(fingerprint));
    return AutosaveResult::written;
  } catch (const std::exception& e) {
    clock_.mark_checked(now_s);  // try again one interval later, not every frame
    set_status(std::string("Autosave failed: ") + e.what(), true);
    return AutosaveResult::failed;
  }
}

}  // namespace scorelab
