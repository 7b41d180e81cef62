// CPU BatchNorm1d kernels: statistics summed in double per block of 16 rows, the blocks added in
// order (the same bits for any thread count); rows spread over the ThreadTeam.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/thread_team.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nnstudio {

namespace {

// Statistics are summed per block of kStatRows rows (in double) and the blocks then added in
// order: a fixed split, so the numbers do not depend on how many threads computed the blocks.
constexpr int64_t kStatRows = 16;

int64_t stat_blocks(int64_t n) { return (n + kStatRows - 1) / kStatRows; }

// Calls fn(first_row, end_row) over [0, n) in whole stat blocks, spread over the ThreadTeam when
// there is enough work (the same row halves the Linear layers' GEMMs use).
template <typename Fn>
void for_row_ranges(int64_t n, int64_t c, int max_threads, Fn&& fn) {
    const int64_t min_rows = std::max<int64_t>(kStatRows, ThreadTeam::kMinElementsPerThread / std::max<int64_t>(c, 1));
    ThreadTeam::instance().parallel_for(n, min_rows, kStatRows, std::forward<Fn>(fn), max_threads);
}

// out[j] = sum over blocks b of partial[b * c + j], in block order.
void add_blocks(const double* partial, int64_t blocks, int64_t c, std::vector<double>& out) {
    out.assign(static_cast<size_t>(c), 0.0);
    for (int64_t b = 0; b < blocks; ++b) {
        const double* p = partial + b * c;
        for (int64_t j = 0; j < c; ++j) out[j] += p[j];
    }
}

// Per-thread scratch that only grows: a training step in steady state allocates nothing.
struct Scratch {
    std::vector<double> partial, sum, sum2;
};
Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

}  // namespace

void CpuBackend::batch_norm_statistics(const BatchNormDesc& d, const float* x, float* mean, float* var, float* invstd,
                                       float* running_mean, float* running_var) {
    const int64_t n = d.n, c = d.c;
    Scratch& s = scratch();
    // Two passes with per-feature double accumulators: the mean, then the centred squares.
    const int64_t blocks = stat_blocks(n);
    s.partial.assign(static_cast<size_t>(blocks * c), 0.0);
    for_row_ranges(n, c, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict row = x + i * c;
            double* __restrict acc = s.partial.data() + (i / kStatRows) * c;
            for (int64_t j = 0; j < c; ++j) acc[j] += row[j];
        }
    });
    add_blocks(s.partial.data(), blocks, c, s.sum);
    for (int64_t j = 0; j < c; ++j) mean[j] = static_cast<float>(s.sum[j] / static_cast<double>(n));
    s.partial.assign(static_cast<size_t>(blocks * c), 0.0);
    for_row_ranges(n, c, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict row = x + i * c;
            double* __restrict acc = s.partial.data() + (i / kStatRows) * c;
            for (int64_t j = 0; j < c; ++j) {
                const double dev = static_cast<double>(row[j]) - mean[j];
                acc[j] += dev * dev;
            }
        }
    });
    add_blocks(s.partial.data(), blocks, c, s.sum2);
    for (int64_t j = 0; j < c; ++j) {
        const double v = s.sum2[j] / static_cast<double>(n);  // biased: used to normalise
        var[j] = static_cast<float>(v);
        invstd[j] = static_cast<float>(1.0 / std::sqrt(v + d.eps));
    }
    if (running_mean && running_var) {
        const double momentum = d.momentum;
        const double unbias = static_cast<double>(n) / static_cast<double>(n - 1);
        for (int64_t j = 0; j < c; ++j) {
            running_mean[j] = static_cast<float>((1.0 - momentum) * running_mean[j] + momentum * mean[j]);
            running_var[j] = static_cast<float>((1.0 - momentum) * running_var[j] +
                                                momentum * (s.sum2[j] / static_cast<double>(n)) * unbias);
        }
    }
}

void CpuBackend::batch_norm_invstd(const BatchNormDesc& d, const float* var, float* invstd) {
    for (int64_t j = 0; j < d.c; ++j) invstd[j] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(var[j]) + d.eps));
}

void CpuBackend::batch_norm_apply(const BatchNormDesc& d, const float* x, const float* mean, const float* invstd,
                                  const float* gamma, const float* beta, float* y, float* xhat_all) {
    const int64_t c = d.c;
    for_row_ranges(d.n, c, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict row = x + i * c;
            float* __restrict out = y + i * c;
            float* __restrict xhat = xhat_all ? xhat_all + i * c : nullptr;
            for (int64_t j = 0; j < c; ++j) {
                const float h = (row[j] - mean[j]) * invstd[j];
                if (xhat) xhat[j] = h;
                out[j] = gamma ? h * gamma[j] + beta[j] : h;
            }
        }
    });
}

void CpuBackend::batch_norm_backward(const BatchNormDesc& d, const float* gd, const float* hd, const float* invstd,
                                     const float* gamma, bool batch_stats, float* dgamma, float* dbeta, float* dd) {
    const int64_t n = d.n, c = d.c;
    Scratch& s = scratch();
    // Per feature: sum(g) and sum(g * xhat), in stat blocks (the second half of partial).
    const int64_t blocks = stat_blocks(n);
    s.partial.assign(static_cast<size_t>(2 * blocks * c), 0.0);
    for_row_ranges(n, c, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict g = gd + i * c;
            const float* __restrict h = hd + i * c;
            double* __restrict sum_g = s.partial.data() + (i / kStatRows) * c;
            double* __restrict sum_gh = sum_g + blocks * c;
            for (int64_t j = 0; j < c; ++j) {
                sum_g[j] += g[j];
                sum_gh[j] += static_cast<double>(g[j]) * h[j];
            }
        }
    });
    add_blocks(s.partial.data(), blocks, c, s.sum);
    add_blocks(s.partial.data() + blocks * c, blocks, c, s.sum2);
    // dx = gamma*invstd * (g - mean(g) - xhat*mean(g*xhat)) with batch statistics; gamma*invstd*g otherwise.
    // scale = gamma*invstd per feature (rounded to float, as before the seam).
    const double inv_n = 1.0 / static_cast<double>(n);
    thread_local std::vector<float> scale_buffer;
    scale_buffer.resize(static_cast<size_t>(c));
    float* scale = scale_buffer.data();
    for (int64_t j = 0; j < c; ++j) {
        if (dgamma) dgamma[j] += static_cast<float>(s.sum2[j]);
        if (dbeta) dbeta[j] += static_cast<float>(s.sum[j]);
        const double gj = gamma ? gamma[j] : 1.0;
        scale[j] = static_cast<float>(gj * invstd[j]);
        s.sum[j] *= inv_n;
        s.sum2[j] *= inv_n;
    }
    const double* mean_g = s.sum.data();
    const double* mean_gh = s.sum2.data();
    for_row_ranges(n, c, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict g = gd + i * c;
            const float* __restrict h = hd + i * c;
            float* __restrict out = dd + i * c;
            if (batch_stats)
                for (int64_t j = 0; j < c; ++j) out[j] = scale[j] * static_cast<float>(g[j] - mean_g[j] - h[j] * mean_gh[j]);
            else
                for (int64_t j = 0; j < c; ++j) out[j] = scale[j] * g[j];
        }
    });
}

}  // namespace nnstudio
