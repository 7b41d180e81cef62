// compare_modes: an eval pass, then a recorded train pass whose side effects are undone.
#include "teach/mode_compare.h"

#include "error.h"
#include "loss/loss.h"
#include "nn/batch_norm1d.h"
#include "nn/dropout.h"

#include <cmath>

namespace nnstudio::teach {
namespace {

ModeRun score(const Tensor& output, const Tensor& labels) {
    ModeRun run{output, loss::make_loss("CrossEntropyLoss", nullptr)->compute(output, labels).value, 0};
    // output: (B, C); the first of equal maxima wins, as torch.argmax.
    const int64_t rows = output.dim() == 0 ? 1 : output.size(0), cols = rows == 0 ? 0 : output.numel() / rows;
    const float* v = output.begin();
    int64_t right = 0;
    for (int64_t i = 0; i < rows; ++i) {
        int64_t best = 0;
        for (int64_t j = 1; j < cols; ++j)
            if (v[i * cols + j] > v[i * cols + best]) best = j;
        right += best == static_cast<int64_t>(labels[i]);
    }
    run.accuracy = rows ? static_cast<double>(right) / static_cast<double>(rows) : 0.0;
    return run;
}

// PyTorch checks the batch before any computation (torch.nn.functional._verify_batch_size).
void refuse_batch_of_one(nn::Model& model, int64_t batch_size) {
    if (batch_size != 1) return;
    model.root().visit_modules([](const std::string& path, nn::Module& m) {
        if (auto* bn = dynamic_cast<nn::BatchNorm1d*>(&m))
            throw ShapeError("Expected more than 1 value per channel when training, got input size torch.Size([1, " +
                             std::to_string(bn->num_features()) + "]) (BatchNorm1d '" + path +
                             "' in train mode): use a batch of at least 2, or eval() for single samples");
    });
}

void fill_diffs(BatchNormStats& s) {
    const size_t c = s.batch_mean.size();
    for (size_t j = 0; j < c; ++j) {
        const double dm = std::fabs(static_cast<double>(s.batch_mean[j]) - s.running_mean[j]);
        const double dv = std::fabs(static_cast<double>(s.batch_var[j]) - s.running_var[j]);
        s.mean_abs_mean_diff += dm / static_cast<double>(c);
        s.mean_abs_var_diff += dv / static_cast<double>(c);
        s.max_abs_mean_diff = std::max(s.max_abs_mean_diff, dm);
        s.max_abs_var_diff = std::max(s.max_abs_var_diff, dv);
    }
}

}  // namespace

ModeComparison compare_modes(nn::Model& model, const Batch& batch) {
    const int64_t b = batch.x.dim() ? batch.x.size(0) : 0;
    refuse_batch_of_one(model, b);
    const bool was_training = model.is_training();
    const StateDict before = model.state_dict();

    ModeComparison cmp;
    model.eval();
    {
        nn::NoGradGuard no_grad;
        cmp.eval = score(model.forward(batch.x), batch.y);
    }
    // Running statistics as eval() used them, before the train pass moves them.
    model.root().visit_modules([&](const std::string& path, nn::Module& m) {
        if (auto* bn = dynamic_cast<nn::BatchNorm1d*>(&m))
            cmp.batch_norms.push_back({path, {}, {}, bn->running_mean().to_vector(), bn->running_var().to_vector()});
    });

    // A recorded forward, so that each Dropout keeps its mask.
    model.train();
    cmp.train = score(model.forward(batch.x), batch.y);
    size_t bn_index = 0;
    model.root().visit_modules([&](const std::string& path, nn::Module& m) {
        if (auto* bn = dynamic_cast<nn::BatchNorm1d*>(&m)) {
            BatchNormStats& s = cmp.batch_norms[bn_index++];
            s.batch_mean = bn->last_batch_mean().to_vector();
            s.batch_var = bn->last_batch_var().to_vector();
            if (s.running_mean.empty()) {  // track_running_stats=False: eval uses batch statistics too
                s.running_mean = s.batch_mean;
                s.running_var = s.batch_var;
            }
            fill_diffs(s);
        } else if (auto* d = dynamic_cast<nn::Dropout*>(&m)) {
            DropoutStats s{path, d->p(), Tensor(), 0};
            if (!d->last_mask().empty()) {
                s.kept = d->last_mask();
                int64_t dropped = 0;
                for (int64_t i = 0; i < s.kept.numel(); ++i) {
                    dropped += s.kept[i] == 0.f;
                    s.kept[i] = s.kept[i] == 0.f ? 0.f : 1.f;
                }
                s.dropped_fraction = static_cast<double>(dropped) / static_cast<double>(s.kept.numel());
            }
            cmp.dropouts.push_back(std::move(s));
        }
    });

    model.load_state_dict(before, true);
    model.train(was_training);

    const Tensor& a = cmp.train.output;
    const Tensor& e = cmp.eval.output;
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double d = std::fabs(static_cast<double>(a[i]) - e[i]);
        cmp.max_abs_output_diff = std::max(cmp.max_abs_output_diff, d);
        cmp.mean_abs_output_diff += d / static_cast<double>(a.numel());
    }
    return cmp;
}

}  // namespace nnstudio::teach
