// accuracy_kind / correct_in_batch: argmax hits for classes, matching sigmoid > 0.5 entries for multi-label.
#include "train/accuracy.h"

#include <algorithm>

namespace nnstudio::train {

AccuracyKind accuracy_kind(const std::string& loss_name, bool float_targets) {
    if (!float_targets) return AccuracyKind::Classes;
    return loss_name == "BCEWithLogitsLoss" ? AccuracyKind::MultiLabel : AccuracyKind::None;
}

AccuracyKind accuracy_kind(const std::string& loss_name, const data::Dataset& data) {
    const AccuracyKind kind = accuracy_kind(loss_name, data.has_targets());
    if (kind != AccuracyKind::MultiLabel) return kind;
    const std::vector<float>& t = data.targets();
    const bool probabilities = std::all_of(t.begin(), t.end(), [](float v) { return v >= 0.f && v <= 1.f; });
    return probabilities ? kind : AccuracyKind::None;
}

int64_t argmax_row(const Tensor& logits, int64_t row) {
    const int64_t c = logits.size(1);
    const float* p = logits.begin() + row * c;  // host access (DeviceError for another device)
    return std::max_element(p, p + c) - p;
}

double correct_in_batch(AccuracyKind kind, const Tensor& out, const Tensor& y) {
    if (kind == AccuracyKind::None || out.dim() != 2) return 0;
    const int64_t b = out.size(0), c = out.size(1);
    if (kind == AccuracyKind::Classes) {
        if (c < 2) return 0;
        int64_t correct = 0;
        for (int64_t i = 0; i < b; ++i) correct += argmax_row(out, i) == static_cast<int64_t>(y[i]);
        return static_cast<double>(correct);
    }
    const float* p = out.begin();  // host access (DeviceError for another device)
    int64_t matching = 0;
    for (int64_t k = 0; k < b * c; ++k) matching += (p[k] > 0.f) == (y[k] > 0.5f);
    return static_cast<double>(matching) / static_cast<double>(c);
}

}  // namespace nnstudio::train
