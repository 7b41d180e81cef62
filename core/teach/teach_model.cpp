// prepare_model: build, then load weights or initialise.
#include "teach/teach_model.h"

#include "error.h"
#include "io/tensor_file.h"
#include "nn/import_weights.h"
#include "spec/model_init.h"
#include "teach/lab_scheme.h"

namespace nnstudio::teach {

nn::Model prepare_model(const spec::ModelSpec& spec, const spec::FlagValues& flags, const ModelSource& source) {
    if (!source.weights.empty() && !source.scheme.empty())
        throw SpecError("give either weights or an init scheme, not both: weights are already initialised");
    nn::Model model = spec::build_model(spec, flags);
    if (!source.weights.empty()) {
        // Any layout the weight finder reads (checkpoints, wrapper prefixes), loaded strictly.
        nn::load_weights_strict(model, io::read_tensor_file(source.weights), {}, source.weights);
        model.seed_dropout(source.seed);
    } else if (!source.scheme.empty()) {
        spec::initialize_model(model, source.seed, lab_scheme(source.scheme).scheme);
    } else {
        spec::initialize_model(model, source.seed);
    }
    return model;
}

}  // namespace nnstudio::teach
