// Deterministic sums on the GPU: a block adds its threads' values in a fixed tree order (no atomics),
// so the same input gives the same bits on every run.
#pragma once
#include <cuda_runtime.h>

namespace nnstudio::gpu {

// Sum of `v` over the block's `Threads` threads (a power of two); every thread gets the result.
// `shared` holds Threads doubles.
template <int Threads>
__device__ inline double block_sum(double v, double* shared) {
    const int t = threadIdx.x;
    shared[t] = v;
    __syncthreads();
    for (int s = Threads / 2; s > 0; s >>= 1) {
        if (t < s) shared[t] += shared[t + s];
        __syncthreads();
    }
    const double total = shared[0];
    __syncthreads();
    return total;
}

}  // namespace nnstudio::gpu
