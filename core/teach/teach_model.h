// The model a teaching analysis runs on: built from a spec with flags, then either loaded from a
// weights file or initialised (the file's init, or a lab scheme by id) with a seed.
#pragma once
#include "nn/model.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"

#include <string>

namespace nnstudio::teach {

struct ModelSource {
    std::string weights;  // .pth / .safetensors state_dict; empty: initialise
    std::string scheme;   // a lab_schemes() id replacing the file's init; empty: the file's init
    uint64_t seed = 0;    // initialisation and Dropout streams
};

// Throws SpecError/StateDictMismatch/FileFormatError with the file's or spec's problem; giving
// both weights and a scheme is a SpecError (weights are already initialised).
nn::Model prepare_model(const spec::ModelSpec& spec, const spec::FlagValues& flags, const ModelSource& source);

}  // namespace nnstudio::teach
