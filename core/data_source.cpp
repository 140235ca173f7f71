#include "core/data_source.hpp"

#include "core/empirical_score.hpp"
#include "core/rng.hpp"
#include "core/toy_data.hpp"

namespace scorelab {

namespace {

// Stream of the with-replacement index draws from a point set (any stream unused by the others).
constexpr uint32_t kResampleStream = 21;

void require_count(int n, const char* what) {
  if (n <= 0) throw InputError(std::string(what) + ": must be a positive count (got " + std::to_string(n) + ")");
}

const GaussianMixture& checked_mixture(const DataConfig& data) {
  if (data.mixture.size() == 0) throw InputError("data.mixture: has no components");
  return data.mixture;
}

const Points& checked_points(const DataConfig& data) {
  if (data.points.cols() == 0)
    throw InputError("data.points: the point set is empty" + (data.file.empty() ? "" : " (file " + data.file + ")"));
  return data.points;
}

}  // namespace

Points training_points(const DataConfig& data) {
  switch (data.kind) {
    case DataKind::mixture:
      require_count(data.count, "data.count");
      return checked_mixture(data).sample(data.count, data.seed);
    case DataKind::toy:
      require_count(data.count, "data.count");
      return toy_samples(data.toy, data.count, data.seed);
    case DataKind::points:
      return checked_points(data);
  }
  throw std::logic_error("training_points: unknown DataKind");
}

Points fresh_samples(const DataConfig& data, int n, uint32_t seed) {
  if (n < 0) throw InputError("fresh samples: count must be >= 0 (got " + std::to_string(n) + ")");
  switch (data.kind) {
    case DataKind::mixture:
      return checked_mixture(data).sample(n, seed);
    case DataKind::toy:
      return toy_samples(data.toy, n, seed);
    case DataKind::points: {
      // The empirical distribution of the set: uniform draws with replacement.
      const Points& pts = checked_points(data);
      Points out(2, n);
      RngStream rng(seed, kResampleStream);
      for (int i = 0; i < n; ++i) out.col(i) = pts.col(rng.below(static_cast<int>(pts.cols())));
      return out;
    }
  }
  throw std::logic_error("fresh_samples: unknown DataKind");
}

std::optional<GaussianMixture> exact_mixture(const DataConfig& data) {
  switch (data.kind) {
    case DataKind::mixture: return checked_mixture(data);
    case DataKind::toy: return toy_mixture(data.toy);
    case DataKind::points: return std::nullopt;
  }
  throw std::logic_error("exact_mixture: unknown DataKind");
}

std::unique_ptr<ScoreFunction> exact_score(const DataConfig& data) {
  if (auto mixture = exact_mixture(data)) return std::make_unique<MixtureScore>(std::move(*mixture));
  return std::make_unique<EmpiricalScore>(training_points(data));
}

}  // namespace scorelab
