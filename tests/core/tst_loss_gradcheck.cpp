// Finite-difference checks of every loss's analytic gradient, for every option combination.
#include "error.h"
#include "loss/loss.h"
#include "test_support.h"
#include "util/random.h"

#include <QtTest>
#include <cmath>

using namespace nnstudio;
using nlohmann::json;

namespace {

// Central differences on each input element (step h, taken in float exactly as stored) against
// the analytic gradient: |numeric - analytic| <= 2e-3·|analytic| + 1e-6.
void gradcheck(const loss::Loss& L, const Tensor& input, const Tensor& target, const QString& label) {
    const loss::LossResult r = L.compute(input, target);
    QVERIFY2(std::isfinite(r.value), qPrintable(label + ": loss not finite"));
    QVERIFY2(r.grad.shape() == input.shape(), qPrintable(label + ": grad shape"));
    double worst = 0;
    for (int64_t i = 0; i < input.numel(); ++i) {
        const float h = 1e-3f;
        Tensor plus = input, minus = input;
        plus[i] = input[i] + h;
        minus[i] = input[i] - h;
        const double step = double(plus[i]) - double(minus[i]);
        const double numeric = (L.compute(plus, target).value - L.compute(minus, target).value) / step;
        const double analytic = r.grad[i];
        const double excess = std::fabs(numeric - analytic) - (2e-3 * std::fabs(analytic) + 1e-6);
        worst = std::max(worst, std::fabs(numeric - analytic));
        QVERIFY2(excess <= 0, qPrintable(QString("%1: element %2 numeric %3 analytic %4")
                                             .arg(label).arg(i).arg(numeric, 0, 'g', 10).arg(analytic, 0, 'g', 10)));
    }
    qInfo("%s: max |numeric - analytic| = %.2e", qPrintable(label), worst);
}

}  // namespace

class TestLossGradcheck : public QObject {
    Q_OBJECT

private slots:
    void cross_entropy_data() {
        QTest::addColumn<QString>("options");
        QTest::newRow("plain") << R"({})";
        QTest::newRow("label_smoothing") << R"({"label_smoothing": 0.1})";
        QTest::newRow("weight") << R"({"weight": [0.5, 2.0, 1.0, 0.25, 3.0]})";
        QTest::newRow("weight+smoothing") << R"({"weight": [0.5, 2.0, 1.0, 0.25, 3.0], "label_smoothing": 0.2})";
        QTest::newRow("ignore+weight+smoothing")
            << R"({"weight": [0.5, 2.0, 1.0, 0.25, 3.0], "label_smoothing": 0.3, "ignore_index": 2})";
        QTest::newRow("sum+weight+smoothing")
            << R"({"reduction": "sum", "weight": [0.5, 2.0, 1.0, 0.25, 3.0], "label_smoothing": 0.15})";
        QTest::newRow("full smoothing") << R"({"label_smoothing": 1.0})";
    }
    void cross_entropy() {
        QFETCH(QString, options);
        Rng rng(1);
        const auto L = loss::make_loss("CrossEntropyLoss", json::parse(options.toStdString()));
        const Tensor x = test::random_normal({6, 5}, rng, 2.0f);
        Tensor y = test::random_classes(6, 5, rng);
        y[1] = 2;  // at least one row hits the ignore_index case
        gradcheck(*L, x, y, "CrossEntropyLoss " + options);
    }

    void nll_data() {
        QTest::addColumn<QString>("options");
        QTest::newRow("plain") << R"({})";
        QTest::newRow("weight") << R"({"weight": [1.0, 0.2, 4.0, 0.7]})";
        QTest::newRow("ignore") << R"({"ignore_index": 3, "weight": [1.0, 0.2, 4.0, 0.7]})";
        QTest::newRow("sum") << R"({"reduction": "sum", "weight": [1.0, 0.2, 4.0, 0.7]})";
    }
    void nll() {
        QFETCH(QString, options);
        Rng rng(2);
        const auto L = loss::make_loss("NLLLoss", json::parse(options.toStdString()));
        const Tensor x = test::log_softmax_rows(test::random_normal({7, 4}, rng));
        Tensor y = test::random_classes(7, 4, rng);
        y[0] = 3;
        gradcheck(*L, x, y, "NLLLoss " + options);
    }

