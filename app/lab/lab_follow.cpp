// One particle up close: the lab follows a particle of the run, core's Sampler traces the terms of
// its update each step (core/samplers/sampler.hpp StepTrace), and the GUI draws them as arrows and
// fills their numbers into the formula. The GPU kernels trace nothing, so following (and a
// condition, whose wrapped score the kernels do not know) keeps the run on the CPU path.
#include <algorithm>

#include "app/lab/lab_gpu.hpp"
#include "app/lab/lab_state.hpp"

namespace scorelab {
namespace {

// Enough for a whole run at the step counts the GUI offers, bounded for a 5000-step Langevin.
constexpr size_t kMaxPath = 6000;

bool learned_class_guidance(const LabState& lab) {
  return lab.condition.kind == ConditionKind::class_guidance && lab.particles.source == ScoreSource::learned &&
         learned_is_conditional(lab);
}

bool wants_cpu(const LabState& lab) {
  return lab.followed.has_value() || lab.condition.kind != ConditionKind::none;
}

}  // namespace

void keep_traceable(LabState& lab) {
  if (lab.followed && lab.run.started() && *lab.followed >= lab.run.count()) lab.followed.reset();
  if (wants_cpu(lab) && !lab.particles.forward && lab.particles.backend == ParticleBackend::gpu) {
    lab.particles.backend = ParticleBackend::cpu;  // the switch shows where the particles are
    lab.gpu_build = GpuBuild{};  // a GPU engine being built would take the run back
    lab.forced_cpu = true;
    lab.backend_note.clear();  // this is now why the run is on the CPU
  }
  if (!wants_cpu(lab) && lab.forced_cpu) {
    lab.forced_cpu = false;
    lab.backend_note.clear();
  }
  // Said while it holds (a restart clears the note; the switch back to the GPU is the user's).
  if (lab.forced_cpu && lab.backend_note.empty())
    lab.backend_note = lab.followed ? "following a particle: only the CPU path traces the terms of a step"
                       : learned_class_guidance(lab)
                           ? "classifier-free guidance runs on the CPU: it mixes two evaluations of the network, "
                             "s(x, t, ∅) and s(x, t, k), and the GPU kernel takes one input per particle"
                           : "conditional sampling runs on the CPU (the GPU kernels know only the plain score)";
  if (!lab.run.started()) return;
  ParticleEngine* engine = lab.run.engine();
  if (wants_cpu(lab) && engine->as_gpu() != nullptr && !lab.particles.forward) {
    continue_on_cpu(lab);
    engine = lab.run.engine();
  }
  if (engine->followed() != lab.followed) engine->follow(lab.followed);
}

void track_followed(LabState& lab) {
  if (!lab.followed || !lab.run.started() || lab.scrub >= 0) return;
  const int step = lab.run.step();
  if (step < lab.followed_path_step) lab.followed_path.clear();  // restarted or rewound
  if (step == lab.followed_path_step) return;
  lab.followed_path_step = step;
  if (lab.followed_path.size() >= kMaxPath) lab.followed_path.erase(lab.followed_path.begin());
  lab.followed_path.push_back(lab.run.particles().col(*lab.followed));
}

void Lab::follow_particle(std::optional<int> index) {
  LabState& lab = *s_;
  if (index && (*index < 0 || (lab.run.started() && *index >= lab.run.count()))) index.reset();
  // Only the CPU path traces a step; past what it steps at an interactive rate the run stays on the
  // GPU and the note says why nothing is followed.
  if (index && lab.interactive && lab.run.started() && !lab.followed) {
    const ParticleBudget cpu = cpu_interactive_budget("following a particle runs on the CPU path");
    if (lab.run.count() > cpu.max_particles) {
      lab.backend_note = too_many_particles(lab.run.count(), cpu);
      return;
    }
  }
  lab.followed = index;
  lab.followed_path.clear();
  lab.followed_path_step = -1;
  keep_traceable(lab);
  track_followed(lab);
}

std::optional<int> Lab::followed_particle() const { return s_->followed; }

const StepTrace* Lab::followed_step() const {
  const LabState& lab = *s_;
  if (!lab.followed || !lab.run.started()) return nullptr;
  const StepTrace* trace = lab.run.engine()->trace();
  return trace && trace->step >= 0 ? trace : nullptr;
}

std::optional<Vec2> Lab::followed_position() const {
  const LabState& lab = *s_;
  if (!lab.followed || !lab.run.started() || *lab.followed >= lab.run.count()) return std::nullopt;
  const int i = scorelab::shown_frame_index(lab);
  if (i == lab.run.frames() - 1) return Vec2(lab.run.particles().col(*lab.followed));
  return Vec2(lab.run.engine()->download(i).col(*lab.followed));
}

const std::vector<Vec2>& Lab::followed_path() const { return s_->followed_path; }

}  // namespace scorelab
