#ifndef SCORELAB_IDEAL_SCORE_GLSL
#define SCORELAB_IDEAL_SCORE_GLSL
// The ideal score of a point set by truncated sums over a cell grid, in float: the GLSL twin of
// core's truncated path (core/point_grid.cpp PointGrid::nearest_distance2 and kernel_sums, and
// EmpiricalScore::evaluate_fast in core/empirical_score_fast.cpp). The large-s lattice of core
// (core/gaussian_grid_field.cpp) has no twin here: this kernel is O(points within the cut-off) per
// particle, which at large s is all of them.
//
// In the data's own units: u = (x − m·center)/m, s' = s/m; weights wᵢ = exp(−(dᵢ² − d_min²)/(2s'²))
// over the points with dᵢ² ≤ d_min² + 2s'²·IDEAL_CUTOFF, then
//   score = (mean_w − u)/(s'² m),  div = (var_w/s'² − 2)/(s'² m²),
//   log p = −d_min²/(2s'²) + log Σw − log n − log(2π s²).
// The host (app/gpu/gpu_score.cpp) uploads core's PointGrid of the centred data unchanged and defines
// IDEAL_LO (vec2), IDEAL_SIDE, IDEAL_NX, IDEAL_NY, IDEAL_N, IDEAL_CENTER (vec2), IDEAL_CUTOFF.
#ifndef IDEAL_NX
#error "ideal_score.glsl needs the IDEAL_* defines"
#endif

// Binding points shared with the mixture components (4) and the network's time features (9): a
// kernel holds one kind of score.
layout(std430, binding = 4) readonly buffer IdealPoints { vec2 ideal_points[]; };  // (n), sorted by cell
layout(std430, binding = 9) readonly buffer IdealCells { int ideal_start[]; };     // (nx·ny + 1)

// Squared distance from u to cell (cx, cy)'s box.
float ideal_cell_dist2(vec2 u, int cx, int cy) {
  vec2 lo = IDEAL_LO + vec2(float(cx), float(cy)) * IDEAL_SIDE;
  vec2 d = max(max(lo - u, u - (lo + IDEAL_SIDE)), vec2(0.0));
  return dot(d, d);
}

float ideal_nearest_in_cell(vec2 u, int cx, int cy, float best) {
  int c = cy * IDEAL_NX + cx;
  for (int i = ideal_start[c]; i < ideal_start[c + 1]; ++i) {
    vec2 d = ideal_points[i] - u;
    best = min(best, dot(d, d));
  }
  return best;
}

float ideal_visit(vec2 u, int x, int y, float best) {
  if (x < 0 || x >= IDEAL_NX || y < 0 || y >= IDEAL_NY || ideal_cell_dist2(u, x, y) >= best) return best;
  return ideal_nearest_in_cell(u, x, y, best);
}

// Squared distance to the nearest point: rings of cells outward from u's cell, as core. A query more
// than 4096 cells outside the grid (ints and the ring bound lose meaning) scans every point instead.
float ideal_nearest2(vec2 u) {
  vec2 t = floor((u - IDEAL_LO) / IDEAL_SIDE);
  float best = 3.402823466e38;
  if (any(lessThan(t, vec2(-4096.0))) || any(greaterThan(t, vec2(float(IDEAL_NX + 4096), float(IDEAL_NY + 4096))))) {
    for (int i = 0; i < IDEAL_N; ++i) {
      vec2 d = ideal_points[i] - u;
      best = min(best, dot(d, d));
    }
    return best;
  }
  int cx = int(t.x), cy = int(t.y);
  int r_first = max(max(0, max(-cx, cx - (IDEAL_NX - 1))), max(-cy, cy - (IDEAL_NY - 1)));
  int r_last = max(max(cx, IDEAL_NX - 1 - cx), max(cy, IDEAL_NY - 1 - cy));
  for (int r = r_first; r <= r_last; ++r) {
    float bound = max(0.0, float(r - 1) * IDEAL_SIDE);
    if (bound * bound > best) break;
    for (int y = max(cy - r, 0); y <= min(cy + r, IDEAL_NY - 1); ++y) {
      if (y == cy - r || y == cy + r) {
        for (int x = max(cx - r, 0); x <= min(cx + r, IDEAL_NX - 1); ++x) best = ideal_visit(u, x, y, best);
      } else {
        best = ideal_visit(u, cx - r, y, best);
        if (r > 0) best = ideal_visit(u, cx + r, y, best);
      }
    }
  }
  return best;
}

