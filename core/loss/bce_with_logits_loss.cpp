// BCEWithLogitsLoss: shape and broadcast checks here; ATen's overflow-free value and gradient (in
// double) on the backend.
#include "loss/bce_with_logits_loss.h"

#include "error.h"

namespace nnstudio::loss {

BCEWithLogitsLoss::BCEWithLogitsLoss(BceWithLogitsOptions options) : m_options(std::move(options)) {}

namespace {
// A per-class vector broadcast over the last dimension: 1 value, or one per position.
void check_broadcast(const std::string& what, const std::vector<double>& v, const Tensor& input) {
    const int64_t last = input.dim() == 0 ? 1 : input.size(-1);
    if (v.size() > 1 && static_cast<int64_t>(v.size()) != last)
        throw ShapeError("BCEWithLogitsLoss: " + what + " has " + std::to_string(v.size()) +
                         " entries but the input's last dimension is " + std::to_string(last) +
                         "; give one value per output (or a single value)");
}
}  // namespace

LossResult BCEWithLogitsLoss::compute(const Tensor& input, const Tensor& target) const {
    detail::check_same_shape(name(), input, target);
    check_broadcast("weight", m_options.weight, input);
    check_broadcast("pos_weight", m_options.pos_weight, input);
    LossResult r;
    r.grad = grad_buffer(input);
    backend().bce_with_logits_loss({.n = input.numel(),
                                    .last_dim = input.dim() == 0 ? 1 : input.size(-1),
                                    .input = on_device(input, m_input),
                                    .target = on_device(target, m_target),
                                    .weight = weights_on_device(m_options.weight, m_weight),
                                    .weight_size = static_cast<int64_t>(m_options.weight.size()),
                                    .pos_weight = weights_on_device(m_options.pos_weight, m_pos_weight),
                                    .pos_weight_size = static_cast<int64_t>(m_options.pos_weight.size()),
                                    .reduction = to_backend(m_options.reduction),
                                    .value = value_slot(),
                                    .grad = r.grad.data()});
    r.value = read_value();
    return r;
}

}  // namespace nnstudio::loss
