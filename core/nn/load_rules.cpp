// with_load_rules: BatchNorm's version-1 num_batches_tracked rule.
#include "nn/load_rules.h"

#include "nn/batch_norm1d.h"

namespace nnstudio::nn {

StateDict with_load_rules(Model& model, const StateDict& sd) {
    StateDict out = sd;
    model.root().visit_modules([&](const std::string& path, Module& m) {
        const auto* bn = dynamic_cast<const BatchNorm1d*>(&m);
        if (!bn || !bn->options().track_running_stats) return;
        const auto version = sd.versions.find(path);
        const std::string key = join_path(path, "num_batches_tracked");
        if ((version == sd.versions.end() || version->second < 2) && !out.contains(key))
            out.insert(key, TypedTensor::scalar_int64(0));
    });
    return out;
}

}  // namespace nnstudio::nn
