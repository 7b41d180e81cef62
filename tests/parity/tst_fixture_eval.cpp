// The seed models' state_dicts written by PyTorch 1.13 and 2.11 (.pth and .safetensors) load
// strictly into our models, and their eval outputs on the stored inputs equal the outputs
// PyTorch recorded in MANIFEST.json (1e-5 absolute or relative).
#include "error.h"
#include "io/tensor_file.h"
#include "spec/model_builder.h"
#include "test_support.h"

#include <QtTest>
#include <filesystem>
#include <fstream>

using namespace nnstudio;
using nlohmann::json;

class TestFixtureEval : public QObject {
    Q_OBJECT

private slots:
    void eval_outputs_data() {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("stem");
        QTest::addColumn<QString>("extension");
        const char* stems[] = {"simple_net", "shallow_mlp", "deep_mlp", "residual_network",
                               "conditional_net_bn_dropout", "conditional_net_plain"};
        for (const char* version : {"torch-1.13", "torch-2.11"})
            for (const char* stem : stems)
                for (const char* ext : {".pth", ".safetensors"}) {
                    if (QString(version) == "torch-1.13" && QString(ext) == ".safetensors") continue;
                    QTest::newRow(qPrintable(QString("%1 %2%3").arg(version, stem, ext))) << version << stem << ext;
                }
    }

    void eval_outputs() {
        QFETCH(QString, version);
        QFETCH(QString, stem);
        QFETCH(QString, extension);
        const std::string dir = (test::fixtures_dir() + "/" + version).toStdString();
        std::ifstream manifest_file(dir + "/MANIFEST.json");
        const json manifest = json::parse(manifest_file);
        const json& check = manifest["files"][stem.toStdString() + ".pth"]["eval_check"];
        QVERIFY(check.is_object());

        std::string model_file = stem.toStdString();
        spec::FlagValues flags;
        if (stem.startsWith("conditional_net")) {
            model_file = "conditional_net";
            const bool on = stem.endsWith("bn_dropout");
            flags = {{"use_batch_norm", on}, {"use_dropout", on}};
        }
        nn::Model model = spec::build_model(
            spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/" + model_file + ".json"), flags);
        const io::TensorFile weights = io::read_tensor_file(dir + "/" + stem.toStdString() + extension.toStdString());
        const nn::LoadReport report = model.load_state_dict(weights.tensors, true);
        QVERIFY(report.ok());
        const io::TensorFile input = io::read_tensor_file(dir + "/" + stem.toStdString() + ".input.pth");
        QVERIFY(input.single_tensor);
        const Tensor x = input.tensors.entries().front().second.to_float();
        QVERIFY(std::fabs(x.sum() - check["input_sum"].get<double>()) < 1e-3);

        model.eval();
        nn::NoGradGuard no_grad;
        const Tensor y = model.forward(x);
        std::vector<float> expected;
        for (const auto& row : check["output"])
            for (const auto& v : row) expected.push_back(v.get<float>());
        NN_COMPARE_TENSORS(y, Tensor::from_data(y.shape(), expected), stem.toStdString());
    }

    void mismatched_state_dict_is_reported_all_at_once() {
        const std::string dir = (test::fixtures_dir() + "/torch-2.11").toStdString();
        nn::Model model = spec::build_model(
            spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/conditional_net.json"),
            {{"use_batch_norm", false}});
        const io::TensorFile deep = io::read_tensor_file(dir + "/conditional_net_bn_dropout.pth");
        try {
            model.load_state_dict(deep.tensors, true);
            QFAIL("a state_dict with extra BatchNorm keys loaded strictly");
        } catch (const StateDictMismatch& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("Unexpected key(s) in state_dict: \"bn1.weight\"") != std::string::npos, e.what());
            QVERIFY2(msg.find("bn1.num_batches_tracked") != std::string::npos, e.what());
        }
        nn::Model resnet = spec::build_model(
            spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/residual_network.json"));
        try {
            resnet.load_state_dict(deep.tensors, true);
            QFAIL("a foreign state_dict loaded strictly");
        } catch (const StateDictMismatch& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("Missing key(s) in state_dict: \"input_layer.weight\"") != std::string::npos, e.what());
            QVERIFY2(msg.find("Unexpected key(s) in state_dict: \"fc1.weight\"") != std::string::npos, e.what());
        }
        // Non-strict loading of a subset reports what it skipped and keeps going.
        nn::Model plain = spec::build_model(
            spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/conditional_net.json"),
            {{"use_batch_norm", false}});
        const nn::LoadReport report = plain.load_state_dict(deep.tensors, false);
        QCOMPARE(report.unexpected.size(), size_t{5});
        QVERIFY(report.missing.empty());
        // Shape mismatch names the key and both shapes.
        nn::Model simple = spec::build_model(
            spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/simple_net.json"));
        try {
            simple.load_state_dict(deep.tensors, false);
            QFAIL("a size mismatch was accepted");
        } catch (const StateDictMismatch& e) {
            QVERIFY2(std::string(e.what()).find("size mismatch for fc1.weight: copying a param with shape torch.Size([256, 784])") !=
                         std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestFixtureEval)
#include "tst_fixture_eval.moc"
