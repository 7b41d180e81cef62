// Training on float target columns (issue 11, "targets that fit the loss"), against PyTorch
// (tests/train/py/float_targets.py): a regression CSV trained full-batch with SGD and MSELoss /
// L1Loss, and a multi-label 0/1 CSV with BCEWithLogitsLoss, give PyTorch's losses, accuracy
// (multi-label only) and weights; the exported train.py trains on the same data the same way;
// `check` names a loss that does not fit the targets.
#include "io/tensor_file.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace nnstudio;
using nlohmann::json;

namespace {

using Result = test::CliResult;
Result cli(const QStringList& args) { return test::run_cli(args, 300000); }

json linear_model(int64_t out_features, const json& training) {
    return {{"format", "nnstudio.model"}, {"version", 1}, {"name", "Tiny"}, {"input", {{"shape", {4}}}},
            {"root", {{"type", "Sequential"}, {"children", {{{"name", "fc"}, {"type", "Linear"}, {"out_features", out_features}}}}}},
            {"training", training}};
}

// The epoch snapshots of a run folder's metrics.jsonl.
std::vector<json> epochs_of(const QString& run) {
    std::vector<json> out;
    std::ifstream in((run + "/metrics.jsonl").toStdString());
    for (std::string line; std::getline(in, line);) {
        const json j = json::parse(line);
        if (j.at("kind") == "epoch") out.push_back(j);
    }
    return out;
}

// The number after "name=" in train.py's output (NaN when absent).
double metric(const QString& text, const QString& name, int occurrence = 0) {
    int at = -1;
    for (int i = 0; i <= occurrence; ++i) {
        at = text.indexOf(name + "=", at + 1);
        if (at < 0) return std::nan("");
    }
    const int start = at + name.size() + 1;
    int end = start;
    while (end < text.size() && !text[end].isSpace()) ++end;
    return text.mid(start, end - start).toDouble();
}

}  // namespace

class TestFloatTargets : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    json m_torch;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString write_model(const QString& name, const json& doc) {
        std::ofstream(path(name).toStdString()) << doc.dump(2);
        return path(name);
    }
    json full_batch(const std::string& data, const std::string& loss) const {
        return {{"data", path(QString::fromStdString(data)).toStdString()}, {"loss", loss},
                {"optimizer", {{"name", "SGD"}, {"options", {{"lr", 0.1}}}}},
                {"epochs", 3}, {"batch_size", 16}, {"val_split", 0.0}, {"test_split", 0.0},
                {"normalization", "per_feature"}};
    }

