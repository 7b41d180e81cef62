// Generated training scripts (train.py): the CLI writes model.py, train.py and a synthetic data
// file; real PyTorch runs the script on one process and under torchrun with DDP on two CPU
// processes (gloo), trains to a sensible accuracy, reads CSV and Fashion-MNIST, and saves weights
// that load back into NN Studio's model with strict=True.
#include "data/csv_loader.h"
#include "data/data_error.h"
#include "data/fashion_mnist.h"
#include "error.h"
#include "export/pytorch_code.h"
#include "export/train_script.h"
#include "io/tensor_file.h"
#include "spec/model_builder.h"
#include "test_support.h"
#include "util/atomic_file.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using namespace nnstudio;
using nlohmann::json;

namespace {

// 2 -> 32 -> [BatchNorm] -> 32 -> 3 with a flag (a constructor argument) and a training section.
json spiral_model(const json& training) {
    return {{"format", "nnstudio.model"},
            {"version", 1},
            {"name", "SpiralNet"},
            {"input", {{"shape", {2}}}},
            {"flags", {{"use_bn", true}}},
            {"root",
             {{"type", "Sequential"},
              {"children",
               {{{"name", "fc1"}, {"type", "Linear"}, {"out_features", 32}},
                {{"name", "bn1"}, {"type", "BatchNorm1d"}, {"when", "use_bn"}},
                {{"name", "act1"}, {"type", "ReLU"}},
                {{"name", "fc2"}, {"type", "Linear"}, {"out_features", 32}},
                {{"name", "act2"}, {"type", "ReLU"}},
                {{"name", "fc3"}, {"type", "Linear"}, {"out_features", 3}}}}}},
            {"init", {{"default", {{"scheme", "kaiming_uniform"}, {"nonlinearity", "relu"}}}}},
            {"training", training}};
}

json spirals_training() {
    return {{"data", "spirals"}, {"samples", 600}, {"epochs", 3}, {"batch_size", 16}, {"seed", 1},
            {"optimizer", {{"name", "Adam"}, {"options", {{"lr", 0.02}}}}}};
}

struct Run {
    int code = -1;
    QString out, err;
    double seconds = 0;
};

// Runs the test Python (with torch) in `dir` with one thread per process, within `timeout_ms`.
Run run_python_in(const QString& dir, const QStringList& args, int timeout_ms) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OMP_NUM_THREADS", "1");
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(dir);
    QElapsedTimer timer;
    timer.start();
    p.start(QStringLiteral(NNSTUDIO_PYTHON), args);
    Run r;
    if (!p.waitForFinished(timeout_ms)) {
        p.terminate();  // SIGTERM: torchrun passes it on to its workers; SIGKILL would orphan them
        if (!p.waitForFinished(10000)) {
            p.kill();
            p.waitForFinished(5000);
        }
        r.err = "timed out after " + QString::number(timeout_ms / 1000) + " s; ";
    } else if (p.exitStatus() == QProcess::NormalExit) {
        r.code = p.exitCode();
    }
    r.seconds = timer.elapsed() / 1000.0;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err += QString::fromUtf8(p.readAllStandardError());
    qInfo().noquote() << args.join(' ') << QString("(%1 s)").arg(r.seconds, 0, 'f', 1);
    return r;
}

Run run_cli(const QStringList& args) {
    QProcess p;
    p.start(test::cli_path(), args);
    Run r;
    if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit) r.code = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// The value after `key=` in the last line that has it, or -1.
double metric(const QString& out, const QString& key) {
    const QRegularExpression re(QRegularExpression::escape(key) + "=([0-9.eE+-]+)");
    double value = -1;
    for (auto it = re.globalMatch(out); it.hasNext();) value = it.next().captured(1).toDouble();
    return value;
}

// Writes model.py + train.py (+ train_data.pth for synthetic data) for `model_doc` into `dir`.
void export_files(const QString& dir, const json& model_doc) {
    const spec::ModelSpec spec = spec::parse_model_spec(model_doc);
    const train::TrainSetup setup = train::parse_train_setup(model_doc["training"]);
    const std::string d = dir.toStdString() + "/";
    write_file_atomically(d + "model.py", exporter::generate_pytorch_module(spec));
    std::string data_file;
    if (data::is_synthetic_name(setup.data)) {
        data_file = exporter::synthetic_data_file_name(d + "train.py");
        exporter::write_synthetic_data_file(d + data_file, setup);
    }
    write_file_atomically(d + "train.py", exporter::generate_train_script(spec, setup, "model", data_file));
}

