// Importing weights into a model that may differ from the one they were saved from: every tensor
// whose key, shape and kind (float parameter/buffer vs integer counter) fit is loaded; the rest
// is reported in PyTorch's terms (missing, unexpected, mismatched) and left as it was. This is
// the GUI's File ▸ Import weights and the CLI's `init --from`.
#pragma once
#include "nn/model.h"

namespace nnstudio::nn {

LoadReport load_matching(Model& model, const StateDict& weights);

}  // namespace nnstudio::nn
