#include "app/gpu/gpu_score.hpp"

#include <cmath>
#include <iomanip>
#include <numbers>
#include <sstream>

#include "app/gpu/bindings.hpp"
#include "core/nn/packing.hpp"
#include "core/nn/score_network.hpp"

namespace scorelab {

namespace {

struct LevelRow {  // shaders/sde.glsl struct Level (std430: two vec4)
  float noise[4];  // t, m, s, c_in
  float sde[4];    // f, ½g², ∇·f, out_scale
};

// Component k of a prepared level, as mixture_score.glsl reads it. The same quantities as
// GaussianMixture's private cache (core/mixture.cpp): symmetrised Σ, its inverse and log_norm.
void prepare_components(const GaussianMixture& noised, std::vector<float>& out) {
  for (const GaussianComponent& c : noised.components()) {
    const Mat2 cov = 0.5 * (c.cov + c.cov.transpose());
    const Mat2 precision = cov.inverse();
    const double log_norm = std::log(c.weight) - 0.5 * std::log(cov.determinant()) - std::log(2.0 * std::numbers::pi);
    const float row[8] = {float(c.mean.x()),        float(c.mean.y()),        float(log_norm),
                          float(precision.trace()), float(precision(0, 0)),   float(precision(0, 1)),
                          float(precision(1, 1)),   0.0f};
    out.insert(out.end(), row, row + 8);
  }
}

thread_local long weight_uploads_ = 0;

bool layers_fit_uniform_blocks(const Std140Layout& lay, const Mlp<float>& net) {
  const GLint max_block = gpu::get_integer(GL_MAX_UNIFORM_BLOCK_SIZE);
  const GLint max_blocks = gpu::get_integer(GL_MAX_COMPUTE_UNIFORM_BLOCKS);
  const GLint align = gpu::get_integer(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT);
  if (max_blocks < net.layers() + 1 || align <= 0 || 256 % align != 0) return false;
  for (int l = 0; l < net.layers(); ++l)
    if (GLint(net.fan_out(l) * lay.row_stride[l] * 4) > max_block) return false;
  return lay.weights[0] * 4 <= max_block;
}

}  // namespace

GpuScore::GpuScore(GaussianMixture mixture) : mixture_(std::move(mixture)) {
  if (mixture_->size() > kMaxComponents)
    throw InputError("the GPU path takes mixtures of at most " + std::to_string(kMaxComponents) +
                     " components (got " + std::to_string(mixture_->size()) + "); use --backend cpu");
  defines_ = "#define MIX_K " + std::to_string(mixture_->size()) + "\n";
}

GpuScore::GpuScore(std::shared_ptr<const Mlp<float>> net, int batch, bool force_storage_buffer)
    : net_(std::move(net)), batch_(batch) {
  if (batch < 1 || batch > kNetworkBatch) throw std::invalid_argument("GpuScore: batch must be in [1, 8]");
  build_network_defines(force_storage_buffer);
}

GpuScore::GpuScore(std::shared_ptr<const Mlp<float>> net, NetworkKernel kernel)
    : net_(std::move(net)), batch_(kernel == NetworkKernel::fused ? 1 : kNetworkBatch), kernel_(kernel) {
  build_network_defines(false);
}

GpuScore::GpuScore(const EmpiricalScore& ideal) {
  const PointGrid& cells = ideal.cells();
  std::vector<float> points(2 * size_t(cells.size()));
  for (int i = 0; i < cells.size(); ++i) {
    points[2 * i] = float(cells.xs()[i]);
    points[2 * i + 1] = float(cells.ys()[i]);
  }
  ideal_points_ = gl::make_buffer();
  ideal_cells_ = gl::make_buffer();
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, ideal_points_, GLsizeiptr(points.size() * sizeof(float)), points.data(),
                 GL_STATIC_DRAW);
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, ideal_cells_, GLsizeiptr(cells.starts().size() * sizeof(int)),
                 cells.starts().data(), GL_STATIC_DRAW);
  // The grid's layout as compile-time constants (shaders/ideal_score.glsl), floats to 9 digits.
  std::ostringstream d;
  d << std::setprecision(9) << "#define SCORE_IDEAL 1\n#define IDEAL_NX " << cells.cells_x() << "\n#define IDEAL_NY "
    << cells.cells_y() << "\n#define IDEAL_N " << cells.size() << "\n#define IDEAL_SIDE float(" << cells.side()
    << ")\n#define IDEAL_LO vec2(" << cells.lo().x() << ", " << cells.lo().y() << ")\n#define IDEAL_CENTER vec2("
    << ideal.center().x() << ", " << ideal.center().y() << ")\n#define IDEAL_CUTOFF float(" << ideal.truncation_cutoff()
    << ")\n";
  defines_ = d.str();
}