// The weights the script saved load into NN Studio's model of the same file, strictly.
void check_weights_load(const QString& path, const json& model_doc) {
    nn::Model model = spec::build_model(spec::parse_model_spec(model_doc));
    const io::TensorFile file = io::read_tensor_file(path.toStdString());
    const nn::LoadReport report = model.load_state_dict(file.tensors, true);
    QVERIFY2(report.ok(), report.message(model.name()).c_str());
    for (const auto& [key, t] : file.tensors)
        if (t.dtype == DType::Float32) QVERIFY2(t.to_float().all_finite(), key.c_str());
}

}  // namespace

class TestTrainScript : public QObject {
    Q_OBJECT

private slots:
    // The CLI writes the three files, applies the overrides and refuses what it cannot honour.
    void cli_writes_files_and_applies_options() {
        QTemporaryDir dir;
        const QString model_path = dir.filePath("spiral.json");
        write_file_atomically(model_path.toStdString(), spiral_model(spirals_training()).dump(2));
        const Run r = run_cli({"export", model_path, "--to", dir.filePath("model.py"), "--train-script",
                               dir.filePath("train.py"), "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9",
                               "--scheduler", "cosine", "--epochs", "4", "--init", "xavier_uniform", "--seed", "7",
                               "--val-split", "0.25", "--batch-size", "32", "--flag", "use_bn=false"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("train_data.pth"), qPrintable(r.out));
        QFile f(dir.filePath("train.py"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        for (const char* expected :
             {"from model import SpiralNet", "return SpiralNet(use_bn=False)", "torch.optim.SGD(params, lr=0.05, momentum=0.9)",
              "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=4)", "nn.init.xavier_uniform_(module.weight, gain=1.0)",
              "nn.init.zeros_(module.bias)", "EPOCHS = 4", "BATCH_SIZE = 32", "SEED = 7", "VAL_SPLIT = 0.25",
              "\"train_data.pth\"", "DistributedDataParallel", "sampler.set_epoch(epoch)",
              "dist.destroy_process_group()", "model.eval()", "torch.no_grad()"})
            QVERIFY2(text.contains(expected), expected);

        // The data file: NN Studio's spirals, 480 train / 120 test (test fraction 0.2).
        const io::TensorFile data = io::read_tensor_file(dir.filePath("train_data.pth").toStdString());
        QCOMPARE(data.tensors.at("x_train").shape, (Shape{480, 2}));
        QCOMPARE(data.tensors.at("y_train").dtype, DType::Int64);
        QCOMPARE(data.tensors.at("x_test").shape, (Shape{120, 2}));
        QCOMPARE(data.tensors.at("y_test").shape, (Shape{120}));

        // As `train`: another optimizer starts from its defaults (SGD: lr 0.01); synthetic-set options.
        const Run sgd = run_cli({"export", model_path, "--to", dir.filePath("m3.py"), "--train-script", dir.filePath("t3.py"),
                                 "--optimizer", "sgd", "--samples", "300", "--max-train-samples", "100"});
        QVERIFY2(sgd.code == 0, qPrintable(sgd.err));
        QFile f3(dir.filePath("t3.py"));
        QVERIFY(f3.open(QIODevice::ReadOnly));
        const QString text3 = QString::fromUtf8(f3.readAll());
        QVERIFY(text3.contains("torch.optim.SGD(params, lr=0.01)") && text3.contains("MAX_TRAIN_SAMPLES = 100"));
        QVERIFY(text3.contains("from m3 import SpiralNet") && text3.contains("\"t3_data.pth\""));
        QCOMPARE(io::read_tensor_file(dir.filePath("t3_data.pth").toStdString()).tensors.at("x_train").shape, (Shape{240, 2}));

        const auto fails_with = [&](const QStringList& extra, const QString& message) {
            const Run bad = run_cli(QStringList{"export", model_path, "--to", dir.filePath("m2.py")} + extra);
            QVERIFY2(bad.code == 1 && bad.err.contains(message), qPrintable(extra.join(' ') + ": " + bad.err));
        };
        fails_with({"--epochs", "2"}, "add --train-script");
        fails_with({"--train-script", dir.filePath("t2.py"), "--momentum", "0.9"}, "--momentum applies to SGD only");
        fails_with({"--train-script", dir.filePath("t2.py"), "--optimizer", "rmsprop"}, "use sgd, adam or adamw");
        fails_with({"--train-script", dir.filePath("t2.py"), "--init", "kaiming"}, "--init");
        fails_with({"--train-script", dir.filePath("t2.py"), "--data", "nosuchset"}, "unknown data source");
        fails_with({"--train-script", dir.filePath("sub/t2.py")}, "same folder");
        fails_with({"--train-script", dir.filePath("t2.py"), "--data", "fashion-mnist"}, "takes inputs of shape (2,)");
        QVERIFY(!QFile::exists(dir.filePath("t2.py")));
    }

    // Per-layer initializers, losses with tensor options and one-hot targets, schedules.
    void script_maps_setup_to_torch_calls() {
        json doc = spiral_model({{"data", "blobs"},
                                 {"loss", {{"name", "CrossEntropyLoss"}, {"options", {{"weight", {1.0, 2.0, 0.5}}, {"label_smoothing", 0.1}}}}},
                                 {"optimizer", {{"name", "AdamW"}, {"options", {{"lr", 0.003}, {"betas", {0.8, 0.99}}}}}},
                                 {"scheduler", {{"name", "StepLR"}, {"options", {{"step_size", 2}, {"gamma", 0.5}}}}}});
        doc["root"]["children"][3]["init"] = {{"scheme", "orthogonal"}, {"gain", 2.0}, {"bias", "pytorch_default"}};
        doc["root"]["children"][5]["init"] = {{"scheme", "pytorch_default"}};
        const spec::ModelSpec spec = spec::parse_model_spec(doc);
        const train::TrainSetup setup = train::parse_train_setup(doc["training"]);
        const QString text = QString::fromStdString(exporter::generate_train_script(spec, setup, "net", "train_data.pth"));
        for (const char* expected :
             {"from net import SpiralNet", "nn.CrossEntropyLoss(label_smoothing=0.1, weight=torch.tensor([1.0, 2.0, 0.5]))",
              "torch.optim.AdamW(params, lr=0.003, betas=(0.8, 0.99))",
              "torch.optim.lr_scheduler.StepLR(optimizer, gamma=0.5, step_size=2)",
              "layer = model.get_submodule(\"fc1\")",
              "nn.init.kaiming_uniform_(layer.weight, a=0.0, mode=\"fan_in\", nonlinearity=\"relu\")",
              "nn.init.orthogonal_(layer.weight, gain=2.0)", "# bias: kept as nn.Linear initialised it",
              "#   PyTorch's default: left as nn.Linear initialised it"})
            QVERIFY2(text.contains(expected), qPrintable(QString(expected) + "\n" + text));

        train::TrainSetup mse = setup;
        mse.loss = {"MSELoss", json::object()};
        mse.init = "zeros";
        const QString mse_text = QString::fromStdString(exporter::generate_train_script(spec, mse, "model", "d.pth"));
        QVERIFY(mse_text.contains("F.one_hot(y, out.shape[1])"));
        QVERIFY(mse_text.contains("nn.init.zeros_(module.weight)"));

        train::TrainSetup bad = setup;
        bad.optimizer.options["momentun"] = 0.9;
        QVERIFY_THROWS_EXCEPTION(nnstudio::SpecError, exporter::generate_train_script(spec, bad, "model", "d.pth"));
        QVERIFY_THROWS_EXCEPTION(nnstudio::Error, exporter::generate_train_script(spec, setup, "model", ""));  // no data file
        QVERIFY_THROWS_EXCEPTION(nnstudio::Error, exporter::generate_train_script(spec, setup, "my-model", "d.pth"));
    }

    // torchrun, two CPU processes (gloo): disjoint halves, one epoch line from rank 0, weights load.
    void ddp_two_processes_on_spirals() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        QTemporaryDir dir;
        const json doc = spiral_model(spirals_training());
        export_files(dir.path(), doc);
        // torchrun itself (python3 -m torch.distributed.run). --redirects 1 --tee 1: torch 1.13's launcher
        // fails on Python 3.11 with its default "0" (the IntFlag Std.NONE is no longer iterated); with
        // them each worker's stdout reaches ours prefixed "[default<rank>]:".
        const Run r = run_python_in(dir.path(),
                                    {"-m", "torch.distributed.run", "--nproc_per_node=2", "--standalone", "--redirects",
                                     "1", "--tee", "1", "--log_dir", dir.filePath("torchrun-logs"), "train.py",
                                     "--epochs", "1", "--out", "ddp.pth"},
                                    120000);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        // 600 spirals: 480 train / 120 test; validation ceil(0.1 * 480) = 48; 432 shared out.
        QVERIFY2(r.out.contains("(gloo, 2 processes, batch 8 each)"), qPrintable(r.out));
        QVERIFY2(r.out.contains("data: 432 train / 48 validation / 120 test samples"), qPrintable(r.out));
        QVERIFY2(r.out.contains("training samples per rank: [216, 216] (432 distinct of 432, disjoint)"), qPrintable(r.out));
        QCOMPARE(r.out.count("epoch 1/1 train_loss="), 1);  // rank 0 alone logs
        QVERIFY2(metric(r.out, "test_acc") >= 0, qPrintable(r.out));
        check_weights_load(dir.filePath("ddp.pth"), doc);
    }

    // One process, three epochs: the script really trains.
    void single_process_trains_spirals() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        QTemporaryDir dir;
        const json doc = spiral_model(spirals_training());
        export_files(dir.path(), doc);
        const Run r = run_python_in(dir.path(), {"train.py", "--epochs", "3"}, 90000);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("training samples: 432 on 1 process"), qPrintable(r.out));
        QVERIFY2(r.out.contains("epoch 3/3 "), qPrintable(r.out));
        const double acc = metric(r.out, "test_acc");
        qInfo() << "spirals test accuracy after 3 epochs:" << acc;
        QVERIFY2(acc > 0.6, qPrintable(r.out));
        check_weights_load(dir.filePath("weights.pth"), doc);
    }

