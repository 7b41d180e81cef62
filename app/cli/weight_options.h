// The options that say where a model's weights sit in a file (--key, --strip-prefix), shared by
// init --from, forward --weights, train --weights and convert.
#pragma once
#include "io/weight_finder.h"

#include <CLI/CLI.hpp>
#include <string>

namespace nnstudio::cli {

struct WeightOptions {
    std::string key;
    std::string strip_prefix;
    CLI::Option* strip_option = nullptr;

    // `with_model`: the command has a model to match the keys against (all but convert), which
    // is what the defaults' help text then says.
    void add_to(CLI::App& command, bool with_model = true);
    io::WeightChoice choice() const;
};

}  // namespace nnstudio::cli
