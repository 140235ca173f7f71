// A scene's show section applied to the window (app/plane/scene_show.hpp): the lab's settings
// (app/lab/lab_show.hpp: score, layers, pace, the pinned figure), the data layer, the panels it
// opens and its view.
#include "app/gui/app.hpp"
#include "app/lab/lab_show.hpp"

namespace scorelab {

SceneShow scene_show_of(App& app) {
  try {
    return parse_scene_show(app.scene.scene.show);
  } catch (const InputError& e) {  // scenes are checked at load; one built in code may still be wrong
    set_status(app, e.what(), true);
    return {};
  }
}

void apply_show_to_window(App& app, const SceneShow& show) {
  app.settings.show_points = show.points;
  if (!show.panels.empty()) app.open_panels = show.panels;
  app.fit_box.reset();
  if (show.view) {
    const Vec2 half(show.view->half_width, show.view->half_width);
    app.fit_box = Bounds2{show.view->center - half, show.view->center + half};
  }
  app.fit_requested = true;
}

void apply_scene_show(App& app) {
  const SceneShow show = scene_show_of(app);
  apply_show_to_window(app, show);
  apply_show(app.lab, show);
  if (show.train && app.lab.trainer()) app.lab.trainer()->start();
}

}  // namespace scorelab
