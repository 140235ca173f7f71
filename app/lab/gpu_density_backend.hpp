// The GPU backend of the progressive density job (app/jobs/density_job.hpp): its own headless EGL
// context on the job's worker thread, one compiled density kernel per network architecture (a new
// snapshot of the same architecture only uploads weights), bands of rows dispatched and read back.
#pragma once

#include <memory>
#include <string>

#include "app/jobs/density_job.hpp"

namespace scorelab {

// Creates the context on the calling thread (the worker); null with `why` when there is none.
std::unique_ptr<DensityBackend> make_gpu_density_backend(std::string* why);

}  // namespace scorelab
