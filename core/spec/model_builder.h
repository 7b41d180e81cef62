// Builds a Model from a ModelSpec: resolves conditional flags, numbers unnamed children as
// PyTorch does, infers every in_features/num_features from the layer before, and reports
// shape problems naming the node, both widths and the fix.
#pragma once
#include "nn/model.h"
#include "spec/model_spec.h"

#include <map>
#include <optional>
#include <set>
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

// The first shape error of a model that does not build, and where it is.
struct BuildError {
    std::string message;    // as build_model throws it: "<json_path> (<path>, <type>): <reason>"
    std::string json_path;  // the node at fault
    std::string path;       // its state_dict prefix ("" for the root)
    std::string type;       // its type ("Residual")
};

// A model built as far as it goes, for an editor that shows what can be computed: every layer
// before the first shape error keeps its output shape and parameters; nothing after it is built.
struct PartialModel {
    nn::Model model;                    // the layers that built (a Residual whose add fails keeps its body)
    std::optional<BuildError> error;    // nullopt: the whole model built (then `model` is build_model's)
    std::set<std::string> unknown_shape;  // paths of layers whose output shape is unknown: the node at fault and the blocks around it
};

// As build_model, except that a ShapeError stops the build there instead of throwing. Still
// throws SpecError for an unknown flag and for problems that are not shapes.
PartialModel build_model_until_error(const ModelSpec& spec, const FlagValues& overrides = {});

}  // namespace nnstudio::spec
