#include "core/nn/guided_network.hpp"

#include <cmath>
#include <string>

#include "core/types.hpp"

namespace scorelab {

namespace {

const std::shared_ptr<const Mlp<float>>& checked(const std::shared_ptr<const Mlp<float>>& net, int k, double w) {
  if (!net) throw InputError("classifier-free guidance: no network");
  if (net->classes() == 0)
    throw InputError("classifier-free guidance needs a class-conditional model (train with \"conditional\": true)");
  if (k < 0 || k >= net->classes())
    throw InputError("classifier-free guidance: class " + std::to_string(k) + " is not one of the model's " +
                     std::to_string(net->classes()) + " classes (0 to " + std::to_string(net->classes() - 1) + ")");
  if (!std::isfinite(w)) throw InputError("classifier-free guidance: w must be finite");
  return net;
}

}  // namespace

ClassifierFreeScore::ClassifierFreeScore(std::shared_ptr<const Mlp<float>> net, int k, double w)
    : uncond_(checked(net, k, w)), cond_(net, k), w_(w) {}

void ClassifierFreeScore::set_trained_sigma(std::optional<double> sigma) {
  uncond_.set_trained_sigma(sigma);
  cond_.set_trained_sigma(sigma);
}

void ClassifierFreeScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  if (w_ == 0) return uncond_.score(x, level, out);
  if (w_ == 1) return cond_.score(x, level, out);
  Points u;
  uncond_.score(x, level, u);
  cond_.score(x, level, out);
  out = (1 - w_) * u + w_ * out;
}

void ClassifierFreeScore::score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                                               Scalars& div) const {
  if (w_ == 0) return uncond_.score_and_divergence(x, level, out, div);
  if (w_ == 1) return cond_.score_and_divergence(x, level, out, div);
  Points u;
  Scalars du;
  uncond_.score_and_divergence(x, level, u, du);
  cond_.score_and_divergence(x, level, out, div);
  out = (1 - w_) * u + w_ * out;  // the divergence is linear too
  div = (1 - w_) * du + w_ * div;
}

}  // namespace scorelab
