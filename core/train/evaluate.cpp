// evaluate(): the model in eval mode over fixed-order batches; losses weighted by batch size.
#include "train/evaluate.h"

#include "data/gather_batch.h"
#include "loss/loss_target.h"

#include <algorithm>

namespace nnstudio::train {

EvalMetrics evaluate(nn::Model& model, const data::Dataset& dataset, std::span<const int64_t> indices,
                     const data::Normalization& normalization, const loss::Loss& loss, int64_t batch_size,
                     std::vector<std::vector<int64_t>>* confusion) {
    const bool was_training = model.is_training();
    model.eval();
    nn::NoGradGuard no_grad;
    const AccuracyKind kind = accuracy_kind(loss.name(), dataset);
    if (confusion) confusion->clear();
    if (confusion && kind == AccuracyKind::Classes)
        confusion->assign(static_cast<size_t>(dataset.num_classes()), std::vector<int64_t>(static_cast<size_t>(dataset.num_classes()), 0));
    EvalMetrics m;
    m.has_accuracy = kind != AccuracyKind::None;
    double loss_sum = 0.0, correct = 0.0;
    Tensor x, y, target, host_out;
    for (size_t start = 0; start < indices.size(); start += static_cast<size_t>(batch_size)) {
        const auto batch = indices.subspan(start, std::min(indices.size() - start, static_cast<size_t>(batch_size)));
        data::gather_batch(dataset, batch, normalization, x, y);
        const Tensor& out = model.forward(x);
        const int64_t n = static_cast<int64_t>(batch.size());
        loss_sum += loss.compute(out, loss::loss_target(loss.name(), out, y, target)).value * static_cast<double>(n);
        if (kind != AccuracyKind::None && out.dim() == 2) {
            const Tensor& scores = out.is_cpu() ? out : (host_out = out.to(Device::cpu()));
            correct += correct_in_batch(kind, scores, y);
            for (int64_t i = 0; confusion && kind == AccuracyKind::Classes && scores.size(1) > 1 && i < n; ++i) {
                const int64_t predicted = argmax_row(scores, i);
                const auto truth = static_cast<int64_t>(y[i]);
                if (truth >= 0 && truth < dataset.num_classes() && predicted < dataset.num_classes())
                    ++(*confusion)[static_cast<size_t>(truth)][static_cast<size_t>(predicted)];
            }
        }
        m.samples += n;
    }
    if (m.samples > 0) {
        m.loss = loss_sum / static_cast<double>(m.samples);
        m.accuracy = correct / static_cast<double>(m.samples);
    }
    model.train(was_training);
    return m;
}

}  // namespace nnstudio::train
