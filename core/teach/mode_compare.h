// Train vs eval A/B: one batch through the model in train mode and in eval mode — loss,
// accuracy, how far the outputs differ, per BatchNorm1d the batch statistics next to the running
// ones eval() uses, per Dropout the units dropped in train mode. What forgetting model.eval()
// does, in numbers.
#pragma once
#include "teach/teach_batch.h"
#include "train/train_setup.h"

#include <string>
#include <vector>

namespace nnstudio::teach {

struct ModeRun {
    Tensor output;  // (B, C)
    double loss = 0;      // CrossEntropyLoss against the batch labels
    double accuracy = 0;  // share of argmax == label
};

struct BatchNormStats {
    std::string path;
    // Per feature (C): the train-mode batch's mean and biased variance (what train() normalises
    // with), and the running estimates eval() normalises with (before this batch updated them).
    std::vector<float> batch_mean, batch_var, running_mean, running_var;
    double mean_abs_mean_diff = 0, max_abs_mean_diff = 0;  // |batch_mean - running_mean|
    double mean_abs_var_diff = 0, max_abs_var_diff = 0;    // |batch_var - running_var|
};

struct DropoutStats {
    std::string path;
    double p = 0;
    Tensor kept;                  // (B, F) 1 where the unit survived train mode, 0 where dropped
    double dropped_fraction = 0;  // share of zeros in `kept`
};

struct ModeComparison {
    ModeRun train, eval;
    double max_abs_output_diff = 0, mean_abs_output_diff = 0;
    std::vector<BatchNormStats> batch_norms;  // in module order
    std::vector<DropoutStats> dropouts;
};

// Leaves the model as it was: its state_dict (running statistics, num_batches_tracked) is
// restored after the train-mode pass, and its train/eval mode too. The eval outputs are exactly
// the model's plain eval forward. A batch of one sample with a BatchNorm1d is refused as PyTorch
// refuses it: ShapeError "Expected more than 1 value per channel when training, got input size
// torch.Size([1, C])", naming the layer and the fix.
// `loss`: the training setup's loss, scored on class labels as training does (loss/loss_target.h).
ModeComparison compare_modes(nn::Model& model, const Batch& batch, const train::NamedOptions& loss = train::TrainSetup{}.loss);

}  // namespace nnstudio::teach
