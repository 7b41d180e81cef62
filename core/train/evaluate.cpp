// evaluate(): the model in eval mode over fixed-order batches; losses weighted by batch size.
#include "train/evaluate.h"

#include "data/gather_batch.h"

#include <algorithm>

namespace nnstudio::train {

int64_t argmax_row(const Tensor& logits, int64_t row) {
    const int64_t c = logits.size(1);
    const float* p = logits.begin() + row * c;  // host access (DeviceError for another device)
    return std::max_element(p, p + c) - p;
}

EvalMetrics evaluate(nn::Model& model, const data::Dataset& dataset, std::span<const int64_t> indices,
                     const data::Normalization& normalization, const loss::Loss& loss, int64_t batch_size,
                     std::vector<std::vector<int64_t>>* confusion) {
    const bool was_training = model.is_training();
    model.eval();
    nn::NoGradGuard no_grad;
    if (confusion)
        confusion->assign(static_cast<size_t>(dataset.num_classes()), std::vector<int64_t>(static_cast<size_t>(dataset.num_classes()), 0));
    EvalMetrics m;
    double loss_sum = 0.0;
    int64_t correct = 0;
    Tensor x, y, host_out;
    for (size_t start = 0; start < indices.size(); start += static_cast<size_t>(batch_size)) {
        const auto batch = indices.subspan(start, std::min(indices.size() - start, static_cast<size_t>(batch_size)));
        data::gather_batch(dataset, batch, normalization, x, y);
        const Tensor& out = model.forward(x);
        const int64_t n = static_cast<int64_t>(batch.size());
        loss_sum += loss.compute(out, y).value * static_cast<double>(n);
        if (out.dim() == 2 && out.size(1) > 1) {
            const Tensor& scores = out.is_cpu() ? out : (host_out = out.to(Device::cpu()));
            for (int64_t i = 0; i < n; ++i) {
                const int64_t predicted = argmax_row(scores, i);
                const auto truth = static_cast<int64_t>(y[i]);
                correct += predicted == truth;
                if (confusion && truth >= 0 && truth < dataset.num_classes() && predicted < dataset.num_classes())
                    ++(*confusion)[static_cast<size_t>(truth)][static_cast<size_t>(predicted)];
            }
        }
        m.samples += n;
    }
    if (m.samples > 0) {
        m.loss = loss_sum / static_cast<double>(m.samples);
        m.accuracy = static_cast<double>(correct) / static_cast<double>(m.samples);
    }
    model.train(was_training);
    return m;
}

}  // namespace nnstudio::train
