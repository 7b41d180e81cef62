// What "accuracy" means for a loss and its targets, in one place for the Trainer, evaluate() and
// (as ACCURACY) the exported train.py.
#pragma once
#include "data/dataset.h"
#include "tensor/tensor.h"

#include <string>

namespace nnstudio::train {

// Classes: class labels, argmax of the output == the label (any loss; one-hot losses included).
// MultiLabel: BCEWithLogitsLoss on float 0/1 targets: the share of (sample, label) entries whose
// sigmoid(logit) > 0.5 (i.e. logit > 0) matches target > 0.5.
// None: regression targets (MSELoss/L1Loss on float targets): only the loss means something.
enum class AccuracyKind { Classes, MultiLabel, None };
AccuracyKind accuracy_kind(const std::string& loss_name, bool float_targets);
// The same for the data at hand: None also for BCEWithLogitsLoss on targets outside [0, 1]
// (regression values, which teach::check_target_values warns of): "sigmoid > 0.5 matches
// target > 0.5" would be a number without meaning there.
AccuracyKind accuracy_kind(const std::string& loss_name, const data::Dataset& data);

// out: (B, C) on the host; y: (B,) class labels stored as floats, or (B, C) float targets, as
// data::gather_batch gives them. Returns the accuracy summed over the B samples (per sample 1 or
// 0 for Classes, the share of matching entries for MultiLabel), so the sum over batches divided
// by the number of samples is the accuracy. 0 for None, and for Classes with a single output.
double correct_in_batch(AccuracyKind kind, const Tensor& out, const Tensor& y);

// Index of the largest value in each row of (B, C) logits.
int64_t argmax_row(const Tensor& logits, int64_t row);

}  // namespace nnstudio::train
