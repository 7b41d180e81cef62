// CPU moments (Σx, Σx²) for gradient and weight statistics: double accumulation in element order.
#include "backend/cpu/cpu_backend.h"

namespace nnstudio {

void CpuBackend::moments(const float* x, int64_t n, double* out) {
    double s = 0.0, s2 = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        s += v;
        s2 += v * v;
    }
    out[0] = s;
    out[1] = s2;
}

}  // namespace nnstudio
