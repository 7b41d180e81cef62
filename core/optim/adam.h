// Adam: adaptive moments with bias correction (and AMSGrad), exactly torch.optim.Adam
// (PyTorch 1.13, single-tensor path); also the engine of AdamW (decoupled weight decay).
#pragma once
#include "optim/optimizer.h"

#include <optional>

namespace nnstudio::optim {

struct AdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9, beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.0;  // Adam: L2 added to the gradient; AdamW: decoupled
    bool amsgrad = false;
    bool maximize = false;
    std::optional<std::pair<std::string, std::string>> problem() const;  // {option, message}
};

class Adam : public Optimizer {
public:
    Adam(std::vector<nn::Parameter*> params, AdamOptions options);  // Error for invalid options
    std::string name() const override { return "Adam"; }
    // t += 1; g = grad (+ wd·p for Adam) ; AdamW first p *= 1 - lr·wd;
    // m = β1·m + (1-β1)·g ; v = β2·v + (1-β2)·g² ; v̂ = amsgrad ? max(v̂, v) : v ;
    // p -= (lr / (1-β1^t)) · m / (sqrt(v̂) / sqrt(1-β2^t) + eps)   (eps after the sqrt).
    void step() override;
    const AdamOptions& options() const { return m_options; }

protected:
    Adam(std::vector<nn::Parameter*> params, AdamOptions options, bool decoupled_weight_decay);
    std::vector<std::pair<std::string, std::vector<double>>> hyperparameters() const override;
    void set_hyperparameters(const std::map<std::string, std::vector<double>>& values) override;
    std::vector<std::string> state_names() const override {
        return {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
    }

private:
    AdamOptions m_options;
    bool m_decoupled;
};

}  // namespace nnstudio::optim
