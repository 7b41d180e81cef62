// Declarations of the elementwise activations and Identity: no parameters, output shape = input
// shape; each may follow a Residual's add.
#include "error.h"
#include "nn/activations.h"
#include "nn/layer_registry.h"
#include "nn/pointwise_activation.h"
#include "util/number_text.h"

namespace nnstudio::nn {
namespace {

using Factory = std::function<std::unique_ptr<Module>(const LayerOptions&)>;

LayerDeclaration elementwise(const std::string& type, std::vector<OptionDeclaration> options, Factory make,
                             const std::string& nonlinearity, const std::string& text) {
    LayerDeclaration d;
    d.type = type;
    d.options = std::move(options);
    d.output_shape = [](const LayerOptions&, const Shape& in) { return in; };
    d.state = [](const LayerOptions&, const Shape&) { return std::vector<TensorDeclaration>{}; };
    d.make = [make = std::move(make)](const LayerOptions& o, const Shape&) { return make(o); };
    d.category = LayerCategory::Activation;
    d.nonlinearity = nonlinearity;
    d.palette_text = text;
    d.after_add = true;
    return d;
}

// A float option written in generated code even at its default (nn.LeakyReLU(negative_slope=0.01)).
OptionDeclaration number(const std::string& name, double default_value, const std::string& label,
                         const std::string& doc, double min = -1e6, double max = 1e6) {
    OptionDeclaration o = float_option(name, default_value, min, max, 0.01, label, doc);
    o.always_in_code = true;
    return o;
}

// An activation the backend computes (Activation enum, backend/ops.h) with parameters from options.
template <typename Params>
Factory pointwise(Activation kind, Params params) {
    return [kind, params](const LayerOptions& o) -> std::unique_ptr<Module> {
        return std::make_unique<PointwiseActivation>(o.declaration().type, kind, params(o));
    };
}
ActivationParams no_params(const LayerOptions&) { return {}; }

}  // namespace

const LayerDeclaration& relu_declaration() {
    static const LayerDeclaration d =
        elementwise("ReLU", {}, [](const LayerOptions&) { return std::make_unique<ReLU>(); }, "relu", "max(0, x)");
    return d;
}

const LayerDeclaration& leaky_relu_declaration() {
    static const LayerDeclaration d = elementwise(
        "LeakyReLU", {number("negative_slope", 0.01, "Negative slope", "Slope of the line below zero")},
        [](const LayerOptions& o) { return std::make_unique<LeakyReLU>(static_cast<float>(o.get_float("negative_slope"))); },
        "leaky_relu", "x, or negative_slope · x below zero");
    return d;
}

const LayerDeclaration& gelu_declaration() {
    static const LayerDeclaration d = [] {
        OptionDeclaration approximate = enum_option("approximate", "none", {"none", "tanh"}, "Approximate",
                                                    "none: x·Φ(x) exactly; tanh: the tanh approximation");
        approximate.expects = "\"none\" or \"tanh\"";
        approximate.always_in_code = true;
        return elementwise(
            "GELU", {approximate},
            [](const LayerOptions& o) { return std::make_unique<GELU>(o.get_string("approximate") == "tanh"); }, "relu",
            "Gaussian error linear unit");
    }();
    return d;
}

const LayerDeclaration& sigmoid_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d = elementwise(
            "Sigmoid", {}, [](const LayerOptions&) { return std::make_unique<Sigmoid>(); }, "sigmoid", "1 / (1 + e⁻ˣ)");
        d.outputs = LayerOutputs::Probabilities;
        return d;
    }();
    return d;
}

const LayerDeclaration& tanh_declaration() {
    static const LayerDeclaration d =
        elementwise("Tanh", {}, [](const LayerOptions&) { return std::make_unique<Tanh>(); }, "tanh", "Hyperbolic tangent");
    return d;
}

const LayerDeclaration& elu_declaration() {
    static const LayerDeclaration d = elementwise(
        "ELU", {number("alpha", 1.0, "Alpha", "Value the output approaches below zero: α(eˣ - 1)")},
        pointwise(Activation::ELU, [](const LayerOptions& o) {
            ActivationParams p;
            p.alpha = o.get_float("alpha");
            return p;
        }),
        "relu", "x, or α(eˣ - 1) below zero");
    return d;
}

const LayerDeclaration& selu_declaration() {
    // Self-normalising nets pair SELU with LeCun-normal weights, not Kaiming's or Xavier's.
    static const LayerDeclaration d = elementwise("SELU", {}, pointwise(Activation::SELU, no_params), "selu",
                                                  "Scaled ELU with fixed α and scale (self-normalising)");
    return d;
}

const LayerDeclaration& silu_declaration() {
    static const LayerDeclaration d =
        elementwise("SiLU", {}, pointwise(Activation::SiLU, no_params), "relu", "x · sigmoid(x) (swish)");
    return d;
}

const LayerDeclaration& mish_declaration() {
    static const LayerDeclaration d =
        elementwise("Mish", {}, pointwise(Activation::Mish, no_params), "relu", "x · tanh(softplus(x))");
    return d;
}

const LayerDeclaration& softplus_declaration() {
    static const LayerDeclaration d = elementwise(
        "Softplus",
        {number("beta", 1.0, "Beta", "Sharpness: log(1 + e^(βx)) / β", 1e-6, 1e6),
         number("threshold", 20.0, "Threshold", "Above βx > threshold the layer is linear (numerical stability)")},
        pointwise(Activation::Softplus,
                  [](const LayerOptions& o) {
                      ActivationParams p;
                      p.beta = o.get_float("beta");
                      p.threshold = o.get_float("threshold");
                      return p;
                  }),
        "relu", "Smooth ReLU: log(1 + e^(βx)) / β");
    return d;
}

const LayerDeclaration& hardtanh_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d = elementwise(
        "Hardtanh",
        {number("min_val", -1.0, "Min value", "Lower end of the linear region"),
         number("max_val", 1.0, "Max value", "Upper end of the linear region")},
        pointwise(Activation::Hardtanh,
                  [](const LayerOptions& o) {
                      ActivationParams p;
                      p.min_val = o.get_float("min_val");
                      p.max_val = o.get_float("max_val");
                      return p;
                  }),
        "tanh", "clamp(x, min_val, max_val)");
        d.output_shape = [](const LayerOptions& o, const Shape& in) {
            if (!(o.get_float("min_val") < o.get_float("max_val")))  // PyTorch asserts max_val > min_val
                throw ShapeError("Hardtanh needs min_val < max_val, got min_val=" + number_text(o.get_float("min_val")) +
                                 " and max_val=" + number_text(o.get_float("max_val")) + ": swap or change them");
            return in;
        };
        return d;
    }();
    return d;
}

const LayerDeclaration& identity_declaration() {
    static const LayerDeclaration d = elementwise(
        "Identity", {}, [](const LayerOptions&) { return std::make_unique<Identity>(); }, "", "Passes its input through");
    return d;
}

}  // namespace nnstudio::nn
