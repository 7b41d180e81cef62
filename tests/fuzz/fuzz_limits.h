// Read limits for the fuzz targets: small enough that a hostile input cannot make a 20-second
// run hit libFuzzer's memory limit through legitimate (but huge) allocations.
#pragma once
#include "io/tensor_file.h"

namespace nnstudio::fuzz {

inline io::ReadLimits fuzz_limits() {
    io::ReadLimits limits;
    limits.max_expanded_bytes = 64 << 20;
    limits.max_pickle_bytes = 16 << 20;
    limits.max_header_bytes = 1 << 20;
    return limits;
}

// Reading what we wrote must give back the same tensors; a difference is a bug, so abort.
inline void check_same(const io::TensorFile& a, const io::TensorFile& b) {
    if (a.tensors.size() != b.tensors.size()) __builtin_trap();
    for (size_t i = 0; i < a.tensors.size(); ++i) {
        const auto& [ka, ta] = a.tensors.entries()[i];
        const auto& [kb, tb] = b.tensors.entries()[i];
        if (ka != kb || ta.dtype != tb.dtype || ta.shape != tb.shape || ta.bytes != tb.bytes) __builtin_trap();
    }
}

}  // namespace nnstudio::fuzz
