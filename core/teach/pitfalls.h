// Pitfall checker: lints a model spec and its training setup for the mistakes the seed article
// warns about (softmax before a logits loss, activation before BatchNorm, regularisers on the
// output, residual width changes without a projection, initializers that do not fit the
// activation, BatchNorm with batches of one, NLLLoss on raw scores, a loss that does not fit the
// float target columns). Each finding says why it is a problem and how to fix it; most carry a fix
// apply_fix() (pitfall_fix.h) can apply. Given the chosen data's shape, it also checks the model's
// input and output widths against the data.
#pragma once
#include "data/data_shape.h"
#include "data/dataset.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "train/train_setup.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace nnstudio::teach {

enum class Severity { Info, Warning, Error };
std::string to_string(Severity severity);  // "info", "warning", "error"

// A change to the model document, addressed by JSON pointer into the model file.
struct SpecFix {
    enum class Kind { RemoveNode, SwapWithNext, SetValue };
    Kind kind = Kind::SetValue;
    std::string json_path;  // RemoveNode/SwapWithNext: a node in a "children" array; SetValue: any key
    nlohmann::json value;   // SetValue: the new value
};
std::string to_string(SpecFix::Kind kind);  // "remove_node", "swap_with_next", "set_value"

struct Finding {
    std::string id;  // stable: "softmax_before_logits_loss", ...
    Severity severity = Severity::Warning;
    std::string json_path;   // the node (or key) at fault in the model file
    std::string layer_path;  // its state_dict prefix, "net.2" ("" when it is not a layer)
    std::string message;     // why this is a problem
    std::string fix_description;
    std::optional<SpecFix> fix;  // nullopt: only a manual fix exists
};

// The ids check_pitfalls can report, in the order it reports them.
const std::vector<std::string>& pitfall_ids();

// The setup stored under "training" in the model file, or the defaults a training run would use.
train::TrainSetup training_setup_of(const spec::ModelSpec& spec);

// The shape the setup's data gives a model (data/data_shape.h): nullopt where that needs the
// whole data set read. Throws DataError for a data source that cannot be read.
std::optional<data::DataShape> data_shape_of(const train::TrainSetup& setup);

// Works on the spec itself (with `flags` resolved), so a model that does not build (a residual
// width mismatch) is still checked. With `data` (data_shape_of(setup)), the model's input shape
// must be the data's and its output one score per class (the Trainer refuses anything else).
// Throws SpecError for an unknown flag.
std::vector<Finding> check_pitfalls(const spec::ModelSpec& spec, const train::TrainSetup& setup,
                                    const spec::FlagValues& flags = {},
                                    const std::optional<data::DataShape>& data = std::nullopt);

// The checks that need the data's values (check_pitfalls only reads the spec and setup, cheap
// enough for every edit): BCEWithLogitsLoss on float targets outside [0, 1] (one finding, naming
// the first such value). data: the training data as train would load it.
std::vector<Finding> check_target_values(const data::Dataset& data, const train::TrainSetup& setup);

}  // namespace nnstudio::teach
