// Init lab lessons on real numbers: on a 10-layer tanh MLP Xavier keeps activations alive, N(0,1)
// saturates them, a small normal lets them vanish; on a ReLU MLP Kaiming keeps them alive; zeros
// never break symmetry, not even after training. Plus the CSV and the CLI command.
#include "error.h"
#include "spec/model_init.h"
#include "teach/init_lab.h"
#include "teach/init_lab_csv.h"
#include "test_support.h"

#include <QProcess>
#include <QtTest>

using namespace nnstudio;

namespace {

spec::ModelSpec model_spec(const char* file) {
    return spec::load_model_spec((test::source_dir() + "/resources/models/" + file).toStdString());
}

// One scheme's per-layer numbers on 128 N(0,1) inputs (seed 0).
teach::LayerSnapshot measure(const char* file, const std::string& scheme) {
    nn::Model model = spec::build_model(model_spec(file));
    spec::initialize_model(model, 0, teach::lab_scheme(scheme).scheme);
    const teach::TeachData data = teach::load_teach_data(model, "", 128, 1, 0);
    return teach::measure_layers(model, data.batches.front());
}

std::vector<teach::LayerStats> of_type(const teach::LayerSnapshot& s, const std::string& type) {
    std::vector<teach::LayerStats> out;
    for (const auto& l : s.layers)
        if (l.type == type) out.push_back(l);
    return out;
}

double last_over_first_std(const std::vector<teach::LayerStats>& layers) {
    return layers.back().activation.std / layers.front().activation.std;
}

}  // namespace

class TestInitLab : public QObject {
    Q_OBJECT

private slots:
    void layers_in_execution_order() {
        const teach::LayerSnapshot s = measure("deep_tanh_mlp.json", "xavier_uniform");
        QCOMPARE(s.layers.size(), size_t{21});  // 10 x (Linear, Tanh) + the output Linear
        QCOMPARE(s.layers.front().path, std::string("hidden.0.0"));
        QCOMPARE(s.layers[1].path, std::string("hidden.0.1"));
        QCOMPARE(s.layers.back().path, std::string("output"));
        QCOMPARE(s.layers.back().depth, 20);
        QVERIFY(s.layers.front().weight_grad.has_value());
        QVERIFY(!s.layers[1].weight_grad.has_value());
        QVERIFY(s.layers[1].saturated.has_value());
        QVERIFY(std::isfinite(s.loss) && s.loss > 1.0);
        // Each histogram counts every activation of the batch.
        for (const auto& l : s.layers) {
            int64_t total = 0;
            for (int64_t c : l.histogram.counts) total += c;
            QCOMPARE(total, int64_t{128} * (l.path == "output" ? 10 : 256));
        }
    }

    void xavier_keeps_tanh_alive() {
        // With tanh's gain (5/3, as PyTorch's documentation recommends) the std holds steady.
        const auto tuned = of_type(measure("deep_tanh_mlp.json", "xavier_tanh"), "Tanh");
        QCOMPARE(tuned.size(), size_t{10});
        const double ratio = last_over_first_std(tuned);
        qInfo("xavier_tanh: tanh std first %.4f last %.4f (ratio %.3f)", tuned.front().activation.std,
              tuned.back().activation.std, ratio);
        QVERIFY2(ratio > 1.0 / 3 && ratio < 3, qPrintable(QString::number(ratio)));
        // With gain 1 (the seed's init_xavier) it shrinks slowly, about 1/sqrt(depth): ~3x over ten
        // layers, far from the vanishing of a small normal (1e-7x) and without saturation.
        for (const char* scheme : {"xavier_uniform", "xavier_normal"}) {
            const auto tanh = of_type(measure("deep_tanh_mlp.json", scheme), "Tanh");
            const double r = last_over_first_std(tanh);
            qInfo("%s: tanh std first %.4f last %.4f (ratio %.3f), saturated last %.4f", scheme, tanh.front().activation.std,
                  tanh.back().activation.std, r, *tanh.back().saturated);
            QVERIFY2(r > 1.0 / 3.6 && r < 1, qPrintable(QString::number(r)));
            QVERIFY(*tanh.back().saturated < 0.05);
        }
    }

    void normal_std1_saturates_tanh() {
        const auto tanh = of_type(measure("deep_tanh_mlp.json", "normal"), "Tanh");
        for (size_t i = 1; i < tanh.size(); ++i) {
            qInfo("N(0,1) tanh layer %zu: saturated %.3f std %.3f", i, *tanh[i].saturated, tanh[i].activation.std);
            QVERIFY2(*tanh[i].saturated > 0.5, qPrintable(QString::number(*tanh[i].saturated)));
        }
    }

    void small_normal_vanishes_in_tanh() {
        const auto tanh = of_type(measure("deep_tanh_mlp.json", "small_normal"), "Tanh");
        const double ratio = last_over_first_std(tanh);
        qInfo("N(0,0.01^2) tanh: first %.3g last %.3g", tanh.front().activation.std, tanh.back().activation.std);
        QVERIFY2(ratio < 1e-3, qPrintable(QString::number(ratio)));
    }

