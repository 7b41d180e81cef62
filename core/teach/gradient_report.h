// Gradient inspector: after one backward pass on a batch, per parameter the gradient's mean,
// std, norm and histogram next to the weight's norm, per ReLU layer the share of units that
// never fire, and flags — vanishing, exploding, dead ReLU — each explained with a fix.
#pragma once
#include "teach/histogram.h"
#include "teach/teach_batch.h"
#include "train/train_setup.h"

#include <string>
#include <vector>

namespace nnstudio::teach {

struct ParamGradient {
    std::string name;  // state_dict key, "net.0.weight"
    Shape shape;
    Moments grad;
    double grad_norm = 0;
    double weight_norm = 0;
    Histogram histogram;  // of the gradient's elements
};

struct ReluActivity {
    std::string path;   // the ReLU (or a Residual block ending in one)
    int64_t units = 0;  // features per sample
    double dead_fraction = 0;  // share of units that are 0 for every sample of the batch
};

enum class GradientFlagKind { Vanishing, Exploding, DeadRelu };
std::string to_string(GradientFlagKind kind);  // "vanishing", "exploding", "dead_relu"

struct GradientFlag {
    GradientFlagKind kind;
    std::string target;       // a parameter name or a layer path
    double value = 0;         // the number that tripped it (ratio, norm or dead share)
    std::string explanation;  // one sentence: what is happening and why it hurts
    std::string fix;          // one sentence: what to change
};

struct GradientThresholds {
    double vanishing_ratio = 1e-6;       // grad norm / weight norm below this
    double first_to_last_ratio = 1e-3;   // first Linear's weight grad norm / last Linear's below this
    double exploding_norm = 1e3;         // grad norm above this (or non-finite)
    double dead_relu_fraction = 0.5;     // dead units above this share
};

struct GradientReport {
    double loss = 0;  // CrossEntropyLoss of the batch
    std::vector<ParamGradient> params;  // state_dict order
    std::vector<ReluActivity> relus;    // execution order
    std::vector<GradientFlag> flags;
};

// One train-mode forward/backward (gradients zeroed first; the model keeps them afterwards).
// `loss`: the training setup's loss (class labels become its target as in training, see
// loss/loss_target.h).
GradientReport gradient_report(nn::Model& model, const Batch& batch, const GradientThresholds& thresholds = {},
                               const train::NamedOptions& loss = train::TrainSetup{}.loss);

}  // namespace nnstudio::teach