private slots:
    void initTestCase() {
        if (!test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(test::run_torch_fixture("tests/train/py/float_targets.py", m_dir.path(), &m_torch, &error), qPrintable(error));
    }

    // Regression: MSELoss/L1Loss on (B, 2) float targets, chosen by name in the model file and by
    // index on the command line; features normalised, targets not.
    void regressionTrainsAsPytorch_data() {
        QTest::addColumn<QString>("loss");
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("MSELoss, names in the model file") << "MSELoss" << QStringList{};
        QTest::newRow("L1Loss, indices on the command line") << "L1Loss" << QStringList{"--target-columns", "1,4"};
    }
    void regressionTrainsAsPytorch() {
        QFETCH(QString, loss);
        QFETCH(QStringList, extra);
        const std::string name = loss.toStdString();
        json training = full_batch("regression.csv", name);
        if (extra.isEmpty()) training["target_columns"] = {"y1", "y2"};
        const QString model = write_model("reg_" + loss + ".json", linear_model(2, training));
        const QString run = path("run_" + loss);
        const Result r = cli(QStringList{"train", model, "--weights", path("start2.pth"), "--out", run} + extra);
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("float target columns \"y1\", \"y2\""), qPrintable(r.out));
        // Regression has no accuracy: the epoch and test lines print the loss alone.
        for (const QString& line : r.out.split('\n'))
            if (line.startsWith("epoch")) QVERIFY2(line.contains("train loss ") && !line.contains("acc"), qPrintable(line));
        const std::vector<json> epochs = epochs_of(run);
        const std::vector<double> expected = m_torch[name]["losses"].get<std::vector<double>>();
        QCOMPARE(epochs.size(), expected.size());
        for (size_t e = 0; e < epochs.size(); ++e) {
            const double ours = epochs[e]["train"]["loss"].get<double>();
            QVERIFY2(std::fabs(ours - expected[e]) <= 1e-5 * std::max(1.0, std::fabs(expected[e])),
                     qPrintable(QString("epoch %1: %2 vs PyTorch %3").arg(e + 1).arg(ours, 0, 'g', 10).arg(expected[e], 0, 'g', 10)));
            QVERIFY(epochs[e]["train"]["accuracy"].is_null());
        }
        const io::TensorFile ours = io::read_tensor_file((run + "/weights.pth").toStdString());
        const io::TensorFile torch = io::read_tensor_file(path("expected_" + loss + ".pth").toStdString());
        for (const auto& [key, t] : torch.tensors) NN_COMPARE_TENSORS(ours.tensors.at(key).to_float(), t.to_float(), key);
    }

    // Multi-label: BCEWithLogitsLoss on three 0/1 target columns; accuracy is the share of
    // (sample, label) entries whose sigmoid(logit) > 0.5 matches the target.
    void multiLabelTrainsAsPytorch() {
        const QString model = write_model("multi.json", linear_model(3, full_batch("multilabel.csv", "BCEWithLogitsLoss")));
        const QString run = path("run_multi");
        const Result r = cli({"train", model, "--weights", path("start3.pth"), "--out", run, "--target-columns", "l1,l2,l3"});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("train loss ") && r.out.contains(" acc "), qPrintable(r.out));
        const std::vector<json> epochs = epochs_of(run);
        const json& torch = m_torch["BCEWithLogitsLoss"];
        QCOMPARE(epochs.size(), size_t{3});
        for (size_t e = 0; e < epochs.size(); ++e) {
            const double loss = epochs[e]["train"]["loss"].get<double>(), expected = torch["losses"][e].get<double>();
            QVERIFY2(std::fabs(loss - expected) <= 1e-5, qPrintable(QString("epoch %1: %2 vs %3").arg(e + 1).arg(loss).arg(expected)));
            QCOMPARE(epochs[e]["train"]["accuracy"].get<double>(), torch["accuracies"][e].get<double>());
        }
        const io::TensorFile ours = io::read_tensor_file((run + "/weights.pth").toStdString());
        const io::TensorFile expected = io::read_tensor_file(path("expected_BCEWithLogitsLoss.pth").toStdString());
        for (const auto& [key, t] : expected.tensors) NN_COMPARE_TENSORS(ours.tensors.at(key).to_float(), t.to_float(), key);
    }

    // BCEWithLogitsLoss on regression values trains (as PyTorch would), with the check's warning
    // first and no accuracy: "sigmoid > 0.5 matches target > 0.5" means nothing for them.
    void bceOnRegressionValuesWarnsAndHasNoAccuracy() {
        json training = full_batch("regression.csv", "BCEWithLogitsLoss");
        training["target_columns"] = {"y1", "y2"};
        const QString run = path("run_bce_regression"), report = path("bce_report.json");
        const Result r = cli({"train", write_model("bce_reg.json", linear_model(2, training)), "--out", run,
                              "--test-split", "0.25", "--report", report});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.err.startsWith("nnstudio-cli: warning: BCEWithLogitsLoss compares sigmoid(output) with targets in [0, 1]") &&
                     r.err.contains("Use MSELoss or L1Loss"),
                 qPrintable(r.err));
        QVERIFY2(!r.out.contains(" acc ") && r.out.contains("train loss "), qPrintable(r.out));
        for (const json& e : epochs_of(run)) QVERIFY(e["train"]["accuracy"].is_null());
        std::ifstream in(report.toStdString());
        const json j = json::parse(in);
        QVERIFY2(j["test"]["accuracy"].is_null(), qPrintable(QString::fromStdString(j["test"].dump())));
        // The exported train.py decides the same: a warning and no accuracy.
        QDir(path("bce_script")).mkpath(".");
        const Result e = cli({"export", path("bce_reg.json"), "--to", path("bce_script/model.py"), "--train-script",
                              path("bce_script/train.py")});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        QString out, error;
        QVERIFY2(test::run_python(path("bce_script/train.py"), {"--epochs", "1"}, &out, &error), qPrintable(error));
        QVERIFY2(out.contains("train_loss=") && !out.contains("_acc="), qPrintable(out));
    }

    // Shapes and losses that do not fit the targets are refused before training, naming the fix.
    void lossesThatDoNotFitAreRefused() {
        json training = full_batch("regression.csv", "MSELoss");
        training["target_columns"] = {"y1", "y2"};
        const Result wide = cli({"train", write_model("wide.json", linear_model(3, training))});
        QVERIFY(wide.code != 0);
        QVERIFY2(wide.err.contains("outputs 3 values per sample but the data has 2 target column(s)") &&
                     wide.err.contains("out_features to 2"),
                 qPrintable(wide.err));
        training["loss"] = "CrossEntropyLoss";
        const Result ce = cli({"train", write_model("ce.json", linear_model(2, training))});
        QVERIFY(ce.code != 0);
        QVERIFY2(ce.err.contains("CrossEntropyLoss takes class indices") && ce.err.contains("--loss MSELoss") &&
                     ce.err.contains("\"training\": {\"loss\": \"MSELoss\"}"),
                 qPrintable(ce.err));
        // --loss replaces the model file's loss, by PyTorch's class name.
        const Result fixed = cli({"train", path("ce.json"), "--loss", "MSELoss", "--epochs", "1"});
        QVERIFY2(fixed.code == 0 && fixed.out.contains("MSELoss"), qPrintable(fixed.err + fixed.out));
        const Result unknown = cli({"train", path("ce.json"), "--loss", "mse"});
        QVERIFY2(unknown.code == 1 && unknown.err.contains("--loss: unknown loss 'mse'; valid: CrossEntropyLoss"),
                 qPrintable(unknown.err));
        training["loss"] = "MSELoss";
        const Result synthetic = cli({"train", write_model("moons.json", linear_model(2, training)), "--data", "moons"});
        QVERIFY(synthetic.code != 0);
        QVERIFY2(synthetic.err.contains("apply to CSV files only"), qPrintable(synthetic.err));
    }

    // check: CrossEntropyLoss on float targets, BCE on regression values, target width != output width.
    void checkNamesLossesThatDoNotFit() {
        json training = full_batch("regression.csv", "CrossEntropyLoss");
        training["target_columns"] = {"y1", "y2"};
        const Result ce = cli({"check", write_model("check_ce.json", linear_model(2, training))});
        QVERIFY2(ce.out.contains("loss_does_not_fit_targets") && ce.out.contains("CrossEntropyLoss takes class indices") &&
                     ce.out.contains("Use MSELoss or L1Loss"),
                 qPrintable(ce.out + ce.err));
        QVERIFY2(!ce.out.contains("loss_on_class_labels"), qPrintable(ce.out));
        training["loss"] = "BCEWithLogitsLoss";
        const Result bce = cli({"check", write_model("check_bce.json", linear_model(2, training))});
        QVERIFY2(bce.out.contains("loss_does_not_fit_targets") && bce.out.contains("regression values, not labels"),
                 qPrintable(bce.out + bce.err));
        training["loss"] = "MSELoss";
        const Result width = cli({"check", write_model("check_width.json", linear_model(3, training))});
        QVERIFY2(width.out.contains("target_width_mismatch") && width.out.contains("out_features to 2"),
                 qPrintable(width.out + width.err));
        const Result fine = cli({"check", write_model("check_fine.json", linear_model(2, training))});
        QVERIFY2(fine.out.contains("no pitfalls found"), qPrintable(fine.out + fine.err));
        // 0/1 targets fit BCEWithLogitsLoss.
        json multi = full_batch("multilabel.csv", "BCEWithLogitsLoss");
        multi["target_columns"] = "l1,l2,l3";
        const Result ok = cli({"check", write_model("check_multi.json", linear_model(3, multi))});
        QVERIFY2(ok.out.contains("no pitfalls found"), qPrintable(ok.out + ok.err));
    }

    // The exported train.py reads the same target columns and trains the same way: from the same
    // weights, its epoch losses are the CLI's (it prints 4 decimals).
    void trainScriptTrainsOnTheSameTargets() {
        json training = full_batch("regression.csv", "MSELoss");
        training["target_columns"] = {"y1", "y2"};
        training["epochs"] = 2;
        const QString model = write_model("script.json", linear_model(2, training));
        const QString run = path("run_script");
        const Result t = cli({"train", model, "--weights", path("start2.pth"), "--out", run});
        QVERIFY2(t.code == 0, qPrintable(t.err + t.out));
        const std::vector<json> epochs = epochs_of(run);
        QCOMPARE(epochs.size(), size_t{2});
        QDir(path("script")).mkpath(".");
        const Result e = cli({"export", model, "--to", path("script/model.py"), "--train-script", path("script/train.py"),
                              "--weights", path("start2.pth")});
        QVERIFY2(e.code == 0, qPrintable(e.out + e.err));
        QString out, error;
        QVERIFY2(test::run_python(path("script/train.py"), {"--out", path("script/w.pth")}, &out, &error),
                 qPrintable(error + out));
        QVERIFY2(out.contains("epoch 1/2 train_loss=") && !out.contains("train_acc"), qPrintable(out));
        QVERIFY2(out.contains("no test set") && !out.contains("nan"), qPrintable(out));  // test_split 0, as the CLI says
        for (int e = 0; e < 2; ++e) {
            const double script = metric(out, "train_loss", e), ours = epochs[static_cast<size_t>(e)]["train"]["loss"].get<double>();
            QVERIFY2(std::fabs(script - ours) <= 6e-5, qPrintable(QString("epoch %1: train.py %2, CLI %3").arg(e + 1).arg(script).arg(ours)));
        }
    }
};

QTEST_GUILESS_MAIN(TestFloatTargets)
#include "tst_float_targets.moc"
