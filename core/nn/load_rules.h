// PyTorch's per-module load rules (the _load_from_state_dict overrides), applied to a state_dict
// before its keys are matched, so loading is exactly as strict as load_state_dict is.
#pragma once
#include "nn/model.h"

namespace nnstudio::nn {

// torch/nn/modules/batchnorm.py, _NormBase._load_from_state_dict: BatchNorm state saved before
// num_batches_tracked existed (its module's _metadata version is below 2, or the state_dict has
// no _metadata for it, as plain dicts and safetensors files do not) lacks the counter; loading
// sets it to 0 (tensor(0, dtype=torch.long)). Returns `sd` with those counters added.
StateDict with_load_rules(Model& model, const StateDict& sd);

}  // namespace nnstudio::nn
