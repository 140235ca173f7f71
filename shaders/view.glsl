// The plane view's camera (app/render/view_transform.hpp): world units -> pixels -> clip space.
uniform vec2 u_view_center;      // world point at the viewport centre
uniform float u_pixels_per_unit; // zoom, the same in x and y
uniform vec2 u_viewport;         // viewport size in pixels

// World to pixels with the origin at the viewport centre and y up (GL's convention).
vec2 world_to_pixels(vec2 world) { return (world - u_view_center) * u_pixels_per_unit; }

vec4 pixels_to_clip(vec2 pixels) { return vec4(2.0 * pixels / u_viewport, 0.0, 1.0); }
