#include "app/gpu/sliced_step.hpp"

#include <algorithm>
#include <stdexcept>

namespace scorelab::gpu {

void SlicedStep::set_particles(const float* xy, int n) {
  abandon();
  count_ = std::max(n, 0);
  if (!positions_) positions_ = gl::make_buffer();
  respecify(GL_SHADER_STORAGE_BUFFER, positions_, GLsizeiptr(count_) * 8, xy, GL_DYNAMIC_COPY);
  work_.reset();  // sized for the new count when a step is next sliced
}

void SlicedStep::begin(std::vector<Pass> passes, long align) {
  abandon();
  passes_ = std::move(passes);
  align_ = std::max(align, 1L);
  total_weight_ = 0.0;
  for (const Pass& p : passes_)
    if (p.batch > 0) total_weight_ += p.weight;
}

void SlicedStep::abandon() {
  passes_.clear();
  pass_ = 0;
  next_ = 0;
  done_ = 0.0;
  started_ = sliced_ = false;
}

double SlicedStep::progress() const {
  const double total = total_weight_ * count_;
  return in_progress() && total > 0.0 ? done_ / total : 0.0;
}

bool SlicedStep::run(long work, const std::function<void(const Pass&)>& common) {
  if (!in_progress()) throw std::logic_error("SlicedStep::run: no step begun");
  if (!started_) {  // the step's first call decides where it runs
    started_ = true;
    sliced_ = work < count_;
    if (sliced_) {
      if (!work_) work_ = make_storage(GLsizeiptr(count_) * 8);
      glBindBuffer(GL_COPY_READ_BUFFER, positions_.id());
      glBindBuffer(GL_COPY_WRITE_BUFFER, work_.id());
      glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, GLsizeiptr(count_) * 8);
      glBindBuffer(GL_COPY_READ_BUFFER, 0);
      glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
    }
  }
  // The budget in weighted particles: `work` particle-steps are work·Σweight of them.
  double budget = work >= count_ ? std::numeric_limits<double>::infinity() : double(work) * total_weight_;
  bool ran = false;
  while (pass_ < passes_.size()) {
    const Pass& p = passes_[pass_];
    if (p.batch == 0) {  // one workgroup over what the passes before wrote: free, runs when reached
      dispatch(p, 0, 0, common);
      ++pass_;
      continue;
    }
    const long n = slice_particles(count_ - next_, budget / p.weight, align_, !ran);
    if (n == 0) break;
    dispatch(p, next_, next_ + n, common);
    ran = true;
    budget -= double(n) * p.weight;
    done_ += double(n) * p.weight;
    next_ += n;
    if (next_ == count_) ++pass_, next_ = 0;
  }
  if (pass_ < passes_.size()) return false;
  if (sliced_) std::swap(positions_, work_);  // the completed step becomes the positions
  abandon();
  return true;
}

void SlicedStep::dispatch(const Pass& p, long begin, long end, const std::function<void(const Pass&)>& common) {
  const gl::Program& program = *p.program;
  glUseProgram(program.id());
  if (common) common(p);
  if (p.uniforms) p.uniforms(program);
  if (p.batch == 0) {
    glDispatchCompute(1, 1, 1);
  } else {
    set_uniform(program, "u_count", unsigned(count_));
    set_uniform(program, "u_offset", unsigned(begin));
    set_uniform(program, "u_end", unsigned(end));
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding::kParticles, (sliced_ ? work_ : positions_).id());
    dispatch_flat(GLuint((end - begin + p.batch - 1) / p.batch), kParticleGroup);
  }
  storage_barrier();
}

}  // namespace scorelab::gpu

namespace scorelab {

long slice_particles(long remaining, double affordable, long align, bool first) {
  remaining = std::max(remaining, 0L);
  align = std::max(align, 1L);
  if (!(affordable < static_cast<double>(remaining))) return remaining;  // covers it (or +inf)
  const long whole = affordable > 0.0 ? static_cast<long>(affordable / static_cast<double>(align)) * align : 0;
  if (whole > 0) return std::min(whole, remaining);
  return first ? std::min(align, remaining) : 0;
}

}  // namespace scorelab
