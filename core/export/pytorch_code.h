// Generates a readable PyTorch module (model.py) that reproduces a model file: same class name,
// same attribute names (so the same state_dict keys, order and shapes), conditional flags as
// constructor arguments, as in the seed's ConditionalNet. Our exported weights load into it
// with load_state_dict(strict=True).
#pragma once
#include "spec/model_spec.h"

#include <string>

namespace nnstudio::exporter {

// Throws Error when a flag changes a layer's width (the generated class could not build every
// variant): the message names the layer and says to fix the flag with --flag.
std::string generate_pytorch_module(const spec::ModelSpec& spec);

}  // namespace nnstudio::exporter
