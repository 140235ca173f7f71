// What the lab learns from: a Gaussian mixture, a classic toy set, or a drawn/loaded point set,
// and the exact ("true") score that goes with each.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/mixture.hpp"

namespace scorelab {

enum class DataKind { mixture, toy, points };

struct DataConfig {
  DataKind kind = DataKind::toy;
  GaussianMixture mixture;         // kind == mixture
  std::string toy = "8gaussians";  // kind == toy: a name from toy_names()
  int count = 10000;               // size of the training set drawn from a mixture or toy set
  uint32_t seed = 0;               // seed of that training set
  std::string file;                // kind == points: the CSV path as written in the scene
  Points points;                   // kind == points: the loaded points (2, n)
};

// The training set: `count` draws (mixture, toy) or the given points.
Points training_points(const DataConfig& data);

// Fresh draws from the true distribution (for metrics): independent of the training set when
// seed differs from data.seed. For a point set: draws with replacement from the points.
Points fresh_samples(const DataConfig& data, int n, uint32_t seed);

// The mixture behind the data when there is one (mixture kind, 8gaussians, ncsn).
std::optional<GaussianMixture> exact_mixture(const DataConfig& data);

// The true score: the mixture's exact score when there is one, else the ideal (empirical) score
// of the training set, which is exact for the noised empirical distribution.
std::unique_ptr<ScoreFunction> exact_score(const DataConfig& data);

}  // namespace scorelab
