#version 430 core
in vec4 v_color;
in vec2 v_offset;
in float v_half_width;
in float v_half_length;

out vec4 frag_color;

void main() {
  // Coverage of a pixel by the rectangle: a one-pixel linear ramp at each edge. Lines thinner than
  // a pixel fade instead of vanishing.
  float across = clamp(v_half_width + 0.5 - abs(v_offset.y), 0.0, min(2.0 * v_half_width, 1.0));
  float along = clamp(v_half_length + 0.5 - abs(v_offset.x), 0.0, 1.0);
  float coverage = min(across, along);
  if (coverage <= 0.0) discard;
  frag_color = vec4(v_color.rgb, v_color.a * coverage);
}
