// How class labels become a loss's target: the one rule the engine and the exported train.py
// (core/export/train_script.cpp) share. CrossEntropyLoss and NLLLoss take the class indices;
// MSELoss, L1Loss and BCEWithLogitsLoss compare the output with a row per sample, so labels
// become one-hot rows of the output's width, as train.py does with
// F.one_hot(y, out.shape[1]).to(out.dtype).
#pragma once
#include "loss/loss.h"
#include "tensor/tensor.h"

#include <string>

namespace nnstudio::loss {

bool takes_class_indices(const std::string& loss_name);

// Throws as loss_target does when float targets of `target_width` columns do not fit a loss
// whose model outputs `output_width` values per sample (checked once before training starts).
void check_float_targets(const std::string& loss_name, int64_t output_width, int64_t target_width);

// output: (B, C); labels: (B,) class indices stored as floats. Returns `labels` for a loss that
// takes class indices, else the (B, C) one-hot rows, written into `buffer`. Throws Error naming
// the sample when a label is outside [0, C) (F.one_hot raises "Class values must be smaller
// than num_classes"), ShapeError when the output is not (B, C).
// Float targets (labels: (B, T), data/dataset.h's has_targets()) are returned as they are, as
// train.py passes them: ShapeError when the output is not (B, T) (naming both widths), Error for
// a loss that takes class indices (CrossEntropyLoss, NLLLoss).
const Tensor& loss_target(const std::string& loss_name, const Tensor& output, const Tensor& labels, Tensor& buffer);

// loss.compute(output, loss_target(...)): the loss of `output` on class `labels`.
LossResult loss_on_labels(const Loss& loss, const Tensor& output, const Tensor& labels);

}  // namespace nnstudio::loss
