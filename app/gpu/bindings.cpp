#include "app/gpu/bindings.hpp"

namespace scorelab::gpu {

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

}  // namespace scorelab::gpu
