// Finite-difference checks of every module's backward(): input gradients and parameter
// gradients against central differences of L = sum(forward(x) * R) for a fixed random R.
#include "nn/activations.h"
#include "nn/batch_norm1d.h"
#include "nn/dropout.h"
#include "nn/flatten.h"
#include "nn/layer_registry.h"
#include "nn/linear.h"
#include "nn/residual.h"
#include "nn/sequential.h"
#include "nn/softmax.h"
#include "test_support.h"
#include "util/random.h"

#include <QtTest>
#include <cmath>
#include <functional>

using namespace nnstudio;
using namespace nnstudio::nn;

namespace {

Tensor random_tensor(const Shape& shape, Rng& rng, float min_abs = 0.0f) {
    Tensor t(shape);
    for (int64_t i = 0; i < t.numel(); ++i) {
        float v = rng.normal();
        if (std::fabs(v) < min_abs) v = v < 0 ? v - min_abs : v + min_abs;  // keep away from kinks
        t[i] = v;
    }
    return t;
}

// Moves elements within `margin` of a kink (where the derivative jumps) off it: a central
// difference across a kink measures neither side.
Tensor away_from(Tensor t, const std::vector<float>& kinks, float margin = 0.05f) {
    for (int64_t i = 0; i < t.numel(); ++i)
        for (float k : kinks)
            if (std::fabs(t[i] - k) < margin) t[i] = k + (t[i] < k ? -margin : margin);
    return t;
}

// A module built through its layer declaration with `options` for per-sample input `in`.
std::unique_ptr<Module> declared(const std::string& type, const nlohmann::json& options, const Shape& in) {
    const LayerDeclaration& d = *find_layer_declaration(type);
    const LayerOptions o(d, options);
    d.output_shape(o, in);
    return d.make(o, in);
}

void randomize_parameters(Module& m, Rng& rng) {
    for (auto& [name, p] : m.named_parameters()) {
        for (int64_t i = 0; i < p->value.numel(); ++i) p->value[i] = rng.uniform(-0.8f, 0.8f);
    }
}

// L(x) in double, with every Dropout stream reset so each evaluation draws the same mask.
double loss_of(Module& m, const Tensor& x, const Tensor& r) {
    std::vector<Rng> saved;
    m.visit_modules([&](const std::string&, Module& mod) {
        if (auto* d = dynamic_cast<Dropout*>(&mod)) saved.push_back(d->rng());
    });
    NoGradGuard no_grad;
    const Tensor y = m.forward(x);
    size_t k = 0;
    m.visit_modules([&](const std::string&, Module& mod) {
        if (auto* d = dynamic_cast<Dropout*>(&mod)) d->rng() = saved[k++];
    });
    double l = 0.0;
    for (int64_t i = 0; i < y.numel(); ++i) l += static_cast<double>(y[i]) * r[i];
    return l;
}

// Compares analytic and numeric gradients; tolerance abs 2e-3 + rel 2e-2 (float32 forward, h = 1e-2).
void check_module(Module& m, const Tensor& x_in, const char* label) {
    Rng rng(99);
    Tensor x = x_in;
    Tensor probe;
    {
        std::vector<Rng> saved;
        m.visit_modules([&](const std::string&, Module& mod) {
            if (auto* d = dynamic_cast<Dropout*>(&mod)) saved.push_back(d->rng());
        });
        NoGradGuard g;
        probe = m.forward(x);
        size_t k = 0;
        m.visit_modules([&](const std::string&, Module& mod) {
            if (auto* d = dynamic_cast<Dropout*>(&mod)) d->rng() = saved[k++];
        });
    }
    const Tensor r = random_tensor(probe.shape(), rng);
    m.zero_grad();
    {
        std::vector<Rng> saved;
        m.visit_modules([&](const std::string&, Module& mod) {
            if (auto* d = dynamic_cast<Dropout*>(&mod)) saved.push_back(d->rng());
        });
        m.forward(x);
        size_t k = 0;
        m.visit_modules([&](const std::string&, Module& mod) {
            if (auto* d = dynamic_cast<Dropout*>(&mod)) d->rng() = saved[k++];
        });
    }
    const Tensor gx = m.backward(r);
    const double h = 1e-2;
    const auto compare = [&](double analytic, double numeric, const QString& what) {
        const double tol = 2e-3 + 2e-2 * std::fabs(numeric);
        QVERIFY2(std::fabs(analytic - numeric) <= tol,
                 qPrintable(QString("%1 %2: analytic %3 vs numeric %4").arg(label, what).arg(analytic).arg(numeric)));
    };
    for (int64_t i = 0; i < x.numel(); ++i) {
        const float orig = x[i];
        x[i] = orig + static_cast<float>(h);
        const double lp = loss_of(m, x, r);
        x[i] = orig - static_cast<float>(h);
        const double lm = loss_of(m, x, r);
        x[i] = orig;
        compare(gx[i], (lp - lm) / (2 * h), QString("d/dx[%1]").arg(i));
    }
    for (auto& [name, p] : m.named_parameters()) {
        for (int64_t i = 0; i < p->value.numel(); ++i) {
            const float orig = p->value[i];
            p->value[i] = orig + static_cast<float>(h);
            const double lp = loss_of(m, x, r);
            p->value[i] = orig - static_cast<float>(h);
            const double lm = loss_of(m, x, r);
            p->value[i] = orig;
            compare(p->grad[i], (lp - lm) / (2 * h), QString("d/d%1[%2]").arg(QString::fromStdString(name)).arg(i));
        }
    }
}

}  // namespace

