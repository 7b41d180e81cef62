// Statistical checks of every initializer against torch.nn.init's formulas, plus InitScheme
// parsing/saving errors that must name the JSON path.
#include "error.h"
#include "init/init.h"
#include "init/init_scheme.h"
#include "test_support.h"

#include <Eigen/Core>
#include <QtTest>
#include <cmath>
#include <numbers>

using namespace nnstudio;

namespace {

struct Stats {
    double mean = 0, std = 0, min = 0, max = 0;
    double within_one_std = 0;  // fraction of |x - mean| <= std: 0.683 normal, 0.577 uniform
};

Stats stats_of(const Tensor& t) {
    Stats s;
    s.mean = t.mean();
    s.std = t.std_unbiased();
    s.min = s.max = t[0];
    int64_t inside = 0;
    for (int64_t i = 0; i < t.numel(); ++i) {
        s.min = std::min<double>(s.min, t[i]);
        s.max = std::max<double>(s.max, t[i]);
        if (std::fabs(t[i] - s.mean) <= s.std) ++inside;
    }
    s.within_one_std = static_cast<double>(inside) / static_cast<double>(t.numel());
    return s;
}

QString describe(const Stats& s) {
    return QString("mean %1 std %2 min %3 max %4 within1std %5")
        .arg(s.mean).arg(s.std).arg(s.min).arg(s.max).arg(s.within_one_std);
}

// U(-bound, bound): every value inside, extremes reach the bound, std = bound/sqrt(3) within 2%.
void check_uniform(const Tensor& t, double bound, const QString& label) {
    const Stats s = stats_of(t);
    const QString msg = label + QString(": expected U(-%1, %1); ").arg(bound) + describe(s);
    QVERIFY2(s.min >= -bound * (1 + 1e-6) && s.max <= bound * (1 + 1e-6), qPrintable(msg));
    QVERIFY2(s.max > bound * 0.999 && s.min < -bound * 0.999, qPrintable(msg));
    QVERIFY2(std::fabs(s.mean) < 0.01 * bound, qPrintable(msg));
    QVERIFY2(std::fabs(s.std / (bound / std::sqrt(3.0)) - 1) < 0.02, qPrintable(msg));
    QVERIFY2(std::fabs(s.within_one_std - 1 / std::sqrt(3.0)) < 0.01, qPrintable(msg));
}

// N(mean, std): mean within 1% of std, std within 2%, and a normal (not uniform) shape.
void check_normal(const Tensor& t, double mean, double std, const QString& label) {
    const Stats s = stats_of(t);
    const QString msg = label + QString(": expected N(%1, %2); ").arg(mean).arg(std) + describe(s);
    QVERIFY2(std::fabs(s.mean - mean) < 0.01 * std, qPrintable(msg));
    QVERIFY2(std::fabs(s.std / std - 1) < 0.02, qPrintable(msg));
    QVERIFY2(std::fabs(s.within_one_std - 0.6827) < 0.01, qPrintable(msg));
}

// Largest |(A Aᵀ or Aᵀ A) - gain² I| over the smaller Gram matrix, in double.
double orthogonality_error(const Tensor& w, double gain) {
    const int64_t rows = w.size(0), cols = w.numel() / rows;
    Eigen::MatrixXd m(rows, cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) m(r, c) = w[r * cols + c];
    const Eigen::MatrixXd gram = rows <= cols ? Eigen::MatrixXd(m * m.transpose()) : Eigen::MatrixXd(m.transpose() * m);
    const Eigen::MatrixXd expected = gain * gain * Eigen::MatrixXd::Identity(gram.rows(), gram.cols());
    return (gram - expected).cwiseAbs().maxCoeff();
}

double phi(double x) { return std::exp(-x * x / 2) / std::sqrt(2 * std::numbers::pi); }
double Phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

template <typename F>
QString error_of(F&& f) {
    try {
        f();
    } catch (const SpecError& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return "WRONG TYPE: " + QString::fromStdString(e.what());
    }
    return "NO ERROR";
}

const Shape kBig = {512, 1024};  // (out, in): fan_in 1024 != fan_out 512, so mode mistakes show

}  // namespace

