// ParameterLabel: a parameter as users read it — its layer's path and type, then its own name:
// the state_dict key "net.0.weight" of a Linear reads "net.0 Linear · weight".
#pragma once
#include "spec/model_builder.h"
#include "spec/model_spec.h"

#include <QString>
#include <map>
#include <string>

namespace nnstudio::ui {

using LayerTypes = std::map<std::string, std::string>;  // layer path ("net.0") -> type ("Linear")

// The layers of the model `spec` builds with `flags` (nn::Model::layers()); empty when it does not
// build (the plots then show bare keys, and the canvas shows why).
LayerTypes layerTypesOf(const spec::ModelSpec& spec, const spec::FlagValues& flags = {});

// The layer that owns `key`: the longest layer path that is a dotted prefix of it ("" for none).
std::string layerPathOf(const std::string& key, const LayerTypes& types);

// "net.0 Linear · weight"; the key itself when no layer owns it.
QString parameterLabel(const std::string& key, const LayerTypes& types);
// "net.0 Linear"; the key's prefix when no layer owns it.
QString layerLabel(const std::string& layerPath, const LayerTypes& types);

}  // namespace nnstudio::ui
