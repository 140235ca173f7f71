#version 430 core
uniform sampler2D u_texture;  // RGBA8, straight alpha; row 0 at the bottom (world y up)
uniform float u_opacity;

in vec2 v_uv;
out vec4 frag_color;

void main() {
  vec4 c = texture(u_texture, v_uv);
  frag_color = vec4(c.rgb, c.a * u_opacity);
}
