// The lab's GL layers for this frame: particle trails and particles here; the heatmap
// (lab_heatmap.cpp) and the score field (lab_field.cpp) in their own files. Geometry comes from
// GL-free helpers (frame_history, arrow_field, streamlines, color_map); here it is put in batches.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/lab/lab_state.hpp"
#include "app/lab/lab_heatmap.hpp"

namespace scorelab {
namespace {

void build_particles(const LabState& lab, const LabLayerFrame& frame, const PlaneStyle& style) {
  ParticleView& view = frame.renderer.particles();
  TrailLook look;
  look.color = style.palette.particles;
  look.color.a = 0.45f;  // the newest segment; older ones fade linearly (trail_alphas)
  look.width_px = 1.0f * style.line_scale;
  look.fade_px = lab.particles.fade_long_trails ? trail_fade_px(frame.view.viewport.x(), frame.view.viewport.y()) : 0.0f;
  frame.renderer.set_trail_look(look);
  if (!lab.run.started()) {
    view.clear();
    return;
  }
  const int current = shown_frame_index(lab);
  const int segments = lab.particles.show_trails ? current - trail_first(current, lab.particles.trail_length) : 0;
  const int trails = std::min(lab.run.count(), std::max(lab.particles.max_trails, 0));
  if (const GpuParticleEngine* gpu = lab.run.engine()->as_gpu()) {
    const GpuRingView ring = gpu->ring();
    if (current == lab.run.frames() - 1) view.show_points(gpu->particle_buffer(), 0, gpu->count(), lab.run.generation());
    else view.show_points(ring.buffer, long(gpu->slot_of(current)) * ring.stride, gpu->count(), lab.run.generation());
    view.show_trails({ring.buffer, ring.stride, ring.capacity, gpu->slot_of(current), segments, trails});
    return;
  }
  const FrameHistory& h = *lab.run.cpu_history();
  const FramePoints& x = h.frame(current);
  view.upload_points(x.data(), static_cast<int>(x.cols()));
  std::vector<const float*> trail_frames;
  for (int i = current - segments; i <= current && segments > 0; ++i) trail_frames.push_back(h.frame(i).data());
  view.upload_trails(trail_frames, trails);
}

}  // namespace

void build_lab_layers(LabState& lab, const LabLayerFrame& frame, PlaneStyle& style) {
  style.show_field = lab.field.show;
  style.show_particles = lab.particles.show;
  style.show_trails = lab.particles.show && lab.particles.show_trails;
  style.show_heatmap = lab.heatmap.show;
  style.heatmap_opacity = lab.heatmap.opacity;
  style.particle_size_px = lab.particles.size * frame.pixel_scale;
  build_heatmap(lab, frame);
  build_field(lab, frame, style);
  build_particles(lab, frame, style);
  update_mode_bars(lab, style.theme);
}

}  // namespace scorelab