// A cell index along one axis, clamped to [−1, n] in float first (int() of a huge float is undefined).
int ideal_cell_index(float coordinate, float lo, int n) {
  return int(clamp(floor((coordinate - lo) / IDEAL_SIDE), -1.0, float(n)));
}

// Σw, Σw·x (pass 0) or Σw·‖x − mean‖² (pass 1) over the cell rows the disc of radius r around u
// touches, as core's for_each_row_span: returns (Σw, Σw·x.x, Σw·x.y) or (Σw·‖x − mean‖², 0, 0).
vec3 ideal_sums(vec2 u, float d2_min, float inv_2s2, float r, int pass, vec2 mean) {
  vec3 acc = vec3(0.0);
  int y0 = max(ideal_cell_index(u.y - r, IDEAL_LO.y, IDEAL_NY), 0);
  int y1 = min(ideal_cell_index(u.y + r, IDEAL_LO.y, IDEAL_NY), IDEAL_NY - 1);
  for (int y = y0; y <= y1; ++y) {
    float row_lo = IDEAL_LO.y + float(y) * IDEAL_SIDE;
    float gap = max(max(row_lo - u.y, u.y - (row_lo + IDEAL_SIDE)), 0.0);
    if (gap > r) continue;
    float half_width = sqrt(r * r - gap * gap);
    int x0 = max(ideal_cell_index(u.x - half_width, IDEAL_LO.x, IDEAL_NX), 0);
    int x1 = min(ideal_cell_index(u.x + half_width, IDEAL_LO.x, IDEAL_NX), IDEAL_NX - 1);
    if (x0 > x1) continue;
    for (int i = ideal_start[y * IDEAL_NX + x0]; i < ideal_start[y * IDEAL_NX + x1 + 1]; ++i) {
      vec2 p = ideal_points[i], d = p - u;
      float w = exp((d2_min - dot(d, d)) * inv_2s2);
      if (pass == 0) {
        acc += w * vec3(1.0, p);
      } else {
        vec2 e = p - mean;
        acc.x += w * dot(e, e);
      }
    }
  }
  return acc;
}

// Everything one query needs: u, s', d_min², Σw and the weighted mean (data units).
struct IdealQuery {
  vec2 u;
  float sp, d2_min, z, r;
  vec2 mean;
};

IdealQuery ideal_query(vec2 x, uint level) {
  IdealQuery q;
  float m = level_m(level), s = max(level_s(level), 1e-3);  // core's kMinNoise floor
  q.u = (x - m * IDEAL_CENTER) / m;
  q.sp = s / m;
  q.d2_min = ideal_nearest2(q.u);
  q.r = sqrt(q.d2_min + 2.0 * q.sp * q.sp * IDEAL_CUTOFF);
  vec3 acc = ideal_sums(q.u, q.d2_min, 0.5 / (q.sp * q.sp), q.r, 0, vec2(0.0));
  q.z = acc.x;
  q.mean = acc.yz / acc.x;
  return q;
}

vec2 ideal_score(vec2 x, uint level) {
  IdealQuery q = ideal_query(x, level);
  return (q.mean - q.u) / (q.sp * q.sp * level_m(level));
}

vec2 ideal_score_div(vec2 x, uint level, out float div) {
  IdealQuery q = ideal_query(x, level);
  float var = ideal_sums(q.u, q.d2_min, 0.5 / (q.sp * q.sp), q.r, 1, q.mean).x / q.z;
  float m = level_m(level);
  div = (var / (q.sp * q.sp) - 2.0) / (q.sp * q.sp * m * m);
  return (q.mean - q.u) / (q.sp * q.sp * m);
}

float ideal_log_prob(vec2 x, uint level) {
  IdealQuery q = ideal_query(x, level);
  float s = max(level_s(level), 1e-3);
  return -q.d2_min / (2.0 * q.sp * q.sp) + log(q.z) - log(float(IDEAL_N)) - log(6.283185307 * s * s);
}

#endif  // SCORELAB_IDEAL_SCORE_GLSL
