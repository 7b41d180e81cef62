// Loss factory and target validation: bad names, options, shapes and class indices give errors
// that say what is wrong, where (JSON path), and how to fix it.
#include "error.h"
#include "loss/loss.h"
#include "test_support.h"

#include <QtTest>

using namespace nnstudio;
using nlohmann::json;


class TestLossErrors : public QObject {
    Q_OBJECT

private slots:
    void factory_names() {
        for (const std::string& n : loss::loss_names()) {
            const auto L = loss::make_loss(n, nullptr);
            QCOMPARE(L->name(), n);
        }
        QString e = test::error_of<SpecError>([] { loss::make_loss("HingeLoss", nullptr, "training.loss"); });
        QVERIFY2(e.startsWith("training.loss:") && e.contains("HingeLoss") &&
                     e.contains("CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss"),
                 qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("crossentropy", nullptr, "training.loss"); });
        QVERIFY2(e.contains("did you mean CrossEntropyLoss?"), qPrintable(e));
    }

    void factory_options() {
        QString e = test::error_of<SpecError>(
            [] { loss::make_loss("CrossEntropyLoss", {{"label_smothing", 0.1}}, "training.loss"); });
        QVERIFY2(e.startsWith("training.loss.options.label_smothing:") &&
                     e.contains("reduction, weight, ignore_index, label_smoothing"),
                 qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("CrossEntropyLoss", {{"label_smoothing", 1.5}}, "l"); });
        QVERIFY2(e.startsWith("l.options.label_smoothing:") && e.contains("between 0 and 1"), qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("MSELoss", {{"reduction", "none"}}, "l"); });
        QVERIFY2(e.startsWith("l.options.reduction:") && e.contains("\"mean\" or \"sum\""), qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("NLLLoss", {{"weight", "heavy"}}, "l"); });
        QVERIFY2(e.startsWith("l.options.weight:") && e.contains("array"), qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("NLLLoss", {{"weight", {1.0, -1.0}}}, "l"); });
        QVERIFY2(e.startsWith("l.options.weight:") && e.contains(">= 0"), qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("NLLLoss", {{"ignore_index", 1.5}}, "l"); });
        QVERIFY2(e.startsWith("l.options.ignore_index:") && e.contains("whole number"), qPrintable(e));
        e = test::error_of<SpecError>([] { loss::make_loss("L1Loss", json::array({1, 2}), "l"); });
        QVERIFY2(e.startsWith("l.options:") && e.contains("object"), qPrintable(e));
    }

    void class_targets() {
        const auto ce = loss::make_loss("CrossEntropyLoss", nullptr);
        const Tensor logits({3, 4});
        QString e = test::error_of<Error>([&] { ce->compute(logits, Tensor::from_data({3}, {0, 4, 1})); });
        QVERIFY2(e.contains("target[1]") && e.contains("[0, 4)") && e.contains("out_features"), qPrintable(e));
        e = test::error_of<Error>([&] { ce->compute(logits, Tensor::from_data({3}, {0, 1.5f, 1})); });
        QVERIFY2(e.contains("target[1]") && e.contains("not a class index"), qPrintable(e));
        e = test::error_of<Error>([&] { ce->compute(logits, Tensor::from_data({3}, {0, -1, 1})); });
        QVERIFY2(e.contains("target[1]"), qPrintable(e));
        e = test::error_of<ShapeError>([&] { ce->compute(logits, Tensor({3, 4})); });
        QVERIFY2(e.contains("(3,)") && e.contains("one-hot"), qPrintable(e));
        e = test::error_of<ShapeError>([&] { ce->compute(logits, Tensor({3, 1})); });
        QVERIFY2(e.contains("flatten the target to (3,)"), qPrintable(e));
        e = test::error_of<ShapeError>([&] { ce->compute(Tensor({3}), Tensor({3})); });
        QVERIFY2(e.contains("(batch, classes)"), qPrintable(e));
        const auto weighted = loss::make_loss("CrossEntropyLoss", {{"weight", {1, 2, 3}}});
        e = test::error_of<ShapeError>([&] { weighted->compute(logits, Tensor::from_data({3}, {0, 1, 2})); });
        QVERIFY2(e.contains("3 entries") && e.contains("4 classes"), qPrintable(e));
        // ignore_index is accepted outside [0, C).
        const auto ignoring = loss::make_loss("NLLLoss", {{"ignore_index", -1}});
        const auto r = ignoring->compute(logits, Tensor::from_data({3}, {0, -1, 1}));
        QCOMPARE(r.grad[4], 0.0f);
    }

    void elementwise_shapes() {
        const auto mse = loss::make_loss("MSELoss", nullptr);
        QString e = test::error_of<ShapeError>([&] { mse->compute(Tensor({8, 1}), Tensor({8})); });
        QVERIFY2(e.contains("reshape the target to (8, 1)") && e.contains("broadcast"), qPrintable(e));
        e = test::error_of<ShapeError>([&] { mse->compute(Tensor({8, 2}), Tensor({8})); });
        QVERIFY2(e.contains("same shape"), qPrintable(e));
        const auto bce = loss::make_loss("BCEWithLogitsLoss", {{"pos_weight", {1, 2}}});
        e = test::error_of<ShapeError>([&] { bce->compute(Tensor({4, 3}), Tensor({4, 3})); });
        QVERIFY2(e.contains("pos_weight has 2 entries") && e.contains("last dimension is 3"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestLossErrors)
#include "tst_loss_errors.moc"
