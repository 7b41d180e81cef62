// Generated PyTorch code: for the seed models and the extra models (flags on and off), the
// model.py NN Studio writes imports in real PyTorch, loads our .pth with strict=True and gives
// our eval outputs (1e-5 absolute or relative).
#include "export/pytorch_code.h"
#include "io/tensor_file.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "test_support.h"
#include "util/atomic_file.h"

#include <QtTest>
#include <fstream>

using namespace nnstudio;
using nlohmann::json;

class TestExportParity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
    }

    void generated_module_loads_and_matches_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("flags");
        const QString models = test::source_dir() + "/resources/models/";
        const QString extras = test::source_dir() + "/tests/parity/models/";
        for (const char* m : {"simple_net", "shallow_mlp", "deep_mlp", "residual_network"})
            QTest::newRow(m) << models + m + ".json" << "";
        QTest::newRow("conditional_net defaults") << models + "conditional_net.json" << "";
        QTest::newRow("conditional_net plain") << models + "conditional_net.json" << "use_batch_norm=false,use_dropout=false";
        QTest::newRow("every_layer") << extras + "every_layer.json" << "";
        QTest::newRow("log_softmax_head (unnamed, flatten)") << extras + "log_softmax_head.json" << "";
        QTest::newRow("residual_projection") << extras + "residual_projection.json" << "";
        QTest::newRow("residual_projection flipped") << extras + "residual_projection.json" << "use_bn=false,use_dropout=true";
        QTest::newRow("residual_projection_bn (nn.Sequential(Linear, BatchNorm1d) skips)")
            << extras + "residual_projection_bn.json" << "";
        QTest::newRow("new_activations (ELU..Hardtanh, PReLU, LayerNorm)") << extras + "new_activations.json" << "";
    }

    void generated_module_loads_and_matches() {
        QFETCH(QString, path);
        QFETCH(QString, flags);
        QTemporaryDir dir;
        const auto file = [&](const char* name) { return dir.filePath(name).toStdString(); };
        const spec::ModelSpec spec = spec::load_model_spec(path.toStdString());
        spec::FlagValues values;
        json flag_json = json::object();
        for (const QString& f : flags.split(',', Qt::SkipEmptyParts)) {
            const auto [k, v] = spec::parse_flag_assignment(f.toStdString());
            values[k] = v;
            flag_json[k] = v;
        }
        write_file_atomically(file("model.py"), exporter::generate_pytorch_module(spec));
        std::ofstream(file("flags.json")) << flag_json.dump();
        nn::Model model = spec::build_model(spec, values);
        spec::initialize_model(model, 5);
        io::write_tensor_file(file("w.pth"), {model.state_dict(), false});
        Shape shape = model.input_shape();
        shape.insert(shape.begin(), 6);
        Tensor x(shape);
        Rng rng(3);
        for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.normal();
        StateDict input;
        input.insert("tensor", TypedTensor::from_float(x));
        io::write_tensor_file(file("x.pth"), {input, true});
        QString out, err;
        QVERIFY2(test::run_python(test::source_dir() + "/tests/parity/py/check_export.py",
                                  {QString::fromStdString(file("model.py")), QString::fromStdString(spec.name),
                                   QString::fromStdString(file("flags.json")), QString::fromStdString(file("w.pth")),
                                   QString::fromStdString(file("x.pth")), QString::fromStdString(file("y.pth"))},
                                  &out, &err),
                 qPrintable(err));
        model.eval();
        nn::NoGradGuard no_grad;
        const io::TensorFile y = io::read_tensor_file(file("y.pth"));
        NN_COMPARE_TENSORS(model.forward(x), y.tensors.entries().front().second.to_float(), spec.name);
    }
};

QTEST_APPLESS_MAIN(TestExportParity)
#include "tst_export_parity.moc"
