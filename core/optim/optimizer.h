// Optimizer: the base of SGD / Adam / AdamW. Owns per-parameter state (momentum buffers,
// moments) keyed by parameter index like torch.optim, and saves/restores it for exact resume.
#pragma once
#include "nn/module.h"
#include "tensor/typed_tensor.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace nnstudio::optim {

class Optimizer {
public:
    // `params` are borrowed: they must outlive the optimizer. Parameters whose grad is empty are
    // skipped by step(), like PyTorch parameters whose .grad is None.
    explicit Optimizer(std::vector<nn::Parameter*> params);
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    virtual std::string name() const = 0;  // "SGD", "Adam", "AdamW"
    // One update from the parameters' current grads. ShapeError when a grad's shape differs
    // from its parameter's.
    virtual void step() = 0;
    // Fills every existing grad with zeros (PyTorch 1.13's zero_grad(set_to_none=False)).
    void zero_grad();

    // Steps on `backend` from now on: the parameters must live on its device (the trainer moves
    // model, loss and optimizer together). default_backend() until then.
    void set_backend(Backend& backend) { m_backend = &backend; }
    Backend& backend() const { return *m_backend; }

    double lr() const { return m_lr; }
    void set_lr(double lr);  // Error for a negative or non-finite lr
    // Changes one single-number hyperparameter between steps (param_groups[0][name] = value in
    // PyTorch), e.g. "weight_decay" while a run goes on ("lr" is set_lr). Error naming the valid
    // names for one this optimizer does not have, for a tuple (betas), or the option's own
    // message for a value out of range; nothing changes then.
    void set_hyperparameter(const std::string& name, double value);
    const std::vector<nn::Parameter*>& params() const { return m_params; }

    // Everything needed for an exact resume, laid out like torch's optimizer.state_dict():
    //   param_groups.0.lr, param_groups.0.<hyperparameter> (float64; betas as (2,)),
    //   param_groups.0.params (int64 indices), state.<i>.<buffer> (float32, the parameter's
    //   shape; `step` is a 0-d float32 as in PyTorch 1.13).
    virtual StateDict state() const;
    // Restores the above (all hyperparameters included, as PyTorch's load_state_dict does).
    // Throws StateDictMismatch, changing nothing, when the dict is for another optimizer type,
    // another parameter count, or other shapes.
    virtual void load_state(const StateDict& dict);

protected:
    // Hyperparameters besides lr, in the order they are saved; vectors for tuples like betas.
    virtual std::vector<std::pair<std::string, std::vector<double>>> hyperparameters() const = 0;
    virtual void set_hyperparameters(const std::map<std::string, std::vector<double>>& values) = 0;
    // Per-parameter buffer names this optimizer may hold ("momentum_buffer", "exp_avg", ...).
    virtual std::vector<std::string> state_names() const = 0;

    // The parameters with a grad, after checking the grad's shape.
    std::vector<size_t> params_with_grad() const;
    // state.<i>.<name>; created on first use (empty Tensor) like torch's lazy state.
    std::map<std::string, Tensor>& param_state(size_t i) { return m_state[i]; }
    // A state buffer of parameter i: zeros shaped like it, on its device, made when missing or
    // stale (after load_state the buffers are host copies: moved to the parameter's device).
    Tensor& state_buffer(size_t i, const std::string& name);
    // The slots of one step, reused from step to step (no allocation in steady state).
    std::vector<ParamSlot>& step_slots() { return m_slots; }

private:
    Backend* m_backend;
    std::vector<ParamSlot> m_slots;
    std::vector<nn::Parameter*> m_params;
    std::vector<std::map<std::string, Tensor>> m_state;
    double m_lr = 0.0;
};

// Factory for the training setup. Options mirror the torch constructors:
//   SGD:   lr (required), momentum 0, dampening 0, weight_decay 0, nesterov false, maximize false
//   Adam:  lr 1e-3, betas [0.9, 0.999], eps 1e-8, weight_decay 0, amsgrad false, maximize false
//   AdamW: as Adam but weight_decay 0.01 (decoupled)
// Errors are SpecError naming `json_path` (".options.<key>" for options) and the valid choices.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, std::vector<nn::Parameter*> params,
                                          const nlohmann::json& options, const std::string& json_path = "optimizer");
std::vector<std::string> optimizer_names();  // SGD, Adam, AdamW

namespace detail {
TypedTensor scalar_f64(double v);
TypedTensor vector_f64(const std::vector<double>& v);
TypedTensor vector_i64(const std::vector<int64_t>& v);
// Reads `key` as float64 values, throwing StateDictMismatch (naming `owner` and the key) when
// missing or malformed.
std::vector<double> read_f64(const StateDict& dict, const std::string& key, const std::string& owner);
// Checks that bytes match shape and dtype (a damaged checkpoint must not read out of bounds).
void check_well_formed(const TypedTensor& t, const std::string& key, const std::string& owner);
}  // namespace detail

}  // namespace nnstudio::optim
