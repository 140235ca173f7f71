#include "app/jobs/density_job.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace scorelab {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// A band should take about this long: short enough that a cancel (new view, new snapshot) is seen
// soon and the rows appear steadily, long enough that per-band overhead (a dispatch, a read-back,
// a lock) stays small.
constexpr double kBandSeconds = 0.2;

class CpuDensityBackend final : public DensityBackend {
 public:
  std::string name() const override { return "CPU"; }
  bool prepare(const DensityRequest& request) override {
    request_ = &request;
    return true;
  }
  void rows(int row0, int row1, float* out) override {
    const Points x = density_grid_rows(request_->grid, row0, row1);
    const Scalars log_p = ode_log_likelihood(*request_->score, request_->noise, x, request_->config);
    for (Eigen::Index k = 0; k < log_p.size(); ++k) out[k] = static_cast<float>(log_p[k]);
  }

 private:
  const DensityRequest* request_ = nullptr;
};

// Lowers this thread's priority (Linux: nice is per thread, and threads it starts inherit it — the
// GPU backend's llvmpipe workers are created from here).
// Nice 2: about 40 % of a core against a busy nice-0 thread (the trainer), so drawing keeps its share
// and the density still makes progress while training runs (at nice 10 it got ~5 % and stalled).
void lower_priority() { setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 2); }

}  // namespace

std::unique_ptr<DensityBackend> make_cpu_density_backend() { return std::make_unique<CpuDensityBackend>(); }

DensityWorker::DensityWorker(DensityBackendFactory gpu) : gpu_factory_(std::move(gpu)) {
  loop_.start([this](JobControl&) {
    run();
    return true;
  });
}

DensityWorker::~DensityWorker() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    wanted_ = 0;
  }
  changed_.notify_all();
  // loop_'s destructor joins the worker, which sees quit_ at its next band or wait.
}

uint64_t DensityWorker::submit(DensityRequest request, ComputeDevice device) {
  if (!request.score) throw InputError("density: no score to integrate");
  if (request.grid.width < 1 || request.grid.height < 1) throw InputError("density grid: empty");
  std::lock_guard lock(mutex_);
  const uint64_t id = ++next_id_;
  wanted_ = id;
  pending_device_ = device;
  progress_ = DensityProgress{};
  progress_.id = id;
  progress_.state = DensityState::preparing;
  progress_.grid = request.grid;
  progress_.values.assign(size_t(request.grid.width) * size_t(request.grid.height),
                          std::numeric_limits<float>::quiet_NaN());
  pending_ = std::move(request);
  ++version_;
  changed_.notify_all();
  return id;
}

void DensityWorker::cancel() {
  std::lock_guard lock(mutex_);
  if (progress_.state == DensityState::preparing || progress_.state == DensityState::running) {
    progress_.state = DensityState::cancelled;
    ++version_;
  }
  pending_.reset();
  wanted_ = 0;
  changed_.notify_all();
}

bool DensityWorker::poll(DensityProgress& out) const {
  std::lock_guard lock(mutex_);
  if (out.id == progress_.id && out.rows_done == progress_.rows_done && out.state == progress_.state) return false;
  out = progress_;
  return true;
}

void DensityWorker::wait() const {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] {
    const DensityState s = progress_.state;
    return quit_ || (!pending_ && s != DensityState::preparing && s != DensityState::running);
  });
}

void DensityWorker::set_gpu_note(const std::string& note) {
  std::lock_guard lock(mutex_);
  gpu_note_ = note;
}

std::string DensityWorker::gpu_note() const {
  std::lock_guard lock(mutex_);
  return gpu_note_;
}

bool DensityWorker::current(uint64_t id) const {
  std::lock_guard lock(mutex_);
  return wanted_ == id && !quit_;
}

void DensityWorker::publish(uint64_t id, const std::function<void(DensityProgress&)>& edit) {
  {
    std::lock_guard lock(mutex_);
    if (progress_.id != id || progress_.state == DensityState::cancelled) return;
    edit(progress_);
    ++version_;
  }
  changed_.notify_all();
}

void DensityWorker::run() {
  lower_priority();
  for (;;) {
    DensityRequest request;
    uint64_t id = 0;
    ComputeDevice device = ComputeDevice::cpu;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return quit_ || pending_.has_value(); });
      if (quit_) break;
      request = std::move(*pending_);
      pending_.reset();
      id = wanted_;
      device = pending_device_;
    }
    compute(request, id, device);
  }
  gpu_.reset();  // its GL context belongs to this thread
}

DensityBackend* DensityWorker::backend_for(const DensityRequest& request, ComputeDevice device) {
  std::string note;
  if (device != ComputeDevice::cpu && gpu_factory_ && !gpu_tried_) {
    gpu_tried_ = true;
    std::string why;
    try {
      gpu_ = gpu_factory_(&why);
    } catch (const std::exception& e) {
      why = e.what();
    }
    gpu_why_ = why.empty() ? "no GPU backend" : why;
  }
  if (device != ComputeDevice::cpu) {
    if (!gpu_) {
      note = gpu_why_;
    } else if (device == ComputeDevice::automatic && gpu_->software()) {
      note = "auto picked the CPU: this GPU is emulated on the CPU (llvmpipe), slower here";
    } else {
      try {
        if (gpu_->prepare(request)) {
          set_gpu_note("");
          return gpu_.get();
        }
        note = "the GPU kernel does not take this score (a point set or an energy network)";
      } catch (const std::exception& e) {  // e.g. a kernel that does not compile: the CPU still can
        note = e.what();
      }
    }
  }
  set_gpu_note(note);
  if (!cpu_) cpu_ = make_cpu_density_backend();
  cpu_->prepare(request);
  return cpu_.get();
}

void DensityWorker::compute(const DensityRequest& request, uint64_t id, ComputeDevice device) {
  const Clock::time_point t0 = Clock::now();
  const DensityGrid& grid = request.grid;
  try {
    DensityBackend* backend = backend_for(request, device);
    const std::string name = backend->name();
    const double prepared = seconds_since(t0);
    publish(id, [&](DensityProgress& p) {
      p.state = DensityState::running;
      p.backend = name;
      p.prepare_seconds = prepared;
    });
    std::vector<float> band;
    const int min_rows = std::max(1, (backend->min_band_points() + grid.width - 1) / grid.width);
    int rows = min_rows;
    for (int row = 0; row < grid.height;) {
      if (!current(id)) return;
      const int end = std::min(grid.height, row + rows);
      band.resize(size_t(end - row) * size_t(grid.width));
      const Clock::time_point b0 = Clock::now();
      backend->rows(row, end, band.data());
      const double took = seconds_since(b0);
      publish(id, [&](DensityProgress& p) {
        std::copy(band.begin(), band.end(), p.values.begin() + std::ptrdiff_t(row) * grid.width);
        p.rows_done = end;
        p.seconds = seconds_since(t0);
        if (end == grid.height) p.state = DensityState::complete;
      });
      // Next band: about kBandSeconds of work, at most doubling (the first rows may be atypical).
      const double per_row = took / double(end - row);
      rows = std::clamp(int(kBandSeconds / std::max(per_row, 1e-6)), min_rows, std::max(min_rows, 2 * (end - row)));
      row = end;
    }
  } catch (const std::exception& e) {
    const std::string what = e.what();
    publish(id, [&](DensityProgress& p) {
      p.state = DensityState::failed;
      p.error = what;
    });
  }
}

}  // namespace scorelab
