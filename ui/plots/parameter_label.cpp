// ParameterLabel: state_dict keys matched to the model's layer paths.
#include "plots/parameter_label.h"

#include "error.h"

namespace nnstudio::ui {

LayerTypes layerTypesOf(const spec::ModelSpec& spec, const spec::FlagValues& flags) {
    LayerTypes types;
    try {
        const nn::Model model = spec::build_model(spec, flags);
        for (const nn::LayerInfo& l : model.layers()) types[l.path] = l.type;
    } catch (const Error&) {
        types.clear();
    }
    return types;
}

std::string layerPathOf(const std::string& key, const LayerTypes& types) {
    std::string best;
    bool found = false;
    for (const auto& [path, type] : types) {
        const bool owns = path.empty() || (key.size() > path.size() && key.starts_with(path) && key[path.size()] == '.');
        if (owns && (!found || path.size() > best.size())) {
            best = path;
            found = true;
        }
    }
    return best;
}

QString layerLabel(const std::string& layerPath, const LayerTypes& types) {
    const auto it = types.find(layerPath);
    if (it == types.end()) return QString::fromStdString(layerPath);
    return layerPath.empty() ? QString::fromStdString(it->second)
                             : QString::fromStdString(layerPath + " " + it->second);
}

QString parameterLabel(const std::string& key, const LayerTypes& types) {
    const std::string path = layerPathOf(key, types);
    if (!types.count(path)) return QString::fromStdString(key);
    const std::string own = path.empty() ? key : key.substr(path.size() + 1);
    return layerLabel(path, types) + QString::fromUtf8(" · ") + QString::fromStdString(own);
}

}  // namespace nnstudio::ui
