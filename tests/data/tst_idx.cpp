// IDX reader tests: exact round trips of small plain/gzipped files, every validation error names
// the file, and (when Debian's dataset-fashion-mnist is installed) the real Fashion-MNIST.
#include "data/data_error.h"
#include "data/data_source.h"
#include "data/fashion_mnist.h"
#include "data/idx_reader.h"
#include "data/normalization.h"
#include "data/split.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <zlib.h>

#include <fstream>
#include <numeric>

using namespace nnstudio;
using namespace nnstudio::data;

namespace {

void put_u32(std::string& s, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::string image_file(uint32_t count, uint32_t rows, uint32_t cols, const std::vector<uint8_t>& pixels,
                       uint32_t magic = 2051) {
    std::string s;
    put_u32(s, magic);
    put_u32(s, count);
    put_u32(s, rows);
    put_u32(s, cols);
    s.append(reinterpret_cast<const char*>(pixels.data()), pixels.size());
    return s;
}

std::string label_file(const std::vector<uint8_t>& labels, uint32_t magic = 2049) {
    std::string s;
    put_u32(s, magic);
    put_u32(s, static_cast<uint32_t>(labels.size()));
    s.append(reinterpret_cast<const char*>(labels.data()), labels.size());
    return s;
}

void write_plain(const QString& path, const std::string& bytes) {
    std::ofstream f(path.toStdString(), std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void write_gz(const QString& path, const std::string& bytes) {
    gzFile f = gzopen(path.toStdString().c_str(), "wb");
    QVERIFY(f);
    QCOMPARE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
    gzclose(f);
}


// Peak resident memory of this process in KiB (Linux), for the footprint check.
long peak_rss_kib() {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ').front().toLong();
    return -1;
}

}  // namespace

class TestIdx : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<uint8_t> m_pixels;  // 5 images of 3x4
    std::vector<uint8_t> m_labels{2, 0, 1, 1, 2};
    QString path(const QString& name) const { return m_dir.filePath(name); }
    std::string spath(const QString& name) const { return path(name).toStdString(); }

private slots:
    void fashion_mnist();  // first, so its peak-memory measurement is not masked by others
    void initTestCase();
    void round_trip_data();
    void round_trip();
    void prefix_lookup();
    void wrong_magic();
    void count_mismatch();
    void truncated();
    void label_out_of_range();
    void bad_headers();
    void fashion_mnist_missing();
    void idx_data_source();
};

void TestIdx::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_pixels.resize(5 * 3 * 4);
    for (size_t i = 0; i < m_pixels.size(); ++i) m_pixels[i] = static_cast<uint8_t>((i * 37 + 11) % 256);
    m_pixels[0] = 0;
    m_pixels[1] = 255;
}

void TestIdx::round_trip_data() {
    QTest::addColumn<bool>("gzipped");
    QTest::newRow("plain") << false;
    QTest::newRow("gzip") << true;
}

void TestIdx::round_trip() {
    QFETCH(bool, gzipped);
    const QString img = gzipped ? "rt-images.gz" : "rt-images", lab = gzipped ? "rt-labels.gz" : "rt-labels";
    if (gzipped) {
        write_gz(path(img), image_file(5, 3, 4, m_pixels));
        write_gz(path(lab), label_file(m_labels));
    } else {
        write_plain(path(img), image_file(5, 3, 4, m_pixels));
        write_plain(path(lab), label_file(m_labels));
    }
    const Dataset d = load_idx(spath(img), spath(lab));
    QCOMPARE(d.size(), int64_t(5));
    QCOMPARE(d.feature_shape(), (Shape{12}));
    QVERIFY(d.stores_bytes());
    QVERIFY(d.bytes() == m_pixels);
    QCOMPARE(d.labels(), (std::vector<int32_t>{2, 0, 1, 1, 2}));
    QCOMPARE(d.num_classes(), int64_t(3));  // inferred: largest label + 1
    QCOMPARE(d.value(0, 0), 0.0f);
    QCOMPARE(d.value(0, 1), 1.0f);
    QCOMPARE(d.value(2, 5), static_cast<float>(m_pixels[2 * 12 + 5]) * (1.0f / 255.0f));
    QCOMPARE(d.class_counts(), (std::vector<int64_t>{1, 2, 2}));
}

void TestIdx::prefix_lookup() {
    write_gz(path("set-images-idx3-ubyte.gz"), image_file(5, 3, 4, m_pixels));
    write_plain(path("set-labels-idx1-ubyte"), label_file(m_labels));
    QVERIFY(idx_prefix_exists(spath("set")));
    IdxOptions o;
    o.num_classes = 4;
    const Dataset d = load_idx_prefix(spath("set"), o);
    QCOMPARE(d.num_classes(), int64_t(4));
    QVERIFY(d.bytes() == m_pixels);
    NN_EXPECT_ERROR(DataError, load_idx_prefix(spath("nothing")), path("nothing") + "-images-idx3-ubyte", "not found");
}

void TestIdx::wrong_magic() {
    write_plain(path("bad-magic"), image_file(5, 3, 4, m_pixels, 2052));
    write_plain(path("labels"), label_file(m_labels));
    NN_EXPECT_ERROR(DataError, load_idx(spath("bad-magic"), spath("labels")), path("bad-magic"), "magic", "2052", "2051");
    // Swapped arguments are recognised as such.
    write_plain(path("images"), image_file(5, 3, 4, m_pixels));
    NN_EXPECT_ERROR(DataError, load_idx(spath("labels"), spath("images")), path("labels"), "swap");
    write_plain(path("labels-bad"), label_file(m_labels, 2048));
    NN_EXPECT_ERROR(DataError, load_idx(spath("images"), spath("labels-bad")), path("labels-bad"), "2049");
}

void TestIdx::count_mismatch() {
    write_plain(path("images"), image_file(5, 3, 4, m_pixels));
    write_plain(path("labels4"), label_file({0, 1, 2, 0}));
    NN_EXPECT_ERROR(DataError, load_idx(spath("images"), spath("labels4")), path("labels4"), "4 labels", "5 images");
}

void TestIdx::truncated() {
    // Header announces 5 images but only 4.5 are there: plain and gzip.
    std::string cut = image_file(5, 3, 4, m_pixels);
    cut.resize(cut.size() - 6);
    write_plain(path("cut"), cut);
    write_gz(path("cut.gz"), cut);
    write_plain(path("labels"), label_file(m_labels));
    for (const QString& name : {QString("cut"), QString("cut.gz")})
        NN_EXPECT_ERROR(DataError, load_idx(spath(name), spath("labels")), path(name), "truncated", "5 images of 3x4");
    // A gzip stream cut in the middle: zlib's "unexpected end of file".
    write_gz(path("whole.gz"), image_file(5, 3, 4, m_pixels));
    QFile whole(path("whole.gz"));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QByteArray gz = whole.readAll();
    write_plain(path("cutstream.gz"), gz.left(gz.size() - 12).toStdString());
    NN_EXPECT_ERROR(DataError, load_idx(spath("cutstream.gz"), spath("labels")), path("cutstream.gz"));
    // Header alone cut short.
    write_plain(path("stub"), std::string("\0\0\x08\x03\0\0", 6));
    NN_EXPECT_ERROR(DataError, load_idx(spath("stub"), spath("labels")), path("stub"), "too short");
    // More data than announced.
    write_plain(path("long"), image_file(5, 3, 4, m_pixels) + "xx");
    NN_EXPECT_ERROR(DataError, load_idx(spath("long"), spath("labels")), path("long"), "longer");
}

void TestIdx::label_out_of_range() {
    write_plain(path("images"), image_file(5, 3, 4, m_pixels));
    write_plain(path("labels-big"), label_file({0, 1, 2, 10, 1}));
    IdxOptions o;
    o.num_classes = 10;
    NN_EXPECT_ERROR(DataError, load_idx(spath("images"), spath("labels-big"), o), path("labels-big"), "label 10", "sample 3",
                 "10 classes");
    o.num_classes = 11;
    QCOMPARE(load_idx(spath("images"), spath("labels-big"), o).label(3), 10);
}

void TestIdx::bad_headers() {
    write_plain(path("labels"), label_file(m_labels));
    write_plain(path("zero-rows"), image_file(5, 0, 4, {}));
    NN_EXPECT_ERROR(DataError, load_idx(spath("zero-rows"), spath("labels")), path("zero-rows"), "0x4");
    write_plain(path("huge"), image_file(0xFFFFFFFF, 0xFFFF, 0xFFFF, {}));
    NN_EXPECT_ERROR(DataError, load_idx(spath("huge"), spath("labels")), path("huge"), "corrupt");
    NN_EXPECT_ERROR(DataError, load_idx(spath("missing"), spath("labels")), path("missing"), "cannot open");
}

void TestIdx::fashion_mnist_missing() {
    NN_EXPECT_ERROR(DataError, load_fashion_mnist(Split::Train, spath("no-such-dir")), "apt-get install dataset-fashion-mnist",
                 path("no-such-dir"));
}

void TestIdx::fashion_mnist() {
    if (!fashion_mnist_available()) QSKIP("dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
    const long rss_before = peak_rss_kib();
    QElapsedTimer timer;
    timer.start();
    const Dataset train = load_fashion_mnist(Split::Train);
    const Dataset test = load_fashion_mnist(Split::Test);
    const qint64 ms = timer.elapsed();
    const long rss_after = peak_rss_kib();

    QCOMPARE(train.size(), int64_t(60000));
    QCOMPARE(test.size(), int64_t(10000));
    QCOMPARE(train.feature_shape(), (Shape{784}));
    QCOMPARE(test.feature_shape(), (Shape{784}));
    QCOMPARE(train.num_classes(), int64_t(10));
    QCOMPARE(train.class_counts(), std::vector<int64_t>(10, 6000));
    QCOMPARE(test.class_counts(), std::vector<int64_t>(10, 1000));
    QCOMPARE(train.label(0), 9);  // the first training image is an ankle boot
    QCOMPARE(train.class_name(9), std::string("Ankle boot"));
    QCOMPARE(train.class_name(0), std::string("T-shirt/top"));

    const size_t footprint = train.memory_bytes() + test.memory_bytes();
    qInfo("Fashion-MNIST train+test: loaded in %lld ms, footprint %.1f MB, peak RSS grew by %.1f MB", ms,
          footprint / 1e6, (rss_after - rss_before) / 1024.0);
    QVERIFY2(footprint < 60'000'000, qPrintable(QString("footprint %1 bytes").arg(footprint)));
    // Peak, not current: a transient float copy of the images (188 MB) would show here.
    if (rss_before > 0) QVERIFY2(rss_after - rss_before < 80 * 1024, qPrintable(QString("peak grew %1 KiB").arg(rss_after - rss_before)));

    // The widely quoted Fashion-MNIST training statistics: mean 0.2860, std 0.3530.
    std::vector<int64_t> all(static_cast<size_t>(train.size()));
    std::iota(all.begin(), all.end(), int64_t(0));
    const Normalization n = fit_normalization(train, all, NormalizationKind::Global);
    QVERIFY2(std::fabs(n.mean[0] - 0.2860) < 5e-4 && std::fabs(n.stddev[0] - 0.3530) < 5e-4,
             qPrintable(QString("mean %1 std %2").arg(n.mean[0]).arg(n.stddev[0])));
}

void TestIdx::idx_data_source() {
    // A directory with train-* and t10k-* files: the t10k files are the test set.
    QVERIFY(QDir(m_dir.path()).mkpath("mnistlike"));
    write_gz(path("mnistlike/train-images-idx3-ubyte.gz"), image_file(5, 3, 4, m_pixels));
    write_gz(path("mnistlike/train-labels-idx1-ubyte.gz"), label_file(m_labels));
    write_plain(path("mnistlike/t10k-images-idx3-ubyte"), image_file(2, 3, 4, std::vector<uint8_t>(m_pixels.begin(), m_pixels.begin() + 24)));
    write_plain(path("mnistlike/t10k-labels-idx1-ubyte"), label_file({1, 0}));
    for (const QString& spec : {path("mnistlike"), path("mnistlike/train")}) {
        const DataSource source = parse_data_source(spec.toStdString());
        QCOMPARE(source.kind, DataSourceKind::Idx);
        const LoadedData d = load_data(source);
        QCOMPARE(d.train.size(), int64_t(5));
        QCOMPARE(d.test.size(), int64_t(2));
        QCOMPARE(d.input_shape, (Shape{12}));
        QCOMPARE(d.num_classes, int64_t(3));
        QCOMPARE(d.test.labels(), (std::vector<int32_t>{1, 0}));
    }
    // Test labels outside the training set's classes are an error naming the test file.
    write_plain(path("mnistlike/t10k-labels-idx1-ubyte"), label_file({1, 3}));
    NN_EXPECT_ERROR(DataError, load_data(parse_data_source(spath("mnistlike"))), path("mnistlike/t10k-labels-idx1-ubyte"), "label 3");
    // Without test files: a held-out 20% split of the training files.
    QVERIFY(QDir(m_dir.path()).mkpath("trainonly"));
    write_gz(path("trainonly/train-images-idx3-ubyte.gz"), image_file(5, 3, 4, m_pixels));
    write_gz(path("trainonly/train-labels-idx1-ubyte.gz"), label_file(m_labels));
    const LoadedData h = load_data(parse_data_source(spath("trainonly/train")));
    QCOMPARE(h.train.size(), int64_t(4));
    QCOMPARE(h.test.size(), int64_t(1));
}

QTEST_APPLESS_MAIN(TestIdx)
#include "tst_idx.moc"
