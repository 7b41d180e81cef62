// Gradient inspector on real numbers: a Kaiming ReLU MLP raises no flag; a small normal init on
// the deep tanh MLP vanishes, N(0,1) on the deep ReLU MLP explodes, a ReLU layer with hugely
// negative biases is dead; the statistics are those of the gradients.
#include "error.h"
#include "nn/linear.h"
#include "spec/model_init.h"
#include "teach/gradient_report.h"
#include "teach/teach_model.h"
#include "test_support.h"

#include <QProcess>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace nnstudio;

namespace {

QString model_path(const char* file) { return test::source_dir() + "/resources/models/" + file; }

teach::GradientReport report_for(const char* file, const std::string& scheme) {
    nn::Model model = teach::prepare_model(spec::load_model_spec(model_path(file).toStdString()), {}, {"", scheme, 0});
    return teach::gradient_report(model, teach::load_teach_data(model, "", 128, 1, 0).batches.front());
}

std::vector<teach::GradientFlag> flags_of(const teach::GradientReport& r, teach::GradientFlagKind kind) {
    std::vector<teach::GradientFlag> out;
    for (const auto& f : r.flags)
        if (f.kind == kind) out.push_back(f);
    return out;
}

}  // namespace

class TestGradientReport : public QObject {
    Q_OBJECT

private slots:
    void statistics_are_those_of_the_gradients() {
        nn::Model model = teach::prepare_model(spec::load_model_spec(model_path("spiral_mlp.json").toStdString()), {}, {});
        const teach::TeachData data = teach::load_teach_data(model, "spirals", 64, 1, 0);
        const teach::GradientReport r = teach::gradient_report(model, data.batches.front());
        QCOMPARE(r.params.size(), size_t{6});
        const auto named = model.named_parameters();
        for (size_t i = 0; i < r.params.size(); ++i) {
            const Tensor& g = named[i].second->grad;
            QCOMPARE(r.params[i].name, named[i].first);
            QCOMPARE(r.params[i].shape, named[i].second->value.shape());
            double sq = 0;
            for (float v : g.to_vector()) sq += double(v) * v;
            QVERIFY(std::fabs(r.params[i].grad_norm - std::sqrt(sq)) <= 1e-9 * std::max(1.0, std::sqrt(sq)));
            QVERIFY(std::fabs(r.params[i].grad.mean - g.mean()) <= 1e-12);
            QVERIFY(std::fabs(r.params[i].grad.std - g.std_unbiased()) <= 1e-12);
            int64_t total = 0;
            for (int64_t c : r.params[i].histogram.counts) total += c;
            QCOMPARE(total, g.numel());
        }
        QVERIFY(r.params[0].grad_norm > 0);
        QCOMPARE(r.relus.size(), size_t{2});
        QCOMPARE(r.relus[0].path, std::string("act1"));
        QCOMPARE(r.relus[0].units, int64_t{64});
        QVERIFY(r.flags.empty());
    }

    void kaiming_relu_mlp_is_healthy() {
        const teach::GradientReport r = report_for("deep_relu_mlp.json", "kaiming_uniform");
        QCOMPARE(r.params.size(), size_t{22});
        QCOMPARE(r.relus.size(), size_t{10});
        // Units dead on the whole batch grow with depth even under Kaiming (the post-ReLU inputs of
        // deep layers are correlated: 0% in the first layer, 10-20% in the last ones on this batch),
        // but stay well below the flag's 50%.
        QCOMPARE(r.relus.front().dead_fraction, 0.0);
        for (const auto& a : r.relus) QVERIFY2(a.dead_fraction < 0.3, qPrintable(QString::fromStdString(a.path)));
        QVERIFY2(r.flags.empty(), r.flags.empty() ? "" : r.flags.front().explanation.c_str());
    }

    void small_normal_tanh_gradients_vanish() {
        const teach::GradientReport r = report_for("deep_tanh_mlp.json", "small_normal");
        const auto vanishing = flags_of(r, teach::GradientFlagKind::Vanishing);
        QVERIFY(!vanishing.empty());
        const auto depth = std::find_if(vanishing.begin(), vanishing.end(),
                                        [](const auto& f) { return f.target == "hidden.0.0.weight"; });
        QVERIFY(depth != vanishing.end());
        qInfo("first/last weight-gradient norm ratio: %.3g", depth->value);
        QVERIFY(depth->value < 1e-3);
        QVERIFY(!depth->explanation.empty() && !depth->fix.empty());
        QVERIFY(flags_of(r, teach::GradientFlagKind::Exploding).empty());
    }

    void normal_std1_relu_gradients_explode() {
        const teach::GradientReport r = report_for("deep_relu_mlp.json", "normal");
        const auto exploding = flags_of(r, teach::GradientFlagKind::Exploding);
        QVERIFY(!exploding.empty());
        for (const auto& f : exploding) QVERIFY(!std::isfinite(f.value) || f.value > 1e3);
        qInfo("exploding: %s norm %.3g", exploding.front().target.c_str(), exploding.front().value);
    }

    void dead_relu_is_flagged() {
        nn::Model model = teach::prepare_model(spec::load_model_spec(model_path("simple_net.json").toStdString()), {}, {});
        for (const auto& info : model.layers())
            if (info.path == "fc1") dynamic_cast<nn::Linear*>(info.module)->bias()->value.fill(-1e3f);
        const teach::GradientReport r = teach::gradient_report(model, teach::load_teach_data(model, "", 32, 1, 0).batches.front());
        QCOMPARE(r.relus.size(), size_t{1});
        QCOMPARE(r.relus[0].dead_fraction, 1.0);
        const auto dead = flags_of(r, teach::GradientFlagKind::DeadRelu);
        QCOMPARE(dead.size(), size_t{1});
        QCOMPARE(dead[0].target, std::string("relu"));
        QVERIFY(QString::fromStdString(dead[0].explanation).startsWith("100% of the units of relu"));
    }

    void cli_prints_flags() {
        QProcess p;
        p.start(test::cli_path(), {"gradients", model_path("deep_tanh_mlp.json"), "--init", "small_normal"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, qPrintable(p.readAllStandardError()));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains("[vanishing] hidden.0.0.weight") && out.contains("fix:") && out.contains("output.bias"),
                 qPrintable(out));

        QProcess j;
        j.start(test::cli_path(), {"gradients", model_path("spiral_mlp.json"), "--data", "spirals", "--json"});
        QVERIFY(j.waitForFinished(120000));
        QVERIFY2(j.exitCode() == 0, qPrintable(j.readAllStandardError()));
        const auto doc = nlohmann::json::parse(j.readAllStandardOutput().toStdString());
        QCOMPARE(doc["params"].size(), size_t{6});
        QCOMPARE(doc["params"][0]["histogram"]["counts"].size(), size_t{40});
        QVERIFY(doc["flags"].empty());

        QProcess bad;
        bad.start(test::cli_path(), {"gradients", model_path("deep_mlp.json"), "--init", "xavier", "--weights", "w.pth"});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains("not both"));
    }
};

QTEST_GUILESS_MAIN(TestGradientReport)
#include "tst_gradient_report.moc"
