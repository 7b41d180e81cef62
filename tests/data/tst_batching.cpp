// Splitting, batch sampling and gather_batch tests: coverage and determinism of index lists,
// hand-computed batch values (byte scale, standardisation fitted on the train split only), and
// buffer reuse; plus the data-source factory.
#include "data/batch_sampler.h"
#include "data/data_error.h"
#include "data/data_source.h"
#include "data/gather_batch.h"
#include "data/normalization.h"
#include "data/split.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <numeric>
#include <set>

using namespace nnstudio;
using namespace nnstudio::data;

namespace {

QString error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const DataError& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

// 4 samples of 3 byte features: a tiny "image" set with hand-checkable numbers.
Dataset byte_set() {
    return Dataset::from_bytes({3}, {0, 255, 51,    // sample 0
                                     102, 0, 255,   // sample 1
                                     255, 255, 0,   // sample 2
                                     51, 51, 51},   // sample 3
                               {1, 0, 2, 1}, 3);
}

}  // namespace

class TestBatching : public QObject {
    Q_OBJECT

private slots:
    void split_sizes_and_coverage();
    void split_deterministic();
    void split_errors();
    void sampler_covers_each_index_once();
    void sampler_epoch_orders();
    void sampler_drop_last();
    void gather_bytes_unnormalised();
    void gather_standardised_on_train_only();
    void gather_global();
    void gather_reuses_buffers();
    void gather_errors();
    void normalization_json();
    void data_sources();
};

void TestBatching::split_sizes_and_coverage() {
    const SplitIndices s = split(1000, 0.2, 3);
    QCOMPARE(s.val.size(), size_t(200));
    QCOMPARE(s.train.size(), size_t(800));
    std::set<int64_t> all(s.train.begin(), s.train.end());
    for (int64_t i : s.val) QVERIFY2(all.insert(i).second, "train and val overlap");
    QCOMPARE(all.size(), size_t(1000));
    QCOMPARE(*all.begin(), int64_t(0));
    QCOMPARE(*all.rbegin(), int64_t(999));
    QVERIFY(std::is_sorted(s.train.begin(), s.train.end()));
    // The validation part is spread over the range, not a block at one end.
    QVERIFY(s.val.front() < 100 && s.val.back() > 900);
    QCOMPARE(split(10, 0.25, 0).val.size(), size_t(3));  // ceil, as sklearn
    QCOMPARE(split(10, 0.0, 0).train.size(), size_t(10));
}

void TestBatching::split_deterministic() {
    const SplitIndices a = split(500, 0.3, 42), b = split(500, 0.3, 42), c = split(500, 0.3, 43);
    QCOMPARE(a.val, b.val);
    QCOMPARE(a.train, b.train);
    QVERIFY(a.val != c.val);
}

void TestBatching::split_errors() {
    QVERIFY(error_of([] { split(10, 1.0, 0); }).contains("[0, 1)"));
    QVERIFY(error_of([] { split(10, -0.1, 0); }).contains("[0, 1)"));
    QVERIFY(error_of([] { split(1, 0.5, 0); }).contains("no training samples"));
}

void TestBatching::sampler_covers_each_index_once() {
    std::vector<int64_t> pool;
    for (int64_t i = 0; i < 103; ++i) pool.push_back(3 * i + 1);  // any subset, e.g. a train split
    BatchSampler sampler(pool, 10, 5);
    QCOMPARE(sampler.batches_per_epoch(), int64_t(11));
    for (int64_t epoch = 0; epoch < 3; ++epoch) {
        sampler.start_epoch(epoch);
        std::multiset<int64_t> seen;
        for (int64_t b = 0; b < sampler.batches_per_epoch(); ++b) {
            const auto batch = sampler.batch(b);
            QCOMPARE(static_cast<int64_t>(batch.size()), b == 10 ? int64_t(3) : int64_t(10));
            seen.insert(batch.begin(), batch.end());
        }
        QCOMPARE(seen, std::multiset<int64_t>(pool.begin(), pool.end()));
        const auto order = sampler.indices_for_epoch(epoch);
        QVERIFY(std::equal(order.begin(), order.begin() + 10, sampler.batch(0).begin()));
    }
    QVERIFY(!error_of([&] { sampler.batch(11); }).isEmpty());
}