class TestInit : public QObject {
    Q_OBJECT

private slots:
    void gains() {
        QCOMPARE(init::calculate_gain("linear"), 1.0);
        QCOMPARE(init::calculate_gain("conv2d"), 1.0);
        QCOMPARE(init::calculate_gain("conv_transpose3d"), 1.0);
        QCOMPARE(init::calculate_gain("sigmoid"), 1.0);
        QCOMPARE(init::calculate_gain("tanh"), 5.0 / 3.0);
        QCOMPARE(init::calculate_gain("relu"), std::sqrt(2.0));
        QCOMPARE(init::calculate_gain("leaky_relu"), std::sqrt(2.0 / (1 + 0.01 * 0.01)));
        QCOMPARE(init::calculate_gain("leaky_relu", 0.2), std::sqrt(2.0 / 1.04));
        QCOMPARE(init::calculate_gain("leaky_relu", 0.0), std::sqrt(2.0));
        QCOMPARE(init::calculate_gain("selu"), 0.75);
        try {
            init::calculate_gain("gelu");
            QFAIL("gelu has no gain in torch 1.13; expected an error");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("relu, leaky_relu"));
        }
    }

    void fans() {
        const auto f = init::fan_in_and_fan_out(Tensor(kBig));
        QCOMPARE(f.fan_in, 1024);
        QCOMPARE(f.fan_out, 512);
        const auto conv = init::fan_in_and_fan_out(Tensor({4, 3, 5, 5}));
        QCOMPARE(conv.fan_in, 75);
        QCOMPARE(conv.fan_out, 100);
        QVERIFY_THROWS_EXCEPTION(ShapeError, init::fan_in_and_fan_out(Tensor({7})));
        Rng rng(1);
        Tensor bias({7});
        QVERIFY_THROWS_EXCEPTION(ShapeError, init::xavier_uniform_(bias, rng));
        QVERIFY_THROWS_EXCEPTION(Error, init::correct_fan(Tensor(kBig), "fan_avg"));
    }

    void uniform_schemes() {
        Rng rng(42);
        Tensor w(kBig);
        for (double gain : {1.0, 5.0 / 3.0}) {
            init::xavier_uniform_(w, rng, gain);
            check_uniform(w, gain * std::sqrt(6.0 / (1024 + 512)), QString("xavier_uniform gain %1").arg(gain));
            if (QTest::currentTestFailed()) return;
        }
        struct Case { const char* mode; const char* nl; double a; double gain; int64_t fan; };
        const Case cases[] = {
            {"fan_in", "relu", 0, std::sqrt(2.0), 1024},
            {"fan_out", "relu", 0, std::sqrt(2.0), 512},
            {"fan_in", "leaky_relu", 0, std::sqrt(2.0), 1024},  // kaiming passes a=0 -> slope 0
            {"fan_out", "leaky_relu", 0.2, std::sqrt(2.0 / 1.04), 512},
            {"fan_in", "tanh", 0, 5.0 / 3.0, 1024},
            {"fan_out", "linear", 0, 1.0, 512},
            {"fan_in", "selu", 0, 0.75, 1024},
        };
        for (const Case& c : cases) {
            init::kaiming_uniform_(w, rng, c.a, c.mode, c.nl);
            check_uniform(w, std::sqrt(3.0) * c.gain / std::sqrt(double(c.fan)),
                          QString("kaiming_uniform %1 %2 a=%3").arg(c.mode, c.nl).arg(c.a));
            if (QTest::currentTestFailed()) return;
        }
        init::uniform_(w, rng, -0.3, 0.7);
        const Stats s = stats_of(w);
        QVERIFY2(s.min >= -0.3 && s.max <= 0.7 && s.min < -0.299 && s.max > 0.699, qPrintable(describe(s)));
        QVERIFY2(std::fabs(s.mean - 0.2) < 0.01, qPrintable(describe(s)));
        QVERIFY2(std::fabs(s.std / (1.0 / std::sqrt(12.0)) - 1) < 0.02, qPrintable(describe(s)));
    }

    void normal_schemes() {
        Rng rng(7);
        Tensor w(kBig);
        for (double gain : {1.0, std::sqrt(2.0)}) {
            init::xavier_normal_(w, rng, gain);
            check_normal(w, 0, gain * std::sqrt(2.0 / (1024 + 512)), QString("xavier_normal gain %1").arg(gain));
            if (QTest::currentTestFailed()) return;
        }
        struct Case { const char* mode; const char* nl; double a; double gain; int64_t fan; };
        const Case cases[] = {
            {"fan_in", "relu", 0, std::sqrt(2.0), 1024},
            {"fan_out", "relu", 0, std::sqrt(2.0), 512},
            {"fan_in", "leaky_relu", 0.1, std::sqrt(2.0 / 1.01), 1024},
            {"fan_out", "tanh", 0, 5.0 / 3.0, 512},
            {"fan_in", "sigmoid", 0, 1.0, 1024},
        };
        for (const Case& c : cases) {
            init::kaiming_normal_(w, rng, c.a, c.mode, c.nl);
            check_normal(w, 0, c.gain / std::sqrt(double(c.fan)),
                         QString("kaiming_normal %1 %2 a=%3").arg(c.mode, c.nl).arg(c.a));
            if (QTest::currentTestFailed()) return;
        }
        init::normal_(w, rng, 0.5, 0.2);
        check_normal(w, 0.5, 0.2, "normal(0.5, 0.2)");
    }

    void trunc_normal() {
        Rng rng(3);
        Tensor w(kBig);
        struct Case { double mean, std, a, b; };
        for (const Case c : {Case{0, 1, -2, 2}, Case{0.5, 2, -1, 3}}) {
            init::trunc_normal_(w, rng, c.mean, c.std, c.a, c.b);
            // Moments of the truncated normal.
            const double al = (c.a - c.mean) / c.std, be = (c.b - c.mean) / c.std, z = Phi(be) - Phi(al);
            const double m = c.mean + c.std * (phi(al) - phi(be)) / z;
            const double var = c.std * c.std *
                               (1 + (al * phi(al) - be * phi(be)) / z - std::pow((phi(al) - phi(be)) / z, 2));
            const Stats s = stats_of(w);
            QVERIFY2(s.min >= c.a && s.max <= c.b, qPrintable(describe(s)));
            QVERIFY2(std::fabs(s.mean - m) < 0.01 * std::sqrt(var), qPrintable(describe(s)));
            QVERIFY2(std::fabs(s.std / std::sqrt(var) - 1) < 0.02, qPrintable(describe(s)));
        }
    }

    void orthogonal() {
        Rng rng(11);
        for (const Shape& shape : {Shape{256, 512}, Shape{512, 256}, Shape{128, 128}, Shape{8, 2, 3, 3}}) {
            for (double gain : {1.0, 2.0}) {
                Tensor w(shape);
                init::orthogonal_(w, rng, gain);
                const double err = orthogonality_error(w, gain);
                QVERIFY2(err < 1e-4, qPrintable(QString("orthogonal %1 gain %2: max |Gram - gain² I| = %3")
                                                    .arg(QString::fromStdString(shape_to_string(shape)))
                                                    .arg(gain).arg(err)));
            }
        }
        // Haar-distributed entries of a 512x512 orthogonal matrix are ~N(0, 1/512); an identity or
        // a sorted/structured Q would pass the Gram check but fail this.
        Tensor q({512, 512});
        init::orthogonal_(q, rng, 1.0);
        check_normal(q, 0, 1 / std::sqrt(512.0), "orthogonal 512x512 entries");
        Tensor bias({5});
        QVERIFY_THROWS_EXCEPTION(ShapeError, init::orthogonal_(bias, rng));
    }

    void linear_default() {
        Rng rng(5);
        Tensor w(kBig), b({512});
        init::linear_default_(w, &b, rng);
        const double bound = 1 / std::sqrt(1024.0);
        check_uniform(w, bound, "Linear default weight");
        const Stats sb = stats_of(b);
        QVERIFY2(sb.min >= -bound && sb.max <= bound && sb.max > 0.95 * bound && sb.min < -0.95 * bound,
                 qPrintable("Linear default bias: " + describe(sb)));
        QVERIFY2(std::fabs(sb.std / (bound / std::sqrt(3.0)) - 1) < 0.1, qPrintable(describe(sb)));

        // Through the scheme: pytorch_default, and another scheme with a pytorch_default bias.
        Tensor w2(kBig), b2({512});
        init::apply_linear_init(init::InitScheme{}, w2, &b2, rng);
        check_uniform(w2, bound, "apply_linear_init(pytorch_default)");
        QVERIFY(b2.to_vector() != std::vector<float>(512, 0.0f));
        init::InitScheme xb;
        xb.name = "xavier_uniform";
        xb.bias = "pytorch_default";
        init::apply_linear_init(xb, w2, &b2, rng);
        check_uniform(w2, std::sqrt(6.0 / 1536), "xavier weight");
        const Stats sb2 = stats_of(b2);
        QVERIFY2(sb2.min >= -bound && sb2.max <= bound && sb2.max > 0.9 * bound, qPrintable(describe(sb2)));
    }

    void constants_exact() {
        Rng rng(1);
        Tensor t({3, 4}, 9.0f);
        init::constant_(t, 0.25);
        QCOMPARE(t.to_vector(), std::vector<float>(12, 0.25f));
        init::zeros_(t);
        QCOMPARE(t.to_vector(), std::vector<float>(12, 0.0f));
        init::ones_(t);
        QCOMPARE(t.to_vector(), std::vector<float>(12, 1.0f));

        // Schemes other than pytorch_default zero the bias by default (as the seed's init_* do).
        for (const char* name : {"kaiming_uniform", "xavier_normal", "orthogonal", "normal", "ones"}) {
            Tensor w({6, 4}), b({6}, 3.0f);
            init::apply_linear_init(init::parse_init_scheme({{"scheme", name}}, "init"), w, &b, rng);
            QCOMPARE(b.to_vector(), std::vector<float>(6, 0.0f));
        }
        Tensor w({6, 4}), b({6}, 3.0f);
        init::apply_linear_init(init::parse_init_scheme({{"scheme", "constant"}, {"value", -1.5}}, "init"), w, &b, rng);
        QCOMPARE(w.to_vector(), std::vector<float>(24, -1.5f));
        init::apply_linear_init(init::parse_init_scheme("ones", "init"), w, nullptr, rng);
        QCOMPARE(w.to_vector(), std::vector<float>(24, 1.0f));
    }

    void deterministic_for_seed() {
        for (const std::string& name : init::init_scheme_names()) {
            const init::InitScheme s = init::parse_init_scheme({{"scheme", name}}, "init");
            Tensor w1({32, 16}), b1({32}), w2({32, 16}), b2({32}), w3({32, 16}), b3({32});
            Rng r1(123), r2(123), r3(124);
            init::apply_linear_init(s, w1, &b1, r1);
            init::apply_linear_init(s, w2, &b2, r2);
            init::apply_linear_init(s, w3, &b3, r3);
            QVERIFY2(w1.to_vector() == w2.to_vector() && b1.to_vector() == b2.to_vector(), name.c_str());
            const bool random = name != "constant" && name != "zeros" && name != "ones";
            QVERIFY2((w1.to_vector() != w3.to_vector()) == random, name.c_str());
        }
    }

    void parse_and_save() {
        const auto s = init::parse_init_scheme(
            {{"scheme", "kaiming_normal"}, {"mode", "fan_out"}, {"nonlinearity", "relu"}}, "init.default");
        QCOMPARE(s.name, std::string("kaiming_normal"));
        QCOMPARE(s.mode, std::string("fan_out"));
        QCOMPARE(s.nonlinearity, std::string("relu"));
        QCOMPARE(s.a, 0.0);
        QCOMPARE(s.bias, std::string("zeros"));
        // Only non-default fields are saved, and saving round-trips.
        QCOMPARE(init::to_json(s).dump(),
                 std::string(R"({"mode":"fan_out","nonlinearity":"relu","scheme":"kaiming_normal"})"));
        QCOMPARE(init::to_json(init::InitScheme{}).dump(), std::string(R"({"scheme":"pytorch_default"})"));
        for (const nlohmann::json& j : {nlohmann::json{{"scheme", "xavier_uniform"}, {"gain", 1.5}, {"bias", "pytorch_default"}},
                                        nlohmann::json{{"scheme", "uniform"}, {"low", -0.1}, {"high", 0.1}},
                                        nlohmann::json{{"scheme", "normal"}, {"std", 0.02}},
                                        nlohmann::json{{"scheme", "constant"}, {"value", 0.5}},
                                        nlohmann::json{{"scheme", "orthogonal"}}}) {
            const auto parsed = init::parse_init_scheme(j, "x");
            QCOMPARE(init::to_json(parsed), j);
            QVERIFY(init::parse_init_scheme(init::to_json(parsed), "x") == parsed);
        }
        QCOMPARE(init::init_scheme_names().size(), size_t(11));
    }

    void errors_name_the_path() {
        QString e = error_of([] { init::parse_init_scheme({{"scheme", "he_uniform"}}, "init.default"); });
        QVERIFY2(e.startsWith("init.default.scheme:") && e.contains("he_uniform") &&
                     e.contains("pytorch_default, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, "
                                "orthogonal, uniform, normal, constant, zeros, ones"),
                 qPrintable(e));
        e = error_of([] { init::parse_init_scheme("glorot", "init.layers.fc1"); });
        QVERIFY2(e.startsWith("init.layers.fc1:") && e.contains("kaiming_uniform"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"nonlinearity", "relu"}}, "init.default"); });
        QVERIFY2(e.startsWith("init.default:") && e.contains("missing \"scheme\""), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "kaiming_uniform"}, {"gain", 2}}, "init.default"); });
        QVERIFY2(e.startsWith("init.default.gain:") && e.contains("a, mode, nonlinearity"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "kaiming_uniform"}, {"mode", "fan_avg"}}, "init.default"); });
        QVERIFY2(e.startsWith("init.default.mode:") && e.contains("fan_in"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "kaiming_normal"}, {"nonlinearity", "gelu"}}, "i"); });
        QVERIFY2(e.startsWith("i.nonlinearity:") && e.contains("leaky_relu"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "xavier_uniform"}, {"gain", "big"}}, "i"); });
        QVERIFY2(e.startsWith("i.gain:") && e.contains("number"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "zeros"}, {"bias", "ones"}}, "i"); });
        QVERIFY2(e.startsWith("i.bias:") && e.contains("zeros, pytorch_default"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "normal"}, {"std", -1}}, "i"); });
        QVERIFY2(e.startsWith("i.std:"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "uniform"}, {"low", 1}, {"high", 0}}, "i"); });
        QVERIFY2(e.startsWith("i.low:"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme({{"scheme", "pytorch_default"}, {"bias", "zeros"}}, "i"); });
        QVERIFY2(e.startsWith("i.bias:"), qPrintable(e));
        e = error_of([] { init::parse_init_scheme(42, "init.default"); });
        QVERIFY2(e.startsWith("init.default:"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestInit)
#include "tst_init.moc"
