// Checks of numeric options whose messages say what is wrong ("'abc' is not a number", "0 is
// below 1"), where CLI11's Range says "Value abc not in range 1 to 100000" for both.
#pragma once
#include <CLI/CLI.hpp>

#include <limits>

namespace nnstudio::cli {

// A number in [lo, hi]; `whole`: an integer option (1.5 is refused before CLI11's conversion).
// Messages (CLI11 puts the option's name in front): "'abc' is not a number", "'1.5' is not a
// whole number", "0 is out of range: give 1 to 100000", "-3 is negative: give 0 or more".
CLI::Validator number_in(double lo, double hi = std::numeric_limits<double>::infinity(), bool whole = false);
// A number > 0 (CLI::PositiveNumber's rule).
CLI::Validator positive_number(bool whole = false);

}  // namespace nnstudio::cli