void TestBatching::sampler_epoch_orders() {
    std::vector<int64_t> pool(200);
    std::iota(pool.begin(), pool.end(), int64_t(0));
    const BatchSampler a(pool, 32, 9), b(pool, 32, 9), c(pool, 32, 10);
    QCOMPARE(a.indices_for_epoch(0), b.indices_for_epoch(0));  // same seed, same order
    QCOMPARE(a.indices_for_epoch(7), b.indices_for_epoch(7));
    QVERIFY(a.indices_for_epoch(0) != a.indices_for_epoch(1));  // epochs differ
    QVERIFY(a.indices_for_epoch(0) != c.indices_for_epoch(0));  // seeds differ
    QVERIFY(a.indices_for_epoch(0) != pool);                    // shuffled at all
    // Resuming: epoch 5 depends only on (seed, 5), not on the epochs drawn before.
    BatchSampler fresh(pool, 32, 9), used(pool, 32, 9);
    for (int64_t e = 0; e < 5; ++e) used.start_epoch(e);
    used.start_epoch(5);
    fresh.start_epoch(5);
    for (int64_t k = 0; k < fresh.batches_per_epoch(); ++k)
        QVERIFY(std::ranges::equal(fresh.batch(k), used.batch(k)));
    // shuffle = false: evaluation order is the given order.
    QCOMPARE(BatchSampler(pool, 32, 9, false, false).indices_for_epoch(3), pool);
}

void TestBatching::sampler_drop_last() {
    std::vector<int64_t> pool(103);
    std::iota(pool.begin(), pool.end(), int64_t(0));
    BatchSampler s(pool, 10, 1, true);
    QCOMPARE(s.batches_per_epoch(), int64_t(10));
    QCOMPARE(s.indices_for_epoch(0).size(), size_t(100));
    s.start_epoch(2);
    for (int64_t b = 0; b < 10; ++b) QCOMPARE(s.batch(b).size(), size_t(10));
    const std::vector<int64_t> e0 = s.indices_for_epoch(0), e1 = s.indices_for_epoch(1);
    QVERIFY(std::set<int64_t>(e0.begin(), e0.end()) != std::set<int64_t>(e1.begin(), e1.end()));  // different drops
    QVERIFY(error_of([&] { BatchSampler(pool, 200, 1, true); }).contains("drop_last"));
    QVERIFY(error_of([&] { BatchSampler(pool, 0, 1); }).contains("batch size"));
}

void TestBatching::gather_bytes_unnormalised() {
    const Dataset d = byte_set();
    Tensor x, y;
    const std::vector<int64_t> idx{2, 0};
    gather_batch(d, idx, Normalization{}, x, y);
    QCOMPARE(x.shape(), (Shape{2, 3}));
    QCOMPARE(y.shape(), (Shape{2}));
    const std::vector<float> want{1.0f, 1.0f, 0.0f, 0.0f, 1.0f, 0.2f};
    for (int k = 0; k < 6; ++k) QVERIFY2(std::fabs(x[k] - want[static_cast<size_t>(k)]) < 1e-7, qPrintable(QString::number(k)));
    QCOMPARE(y[0], 2.0f);
    QCOMPARE(y[1], 1.0f);
}

