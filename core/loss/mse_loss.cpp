// MSELoss forward and gradient (accumulated in double).
#include "loss/mse_loss.h"

namespace nnstudio::loss {

LossResult MSELoss::compute(const Tensor& input, const Tensor& target) const {
    detail::check_same_shape(name(), input, target);
    const double scale = m_reduction == Reduction::Mean ? 1.0 / double(input.numel()) : 1.0;
    LossResult r;
    r.grad = Tensor(input.shape());
    double sum = 0;
    for (int64_t i = 0; i < input.numel(); ++i) {
        const double diff = double(input[i]) - double(target[i]);
        sum += diff * diff;
        r.grad[i] = static_cast<float>(2.0 * diff * scale);
    }
    r.value = sum * scale;
    return r;
}

}  // namespace nnstudio::loss
