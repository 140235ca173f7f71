// The File menu's actions (open, save, presets, models, undo) and their modal popups.
#include "app/gui/file_dialogs.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>

#include "app/gui/app.hpp"
#include "core/nn/model_io.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

namespace fs = std::filesystem;

namespace {

const ImVec4 kErrorColor(1.0f, 0.45f, 0.40f, 1.0f);
constexpr double kStatusSeconds = 30.0;  // how long an info status stays (errors stay)

fs::path preset_folder() { return default_scene_path().parent_path(); }

fs::path scene_folder(const App& app) {
  return app.scene.path.empty() ? fs::current_path() : fs::absolute(app.scene.path).parent_path();
}

void set_path(SessionState& s, const std::string& text) {
  s.path.fill('\0');
  std::strncpy(s.path.data(), text.c_str(), s.path.size() - 1);
}

// "~/x" → "$HOME/x", as a shell would.
fs::path expand_home(const std::string& text) {
  const char* home = std::getenv("HOME");
  if (home == nullptr || (text != "~" && text.rfind("~/", 0) != 0)) return fs::path(text);
  return fs::path(home) / text.substr(std::min<size_t>(2, text.size()));
}

// A JSON file that starts like a model file ("format": "scorelab-model" is among the first keys).
bool looks_like_model(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head.find(kModelFormat) != std::string::npos;
}

UndoEntry current_as_undo(const App& app) { return UndoEntry{app.scene, current_model(app), scene_title(app.scene)}; }

// Replaces the scene (and its model) with an undo entry's.
void restore_entry(App& app, UndoEntry entry) {
  app.session.loaded = {};
  set_scene(app, std::move(entry.scene));
  if (entry.model.net) {
    const std::string problem = apply_model(app, entry.model.net, entry.model.step);
    if (!problem.empty()) set_status(app, "The model could not be restored: " + problem, true);
  }
}

// ---- the actions behind the dialogs (each returns "" or a one-line problem) -------------------------

std::string save_scene_to(App& app, const fs::path& to) {
  try {
    const Scene written = save_scene_with_points(app.scene.scene, app.scene.path, to, PointsFile::reference_if_unchanged,
                                                 app.session.policy.dir.value_or(fs::path()));
    app.scene.scene.data.file = written.data.file;  // now relative to the new file's folder
    app.scene.path = to;
    set_status(app, "Saved the scene to " + to.string());
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string save_model_to(App& app, const fs::path& to) {
  const ModelRef model = current_model(app);
  if (!model.net) return "there is no learned model yet: train first (T)";
  try {
    save_model(to, *model.net, model.step, to_json(app.scene.scene));
    set_status(app, "Saved the model (step " + std::to_string(model.step) + ") to " + to.string());
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string load_model_from(App& app, const fs::path& from) {
  try {
    SavedModel saved = load_model(from);
    check_trained_noise(saved, to_json(app.scene.scene)["noise"], from.string());
    const std::string problem = apply_model(app, std::make_shared<const Mlp<float>>(std::move(saved.net)), saved.step);
    if (!problem.empty()) return problem;
    set_status(app, "Loaded the model " + from.filename().string() + " (step " + std::to_string(saved.step) +
                        "): the learned field and the learned sampler use it");
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

// ---- the popups ---------------------------------------------------------------------------------------

struct DialogSpec {
  const char* title;   // also the popup's ID
  const char* action;  // the button
  const char* help;    // one line under the title
  bool writes;         // asks before replacing an existing file
  std::function<std::string(App&, const fs::path&)> run;
};

DialogSpec spec_of(FileDialog d) {
  switch (d) {
    case FileDialog::open_scene:
      return {"Open scene", "Open", "A scene JSON file (the current one is kept for Undo, Ctrl+Z).", false,
              [](App& app, const fs::path& p) { return open_scene_file(app, p); }};
    case FileDialog::save_scene_as:
      return {"Save scene as", "Save", "Where to write the scene JSON (a drawn point set goes beside it as CSV).",
              true, save_scene_to};
    case FileDialog::save_model:
      return {"Save model", "Save", "Where to write the learned model (JSON: architecture, weights, step, scene).",
              true, save_model_to};
    case FileDialog::load_model:
      return {"Load model", "Load", "A model written by Save model or `scorelab train`, for this noise schedule.",
              false, load_model_from};
    case FileDialog::none:
      break;
  }
  return {"", "", "", false, nullptr};
}

// Fills the path field and the file list when a dialog opens.
void prepare_dialog(App& app, FileDialog d) {
  SessionState& s = app.session;
  s.dialog_error.clear();
  s.overwrite = false;
  s.key_enter = s.key_escape = false;
  s.choices.clear();
  const std::string stem = app.scene.path.empty() ? "scene" : app.scene.path.stem().string();
  switch (d) {
    case FileDialog::open_scene:
      set_path(s, app.scene.path.string());
      s.choices = list_json_files({scene_folder(app), preset_folder()});
      break;
    case FileDialog::save_scene_as:
      set_path(s, app.scene.path.empty() ? "scene.json" : app.scene.path.string());
      break;
    case FileDialog::save_model:
      set_path(s, stem + "_model.json");
      break;
    case FileDialog::load_model:
      set_path(s, "");
      for (const fs::path& p : list_json_files({fs::current_path(), scene_folder(app)}))
        if (looks_like_model(p)) s.choices.push_back(p);
      break;
    case FileDialog::none:
      break;
  }
}

// The files under the path field: a click fills the field, a double click runs the action.
bool file_list(SessionState& s) {
  if (s.choices.empty()) return false;
  bool run = false;
  const float rows = static_cast<float>(std::min<size_t>(s.choices.size() + 2, 10)) + 0.5f;
  const float height = ImGui::GetTextLineHeightWithSpacing() * rows;
  if (!ImGui::BeginListBox("##files", ImVec2(-1.0f, height))) return false;
  fs::path folder;
  for (const fs::path& p : s.choices) {
    if (p.parent_path() != folder) {  // a heading per folder; the files under it by name
      folder = p.parent_path();
      ImGui::TextDisabled("%s", folder.c_str());
    }
    const std::string label = "   " + p.filename().string() + "##" + p.string();
    if (ImGui::Selectable(label.c_str(), std::strcmp(s.path.data(), p.c_str()) == 0,
                          ImGuiSelectableFlags_AllowDoubleClick)) {
      set_path(s, p.string());
      run = ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
    }
  }
  ImGui::EndListBox();
  return run;
}

void draw_dialog(App& app, const DialogSpec& spec) {
  SessionState& s = app.session;
  ImGui::TextDisabled("%s", spec.help);
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  bool run = ImGui::InputText("##path", s.path.data(), s.path.size(),
                              ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
  if (ImGui::IsItemEdited()) s.dialog_error.clear();
  tooltip("A path: absolute, relative to the working directory, or ~/… Enter runs the dialog, Escape closes it.");
  run |= file_list(s);
  const fs::path path = expand_home(s.path.data());
  std::error_code ec;
  const bool exists = spec.writes && !path.empty() && fs::exists(path, ec);
  if (exists) {
    ImGui::Checkbox("Replace the existing file", &s.overwrite);
    tooltip("The file is there already; tick to write over it.");
  }
  if (!s.dialog_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColor);
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36.0f);
    ImGui::TextUnformatted(s.dialog_error.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  const bool allowed = !path.empty() && (!exists || s.overwrite);
  ImGui::BeginDisabled(!allowed);
  run |= ImGui::Button(spec.action, ImVec2(6.0f * ImGui::GetFontSize(), 0.0f));
  ImGui::EndDisabled();
  ImGui::SameLine();
  const bool cancel = ImGui::Button("Cancel", ImVec2(6.0f * ImGui::GetFontSize(), 0.0f)) || s.key_escape;
  run |= s.key_enter;
  s.key_enter = s.key_escape = false;
  if (run && !allowed && exists)
    s.dialog_error = path.filename().string() + " exists: tick \"Replace the existing file\" to write over it";
  if (run && allowed) {
    s.dialog_error = spec.run(app, path);
    if (s.dialog_error.empty()) ImGui::CloseCurrentPopup();
  }
  if (cancel) ImGui::CloseCurrentPopup();
}

}  // namespace

double session_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void request_dialog(App& app, FileDialog dialog) { app.session.request = dialog; }

void draw_file_dialogs(App& app) {
  SessionState& s = app.session;
  if (s.request != FileDialog::none) {
    s.shown = s.request;
    s.request = FileDialog::none;
    prepare_dialog(app, s.shown);
    ImGui::OpenPopup(spec_of(s.shown).title);
  }
  if (s.shown == FileDialog::none) return;
  const DialogSpec spec = spec_of(s.shown);
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.4f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  // Fixed width; height 0 re-fits every frame, so an error line or the overwrite box never clips the buttons.
  ImGui::SetNextWindowSize(ImVec2(38.0f * ImGui::GetFontSize(), 0.0f), ImGuiCond_Always);
  if (ImGui::BeginPopupModal(spec.title, nullptr, ImGuiWindowFlags_NoSavedSettings)) {
    draw_dialog(app, spec);
    ImGui::EndPopup();
  } else {
    s.shown = FileDialog::none;
  }
}

void set_status(App& app, std::string text, bool error) {
  app.session.status = std::move(text);
  app.session.status_error = error;
  app.session.status_time = session_seconds();
}

void draw_status(const App& app) {
  const SessionState& s = app.session;
  if (s.status.empty() || (!s.status_error && session_seconds() - s.status_time > kStatusSeconds)) return;
  const float width = ImGui::CalcTextSize(s.status.c_str()).x;
  const float right = ImGui::GetWindowContentRegionMax().x - ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), right - width));
  ImGui::PushStyleColor(ImGuiCol_Text, s.status_error ? kErrorColor : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextUnformatted(s.status.c_str());
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.status.c_str());
}

std::string scene_title(const LoadedScene& scene) {
  if (!scene.scene.title.empty()) return scene.scene.title;
  if (!scene.path.empty()) return scene.path.stem().string();
  return "Untitled scene";
}

ModelRef current_model(const App& app) {
  if (app.lab.trainer()) {
    std::shared_ptr<const Snapshot> snap = app.lab.trainer()->snapshot();
    if (snap && snap->step > 0) return {snap->net, snap->step, snap->checksum};
    return {};
  }
  return app.session.loaded;
}

std::string apply_model(App& app, std::shared_ptr<const Mlp<float>> net, int64_t step) {
  Lab& lab = app.lab;
  app.session.loaded = {};
  if (lab.trainer() && to_json(lab.trainer()->model_config()) != to_json(net->config())) {
    // Another architecture than the scene's model section: the scene adopts the model's, so that
    // training continues from it and a saved scene describes the network it shows.
    app.scene.scene.model = to_json(net->config());
    rebuild_trainer(app);
  }
  if (lab.trainer()) {
    try {
      lab.trainer()->load_weights(*net, step);
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  // No trainer (its settings are invalid): the model is used as it is.
  app.session.loaded = {net, step, weights_checksum(*net)};
  lab.adopt_network(std::make_shared<const NetworkScore>(net), lab.snapshot());
  return "";
}

std::string open_scene_file(App& app, const fs::path& path) {
  LoadedScene next;
  try {
    next = load_scene_for_view(path);
  } catch (const std::exception& e) {
    return e.what();
  }
  UndoEntry previous = current_as_undo(app);
  app.session.loaded = {};
  set_scene(app, std::move(next));
  set_status(app, "Opened " + path.string() + " (Ctrl+Z: back to " + previous.title + ")");
  app.session.undo = std::move(previous);
  return "";
}

void save_scene_here(App& app) {
  if (app.scene.path.empty()) {
    request_dialog(app, FileDialog::save_scene_as);
    return;
  }
  const std::string problem = save_scene_to(app, app.scene.path);
  if (!problem.empty()) set_status(app, problem, true);
}

void undo_scene(App& app) {
  if (!app.session.undo) return;
  UndoEntry back = std::move(*app.session.undo);
  app.session.undo = current_as_undo(app);  // one level: Undo again swaps back
  set_status(app, "Back to " + back.title + " (Ctrl+Z again: forward)");
  restore_entry(app, std::move(back));
}

const PresetListing& presets(App& app) {
  if (!app.session.presets) app.session.presets = list_presets(preset_folder());
  return *app.session.presets;
}

}  // namespace scorelab
