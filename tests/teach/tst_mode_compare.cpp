// Train vs eval A/B on real numbers: eval outputs are bit-equal to the engine's eval forward, the
// BatchNorm batch statistics equal the hand-computed mean/var of the batch, Dropout drops about p
// of the units, the model is left unchanged, and a batch of one is refused with PyTorch's message.
#include "error.h"
#include "nn/batch_norm1d.h"
#include "nn/linear.h"
#include "spec/model_init.h"
#include "teach/init_lab.h"
#include "teach/mode_compare.h"
#include "test_support.h"

#include <QProcess>
#include <Eigen/Core>
#include <QtTest>
#include <cstring>
#include <nlohmann/json.hpp>

using namespace nnstudio;

namespace {

QString model_path(const char* file) { return test::source_dir() + "/resources/models/" + file; }

// DeepMLP after 5 SGD steps, so that the running statistics have moved away from 0/1.
nn::Model trained_deep_mlp(const teach::TeachData& data) {
    nn::Model model = spec::build_model(spec::load_model_spec(model_path("deep_mlp.json").toStdString()));
    spec::initialize_model(model, 1);
    teach::train_steps(model, data.batches, {5, "SGD", 0.05});
    return model;
}

bool same_state(const StateDict& a, const StateDict& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, t] : a)
        if (!b.find(key) || b.find(key)->bytes != t.bytes) return false;
    return true;
}

}  // namespace

class TestModeCompare : public QObject {
    Q_OBJECT

private slots:
    void eval_outputs_equal_the_engine_eval_forward() {
        nn::Model probe = spec::build_model(spec::load_model_spec(model_path("deep_mlp.json").toStdString()));
        const teach::TeachData data = teach::load_teach_data(probe, "", 128, 5, 3);
        nn::Model model = trained_deep_mlp(data);
        const StateDict before = model.state_dict();
        const teach::ModeComparison c = teach::compare_modes(model, data.batches.front());
        QVERIFY(same_state(before, model.state_dict()));  // running stats and counters restored
        QVERIFY(model.is_training());                      // the mode restored too

        model.eval();
        Tensor expected;
        {
            nn::NoGradGuard no_grad;
            expected = model.forward(data.batches.front().x);
        }
        QCOMPARE(c.eval.output.shape(), expected.shape());
        QVERIFY(std::memcmp(c.eval.output.data(), expected.data(), sizeof(float) * expected.numel()) == 0);
        QVERIFY(c.max_abs_output_diff > 0);
        QVERIFY(c.mean_abs_output_diff > 0 && c.mean_abs_output_diff <= c.max_abs_output_diff);
        qInfo("train loss %.4f acc %.3f | eval loss %.4f acc %.3f | max |diff| %.4f", c.train.loss, c.train.accuracy,
              c.eval.loss, c.eval.accuracy, c.max_abs_output_diff);
    }

    void batchnorm_batch_stats_are_the_batch_mean_and_var() {
        nn::Model probe = spec::build_model(spec::load_model_spec(model_path("deep_mlp.json").toStdString()));
        const teach::TeachData data = teach::load_teach_data(probe, "", 64, 5, 4);
        nn::Model model = trained_deep_mlp(data);
        const teach::ModeComparison c = teach::compare_modes(model, data.batches.front());
        QCOMPARE(c.batch_norms.size(), size_t{3});
        const teach::BatchNormStats& bn = c.batch_norms.front();
        QCOMPARE(bn.path, std::string("net.1"));
        QCOMPARE(bn.batch_mean.size(), size_t{512});

        // The first BatchNorm's input is net.0's output: x Wᵀ + b, by hand in double.
        nn::Linear* fc = nullptr;
        nn::BatchNorm1d* norm = nullptr;
        for (const auto& info : model.layers()) {
            if (info.path == "net.0") fc = dynamic_cast<nn::Linear*>(info.module);
            if (info.path == "net.1") norm = dynamic_cast<nn::BatchNorm1d*>(info.module);
        }
        QVERIFY(fc && norm);
        using Rows = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
        const Tensor& input = data.batches.front().x;
        const Tensor& weight = fc->weight().value;
        const Eigen::MatrixXd x = Rows(input.data(), input.size(0), input.numel() / input.size(0)).cast<double>();
        const Eigen::MatrixXd h = (x * Rows(weight.data(), weight.size(0), weight.size(1)).cast<double>().transpose()).rowwise() +
                                  Eigen::Map<const Eigen::VectorXf>(fc->bias()->value.data(), fc->bias()->value.numel()).cast<double>().transpose();
        for (Eigen::Index j = 0; j < h.cols(); ++j) {
            const double mean = h.col(j).mean();
            const double var = (h.col(j).array() - mean).square().mean();  // biased, as BatchNorm normalises
            QVERIFY2(std::fabs(bn.batch_mean[j] - mean) <= 1e-5 * std::max(1.0, std::fabs(mean)), qPrintable(QString::number(j)));
            QVERIFY2(std::fabs(bn.batch_var[j] - var) <= 1e-5 * std::max(1.0, var), qPrintable(QString::number(j)));
            QCOMPARE(bn.running_mean[j], norm->running_mean()[j]);  // what eval() used
            QCOMPARE(bn.running_var[j], norm->running_var()[j]);
        }
        QVERIFY(bn.max_abs_mean_diff >= bn.mean_abs_mean_diff && bn.mean_abs_mean_diff > 0);
    }

