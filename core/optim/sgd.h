// SGD: stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay,
// exactly torch.optim.SGD's algorithm (PyTorch 1.13, single-tensor path).
#pragma once
#include "optim/optimizer.h"

#include <optional>

namespace nnstudio::optim {

struct SgdOptions {
    double lr = 0.01;  // PyTorch requires lr; make_optimizer insists on it
    double momentum = 0.0;
    double dampening = 0.0;
    double weight_decay = 0.0;
    bool nesterov = false;
    bool maximize = false;
    // {option, message} for the first invalid option, as torch's constructor checks.
    std::optional<std::pair<std::string, std::string>> problem() const;
};

class SGD : public Optimizer {
public:
    SGD(std::vector<nn::Parameter*> params, SgdOptions options);  // Error for invalid options
    std::string name() const override { return "SGD"; }
    // g = grad (+ wd·p); with momentum: buf = g on the first step (no dampening), else
    // buf = momentum·buf + (1 - dampening)·g; g = nesterov ? g + momentum·buf : buf; p -= lr·g.
    void step() override;
    const SgdOptions& options() const { return m_options; }

protected:
    std::vector<std::pair<std::string, std::vector<double>>> hyperparameters() const override;
    void set_hyperparameters(const std::map<std::string, std::vector<double>>& values) override;
    std::vector<std::string> state_names() const override { return {"momentum_buffer"}; }

private:
    SgdOptions m_options;
};

}  // namespace nnstudio::optim
