// Finding a model's weights in what a tensor file holds, as users save them: a bare state_dict,
// a checkpoint whose weights sit under an entry ("model_state_dict", "state_dict", "model",
// "ema", ... at any depth), keys with the prefixes wrappers add ("module." of DataParallel,
// "_orig_mod." of torch.compile, "model." of Lightning). A prefix is removed only when that
// makes the keys match the model (torch.nn.modules.utils.consume_prefix_in_state_dict_if_present),
// and never silently: FoundWeights::note says which entry and which prefix were used.
#pragma once
#include "io/tensor_file.h"

#include <optional>
#include <string>
#include <vector>

namespace nnstudio::io {

// Choices made by hand (the CLI's --key and --strip-prefix).
struct WeightChoice {
    std::string key;                          // the entry to use, e.g. "model_state_dict" or "ema.module"
    std::optional<std::string> strip_prefix;  // removed where present; no automatic prefix then
};

struct FoundWeights {
    StateDict tensors;      // keys (and _metadata versions) as the model names them
    std::string entry;      // where the weights were: "" for the top level of the file
    std::string prefix;     // removed from the keys that had it; "" for none
    size_t prefixed = 0;    // how many keys had it
    size_t model_matches = 0;  // keys that are also the model's (0 when no model was given)

    // One line for stderr and the GUI's import report: "weights from entry 'model_state_dict' of
    // ckpt.pth, prefix 'module.' removed from 9 keys"; empty for a bare state_dict taken as it is.
    std::string note(const std::string& file_name) const;
};

// model_keys: the model's state_dict keys, in order; empty when there is no model (convert): then
// the top-level state_dict, or the one under the best-known entry name, is taken as it is.
// With a model, every dict of tensors in the file is tried, with and without its common prefix,
// and the one that matches most model keys wins (ties: the top level, then known entry names,
// then file order). Throws FileFormatError naming the entries the file has when `choice.key`
// names none of them, or when there is no model and several dicts could be the weights, and
// naming the prefix when `choice.strip_prefix` is one that no key of the chosen dict starts with.
FoundWeights find_weights(const TensorFile& file, const std::vector<std::string>& model_keys,
                          const WeightChoice& choice, const std::string& name_for_messages);

// The dicts of tensors `file` holds, for messages: "'model_state_dict' (9 tensors), 'ema' (9
// tensors), and 4 optimizer states per parameter (not weights)": at most 10 named, then
// "... and N more"; torch.optim's per-parameter states ("....state.0") only counted.
std::string describe_entries(const TensorFile& file);

// The wrapper prefix every key starts with ("module." of DataParallel, "_orig_mod." of
// torch.compile, "model." of Lightning), "" when none does: for a note when no model can say
// whether removing it is right (convert).
std::string wrapper_prefix(const StateDict& sd);

// consume_prefix_in_state_dict_if_present: keys (and _metadata paths) starting with `prefix`
// lose it; others stay. Returns how many keys had it.
size_t strip_prefix(StateDict& sd, const std::string& prefix);

}  // namespace nnstudio::io
