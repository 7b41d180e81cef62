// CosineAnnealingLR: cosine decay from base_lr to eta_min over T_max epochs (then back up),
// computed with torch's recursive formula so it composes with other lr changes exactly like it.
#pragma once
#include "optim/lr_scheduler.h"

namespace nnstudio::optim {

class CosineAnnealingLR : public LrScheduler {
public:
    CosineAnnealingLR(Optimizer& optimizer, int64_t t_max, double eta_min = 0.0);  // Error for T_max < 1
    std::string name() const override { return "CosineAnnealingLR"; }
    int64_t t_max() const { return m_t_max; }
    double eta_min() const { return m_eta_min; }

protected:
    // torch 1.13 get_lr(): at (e - 1 - T) % 2T == 0: lr + (base - eta_min)(1 - cos(π/T))/2;
    // otherwise (1 + cos(πe/T)) / (1 + cos(π(e-1)/T)) · (lr - eta_min) + eta_min.
    double get_lr(double current) const override;
    std::vector<std::pair<std::string, double>> hyperparameters() const override;
    void set_hyperparameters(const std::map<std::string, double>& values) override;

private:
    int64_t m_t_max;
    double m_eta_min;
};

}  // namespace nnstudio::optim
