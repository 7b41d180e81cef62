// Reads every file PyTorch 1.13 and 2.11 wrote under shared/fixtures/pytorch and checks it against
// the values their MANIFEST.json recorded at save time (or refuses it as the manifest demands).
#include "error.h"
#include "io/tensor_file.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

using namespace nnstudio;
using nlohmann::json;

namespace {

const char* const kVersions[] = {"torch-1.13", "torch-2.11"};

json manifest(const QString& version) {
    std::ifstream in((nnstudio::test::fixtures_dir() + "/" + version + "/MANIFEST.json").toStdString());
    return json::parse(in);
}

std::string path_of(const QString& version, const std::string& file) {
    return (nnstudio::test::fixtures_dir() + "/" + version + "/").toStdString() + file;
}

bool close(double actual, double expected, double rel) {
    return std::fabs(actual - expected) <= rel * std::max(1.0, std::fabs(expected));
}

QString text(const std::string& s) { return QString::fromStdString(s); }

// Checks the tensors of `file` against a manifest list of {key, shape, dtype, sum, first}, in order.
void check_against_manifest(const io::TensorFile& file, const json& expected, const std::string& where) {
    QCOMPARE(file.single_tensor, false);
    QCOMPARE(file.tensors.size(), expected.size());
    size_t i = 0;
    for (const auto& [key, t] : file.tensors) {
        const json& e = expected[i++];
        const std::string label = where + " '" + key + "'";
        QCOMPARE(text(key), text(e["key"].get<std::string>()));
        QCOMPARE(text(shape_to_string(t.shape)), text(shape_to_string(e["shape"].get<Shape>())));
        QCOMPARE(text(dtype_name(t.dtype)), text(e["dtype"].get<std::string>()));
        QCOMPARE(t.bytes.size(), static_cast<size_t>(t.numel()) * dtype_size(t.dtype));
        QVERIFY2(close(t.sum(), e["sum"].get<double>(), 1e-6),
                 qPrintable(text(label) + QString(": sum %1, expected %2").arg(t.sum(), 0, 'g', 17).arg(e["sum"].get<double>(), 0, 'g', 17)));
        if (t.numel() > 0)
            QVERIFY2(t.element(0) == e["first"].get<double>(),
                     qPrintable(text(label) + QString(": first %1, expected %2").arg(t.element(0), 0, 'g', 17).arg(e["first"].get<double>(), 0, 'g', 17)));
    }
}

void check_same(const io::TensorFile& a, const io::TensorFile& b, const std::string& where) {
    // safetensors orders tensors by dtype and name, not as the state_dict did: compare by key.
    QCOMPARE(a.tensors.size(), b.tensors.size());
    for (const auto& [key, t] : a.tensors) {
        const TypedTensor* other = b.tensors.find(key);
        QVERIFY2(other, qPrintable(text(where + ": no tensor '" + key + "' in the twin")));
        QVERIFY2(other->dtype == t.dtype && other->shape == t.shape && other->bytes == t.bytes,
                 qPrintable(text(where + ": tensor '" + key + "' differs from its twin")));
    }
}

}  // namespace

class TestFixtures : public QObject {
    Q_OBJECT

private slots:
    void everyFixtureIsInTheManifest_data() {
        QTest::addColumn<QString>("version");
        for (const char* v : kVersions) QTest::newRow(v) << QString(v);
    }
    void everyFixtureIsInTheManifest() {
        QFETCH(QString, version);
        const json m = manifest(version);
        const QStringList files = QDir(nnstudio::test::fixtures_dir() + "/" + version).entryList(QDir::Files);
        QVERIFY(files.size() > 10);
        for (const QString& f : files) {
            if (f == "MANIFEST.json") continue;
            const std::string name = f.toStdString();
            std::string listed = name;
            if (f.endsWith(".input.pth")) listed = name.substr(0, name.size() - strlen(".input.pth")) + ".pth";
            QVERIFY2(m["files"].contains(listed), qPrintable(f + " is not described by MANIFEST.json"));
        }
    }

    void tensorsMatchManifest_data() {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("file");
        for (const char* v : kVersions) {
            const json m = manifest(v);
            for (const auto& [name, info] : m["files"].items())
                if (info.contains("tensors") || info.contains("same_as"))
                    QTest::newRow((std::string(v) + "/" + name).c_str()) << QString(v) << text(name);
        }
    }
    void tensorsMatchManifest() {
        QFETCH(QString, version);
        QFETCH(QString, file);
        const json info = manifest(version)["files"][file.toStdString()];
        const std::string path = path_of(version, file.toStdString());
        io::TensorFile read;
        try {
            read = io::read_tensor_file(path);
        } catch (const Error& e) {
            QFAIL(e.what());
        }
        if (info.contains("tensors")) {
            check_against_manifest(read, info["tensors"], file.toStdString());
        } else {
            const std::string twin = info["same_as"].get<std::string>();
            check_same(read, io::read_tensor_file(path_of(version, twin)), file.toStdString());
            // ... and the twin's manifest values hold for this file too (by key).
            const json m = manifest(version);
            for (const json& e : m["files"][twin]["tensors"]) {
                const TypedTensor& t = read.tensors.at(e["key"].get<std::string>());
                QVERIFY(close(t.sum(), e["sum"].get<double>(), 1e-6));
                QCOMPARE(text(dtype_name(t.dtype)), text(e["dtype"].get<std::string>()));
            }
        }
    }

