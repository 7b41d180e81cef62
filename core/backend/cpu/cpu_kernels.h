// Internal to the CPU backend: single-threaded kernels one op family lends another (the GEMM's
// fused epilogue applies an activation to each finished block).
#pragma once
#include "backend/ops.h"

#include <cstdint>

namespace nnstudio::cpu {

// x, y: (n); y = f(x) on the calling thread (y may alias x).
void activation_values(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n);

}  // namespace nnstudio::cpu
