// Preparing the model and batch the one-batch teaching views compute on.
#include "teach/teach_inputs.h"

#include "teach/teach_model.h"

namespace nnstudio::ui {

PreparedBatch prepareOneBatch(const TeachInputs& in, const std::optional<StateDict>& weights, const std::string& scheme) {
    nn::Model model = teach::prepare_model(in.spec, in.flags, {.weights = {}, .scheme = weights ? std::string() : scheme, .seed = in.seed});
    if (weights) model.load_state_dict(*weights);
    teach::TeachData data = teach::load_teach_data(model, in.data, in.batchSize, 1, in.seed);
    return {std::move(model), std::move(data)};
}

}  // namespace nnstudio::ui
