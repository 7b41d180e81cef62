// Weights as users save them (issue 11, cases 1-4): DataParallel and torch.compile prefixes,
// training checkpoints (PyTorch's recipe, Lightning), weights that are not the first entry, old
// BatchNorm state without num_batches_tracked, safetensors with float8/uint32/complex tensors.
// Every file is written by PyTorch (tests/io/py/checkpoint_layouts.py), and the expected values
// are what PyTorch does with it: its output on the same input, its strict load's verdict.
#include "error.h"
#include "io/tensor_file.h"
#include "io/weight_finder.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

using namespace nnstudio;

namespace {

using Result = test::CliResult;
Result cli(const QStringList& args) { return test::run_cli(args); }

}  // namespace

class TestCheckpointLayouts : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    nlohmann::json m_torch;  // what PyTorch did with each file

    QString path(const QString& name) const { return m_dir.filePath(name); }
    Tensor tensor_in(const QString& name) const {
        return io::read_tensor_file(path(name).toStdString()).tensors.entries().front().second.to_float();
    }

private slots:
    void initTestCase() {
        if (!test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(test::run_torch_fixture("tests/io/py/checkpoint_layouts.py", m_dir.path(), &m_torch, &error), qPrintable(error));
        QVERIFY(QFile::copy(test::source_dir() + "/tests/io/py/tiny_net.json", path("tiny.json")));
    }

    void forwardMatchesPytorch_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("note");  // what the one line on stderr must say ("" = nothing)
        QTest::newRow("bare state_dict") << "plain.pth" << "";
        QTest::newRow("DataParallel") << "dp.pth" << "prefix 'module.' removed from 9 keys";
        QTest::newRow("torch.compile") << "compiled.pth" << "prefix '_orig_mod.' removed from 9 keys";
        QTest::newRow("training checkpoint") << "checkpoint.pth" << "entry 'model_state_dict'";
        QTest::newRow("Lightning") << "lightning.ckpt" << "entry 'state_dict' of";
        QTest::newRow("weights not first, nested") << "first_not_weights.pth" << "entry 'train_state.ema'";
        QTest::newRow("old BatchNorm (version 1)") << "old_bn.pth" << "";
    }
    void forwardMatchesPytorch() {
        QFETCH(QString, file);
        QFETCH(QString, note);
        QCOMPARE(QString::fromStdString(m_torch[file.toStdString()]["strict_load"].get<std::string>()), QString("ok"));
        const QString out = path("y_" + file + ".pth");
        const Result r = cli({"forward", path("tiny.json"), "--weights", path(file), "--input", path("x.pth"), "--output", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        if (note.isEmpty()) QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        else QVERIFY2(r.err.contains(note) && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        NN_COMPARE_TENSORS(tensor_in("y_" + file + ".pth"), tensor_in("y.pth"), file.toStdString());
    }

    void initFromImportsEveryTensor_data() { forwardMatchesPytorch_data(); }
    void initFromImportsEveryTensor() {
        QFETCH(QString, file);
        QFETCH(QString, note);
        const QString out = path("w_" + file + ".safetensors");
        const Result r = cli({"init", path("tiny.json"), "--from", path(file), "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("imported 9 of the model's 9 tensors") && r.out.contains("every key matched"), qPrintable(r.out));
        QVERIFY2(!r.out.contains("Error(s)"), qPrintable(r.out));
        if (!note.isEmpty()) QVERIFY2(r.out.contains(note), qPrintable(r.out));
        // The counter as PyTorch's strict load leaves it (0 for version-1 BatchNorm state).
        const io::TensorFile w = io::read_tensor_file(out.toStdString());
        QCOMPARE(static_cast<int>(w.tensors.at("bn1.num_batches_tracked").element(0)),
                 m_torch[file.toStdString()]["num_batches_tracked"].get<int>());
    }

    void missingCounterOfVersion2IsRefusedAsPytorchDoes() {
        const std::string verdict = m_torch["missing_counter.pth"]["strict_load"];
        QVERIFY(QString::fromStdString(verdict).contains("Missing key(s) in state_dict: \"bn1.num_batches_tracked\""));
        const Result r = cli({"forward", path("tiny.json"), "--weights", path("missing_counter.pth"), "--input",
                              path("x.pth"), "--output", path("y_missing.pth")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("Missing key(s) in state_dict: \"bn1.num_batches_tracked\""), qPrintable(r.err));
    }

    void keyAndStripPrefixChooseByHand() {
        // --key picks the optimizer's state: nothing in it is the model's, and the import says so.
        Result r = cli({"init", path("tiny.json"), "--from", path("checkpoint.pth"), "--key", "optimizer_state_dict.state.0",
                        "--out", path("w_none.pth")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("nothing was imported") && r.err.contains("'exp_avg'"), qPrintable(r.err));
        r = cli({"forward", path("tiny.json"), "--weights", path("checkpoint.pth"), "--key", "nope", "--input",
                 path("x.pth"), "--output", path("y_nope.pth")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("no dict of tensors under 'nope'") && r.err.contains("'model_state_dict' (9 tensors)"),
                 qPrintable(r.err));
        // A prefix given by hand replaces the automatic one: "module" without the dot matches nothing.
        r = cli({"forward", path("tiny.json"), "--weights", path("dp.pth"), "--strip-prefix", "module.", "--input",
                 path("x.pth"), "--output", path("y_manual.pth")});
        QVERIFY2(r.code == 0 && r.err.contains("prefix 'module.' removed"), qPrintable(r.err));
        // A prefix no key starts with is named as the cause, with keys that show the right one.
        const QStringList forward_dp{"forward", path("tiny.json"), "--weights", path("dp.pth"), "--input", path("x.pth"),
                                     "--output", path("y_manual.pth")};
        for (const QStringList& args : {forward_dp, QStringList{"convert", path("dp.pth"), path("dp_manual.pth")}}) {
            r = cli(args + QStringList{"--strip-prefix", "xyz."});
            QVERIFY(r.code == 1);
            QVERIFY2(r.err.contains("--strip-prefix 'xyz.': no key") && r.err.contains("starts with it") &&
                         r.err.contains("'module.fc1.weight'") && r.err.trimmed().count('\n') == 0,
                     qPrintable(r.err));
        }
    }

    void entryListsNameWeightsNotOptimizerStates() {
        // --key that names nothing: the dicts that could be weights; the optimizer's six
        // per-parameter states counted, not listed.
        Result r = cli({"forward", path("tiny.json"), "--weights", path("checkpoint.pth"), "--key", "nope", "--input",
                        path("x.pth"), "--output", path("y_nope.pth")});
        QVERIFY(r.code == 1);
        QVERIFY2(r.err.contains("'model_state_dict' (9 tensors)") && r.err.contains("6 optimizer states per parameter") &&
                     !r.err.contains("state.0"),
                 qPrintable(r.err));
        // Many candidate dicts: ten named, then how many more.
        io::TensorFile many;
        for (int i = 0; i < 25; ++i) {
            io::NestedStateDict n{"run" + std::to_string(i), {}};
            n.tensors.insert("w", TypedTensor{});
            many.nested.push_back(n);
            many.nested.push_back({"opt.state." + std::to_string(i), n.tensors});
        }
        const QString msg = test::error_of<FileFormatError>([&] { io::find_weights(many, {}, {"nope", {}}, "f.pth"); });
        QVERIFY2(msg.contains("'run9' (1 tensor)") && !msg.contains("'run10'") && msg.contains("... and 15 more") &&
                     msg.contains("25 optimizer states"),
                 qPrintable(msg));
        // A checkpoint given where one tensor is expected says what it holds.
        r = cli({"forward", path("tiny.json"), "--weights", path("plain.pth"), "--input", path("checkpoint.pth"),
                 "--output", path("y_ckpt.pth")});
        QVERIFY(r.code == 1);
        QVERIFY2(r.err.contains("is a checkpoint") && r.err.contains("'model_state_dict' (9 tensors)") &&
                     r.err.contains("--weights") && !r.err.contains("holds 0"),
                 qPrintable(r.err));
    }

    void convertTakesTheWeightsOfACheckpoint() {
        const Result r = cli({"convert", path("checkpoint.pth"), path("ckpt.safetensors")});
        QVERIFY2(r.code == 0 && r.err.contains("entry 'model_state_dict'"), qPrintable(r.err));
        const io::TensorFile a = io::read_tensor_file(path("ckpt.safetensors").toStdString());
        const io::TensorFile b = io::read_tensor_file(path("plain.pth").toStdString());
        QCOMPARE(a.tensors.size(), size_t{9});
        for (const auto& [key, t] : b.tensors) QVERIFY(a.tensors.at(key).bytes == t.bytes);
        // Keys are kept as saved: converting is not loading into a model.
        QVERIFY(cli({"convert", path("dp.pth"), path("dp.safetensors")}).code == 0);
        QVERIFY(io::read_tensor_file(path("dp.safetensors").toStdString()).tensors.contains("module.fc1.weight"));
    }

    void safetensorsWithFloat8Uint32ComplexImportsWhatFits() {
        const QString st = path("mixed_dtypes.safetensors");
        const io::TensorFile f = io::read_tensor_file(st.toStdString());
        QCOMPARE(dtype_name(f.tensors.at("extra.scale_f8").dtype), std::string("float8_e4m3fn"));
        QCOMPARE(dtype_name(f.tensors.at("extra.count_u32").dtype), std::string("uint32"));
        QCOMPARE(dtype_name(f.tensors.at("extra.phase_c64").dtype), std::string("complex64"));
        // float8_e4m3fn: 0x38 = 1, 0x7e = 448 (its largest), 0x01 = 2^-9 (smallest subnormal), 0xb8 = -1.
        const TypedTensor& f8 = f.tensors.at("extra.scale_f8");
        QCOMPARE(f8.element(0), 1.0);
        QCOMPARE(f8.element(1), 448.0);
        QCOMPARE(f8.element(2), std::ldexp(1.0, -9));
        QCOMPARE(f8.element(3), -1.0);
        QCOMPARE(f.tensors.at("extra.count_u32").element(0), 4e9);

        Result r = cli({"init", path("tiny.json"), "--from", st, "--out", path("w_mixed.pth")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("imported 9 of the model's 9 tensors") && r.out.contains("not used by the model") &&
                     r.out.contains("extra.scale_f8") && r.out.contains("extra.phase_c64"),
                 qPrintable(r.out));
        r = cli({"forward", path("tiny.json"), "--weights", path("w_mixed.pth"), "--input", path("x.pth"), "--output",
                 path("y_mixed.pth")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        NN_COMPARE_TENSORS(tensor_in("y_mixed.pth"), tensor_in("y.pth"), "mixed dtypes");
        // convert carries every dtype through, bit for bit, both ways.
        QVERIFY(cli({"convert", st, path("mixed.pth")}).code == 0);
        QVERIFY(cli({"convert", path("mixed.pth"), path("mixed_again.safetensors")}).code == 0);
        const io::TensorFile back = io::read_tensor_file(path("mixed_again.safetensors").toStdString());
        for (const auto& [key, t] : f.tensors) {
            QCOMPARE(back.tensors.at(key).dtype, t.dtype);
            QVERIFY2(back.tensors.at(key).bytes == t.bytes, key.c_str());
        }
    }

    void everyPytorchDtypeRoundTripsThroughConvert() {
        // PyTorch's file -> our .pth -> PyTorch reads every tensor back equal (complex included).
        QVERIFY(cli({"convert", path("dtypes.pth"), path("dtypes_ours.pth")}).code == 0);
        QString out, error;
        QVERIFY2(test::run_python("-c", {R"(
import sys, torch
a = torch.load(sys.argv[1]); b = torch.load(sys.argv[2], weights_only=True)
assert list(a) == list(b), (list(a), list(b))
for k in a:
    assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and torch.equal(a[k], b[k]), k
print(len(a))
)", path("dtypes.pth"), path("dtypes_ours.pth")}, &out, &error), qPrintable(error));
        QCOMPARE(out.trimmed(), QString("12"));
        // safetensors has no code for complex128: a clear refusal that names the way out.
        const Result r = cli({"convert", path("dtypes.pth"), path("dtypes.safetensors")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("no dtype code for complex128") && r.err.contains(".pth"), qPrintable(r.err));
    }

    void everyDtypeRoundTripsThroughOurFormats() {
        // The dtypes PyTorch 1.13 cannot make (float8, uint16/32/64, complex32), written the torch 2.x
        // way (UntypedStorage + _rebuild_tensor_v3) and read back bit for bit.
        io::TensorFile f;
        for (DType d : {DType::Float8_e4m3fn, DType::Float8_e5m2, DType::Float8_e4m3fnuz, DType::Float8_e5m2fnuz,
                        DType::Float8_e8m0fnu, DType::UInt16, DType::UInt32, DType::UInt64, DType::Complex32,
                        DType::Complex64, DType::Complex128}) {
            TypedTensor t;
            t.dtype = d;
            t.shape = {2, 3};
            t.bytes.resize(6 * dtype_size(d));
            for (size_t i = 0; i < t.bytes.size(); ++i) t.bytes[i] = static_cast<uint8_t>(i * 37 + 11);
            f.tensors.insert(dtype_name(d), t);
        }
        io::write_tensor_file(path("new_dtypes.pth").toStdString(), f);
        QVERIFY(cli({"convert", path("new_dtypes.pth"), path("new_dtypes_again.pth")}).code == 0);
        const io::TensorFile back = io::read_tensor_file(path("new_dtypes_again.pth").toStdString());
        QCOMPARE(back.tensors.size(), f.tensors.size());
        for (const auto& [key, t] : f.tensors) {
            QCOMPARE(back.tensors.at(key).dtype, t.dtype);
            QCOMPARE(back.tensors.at(key).shape, t.shape);
            QVERIFY2(back.tensors.at(key).bytes == t.bytes, key.c_str());
        }
        // The same through .safetensors, for every dtype the safetensors package has a code for
        // (all but complex32/complex128; fnuz as F8_E4M3FNUZ / F8_E5M2FNUZ, as it writes them).
        io::TensorFile st;
        for (const auto& [key, t] : f.tensors)
            if (t.dtype != DType::Complex32 && t.dtype != DType::Complex128) st.tensors.insert(key, t);
        io::write_tensor_file(path("new_dtypes.safetensors").toStdString(), st);
        QVERIFY(cli({"convert", path("new_dtypes.safetensors"), path("new_dtypes_again.safetensors")}).code == 0);
        const io::TensorFile st_back = io::read_tensor_file(path("new_dtypes_again.safetensors").toStdString());
        QCOMPARE(st_back.tensors.size(), size_t{9});
        for (const auto& [key, t] : st.tensors)
            QVERIFY2(st_back.tensors.at(key).dtype == t.dtype && st_back.tensors.at(key).bytes == t.bytes, key.c_str());
        // e5m2 follows IEEE: 0x3c = 1, 0x7b = 57344 (largest), 0x7c = inf, 0x7d = NaN.
        TypedTensor e5;
        e5.dtype = DType::Float8_e5m2;
        e5.shape = {4};
        e5.bytes = {0x3c, 0x7b, 0x7c, 0x7d};
        QCOMPARE(e5.element(0), 1.0);
        QCOMPARE(e5.element(1), 57344.0);
        QVERIFY(std::isinf(e5.element(2)) && std::isnan(e5.element(3)));
    }
};

QTEST_GUILESS_MAIN(TestCheckpointLayouts)
#include "tst_checkpoint_layouts.moc"
