// The Noise panel's draggable schedule curves (issue 15, "Schedule explorer"): which parameter each
// handle moves, where on which plot it sits, and the inverse map from a dragged plot value back to the
// parameter, clamped to the sliders' ranges with σ_min < σ_max and β_min ≤ β_max kept.
//
//   log₁₀ SNR(t) plot, SNR = m²/s² (THEORY.md §3), t from the sampling ε (left) to 1 (right):
//     VE-type (VE, geometric, EDM): σ_min at t = ε (log₁₀ SNR ≈ −2 log₁₀ σ_min), σ_max at t = 1 (= −2 log₁₀ σ_max);
//     VP, sub-VP: β_min at t = ε (B(ε) ≈ β_min·ε), β_max at t = 1 (B(1) = ½(β_min + β_max)).
//   EDM levels plot, log₁₀ σ(u) = ρ·log₁₀(σ_max^(1/ρ) + u(σ_min^(1/ρ) − σ_max^(1/ρ))), u from 0 to 1:
//     ρ at the middle, u = ½ (larger ρ crowds the levels towards σ_min, lowering it).
// Pure math, no ImGui: tests/app/test_schedule_drag.cpp.
#pragma once

#include <string>
#include <vector>

#include "core/schedules.hpp"

namespace scorelab {

enum class ScheduleParam { sigma_min, sigma_max, beta_min, beta_max, rho };
enum class ScheduleCurve { log_snr, edm_levels };

struct ScheduleHandle {
  ScheduleParam param;
  ScheduleCurve curve;
  double x;      // along the plot's x axis: 0 at its left end, 1 at its right
  double value;  // the plotted value there
};

// The handles the schedule's kind has (2 on the SNR plot; EDM also ρ on its levels plot).
std::vector<ScheduleHandle> schedule_handles(const NoiseConfig& config);

double param_value(const NoiseConfig& config, ScheduleParam param);
void set_param(NoiseConfig& config, ScheduleParam param, double value);
const char* param_name(ScheduleParam param);  // "σ_max"
// What the parameter does and the formula its handle follows, for the handle's tooltip.
const char* param_formula(ScheduleParam param);

// The plotted value at the parameter's handle.
double handle_value(const NoiseConfig& config, ScheduleParam param);

struct ParamRange {
  double lo, hi;
};
// Where a drag may take the parameter: the slider's range (widened to hold the current value), and
// σ_min ≤ σ_max / 1.01, σ_max ≥ 1.01·σ_min, β_min ≤ β_max.
ParamRange drag_range(const NoiseConfig& config, ScheduleParam param);

// The config with `param` set so that its curve passes through `target` at the handle (the plotted
// value is monotone in the parameter; bisection in log space), clamped to drag_range: a target beyond
// what the range reaches gives the range's end. Always a valid config (validate() passes).
NoiseConfig drag_param(const NoiseConfig& config, ScheduleParam param, double target);

// A plot's inner rectangle on screen (pixels, y down) and its value range (hi at the top), as ImGui's
// PlotLines draws it: index i of n at x = left + i/(n − 1)·(right − left).
struct PlotRect {
  double left = 0, top = 0, right = 1, bottom = 1;
  double lo = 0, hi = 1;
};
double pixel_x(const PlotRect& rect, double x);     // x in [0, 1] along the axis
double pixel_y(const PlotRect& rect, double value);  // not clamped
double value_at_y(const PlotRect& rect, double y);

// The EDM levels curve, n points of log₁₀ σ(u) for u from 0 (σ_max) to 1 (σ_min).
std::vector<float> edm_level_curve(const NoiseConfig& config, int n);

}  // namespace scorelab
