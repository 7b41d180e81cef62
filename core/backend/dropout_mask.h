// The counter-based Dropout mask that every backend draws (backend.h, dropout_forward): one
// definition, compiled for the host and, by nvcc, for the GPU, so masks agree bit for bit.
#pragma once
#include <cstdint>

#if defined(__CUDACC__)
#define NNSTUDIO_HOST_DEVICE __host__ __device__
#else
#define NNSTUDIO_HOST_DEVICE
#endif

namespace nnstudio {

// SplitMix64's output function (Steele, Lea, Flood 2014) applied to key + pair·golden ratio: the 64
// random bits of element pair `pair` (low half: element 2·pair, high half: 2·pair + 1).
NNSTUDIO_HOST_DEVICE inline uint64_t dropout_pair_bits(uint64_t key, uint64_t pair) {
    uint64_t z = key + pair * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// An element is kept when its 32 bits are below (1-p)·2^32 (p = 0 keeps all, p = 1 none).
NNSTUDIO_HOST_DEVICE inline uint64_t dropout_keep_below(float p) {
    return static_cast<uint64_t>((1.0 - static_cast<double>(p)) * 4294967296.0);
}

// The kept elements' factor 1/(1-p); 0 when p = 1 (PyTorch returns zeros then).
NNSTUDIO_HOST_DEVICE inline float dropout_scale(float p) { return p == 1.f ? 0.f : 1.f / (1.f - p); }

}  // namespace nnstudio
