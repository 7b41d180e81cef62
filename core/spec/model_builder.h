// Builds a Model from a ModelSpec: resolves conditional flags, numbers unnamed children as
// PyTorch does, infers every in_features/num_features from the layer before, and reports
// shape problems naming the node, both widths and the fix.
#pragma once
#include "nn/model.h"
#include "spec/model_spec.h"

#include <map>
#include <string>

namespace nnstudio::spec {

using FlagValues = std::map<std::string, bool>;

// Parses "NAME=true|false" (also 1/0, yes/no, on/off); throws SpecError naming the problem.
std::pair<std::string, bool> parse_flag_assignment(const std::string& text);

// `overrides` replace the file's flag defaults; an unknown flag is a SpecError listing the
// declared ones. A layer's options or shapes that do not fit are a SpecError that starts with
// spec.source (the file) and the node's JSON path, as errors found when reading the file do.
// Parameters are left at zero: call initialize_model() (model_init.h) next.
nn::Model build_model(const ModelSpec& spec, const FlagValues& overrides = {});

}  // namespace nnstudio::spec
