// Floor 3, app/jobs/ (see async_job.hpp). GL-free: a GPU backend plugs in from app/lab
// (gpu_density_backend) through DensityBackend below.
//
// The model's log-density on a grid through the probability-flow ODE, computed progressively on a
// worker thread so the UI never waits: a band of rows at a time, published as it completes, so the
// heatmap can show rows as they arrive and a progress bar can say "rows 64/160".
//
// Why a worker thread even for the GPU path: on llvmpipe a network density kernel takes seconds to
// minutes to compile, and every dispatch runs synchronously on the calling thread, so on the GUI's
// context a band per frame would freeze the window during the compile and stutter after it. The
// GPU backend (app/lab/gpu_density_backend) therefore owns its own headless context on the worker.
// The worker runs at a lower scheduling priority, so drawing and training keep their share. It is
// one long-lived AsyncJob (async_job.hpp), not one per request: the GPU backend's context and its
// compiled kernels belong to that thread, and a new snapshot of a known network reuses them.
// GL-free: tested in tests/app/test_density_job.cpp (CPU) and tests/gpu/test_gpu_density.cpp (GPU).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/jobs/async_job.hpp"
#include "app/plane/layer_settings.hpp"
#include "app/plane/density_grid.hpp"
#include "core/likelihood.hpp"

namespace scorelab {

struct DensityRequest {
  std::shared_ptr<const ScoreFunction> score;  // whose log-density (a network snapshot, or exact)
  NoiseConfig noise;
  LikelihoodConfig config;  // config.eps: the level's t, where the log-density is wanted
  DensityGrid grid;
};

// Evaluates rows of a request; made and used on the worker thread only.
class DensityBackend {
 public:
  virtual ~DensityBackend() = default;
  virtual std::string name() const = 0;  // shown in the panel, e.g. "CPU" or "GPU (llvmpipe …)"
  // A GPU emulated on the CPU (llvmpipe): ComputeDevice::automatic then prefers the CPU backend.
  virtual bool software() const { return false; }
  // Readies the backend for `request` (GPU: uploads the weights, compiles a kernel the first time
  // an architecture is seen). False when this backend cannot take it (the CPU one then does).
  virtual bool prepare(const DensityRequest& request) = 0;
  // log p at the grid rows [row0, row1) → out[(j − row0)·width + i].
  virtual void rows(int row0, int row1, float* out) = 0;
  // The fewest grid points a band should hold: a GPU kernel needs several workgroups per dispatch to
  // use every core, and pays a fixed cost per dispatch (one per ODE step). 1: any band.
  virtual int min_band_points() const { return 1; }
};

// core's ode_likelihood on the band's points.
std::unique_ptr<DensityBackend> make_cpu_density_backend();

// Makes the GPU backend on the worker thread; null (with why) when there is none.
using DensityBackendFactory = std::function<std::unique_ptr<DensityBackend>(std::string* why)>;

enum class DensityState { idle, preparing, running, complete, cancelled, failed };

// What the worker has for the newest request.
struct DensityProgress {
  uint64_t id = 0;  // the request (submit's return value); 0: none yet
  DensityState state = DensityState::idle;
  DensityGrid grid;
  int rows_done = 0;            // rows [0, rows_done) of `values` are final
  std::vector<float> values;    // width·height, NaN where not computed yet
  std::string backend;          // which backend computes it
  std::string error;            // state == failed: why
  double seconds = 0.0;         // wall time so far (complete: total, preparation included)
  double prepare_seconds = 0.0; // of which preparing the backend (a GPU kernel's first compile)
};

class DensityWorker {
 public:
  // gpu: the GPU backend's factory, called once on the worker when a request first wants the GPU;
  // null: CPU only.
  explicit DensityWorker(DensityBackendFactory gpu = nullptr);
  ~DensityWorker();  // cancels and joins (loop_)
  DensityWorker(const DensityWorker&) = delete;
  DensityWorker& operator=(const DensityWorker&) = delete;

  // Replaces whatever runs (it is cancelled at its next band) and returns the new request's id.
  // device: gpu tries the GPU backend first; automatic too unless it is a software renderer.
  // Throws InputError for an empty grid or a null score.
  uint64_t submit(DensityRequest request, ComputeDevice device);
  void cancel();  // the current request stops at its next band (state cancelled)

  // Copies the newest request's progress into `out` when it changed since `out` was filled (same
  // id and row count, same state: nothing to copy). True when `out` changed.
  bool poll(DensityProgress& out) const;
  // Blocks until the newest request is complete, cancelled or failed (export, tests).
  void wait() const;
  // Why the GPU backend is not used for the newest request ("" when it is, or it was not asked for).
  std::string gpu_note() const;

 private:
  void run();  // the worker's loop: one request after another until quit_
  void compute(const DensityRequest& request, uint64_t id, ComputeDevice device);
  DensityBackend* backend_for(const DensityRequest& request, ComputeDevice device);
  bool current(uint64_t id) const;
  void set_gpu_note(const std::string& note);
  void publish(uint64_t id, const std::function<void(DensityProgress&)>& edit);

  DensityBackendFactory gpu_factory_;
  std::unique_ptr<DensityBackend> cpu_, gpu_;  // worker thread only
  bool gpu_tried_ = false;                     // worker thread only
  std::string gpu_why_;                        // why the factory gave none (worker thread only)

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::optional<DensityRequest> pending_;
  ComputeDevice pending_device_ = ComputeDevice::cpu;
  uint64_t next_id_ = 0;
  uint64_t wanted_ = 0;    // the newest id: others are cancelled
  bool quit_ = false;
  DensityProgress progress_;
  uint64_t version_ = 0;   // bumps with every change of progress_
  std::string gpu_note_;
  AsyncJob<bool> loop_;  // last: it joins the worker before the state above goes
};

}  // namespace scorelab
