// Loss factory and the target checks the losses share.
#include "loss/loss.h"

#include "backend/registry.h"
#include "error.h"
#include "loss/bce_with_logits_loss.h"
#include "loss/cross_entropy_loss.h"
#include "loss/l1_loss.h"
#include "loss/mse_loss.h"
#include "loss/nll_loss.h"
#include "util/json_options.h"
#include "util/number_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace nnstudio::loss {

std::string reduction_name(Reduction r) { return r == Reduction::Mean ? "mean" : "sum"; }

Loss::Loss() : m_backend(&default_backend()) {}

const float* Loss::on_device(const Tensor& t, Tensor& scratch) const {
    const Device device = m_backend->device();
    if (t.device() == device) return t.data();
    scratch.resize(t.shape(), device);
    scratch.copy_from(t);
    return scratch.data();
}

const float* Loss::weights_on_device(const std::vector<double>& weight, Tensor& cache) const {
    if (weight.empty()) return nullptr;
    const Device device = m_backend->device();
    if (cache.device() != device || cache.numel() != static_cast<int64_t>(weight.size())) {
        const Shape shape{static_cast<int64_t>(weight.size())};
        cache = Tensor::from_data(shape, std::vector<float>(weight.begin(), weight.end())).to(device);
    }
    return cache.data();
}

Tensor Loss::grad_buffer(const Tensor& input) const { return Tensor(input.shape(), 0.0f, m_backend->device()); }

double* Loss::value_slot() const {
    m_value.resize({2}, m_backend->device());
    return reinterpret_cast<double*>(m_value.data());  // tensor storage is 64-byte aligned
}

double Loss::read_value() const {
    double v = 0.0;
    m_backend->copy_to_host(&v, m_value.data(), sizeof v);
    return v;
}

std::vector<std::string> loss_names() {
    return {"CrossEntropyLoss", "NLLLoss", "MSELoss", "L1Loss", "BCEWithLogitsLoss"};
}

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

Reduction read_reduction(const JsonOptions& o) {
    const std::string r = o.string("reduction", "mean");
    if (r == "mean") return Reduction::Mean;
    if (r == "sum") return Reduction::Sum;
    o.fail("reduction", "\"" + r + "\" is not supported; use \"mean\" or \"sum\" (the trainer needs a scalar loss)");
}

std::vector<double> read_weight(const JsonOptions& o, const std::string& key) {
    const std::vector<double> w = o.numbers(key);
    if (o.has(key) && w.empty()) o.fail(key, "must list at least one weight");
    for (double v : w)
        if (v < 0) o.fail(key, "weights must be >= 0");
    return w;
}

}  // namespace

std::unique_ptr<Loss> make_loss(const std::string& name, const nlohmann::json& options, const std::string& json_path) {
    const JsonOptions o(options, json_path + ".options", name);
    if (name == "CrossEntropyLoss") {
        o.allow_only({"reduction", "weight", "ignore_index", "label_smoothing"});
        CrossEntropyOptions c;
        c.reduction = read_reduction(o);
        c.weight = read_weight(o, "weight");
        c.ignore_index = o.integer("ignore_index", c.ignore_index);
        c.label_smoothing = o.number("label_smoothing", 0.0);
        if (c.label_smoothing < 0 || c.label_smoothing > 1)
            o.fail("label_smoothing", "must be between 0 and 1 (0.1 is typical), got " +
                                          number_text(c.label_smoothing));
        return std::make_unique<CrossEntropyLoss>(c);
    }
    if (name == "NLLLoss") {
        o.allow_only({"reduction", "weight", "ignore_index"});
        NllOptions n;
        n.reduction = read_reduction(o);
        n.weight = read_weight(o, "weight");
        n.ignore_index = o.integer("ignore_index", n.ignore_index);
        return std::make_unique<NLLLoss>(n);
    }
    if (name == "MSELoss" || name == "L1Loss") {
        o.allow_only({"reduction"});
        const Reduction r = read_reduction(o);
        if (name == "MSELoss") return std::make_unique<MSELoss>(r);
        return std::make_unique<L1Loss>(r);
    }
    if (name == "BCEWithLogitsLoss") {
        o.allow_only({"reduction", "weight", "pos_weight"});
        BceWithLogitsOptions b;
        b.reduction = read_reduction(o);
        b.weight = read_weight(o, "weight");
        b.pos_weight = read_weight(o, "pos_weight");
        return std::make_unique<BCEWithLogitsLoss>(b);
    }
    std::string hint;
    for (const std::string& n : loss_names())
        if (lower(n) == lower(name) || lower(n) == lower(name) + "loss") hint = " (did you mean " + n + "?)";
    throw SpecError(json_path + ": unknown loss \"" + name + "\"" + hint + "; valid losses: " +
                    join_names(loss_names()));
}

namespace detail {

std::vector<int64_t> class_targets(const std::string& loss, const Tensor& input, const Tensor& target,
                                   int64_t ignore_index) {
    if (input.dim() != 2 || input.size(0) == 0 || input.size(1) == 0)
        throw ShapeError(loss + ": input must be (batch, classes) with both > 0, got " +
                         shape_to_string(input.shape()));
    const int64_t batch = input.size(0), classes = input.size(1);
    if (target.dim() != 1 || target.size(0) != batch) {
        std::string hint;
        if (target.shape() == input.shape())
            hint = "; targets must be class indices, not one-hot/probability rows (take argmax per row)";
        else if (target.dim() == 2 && target.size(0) == batch && target.size(1) == 1)
            hint = "; flatten the target to (" + std::to_string(batch) + ",)";
        throw ShapeError(loss + ": target must be (" + std::to_string(batch) + ",) class indices for input " +
                         shape_to_string(input.shape()) + ", got " + shape_to_string(target.shape()) + hint);
    }
    std::vector<int64_t> out(static_cast<size_t>(batch));
    const std::vector<float> values = target.to_vector();  // B numbers, wherever they live
    for (int64_t i = 0; i < batch; ++i) {
        const double v = values[i];
        const bool whole = std::isfinite(v) && v == std::floor(v);
        const int64_t c = whole ? static_cast<int64_t>(v) : 0;
        if (!whole || ((c < 0 || c >= classes) && c != ignore_index)) {
            throw Error(loss + ": target[" + std::to_string(i) + "] = " + std::to_string(v) +
                        " is not a class index in [0, " + std::to_string(classes) + ")" + "; the model outputs " +
                        std::to_string(classes) + " classes, so make the output layer's out_features match "
                        "the number of classes in the data (labels must be 0-based)");
        }
        out[static_cast<size_t>(i)] = c;
    }
    return out;
}

void check_class_weight(const std::string& loss, const std::vector<double>& weight, int64_t classes) {
    if (!weight.empty() && static_cast<int64_t>(weight.size()) != classes)
        throw ShapeError(loss + ": the class weight has " + std::to_string(weight.size()) +
                         " entries but the input has " + std::to_string(classes) +
                         " classes; give one weight per class");
}

void check_same_shape(const std::string& loss, const Tensor& input, const Tensor& target) {
    if (input.shape() != target.shape()) {
        std::string hint;
        if (input.numel() == target.numel())
            hint = "; reshape the target to " + shape_to_string(input.shape()) +
                   " (PyTorch would broadcast this silently and compute the wrong loss)";
        throw ShapeError(loss + ": input " + shape_to_string(input.shape()) + " and target " +
                         shape_to_string(target.shape()) + " must have the same shape" + hint);
    }
    if (input.numel() == 0) throw ShapeError(loss + ": the input is empty (batch of size 0)");
}

}  // namespace detail
}  // namespace nnstudio::loss
