// check_pitfalls: flattens the spec into its execution order (flags resolved, templates
// repeated, widths tracked), then runs each rule over that sequence.
#include "teach/pitfalls.h"

#include "data/csv_loader.h"
#include "error.h"
#include "init/init_scheme.h"
#include "loss/loss_target.h"
#include "nn/layer_registry.h"

#include <algorithm>
#include <set>

namespace nnstudio::teach {
namespace {

using nlohmann::json;
using spec::NodeSpec;

// One layer in execution order.
struct Step {
    std::string type;
    std::string json_path;
    std::string layer_path;
    const json* options = nullptr;  // null for a Residual's after_add activation
    bool in_children_array = false;  // removable/swappable by its json_path
};

// What the layer declarations say about a type (nothing for containers).
const nn::LayerDeclaration* declared(const std::string& t) { return nn::find_layer_declaration(t); }
std::string nonlinearity(const std::string& t) { return declared(t) ? declared(t)->nonlinearity : ""; }
bool is_activation(const std::string& t) { return !nonlinearity(t).empty(); }
// Activations Kaiming initialisation (gain for ReLU) fits.
bool is_relu_like(const std::string& t) { return nonlinearity(t) == "relu" || nonlinearity(t) == "leaky_relu"; }
// Activations that saturate, which Xavier initialisation fits.
bool is_saturating(const std::string& t) { return nonlinearity(t) == "tanh" || nonlinearity(t) == "sigmoid"; }
bool takes_initializer(const std::string& t) { return declared(t) && declared(t)->initializer; }
bool uses_batch_statistics(const std::string& t) { return declared(t) && declared(t)->batch_statistics; }
nn::LayerOutputs outputs_of(const std::string& t) { return declared(t) ? declared(t)->outputs : nn::LayerOutputs::Values; }

std::string join(const std::string& prefix, const std::string& name) { return prefix.empty() ? name : prefix + "." + name; }

class Flattener {
public:
    Flattener(const spec::ModelSpec& spec, const spec::FlagValues& overrides) {
        for (const auto& [name, value] : spec.flags) m_flags[name] = value;
        for (const auto& [name, value] : overrides) {
            if (!m_flags.count(name)) throw SpecError("unknown flag '" + name + "': " + spec.name + " declares none by that name");
            m_flags[name] = value;
        }
    }

    std::vector<Step> steps;
    std::vector<Finding> width_findings;

    // Walks `n` with per-sample input shape `in`; returns its output shape.
    Shape walk(const NodeSpec& n, const Shape& in, const std::string& path, bool in_array) {
        const std::string& t = n.type;
        if (t == "Sequential" || t == "ModuleList") {
            Shape s = in;
            if (!n.templ.empty()) {
                for (int64_t i = 0; i < n.repeat; ++i) s = walk(n.templ[0], s, join(path, std::to_string(i)), false);
                return s;
            }
            return walk_children(n, s, path);
        }
        if (t == "Residual") return walk_residual(n, in, path);
        steps.push_back({t, n.json_path, path, &n.options, in_array});
        // The declared shape rule; a layer that does not fit passes its input on (the builder
        // reports that problem, the checker keeps looking for others).
        const nn::LayerDeclaration& decl = *declared(t);
        try {
            return decl.output_shape(nn::LayerOptions(decl, n.options), in);
        } catch (const ShapeError&) {
            return in;
        }
    }

private:
    bool present(const NodeSpec& n) const {
        if (n.when.empty()) return true;
        const bool negate = n.when[0] == '!';
        const auto it = m_flags.find(negate ? n.when.substr(1) : n.when);
        return it == m_flags.end() || (negate ? !it->second : it->second);
    }

    Shape walk_children(const NodeSpec& n, Shape s, const std::string& path) {
        int64_t index = 0;
        for (const NodeSpec& c : n.children)
            if (present(c)) s = walk(c, s, join(path, c.name.empty() ? std::to_string(index++) : c.name), true);
        return s;
    }

