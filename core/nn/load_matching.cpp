#include "nn/load_matching.h"

#include "nn/load_rules.h"

namespace nnstudio::nn {

LoadReport load_matching(Model& model, const StateDict& given) {
    const StateDict weights = with_load_rules(model, given);
    LoadReport report;
    StateDict fitting;
    fitting.versions = weights.versions;
    const StateDict current = model.state_dict();
    for (const auto& [key, mine] : current) {
        const TypedTensor* theirs = weights.find(key);
        if (!theirs) {
            report.missing.push_back(key);
        } else if (theirs->shape != mine.shape || is_floating_point(theirs->dtype) != is_floating_point(mine.dtype) ||
                   is_complex(theirs->dtype)) {
            report.mismatched.push_back("mismatch for " + key + ": the file has " + dtype_name(theirs->dtype) + " " +
                                        shape_to_string(theirs->shape) + ", the model " + dtype_name(mine.dtype) + " " +
                                        shape_to_string(mine.shape));
        } else {
            fitting.insert(key, *theirs);
        }
    }
    for (const auto& [key, tensor] : weights)
        if (!current.contains(key)) report.unexpected.push_back(key);
    model.load_state_dict(fitting, false);  // everything in `fitting` fits: this cannot throw
    return report;
}

}  // namespace nnstudio::nn
