// What a class-conditional network (train.conditional) trains on beside the points: each training
// point's class label, and the model config with its K + 1 label inputs (ModelConfig::classes).
#pragma once

#include <string_view>

#include "core/data_source.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

// The class label of each training point (n): a mixture's points as training_points() draws them get
// the component that drew them (GaussianMixture::sample_components); any other points (edited, or a
// toy set with an exact mixture such as 8gaussians) their most responsible component argmaxₖ rₖ(x).
// Throws InputError "<prefix>.conditional: ..." for data without components (a drawn point set, a
// toy set without a mixture) or with a single one.
Eigen::VectorXi class_labels(const DataConfig& data, const Points& points, std::string_view prefix = "scene.train");

struct LabelledTraining {
  ModelConfig model;       // classes = K for a conditional run, else 0
  Eigen::VectorXi labels;  // (n) for a conditional run, else empty
};
// The model config and labels a run of `train` on `points` (the data's training set) needs.
LabelledTraining labelled_training(const TrainConfig& train, ModelConfig model, const DataConfig& data,
                                   const Points& points, std::string_view prefix = "scene.train");

}  // namespace scorelab
