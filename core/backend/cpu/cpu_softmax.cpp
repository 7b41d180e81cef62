// CPU softmax / log-softmax along the middle axis of an (outer, n, inner) view: max-shifted, the
// sums in double; the backward from the saved output.
#include "backend/cpu/cpu_backend.h"

#include <algorithm>
#include <cmath>

namespace nnstudio {

void CpuBackend::softmax_forward(const float* x, float* y, int64_t outer, int64_t n, int64_t inner, bool log) {
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in) {
            const float* xp = x + o * n * inner + in;
            float* yp = y + o * n * inner + in;
            float mx = -INFINITY;
            for (int64_t k = 0; k < n; ++k) mx = std::max(mx, xp[k * inner]);
            double sum = 0.0;
            for (int64_t k = 0; k < n; ++k) sum += std::exp(static_cast<double>(xp[k * inner] - mx));
            const double log_sum = std::log(sum);
            for (int64_t k = 0; k < n; ++k) {
                const double shifted = static_cast<double>(xp[k * inner] - mx);
                yp[k * inner] = static_cast<float>(log ? shifted - log_sum : std::exp(shifted - log_sum));
            }
        }
}

void CpuBackend::softmax_backward(const float* y_all, const float* g_all, float* dx, int64_t outer, int64_t n,
                                  int64_t inner, bool log) {
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in) {
            const int64_t base = o * n * inner + in;
            const float* y = y_all + base;
            const float* g = g_all + base;
            float* d = dx + base;
            double acc = 0.0;
            if (log) {  // dx = g - softmax * sum(g)
                for (int64_t k = 0; k < n; ++k) acc += g[k * inner];
                for (int64_t k = 0; k < n; ++k) d[k * inner] = static_cast<float>(g[k * inner] - std::exp(y[k * inner]) * acc);
            } else {  // dx = y * (g - sum(g * y))
                for (int64_t k = 0; k < n; ++k) acc += static_cast<double>(g[k * inner]) * y[k * inner];
                for (int64_t k = 0; k < n; ++k) d[k * inner] = static_cast<float>(y[k * inner] * (g[k * inner] - acc));
            }
        }
}

}  // namespace nnstudio