void TestBatching::gather_standardised_on_train_only() {
    const Dataset d = byte_set();
    // Train split = samples {0, 1}; sample 2 (all-255 ish) must not influence the statistics.
    const std::vector<int64_t> train{0, 1};
    const Normalization n = fit_normalization(d, train, NormalizationKind::PerFeature);
    // Feature 0: values 0, 0.4 -> mean 0.2, population std 0.2. Feature 1: 1, 0 -> 0.5, 0.5.
    // Feature 2: 0.2, 1 -> 0.6, 0.4.
    const float mean[3] = {0.2f, 0.5f, 0.6f}, sd[3] = {0.2f, 0.5f, 0.4f};
    for (int j = 0; j < 3; ++j) {
        QVERIFY(std::fabs(n.mean[static_cast<size_t>(j)] - mean[j]) < 1e-6);
        QVERIFY(std::fabs(n.stddev[static_cast<size_t>(j)] - sd[j]) < 1e-6);
    }
    Tensor x, y;
    const std::vector<int64_t> idx{2, 3};
    gather_batch(d, idx, n, x, y);
    // Sample 2: (1, 1, 0) -> ((1-.2)/.2, (1-.5)/.5, (0-.6)/.4) = (4, 1, -1.5).
    // Sample 3: (.2, .2, .2) -> (0, -0.6, -1).
    const float want[6] = {4.0f, 1.0f, -1.5f, 0.0f, -0.6f, -1.0f};
    for (int k = 0; k < 6; ++k)
        QVERIFY2(std::fabs(x[k] - want[k]) < 1e-5, qPrintable(QString("x[%1] = %2, want %3").arg(k).arg(x[k]).arg(want[k])));
    QCOMPARE(y[0], 2.0f);
    QCOMPARE(y[1], 1.0f);

    // A constant feature gets the std floor, not a division by zero.
    const std::vector<int64_t> only3{3};
    const Normalization c = fit_normalization(d, only3, NormalizationKind::PerFeature);
    QCOMPARE(c.stddev[0], static_cast<float>(Normalization::kStdFloor));
    gather_batch(d, only3, c, x, y);
    QVERIFY(x.all_finite() && x[0] == 0.0f);
}

void TestBatching::gather_global() {
    // Float data: global mean/std over all features of the train samples.
    const Dataset d = Dataset::from_floats({2}, {1, 3, 5, 7, 100, 100}, {0, 1, 0}, 2);
    const std::vector<int64_t> train{0, 1};
    const Normalization n = fit_normalization(d, train, NormalizationKind::Global);
    // Values 1, 3, 5, 7: mean 4, population std sqrt(5).
    QVERIFY(std::fabs(n.mean[0] - 4.0f) < 1e-6 && std::fabs(n.stddev[0] - std::sqrt(5.0f)) < 1e-6);
    Tensor x, y;
    const std::vector<int64_t> idx{1};
    gather_batch(d, idx, n, x, y);
    QVERIFY(std::fabs(x[0] - 1.0f / std::sqrt(5.0f)) < 1e-6 && std::fabs(x[1] - 3.0f / std::sqrt(5.0f)) < 1e-6);
    QCOMPARE(y[0], 1.0f);

    // Bytes: the 1/255 scale applies before the global standardisation. Train {0, 1} holds
    // 0, 1, .2, .4, 0, 1: mean 13/30, E[v^2] 11/30, so var 161/900 and std sqrt(161)/30.
    const Dataset b = byte_set();
    const Normalization g = fit_normalization(b, train, NormalizationKind::Global);
    QVERIFY(std::fabs(g.mean[0] - 13.0 / 30) < 1e-6 && std::fabs(g.stddev[0] - std::sqrt(161.0) / 30) < 1e-6);
    const std::vector<int64_t> two{2, 3};
    gather_batch(b, two, g, x, y);
    // (1, 1, 0) -> (17, 17, -13) / sqrt(161); (.2, .2, .2) -> -7 / sqrt(161) each.
    const double r = std::sqrt(161.0);
    const double want[6] = {17 / r, 17 / r, -13 / r, -7 / r, -7 / r, -7 / r};
    for (int k = 0; k < 6; ++k)
        QVERIFY2(std::fabs(x[k] - want[k]) < 1e-5, qPrintable(QString("x[%1] = %2, want %3").arg(k).arg(x[k]).arg(want[k])));
}

