// Loss: the interface every training loss implements (value and dL/dinput in one pass), and
// make_loss(), the factory the training setup uses ("CrossEntropyLoss", {"label_smoothing": 0.1}).
//
// A loss checks shapes and targets (semantics) and computes on its backend (the CPU unless
// set_backend() says otherwise); input and target may live on any device.
#pragma once
#include "backend/backend.h"
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
inline LossReduction to_backend(Reduction r) { return r == Reduction::Mean ? LossReduction::Mean : LossReduction::Sum; }

struct LossResult {
    double value = 0.0;  // the reduced loss
    Tensor grad;         // dL/dinput, same shape as input, on the loss's device
};

class Loss {
public:
    Loss();  // on default_backend() (the CPU unless the thread names another)
    virtual ~Loss() = default;
    Loss(const Loss&) = delete;
    Loss& operator=(const Loss&) = delete;

    virtual std::string name() const = 0;  // PyTorch's class name: "CrossEntropyLoss"
    // Throws ShapeError for input/target shapes that do not fit, Error for bad target values.
    virtual LossResult compute(const Tensor& input, const Tensor& target) const = 0;

    // Computes on `backend` from now on (it must outlive the loss).
    void set_backend(Backend& backend) { m_backend = &backend; }
    Backend& backend() const { return *m_backend; }

protected:
    // t's numbers on the backend's device: t's own storage when it lives there, else a copy in
    // `scratch` (reused from call to call).
    const float* on_device(const Tensor& t, Tensor& scratch) const;
    // Per-class weights (empty: none) on the backend's device, converted to float32 as PyTorch
    // holds them; `cache` keeps the copy between calls.
    const float* weights_on_device(const std::vector<double>& weight, Tensor& cache) const;
    // A zeroed gradient buffer shaped like `input`, on the backend's device.
    Tensor grad_buffer(const Tensor& input) const;
    // Where an operation writes the reduced value (one double on the device), and reading it back.
    double* value_slot() const;
    double read_value() const;

private:
    Backend* m_backend;
    mutable Tensor m_value;  // two floats: room for one double on the device
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
// Class-index targets for (B, C) input: target (B,) of whole numbers in [0, C) or ignore_index
// (read on the host: a target on another device is copied first).
std::vector<int64_t> class_targets(const std::string& loss, const Tensor& input, const Tensor& target,
                                   int64_t ignore_index);
// Per-class weights must have C entries (empty = all ones).
void check_class_weight(const std::string& loss, const std::vector<double>& weight, int64_t classes);
// Elementwise losses: target must have exactly the input's shape (no silent broadcasting).
void check_same_shape(const std::string& loss, const Tensor& input, const Tensor& target);
}  // namespace detail

}  // namespace nnstudio::loss
