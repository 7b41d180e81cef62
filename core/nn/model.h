// Model: a built module tree plus what the file said about it (name, input shape, flag values,
// per-layer facts for the summary) — the unit the Trainer, the CLI and the GUI work on.
#pragma once
#include "nn/module.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnstudio::nn {

// One module of the tree, in pre-order (as named_modules()).
struct LayerInfo {
    std::string path;        // state_dict prefix: "blocks.0.fc1"; "" for the root
    std::string type;
    int depth = 0;
    Shape output_shape;      // per sample
    Module* module = nullptr;
    std::string json_path;   // node in the model file
    nlohmann::json init;     // per-layer initializer override (Linear), null if none
    Shape input_shape;       // per sample
    nlohmann::json options;  // the node's options as built (a Residual's projection: its Linear's, its BatchNorm1d's)
};

// What load_state_dict found, all at once (as PyTorch's error lists them).
struct LoadReport {
    std::vector<std::string> missing;     // in the model, not in the file
    std::vector<std::string> unexpected;  // in the file, not in the model
    std::vector<std::string> mismatched;  // same key, wrong shape or dtype (with details)
    bool ok() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
    std::string message(const std::string& model_name) const;  // PyTorch-style multi-line text
};

class Model {
public:
    Model(std::string name, Shape input_shape, std::map<std::string, bool> flags,
          std::unique_ptr<Module> root, std::vector<LayerInfo> layers, nlohmann::json default_init);

    const std::string& name() const { return m_name; }
    const Shape& input_shape() const { return m_input_shape; }
    Shape output_shape() const;
    const std::map<std::string, bool>& flags() const { return m_flags; }
    Module& root() { return *m_root; }
    const std::vector<LayerInfo>& layers() const { return m_layers; }
    const nlohmann::json& default_init() const { return m_default_init; }

    // x: (B, *input_shape); checks the shape, naming it. The result is a buffer of the model,
    // valid until the next forward in the same grad mode (copy it to keep it).
    const Tensor& forward(const Tensor& x);
    const Tensor& backward(const Tensor& grad_out) { return m_root->backward(grad_out); }
    // Runs the model on `backend` from now on (parameters and buffers move to its device); inputs
    // may live anywhere: forward() copies them to the model's device.
    void to(Backend& backend) { m_root->to(backend); }
    Backend& backend() const { return m_root->backend(); }
    void train(bool on = true) { m_root->train(on); }
    void eval() { m_root->train(false); }
    bool is_training() const { return m_root->is_training(); }
    void zero_grad() { m_root->zero_grad(); }

    std::vector<std::pair<std::string, Parameter*>> named_parameters() { return m_root->named_parameters(); }
    std::vector<Parameter*> parameters();
    int64_t parameter_count() { return m_root->parameter_count(); }
    StateDict state_dict() const { return m_root->state_dict(); }
    // Copies matching tensors in; with strict, any missing/unexpected/mismatched key throws
    // StateDictMismatch listing them all and changes nothing.
    LoadReport load_state_dict(const StateDict& sd, bool strict = true);

    // Gives every Dropout its own stream derived from `seed` (reproducible runs).
    void seed_dropout(uint64_t seed);

private:
    std::string m_name;
    Shape m_input_shape;
    std::map<std::string, bool> m_flags;
    std::unique_ptr<Module> m_root;
    std::vector<LayerInfo> m_layers;
    nlohmann::json m_default_init;
    Tensor m_recorded_input;  // a recorded forward's input, kept alive for backward()
    Tensor m_eval_input;      // an unrecorded forward's input when it came from another device
};

}  // namespace nnstudio::nn
