// InitScheme: a named initializer with its options as stored in the model file
// ("init": {"default": {"scheme": "kaiming_uniform", "nonlinearity": "relu"}}), and applying it
// to a Linear layer's weight and bias.
#pragma once
#include "tensor/tensor.h"
#include "util/random.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnstudio::init {

// Only the fields a scheme uses are read; the rest keep their defaults (torch.nn.init's defaults).
struct InitScheme {
    std::string name = "pytorch_default";  // one of init_scheme_names()
    double gain = 1;                        // xavier_*, orthogonal
    double a = 0;                           // kaiming_*: leaky_relu negative slope
    std::string mode = "fan_in";            // kaiming_*: "fan_in" | "fan_out"
    std::string nonlinearity = "leaky_relu";  // kaiming_*
    double mean = 0, std = 1;               // normal
    double low = 0, high = 1;               // uniform
    double value = 0;                       // constant
    // Every scheme but pytorch_default: "zeros" (as the seed article's init functions do) or
    // "pytorch_default" (U(-1/sqrt(in), 1/sqrt(in)), what nn.Linear would have).
    std::string bias = "zeros";

    bool operator==(const InitScheme&) const = default;
};

// pytorch_default, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, orthogonal,
// uniform, normal, constant, zeros, ones.
std::vector<std::string> init_scheme_names();
std::vector<std::string> init_bias_names();  // zeros, pytorch_default

// Accepts {"scheme": NAME, ...options} or a bare "NAME". Throws SpecError naming `json_path`
// (e.g. "init.default.mode") for an unknown scheme (listing the valid ones), an option the scheme
// does not take, a wrong type or an out-of-range value.
InitScheme parse_init_scheme(const nlohmann::json& j, const std::string& json_path);

// {"scheme": NAME} plus only the fields that differ from their defaults.
nlohmann::json to_json(const InitScheme& scheme);

// weight: (out, in); bias: (out) or null. Throws Error for an invalid scheme built in code.
void apply_linear_init(const InitScheme& scheme, Tensor& weight, Tensor* bias, Rng& rng);

}  // namespace nnstudio::init
