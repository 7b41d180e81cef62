// WeightOptions: --key and --strip-prefix.
#include "cli/weight_options.h"

namespace nnstudio::cli {

void WeightOptions::add_to(CLI::App& command, bool with_model) {
    command.add_option("--key", key,
                       "Where the weights sit in a checkpoint, e.g. model_state_dict or state_dict (default: " +
                           std::string(with_model ? "found by matching the model's keys)"
                                                  : "the top level, or the entry with the best-known name)"));
    strip_option = command.add_option(
        "--strip-prefix", strip_prefix,
        "Remove this prefix from the keys, e.g. module. (default: " +
            std::string(with_model ? "a wrapper's prefix is removed when that makes the keys match the model)"
                                   : "keys are kept as saved)"));
}

io::WeightChoice WeightOptions::choice() const {
    io::WeightChoice c;
    c.key = key;
    if (strip_option && strip_option->count()) c.strip_prefix = strip_prefix;
    return c;
}

}  // namespace nnstudio::cli