    void kaiming_keeps_relu_alive_small_normal_vanishes() {
        for (const char* scheme : {"kaiming_uniform", "kaiming_normal"}) {
            const auto relu = of_type(measure("deep_relu_mlp.json", scheme), "ReLU");
            const double ratio = last_over_first_std(relu);
            qInfo("%s: relu std first %.4f last %.4f, zero share last %.3f", scheme, relu.front().activation.std,
                  relu.back().activation.std, relu.back().zero_fraction);
            QVERIFY2(ratio > 1.0 / 3 && ratio < 3, qPrintable(QString::number(ratio)));
            QVERIFY(relu.back().zero_fraction > 0.3 && relu.back().zero_fraction < 0.7);  // about half, alive
        }
        const auto small = of_type(measure("deep_relu_mlp.json", "small_normal"), "ReLU");
        QVERIFY(last_over_first_std(small) < 1e-3);
    }

    void zeros_never_break_symmetry() {
        nn::Model model = spec::build_model(model_spec("deep_tanh_mlp.json"));
        spec::initialize_model(model, 0, teach::lab_scheme("zeros").scheme);
        const teach::TeachData data = teach::load_teach_data(model, "", 64, 4, 1);
        const auto hidden_identical = [&] {
            const teach::LayerSnapshot s = teach::measure_layers(model, data.batches.front());
            for (size_t i = 0; i + 1 < s.layers.size(); ++i)
                if (!s.layers[i].units_identical) return false;
            return true;
        };
        QVERIFY(hidden_identical());
        const std::vector<double> curve = teach::train_steps(model, data.batches, {20, "Adam", 1e-2});
        QCOMPARE(curve.size(), size_t{20});
        QVERIFY(hidden_identical());
        // Every hidden weight matrix has identical rows (here: still all zero).
        for (auto& [name, p] : model.named_parameters()) {
            if (name.rfind("hidden.", 0) != 0 || p->value.dim() != 2) continue;
            const int64_t rows = p->value.size(0), cols = p->value.size(1);
            for (int64_t r = 1; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c) QCOMPARE(p->value[r * cols + c], p->value[c]);
        }
        // A random scheme does break it (the check is not vacuous).
        spec::initialize_model(model, 0, teach::lab_scheme("default").scheme);
        QVERIFY(!hidden_identical());
    }

    void run_init_lab_trains_each_scheme_from_the_same_start() {
        const spec::ModelSpec spec = model_spec("deep_relu_mlp.json");
        const nn::Model shape_only = spec::build_model(spec);
        const teach::TeachData data = teach::load_teach_data(shape_only, "", 32, 3, 7);
        teach::InitLabOptions options;
        options.schemes = teach::parse_lab_schemes("kaiming_normal,small_normal,zeros");
        options.seed = 5;
        options.training = {6, "SGD", 0.05};
        const teach::InitLabResult r = teach::run_init_lab(spec, {}, data, options);
        QCOMPARE(r.runs.size(), size_t{3});
        QCOMPARE(r.batch_size, int64_t{32});
        for (const auto& run : r.runs) {
            QCOMPARE(run.loss_curve.size(), size_t{6});
            QCOMPARE(run.loss_curve.front(), run.at_init.loss);  // same weights, same batch
        }
        QVERIFY(r.runs[0].loss_curve.back() < r.runs[0].loss_curve.front());
        // Same seed, same numbers.
        const teach::InitLabResult again = teach::run_init_lab(spec, {}, data, options);
        QCOMPARE(again.runs[1].at_init.layers[5].activation.std, r.runs[1].at_init.layers[5].activation.std);

        const std::string csv = teach::init_lab_csv(r);
        QVERIFY(csv.rfind("scheme,layer,depth,kind,mean,std,saturated,zero_fraction,grad_mean,grad_std\n", 0) == 0);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t{1 + 3 * 21});
        QVERIFY(csv.find("\nzeros,hidden.9.1,19,ReLU,0,0,,1,,\n") != std::string::npos);
    }

    void unknown_scheme_lists_the_valid_ones() {
        NN_EXPECT_ERROR(SpecError, teach::parse_lab_schemes("xavier_uniform,he"), "unknown init lab scheme 'he'",
                        "kaiming_normal", "small_normal");
    }

    void data_must_fit_the_model() {
        const nn::Model model = spec::build_model(model_spec("deep_tanh_mlp.json"));
        NN_EXPECT_ERROR(Error, teach::load_teach_data(model, "spirals", 16, 1, 0), "(2,)", "(784,)");
    }

    void cli_prints_table_and_writes_csv() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("lab.csv");
        QProcess p;
        p.start(test::cli_path(), {"initlab", test::source_dir() + "/resources/models/deep_tanh_mlp.json", "--schemes",
                                   "xavier_uniform,normal", "--batch-size", "64", "--train-steps", "3", "--csv", csv});
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(p.exitCode() == 0, qPrintable(p.readAllStandardError()));
        QVERIFY(out.contains("activation std") && out.contains("xavier_unifo") && out.contains("loss after 3 steps"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 2 * 21);
        // N(0,1): the last tanh layer is mostly saturated.
        const QStringList last_tanh = lines.filter(QRegularExpression("^normal,hidden\\.9\\.1,")).front().split(',');
        QVERIFY2(last_tanh[6].toDouble() > 0.5, qPrintable(last_tanh.join(',')));

        QProcess bad;
        bad.start(test::cli_path(), {"initlab", test::source_dir() + "/resources/models/deep_tanh_mlp.json", "--schemes", "he"});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        const QString err = QString::fromUtf8(bad.readAllStandardError()).trimmed();
        QVERIFY(err.contains("unknown init lab scheme 'he'") && !err.contains('\n'));
    }
};

QTEST_GUILESS_MAIN(TestInitLab)
#include "tst_init_lab.moc"