    void dropout_drops_about_p_in_train_mode() {
        nn::Model model = spec::build_model(spec::load_model_spec(model_path("deep_mlp.json").toStdString()));
        spec::initialize_model(model, 2);
        const teach::TeachData data = teach::load_teach_data(model, "", 128, 1, 0);
        const teach::ModeComparison c = teach::compare_modes(model, data.batches.front());
        QCOMPARE(c.dropouts.size(), size_t{3});
        for (const auto& d : c.dropouts) {
            QCOMPARE(d.p, double(0.2f));
            QVERIFY2(std::fabs(d.dropped_fraction - 0.2) < 0.02, qPrintable(QString::number(d.dropped_fraction)));
            int64_t zeros = 0;
            for (float v : d.kept.to_vector()) {
                QVERIFY(v == 0.f || v == 1.f);
                zeros += v == 0.f;
            }
            QCOMPARE(static_cast<double>(zeros) / static_cast<double>(d.kept.numel()), d.dropped_fraction);
        }
        QCOMPARE(c.dropouts[0].kept.shape(), (Shape{128, 512}));
    }

    void no_batchnorm_no_dropout_means_no_difference() {
        nn::Model model = spec::build_model(spec::load_model_spec(model_path("simple_net.json").toStdString()));
        spec::initialize_model(model, 0);
        const teach::TeachData data = teach::load_teach_data(model, "", 16, 1, 0);
        const teach::ModeComparison c = teach::compare_modes(model, data.batches.front());
        QCOMPARE(c.max_abs_output_diff, 0.0);
        QCOMPARE(c.train.loss, c.eval.loss);
        QVERIFY(c.batch_norms.empty() && c.dropouts.empty());
    }

    void batch_of_one_is_refused_as_pytorch_does() {
        nn::Model model = spec::build_model(spec::load_model_spec(model_path("deep_mlp.json").toStdString()));
        spec::initialize_model(model, 0);
        const teach::TeachData data = teach::load_teach_data(model, "", 1, 1, 0);
        NN_EXPECT_ERROR(ShapeError, teach::compare_modes(model, data.batches.front()),
                        "Expected more than 1 value per channel when training, got input size torch.Size([1, 512])",
                        "net.1", "eval()");
    }

    void cli_compares_and_refuses_a_batch_of_one() {
        QProcess p;
        p.start(test::cli_path(), {"compare-modes", model_path("deep_mlp.json"), "--batch-size", "32", "--json"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, qPrintable(p.readAllStandardError()));
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j["batch_norms"].size(), size_t{3});
        QCOMPARE(j["dropouts"].size(), size_t{3});
        QCOMPARE(j["eval"]["output"].size(), size_t{32});
        QVERIFY(j["max_abs_output_diff"].get<double>() > 0);

        QProcess text;
        text.start(test::cli_path(), {"compare-modes", model_path("conditional_net.json"), "--flag", "use_dropout=false"});
        QVERIFY(text.waitForFinished(120000));
        const QString out = QString::fromUtf8(text.readAllStandardOutput());
        QVERIFY2(out.contains("train mode") && out.contains("BatchNorm1d bn1") && !out.contains("Dropout"), qPrintable(out));

        QProcess one;
        one.start(test::cli_path(), {"compare-modes", model_path("deep_mlp.json"), "--batch-size", "1"});
        QVERIFY(one.waitForFinished(120000));
        QCOMPARE(one.exitCode(), 1);
        const QString err = QString::fromUtf8(one.readAllStandardError()).trimmed();
        QVERIFY2(err.contains("Expected more than 1 value per channel when training, got input size torch.Size([1, 512])"),
                 qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestModeCompare)
#include "tst_mode_compare.moc"
