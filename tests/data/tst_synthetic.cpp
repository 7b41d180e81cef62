// Synthetic data tests: sizes, class balance, seeding, noise, and the documented geometry of
// every set (circle radii, moon bounds, blob centres, xor quadrants, spiral radii).
#include "data/data_error.h"
#include "data/synthetic.h"

#include <QtTest>

#include <cmath>
#include <numbers>

using namespace nnstudio;
using namespace nnstudio::data;

namespace {

double radius(const Dataset& d, int64_t i) { return std::hypot(d.value(i, 0), d.value(i, 1)); }

QString error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const DataError& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

}  // namespace

class TestSynthetic : public QObject {
    Q_OBJECT

private slots:
    void sizes_and_balance_data();
    void sizes_and_balance();
    void deterministic_per_seed();
    void noise_changes_points();
    void circles_radii();
    void moons_shape();
    void blobs_centres();
    void xor_quadrants();
    void spirals_arms();
    void errors();
};

void TestSynthetic::sizes_and_balance_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("classes");
    QTest::addColumn<int>("samples");
    QTest::newRow("spirals") << "spirals" << 3 << 1000;
    QTest::newRow("spirals5") << "spirals" << 5 << 1003;
    QTest::newRow("moons") << "moons" << 2 << 999;
    QTest::newRow("circles") << "circles" << 2 << 500;
    QTest::newRow("xor") << "xor" << 2 << 402;
    QTest::newRow("blobs") << "blobs" << 4 << 801;
}

void TestSynthetic::sizes_and_balance() {
    QFETCH(QString, name);
    QFETCH(int, classes);
    QFETCH(int, samples);
    SyntheticOptions o;
    o.samples = samples;
    if (name == "spirals" || name == "blobs") o.classes = classes;
    const Dataset d = make_synthetic(name.toStdString(), o);
    QCOMPARE(d.size(), int64_t(samples));
    QCOMPARE(d.feature_shape(), (Shape{2}));
    QCOMPARE(d.num_classes(), int64_t(classes));
    QCOMPARE(static_cast<int>(d.class_names().size()), classes);
    // Balanced: class sizes differ by at most one sample.
    const std::vector<int64_t> counts = d.class_counts();
    const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
    QVERIFY2(*hi - *lo <= 1, qPrintable(QString("class sizes %1..%2").arg(*lo).arg(*hi)));
    for (float v : d.floats()) QVERIFY(std::isfinite(v));
    // Shuffled: the first 20 labels are not all one class.
    bool mixed = false;
    for (int64_t i = 1; i < 20; ++i) mixed |= d.label(i) != d.label(0);
    QVERIFY(mixed);
}

void TestSynthetic::deterministic_per_seed() {
    for (const std::string& name : synthetic_names()) {
        SyntheticOptions o;
        o.samples = 300;
        o.seed = 7;
        const Dataset a = make_synthetic(name, o), b = make_synthetic(name, o);
        QVERIFY2(a.floats() == b.floats() && a.labels() == b.labels(), name.c_str());
        o.seed = 8;
        const Dataset c = make_synthetic(name, o);
        QVERIFY2(a.floats() != c.floats(), name.c_str());
    }
}

void TestSynthetic::noise_changes_points() {
    for (const std::string& name : synthetic_names()) {
        SyntheticOptions o;
        o.samples = 200;
        o.noise = 0.0;
        const Dataset clean = make_synthetic(name, o);
        o.noise = 0.1;
        const Dataset noisy = make_synthetic(name, o);
        // Same seed, same order and labels; only the positions move, by about the noise.
        QCOMPARE(noisy.labels(), clean.labels());
        double moved = 0;
        for (size_t i = 0; i < clean.floats().size(); ++i) moved += std::fabs(noisy.floats()[i] - clean.floats()[i]);
        moved /= static_cast<double>(clean.floats().size());
        QVERIFY2(moved > 0.01, qPrintable(QString::fromStdString(name) + QString(": mean shift %1").arg(moved)));
    }
}

void TestSynthetic::circles_radii() {
    SyntheticOptions o;
    o.samples = 400;
    o.noise = 0.0;
    o.factor = 0.3;
    const Dataset d = make_circles(o);
    for (int64_t i = 0; i < d.size(); ++i)
        QVERIFY2(std::fabs(radius(d, i) - (d.label(i) == 0 ? 1.0 : 0.3)) < 1e-6,
                 qPrintable(QString("sample %1 radius %2 label %3").arg(i).arg(radius(d, i)).arg(d.label(i))));
    // With noise the mean radius per class stays near 1 and factor (default 0.8).
    o.noise = 0.05;
    o.factor = 0.8;
    o.samples = 4000;
    const Dataset n = make_circles(o);
    double r[2] = {0, 0};
    for (int64_t i = 0; i < n.size(); ++i) r[n.label(i)] += radius(n, i) / 2000.0;
    QVERIFY2(std::fabs(r[0] - 1.0) < 0.01 && std::fabs(r[1] - 0.8) < 0.01, qPrintable(QString("%1 %2").arg(r[0]).arg(r[1])));
}