void TestBatching::gather_reuses_buffers() {
    const Dataset d = byte_set();
    const std::vector<int64_t> train{0, 1, 2, 3};
    const Normalization n = fit_normalization(d, train, NormalizationKind::Global);
    Tensor x, y;
    const std::vector<int64_t> a{0, 1}, b{3, 2}, small{1};
    gather_batch(d, a, n, x, y);
    const float* xp = x.data();
    const float* yp = y.data();
    const int64_t* shape_before = x.shape().data();  // no new Shape vector either
    gather_batch(d, b, n, x, y);
    QCOMPARE(x.data(), xp);
    QCOMPARE(y.data(), yp);
    QCOMPARE(x.shape().data(), shape_before);
    // A smaller last batch shrinks in place; returning to the full size reuses the capacity.
    gather_batch(d, small, n, x, y);
    QCOMPARE(x.shape(), (Shape{1, 3}));
    QCOMPARE(x.data(), xp);
    gather_batch(d, a, n, x, y);
    QCOMPARE(x.data(), xp);
    QCOMPARE(x.shape(), (Shape{2, 3}));
}

void TestBatching::gather_errors() {
    const Dataset d = byte_set();
    Tensor x, y;
    const std::vector<int64_t> bad{0, 4};
    QVERIFY(error_of([&] { gather_batch(d, bad, Normalization{}, x, y); }).contains("index 4"));
    const Dataset other = Dataset::from_floats({2}, {1, 2}, {0}, 1);
    const std::vector<int64_t> zero{0};
    const Normalization wrong = fit_normalization(other, zero, NormalizationKind::PerFeature);
    QVERIFY(error_of([&] { gather_batch(d, zero, wrong, x, y); }).contains("fit_normalization"));
}

void TestBatching::normalization_json() {
    const Dataset d = byte_set();
    const std::vector<int64_t> train{0, 1};
    const Normalization n = fit_normalization(d, train, NormalizationKind::PerFeature);
    const Normalization back = Normalization::from_json(n.to_json());
    QCOMPARE(back.kind, NormalizationKind::PerFeature);
    QCOMPARE(back.mean, n.mean);
    QCOMPARE(back.stddev, n.stddev);
    QCOMPARE(parse_normalization_kind("scale"), NormalizationKind::None);
    QVERIFY(error_of([] { parse_normalization_kind("zscore"); }).contains("per_feature"));
}

void TestBatching::data_sources() {
    QCOMPARE(parse_data_source("moons").kind, DataSourceKind::Synthetic);
    QCOMPARE(parse_data_source("fashion-mnist").kind, DataSourceKind::FashionMnist);
    QCOMPARE(parse_data_source("data/iris.CSV").kind, DataSourceKind::Csv);
    QCOMPARE(parse_data_source("/data/mnist/train").kind, DataSourceKind::Idx);
    const QString unknown = error_of([] { parse_data_source("spiral"); });
    QVERIFY2(unknown.contains("spirals") && unknown.contains("fashion-mnist") && unknown.contains(".csv"), qPrintable(unknown));

    // Synthetic: a seeded 20% held-out test split.
    DataOptions o;
    o.synthetic.samples = 500;
    o.split_seed = 4;
    const LoadedData a = load_data(parse_data_source("spirals"), o), b = load_data(parse_data_source("spirals"), o);
    QCOMPARE(a.train.size(), int64_t(400));
    QCOMPARE(a.test.size(), int64_t(100));
    QCOMPARE(a.input_shape, (Shape{2}));
    QCOMPARE(a.num_classes, int64_t(3));
    QCOMPARE(a.test.floats(), b.test.floats());
    QVERIFY(!a.description.empty());

    // CSV through the factory, label column by name.
    QTemporaryDir dir;
    const std::string csv = dir.filePath("t.csv").toStdString();
    {
        std::ofstream f(csv);
        f << "kind,a,b\n";
        for (int i = 0; i < 50; ++i) f << (i % 2 ? "cat" : "dog") << "," << i << "," << i * 2 << "\n";
    }
    o.csv.label_column = "kind";
    const LoadedData c = load_data(parse_data_source(csv), o);
    QCOMPARE(c.train.size() + c.test.size(), int64_t(50));
    QCOMPARE(c.test.size(), int64_t(10));
    QCOMPARE(c.class_names, (std::vector<std::string>{"dog", "cat"}));
    QCOMPARE(c.input_shape, (Shape{2}));
}

QTEST_APPLESS_MAIN(TestBatching)
#include "tst_batching.moc"
