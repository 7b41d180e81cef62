// initialize_model: one seeded stream walked in module order, so a seed fixes every weight.
#include "spec/model_init.h"

#include "nn/linear.h"

namespace nnstudio::spec {

void initialize_model(nn::Model& model, uint64_t seed, const std::optional<init::InitScheme>& scheme_override) {
    const init::InitScheme file_default =
        model.default_init().is_null() ? init::InitScheme{} : init::parse_init_scheme(model.default_init(), "/init/default");
    Rng rng(seed);
    for (const nn::LayerInfo& info : model.layers()) {
        if (auto* lin = dynamic_cast<nn::Linear*>(info.module)) {
            init::InitScheme scheme = file_default;
            if (scheme_override) scheme = *scheme_override;
            else if (!info.init.is_null()) scheme = init::parse_init_scheme(info.init, info.json_path + "/init");
            init::apply_linear_init(scheme, lin->weight().value, lin->bias() ? &lin->bias()->value : nullptr, rng);
        } else {
            info.module->reset_parameters();
        }
    }
    model.seed_dropout(seed);
}

}  // namespace nnstudio::spec