class TestModuleGradcheck : public QObject {
    Q_OBJECT

private slots:
    void linear() {
        Rng rng(1);
        Linear m(5, 4);
        randomize_parameters(m, rng);
        check_module(m, random_tensor({3, 5}, rng), "Linear");
        Linear no_bias(5, 3, false);
        randomize_parameters(no_bias, rng);
        check_module(no_bias, random_tensor({2, 5}, rng), "Linear(bias=False)");
    }

    void activations() {
        Rng rng(2);
        for (const char* type : {"ReLU", "LeakyReLU", "GELU", "Sigmoid", "Tanh", "Identity"}) {
            const LayerDeclaration& d = *find_layer_declaration(type);
            auto m = d.make(LayerOptions(d, nlohmann::json::object()), {6});
            check_module(*m, random_tensor({4, 6}, rng, 0.05f), type);
        }
        GELU tanh_gelu(true);
        check_module(tanh_gelu, random_tensor({4, 6}, rng), "GELU(tanh)");
        LeakyReLU steep(0.3f);
        check_module(steep, random_tensor({4, 6}, rng, 0.05f), "LeakyReLU(0.3)");
    }

    // The activations added through their declarations alone.
    void declared_activations() {
        Rng rng(8);
        const std::vector<std::pair<std::string, nlohmann::json>> cases = {
            {"ELU", nlohmann::json::object()}, {"ELU", {{"alpha", 0.7}}}, {"SELU", nlohmann::json::object()},
            {"SiLU", nlohmann::json::object()}, {"Mish", nlohmann::json::object()}, {"Softplus", nlohmann::json::object()},
            {"Softplus", {{"beta", 2.0}, {"threshold", 3.0}}}, {"Hardtanh", nlohmann::json::object()},
            {"Hardtanh", {{"min_val", -0.5}, {"max_val", 0.8}}}};
        for (const auto& [type, options] : cases) {
            auto m = declared(type, options, {6});
            const std::string label = type + options.dump();
            // Kinks: 0 (ELU, alpha != 1), the Hardtanh bounds, Softplus's threshold/beta.
            const Tensor x = away_from(random_tensor({4, 6}, rng), {0.f, -0.5f, 0.8f, -1.f, 1.f, 1.5f});
            check_module(*m, x, label.c_str());
        }
    }

    void prelu() {
        Rng rng(9);
        auto shared = declared("PReLU", nlohmann::json::object(), {5});
        randomize_parameters(*shared, rng);
        check_module(*shared, random_tensor({4, 5}, rng, 0.05f), "PReLU");
        auto per_channel = declared("PReLU", {{"num_parameters", 3}, {"init", 0.1}}, {3, 4});
        randomize_parameters(*per_channel, rng);
        check_module(*per_channel, random_tensor({2, 3, 4}, rng, 0.05f), "PReLU(num_parameters=3)");
    }

