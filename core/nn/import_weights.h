// Taking a model's weights from a file as users save them: io/weight_finder.h finds them (entry,
// prefix), then they load either as much as fits (File ▸ Import weights, `init --from`) or
// strictly as PyTorch's load_state_dict(strict=True) (`forward --weights`, `train --weights`).
#pragma once
#include "io/weight_finder.h"
#include "nn/model.h"

#include <string>

namespace nnstudio::nn {

struct WeightImport {
    io::FoundWeights found;
    LoadReport report;
    size_t imported = 0;       // model tensors that took the file's values
    size_t model_tensors = 0;  // tensors in the model's state_dict

    // Lines for the user: the finder's note (entry, prefix), then "imported 9 of 9 tensors" and,
    // for a partial import, what was missing, unused or mismatched. Not PyTorch's error heading:
    // a partial import is a success.
    std::string summary(const std::string& file_name) const;
};

// Loads every tensor whose key, shape and kind fit (load_matching.h). Throws StateDictMismatch
// when not one of the file's tensors fits the model (naming some keys of each and the --key /
// --strip-prefix options), since importing nothing is never what was meant.
WeightImport import_weights(Model& model, const io::TensorFile& file, const io::WeightChoice& choice,
                            const std::string& file_name);

// Loads strictly (Model::load_state_dict(sd, true): throws StateDictMismatch as PyTorch would, its
// message followed by how to keep what fits: `init MODEL --from FILE --out W.pth`);
// returns the finder's note ("" for a bare state_dict taken as it is).
std::string load_weights_strict(Model& model, const io::TensorFile& file, const io::WeightChoice& choice,
                                const std::string& file_name);

}  // namespace nnstudio::nn
