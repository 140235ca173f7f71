#version 430 core
// One triangle covering the viewport; splat_points.frag reads the coverage of each pixel.
void main() {
  vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);  // (0,0), (2,0), (0,2)
  gl_Position = vec4(2.0 * p - 1.0, 0.0, 1.0);
}
