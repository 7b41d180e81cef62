// nnstudio-cli end to end: each subcommand's output, files PyTorch wrote and reads, and bad input
// ending in a non-zero exit with one line on stderr.
#include "io/tensor_file.h"
#include "test_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnstudio;

namespace {

using Result = test::CliResult;
Result cli(const QStringList& args) { return test::run_cli(args); }

QString model(const char* file) { return test::source_dir() + "/resources/models/" + file; }
QString fixture(const char* file) { return test::fixtures_dir() + "/torch-2.11/" + file; }

void expect_failure(const QStringList& args, const QString& fragment) {
    const Result r = cli(args);
    QVERIFY2(r.code != 0, qPrintable("exit 0 for: " + args.join(' ')));
    QCOMPARE(r.err.trimmed().count('\n'), 0);  // one line
    QVERIFY2(r.err.contains(fragment), qPrintable("'" + fragment + "' not in: " + r.err));
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void help_for_every_subcommand() {
        for (const char* sub : {"summary", "init", "forward", "convert", "export", "train", "bench", "initlab",
                                "compare-modes", "gradients", "check", "devices"}) {
            const Result r = cli({sub, "--help"});
            QCOMPARE(r.code, 0);
            QVERIFY(r.out.contains("Usage"));
        }
    }

    void summary_prints_pytorch_counts() {
        Result r = cli({"summary", model("residual_network.json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("Total params: 470,794"), qPrintable(r.out));
        r = cli({"summary", model("conditional_net.json"), "--flag", "use_batch_norm=false", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["total_params"].get<int64_t>(), int64_t{784 * 256 + 256 + 2570});
    }

    void init_convert_forward_round_trip() {
        QTemporaryDir dir;
        const QString pth = dir.filePath("w.pth"), st = dir.filePath("w.safetensors"), out = dir.filePath("y.safetensors");
        QCOMPARE(cli({"init", model("deep_mlp.json"), "--scheme", "xavier_uniform", "--seed", "3", "--out", pth}).code, 0);
        QCOMPARE(cli({"convert", pth, st}).code, 0);
        const io::TensorFile a = io::read_tensor_file(pth.toStdString()), b = io::read_tensor_file(st.toStdString());
        QCOMPARE(a.tensors.size(), size_t{23});
        for (const auto& [key, t] : a.tensors) QVERIFY(b.tensors.at(key).bytes == t.bytes);
        // xavier_uniform bound for net.0.weight: sqrt(6 / (784 + 512)).
        const Tensor w = a.tensors.at("net.0.weight").to_float();
        float max_abs = 0;
        for (float v : w.to_vector()) max_abs = std::max(max_abs, std::fabs(v));
        QVERIFY(max_abs <= std::sqrt(6.0f / 1296.0f) && max_abs > 0.95f * std::sqrt(6.0f / 1296.0f));
        QCOMPARE(cli({"forward", model("deep_mlp.json"), "--weights", st, "--input", fixture("deep_mlp.input.pth"),
                      "--output", out}).code, 0);
        const io::TensorFile y = io::read_tensor_file(out.toStdString());
        QCOMPARE(y.tensors.entries().front().second.shape, (Shape{4, 10}));
    }

    void init_from_imports_what_fits() {
        QTemporaryDir dir;
        const QString simple = dir.filePath("simple.pth"), out = dir.filePath("out.pth");
        QCOMPARE(cli({"init", model("simple_net.json"), "--seed", "4", "--out", simple}).code, 0);
        const io::TensorFile src = io::read_tensor_file(simple.toStdString());
        // ShallowMLP has SimpleNet's keys and shapes: everything is imported bit-exactly.
        Result r = cli({"init", model("shallow_mlp.json"), "--from", simple, "--out", out});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("imported 4 of the model's 4 tensors") && r.out.contains("every key matched"), qPrintable(r.out));
        for (const auto& [key, t] : io::read_tensor_file(out.toStdString()).tensors) QVERIFY(src.tensors.find(key)->bytes == t.bytes);
        // DeepMLP shares none: importing nothing is an error that names keys of both.
        expect_failure({"init", model("deep_mlp.json"), "--from", simple, "--out", out}, "nothing was imported");
        expect_failure({"init", model("shallow_mlp.json"), "--from", dir.filePath("none.pth"), "--out", out}, "none.pth");
    }

    void forward_reproduces_pytorch_outputs() {
        QTemporaryDir dir;
        const QString out = dir.filePath("y.pth");
        const Result r = cli({"forward", model("residual_network.json"), "--weights", fixture("residual_network.pth"),
                              "--input", fixture("residual_network.input.pth"), "--output", out, "--mode", "eval"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        std::ifstream mf((test::fixtures_dir() + "/torch-2.11/MANIFEST.json").toStdString());
        const auto manifest = nlohmann::json::parse(mf);
        std::vector<float> expected;
        for (const auto& row : manifest["files"]["residual_network.pth"]["eval_check"]["output"])
            for (const auto& v : row) expected.push_back(v.get<float>());
        const io::TensorFile y = io::read_tensor_file(out.toStdString());
        QVERIFY(y.single_tensor);
        NN_COMPARE_TENSORS(y.tensors.entries().front().second.to_float(), Tensor::from_data({4, 10}, expected), "forward");
    }

    void train_writes_run_folder_report_and_resumes() {
        QTemporaryDir dir;
        const QString run = dir.filePath("run"), report = dir.filePath("report.json");
        Result r = cli({"train", model("spiral_mlp.json"), "--epochs", "8", "--samples", "600", "--out", run, "--report", report});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("epoch 8/8"), qPrintable(r.out));  // plain lines when not on a terminal
        std::ifstream rf(report.toStdString());
        const auto j = nlohmann::json::parse(rf);
        for (const char* key : {"train", "val", "test"}) QVERIFY(j[key].contains("accuracy") && j[key].contains("loss"));
        QCOMPARE(j["epochs"].get<int>(), 8);
        QVERIFY(j["wall_time_s"].get<double>() > 0 && j["samples_per_s"].get<double>() > 0);
        QVERIFY(j["test"]["accuracy"].get<double>() > 0.5);
        for (const char* f : {"model.json", "setup.json", "run.json", "metrics.jsonl", "weights.pth", "weights.safetensors"})
            QVERIFY2(QFile::exists(run + "/" + f), f);
        // A finished run resumed: nothing left to train, same test metrics.
        r = cli({"train", "--resume", run, "--report", report});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("resuming"));
        // Starting over in the same folder is refused.
        expect_failure({"train", model("spiral_mlp.json"), "--out", run}, "--resume");
        expect_failure({"train", model("spiral_mlp.json"), "--data", "moons", "--epochs", "1"}, "out_features to 2");
        expect_failure({"train", model("spiral_mlp.json"), "--optimizer", "rmsprop"}, "use sgd, adam or adamw");
        expect_failure({"train", model("spiral_mlp.json"), "--data", "nope"}, "fashion-mnist");
    }

    void bench_prints_json_throughput() {
        const Result r = cli({"bench", model("shallow_mlp.json"), "--batch-size", "32", "--steps", "5", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.trimmed().toStdString());
        QVERIFY(j["train_samples_per_s"].get<double>() > 0);
        QVERIFY(j["infer_samples_per_s"].get<double>() > 0);
    }

    void devices_lists_the_cpu_first() {
        Result r = cli({"devices"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith("cpu\tCPU ("), qPrintable(r.out));
        r = cli({"devices", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = nlohmann::json::parse(r.out.trimmed().toStdString());
        QCOMPARE(j.at(0).at("device").get<std::string>(), std::string("cpu"));
        QVERIFY(j.at(0).at("total_memory").get<uint64_t>() > 0);
        // A device this machine cannot use: the CPU instead, with the reason as a note.
        r = cli({"bench", model("shallow_mlp.json"), "--batch-size", "8", "--steps", "1", "--device", "cuda:97"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("cuda:97") && r.err.contains("on the CPU instead"), qPrintable(r.err));
        expect_failure({"bench", model("shallow_mlp.json"), "--device", "gpu"}, "cpu, cuda or cuda:N");
    }

    void export_writes_a_pytorch_module() {
        QTemporaryDir dir;
        const QString py = dir.filePath("model.py");
        QCOMPARE(cli({"export", model("conditional_net.json"), "--to", py}).code, 0);
        QFile f(py);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString code = QString::fromUtf8(f.readAll());
        QVERIFY(code.contains("class ConditionalNet(nn.Module):"));
        QVERIFY(code.contains("def __init__(self, use_batch_norm=True, use_dropout=True):"));
    }

    void convert_notes_dtypes_older_pytorch_cannot_load() {
        // float32 weights next to float8 and uint32 tensors: torch 1.13 has no _rebuild_tensor_v3,
        // so the .pth fails there as a whole; --drop-new-dtypes writes one it loads.
        if (!test::torch_available()) QSKIP("no PyTorch");
        QTemporaryDir dir;
        const QString st = dir.filePath("extra.safetensors"), all = dir.filePath("all.pth"), old = dir.filePath("old.pth");
        StateDict sd;
        sd.insert("w", TypedTensor::from_float(Tensor::from_data({2}, {1.5f, -2.0f})));
        sd.insert("scale", TypedTensor{DType::Float8_e4m3fn, {2}, {0x38, 0x40}});
        sd.insert("counter", TypedTensor{DType::UInt32, {1}, {7, 0, 0, 0}});
        io::write_tensor_file(st.toStdString(), io::TensorFile(sd, false));
        const QString load = "import sys, torch; sd = torch.load(sys.argv[1]); print(sorted(sd), sd['w'].tolist())";
        Result r = cli({"convert", st, all});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        for (const char* part : {"PyTorch 1.13 cannot load", "'scale' (float8_e4m3fn, PyTorch 2.1+)",
                                 "'counter' (uint32, PyTorch 2.3+)", "--drop-new-dtypes"})
            QVERIFY2(r.err.contains(part), qPrintable(part + QString(" not in: ") + r.err));
        QString out, error;
        QVERIFY(!test::run_python("-c", {load, all}, &out, &error));  // what the note warns of
        r = cli({"convert", st, old, "--drop-new-dtypes"});
        QVERIFY2(r.code == 0 && r.err.contains("left out 2 tensors") && !r.err.contains("note:"), qPrintable(r.err));
        QVERIFY2(test::run_python("-c", {load, old}, &out, &error), qPrintable(error));
        QCOMPARE(out.trimmed(), QString("['w'] [1.5, -2.0]"));
        QVERIFY(!cli({"convert", st, dir.filePath("w.safetensors")}).err.contains("note:"));  // safetensors: no torch.load
    }

    void convert_notes_a_kept_wrapper_prefix() {
        QTemporaryDir dir;
        const QString st = dir.filePath("lightning.safetensors");
        StateDict sd;
        sd.insert("model.fc.weight", TypedTensor::from_float(Tensor::from_data({1, 1}, {1.0f})));
        sd.insert("model.fc.bias", TypedTensor::from_float(Tensor::from_data({1}, {0.0f})));
        io::write_tensor_file(st.toStdString(), io::TensorFile(sd, false));
        Result r = cli({"convert", st, dir.filePath("x.pth")});
        QVERIFY2(r.code == 0 && r.err.contains("prefix 'model.'") && r.err.contains("--strip-prefix model."),
                 qPrintable(r.err));
        r = cli({"convert", st, dir.filePath("y.pth"), "--strip-prefix", "model."});
        QVERIFY2(r.code == 0 && !r.err.contains("keep their prefix"), qPrintable(r.err));
        QVERIFY(io::read_tensor_file(dir.filePath("y.pth").toStdString()).tensors.contains("fc.weight"));
    }

    void usage_errors_exit_2_with_a_help_hint() {
        // argparse's convention: the reason on one line, a pointer to --help, exit code 2.
        const QString m = model("spiral_mlp.json");
        for (const QStringList& args : {QStringList{"train", m, "--epochs"}, QStringList{"summary", m, "--nope"},
                                        QStringList{"train", m, "--epochs", "abc"}, QStringList{"frobnicate"}}) {
            const Result r = cli(args);
            QVERIFY2(r.code == 2, qPrintable(args.join(' ') + QString(": exit %1, %2").arg(r.code).arg(r.err)));
            const QStringList lines = r.err.trimmed().split('\n');
            QVERIFY2(lines.size() == 2 && lines[0].startsWith("nnstudio-cli: error: ") && lines[1].contains("--help"),
                     qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
        const Result r = cli({"train", m, "--epochs"});
        QVERIFY2(r.err.contains("nnstudio-cli train --help"), qPrintable(r.err));  // the subcommand's help
        // Each says what is wrong, in words, not CLI11's "Value abc not in range" / "1 required INT:INT".
        const std::vector<std::pair<QStringList, QString>> says = {
            {{"train", m, "--epochs", "abc"}, "error: --epochs: 'abc' is not a number\n"},
            {{"train", m, "--epochs", "0"}, "error: --epochs: 0 is out of range: give 1 to 100000\n"},
            {{"train", m, "--epochs", "2.5"}, "error: --epochs: '2.5' is not a whole number\n"},
            {{"train", m, "--lr", "-1"}, "error: --lr: -1 is negative: give 0 or more\n"},
            {{"train", m, "--batch-size", "0"}, "error: --batch-size: 0 is not positive"},
            {{"train", m, "--epochs"}, "error: --epochs needs a value\n"},
            {{"trian", m}, "error: unknown command 'trian'; the commands are summary, init,"},
            {{"trian", m}, "; did you mean 'train'?\n"},
            {{}, "error: give a command: summary, init,"},
            {{"convert", "a.pth"}, "error: missing the argument 'out' (Output file (.pth or .safetensors))\n"},
            {{"train"}, "error: train needs a MODEL.json (or --resume RUN_DIR)\n"},
        };
        for (const auto& [args, fragment] : says) {
            const Result u = cli(args);
            QVERIFY2(u.code == 2 && u.err.contains(fragment) && u.err.trimmed().split('\n').size() == 2 &&
                         u.err.contains("--help' for the options"),
                     qPrintable(args.join(' ') + QString(": exit %1, %2").arg(u.code).arg(u.err)));
        }
        QCOMPARE(cli({"train", "--help"}).code, 0);
        QCOMPARE(cli({"summary", test::source_dir() + "/missing.json"}).code, 1);  // bad input, not usage
    }

    void train_header_counts_each_share_and_plurals() {
        // 200 samples: a held-out test share, then a validation share out of the rest; the header
        // counts the three apart, as the report's evaluations do; "1 epoch", not "1 epochs".
        QTemporaryDir dir;
        const QString report = dir.filePath("r.json");
        const Result r = cli({"train", model("spiral_mlp.json"), "--epochs", "1", "--samples", "200", "--report", report});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QRegularExpression counts("(\\d+) train / (\\d+) validation / (\\d+) held-out test samples");
        const QRegularExpressionMatch c = counts.match(r.out);
        QVERIFY2(c.hasMatch(), qPrintable(r.out));
        std::ifstream rf(report.toStdString());
        const auto j = nlohmann::json::parse(rf);
        QCOMPARE(c.captured(2).toLongLong(), j["val"]["samples"].get<int64_t>());
        QCOMPARE(c.captured(3).toLongLong(), j["test"]["samples"].get<int64_t>());
        QCOMPARE(c.captured(1).toLongLong() + c.captured(2).toLongLong() + c.captured(3).toLongLong(), 200);
        QVERIFY2(r.out.contains(": 1 epoch, batch") && r.out.contains("| 1 epoch in") && !r.out.contains("1 epochs"),
                 qPrintable(r.out));
        QVERIFY2(QString::fromStdString(j["data"].get<std::string>()).contains(c.captured(0)), qPrintable(r.out));
    }

    void report_writes_null_for_missing_splits() {
        // No validation and no test share: null for those splits and the (test) confusion matrix,
        // not {"accuracy": 0.0, "loss": 0.0, "samples": 0} and a matrix of zeros.
        QTemporaryDir dir;
        const QString report = dir.filePath("r.json");
        const Result r = cli({"train", model("spiral_mlp.json"), "--epochs", "1", "--samples", "100", "--val-split", "0",
                              "--test-split", "0", "--report", report});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        std::ifstream rf(report.toStdString());
        const auto j = nlohmann::json::parse(rf);
        QVERIFY2(j["val"].is_null() && j["test"].is_null() && j["confusion"].is_null(), qPrintable(QString::fromStdString(j.dump())));
        QCOMPARE(j["train"]["samples"].get<int64_t>(), int64_t{100});
    }

    void bad_input_is_one_clear_line() {
        QTemporaryDir dir;
        const QString out = dir.filePath("w.pth");
        expect_failure({"summary", dir.filePath("missing.json")}, "cannot open the model file");
        expect_failure({"summary", model("conditional_net.json"), "--flag", "use_bn=true"}, "unknown flag 'use_bn'");
        expect_failure({"summary", model("conditional_net.json"), "--flag", "use_dropout=maybe"}, "expected true or false");
        expect_failure({"init", model("simple_net.json"), "--scheme", "kaiming", "--out", out}, "kaiming");
        expect_failure({"init", model("simple_net.json"), "--out", dir.filePath("w.txt")}, ".safetensors");
        expect_failure({"forward", model("simple_net.json"), "--weights", fixture("deep_mlp.pth"), "--input",
                        fixture("simple_net.input.pth"), "--output", out},
                       "Missing key(s)");
        {  // strict like PyTorch, and the way to keep what fits
            const QString w = dir.filePath("extra.pth");
            QCOMPARE(cli({"init", model("simple_net.json"), "--out", w}).code, 0);
            io::TensorFile f = io::read_tensor_file(w.toStdString());
            f.tensors.insert("head.weight", TypedTensor::from_float(Tensor::from_data({1}, {1.0f})));
            io::write_tensor_file(w.toStdString(), f);
            for (const char* part : {"Unexpected key(s) in state_dict: \"head.weight\"", "nnstudio-cli init MODEL --from "})
                expect_failure({"forward", model("simple_net.json"), "--weights", w, "--input", fixture("simple_net.input.pth"),
                                "--output", out}, part);
            expect_failure({"train", model("simple_net.json"), "--weights", w, "--epochs", "1"}, "--out W.pth");
        }
        expect_failure({"forward", model("simple_net.json"), "--weights", fixture("simple_net.pth"), "--input",
                        fixture("simple_net.pth"), "--output", out},
                       "expected one input tensor");
        expect_failure({"convert", fixture("malicious_global.pth"), out}, "malicious_global.pth");
        expect_failure({"convert", fixture("truncated.pth"), out}, "truncated.pth");
        QVERIFY(!QFile::exists(out));  // nothing half-written
        std::ofstream(dir.filePath("bad.json").toStdString()) << "{\"format\": \"nnstudio.model\", \"version\": 1,";
        expect_failure({"summary", dir.filePath("bad.json")}, "not valid JSON");
    }
};

QTEST_APPLESS_MAIN(TestCli)
#include "tst_cli.moc"
