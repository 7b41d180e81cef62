// Training on the user's own terms (issue 11, cases 6-9), against PyTorch
// (tests/train/py/user_training.py): MSELoss, L1Loss and BCEWithLogitsLoss on class labels
// train on one-hot rows as the exported train.py does, from given weights (train --weights),
// with the epoch line showing the rate the epoch ran at; labels 1..C are refused with the fix
// named; BatchNorm without running stats refuses one sample in eval mode as PyTorch does;
// --val-split 0 and --test-split 0 print no empty metrics; a dropped batch of one is announced.
#include "io/tensor_file.h"
#include "test_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnstudio;
using nlohmann::json;

namespace {

using Result = test::CliResult;
Result cli(const QStringList& args) { return test::run_cli(args, 300000); }

json tiny_model(const json& training) {
    return {{"format", "nnstudio.model"}, {"version", 1}, {"name", "Tiny"}, {"input", {{"shape", {4}}}},
            {"root", {{"type", "Sequential"}, {"children", {{{"name", "fc"}, {"type", "Linear"}, {"out_features", 3}}}}}},
            {"training", training}};
}

}  // namespace

class TestUserTraining : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    json m_torch;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString write_model(const QString& name, const json& doc) {
        std::ofstream(path(name).toStdString()) << doc.dump(2);
        return path(name);
    }
    json full_batch(const std::string& loss) const {
        return {{"data", path("data.csv").toStdString()}, {"loss", loss},
                {"optimizer", {{"name", "SGD"}, {"options", {{"lr", 0.1}}}}},
                {"scheduler", {{"name", "StepLR"}, {"options", {{"step_size", 1}, {"gamma", 0.5}}}}},
                {"epochs", 3}, {"batch_size", 12}, {"val_split", 0.0}, {"test_split", 0.0}, {"normalization", "none"}};
    }

private slots:
    void initTestCase() {
        if (!test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(test::run_torch_fixture("tests/train/py/user_training.py", m_dir.path(), &m_torch, &error), qPrintable(error));
    }

    void oneHotLossesTrainAsPytorchFromGivenWeights_data() {
        QTest::addColumn<QString>("loss");
        for (const char* l : {"MSELoss", "L1Loss", "BCEWithLogitsLoss"}) QTest::newRow(l) << l;
    }
    void oneHotLossesTrainAsPytorchFromGivenWeights() {
        QFETCH(QString, loss);
        const std::string name = loss.toStdString();
        const QString model = write_model("tiny_" + loss + ".json", tiny_model(full_batch(name)));
        const QString run = path("run_" + loss);
        const Result r = cli({"train", model, "--weights", path("start.pth"), "--out", run});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.err.contains("starting from the weights in"), qPrintable(r.err));
        // The epoch lines carry the rate each epoch ran at, as PyTorch's param_groups[0]["lr"].
        const QRegularExpression lr_re("epoch (\\d)/3 .* lr ([0-9.e-]+) ");
        std::vector<double> lrs;
        for (const QString& line : r.out.split('\n')) {
            const auto m = lr_re.match(line);
            if (m.hasMatch()) lrs.push_back(m.captured(2).toDouble());
            if (line.startsWith("epoch")) QVERIFY2(line.contains("no validation set") && !line.contains("val loss"), qPrintable(line));
        }
        const std::vector<double> expected = m_torch[name]["lrs"].get<std::vector<double>>();
        QCOMPARE(lrs.size(), expected.size());
        for (size_t i = 0; i < lrs.size(); ++i) QVERIFY(std::fabs(lrs[i] - expected[i]) < 1e-12);
        QVERIFY2(r.out.contains("no test set"), qPrintable(r.out));
        // The weights after three full-batch steps equal PyTorch's.
        const io::TensorFile ours = io::read_tensor_file((run + "/weights.pth").toStdString());
        const io::TensorFile torch = io::read_tensor_file(path("expected_" + loss + ".pth").toStdString());
        for (const auto& [key, t] : torch.tensors) NN_COMPARE_TENSORS(ours.tensors.at(key).to_float(), t.to_float(), key);
    }

    void oneBasedLabelsNameTheFix() {
        QVERIFY(QString::fromStdString(m_torch["one_based"].get<std::string>()).contains("out of bounds"));  // PyTorch refuses
        json training = full_batch("CrossEntropyLoss");
        training["data"] = path("one_based.csv").toStdString();
        const Result r = cli({"train", write_model("one_based.json", tiny_model(training))});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("labels run from 1 to 3") && r.err.contains("subtract 1"), qPrintable(r.err));
    }

    void testSplitHoldsOutWhatItSays() {
        json training = full_batch("CrossEntropyLoss");
        training["test_split"] = 0.25;
        training["epochs"] = 1;
        const Result r = cli({"train", write_model("split.json", tiny_model(training)), "--test-split", "0.5"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("6 train / 6 held-out test samples") &&
                     r.out.contains("delimiter ',' (detected), header row (detected), label column \"label\""),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("test loss"), qPrintable(r.out));
    }

    void batchNormWithoutRunningStatsRefusesOneSampleInEval() {
        const std::string torch_message = m_torch["bn_eval_single"];
        QVERIFY(QString::fromStdString(torch_message).startsWith("Expected more than 1 value per channel when training"));
        json doc = tiny_model(full_batch("CrossEntropyLoss"));
        doc["root"]["children"] = {{{"name", "fc1"}, {"type", "Linear"}, {"out_features", 8}},
                                   {{"name", "bn1"}, {"type", "BatchNorm1d"}, {"track_running_stats", false}},
                                   {{"name", "fc2"}, {"type", "Linear"}, {"out_features", 3}}};
        const QString model = write_model("bn_no_stats.json", doc);
        QCOMPARE(cli({"init", model, "--out", path("bn.pth")}).code, 0);
        const Result r = cli({"forward", model, "--weights", path("bn.pth"), "--input", path("one_sample.pth"),
                              "--output", path("bn_out.pth"), "--mode", "eval"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains(QString::fromStdString(torch_message)), qPrintable(r.err));
        // The pitfall checker names it before anything runs.
        const Result c = cli({"check", model});
        QVERIFY2(c.out.contains("batchnorm_without_running_stats"), qPrintable(c.out + c.err));
    }

    void droppedBatchOfOneIsAnnounced() {
        json doc = tiny_model(full_batch("CrossEntropyLoss"));
        doc["root"]["children"] = {{{"name", "fc1"}, {"type", "Linear"}, {"out_features", 8}},
                                   {{"name", "bn1"}, {"type", "BatchNorm1d"}},
                                   {{"name", "fc2"}, {"type", "Linear"}, {"out_features", 3}}};
        doc["training"]["batch_size"] = 11;  // 12 samples: batches of 11 and 1
        doc["training"]["epochs"] = 1;
        const Result r = cli({"train", write_model("drop.json", doc)});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("single sample") && r.err.contains("11 of 12 training samples"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestUserTraining)
#include "tst_user_training.moc"