void TestSynthetic::moons_shape() {
    SyntheticOptions o;
    o.samples = 1001;
    o.noise = 0.0;
    const Dataset d = make_moons(o);
    float lo[2] = {1e9f, 1e9f}, hi[2] = {-1e9f, -1e9f};
    for (int64_t i = 0; i < d.size(); ++i) {
        const double x = d.value(i, 0), y = d.value(i, 1);
        for (int k = 0; k < 2; ++k) {
            lo[k] = std::min(lo[k], d.value(i, k));
            hi[k] = std::max(hi[k], d.value(i, k));
        }
        // Upper moon: unit circle, y >= 0; lower moon: circle of radius 1 around (1, 0.5), y <= 0.5.
        if (d.label(i) == 0) QVERIFY(std::fabs(std::hypot(x, y) - 1) < 1e-6 && y >= -1e-6);
        else QVERIFY(std::fabs(std::hypot(x - 1, y - 0.5) - 1) < 1e-6 && y <= 0.5 + 1e-6);
    }
    QVERIFY(std::fabs(lo[0] + 1) < 1e-6 && std::fabs(hi[0] - 2) < 1e-6);
    // 500 outer angles miss pi/2 by half a step: the top is 1 - O(1e-5).
    QVERIFY(std::fabs(lo[1] + 0.5) < 1e-6 && std::fabs(hi[1] - 1) < 1e-4);
    QCOMPARE(d.class_counts(), (std::vector<int64_t>{500, 501}));  // n//2 outer, rest inner, as sklearn
}

void TestSynthetic::blobs_centres() {
    SyntheticOptions o;
    o.samples = 6000;
    o.classes = 3;
    o.noise = 0.5;
    const Dataset d = make_blobs(o);
    double sx[3] = {}, sy[3] = {}, sxx[3] = {};
    for (int64_t i = 0; i < d.size(); ++i) {
        sx[d.label(i)] += d.value(i, 0);
        sy[d.label(i)] += d.value(i, 1);
        sxx[d.label(i)] += d.value(i, 0) * d.value(i, 0);
    }
    for (int k = 0; k < 3; ++k) {
        const double a = 2 * std::numbers::pi * k / 3;
        const double mx = sx[k] / 2000, my = sy[k] / 2000, sd = std::sqrt(sxx[k] / 2000 - mx * mx);
        QVERIFY2(std::fabs(mx - 5 * std::cos(a)) < 0.05 && std::fabs(my - 5 * std::sin(a)) < 0.05,
                 qPrintable(QString("blob %1 centre (%2, %3)").arg(k).arg(mx).arg(my)));
        QVERIFY2(std::fabs(sd - 0.5) < 0.03, qPrintable(QString("blob %1 std %2").arg(k).arg(sd)));
    }
}

void TestSynthetic::xor_quadrants() {
    SyntheticOptions o;
    o.samples = 2000;
    o.noise = 0.2;  // 5 std from the axes: every point stays in its quadrant
    const Dataset d = make_xor(o);
    for (int64_t i = 0; i < d.size(); ++i) {
        const bool same_sign = (d.value(i, 0) > 0) == (d.value(i, 1) > 0);
        QCOMPARE(d.label(i), same_sign ? 0 : 1);
    }
    double mean_abs = 0;
    for (float v : d.floats()) mean_abs += std::fabs(v) / 4000.0;
    QVERIFY2(std::fabs(mean_abs - 1) < 0.02, qPrintable(QString::number(mean_abs)));  // clusters at (+-1, +-1)
}

void TestSynthetic::spirals_arms() {
    SyntheticOptions o;
    o.samples = 300;
    o.classes = 3;
    o.noise = 0.0;
    const Dataset d = make_spirals(o);
    // Radii run 0..1 evenly per arm; noise-free, each point's angle follows its radius:
    // t = 4 r + 2 pi k / K, with x = r sin t, y = r cos t.
    double max_r = 0;
    for (int64_t i = 0; i < d.size(); ++i) {
        const double r = radius(d, i);
        max_r = std::max(max_r, r);
        QVERIFY(r <= 1 + 1e-6);
        if (r < 1e-6) continue;
        const double t = 4 * r + 2 * std::numbers::pi * d.label(i) / 3;
        QVERIFY2(std::fabs(d.value(i, 0) - r * std::sin(t)) < 1e-5 && std::fabs(d.value(i, 1) - r * std::cos(t)) < 1e-5,
                 qPrintable(QString("sample %1 off its arm").arg(i)));
    }
    QVERIFY(std::fabs(max_r - 1) < 1e-6);
}

void TestSynthetic::errors() {
    const QString unknown = error_of([] { make_synthetic("spiral"); });
    for (const char* n : {"spiral'", "spirals", "moons", "circles", "xor", "blobs"})
        QVERIFY2(unknown.contains(n), qPrintable(unknown));
    SyntheticOptions o;
    o.classes = 3;
    QVERIFY(error_of([&] { make_moons(o); }).contains("2 classes"));
    o = {};
    o.factor = 1.0;
    QVERIFY(error_of([&] { make_circles(o); }).contains("factor"));
    o = {};
    o.noise = -1;
    QVERIFY(error_of([&] { make_blobs(o); }).contains("noise"));
    o = {};
    o.samples = 2;
    o.classes = 3;
    QVERIFY(error_of([&] { make_spirals(o); }).contains("samples"));
}

QTEST_APPLESS_MAIN(TestSynthetic)
#include "tst_synthetic.moc"
