// L1Loss forward and (sub)gradient (accumulated in double).
#include "loss/l1_loss.h"

#include <cmath>

namespace nnstudio::loss {

LossResult L1Loss::compute(const Tensor& input, const Tensor& target) const {
    detail::check_same_shape(name(), input, target);
    const double scale = m_reduction == Reduction::Mean ? 1.0 / double(input.numel()) : 1.0;
    LossResult r;
    r.grad = Tensor(input.shape());
    double sum = 0;
    for (int64_t i = 0; i < input.numel(); ++i) {
        const double diff = double(input[i]) - double(target[i]);
        sum += std::fabs(diff);
        r.grad[i] = static_cast<float>(((diff > 0) - (diff < 0)) * scale);
    }
    r.value = sum * scale;
    return r;
}

}  // namespace nnstudio::loss