    Shape walk_residual(const NodeSpec& n, const Shape& in, const std::string& path) {
        const Shape out = walk_children(n, in, path);
        if (out != in && !n.options.contains("projection")) {
            width_findings.push_back(
                {"residual_width_mismatch", Severity::Error, n.json_path, path,
                 "The residual body turns " + shape_to_string(in) + " into " + shape_to_string(out) +
                     ", so `out + identity` cannot add the skip: the widths must match (the model does not build).",
                 "Add a Linear projection on the skip path (\"projection\": {} in the model file; the block's Skip path "
                 "in the app's inspector), or make the body end at the input width.",
                 SpecFix{SpecFix::Kind::SetValue, n.json_path + "/projection", json::object()}});
        }
        if (n.options.contains("after_add"))
            steps.push_back({n.options["after_add"].get<std::string>(), n.json_path + "/after_add", path, nullptr, false});
        return out;
    }

    std::map<std::string, bool> m_flags;
};

std::optional<SpecFix> remove_fix(const Step& s) {
    if (!s.in_children_array) return std::nullopt;
    return SpecFix{SpecFix::Kind::RemoveNode, s.json_path, {}};
}

// Float target columns (training.target_columns) need a loss that compares rows, of the output's width.
void check_loss_fits_targets(const spec::ModelSpec& spec, const train::TrainSetup& setup, const spec::FlagValues& flags,
                             std::vector<Finding>& out) {
    if (setup.csv_target_columns.empty()) return;
    const std::string& loss = setup.loss.name;
    const auto width = static_cast<int64_t>(data::parse_target_columns(setup.csv_target_columns).size());
    if (loss::takes_class_indices(loss)) {
        json fixed_loss = {{"name", "MSELoss"}, {"options", json::object()}};
        out.push_back({"loss_does_not_fit_targets", Severity::Error, "/training/loss", "",
                       loss + " takes class indices, but the data has " + std::to_string(width) +
                           " float target column(s) (training.target_columns): it cannot train on them.",
                       "Use MSELoss or L1Loss for regression targets, BCEWithLogitsLoss for 0/1 multi-label targets "
                       "(training.loss, or nnstudio-cli train --loss MSELoss), "
                       "or give a label column (training.label_column) instead of target columns.",
                       SpecFix{SpecFix::Kind::SetValue, "/training/loss", fixed_loss}});
    }
    Shape output;
    try {
        output = spec::build_model(spec, flags).output_shape();
    } catch (const Error&) {
        return;  // a model that does not build has its own findings (residual_width_mismatch)
    }
    if (output.size() == 1 && output[0] == width) return;
    out.push_back({"target_width_mismatch", Severity::Error, "/training/target_columns", "",
                   "The model outputs " + shape_to_string(output) + " per sample but the data has " + std::to_string(width) +
                       " target column(s); " + loss + " needs the target to have the output's shape (" +
                       std::to_string(output.empty() ? 0 : output.back()) + " != " + std::to_string(width) + ").",
                   "Set the last Linear's out_features to " + std::to_string(width) + ", or choose " +
                       (output.size() == 1 ? std::to_string(output[0]) : std::string("as many")) +
                       " target columns (training.target_columns).",
                   std::nullopt});
}

// The last layer before a logits loss must output raw scores.
void check_output_activation(const std::vector<Step>& steps, const train::TrainSetup& setup, std::vector<Finding>& out) {
    const Step& last = steps.back();
    const std::string& loss = setup.loss.name;
    const bool logits_loss = loss == "CrossEntropyLoss" || loss == "BCEWithLogitsLoss";
    const nn::LayerOutputs outputs = outputs_of(last.type);
    if (logits_loss && outputs != nn::LayerOutputs::Values) {
        const bool harmless = outputs == nn::LayerOutputs::LogProbabilities && loss == "CrossEntropyLoss";
        out.push_back({"softmax_before_logits_loss", harmless ? Severity::Info : Severity::Warning, last.json_path,
                       last.layer_path,
                       harmless ? "The model ends in " + last.type + " but CrossEntropyLoss applies log_softmax itself: the "
                                  "result is the same (log_softmax is idempotent), the layer is only wasted work."
                                : "The model ends in " + last.type + " but " + loss + " expects raw logits and applies " +
                                      (loss == "CrossEntropyLoss" ? "softmax" : "the sigmoid") +
                                      " itself: the non-linearity is applied twice, which squashes the gradients and "
                                      "makes training slow and numerically unstable.",
                       "Remove the final " + last.type + " and let " + loss +
                           " see the logits (apply it only when you need probabilities at inference).",
                       remove_fix(last)});
    }
    if (loss == "NLLLoss" && outputs != nn::LayerOutputs::LogProbabilities) {
        json fixed_loss = {{"name", "CrossEntropyLoss"}, {"options", setup.loss.options}};
        out.push_back({"nll_without_log_softmax", Severity::Error, last.json_path, last.layer_path,
                       "NLLLoss expects log-probabilities but the model ends in " + last.type +
                           ": on raw scores the loss is unbounded below and does not train a classifier.",
                       "Use CrossEntropyLoss (LogSoftmax + NLLLoss in one), or end the model with LogSoftmax.",
                       SpecFix{SpecFix::Kind::SetValue, "/training/loss", fixed_loss}});
    }
    if (!loss::takes_class_indices(loss) && setup.csv_target_columns.empty()) {
        // Without target columns the data has class labels: this loss sees them as one-hot rows.
        json fixed_loss = {{"name", "CrossEntropyLoss"}, {"options", json::object()}};
        out.push_back({"loss_on_class_labels", Severity::Info, "/training/loss", "",
                       loss + " compares the output with a row per sample, and the data has class labels: they are "
                              "one-hot encoded (as the exported train.py does with F.one_hot(y, C)), so the last "
                              "layer needs one output per class. For single-label classes CrossEntropyLoss is the usual "
                              "loss" + (loss == "BCEWithLogitsLoss" ? "" : "; " + loss + " on one-hot rows trains slowly") + ".",
                       "Use CrossEntropyLoss for single-label classes, or keep " + loss + " if one-hot regression is meant.",
                       SpecFix{SpecFix::Kind::SetValue, "/training/loss", fixed_loss}});
    }
    if (const nn::LayerDeclaration* d = declared(last.type); d && !d->not_an_output_because.empty()) {
        out.push_back({"regularizer_on_output", Severity::Warning, last.json_path, last.layer_path,
                       "The output layer is " + last.type + ": " + d->not_an_output_because,
                       "BatchNorm and Dropout belong in hidden layers: remove this " + last.type + " from the output.",
                       remove_fix(last)});
    }
}

void check_activation_before_batchnorm(const std::vector<Step>& steps, std::vector<Finding>& out) {
    std::set<std::string> reported;
    for (size_t i = 0; i + 1 < steps.size(); ++i) {
        const Step& a = steps[i];
        const Step& bn = steps[i + 1];
        if (!is_activation(a.type) || !uses_batch_statistics(bn.type) || !reported.insert(a.json_path).second) continue;
        // Swappable when both are neighbours in the same children array.
        std::optional<SpecFix> fix;
        const json::json_pointer pa(a.json_path), pb(bn.json_path);
        if (a.in_children_array && bn.in_children_array && pa.parent_pointer() == pb.parent_pointer() &&
            std::stoul(pa.back()) + 1 == std::stoul(pb.back()))
            fix = SpecFix{SpecFix::Kind::SwapWithNext, a.json_path, {}};
        out.push_back({"activation_before_batchnorm", Severity::Warning, a.json_path, a.layer_path,
                       a.type + " comes directly before " + bn.type + ": batch norm works best on the raw linear output, "
                                "before the non-linearity squashes its distribution.",
                       "Use the conventional order Linear -> BatchNorm1d -> activation -> Dropout (swap the two).",
                       fix});
    }
}

// The initializer each Linear gets and where it is written.
struct InitSource {
    init::InitScheme scheme;
    std::string json_path;  // "/init/default" or "<node>/init"; empty: PyTorch's default
};

InitSource init_of(const Step& linear, const spec::ModelSpec& spec) {
    if (linear.options && linear.options->contains("init"))
        return {init::parse_init_scheme((*linear.options)["init"], linear.json_path + "/init"), linear.json_path + "/init"};
    if (spec.init.contains("default")) return {init::parse_init_scheme(spec.init["default"], "/init/default"), "/init/default"};
    return {init::InitScheme{}, ""};
}

// The activation a Linear feeds (through BatchNorm/Dropout), or "".
std::string activation_after(const std::vector<Step>& steps, size_t i) {
    for (size_t j = i + 1; j < steps.size(); ++j) {
        if (is_activation(steps[j].type)) return steps[j].type;
        // Normalisation and dropout between them leave the activation what the Linear feeds.
        const nn::LayerDeclaration* d = declared(steps[j].type);
        if (!d || (d->category != nn::LayerCategory::Normalization && d->category != nn::LayerCategory::Regularization))
            return "";
    }
    return "";
}

json matching_scheme(const std::string& activation, const init::InitScheme& old) {
    init::InitScheme s;
    if (is_saturating(activation)) {
        s.name = "xavier_uniform";
    } else {
        s.name = "kaiming_uniform";
        s.nonlinearity = "relu";
    }
    s.bias = old.bias;
    return init::to_json(s);
}

void check_init(const std::vector<Step>& steps, const spec::ModelSpec& spec, std::vector<Finding>& out) {
    int64_t relu_linears = 0;
    for (size_t i = 0; i < steps.size(); ++i)
        if (takes_initializer(steps[i].type) && is_relu_like(activation_after(steps, i))) ++relu_linears;
    const bool deep_relu = relu_linears >= 4;
    std::set<std::string> reported;
    for (size_t i = 0; i < steps.size(); ++i) {
        if (!takes_initializer(steps[i].type)) continue;
        const InitSource src = init_of(steps[i], spec);
        const std::string act = activation_after(steps, i);
        const std::string& name = src.scheme.name;
        if (src.json_path.empty() || reported.count(src.json_path)) continue;
        const bool symmetric = name == "zeros" || name == "ones" || name == "constant";
        if (symmetric) {
            reported.insert(src.json_path);
            out.push_back({"symmetric_init", Severity::Error, src.json_path, steps[i].layer_path,
                           "The " + name + " initializer gives every unit of a layer the same weights, so they compute "
                           "the same output and get the same gradient: the symmetry never breaks and the layer acts as one unit.",
                           "Use a random initializer: Kaiming for ReLU, Xavier for tanh/sigmoid.",
                           SpecFix{SpecFix::Kind::SetValue, src.json_path, matching_scheme(act, src.scheme)}});
            continue;
        }
        const bool kaiming = name.rfind("kaiming", 0) == 0, xavier = name.rfind("xavier", 0) == 0;
        const bool kaiming_for_relu = kaiming && (src.scheme.nonlinearity == "relu" || src.scheme.nonlinearity == "leaky_relu");
        std::string why;
        if (kaiming_for_relu && is_saturating(act))
            why = name + " (for ReLU) feeds " + act + ": its larger weights push " + act +
                  " into saturation, where the gradient is near zero.";
        else if (xavier && src.scheme.gain < 1.2 && is_relu_like(act) && deep_relu)
            why = name + " feeds " + act + " in a deep net: Xavier assumes a symmetric activation, but ReLU zeroes half "
                  "of the values, so the activations shrink layer after layer.";
        if (why.empty()) continue;
        reported.insert(src.json_path);
        out.push_back({"init_activation_mismatch", Severity::Warning, src.json_path, steps[i].layer_path, why,
                       is_saturating(act) ? "Use Xavier (Glorot) initialisation for tanh/sigmoid layers."
                                          : "Use Kaiming (He) initialisation with nonlinearity='relu' for ReLU layers.",
                       SpecFix{SpecFix::Kind::SetValue, src.json_path, matching_scheme(act, src.scheme)}});
    }
}

void check_batch_of_one(const std::vector<Step>& steps, const train::TrainSetup& setup, std::vector<Finding>& out) {
    if (setup.batch_size != 1) return;
    for (const Step& s : steps) {
        if (!uses_batch_statistics(s.type)) continue;
        out.push_back({"batchnorm_batch_of_one", Severity::Error, "/training/batch_size", s.layer_path,
                       s.type + " needs more than one sample per batch in train mode (PyTorch: \"Expected more than 1 "
                       "value per channel when training\"): the variance of one value is zero and training stops.",
                       "Train with a batch size of at least 2 (32 is a good start), or remove " + s.type + ".",
                       SpecFix{SpecFix::Kind::SetValue, "/training/batch_size", 32}});
        return;
    }
}

// PyTorch's momentum weighs the new batch (running = (1 - m) * running + m * batch); Keras and
// TensorFlow weigh the old value, so their 0.99 is PyTorch's 0.01. Above 0.5 the running
// statistics follow the last batch almost alone: in PyTorch terms nearly always a ported value.
void check_batchnorm_options(const std::vector<Step>& steps, std::vector<Finding>& out) {
    for (const Step& s : steps) {
        if (s.type != "BatchNorm1d" || !s.options) continue;
        const json& o = *s.options;
        if (o.contains("momentum") && o["momentum"].is_number() && o["momentum"].get<double>() > 0.5) {
            const double m = o["momentum"].get<double>();
            out.push_back({"batchnorm_tensorflow_momentum", Severity::Warning, s.json_path + "/momentum", s.layer_path,
                           "BatchNorm1d momentum=" + json(m).dump() + " makes the running statistics follow the last batch "
                           "almost alone: PyTorch updates running = (1 - momentum) * running + momentum * batch, the "
                           "opposite of TensorFlow/Keras, whose momentum " + json(m).dump() + " is PyTorch's " +
                           json(1.0 - m).dump() + ".",
                           "Use momentum=" + json(1.0 - m).dump() + " (PyTorch's default is 0.1).",
                           SpecFix{SpecFix::Kind::SetValue, s.json_path + "/momentum", 1.0 - m}});
        }
        if (o.contains("track_running_stats") && o["track_running_stats"].is_boolean() && !o["track_running_stats"].get<bool>()) {
            out.push_back({"batchnorm_without_running_stats", Severity::Warning, s.json_path + "/track_running_stats",
                           s.layer_path,
                           "BatchNorm1d(track_running_stats=False) normalises with the batch's own statistics in eval "
                           "mode too: a prediction depends on the other samples in its batch, and a batch of one "
                           "sample raises (PyTorch: \"Expected more than 1 value per channel when training\").",
                           "Keep track_running_stats=True (the default) unless every evaluation uses large batches.",
                           SpecFix{SpecFix::Kind::SetValue, s.json_path + "/track_running_stats", true}});
        }
    }
}

// The Trainer's own checks (train/trainer.cpp), made while editing: the data's samples must be
// the model's input, and the model must output one column per class.
void check_data_fit(const std::vector<Step>& steps, const spec::ModelSpec& spec, const Shape& output,
                    const train::TrainSetup& setup, const data::DataShape& data, std::vector<Finding>& out) {
    if (spec.input_shape != data.input_shape) {
        out.push_back({"data_input_mismatch", Severity::Error, "/input/shape", "",
                       "The model takes samples of shape " + shape_to_string(spec.input_shape) + " but the data (" +
                           setup.data + ") has samples of shape " + shape_to_string(data.input_shape) +
                           ": training stops before the first batch.",
                       "Set the model's input shape to " + shape_to_string(data.input_shape) +
                           " (the first Linear's in_features follows it), or choose data with that shape.",
                       SpecFix{SpecFix::Kind::SetValue, "/input/shape", json(data.input_shape)}});
    }
    if (data.num_classes <= 0 || output == Shape{data.num_classes}) return;
    const std::string& loss = setup.loss.name;
    const std::string classes = std::to_string(data.num_classes);
    const std::string why = loss::takes_class_indices(loss)
                                ? loss + " needs one score per class"
                                : loss + " compares the output with one-hot rows of " + classes + " columns";
    // The last Linear sets the output width (the layers after it keep the width).
    const auto last_linear = std::find_if(steps.rbegin(), steps.rend(), [](const Step& s) { return s.type == "Linear"; });
    std::optional<SpecFix> fix;
    if (output.size() == 1 && last_linear != steps.rend() && last_linear->in_children_array)
        fix = SpecFix{SpecFix::Kind::SetValue, last_linear->json_path + "/out_features", data.num_classes};
    out.push_back({"data_output_mismatch", Severity::Error,
                   last_linear != steps.rend() ? last_linear->json_path : "/root",
                   last_linear != steps.rend() ? last_linear->layer_path : "",
                   "The model outputs " + shape_to_string(output) + " per sample but the data (" + setup.data +
                       ") has " + classes + " classes, and " + why +
                       (output.size() == 1 && output[0] > data.num_classes
                            ? ": the extra outputs are never a target, and training will not start."
                            : ": some classes have no output to score them, and training will not start."),
                   "Set the last Linear's out_features to " + classes + ".", fix});
}

}  // namespace

std::optional<data::DataShape> data_shape_of(const train::TrainSetup& setup) {
    return data::peek_data_shape(data::parse_data_source(setup.data), train::data_options_for(setup));
}

std::string to_string(Severity severity) {
    switch (severity) {
        case Severity::Info: return "info";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "unknown";
}

std::string to_string(SpecFix::Kind kind) {
    switch (kind) {
        case SpecFix::Kind::RemoveNode: return "remove_node";
        case SpecFix::Kind::SwapWithNext: return "swap_with_next";
        case SpecFix::Kind::SetValue: return "set_value";
    }
    return "unknown";
}

const std::vector<std::string>& pitfall_ids() {
    static const std::vector<std::string> ids = {
        "residual_width_mismatch", "data_input_mismatch", "data_output_mismatch", "softmax_before_logits_loss", "nll_without_log_softmax", "loss_on_class_labels",
        "loss_does_not_fit_targets", "target_width_mismatch",
        "regularizer_on_output",
        "activation_before_batchnorm", "symmetric_init", "init_activation_mismatch", "batchnorm_batch_of_one",
        "batchnorm_tensorflow_momentum", "batchnorm_without_running_stats"};
    return ids;
}

train::TrainSetup training_setup_of(const spec::ModelSpec& spec) {
    return spec.extra.contains("training") ? train::parse_train_setup(spec.extra["training"]) : train::TrainSetup{};
}

std::vector<Finding> check_target_values(const data::Dataset& data, const train::TrainSetup& setup) {
    std::vector<Finding> out;
    if (!data.has_targets() || setup.loss.name != "BCEWithLogitsLoss") return out;
    const int64_t t = data.target_width();
    for (int64_t i = 0; i < data.size(); ++i)
        for (int64_t k = 0; k < t; ++k) {
            const float v = data.target(i)[k];
            if (v >= 0.f && v <= 1.f) continue;
            json fixed_loss = {{"name", "MSELoss"}, {"options", json::object()}};
            out.push_back({"loss_does_not_fit_targets", Severity::Error, "/training/loss", "",
                           "BCEWithLogitsLoss compares sigmoid(output) with targets in [0, 1] (0/1 per label of a "
                           "multi-label problem), but target column \"" + data.target_names()[static_cast<size_t>(k)] +
                               "\" of sample " + std::to_string(i) + " is " + std::to_string(v) +
                               ": these are regression values, not labels.",
                           "Use MSELoss or L1Loss for regression targets, or give BCEWithLogitsLoss 0/1 target columns.",
                           SpecFix{SpecFix::Kind::SetValue, "/training/loss", fixed_loss}});
            return out;
        }
    return out;
}

std::vector<Finding> check_pitfalls(const spec::ModelSpec& spec, const train::TrainSetup& setup,
                                    const spec::FlagValues& flags, const std::optional<data::DataShape>& data) {
    Flattener flat(spec, flags);
    const Shape output = flat.walk(spec.root, spec.input_shape, "", false);
    std::vector<Finding> out = std::move(flat.width_findings);
    if (data) check_data_fit(flat.steps, spec, output, setup, *data, out);
    if (flat.steps.empty()) return out;
    check_output_activation(flat.steps, setup, out);
    check_loss_fits_targets(spec, setup, flags, out);
    check_activation_before_batchnorm(flat.steps, out);
    check_init(flat.steps, spec, out);
    check_batch_of_one(flat.steps, setup, out);
    check_batchnorm_options(flat.steps, out);
    return out;
}

}  // namespace nnstudio::teach
