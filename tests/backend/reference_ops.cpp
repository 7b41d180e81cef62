// The float64 reference of the Backend operations: plain loops over the PyTorch formulas.
#include "reference_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnstudio::test::ref {

namespace {

constexpr double kPi = 3.14159265358979323846;
// torch.nn.SELU's constants (its documentation).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

size_t at(int64_t i) { return static_cast<size_t>(i); }

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// ATen's mean for `reduction='mean'` of an empty tensor is 0/0 = NaN, as here.
double reduce(double sum, double count, LossReduction r) { return r == LossReduction::Mean ? sum / count : sum; }

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const Vec& a, int64_t lda, const Vec& b,
          int64_t ldb, double beta, Vec& c, int64_t ldc, const Vec* bias, Activation act, const ActivationParams& p,
          Vec* magnitude) {
    if (magnitude) magnitude->assign(at(m * n), 0.0);
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            double sum = 0, size = 0;
            for (int64_t l = 0; l < k; ++l) {
                const double ail = trans_a ? a[at(l * lda + i)] : a[at(i * lda + l)];
                const double blj = trans_b ? b[at(j * ldb + l)] : b[at(l * ldb + j)];
                sum += ail * blj;
                size += std::fabs(ail * blj);
            }
            double& cij = c[at(i * ldc + j)];
            // beta = 0 overwrites: C is not read (BLAS's rule), so a NaN there does not survive.
            if (beta != 0) {
                sum += beta * cij;
                size += std::fabs(beta * cij);
            }
            if (bias) {
                sum += (*bias)[at(j)];
                size += std::fabs((*bias)[at(j)]);
            }
            cij = activation(act, p, sum);
            if (magnitude) (*magnitude)[at(i * n + j)] = size;
        }
    }
}

void bias_grad(const Vec& g, int64_t rows, int64_t n, Vec& db) {
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < n; ++j) db[at(j)] += g[at(r * n + j)];
}

double activation(Activation a, const ActivationParams& p, double x) {
    switch (a) {
    case Activation::Identity: return x;
    case Activation::ReLU: return x > 0 ? x : 0.0;
    case Activation::LeakyReLU: return x > 0 ? x : p.alpha * x;
    case Activation::GELU:
        if (p.approximate_tanh)  // torch.nn.GELU(approximate='tanh')
            return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / kPi) * (x + 0.044715 * x * x * x)));
        return x * 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));  // x·Φ(x)
    case Activation::Sigmoid: return sigmoid(x);
    case Activation::Tanh: return std::tanh(x);
    case Activation::ELU: return x > 0 ? x : p.alpha * std::expm1(x);
    case Activation::SELU: return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x));
    case Activation::SiLU: return x * sigmoid(x);
    case Activation::Mish: return x * std::tanh(std::log1p(std::exp(x)));
    case Activation::Softplus:  // linear above the threshold (torch.nn.Softplus)
        return x * p.beta > p.threshold ? x : std::log1p(std::exp(p.beta * x)) / p.beta;
    case Activation::Hardtanh: return std::clamp(x, p.min_val, p.max_val);
    }
    return std::numeric_limits<double>::quiet_NaN();
}

