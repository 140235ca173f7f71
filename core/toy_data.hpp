// The classic 2D toy sets, as defined in FFJORD's lib/toy_data.py (Grathwohl et al. 2019), plus the
// NCSN two-Gaussian toy of THEORY.md §7. Deterministic for a seed: all randomness is core/rng.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mixture.hpp"

namespace scorelab {

// "8gaussians", "checkerboard", "rings", "circles", "moons", "swissroll", "2spirals", "pinwheel", "ncsn".
const std::vector<std::string>& toy_names();

// n draws (n ≥ 0) as a (2, n) batch. Sets with a fixed class split (rings, circles, moons, 2spirals,
// pinwheel) follow FFJORD's split and put the remainder where FFJORD (or sklearn) puts it, so every
// call returns exactly n points; points come in class order (FFJORD's shuffles are not reproduced).
// Point i of the per-point sets (8gaussians, checkerboard, swissroll, ncsn) depends only on (seed, i).
Points toy_samples(std::string_view name, int n, uint32_t seed);

// The exact mixture behind a toy set: "8gaussians" and "ncsn"; nullopt for the others.
std::optional<GaussianMixture> toy_mixture(std::string_view name);

// Differential entropy in nats (THEORY.md §5): the lowest NLL any model can reach on the set.
double toy_entropy(std::string_view name);

}  // namespace scorelab
