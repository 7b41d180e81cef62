// ElementwiseLoss: shape check here; value and gradient (in double) on the backend.
#include "loss/elementwise_loss.h"

namespace nnstudio::loss {

LossResult ElementwiseLoss::compute(const Tensor& input, const Tensor& target) const {
    detail::check_same_shape(name(), input, target);
    LossResult r;
    r.grad = grad_buffer(input);
    run(backend(), {.n = input.numel(),
                    .input = on_device(input, m_input),
                    .target = on_device(target, m_target),
                    .reduction = to_backend(m_reduction),
                    .value = value_slot(),
                    .grad = r.grad.data()});
    r.value = read_value();
    return r;
}

}  // namespace nnstudio::loss