double activation_grad(Activation a, const ActivationParams& p, double x, double y, double g) {
    switch (a) {
    case Activation::Identity: return g;
    case Activation::ReLU: return y > 0 ? g : 0.0;  // threshold_backward(g, result, 0)
    case Activation::LeakyReLU: return x > 0 ? g : g * p.alpha;
    case Activation::GELU:
        if (p.approximate_tanh) {  // ATen's GeluBackwardKernel, approximate == tanh
            const double k_beta = std::sqrt(2.0 / kPi), k_kappa = 0.044715;
            const double inner = k_beta * (x + k_kappa * x * x * x);
            const double t = std::tanh(inner);
            const double left_derivative = 0.5 * (1.0 + t);
            const double right_derivative = 0.5 * x * (1.0 - t * t) * k_beta * (1.0 + 3.0 * k_kappa * x * x);
            return g * (left_derivative + right_derivative);
        } else {  // Φ(x) + x·φ(x)
            const double cdf = 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));
            const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2.0 * kPi);
            return g * (cdf + x * pdf);
        }
    case Activation::Sigmoid: return g * (1.0 - y) * y;  // sigmoid_backward(g, result)
    case Activation::Tanh: return g * (1.0 - y * y);     // tanh_backward(g, result)
    // elu_backward(g, alpha, scale, input_scale, is_result=false, x): x <= 0 takes the exp branch
    case Activation::ELU: return x <= 0 ? g * p.alpha * std::exp(x) : g;
    case Activation::SELU: return x <= 0 ? g * kSeluScale * kSeluAlpha * std::exp(x) : g * kSeluScale;
    case Activation::SiLU: {
        const double s = sigmoid(x);
        return g * s * (1.0 + x * (1.0 - s));
    }
    case Activation::Mish: {  // ATen's mish_backward
        const double s = sigmoid(x);
        const double t = std::tanh(std::log1p(std::exp(x)));
        return g * (t + x * s * (1.0 - t * t));
    }
    case Activation::Softplus: {  // ATen's softplus_backward: z = e^{βx}, g·z/(z+1) below the threshold
        const double z = std::exp(x * p.beta);
        return x * p.beta > p.threshold ? g : g * z / (z + 1.0);
    }
    case Activation::Hardtanh:  // hardtanh_backward: 0 at and beyond the bounds
        return (x <= p.min_val || x >= p.max_val) ? 0.0 : g;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

double activation_lipschitz(Activation a, const ActivationParams& p) {
    switch (a) {
    case Activation::LeakyReLU: return std::max(1.0, std::fabs(p.alpha));
    case Activation::ELU: return std::max(1.0, std::fabs(p.alpha));
    case Activation::SELU: return kSeluScale * kSeluAlpha;
    case Activation::GELU: return 1.13;  // max of Φ(x) + xφ(x) (and of its tanh form)
    case Activation::SiLU: return 1.1;   // max of σ(x)(1 + x(1-σ(x))) ≈ 1.0998
    case Activation::Mish: return 1.1;   // ≈ 1.089
    default: return 1.0;
    }
}

void prelu_forward(const Vec& x, const Vec& w, int64_t outer, int64_t channels, int64_t inner, Vec& y) {
    y.assign(x.size(), 0.0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t i = 0; i < inner; ++i) {
                const size_t idx = at((o * channels + c) * inner + i);
                const double wc = w.size() == 1 ? w[0] : w[at(c)];
                y[idx] = x[idx] > 0 ? x[idx] : wc * x[idx];
            }
}

void prelu_backward(const Vec& x, const Vec& w, const Vec& g, int64_t outer, int64_t channels, int64_t inner,
                    Vec& dx, Vec& dw) {
    dx.assign(x.size(), 0.0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t i = 0; i < inner; ++i) {
                const size_t idx = at((o * channels + c) * inner + i);
                const size_t wi = w.size() == 1 ? 0 : at(c);
                dx[idx] = x[idx] > 0 ? g[idx] : w[wi] * g[idx];
                if (!(x[idx] > 0)) dw[wi] += g[idx] * x[idx];
            }
}

void softmax_forward(const Vec& x, int64_t outer, int64_t n, int64_t inner, bool log, Vec& y) {
    y.assign(x.size(), 0.0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i) {
            auto idx = [&](int64_t j) { return at((o * n + j) * inner + i); };
            double mx = -std::numeric_limits<double>::infinity();
            for (int64_t j = 0; j < n; ++j) mx = std::max(mx, x[idx(j)]);
            double sum = 0;
            for (int64_t j = 0; j < n; ++j) sum += std::exp(x[idx(j)] - mx);
            for (int64_t j = 0; j < n; ++j)
                y[idx(j)] = log ? x[idx(j)] - mx - std::log(sum) : std::exp(x[idx(j)] - mx) / sum;
        }
}

