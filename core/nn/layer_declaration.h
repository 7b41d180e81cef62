// LayerDeclaration: everything the program knows about one leaf layer type, written once next to
// its module (DESIGN.md §4b). The validator, builder, code export, inspector, palette and pitfall
// checker read it; none of them keeps its own list of layers, options or defaults.
#pragma once
#include "nn/module.h"

#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnstudio::nn {

enum class OptionType { Bool, Int, Float, Enum, IntList };

// One constructor argument of the PyTorch class, as the model file spells it.
struct OptionDeclaration {
    std::string name;  // model file key = PyTorch's constructor argument ("negative_slope")
    OptionType type = OptionType::Float;
    // PyTorch's default. Null: the option has no default (`required`), is inferred from the input
    // when absent (LayerNorm's normalized_shape) or means Python's None (`nullable`).
    nlohmann::json default_value;
    double min = -std::numeric_limits<double>::infinity();  // Int/Float: inclusive bounds
    double max = std::numeric_limits<double>::infinity();
    std::vector<std::string> choices;  // Enum: the allowed strings
    bool required = false;             // the file must give it (Linear's out_features)
    bool nullable = false;             // null is allowed and means None (BatchNorm1d's momentum)
    std::string label;                 // the inspector's label
    std::string doc;                   // one line, for tooltips
    double step = 0.1;                 // Float: the inspector's spin box step
    nlohmann::json initial;            // non-null: the value a new node from the palette starts with
    std::string expects;               // what a valid value is, for errors; empty: from type and range
    std::string none_label;            // nullable: the inspector's text for None
    // Whether generated code writes the argument even at its default (nn.Dropout(p=0.5) reads
    // better than nn.Dropout()); otherwise only values that differ from the default are written.
    bool always_in_code = false;

    // "a probability between 0 and 1", "a positive integer", "one of none, tanh", ...
    std::string expected_text() const;
    // Whether `value` is acceptable (type, range, choices, null); `why` gets the reason if not.
    bool accepts(const nlohmann::json& value, std::string* why = nullptr) const;
};

// The usual shapes of an option; set the rarer fields on the result.
OptionDeclaration bool_option(std::string name, bool default_value, std::string label, std::string doc);
OptionDeclaration int_option(std::string name, nlohmann::json default_value, double min, double max, std::string label,
                             std::string doc);
OptionDeclaration float_option(std::string name, nlohmann::json default_value, double min, double max, double step,
                               std::string label, std::string doc);
OptionDeclaration enum_option(std::string name, std::string default_value, std::vector<std::string> choices,
                              std::string label, std::string doc);
// A list of positive integers, or one (8 meaning [8], as PyTorch takes an int for a shape);
// inferred when absent.
OptionDeclaration int_list_option(std::string name, std::string label, std::string doc);

enum class LayerCategory { Linear, Normalization, Activation, Regularization, Reshape };

// What the last layer of a model outputs, for the loss pitfalls.
enum class LayerOutputs { Values, Probabilities, LogProbabilities };

// A parameter or buffer a layer registers (its state_dict entry below the layer's prefix).
struct TensorDeclaration {
    std::string name;  // "weight", "running_mean", ...
    Shape shape;       // {} for a 0-d tensor (num_batches_tracked)
    bool parameter = true;  // false: a buffer
};

class LayerOptions;

struct LayerDeclaration {
    std::string type;  // PyTorch's class name: "LeakyReLU"
    std::vector<OptionDeclaration> options;

    // Per-sample input shape -> output shape (no batch dimension). Throws ShapeError naming the
    // layer and the fix ("BatchNorm1d needs (batch, features) input ...: put a Flatten before it").
    std::function<Shape(const LayerOptions&, const Shape& in)> output_shape;
    // Parameters and buffers in registration order (= state_dict order), for input shape `in`.
    std::function<std::vector<TensorDeclaration>(const LayerOptions&, const Shape& in)> state;
    // The module for input shape `in` (already checked by output_shape). Parameters start as
    // PyTorch's reset_parameters() leaves them, except Linear's, which initialize_model() draws.
    std::function<std::unique_ptr<Module>(const LayerOptions&, const Shape& in)> make;
    // PyTorch constructor arguments that come from the input shape, written before the options
    // in generated code: Linear's in_features ({"784"}), BatchNorm1d's num_features.
    std::function<std::vector<std::string>(const LayerOptions&, const Shape& in)> inferred_arguments;

    // Whether the node takes an "init" key: an initializer scheme for its weights
    // (init/init_scheme.h), which initialize_model() applies (Linear).
    bool initializer = false;

    LayerCategory category = LayerCategory::Activation;
    std::string palette_text;  // one line on what it does (palette tooltip, inspector)
    // Pitfall checker facts. `nonlinearity`: the torch.nn.init.calculate_gain name the
    // initializer before it should use ("relu", "tanh", ...); empty: not an activation.
    std::string nonlinearity;
    LayerOutputs outputs = LayerOutputs::Values;
    bool batch_statistics = false;  // normalises over the batch: needs batches of 2+ in training
    // Why the layer must not be a model's output layer ("" when it may be).
    std::string not_an_output_because;
    // Whether it can follow a Residual's add (an elementwise function without parameters).
    bool after_add = false;

    const OptionDeclaration* option(const std::string& name) const;
    // PyTorch constructor text, e.g. nn.LeakyReLU(negative_slope=0.2), for input shape `in`.
    std::string constructor_text(const nlohmann::json& options, const Shape& in) const;
};

// A node's options seen through its declaration: absent keys read as the declared default.
class LayerOptions {
public:
    LayerOptions(const LayerDeclaration& declaration, const nlohmann::json& options);
    const LayerDeclaration& declaration() const { return m_declaration; }
    bool has(const std::string& name) const;  // given in the file (not the default)
    bool is_none(const std::string& name) const;  // the value (given or default) is null
    bool get_bool(const std::string& name) const;
    int64_t get_int(const std::string& name) const;
    double get_float(const std::string& name) const;
    std::string get_string(const std::string& name) const;
    std::vector<int64_t> get_int_list(const std::string& name) const;

private:
    const nlohmann::json& value(const std::string& name) const;
    const LayerDeclaration& m_declaration;
    const nlohmann::json& m_options;
};

// Python literals as generated code writes them: shortest round-trip float ("0.2", "1e-05"),
// True/False, None, quoted strings, [a, b] lists.
std::string python_literal(const nlohmann::json& value, OptionType type);

}  // namespace nnstudio::nn