    // export --weights: train.py starts from the given weights, found in a PyTorch training
    // checkpoint behind DataParallel's prefix exactly as `train --weights` finds them. With lr 0 the
    // parameters the script saves are the given ones; from its initializer they would differ.
    void script_starts_from_given_weights() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        QTemporaryDir dir;
        json training = spirals_training();
        training["epochs"] = 1;
        training["optimizer"] = {{"name", "SGD"}, {"options", {{"lr", 0.0}}}};
        const json doc = spiral_model(training);
        write_file_atomically(dir.filePath("spiral.json").toStdString(), doc.dump());
        QCOMPARE(run_cli({"init", dir.filePath("spiral.json"), "--seed", "5", "--out", dir.filePath("w.pth")}).code, 0);
        const Run wrap = run_python_in(dir.path(), {"-c", "import torch; sd = torch.load('w.pth'); torch.save({'epoch': 3, "
                                                        "'model_state_dict': {'module.' + k: v for k, v in sd.items()}}, 'ckpt.pth')"},
                                       60000);
        QVERIFY2(wrap.code == 0, qPrintable(wrap.err));
        const Run e = run_cli({"export", dir.filePath("spiral.json"), "--to", dir.filePath("model.py"), "--train-script",
                               dir.filePath("train.py"), "--weights", dir.filePath("ckpt.pth")});
        QVERIFY2(e.code == 0, qPrintable(e.out + e.err));
        QVERIFY2(e.out.contains("train_weights.pth"), qPrintable(e.out));
        const Run r = run_python_in(dir.path(), {"train.py"}, 90000);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        const StateDict given = io::read_tensor_file(dir.filePath("w.pth").toStdString()).tensors;
        const StateDict trained = io::read_tensor_file(dir.filePath("weights.pth").toStdString()).tensors;
        int compared = 0;
        for (const auto& [key, t] : given) {
            if (key.find("running_") != std::string::npos || key.find("num_batches") != std::string::npos) continue;
            QVERIFY2(trained.contains(key), key.c_str());
            QVERIFY2(trained.at(key).bytes == t.bytes, ("parameter changed or not loaded: " + key).c_str());
            ++compared;
        }
        QCOMPARE(compared, 8);  // fc1, bn1, fc2, fc3: weight and bias
    }

    // A CSV with string labels in a named middle column: one epoch.
    void csv_runs_one_epoch() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        QTemporaryDir dir;
        std::string csv = "x,kind,y\n";
        for (int i = 0; i < 60; ++i) {
            const double x = (i % 10) / 10.0, y = (i / 10) / 6.0;
            csv += std::to_string(x) + "," + (x + y > 0.9 ? "\"big\"" : "small") + "," + std::to_string(y) + "\n";
        }
        write_file_atomically(dir.filePath("points.csv").toStdString(), csv);
        json doc = spiral_model({{"data", dir.filePath("points.csv").toStdString()}, {"label_column", "kind"},
                                 {"normalization", "per_feature"}, {"epochs", 1}, {"batch_size", 8}});
        doc["root"]["children"][5]["out_features"] = 2;
        export_files(dir.path(), doc);
        const Run r = run_python_in(dir.path(), {"train.py"}, 60000);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        // 60 rows: ceil(0.2 * 60) = 12 test, ceil(0.1 * 48) = 5 validation, 43 train.
        QVERIFY2(r.out.contains("data: 43 train / 5 validation / 12 test samples"), qPrintable(r.out));
        QVERIFY2(r.out.contains("epoch 1/1 train_loss="), qPrintable(r.out));
        QVERIFY2(metric(r.out, "test_acc") >= 0, qPrintable(r.out));
        check_weights_load(dir.filePath("weights.pth"), doc);
    }

    // A spreadsheet's CSV: ';' delimiters, no header row, CRLF. train.py detects the dialect with
    // csv.Sniffer as NN Studio does (data/csv_dialect.h), and holds out the setup's test_split.
    void headerless_semicolon_csv_reads_as_in_the_engine() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        QTemporaryDir dir;
        std::string csv;
        for (int i = 0; i < 60; ++i) {
            const double x = (i % 10) / 10.0, y = (i / 10) / 6.0;
            csv += std::to_string(x) + ";" + std::to_string(y) + ";" + std::to_string(x + y > 0.9 ? 1 : 0) + "\r\n";
        }
        write_file_atomically(dir.filePath("sheet.csv").toStdString(), csv);
        data::CsvDialect dialect;
        QCOMPARE(data::load_csv(dir.filePath("sheet.csv").toStdString(), {}, &dialect).size(), int64_t{60});
        QCOMPARE(dialect.delimiter, ';');
        QVERIFY(!dialect.has_header);
        json doc = spiral_model({{"data", dir.filePath("sheet.csv").toStdString()}, {"test_split", 0.25},
                                 {"epochs", 1}, {"batch_size", 8}});
        doc["root"]["children"][5]["out_features"] = 2;
        export_files(dir.path(), doc);
        const Run r = run_python_in(dir.path(), {"train.py"}, 60000);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        // 60 rows: ceil(0.25 * 60) = 15 test, ceil(0.1 * 45) = 5 validation, 40 train.
        QVERIFY2(r.out.contains("data: 40 train / 5 validation / 15 test samples"), qPrintable(r.out));
    }

    // One stray non-integer among integer labels: the engine and train.py both refuse the column
    // (read as names, it would renumber the integer classes).
    void mixed_labels_are_refused_as_in_the_engine() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        QTemporaryDir dir;
        std::string csv = "x,y,label\n";
        for (int i = 0; i < 20; ++i) csv += std::to_string(i / 20.0) + ",0.5," + (i == 7 ? "2.5" : std::to_string(i % 2)) + "\n";
        write_file_atomically(dir.filePath("mixed.csv").toStdString(), csv);
        NN_EXPECT_ERROR(data::DataError, data::load_csv(dir.filePath("mixed.csv").toStdString()), "all integers");
        json doc = spiral_model({{"data", dir.filePath("mixed.csv").toStdString()}, {"epochs", 1}, {"batch_size", 8}});
        doc["root"]["children"][5]["out_features"] = 2;
        export_files(dir.path(), doc);
        const Run r = run_python_in(dir.path(), {"train.py"}, 60000);
        QVERIFY2(r.code != 0, qPrintable(r.out + r.err));
        QVERIFY2(r.err.contains("data row 8: label '2.5' mixes class indices and names"), qPrintable(r.err));
    }

    // Fashion-MNIST from Debian's IDX files: ShallowMLP, 2000 samples, one epoch.
    void fashion_mnist_quick_run() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        if (!data::fashion_mnist_available()) QSKIP("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        QTemporaryDir dir;
        QFile f(test::source_dir() + "/resources/models/shallow_mlp.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        json doc = json::parse(f.readAll().toStdString());
        doc["training"] = {{"data", "fashion-mnist"}, {"batch_size", 32}};
        export_files(dir.path(), doc);
        const Run r = run_python_in(dir.path(), {"train.py", "--epochs", "1", "--max-train-samples", "2000"}, 90000);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        // Validation is held out of all 60000 first (as NN Studio's Trainer does); 2000 of the rest train.
        QVERIFY2(r.out.contains("data: 2000 train / 6000 validation / 10000 test samples"), qPrintable(r.out));
        const double acc = metric(r.out, "test_acc");
        qInfo() << "Fashion-MNIST test accuracy after 1 epoch on 2000 samples:" << acc;
        QVERIFY2(acc > 0.5, qPrintable(r.out));
        check_weights_load(dir.filePath("weights.pth"), doc);
    }
};

QTEST_APPLESS_MAIN(TestTrainScript)
#include "tst_train_script.moc"