void softmax_backward(const Vec& y, const Vec& g, int64_t outer, int64_t n, int64_t inner, bool log, Vec& dx) {
    dx.assign(y.size(), 0.0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i) {
            auto idx = [&](int64_t j) { return at((o * n + j) * inner + i); };
            double sum = 0;  // Σ g·y (softmax) or Σ g (log_softmax)
            for (int64_t j = 0; j < n; ++j) sum += log ? g[idx(j)] : g[idx(j)] * y[idx(j)];
            for (int64_t j = 0; j < n; ++j)
                dx[idx(j)] = log ? g[idx(j)] - std::exp(y[idx(j)]) * sum : y[idx(j)] * (g[idx(j)] - sum);
        }
}

void batch_norm_statistics(const Vec& x, int64_t n, int64_t c, Vec& mean, Vec& var_biased) {
    mean.assign(at(c), 0.0);
    var_biased.assign(at(c), 0.0);
    for (int64_t ch = 0; ch < c; ++ch) {
        double sum = 0;
        for (int64_t r = 0; r < n; ++r) sum += x[at(r * c + ch)];
        mean[at(ch)] = sum / static_cast<double>(n);
        double sq = 0;
        for (int64_t r = 0; r < n; ++r) sq += (x[at(r * c + ch)] - mean[at(ch)]) * (x[at(r * c + ch)] - mean[at(ch)]);
        var_biased[at(ch)] = sq / static_cast<double>(n);
    }
}

void batch_norm_update_running(const Vec& mean, const Vec& var_biased, int64_t n, double momentum,
                               Vec& running_mean, Vec& running_var) {
    const double unbias = static_cast<double>(n) / static_cast<double>(n - 1);
    for (size_t ch = 0; ch < mean.size(); ++ch) {
        running_mean[ch] = (1.0 - momentum) * running_mean[ch] + momentum * mean[ch];
        running_var[ch] = (1.0 - momentum) * running_var[ch] + momentum * var_biased[ch] * unbias;
    }
}

Vec batch_norm_invstd(const Vec& var, double eps) {
    Vec invstd(var.size());
    for (size_t ch = 0; ch < var.size(); ++ch) invstd[ch] = 1.0 / std::sqrt(var[ch] + eps);
    return invstd;
}

void batch_norm_apply(const Vec& x, int64_t n, int64_t c, const Vec& mean, const Vec& invstd, const Vec* gamma,
                      const Vec* beta, Vec& y, Vec& xhat) {
    y.assign(x.size(), 0.0);
    xhat.assign(x.size(), 0.0);
    for (int64_t r = 0; r < n; ++r)
        for (int64_t ch = 0; ch < c; ++ch) {
            const size_t idx = at(r * c + ch);
            xhat[idx] = (x[idx] - mean[at(ch)]) * invstd[at(ch)];
            y[idx] = xhat[idx] * (gamma ? (*gamma)[at(ch)] : 1.0) + (beta ? (*beta)[at(ch)] : 0.0);
        }
}

void batch_norm_backward(const Vec& g, const Vec& xhat, const Vec& invstd, const Vec* gamma, int64_t n, int64_t c,
                         bool batch_stats, Vec& dx, Vec* dgamma, Vec* dbeta) {
    dx.assign(g.size(), 0.0);
    for (int64_t ch = 0; ch < c; ++ch) {
        double sum_g = 0, sum_gx = 0;
        for (int64_t r = 0; r < n; ++r) {
            sum_g += g[at(r * c + ch)];
            sum_gx += g[at(r * c + ch)] * xhat[at(r * c + ch)];
        }
        if (dgamma) (*dgamma)[at(ch)] += sum_gx;
        if (dbeta) (*dbeta)[at(ch)] += sum_g;
        const double scale = (gamma ? (*gamma)[at(ch)] : 1.0) * invstd[at(ch)];
        for (int64_t r = 0; r < n; ++r) {
            const size_t idx = at(r * c + ch);
            dx[idx] = batch_stats ? scale * (g[idx] - sum_g / n - xhat[idx] * sum_gx / n) : scale * g[idx];
        }
    }
}

