// LrScheduler base (step, state save/restore) and make_scheduler.
#include "optim/lr_scheduler.h"

#include "error.h"
#include "optim/cosine_annealing_lr.h"
#include "optim/step_lr.h"
#include "util/json_options.h"

#include <cmath>
#include <set>

namespace nnstudio::optim {

LrScheduler::LrScheduler(Optimizer& optimizer)
    : m_optimizer(optimizer), m_base_lr(optimizer.lr()), m_last_lr(optimizer.lr()) {}

void LrScheduler::step() {
    ++m_step_count;
    ++m_last_epoch;
    m_last_lr = get_lr(m_optimizer.lr());
    m_optimizer.set_lr(m_last_lr);
}

StateDict LrScheduler::state() const {
    StateDict d;
    d.insert("base_lrs", detail::vector_f64({m_base_lr}));
    d.insert("last_epoch", TypedTensor::scalar_int64(m_last_epoch));
    d.insert("_step_count", TypedTensor::scalar_int64(m_step_count));
    d.insert("_last_lr", detail::vector_f64({m_last_lr}));
    for (const auto& [key, value] : hyperparameters()) d.insert(key, detail::scalar_f64(value));
    return d;
}

void LrScheduler::load_state(const StateDict& dict) {
    const std::string owner = name() + " scheduler state";
    std::set<std::string> known = {"base_lrs", "last_epoch", "_step_count", "_last_lr"};
    std::map<std::string, double> hyper;
    for (const auto& [key, value] : hyperparameters()) {
        known.insert(key);
        (void)value;
    }
    for (const auto& entry : dict)
        if (!known.count(entry.first))
            throw StateDictMismatch(owner + ": unexpected key \"" + entry.first +
                                    "\"; the checkpoint was saved with a different scheduler than " + name());
    auto one = [&](const std::string& key) {
        const std::vector<double> v = detail::read_f64(dict, key, owner);
        if (v.size() != 1 || !std::isfinite(v[0]))
            throw StateDictMismatch(owner + ": \"" + key + "\" must hold one finite number (one parameter group)");
        return v[0];
    };
    const double base_lr = one("base_lrs"), last_lr = one("_last_lr");
    const double last_epoch = one("last_epoch"), step_count = one("_step_count");
    for (const auto& [key, value] : hyperparameters()) {
        (void)value;
        hyper[key] = one(key);
    }
    if (base_lr < 0 || last_lr < 0 || last_epoch < 0 || step_count < 0)
        throw StateDictMismatch(owner + ": negative learning rate or epoch; the checkpoint is damaged");
    try {
        set_hyperparameters(hyper);
    } catch (const StateDictMismatch&) {
        throw;
    } catch (const Error& e) {
        throw StateDictMismatch(owner + ": saved hyperparameters are invalid: " + e.what());
    }
    m_base_lr = base_lr;
    m_last_lr = last_lr;
    m_last_epoch = static_cast<int64_t>(last_epoch);
    m_step_count = static_cast<int64_t>(step_count);
}

std::vector<std::string> scheduler_names() { return {"StepLR", "CosineAnnealingLR"}; }

std::unique_ptr<LrScheduler> make_scheduler(const std::string& name, Optimizer& optimizer,
                                            const nlohmann::json& options, const std::string& json_path) {
    const JsonOptions o(options, json_path + ".options", name);
    if (name == "StepLR") {
        o.allow_only({"step_size", "gamma"});
        if (!o.has("step_size")) o.fail("step_size", "StepLR needs step_size: the number of epochs between decays");
        const int64_t step_size = o.integer("step_size", 1);
        if (step_size < 1) o.fail("step_size", "must be a whole number >= 1");
        const double gamma = o.number("gamma", 0.1);
        if (gamma < 0) o.fail("gamma", "must be >= 0 (0.1 decays the lr tenfold)");
        return std::make_unique<StepLR>(optimizer, step_size, gamma);
    }
    if (name == "CosineAnnealingLR") {
        o.allow_only({"T_max", "eta_min"});
        if (!o.has("T_max")) o.fail("T_max", "CosineAnnealingLR needs T_max: the number of epochs of one half-cosine");
        const int64_t t_max = o.integer("T_max", 1);
        if (t_max < 1) o.fail("T_max", "must be a whole number >= 1");
        const double eta_min = o.number("eta_min", 0.0);
        if (eta_min < 0) o.fail("eta_min", "must be >= 0");
        return std::make_unique<CosineAnnealingLR>(optimizer, t_max, eta_min);
    }
    throw SpecError(json_path + ": unknown scheduler \"" + name + "\"; valid schedulers: " +
                    join_names(scheduler_names()));
}

}  // namespace nnstudio::optim
