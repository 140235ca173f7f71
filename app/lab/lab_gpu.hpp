// The GPU side of the lab's particle run (lab_gpu.cpp), for lab.cpp: engines built off the UI thread
// on the lab's GL worker while the particles step on the CPU, the hand-over at a step boundary, and
// following a new score on the GPU. Kernels compile for seconds on a real driver and for minutes on
// llvmpipe with a cold shader cache: none of it may run on the UI thread (issue 18).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/lab/lab_state.hpp"
#include "core/particle_budget.hpp"

namespace scorelab {

// Makes a GPU engine; called with a GL context current (the worker's, or the UI thread's inline).
using GpuEngineFactory = std::function<std::unique_ptr<GpuParticleEngine>()>;

// Why a run meant for the GPU starts on the CPU instead, or empty: in the GUI (a lab with a GL
// worker), a network score on a software renderer, where the speed probe measures the CPU path
// faster and the kernel's first dispatch in the window's context compiles for minutes.
std::string cpu_first_reason(const LabState& lab, const ScoreFunction& score);
// Whether GPU engines are built on the GL worker. Not on llvmpipe: it compiles machine code per
// context at the first dispatch, so a worker's compile saves the window nothing (a mixture's
// kernels then build inline, ~0.4 s at a restart, as before).
bool compile_off_thread(const LabState& lab);
// Queues make() on lab.gl_worker (required) for `score`; the run stays on its CPU engine meanwhile.
void build_gpu_async(LabState& lab, GpuEngineFactory make, std::shared_ptr<const ScoreFunction> score);
// Once a frame: the built engine takes the run over at the current step (positions kept).
void take_ready_gpu(LabState& lab);
// Once a frame: a new score on the GPU run — new weights in place, or (new kernels needed and a GL
// worker there) the run continues on the CPU until the worker has built them.
void follow_score_on_gpu(LabState& lab);
// The run continues on the CPU from the current particles at the current step.
void continue_on_cpu(LabState& lab);
// Once a frame: the speed probe's figures when the worker has them.
void collect_speed(LabState& lab);

// The most particles the CPU path steps at an interactive rate: a CPU step cannot be spread over
// frames, and one of 4·10⁶ particles takes about a second (exact mixture, Euler–Maruyama, 2 cores).
inline constexpr int kCpuInteractiveParticles = 4'000'000;
// That ceiling, or less where the host's memory says so; `why_cpu`: what puts the run on the CPU.
ParticleBudget cpu_interactive_budget(const std::string& why_cpu);
// The CPU path's budget for this lab: the interactive ceiling in a window's lab, memory alone in
// the exporter's (Lab::set_interactive).
ParticleBudget cpu_path_budget(const LabState& lab, const std::string& why_cpu);
// The budget of the path the run takes now: the GPU's (gpu_particle_budget, queried once per lab,
// before its own buffers take memory) or the CPU's, with the reason the run is on the CPU.
ParticleBudget lab_particle_budget(LabState& lab);

}  // namespace scorelab