void layer_norm_forward(const Vec& x, int64_t rows, int64_t width, double eps, const Vec* gamma, const Vec* beta,
                        Vec& y, Vec& xhat, Vec& invstd) {
    y.assign(x.size(), 0.0);
    xhat.assign(x.size(), 0.0);
    invstd.assign(at(rows), 0.0);
    for (int64_t r = 0; r < rows; ++r) {
        double mean = 0, var = 0;
        for (int64_t j = 0; j < width; ++j) mean += x[at(r * width + j)];
        mean /= static_cast<double>(width);
        for (int64_t j = 0; j < width; ++j) var += (x[at(r * width + j)] - mean) * (x[at(r * width + j)] - mean);
        var /= static_cast<double>(width);
        invstd[at(r)] = 1.0 / std::sqrt(var + eps);
        for (int64_t j = 0; j < width; ++j) {
            const size_t idx = at(r * width + j);
            xhat[idx] = (x[idx] - mean) * invstd[at(r)];
            y[idx] = xhat[idx] * (gamma ? (*gamma)[at(j)] : 1.0) + (beta ? (*beta)[at(j)] : 0.0);
        }
    }
}

void layer_norm_backward(const Vec& g, const Vec& xhat, const Vec& invstd, int64_t rows, int64_t width,
                         const Vec* gamma, Vec& dx, Vec* dgamma, Vec* dbeta) {
    dx.assign(g.size(), 0.0);
    for (int64_t r = 0; r < rows; ++r) {
        double mean_gh = 0, mean_ghx = 0;  // mean(ĝ), mean(ĝ·x̂)
        for (int64_t j = 0; j < width; ++j) {
            const size_t idx = at(r * width + j);
            const double gh = g[idx] * (gamma ? (*gamma)[at(j)] : 1.0);
            mean_gh += gh;
            mean_ghx += gh * xhat[idx];
            if (dgamma) (*dgamma)[at(j)] += g[idx] * xhat[idx];
            if (dbeta) (*dbeta)[at(j)] += g[idx];
        }
        mean_gh /= static_cast<double>(width);
        mean_ghx /= static_cast<double>(width);
        for (int64_t j = 0; j < width; ++j) {
            const size_t idx = at(r * width + j);
            const double gh = g[idx] * (gamma ? (*gamma)[at(j)] : 1.0);
            dx[idx] = invstd[at(r)] * (gh - mean_gh - xhat[idx] * mean_ghx);
        }
    }
}

