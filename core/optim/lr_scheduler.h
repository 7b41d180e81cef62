// LrScheduler: the base of learning-rate schedules stepped once per epoch (after
// optimizer.step()), following torch.optim.lr_scheduler's recursive (chainable) form.
#pragma once
#include "optim/optimizer.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnstudio::optim {

class LrScheduler {
public:
    // Like torch with last_epoch=-1: base_lr = the optimizer's current lr, last_epoch = 0, and
    // the lr is left unchanged. The optimizer must outlive the scheduler.
    explicit LrScheduler(Optimizer& optimizer);
    virtual ~LrScheduler() = default;
    LrScheduler(const LrScheduler&) = delete;
    LrScheduler& operator=(const LrScheduler&) = delete;

    virtual std::string name() const = 0;  // "StepLR", "CosineAnnealingLR"
    // last_epoch += 1, then optimizer.lr = get_lr() (which reads the optimizer's current lr).
    virtual void step();

    int64_t last_epoch() const { return m_last_epoch; }
    double base_lr() const { return m_base_lr; }
    double last_lr() const { return m_last_lr; }  // torch's get_last_lr()[0]

    // base_lrs (float64 (1,)), last_epoch and _step_count (int64), _last_lr (float64 (1,)) and
    // the schedule's hyperparameters (float64), as torch's scheduler.state_dict().
    StateDict state() const;
    // Restores all of the above; StateDictMismatch (changing nothing) for another scheduler type.
    void load_state(const StateDict& dict);

protected:
    // The new lr for last_epoch (already incremented); `current` is the optimizer's lr.
    virtual double get_lr(double current) const = 0;
    virtual std::vector<std::pair<std::string, double>> hyperparameters() const = 0;
    virtual void set_hyperparameters(const std::map<std::string, double>& values) = 0;  // Error if invalid

    Optimizer& m_optimizer;
    double m_base_lr;
    int64_t m_last_epoch = 0;
    int64_t m_step_count = 1;  // torch counts the step() its constructor makes
    double m_last_lr;
};

// Factory for the training setup:
//   StepLR:            step_size (required, >= 1), gamma 0.1
//   CosineAnnealingLR: T_max (required, >= 1), eta_min 0
// Errors are SpecError naming `json_path` (".options.<key>" for options) and the valid choices.
std::unique_ptr<LrScheduler> make_scheduler(const std::string& name, Optimizer& optimizer,
                                            const nlohmann::json& options, const std::string& json_path = "scheduler");
std::vector<std::string> scheduler_names();  // StepLR, CosineAnnealingLR

}  // namespace nnstudio::optim
