#version 430 core
// Predictor–corrector, corrector pass 2 of 3: the population mean of ‖s‖ from the group sums of
// pc_score_norm.comp, by one workgroup in a fixed order (strided serial sums, then a tree):
// pc_sums[0] = (Σ_g pc_sums[1 + g]) / N. Core takes s.colwise().norm().mean() in double.
layout(local_size_x = 256) in;
layout(std430, binding = 5) buffer PcSums { float pc_sums[]; };

uniform uint u_groups;  // number of group sums: ceil(N / (64·SCORE_BATCH)), groups with a particle
uniform uint u_count;   // N

shared float partial[256];

void main() {
  uint i = gl_LocalInvocationID.x;
  float sum = 0.0;
  for (uint g = i; g < u_groups; g += 256u) sum += pc_sums[1u + g];
  partial[i] = sum;
  barrier();
  for (uint stride = 128u; stride > 0u; stride /= 2u) {
    if (i < stride) partial[i] += partial[i + stride];
    barrier();
  }
  if (i == 0u) pc_sums[0] = partial[0] / float(u_count);
}
