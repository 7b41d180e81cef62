// CPU LayerNorm (torch.nn.LayerNorm over the last `width` elements): per-row statistics in double,
// rows spread over the ThreadTeam; the parameter gradients summed over rows in double, in row order.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/thread_team.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nnstudio {

namespace {

template <typename Fn>
void for_rows(int64_t rows, int64_t width, int max_threads, Fn&& fn) {
    const int64_t min_rows = std::max<int64_t>(1, ThreadTeam::kMinElementsPerThread / std::max<int64_t>(width, 1));
    ThreadTeam::instance().parallel_for(rows, min_rows, 1, std::forward<Fn>(fn), max_threads);
}

}  // namespace

void CpuBackend::layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                                    const float* beta, float* y, float* xhat, float* invstd) {
    for_rows(rows, width, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            const float* row = x + r * width;
            double sum = 0.0;
            for (int64_t j = 0; j < width; ++j) sum += row[j];
            const double mean = width ? sum / static_cast<double>(width) : 0.0;
            double sq = 0.0;
            for (int64_t j = 0; j < width; ++j) {
                const double dev = row[j] - mean;
                sq += dev * dev;
            }
            const double var = width ? sq / static_cast<double>(width) : 0.0;  // biased, as PyTorch
            const double inv = 1.0 / std::sqrt(var + eps);
            if (invstd) invstd[r] = static_cast<float>(inv);
            float* out = y + r * width;
            float* h = xhat ? xhat + r * width : nullptr;
            for (int64_t j = 0; j < width; ++j) {
                const float hj = static_cast<float>((row[j] - mean) * inv);
                if (h) h[j] = hj;
                out[j] = gamma ? hj * gamma[j] + beta[j] : hj;
            }
        }
    });
}

void CpuBackend::layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows,
                                     int64_t width, const float* gamma, float* dgamma, float* dbeta, float* dx) {
    if (dx)
        for_rows(rows, width, m_threads, [&](int64_t r0, int64_t r1) {
            for (int64_t r = r0; r < r1; ++r) {
                const float* gr = g + r * width;
                const float* hr = xhat + r * width;
                double sum_g = 0.0, sum_gh = 0.0;  // of ĝ = g·γ
                for (int64_t j = 0; j < width; ++j) {
                    const double gj = gamma ? static_cast<double>(gr[j]) * gamma[j] : gr[j];
                    sum_g += gj;
                    sum_gh += gj * hr[j];
                }
                const double mean_g = sum_g / static_cast<double>(width), mean_gh = sum_gh / static_cast<double>(width);
                const double inv = invstd[r];
                float* d = dx + r * width;
                for (int64_t j = 0; j < width; ++j) {
                    const double gj = gamma ? static_cast<double>(gr[j]) * gamma[j] : gr[j];
                    d[j] = static_cast<float>(inv * (gj - mean_g - hr[j] * mean_gh));
                }
            }
        });
    if (!dgamma && !dbeta) return;
    thread_local std::vector<double> sums;
    sums.assign(static_cast<size_t>(2 * width), 0.0);
    double* sum_gh = sums.data();
    double* sum_g = sums.data() + width;
    for (int64_t r = 0; r < rows; ++r) {
        const float* gr = g + r * width;
        const float* hr = xhat + r * width;
        for (int64_t j = 0; j < width; ++j) {
            sum_gh[j] += static_cast<double>(gr[j]) * hr[j];
            sum_g[j] += gr[j];
        }
    }
    for (int64_t j = 0; j < width; ++j) {
        if (dgamma) dgamma[j] += static_cast<float>(sum_gh[j]);
        if (dbeta) dbeta[j] += static_cast<float>(sum_g[j]);
    }
}

}  // namespace nnstudio