bool GpuScore::mixture_uses_ubo() const {
  return mixture_ && 2 * 16 * mixture_->size() * kMixtureUboLevels <= 16384;  // the GL minimum block size
}

std::string GpuScore::defines_for(int levels_per_dispatch) const {
  if (!mixture_uses_ubo() || levels_per_dispatch > kMixtureUboLevels) return defines_;
  return defines_ + "#define MIX_UBO_VEC4 " + std::to_string(2 * mixture_->size() * kMixtureUboLevels) + "\n";
}

long GpuScore::weight_uploads_on_this_thread() { return weight_uploads_; }

GpuScore::~GpuScore() = default;
GpuScore::GpuScore(GpuScore&&) noexcept = default;
GpuScore& GpuScore::operator=(GpuScore&&) noexcept = default;

void GpuScore::build_network_defines(bool force_storage_buffer) {
  if (!net_) throw std::invalid_argument("GpuScore: null network");
  if (net_->layers() < 2 || net_->layers() > 9)
    throw InputError("the GPU network kernels take 1 to 8 hidden layers");
  const Mlp<float>& net = *net_;
  const Std140Layout lay = std140_layout(net);
  const std::vector<float> packed = pack_weights_std140(net);
  const int n_layers = net.layers();
  const std::string fused = fused_defines_or_fall_back();
  // The fused kernel stages its weights from the storage buffer itself (no uniform blocks).
  weight_ssbo_ = kernel_ == NetworkKernel::fused || force_storage_buffer || !layers_fit_uniform_blocks(lay, net);
  std::ostringstream d;
  d << "#define SCORE_MLP 1\n#define SCORE_BATCH " << batch_ << "\n#define MLP_LAYERS " << n_layers << "\n#define MLP_ACT "
    << static_cast<int>(net.config().activation) << "\n#define MLP_ENERGY " << (net.config().energy ? 1 : 0)
    << "\n#define MLP_SSBO " << (weight_ssbo_ ? 1 : 0) << "\n#define MLP_HEAD_VEC4 " << lay.weights[0] / 4 << "\n";
  for (int l = 0; l <= n_layers; ++l)
    d << "#define MLP_D" << l << " " << (l < n_layers ? net.fan_in(l) : net.output_dim()) << "\n";
  for (int l = 0; l < n_layers; ++l) {
    d << "#define MLP_B" << l << " " << lay.biases[l] / 4 << "\n";
    d << "#define MLP_WB" << l << " " << (weight_ssbo_ ? lay.weights[l] / 4 : 0) << "\n";
    d << "#define MLP_WSIZE" << l << " " << net.fan_out(l) * lay.row_stride[l] / 4 << "\n";
  }
  d << "#define MLP_BLAST MLP_B" << n_layers - 1 << "\n#define MLP_WBLAST MLP_WB" << n_layers - 1
    << "\n#define MLP_DLASTIN MLP_D" << n_layers - 1 << "\n";
  defines_ = d.str() + fused;

  block_offsets_.assign(1, 0);
  block_sizes_.assign(1, GLsizeiptr(lay.weights[0]) * 4);
  for (int l = 0; l < n_layers; ++l) {
    block_offsets_.push_back(GLintptr(lay.weights[l]) * 4);
    block_sizes_.push_back(GLsizeiptr(net.fan_out(l)) * lay.row_stride[l] * 4);
  }
  weights_ = gl::make_buffer();
  ++weight_uploads_;
  gpu::respecify(weight_ssbo_ ? GL_SHADER_STORAGE_BUFFER : GL_UNIFORM_BUFFER, weights_,
                 GLsizeiptr(packed.size() * sizeof(float)), packed.data(), GL_STATIC_DRAW);
}

// The fused kernel's defines for this context's shared memory, or "" with kernel_ back to lanes
// when the network is too wide for it.
std::string GpuScore::fused_defines_or_fall_back() {
  if (kernel_ != NetworkKernel::fused) return "";
  fused_shape_ = fused_mlp_shape(*net_, gpu::get_integer(GL_MAX_COMPUTE_SHARED_MEMORY_SIZE));
  if (!fused_shape_) {
    kernel_ = NetworkKernel::lanes;
    batch_ = kNetworkBatch;
    return "";
  }
  return fused_mlp_defines(*net_, *fused_shape_);
}

