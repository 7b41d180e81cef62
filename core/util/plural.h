// Counted nouns in messages: "1 epoch", "3 epochs", "1 entry", "2 entries".
#pragma once
#include <cstdint>
#include <string>

namespace nnstudio {

// `n` and the noun, in its plural form (`many`, or the noun + "s" by default) unless n is 1.
inline std::string plural(int64_t n, const std::string& one, const std::string& many = "") {
    return std::to_string(n) + " " + (n == 1 ? one : many.empty() ? one + "s" : many);
}

}  // namespace nnstudio
