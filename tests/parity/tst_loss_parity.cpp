// Loss values and gradients against real PyTorch (float32) for every loss and option combination;
// inputs are generated here and sent to one Python process as JSON.
#include "error.h"
#include "loss/loss.h"
#include "test_support.h"
#include "util/random.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

using namespace nnstudio;
using nlohmann::json;

namespace {

struct Case {
    std::string label, loss;
    json options;
    Tensor input, target;
};


std::vector<Case> make_cases() {
    Rng rng(2024);
    std::vector<Case> cases;
    const json w10 = {0.5, 2.0, 1.0, 0.25, 3.0, 1.5, 0.1, 1.0, 0.8, 2.2};
    for (const json& o : {json::object(), json{{"label_smoothing", 0.1}}, json{{"weight", w10}},
                          json{{"weight", w10}, {"label_smoothing", 0.2}},
                          json{{"weight", w10}, {"label_smoothing", 0.3}, {"ignore_index", 3}},
                          json{{"ignore_index", 3}, {"label_smoothing", 0.05}},
                          json{{"reduction", "sum"}, {"weight", w10}, {"label_smoothing", 0.15}},
                          json{{"reduction", "sum"}}, json{{"label_smoothing", 1.0}}}) {
        Tensor y = test::random_classes(16, 10, rng);
        y[0] = 3;
        y[5] = 3;
        cases.push_back({"CrossEntropyLoss " + o.dump(), "CrossEntropyLoss", o, test::random_normal({16, 10}, rng, 2.0f), y});
    }
    // Large logits: log-sum-exp must not overflow.
    cases.push_back({"CrossEntropyLoss large logits", "CrossEntropyLoss", json{{"label_smoothing", 0.1}},
                     test::random_normal({8, 5}, rng, 60.0f), test::random_classes(8, 5, rng)});
    const json w6 = {1.0, 0.2, 4.0, 0.7, 1.3, 0.9};
    for (const json& o : {json::object(), json{{"weight", w6}}, json{{"ignore_index", 2}, {"weight", w6}},
                          json{{"reduction", "sum"}, {"weight", w6}}}) {
        Tensor y = test::random_classes(12, 6, rng);
        y[1] = 2;
        cases.push_back({"NLLLoss " + o.dump(), "NLLLoss", o, test::log_softmax_rows(test::random_normal({12, 6}, rng, 1.5f)), y});
    }
    for (const char* name : {"MSELoss", "L1Loss"}) {
        for (const json& o : {json::object(), json{{"reduction", "sum"}}}) {
            const Tensor x = test::random_normal({9, 4}, rng, 1.0f);
            Tensor t = test::random_normal({9, 4}, rng, 1.0f);
            t[0] = x[0];  // L1's subgradient at 0 must be 0, as PyTorch's sign()
            t[7] = x[7];
            cases.push_back({std::string(name) + " " + o.dump(), name, o, x, t});
        }
    }
    for (const json& o : {json::object(), json{{"pos_weight", {3.0, 0.5, 1.5, 1.0}}},
                          json{{"weight", {0.2, 1.0, 2.5, 0.7}}}, json{{"weight", {0.7}}, {"pos_weight", {2.0}}},
                          json{{"reduction", "sum"}, {"weight", {0.2, 1.0, 2.5, 0.7}}, {"pos_weight", {3.0, 0.5, 1.5, 1.0}}}}) {
        Tensor t({10, 4});
        for (int64_t i = 0; i < t.numel(); ++i) t[i] = i % 5 == 0 ? 0.3f : float(rng.below(2));
        cases.push_back({"BCEWithLogitsLoss " + o.dump(), "BCEWithLogitsLoss", o, test::random_normal({10, 4}, rng, 3.0f), t});
    }
    Tensor big = test::random_normal({6, 4}, rng, 40.0f);  // saturated logits: the stable form must not overflow
    Tensor tb({6, 4});
    for (int64_t i = 0; i < tb.numel(); ++i) tb[i] = float(i % 2);
    cases.push_back({"BCEWithLogitsLoss saturated", "BCEWithLogitsLoss", json{{"pos_weight", {2.0}}}, big, tb});
    return cases;
}

json to_json(const Tensor& t) { return json(t.to_vector()); }

}  // namespace

class TestLossParity : public QObject {
    Q_OBJECT

private slots:
    void matches_pytorch() {
        if (!test::torch_available()) QSKIP("PyTorch not importable by " NNSTUDIO_PYTHON);
        const std::vector<Case> cases = make_cases();
        json request = json::array();
        for (const Case& c : cases)
            request.push_back({{"loss", c.loss}, {"options", c.options}, {"input", to_json(c.input)},
                               {"input_shape", c.input.shape()}, {"target", to_json(c.target)},
                               {"target_shape", c.target.shape()}});
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("loss_cases.json");
        std::ofstream(path.toStdString()) << request.dump();

        QString out, err;
        QVERIFY2(test::run_python(test::source_dir() + "/tests/parity/py/loss_parity.py", {path}, &out, &err),
                 qPrintable(err));
        const json reply = json::parse(out.toStdString());
        QCOMPARE(reply.size(), cases.size());

        double worst_value_rel = 0, worst_grad_abs = 0;
        for (size_t k = 0; k < cases.size(); ++k) {
            const Case& c = cases[k];
            const auto L = loss::make_loss(c.loss, c.options);
            const loss::LossResult r = L->compute(c.input, c.target);
            const double expected = reply[k]["value"].get<double>();
            const double diff = std::fabs(r.value - expected);
            worst_value_rel = std::max(worst_value_rel, diff / std::max(std::fabs(expected), 1e-30));
            QVERIFY2(diff <= std::max(1e-5, 1e-5 * std::fabs(expected)),
                     qPrintable(QString("%1: loss %2, PyTorch %3").arg(QString::fromStdString(c.label))
                                    .arg(r.value, 0, 'g', 10).arg(expected, 0, 'g', 10)));
            const Tensor grad = Tensor::from_data(c.input.shape(), reply[k]["grad"].get<std::vector<float>>());
            for (int64_t i = 0; i < grad.numel(); ++i)
                worst_grad_abs = std::max(worst_grad_abs, double(std::fabs(r.grad[i] - grad[i])));
            NN_COMPARE_TENSORS(r.grad, grad, c.label + " grad");
        }
        qInfo("%zu cases; worst relative loss error %.3g, worst |grad - PyTorch grad| %.3g", cases.size(),
              worst_value_rel, worst_grad_abs);
    }
};

QTEST_APPLESS_MAIN(TestLossParity)
#include "tst_loss_parity.moc"
