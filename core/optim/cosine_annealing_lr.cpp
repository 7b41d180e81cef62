// CosineAnnealingLR: torch 1.13's recursive get_lr(), branch for branch.
#include "optim/cosine_annealing_lr.h"

#include "error.h"

#include <cmath>
#include <numbers>

namespace nnstudio::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t t_max, double eta_min)
    : LrScheduler(optimizer), m_t_max(t_max), m_eta_min(eta_min) {
    set_hyperparameters({{"T_max", double(t_max)}, {"eta_min", eta_min}});
}

double CosineAnnealingLR::get_lr(double current) const {
    const double pi = std::numbers::pi, T = double(m_t_max), e = double(m_last_epoch);
    if (m_last_epoch == 0) return current;
    if (m_step_count == 1 && m_last_epoch > 0)  // only reachable when resumed mid-schedule by epoch
        return m_eta_min + (m_base_lr - m_eta_min) * (1 + std::cos(e * pi / T)) / 2;
    // Python's % is non-negative for a positive divisor; C++'s is not.
    const int64_t period = 2 * m_t_max;
    const int64_t phase = ((m_last_epoch - 1 - m_t_max) % period + period) % period;
    if (phase == 0) return current + (m_base_lr - m_eta_min) * (1 - std::cos(pi / T)) / 2;
    return (1 + std::cos(pi * e / T)) / (1 + std::cos(pi * (e - 1) / T)) * (current - m_eta_min) + m_eta_min;
}

std::vector<std::pair<std::string, double>> CosineAnnealingLR::hyperparameters() const {
    return {{"T_max", double(m_t_max)}, {"eta_min", m_eta_min}};
}

void CosineAnnealingLR::set_hyperparameters(const std::map<std::string, double>& values) {
    const double t_max = values.at("T_max"), eta_min = values.at("eta_min");
    if (!(t_max >= 1) || t_max != std::floor(t_max))
        throw Error("CosineAnnealingLR: T_max must be a whole number >= 1");
    if (!(eta_min >= 0) || !std::isfinite(eta_min)) throw Error("CosineAnnealingLR: eta_min must be >= 0");
    m_t_max = static_cast<int64_t>(t_max);
    m_eta_min = eta_min;
}

}  // namespace nnstudio::optim
