// number_in / positive_number: CLI11 validators with messages that tell "not a number" from "out of range".
#include "cli/number_checks.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace nnstudio::cli {
namespace {

std::string text(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// "" when `input` is a number (whole when asked); else why not. Sets `value`.
std::string parse(const std::string& input, bool whole, double& value) {
    char* end = nullptr;
    value = std::strtod(input.c_str(), &end);
    if (input.empty() || end != input.c_str() + input.size() || std::isnan(value))
        return "'" + input + "' is not a number";
    if (whole && value != std::floor(value)) return "'" + input + "' is not a whole number";
    return "";
}

}  // namespace

CLI::Validator number_in(double lo, double hi, bool whole) {
    const std::string range = std::isinf(hi) ? ">= " + text(lo) : "in [" + text(lo) + ", " + text(hi) + "]";
    return CLI::Validator(
        [=](std::string& input) -> std::string {
            double v = 0;
            if (std::string why = parse(input, whole, v); !why.empty()) return why;
            if (v >= lo && v <= hi) return "";
            if (std::isinf(hi)) return input + (lo == 0 ? " is negative: give 0 or more" : " is below " + text(lo));
            return input + " is out of range: give " + text(lo) + " to " + text(hi);
        },
        range);
}

CLI::Validator positive_number(bool whole) {
    return CLI::Validator(
        [=](std::string& input) -> std::string {
            double v = 0;
            if (std::string why = parse(input, whole, v); !why.empty()) return why;
            return v > 0 ? "" : input + " is not positive: give a number > 0";
        },
        "> 0");
}

}  // namespace nnstudio::cli
