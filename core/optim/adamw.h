// AdamW: Adam with decoupled weight decay (p *= 1 - lr·wd before the Adam update), as
// torch.optim.AdamW; its default weight_decay is 0.01.
#pragma once
#include "optim/adam.h"

namespace nnstudio::optim {

struct AdamWOptions : AdamOptions {
    AdamWOptions() { weight_decay = 0.01; }
};

class AdamW : public Adam {
public:
    // Pass AdamWOptions{} (weight_decay 0.01) for PyTorch's defaults.
    AdamW(std::vector<nn::Parameter*> params, AdamOptions options = AdamWOptions{})
        : Adam(std::move(params), options, /*decoupled_weight_decay=*/true) {}
    std::string name() const override { return "AdamW"; }
};

}  // namespace nnstudio::optim