    void inputFilesAreSingleTensors_data() {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("file");
        for (const char* v : kVersions) {
            const json m = manifest(v);
            for (const auto& [name, info] : m["files"].items())
                if (info.contains("eval_check"))
                    QTest::newRow((std::string(v) + "/" + name).c_str()) << QString(v) << text(name);
        }
    }
    void inputFilesAreSingleTensors() {
        QFETCH(QString, version);
        QFETCH(QString, file);
        const json check = manifest(version)["files"][file.toStdString()]["eval_check"];
        const std::string stem = file.toStdString().substr(0, file.size() - 4);
        const io::TensorFile read = io::read_tensor_file(path_of(version, stem + ".input.pth"));
        QVERIFY(read.single_tensor);
        QCOMPARE(read.tensors.size(), size_t{1});
        const TypedTensor& t = read.tensors.at("tensor");
        QCOMPARE(t.dtype, DType::Float32);
        QCOMPARE(t.shape, (Shape{4, 784}));
        QVERIFY2(close(t.sum(), check["input_sum"].get<double>(), 1e-6),
                 qPrintable(QString("sum %1 vs %2").arg(t.sum(), 0, 'g', 17).arg(check["input_sum"].get<double>(), 0, 'g', 17)));
        const auto first8 = check["input_first_row_first8"].get<std::vector<double>>();
        for (size_t i = 0; i < first8.size(); ++i) QCOMPARE(t.element(static_cast<int64_t>(i)), first8[i]);
    }

    void mustRejectFilesAreRefusedClearly_data() {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("words");  // '|'-separated, each must appear in the message
        for (const char* v : kVersions) {
            int rejected = 0;
            const json m = manifest(v);
            for (const auto& [name, info] : m["files"].items()) {
                if (!info.value("must_reject", false)) continue;
                ++rejected;
                QString words = text(name);  // the message names the file
                if (name == "malicious_global.pth") words += "|posix.system|state_dict|nothing was executed";
                else if (name == "full_model_pickle.pth") words += "|__main__.ShallowMLP|whole model|torch.save(model.state_dict(), path)";
                else if (name == "truncated.pth") words += "|truncated|torch.save";
                else words += "|torch.save";
                QTest::newRow((std::string(v) + "/" + name).c_str()) << QString(v) << text(name) << words;
            }
            QCOMPARE(rejected, 3);
        }
    }
    void mustRejectFilesAreRefusedClearly() {
        QFETCH(QString, version);
        QFETCH(QString, file);
        QFETCH(QString, words);
        const bool unsafe = file != "truncated.pth";
        try {
            io::read_tensor_file(path_of(version, file.toStdString()));
            QFAIL("the file was accepted");
        } catch (const UnsafeFileError& e) {
            QVERIFY2(unsafe, e.what());
            for (const QString& w : words.split('|'))
                QVERIFY2(QString(e.what()).contains(w), qPrintable("'" + w + "' missing from: " + e.what()));
        } catch (const FileFormatError& e) {
            QVERIFY2(!unsafe, e.what());
            for (const QString& w : words.split('|'))
                QVERIFY2(QString(e.what()).contains(w), qPrintable("'" + w + "' missing from: " + e.what()));
        }
        QVERIFY(!QFile::exists("/tmp/pwned"));
    }

    // The manifest only says "ShallowMLP state_dict (seed 0, untrained)"; these values were printed
    // by Debian's PyTorch 1.13 torch.load of both files (identical content).
    void legacyFormatLoads_data() {
        QTest::addColumn<QString>("version");
        for (const char* v : kVersions) QTest::newRow(v) << QString(v);
    }
    void legacyFormatLoads() {
        QFETCH(QString, version);
        const json expected = json::parse(R"([
            {"key": "fc1.weight", "shape": [128, 784], "dtype": "float32", "sum": 2.2016204408004114, "first": -0.00026738643646240234},
            {"key": "fc1.bias", "shape": [128], "dtype": "float32", "sum": 0.12133621631073765, "first": -0.03205270692706108},
            {"key": "fc2.weight", "shape": [10, 128], "dtype": "float32", "sum": -0.42438552937528584, "first": -0.0824611485004425},
            {"key": "fc2.bias", "shape": [10], "dtype": "float32", "sum": -0.12023847922682762, "first": -0.07772057503461838}])");
        check_against_manifest(io::read_tensor_file(path_of(version, "legacy_format.pth")), expected, "legacy_format.pth");
    }

    // The transposed view 'b' must come out in its logical (row-major) order, not storage order.
    void sharedStorageViewsAreMaterialized() {
        const io::TensorFile f = io::read_tensor_file(path_of("torch-2.11", "shared_storage_views.pth"));
        const TypedTensor& b = f.tensors.at("b");  // storage[12:24].view(4, 3).t()
        std::vector<double> values;
        for (int64_t i = 0; i < b.numel(); ++i) values.push_back(b.element(i));
        QCOMPARE(values, (std::vector<double>{12, 15, 18, 21, 13, 16, 19, 22, 14, 17, 20, 23}));
        const TypedTensor& c = f.tensors.at("c");
        QCOMPARE(c.element(3), 8.0);
    }
};

QTEST_APPLESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"
