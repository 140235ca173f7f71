#include "app/gl/compute.hpp"

#include <algorithm>
#include <stdexcept>

#include "app/gl/shader.hpp"
#include "app/gui/particle_run.hpp"

namespace scorelab::gpu {
namespace {

// The defines go after the #version line (GLSL requires it first); "#line 2" keeps the driver's
// line numbers those of the file.
std::string with_defines(std::string source, std::string_view defines) {
  if (defines.empty()) return source;
  const size_t eol = source.find('\n');
  if (source.rfind("#version", 0) != 0 || eol == std::string::npos)
    throw gl::GlError("compute shader must start with a #version line");
  source.insert(eol + 1, std::string(defines) + "\n#line 2\n");
  return source;
}

}  // namespace

gl::Program build_compute(std::string_view name, std::string_view defines) {
  const std::string source = with_defines(gl::shader_source(name), defines);
  gl::Shader shader(glCreateShader(GL_COMPUTE_SHADER));
  const char* text = source.c_str();
  glShaderSource(shader.id(), 1, &text, nullptr);
  glCompileShader(shader.id());
  GLint ok = GL_FALSE;
  glGetShaderiv(shader.id(), GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE)
    throw gl::GlError("shader " + std::string(name) + " does not compile:\n" + gl::info_log(shader.id(), false));
  gl::Program program(glCreateProgram());
  glAttachShader(program.id(), shader.id());
  glLinkProgram(program.id());
  glDetachShader(program.id(), shader.id());
  glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE)
    throw gl::GlError("program " + std::string(name) + " does not link:\n" + gl::info_log(program.id(), true));
  return program;
}

void dispatch_flat(GLuint n, GLuint local_size) {
  if (n == 0) return;
  constexpr GLuint kMaxRow = 65535;
  const GLuint groups = (n + local_size - 1) / local_size;
  const GLuint rows = (groups + kMaxRow - 1) / kMaxRow;
  glDispatchCompute(std::min(groups, kMaxRow), rows, 1);
}

void storage_barrier() {
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_UNIFORM_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT |
                  GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT | GL_TEXTURE_UPDATE_BARRIER_BIT);
}

gl::Buffer make_storage(GLsizeiptr bytes, const void* data, GLenum usage) {
  gl::Buffer buffer = gl::make_buffer();
  respecify(GL_SHADER_STORAGE_BUFFER, buffer, bytes, data, usage);
  return buffer;
}

void respecify(GLenum target, const gl::Buffer& buffer, GLsizeiptr bytes, const void* data, GLenum usage) {
  glBindBuffer(target, buffer.id());
  glBufferData(target, std::max<GLsizeiptr>(bytes, 16), nullptr, usage);
  if (data != nullptr && bytes > 0) glBufferSubData(target, 0, bytes, data);
  glBindBuffer(target, 0);
}

void read_storage(const gl::Buffer& buffer, GLintptr offset, GLsizeiptr bytes, void* out) {
  glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
  glBindBuffer(GL_COPY_READ_BUFFER, buffer.id());
  glGetBufferSubData(GL_COPY_READ_BUFFER, offset, bytes, out);
  glBindBuffer(GL_COPY_READ_BUFFER, 0);
}

void set_uniform(const gl::Program& p, const char* name, float v) {
  glProgramUniform1f(p.id(), glGetUniformLocation(p.id(), name), v);
}
void set_uniform(const gl::Program& p, const char* name, int v) {
  glProgramUniform1i(p.id(), glGetUniformLocation(p.id(), name), v);
}
void set_uniform(const gl::Program& p, const char* name, unsigned v) {
  glProgramUniform1ui(p.id(), glGetUniformLocation(p.id(), name), v);
}
void set_uniform(const gl::Program& p, const char* name, float x, float y) {
  glProgramUniform2f(p.id(), glGetUniformLocation(p.id(), name), x, y);
}

void set_solver_uniforms(const gl::Program& p, OdeSolver solver, double h) {
  const int stages = solver == OdeSolver::euler ? 1 : solver == OdeSolver::heun ? 2 : 4;
  float coef[4] = {0.0f, float(h), 0.0f, 0.0f};  // Heun: k₂ at x + h·k₁
  GLuint rows[4] = {0, 2, 0, 0};                 // Heun: k₂ at t + h
  if (solver == OdeSolver::rk4) {
    const float half = float(0.5 * h);
    coef[1] = half, coef[2] = half, coef[3] = float(h);
    rows[1] = 1, rows[2] = 1, rows[3] = 2;
  }
  set_uniform(p, "u_solver", static_cast<int>(solver));
  set_uniform(p, "u_stages", stages);
  glProgramUniform1fv(p.id(), glGetUniformLocation(p.id(), "u_stage_coef"), 4, coef);
  glProgramUniform1uiv(p.id(), glGetUniformLocation(p.id(), "u_stage_row"), 4, rows);
  set_uniform(p, "u_h", float(h));
  set_uniform(p, "u_half_h", float(0.5 * h));
  set_uniform(p, "u_sixth_h", float(h / 6.0));
}

GLint get_integer(GLenum name) {
  GLint v = 0;
  glGetIntegerv(name, &v);
  return v;
}

GLint get_integer(GLenum name, GLuint index) {
  GLint v = 0;
  glGetIntegeri_v(name, index, &v);
  return v;
}

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
