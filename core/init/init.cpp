// torch.nn.init semantics on Tensors; formulas follow torch/nn/init.py (PyTorch 1.13) line by line.
#include "init/init.h"

#include "backend/cpu/host_linalg.h"
#include "error.h"
#include "util/json_options.h"
#include "util/number_text.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace nnstudio::init {
namespace {

const std::vector<std::string> kLinearFns = {"linear",           "conv1d",           "conv2d",
                                             "conv3d",           "conv_transpose1d", "conv_transpose2d",
                                             "conv_transpose3d"};

// Φ⁻¹(p): Acklam's rational approximation, then one Halley step on erfc -> ~1e-15 relative.
double normal_quantile(double p) {
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01,  -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    p = std::clamp(p, 1e-300, 1.0 - 1e-16);
    const double p_low = 0.02425;
    double x;
    if (p < p_low || p > 1.0 - p_low) {
        const double q = std::sqrt(-2.0 * std::log(p < p_low ? p : 1.0 - p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
        if (p > p_low) x = -x;
    } else {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    }
    const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    return x - u / (1.0 + x * u / 2.0);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

}  // namespace

std::vector<std::string> nonlinearity_names() {
    std::vector<std::string> names = kLinearFns;
    for (const char* n : {"sigmoid", "tanh", "relu", "leaky_relu", "selu"}) names.emplace_back(n);
    return names;
}

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
    if (std::find(kLinearFns.begin(), kLinearFns.end(), nonlinearity) != kLinearFns.end() ||
        nonlinearity == "sigmoid")
        return 1.0;
    if (nonlinearity == "tanh") return 5.0 / 3.0;
    if (nonlinearity == "relu") return std::sqrt(2.0);
    if (nonlinearity == "leaky_relu") {
        const double slope = param.value_or(0.01);
        return std::sqrt(2.0 / (1.0 + slope * slope));
    }
    if (nonlinearity == "selu") return 3.0 / 4.0;
    throw Error("unsupported nonlinearity \"" + nonlinearity + "\" for an initializer gain; use one of " +
                join_names(nonlinearity_names()));
}

Fans fan_in_and_fan_out(const Tensor& t) {
    if (t.dim() < 2)
        throw ShapeError("fan in and fan out need a weight with at least 2 dimensions (out, in), got shape " +
                         shape_to_string(t.shape()) + "; use uniform/normal/constant for 1-D tensors such as biases");
    int64_t receptive = 1;
    for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
    return {t.size(1) * receptive, t.size(0) * receptive};
}

int64_t correct_fan(const Tensor& t, const std::string& mode) {
    if (mode != "fan_in" && mode != "fan_out")
        throw Error("initializer mode \"" + mode + "\" is not supported; use \"fan_in\" or \"fan_out\"");
    const Fans f = fan_in_and_fan_out(t);
    return mode == "fan_in" ? f.fan_in : f.fan_out;
}

void uniform_(Tensor& t, Rng& rng, double a, double b) {
    if (!(a <= b))
        throw Error("uniform initializer needs low <= high, got low=" + number_text(a) +
                    " high=" + number_text(b));
    for (int64_t i = 0; i < t.numel(); ++i)
        t[i] = static_cast<float>(a + (b - a) * rng.uniform01());
}

void normal_(Tensor& t, Rng& rng, double mean, double std) {
    if (!(std >= 0.0))
        throw Error("normal initializer needs std >= 0, got " + number_text(std));
    for (int64_t i = 0; i < t.numel(); ++i)
        t[i] = rng.normal(static_cast<float>(mean), static_cast<float>(std));
}

void trunc_normal_(Tensor& t, Rng& rng, double mean, double std, double a, double b) {
    if (!(std > 0.0) || !(a < b))
        throw Error("trunc_normal initializer needs std > 0 and a < b, got std=" + number_text(std) +
                    " a=" + number_text(a) + " b=" + number_text(b));
    // Inverse-CDF sampling as PyTorch: uniform on [Φ(α), Φ(β)], mapped back, clamped to [a, b].
    const double lo = normal_cdf((a - mean) / std), hi = normal_cdf((b - mean) / std);
    for (int64_t i = 0; i < t.numel(); ++i) {
        const double p = lo + (hi - lo) * rng.uniform01();
        t[i] = static_cast<float>(std::clamp(mean + std * normal_quantile(p), a, b));
    }
}

void constant_(Tensor& t, double value) { t.fill(static_cast<float>(value)); }
void zeros_(Tensor& t) { t.fill(0.0f); }
void ones_(Tensor& t) { t.fill(1.0f); }

void xavier_uniform_(Tensor& t, Rng& rng, double gain) {
    const Fans f = fan_in_and_fan_out(t);
    if (t.numel() == 0) return;
    const double std = gain * std::sqrt(2.0 / static_cast<double>(f.fan_in + f.fan_out));
    const double bound = std::sqrt(3.0) * std;
    uniform_(t, rng, -bound, bound);
}

void xavier_normal_(Tensor& t, Rng& rng, double gain) {
    const Fans f = fan_in_and_fan_out(t);
    if (t.numel() == 0) return;
    normal_(t, rng, 0.0, gain * std::sqrt(2.0 / static_cast<double>(f.fan_in + f.fan_out)));
}

void kaiming_uniform_(Tensor& t, Rng& rng, double a, const std::string& mode, const std::string& nonlinearity) {
    const int64_t fan = correct_fan(t, mode);
    const double gain = calculate_gain(nonlinearity, a);
    if (t.numel() == 0) return;  // PyTorch: "Initializing zero-element tensors is a no-op"
    const double bound = std::sqrt(3.0) * gain / std::sqrt(static_cast<double>(fan));
    uniform_(t, rng, -bound, bound);
}

void kaiming_normal_(Tensor& t, Rng& rng, double a, const std::string& mode, const std::string& nonlinearity) {
    const int64_t fan = correct_fan(t, mode);
    const double gain = calculate_gain(nonlinearity, a);
    if (t.numel() == 0) return;
    normal_(t, rng, 0.0, gain / std::sqrt(static_cast<double>(fan)));
}

void orthogonal_(Tensor& t, Rng& rng, double gain) {
    if (t.dim() < 2)
        throw ShapeError("orthogonal initializer needs a tensor with at least 2 dimensions, got shape " +
                         shape_to_string(t.shape()));
    if (t.numel() == 0) return;
    const int64_t rows = t.size(0), cols = t.numel() / rows;
    // Tall (m >= n) so the reduced Q has orthonormal columns; transposed back below.
    const bool wide = rows < cols;
    const int64_t m_rows = wide ? cols : rows, m_cols = wide ? rows : cols;
    std::vector<double> m(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) m[static_cast<size_t>(wide ? c * rows + r : r * cols + c)] = rng.normal();
    std::vector<double> q(m.size()), r_diag(static_cast<size_t>(m_cols));
    householder_qr(m.data(), m_rows, m_cols, q.data(), r_diag.data());
    // Sign correction by diag(R) makes the factorisation unique (positive diagonal), so Q is
    // Haar-distributed whatever sign convention the QR routine uses (torch: q *= d.sign()).
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            const int64_t qr = wide ? c : r, qc = wide ? r : c;  // q is (m_rows, m_cols): transposed when wide
            const double d = r_diag[static_cast<size_t>(qc)];
            t[r * cols + c] = static_cast<float>(gain * (q[static_cast<size_t>(qr * m_cols + qc)] * ((d > 0) - (d < 0))));
        }
}

void linear_default_bias_(Tensor& bias, int64_t fan_in, Rng& rng) {
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    uniform_(bias, rng, -bound, bound);
}

void linear_default_(Tensor& weight, Tensor* bias, Rng& rng) {
    // kaiming_uniform_(a=sqrt(5)): gain sqrt(2/6), bound sqrt(3)*gain/sqrt(fan_in) = 1/sqrt(fan_in).
    kaiming_uniform_(weight, rng, std::sqrt(5.0), "fan_in", "leaky_relu");
    if (bias) linear_default_bias_(*bias, fan_in_and_fan_out(weight).fan_in, rng);
}

}  // namespace nnstudio::init