    void elementwise_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("options");
        for (const char* n : {"MSELoss", "L1Loss"}) {
            QTest::newRow(qPrintable(QString(n) + " mean")) << n << R"({})";
            QTest::newRow(qPrintable(QString(n) + " sum")) << n << R"({"reduction": "sum"})";
        }
    }
    void elementwise() {
        QFETCH(QString, name);
        QFETCH(QString, options);
        Rng rng(3);
        const auto L = loss::make_loss(name.toStdString(), json::parse(options.toStdString()));
        const Tensor x = test::random_normal({5, 3}, rng);
        Tensor y = test::random_normal({5, 3}, rng);
        // Keep |x - y| well away from L1's kink so the central difference is valid.
        for (int64_t i = 0; i < y.numel(); ++i)
            if (std::fabs(x[i] - y[i]) < 0.01f) y[i] = x[i] + 0.5f;
        gradcheck(*L, x, y, name + " " + options);
    }

    void l1_subgradient_at_zero() {
        const auto L = loss::make_loss("L1Loss", nullptr);
        const Tensor x = Tensor::from_data({4}, {1, 2, 3, 4});
        const Tensor y = Tensor::from_data({4}, {1, 0, 3, 5});
        const auto r = L->compute(x, y);
        QCOMPARE(r.value, 3.0 / 4.0);
        QCOMPARE(r.grad.to_vector(), (std::vector<float>{0, 0.25f, 0, -0.25f}));
    }

    void bce_with_logits_data() {
        QTest::addColumn<QString>("options");
        QTest::newRow("plain") << R"({})";
        QTest::newRow("pos_weight") << R"({"pos_weight": [3.0, 0.5, 1.5]})";
        QTest::newRow("weight") << R"({"weight": [0.2, 1.0, 2.5]})";
        QTest::newRow("both scalar") << R"({"weight": [0.7], "pos_weight": [2.0]})";
        QTest::newRow("sum+both") << R"({"reduction": "sum", "weight": [0.2, 1.0, 2.5], "pos_weight": [3.0, 0.5, 1.5]})";
    }
    void bce_with_logits() {
        QFETCH(QString, options);
        Rng rng(4);
        const auto L = loss::make_loss("BCEWithLogitsLoss", json::parse(options.toStdString()));
        const Tensor x = test::random_normal({6, 3}, rng, 3.0f);
        Tensor t({6, 3});
        for (int64_t i = 0; i < t.numel(); ++i) t[i] = i % 4 == 0 ? 0.3f : float(rng.below(2));  // soft labels too
        gradcheck(*L, x, t, "BCEWithLogitsLoss " + options);
    }

    void bce_with_logits_is_stable() {
        // Logits of ±100 would overflow exp() in the naive formula; the stable form stays exact.
        const auto L = loss::make_loss("BCEWithLogitsLoss", {{"pos_weight", {2.0}}});
        const Tensor x = Tensor::from_data({4}, {100, -100, 100, -100});
        const Tensor t = Tensor::from_data({4}, {1, 0, 0, 1});
        const auto r = L->compute(x, t);
        // Elements: ~0, ~0, 100 (wrong with confidence), 2*100 (positive weight 2).
        QVERIFY2(std::fabs(r.value - 300.0 / 4) < 1e-9, qPrintable(QString::number(r.value, 'g', 17)));
        NN_COMPARE_TENSORS(r.grad, Tensor::from_data({4}, {0, 0, 0.25f, -0.5f}), "stable BCE grad");
        QVERIFY(r.grad.all_finite());
    }
};

QTEST_APPLESS_MAIN(TestLossGradcheck)
#include "tst_loss_gradcheck.moc"