void GpuScore::upload_levels(const std::vector<GpuLevel>& levels, GpuLevelTable& table) const {
  std::vector<double> key;
  key.reserve(levels.size() * 6);
  for (const GpuLevel& l : levels)
    key.insert(key.end(), {l.level.t, l.level.m, l.level.s, l.drift, l.half_g2, l.drift_div});
  if (table.levels && key == table.key) return;
  for (gl::Buffer* b : {&table.levels, &table.components, &table.time_features})
    if (!*b) *b = gl::make_buffer();
  std::vector<LevelRow> rows;
  rows.reserve(levels.size());
  for (const GpuLevel& l : levels) {
    const NoiseLevel& n = l.level;
    const double c_in = net_ ? net_->input_scale(n.m, n.s) : 0.0;
    const double out_scale = net_ ? output_scale(n.s) : 0.0;
    rows.push_back({{float(n.t), float(n.m), float(n.s), float(c_in)},
                    {float(l.drift), float(l.half_g2), float(l.drift_div), float(out_scale)}});
  }
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, table.levels, GLsizeiptr(rows.size() * sizeof(LevelRow)), rows.data());
  table.count = int(levels.size());
  table.key = std::move(key);
  if (is_ideal()) return;  // the level rows are all the ideal score reads per level
  if (mixture_) {
    std::vector<float> comps;
    comps.reserve(levels.size() * mixture_->size() * 8);
    for (const GpuLevel& l : levels) prepare_components(mixture_->noised(l.level), comps);
    // At least the uniform block's declared size (kMixtureUboLevels levels), so it is always backed.
    comps.resize(std::max(comps.size(), size_t(8 * mixture_->size() * kMixtureUboLevels)), 0.0f);
    gpu::respecify(GL_SHADER_STORAGE_BUFFER, table.components, GLsizeiptr(comps.size() * sizeof(float)),
                   comps.data());
    return;
  }
  // The network's input at x = 0 from core's own feature code: rows 0, 1 are 0·c_in, the rest the
  // time features (t, or Fourier sin/cos computed in float), so the kernels read them bit for bit.
  const int n4 = pad4(net_->input_dim());
  std::vector<float> features(levels.size() * size_t(n4), 0.0f);
  Eigen::MatrixXf f;
  for (size_t i = 0; i < levels.size(); ++i) {
    net_->features(Points::Zero(2, 1), levels[i].level, f);
    for (int r = 0; r < net_->input_dim(); ++r) features[i * n4 + r] = f(r, 0);
  }
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, table.time_features, GLsizeiptr(features.size() * sizeof(float)),
                 features.data());
}

void GpuScore::bind(const GpuLevelTable& table) const {
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kLevels, table.levels.id());
  if (is_ideal()) {
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kIdealPoints, ideal_points_.id());
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kIdealCells, ideal_cells_.id());
    return;
  }
  if (mixture_) {
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kMixture, table.components.id());
    if (mixture_uses_ubo())
      glBindBufferRange(GL_UNIFORM_BUFFER, gpu::binding::kMixtureUbo, table.components.id(), 0,
                        GLsizeiptr(2 * 16 * mixture_->size() * kMixtureUboLevels));
    return;
  }
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kMlpTime, table.time_features.id());
  if (weight_ssbo_) {
    glBindBufferRange(GL_UNIFORM_BUFFER, gpu::binding::kMlpHead, weights_.id(), 0, block_sizes_[0]);
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kMlpWeightsSsbo, weights_.id());
    return;
  }
  for (size_t b = 0; b < block_offsets_.size(); ++b) {
    const GLuint point = b == 0 ? gpu::binding::kMlpHead : gpu::binding::kMlpLayer0 + GLuint(b - 1);
    glBindBufferRange(GL_UNIFORM_BUFFER, point, weights_.id(), block_offsets_[b], block_sizes_[b]);
  }
}

std::unique_ptr<GpuScore> make_gpu_score(const ScoreFunction& score) {
  if (const auto* mixture = dynamic_cast<const MixtureScore*>(&score))
    return std::make_unique<GpuScore>(mixture->mixture());
  if (const auto* network = dynamic_cast<const NetworkScore*>(&score)) {
    auto gpu = std::make_unique<GpuScore>(std::make_shared<const Mlp<float>>(network->net()), default_network_kernel());
    gpu->set_trained_sigma(network->trained_sigma());
    return gpu;
  }
  return nullptr;
}

}  // namespace scorelab
