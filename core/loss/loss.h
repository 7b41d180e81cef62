// Loss: the interface every training loss implements (value and dL/dinput in one pass), and
// make_loss(), the factory the training setup uses ("CrossEntropyLoss", {"label_smoothing": 0.1}).
#pragma once
#include "tensor/tensor.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnstudio::loss {

// How per-element losses are combined, as torch's `reduction` ('none' is not offered: the
// trainer always needs a scalar).
enum class Reduction { Mean, Sum };
std::string reduction_name(Reduction r);  // "mean" | "sum"

struct LossResult {
    double value = 0.0;  // the reduced loss
    Tensor grad;         // dL/dinput, same shape as input
};

class Loss {
public:
    virtual ~Loss() = default;
    virtual std::string name() const = 0;  // PyTorch's class name: "CrossEntropyLoss"
    // Throws ShapeError for input/target shapes that do not fit, Error for bad target values.
    virtual LossResult compute(const Tensor& input, const Tensor& target) const = 0;
};

// PyTorch class names: CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss.
std::vector<std::string> loss_names();

// `options` (object or null) per loss, mirroring the torch constructor arguments:
//   every loss:        reduction ("mean" | "sum")
//   CrossEntropyLoss:  weight [C], ignore_index (-100), label_smoothing (0..1)
//   NLLLoss:           weight [C], ignore_index (-100)
//   BCEWithLogitsLoss: weight [C or 1], pos_weight [C or 1] (broadcast over the last dimension)
// Errors are SpecError naming `json_path` + ".options.<key>" and listing what is valid.
std::unique_ptr<Loss> make_loss(const std::string& name, const nlohmann::json& options,
                                const std::string& json_path = "loss");

namespace detail {
// Class-index targets for (B, C) input: target (B,) of whole numbers in [0, C) or ignore_index.
std::vector<int64_t> class_targets(const std::string& loss, const Tensor& input, const Tensor& target,
                                   int64_t ignore_index);
// Per-class weights must have C entries (empty = all ones).
void check_class_weight(const std::string& loss, const std::vector<double>& weight, int64_t classes);
// Elementwise losses: target must have exactly the input's shape (no silent broadcasting).
void check_same_shape(const std::string& loss, const Tensor& input, const Tensor& target);
}  // namespace detail

}  // namespace nnstudio::loss
