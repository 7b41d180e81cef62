// Evaluation pass: eval mode, no gradient bookkeeping, loss and accuracy (and optionally the
// confusion matrix) over a set of samples, in fixed-order batches.
#pragma once
#include "data/dataset.h"
#include "data/normalization.h"
#include "loss/loss.h"
#include "nn/model.h"
#include "train/accuracy.h"
#include "train/metrics.h"

#include <span>
#include <vector>

namespace nnstudio::train {

// Restores the model's previous train/eval mode afterwards. `confusion` (if given) is filled as
// [true][predicted] with num_classes rows; it stays empty for float targets, whose accuracy
// follows train/accuracy.h (none for regression targets: has_accuracy false).
EvalMetrics evaluate(nn::Model& model, const data::Dataset& dataset, std::span<const int64_t> indices,
                     const data::Normalization& normalization, const loss::Loss& loss, int64_t batch_size,
                     std::vector<std::vector<int64_t>>* confusion = nullptr);

}  // namespace nnstudio::train
