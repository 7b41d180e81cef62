// WeightOptions: --key and --strip-prefix.
#include "cli/weight_options.h"

namespace nnstudio::cli {

void WeightOptions::add_to(CLI::App& command) {
    command.add_option("--key", key,
                       "Where the weights sit in a checkpoint, e.g. model_state_dict or state_dict "
                       "(default: found by matching the model's keys)");
    strip_option = command.add_option("--strip-prefix", strip_prefix,
                                      "Remove this prefix from the keys, e.g. module. (default: a wrapper's prefix "
                                      "is removed when that makes the keys match the model)");
}

io::WeightChoice WeightOptions::choice() const {
    io::WeightChoice c;
    c.key = key;
    if (strip_option && strip_option->count()) c.strip_prefix = strip_prefix;
    return c;
}

}  // namespace nnstudio::cli
