// StepLR: multiplies the lr by gamma every step_size epochs (torch.optim.lr_scheduler.StepLR).
#pragma once
#include "optim/lr_scheduler.h"

namespace nnstudio::optim {

class StepLR : public LrScheduler {
public:
    StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);  // Error for step_size < 1
    std::string name() const override { return "StepLR"; }
    int64_t step_size() const { return m_step_size; }
    double gamma() const { return m_gamma; }

protected:
    // lr·gamma when last_epoch is a positive multiple of step_size, else lr unchanged.
    double get_lr(double current) const override;
    std::vector<std::pair<std::string, double>> hyperparameters() const override;
    void set_hyperparameters(const std::map<std::string, double>& values) override;

private:
    int64_t m_step_size;
    double m_gamma;
};

}  // namespace nnstudio::optim
