// BatchNorm1d's declaration: eps, momentum (None: cumulative average), affine,
// track_running_stats; num_features is inferred from the (batch, features) input.
#include "error.h"
#include "nn/batch_norm1d.h"
#include "nn/layer_registry.h"

namespace nnstudio::nn {

const LayerDeclaration& batch_norm1d_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d;
        d.type = "BatchNorm1d";
        OptionDeclaration momentum = float_option("momentum", 0.1, 0, 1, 0.01, "Momentum",
                                                  "weight of the batch in the running statistics; None: cumulative average");
        momentum.nullable = true;
        momentum.none_label = "None (cumulative average)";
        d.options = {
            float_option("eps", 1e-5, 1e-12, 1, 1e-5, "eps", "added to the variance for numerical stability"),
            momentum,
            bool_option("affine", true, "Affine (learnable γ, β)", "whether the layer learns a scale γ and shift β"),
            bool_option("track_running_stats", true, "Track running stats",
                        "whether eval mode uses running statistics (else batch ones)"),
        };
        d.output_shape = [](const LayerOptions&, const Shape& in) {
            if (in.size() != 1)
                throw ShapeError("BatchNorm1d needs (batch, features) input but gets per-sample shape " +
                                 shape_to_string(in) + ": put a Flatten before it");
            return in;
        };
        d.state = [](const LayerOptions& o, const Shape& in) {
            std::vector<TensorDeclaration> s;
            if (o.get_bool("affine")) s = {{"weight", {in[0]}}, {"bias", {in[0]}}};
            if (o.get_bool("track_running_stats")) {
                s.push_back({"running_mean", {in[0]}, false});
                s.push_back({"running_var", {in[0]}, false});
                s.push_back({"num_batches_tracked", {}, false});
            }
            return s;
        };
        d.make = [](const LayerOptions& o, const Shape& in) -> std::unique_ptr<Module> {
            BatchNormOptions bo;
            bo.eps = o.get_float("eps");
            bo.momentum = o.is_none("momentum") ? std::nullopt : std::optional<double>(o.get_float("momentum"));
            bo.affine = o.get_bool("affine");
            bo.track_running_stats = o.get_bool("track_running_stats");
            return std::make_unique<BatchNorm1d>(in[0], bo);
        };
        d.inferred_arguments = [](const LayerOptions&, const Shape& in) {
            return std::vector<std::string>{std::to_string(in[0])};
        };
        d.category = LayerCategory::Normalization;
        d.palette_text = "Normalises each feature over the batch (num_features inferred)";
        d.batch_statistics = true;
        d.not_an_output_because =
            "it forces every logit to zero mean and unit variance over the batch, which fights the loss and makes "
            "predictions depend on the rest of the batch.";
        return d;
    }();
    return d;
}

}  // namespace nnstudio::nn
