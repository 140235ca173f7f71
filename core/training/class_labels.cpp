#include "core/training/class_labels.hpp"

#include <string>

namespace scorelab {

Eigen::VectorXi class_labels(const DataConfig& data, const Points& points, std::string_view prefix) {
  const std::string key = std::string(prefix) + ".conditional";
  const std::optional<GaussianMixture> mixture = exact_mixture(data);
  if (!mixture)
    throw InputError(key + ": a class-conditional model needs data with classes (a mixture, or a toy set with "
                     "components such as 8gaussians); " +
                     (data.kind == DataKind::points ? std::string("a point set") : "toy set '" + data.toy + "'") +
                     " has none");
  if (mixture->size() < 2) throw InputError(key + ": the data has a single component, so no class to condition on");
  Eigen::VectorXi out(points.cols());
  // The training set exactly as training_points() draws it: replay the component of each draw.
  if (data.kind == DataKind::mixture && points.cols() == data.count &&
      points == mixture->sample(data.count, data.seed)) {
    const std::vector<int> drawn = mixture->sample_components(data.count, data.seed);
    for (Eigen::Index i = 0; i < out.size(); ++i) out[i] = drawn[i];
    return out;
  }
  for (Eigen::Index i = 0; i < points.cols(); ++i) out[i] = mixture->most_responsible(points.col(i));
  return out;
}

LabelledTraining labelled_training(const TrainConfig& train, ModelConfig model, const DataConfig& data,
                                   const Points& points, std::string_view prefix) {
  LabelledTraining out;
  model.classes = 0;
  if (train.conditional) {
    out.labels = class_labels(data, points, prefix);
    model.classes = exact_mixture(data)->size();
  }
  out.model = model;
  return out;
}

}  // namespace scorelab