uint64_t splitmix64(uint64_t z) {  // SplitMix64's output function (Steele, Lea, Flood 2014)
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

Vec dropout_mask(uint64_t key, double p, int64_t n) {
    Vec mask(at(n));
    const double keep_below = (1.0 - p) * 4294967296.0;  // (1-p)·2^32
    const double scale = p == 1.0 ? 0.0 : 1.0 / (1.0 - p);
    for (int64_t i = 0; i < n; ++i) {
        const uint64_t bits = splitmix64(key + static_cast<uint64_t>(i / 2) * 0x9E3779B97F4A7C15ull);
        const uint64_t u = i % 2 == 0 ? (bits & 0xffffffffull) : (bits >> 32);
        mask[at(i)] = static_cast<double>(u) < keep_below ? scale : 0.0;
    }
    return mask;
}

LossResult nll(const Vec& input, const Vec& target, int64_t batch, int64_t classes, const Vec* weight,
               int64_t ignore_index, LossReduction r) {
    LossResult out;
    out.grad.assign(at(batch * classes), 0.0);
    double sum = 0, total_weight = 0;
    for (int64_t b = 0; b < batch; ++b) {
        const auto t = static_cast<int64_t>(target[at(b)]);
        if (t == ignore_index) continue;
        const double w = weight ? (*weight)[at(t)] : 1.0;
        sum += -w * input[at(b * classes + t)];
        total_weight += w;
    }
    out.value = reduce(sum, total_weight, r);
    const double denom = r == LossReduction::Mean ? total_weight : 1.0;
    for (int64_t b = 0; b < batch; ++b) {
        const auto t = static_cast<int64_t>(target[at(b)]);
        if (t == ignore_index) continue;
        out.grad[at(b * classes + t)] = -(weight ? (*weight)[at(t)] : 1.0) / denom;
    }
    return out;
}

LossResult cross_entropy(const Vec& input, const Vec& target, int64_t batch, int64_t classes, const Vec* weight,
                         int64_t ignore_index, double label_smoothing, LossReduction r) {
    Vec logp;
    softmax_forward(input, batch, classes, 1, true, logp);
    // nll_loss_nd(log_softmax(x)) and its gradient through the log-softmax: dL/dx = dL/dlogp - p·Σ dL/dlogp
    const LossResult nll_part = nll(logp, target, batch, classes, weight, ignore_index, r);
    // smooth_loss = -Σ_c w_c·logp_c per row, 0 for ignored rows; mean divides by Σ w_target (weights)
    // or the count of rows not ignored (PyTorch 1.13, checked against it).
    double smooth_sum = 0, total_weight = 0;
    Vec dsmooth(at(batch * classes), 0.0);  // d(Σ rows' smooth_loss)/dlogp
    for (int64_t b = 0; b < batch; ++b) {
        const auto t = static_cast<int64_t>(target[at(b)]);
        if (t == ignore_index) continue;
        total_weight += weight ? (*weight)[at(t)] : 1.0;
        for (int64_t c = 0; c < classes; ++c) {
            const double wc = weight ? (*weight)[at(c)] : 1.0;
            smooth_sum += -wc * logp[at(b * classes + c)];
            dsmooth[at(b * classes + c)] = -wc;
        }
    }
    const double eps = label_smoothing, cls = static_cast<double>(classes);
    const double smooth_denom = r == LossReduction::Mean ? total_weight : 1.0;
    LossResult out;
    out.value = (1.0 - eps) * nll_part.value + eps / cls * reduce(smooth_sum, total_weight, r);
    out.grad.assign(at(batch * classes), 0.0);
    for (int64_t b = 0; b < batch; ++b) {
        if (static_cast<int64_t>(target[at(b)]) == ignore_index) continue;  // its row's gradient is 0
        Vec dlogp(at(classes));
        double dsum = 0;
        for (int64_t c = 0; c < classes; ++c) {
            const size_t idx = at(b * classes + c);
            dlogp[at(c)] = (1.0 - eps) * nll_part.grad[idx] + eps / cls * dsmooth[idx] / smooth_denom;
            dsum += dlogp[at(c)];
        }
        for (int64_t c = 0; c < classes; ++c)
            out.grad[at(b * classes + c)] = dlogp[at(c)] - std::exp(logp[at(b * classes + c)]) * dsum;
    }
    return out;
}

LossResult mse(const Vec& input, const Vec& target, LossReduction r) {
    LossResult out;
    const double count = static_cast<double>(input.size());
    const double denom = r == LossReduction::Mean ? count : 1.0;
    double sum = 0;
    out.grad.resize(input.size());
    for (size_t i = 0; i < input.size(); ++i) {
        const double d = input[i] - target[i];
        sum += d * d;
        out.grad[i] = 2.0 * d / denom;
    }
    out.value = reduce(sum, count, r);
    return out;
}

LossResult l1(const Vec& input, const Vec& target, LossReduction r) {
    LossResult out;
    const double count = static_cast<double>(input.size());
    const double denom = r == LossReduction::Mean ? count : 1.0;
    double sum = 0;
    out.grad.resize(input.size());
    for (size_t i = 0; i < input.size(); ++i) {
        const double d = input[i] - target[i];
        sum += std::fabs(d);
        out.grad[i] = (d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0) / denom;  // sign(0) = 0
    }
    out.value = reduce(sum, count, r);
    return out;
}

LossResult bce_with_logits(const Vec& input, const Vec& target, int64_t last_dim, const Vec* weight,
                           const Vec* pos_weight, LossReduction r) {
    LossResult out;
    const double count = static_cast<double>(input.size());
    const double denom = r == LossReduction::Mean ? count : 1.0;
    auto broadcast = [&](const Vec* v, size_t i) {
        return !v ? 1.0 : v->size() == 1 ? (*v)[0] : (*v)[i % static_cast<size_t>(last_dim)];
    };
    double sum = 0;
    out.grad.resize(input.size());
    for (size_t i = 0; i < input.size(); ++i) {
        const double x = input[i], t = target[i], w = broadcast(weight, i), pw = broadcast(pos_weight, i);
        // ATen's binary_cross_entropy_with_logits: (1-t)·x + (1 + (pw-1)·t)·(log(1 + e^-x)), the
        // log term as max_val + log(e^-max_val + e^(-x-max_val)), max_val = max(-x, 0)
        const double max_val = std::max(-x, 0.0);
        const double log_weight = (pw - 1.0) * t + 1.0;
        const double log1p_exp = max_val + std::log(std::exp(-max_val) + std::exp(-x - max_val));
        sum += w * ((1.0 - t) * x + log_weight * log1p_exp);
        // binary_cross_entropy_with_logits_backward: ((pw·t + 1 - t)·σ(x) - pw·t)·w
        out.grad[i] = ((pw * t + 1.0 - t) * sigmoid(x) - pw * t) * w / denom;
    }
    out.value = reduce(sum, count, r);
    return out;
}

void moments(const Vec& x, double out[2]) {
    out[0] = out[1] = 0;
    for (double v : x) {
        out[0] += v;
        out[1] += v * v;
    }
}

void sgd_step(const SgdStepDesc& d, Vec& param, const Vec& grad, Vec& momentum_buffer) {
    for (size_t i = 0; i < param.size(); ++i) {
        double d_p = d.maximize ? -grad[i] : grad[i];
        if (d.weight_decay != 0) d_p += d.weight_decay * param[i];
        if (d.momentum != 0) {
            double& buf = momentum_buffer[i];
            buf = d.first_step ? d_p : d.momentum * buf + (1.0 - d.dampening) * d_p;  // clone on the first step
            d_p = d.nesterov ? d_p + d.momentum * buf : buf;
        }
        param[i] += -d.lr * d_p;
    }
}

void adam_step(const AdamStepDesc& d, Vec& param, const Vec& grad, Vec& exp_avg, Vec& exp_avg_sq,
               Vec& max_exp_avg_sq) {
    const double t = static_cast<double>(d.step);
    const double bias_correction1 = 1.0 - std::pow(d.beta1, t);
    const double bias_correction2 = 1.0 - std::pow(d.beta2, t);
    const double step_size = d.lr / bias_correction1;
    for (size_t i = 0; i < param.size(); ++i) {
        double g = d.maximize ? -grad[i] : grad[i];
        if (d.decoupled_weight_decay)
            param[i] *= 1.0 - d.lr * d.weight_decay;  // AdamW
        else if (d.weight_decay != 0)
            g += d.weight_decay * param[i];
        exp_avg[i] = d.beta1 * exp_avg[i] + (1.0 - d.beta1) * g;
        exp_avg_sq[i] = d.beta2 * exp_avg_sq[i] + (1.0 - d.beta2) * g * g;
        double second = exp_avg_sq[i];
        if (d.amsgrad) {
            max_exp_avg_sq[i] = std::max(max_exp_avg_sq[i], exp_avg_sq[i]);
            second = max_exp_avg_sq[i];
        }
        const double denom = std::sqrt(second) / std::sqrt(bias_correction2) + d.eps;
        param[i] += -step_size * exp_avg[i] / denom;
    }
}

}  // namespace nnstudio::test::ref
