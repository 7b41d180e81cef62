// StepLR: torch's chainable get_lr() (lr·gamma at multiples of step_size).
#include "optim/step_lr.h"

#include "error.h"

#include <cmath>

namespace nnstudio::optim {

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LrScheduler(optimizer), m_step_size(step_size), m_gamma(gamma) {
    set_hyperparameters({{"step_size", double(step_size)}, {"gamma", gamma}});
}

double StepLR::get_lr(double current) const {
    if (m_last_epoch == 0 || m_last_epoch % m_step_size != 0) return current;
    return current * m_gamma;
}

std::vector<std::pair<std::string, double>> StepLR::hyperparameters() const {
    return {{"step_size", double(m_step_size)}, {"gamma", m_gamma}};
}

void StepLR::set_hyperparameters(const std::map<std::string, double>& values) {
    const double step_size = values.at("step_size"), gamma = values.at("gamma");
    if (!(step_size >= 1) || step_size != std::floor(step_size))
        throw Error("StepLR: step_size must be a whole number >= 1");
    if (!(gamma >= 0) || !std::isfinite(gamma)) throw Error("StepLR: gamma must be a finite number >= 0");
    m_step_size = static_cast<int64_t>(step_size);
    m_gamma = gamma;
}

}  // namespace nnstudio::optim
