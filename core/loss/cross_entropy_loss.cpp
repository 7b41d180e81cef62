// CrossEntropyLoss: target and weight checks here; the value and gradient (in double, as ATen's
// cross_entropy_loss_label_smoothing) on the backend.
#include "loss/cross_entropy_loss.h"

#include "error.h"

namespace nnstudio::loss {

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyOptions options) : m_options(std::move(options)) {
    if (m_options.label_smoothing < 0 || m_options.label_smoothing > 1)
        throw Error("CrossEntropyLoss: label_smoothing must be between 0 and 1");
}

LossResult CrossEntropyLoss::compute(const Tensor& input, const Tensor& target) const {
    detail::class_targets(name(), input, target, m_options.ignore_index);
    detail::check_class_weight(name(), m_options.weight, input.size(1));
    LossResult r;
    r.grad = grad_buffer(input);
    backend().cross_entropy_loss({.batch = input.size(0),
                                  .classes = input.size(1),
                                  .input = on_device(input, m_input),
                                  .target = on_device(target, m_target),
                                  .weight = weights_on_device(m_options.weight, m_weight),
                                  .ignore_index = m_options.ignore_index,
                                  .label_smoothing = m_options.label_smoothing,
                                  .reduction = to_backend(m_options.reduction),
                                  .value = value_slot(),
                                  .grad = r.grad.data()});
    r.value = read_value();
    return r;
}

}  // namespace nnstudio::loss
