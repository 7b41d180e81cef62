// Numbers in messages, the shortest way: 2, 0.5, 1e-05 (never 2.000000).
#pragma once
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace nnstudio {

// Whole numbers as integers (below 1e15), others as the shortest text that reads back as `v`.
inline std::string number_text(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

}  // namespace nnstudio
