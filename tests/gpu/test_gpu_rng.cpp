// rng.glsl against core/rng.hpp: the hash and the uniforms bit for bit, the normals within float
// rounding of Box–Muller.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "app/gpu/bindings.hpp"
#include "core/rng.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

struct Probe {
  uint32_t hash, uniform_bits, z0_bits, z1_bits;
};

float bits_to_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

// Triples spanning small and huge seeds, streams and counters (wrap-around of 2c + 1 included).
std::vector<std::array<uint32_t, 4>> probe_inputs() {
  std::vector<std::array<uint32_t, 4>> in;
  const uint32_t seeds[] = {0u, 1u, 7u, 12345u, 0x5EED1A17u, 0xFFFFFFFFu};
  for (uint32_t seed : seeds)
    for (uint32_t stream = 0; stream < 40; ++stream)
      for (uint32_t c = 0; c < 64; ++c) in.push_back({seed, stream * 104729u, c * 2654435761u, 0});
  return in;
}

std::vector<Probe> run_probe(const std::vector<std::array<uint32_t, 4>>& in) {
  gl::Program program = gpu::build_compute("rng_probe.comp");
  const GLsizeiptr bytes = GLsizeiptr(in.size() * sizeof(Probe));
  gl::Buffer input = gpu::make_storage(bytes, in.data());
  gl::Buffer output = gpu::make_storage(bytes);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeIn, input.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeOut, output.id());
  glUseProgram(program.id());
  gpu::set_uniform(program, "u_count", unsigned(in.size()));
  glDispatchCompute(GLuint((in.size() + 63) / 64), 1, 1);
  gpu::storage_barrier();
  std::vector<Probe> out(in.size());
  gpu::read_storage(output, 0, bytes, out.data());
  return out;
}

}  // namespace

TEST_CASE("rng.glsl: hash3 and uniform01 are bit-identical to core; normal2 within float rounding") {
  SCORELAB_REQUIRE_GPU();
  const auto in = probe_inputs();
  const auto out = run_probe(in);
  int hash_mismatch = 0, uniform_mismatch = 0;
  double max_normal_err = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const auto [seed, stream, counter, unused] = in[i];
    (void)unused;
    if (out[i].hash != hash3(seed, stream, counter)) ++hash_mismatch;
    // uniform01 is (2k+1)/2^24: exact in float, so the float must equal the double exactly.
    if (double(bits_to_float(out[i].uniform_bits)) != uniform01(seed, stream, counter)) ++uniform_mismatch;
    const Vec2 z = normal2(seed, stream, counter);
    const float z0 = bits_to_float(out[i].z0_bits), z1 = bits_to_float(out[i].z1_bits);
    REQUIRE(std::isfinite(z0));
    REQUIRE(std::isfinite(z1));
    max_normal_err = std::max({max_normal_err, std::abs(z0 - z.x()), std::abs(z1 - z.y())});
  }
  CHECK(hash_mismatch == 0);
  CHECK(uniform_mismatch == 0);
  // Box–Muller in float from the same exact uniforms: r = √(−2 ln u₁) ≤ 5.8 and θ = 2πu₂ ≤ 6.3.
  // Float ln, sqrt, cos, sin each within a few ulp: |Δz| ≲ r·(few·2⁻²³·|ln u₁|)/… + r·|Δcos| ≈
  // 5.8·(4·6e-8·17)/2 + 5.8·(8·6e-8·6.3) ≈ 2e-5 in the worst case; a bound of 5e-5 leaves 2.5× room
  // for llvmpipe's polynomial transcendentals, and is still ~10⁴× below a wrong pairing (|Δz| ~ 1).
  MESSAGE("max |normal2 GPU − core| = " << max_normal_err << " over " << in.size() << " pairs");
  CHECK(max_normal_err < 5e-5);
}

}  // namespace scorelab
