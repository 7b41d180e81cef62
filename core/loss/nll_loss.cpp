// NLLLoss: target and weight checks here; value and gradient (in double) on the backend.
#include "loss/nll_loss.h"

namespace nnstudio::loss {

NLLLoss::NLLLoss(NllOptions options) : m_options(std::move(options)) {}

LossResult NLLLoss::compute(const Tensor& input, const Tensor& target) const {
    detail::class_targets(name(), input, target, m_options.ignore_index);
    detail::check_class_weight(name(), m_options.weight, input.size(1));
    LossResult r;
    r.grad = grad_buffer(input);
    backend().nll_loss({.batch = input.size(0),
                        .classes = input.size(1),
                        .input = on_device(input, m_input),
                        .target = on_device(target, m_target),
                        .weight = weights_on_device(m_options.weight, m_weight),
                        .ignore_index = m_options.ignore_index,
                        .reduction = to_backend(m_options.reduction),
                        .value = value_slot(),
                        .grad = r.grad.data()});
    r.value = read_value();
    return r;
}

}  // namespace nnstudio::loss