    void layer_norm() {
        Rng rng(10);
        auto ln = declared("LayerNorm", nlohmann::json::object(), {6});
        randomize_parameters(*ln, rng);
        check_module(*ln, random_tensor({3, 6}, rng), "LayerNorm");
        auto ln2d = declared("LayerNorm", {{"normalized_shape", {2, 4}}, {"eps", 1e-3}}, {2, 4});
        randomize_parameters(*ln2d, rng);
        check_module(*ln2d, random_tensor({3, 2, 4}, rng), "LayerNorm([2, 4])");
        auto plain = declared("LayerNorm", {{"elementwise_affine", false}}, {3, 5});
        check_module(*plain, random_tensor({2, 3, 5}, rng), "LayerNorm(elementwise_affine=False)");
    }

    void softmax() {
        Rng rng(3);
        Softmax sm(1);
        check_module(sm, random_tensor({3, 5}, rng), "Softmax(dim=1)");
        LogSoftmax lsm(-1);
        check_module(lsm, random_tensor({3, 5}, rng), "LogSoftmax(dim=-1)");
        Softmax sm0(0);
        check_module(sm0, random_tensor({4, 3}, rng), "Softmax(dim=0)");
    }

    void batch_norm_train_and_eval() {
        Rng rng(4);
        BatchNorm1d bn(4);
        randomize_parameters(bn, rng);
        bn.train();
        check_module(bn, random_tensor({6, 4}, rng), "BatchNorm1d(train)");
        BatchNormOptions plain;
        plain.affine = false;
        BatchNorm1d bn_plain(3, plain);
        check_module(bn_plain, random_tensor({5, 3}, rng), "BatchNorm1d(affine=False)");
        bn.eval();
        check_module(bn, random_tensor({3, 4}, rng), "BatchNorm1d(eval)");
    }

    void dropout_and_flatten() {
        Rng rng(5);
        Dropout d(0.4f, 7);
        d.train();
        check_module(d, random_tensor({4, 5}, rng), "Dropout(train)");
        d.eval();
        check_module(d, random_tensor({4, 5}, rng), "Dropout(eval)");
        Flatten f;
        check_module(f, random_tensor({2, 3, 4}, rng), "Flatten");
    }

    void containers() {
        Rng rng(6);
        Sequential seq;
        seq.append("fc1", std::make_unique<Linear>(4, 6));
        seq.append("bn", std::make_unique<BatchNorm1d>(6));
        seq.append("act", std::make_unique<Tanh>());
        seq.append("fc2", std::make_unique<Linear>(6, 3));
        randomize_parameters(seq, rng);
        check_module(seq, random_tensor({5, 4}, rng), "Sequential");

        Residual identity;
        identity.append_body("fc1", std::make_unique<Linear>(4, 7));
        identity.append_body("act", std::make_unique<GELU>());
        identity.append_body("fc2", std::make_unique<Linear>(7, 4));
        identity.set_after_add(std::make_unique<Tanh>());
        randomize_parameters(identity, rng);
        check_module(identity, random_tensor({3, 4}, rng), "Residual(identity)");

        Residual projected;
        projected.append_body("fc1", std::make_unique<Linear>(4, 6));
        projected.append_body("act", std::make_unique<Sigmoid>());
        projected.set_projection("projection", std::make_unique<Linear>(4, 6));
        projected.set_after_add(std::make_unique<LeakyReLU>(0.2f));
        randomize_parameters(projected, rng);
        check_module(projected, random_tensor({3, 4}, rng, 0.05f), "Residual(projection)");

        // torchvision's downsample: nn.Sequential(Linear, BatchNorm1d) on the skip, in train and eval mode.
        Residual downsampled;
        downsampled.append_body("fc1", std::make_unique<Linear>(4, 6));
        downsampled.append_body("act", std::make_unique<Tanh>());
        auto skip = std::make_unique<Sequential>();
        skip->append("0", std::make_unique<Linear>(4, 6, false));
        skip->append("1", std::make_unique<BatchNorm1d>(6));
        downsampled.set_projection("projection", std::move(skip));
        randomize_parameters(downsampled, rng);
        check_module(downsampled, random_tensor({5, 4}, rng), "Residual(Linear + BatchNorm1d projection, train)");
        downsampled.eval();
        check_module(downsampled, random_tensor({5, 4}, rng), "Residual(Linear + BatchNorm1d projection, eval)");
    }
};

QTEST_APPLESS_MAIN(TestModuleGradcheck)
#include "tst_module_gradcheck.moc"
