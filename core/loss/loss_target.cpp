// takes_class_indices / loss_target: class labels to one-hot rows for the losses that need them.
#include "loss/loss_target.h"

#include "error.h"

#include <cmath>

namespace nnstudio::loss {

bool takes_class_indices(const std::string& loss_name) {
    return loss_name == "CrossEntropyLoss" || loss_name == "NLLLoss";
}

void check_float_targets(const std::string& loss_name, int64_t output_width, int64_t target_width) {
    if (takes_class_indices(loss_name))
        throw Error(loss_name + " takes class indices, but the data has " + std::to_string(target_width) +
                    " float target column(s): use MSELoss or L1Loss for regression targets, BCEWithLogitsLoss for "
                    "0/1 multi-label targets (--loss MSELoss, or the model file's \"training\": {\"loss\": \"MSELoss\"}), "
                    "or read the data with a label column instead of target columns");
    if (output_width != target_width)
        throw ShapeError(loss_name + ": the model outputs " + std::to_string(output_width) + " values per sample but the data has " +
                         std::to_string(target_width) + " target column(s), and the target must have the output's shape: "
                         "set the last Linear's out_features to " + std::to_string(target_width) + ", or choose " +
                         std::to_string(output_width) + " target columns");
}

const Tensor& loss_target(const std::string& loss_name, const Tensor& output, const Tensor& labels, Tensor& buffer) {
    if (labels.dim() == 2) {  // float targets, used as they are
        if (output.dim() != 2 || output.size(0) != labels.size(0))
            throw ShapeError(loss_name + " on float targets needs a (batch, outputs) output, got " +
                             shape_to_string(output.shape()) + " for targets " + shape_to_string(labels.shape()));
        check_float_targets(loss_name, output.size(1), labels.size(1));
        return labels;
    }
    if (takes_class_indices(loss_name)) return labels;
    if (output.dim() != 2 || labels.dim() != 1 || labels.size(0) != output.size(0))
        throw ShapeError(loss_name + " on class labels needs a (batch, classes) output and (batch,) labels, got " +
                         shape_to_string(output.shape()) + " and " + shape_to_string(labels.shape()));
    const int64_t b = output.size(0), c = output.size(1);
    buffer.resize({b, c});
    buffer.fill(0.f);
    for (int64_t i = 0; i < b; ++i) {
        const float v = labels[i];
        if (!(v >= 0 && v < static_cast<float>(c) && v == std::floor(v)))
            throw Error(loss_name + ": label " + std::to_string(static_cast<double>(v)) + " of sample " + std::to_string(i) +
                        " is not a class in [0, " + std::to_string(c) + ") of the model's " + std::to_string(c) +
                        " outputs, so it has no one-hot row (PyTorch's F.one_hot: \"Class values must be smaller than "
                        "num_classes\"): make the last Linear's out_features the number of classes");
        buffer[i * c + static_cast<int64_t>(v)] = 1.f;
    }
    return buffer;
}

LossResult loss_on_labels(const Loss& loss, const Tensor& output, const Tensor& labels) {
    Tensor buffer;
    return loss.compute(output, loss_target(loss.name(), output, labels, buffer));
}

}  // namespace nnstudio::loss
