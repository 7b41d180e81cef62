// Launch shapes shared by the kernels: grid-stride loops of 256 threads over n elements.
#pragma once
#include <cstdint>

namespace nnstudio::gpu {

// Blocks for a grid-stride loop over n elements: 256 threads each, at least 1, at most 4096.
inline unsigned grid_for(int64_t n) {
    const int64_t blocks = (n + 255) / 256;
    return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > 4096 ? 4096 : blocks));
}

// Blocks of 256 threads that give every one of n elements its own thread.
inline unsigned blocks_of_256(int64_t n) { return static_cast<unsigned>((n + 255) / 256); }

}  // namespace nnstudio::gpu

// for (i over this thread's elements of [0, n))
#define NN_GRID_STRIDE(i, n) \
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (n); i += int64_t(gridDim.x) * blockDim.x)
