// CSV files as spreadsheets write them (issue 11, case 5): the delimiter and header row are
// detected as Python's csv.Sniffer detects them, and the rows read are the rows csv.reader
// gives. The files and the expected readings come from Python (tests/data/py/csv_dialects.py).
#include "data/csv_dialect.h"
#include "data/csv_loader.h"
#include "data/data_error.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnstudio;
using namespace nnstudio::data;

class TestCsvDialects : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    nlohmann::json m_python;

    std::string path(const std::string& name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString out, error;
        QVERIFY2(test::run_python(test::source_dir() + "/tests/data/py/csv_dialects.py", {m_dir.path()}, &out, &error),
                 qPrintable(error));
        m_python = nlohmann::json::parse(out.toStdString());
    }

    void readsAsPythonsCsvModule_data() {
        QTest::addColumn<QString>("file");
        for (const char* f : {"no_header.csv", "semicolon.csv", "tab.csv", "pipe.csv", "quoted.csv", "bom_crlf.csv",
                              "no_header_strings.csv"})
            QTest::newRow(f) << f;
    }
    void readsAsPythonsCsvModule() {
        QFETCH(QString, file);
        const nlohmann::json& py = m_python[file.toStdString()];
        CsvDialect dialect;
        const Dataset d = load_csv(path(file.toStdString()), {}, &dialect);
        QCOMPARE(std::string(1, dialect.delimiter), py["delimiter"].get<std::string>());
        QCOMPARE(dialect.has_header, py["has_header"].get<bool>());
        QVERIFY(dialect.delimiter_detected && dialect.header_detected);
        const auto& rows = py["rows"];
        const size_t first = dialect.has_header ? 1 : 0;
        QCOMPARE(d.size(), static_cast<int64_t>(rows.size() - first));
        // Features and labels row by row, as Python reads the cells (label: the last column).
        std::vector<std::string> labels_in_order;
        for (size_t r = first; r < rows.size(); ++r) {
            const auto& row = rows[r];
            const size_t features = row.size() - 1;
            for (size_t k = 0; k < features; ++k)
                QCOMPARE(d.value(static_cast<int64_t>(r - first), static_cast<int64_t>(k)),
                         static_cast<float>(std::stod(row[k].get<std::string>())));
            const std::string label = row[features];
            if (std::find(labels_in_order.begin(), labels_in_order.end(), label) == labels_in_order.end())
                labels_in_order.push_back(label);
            const int32_t got = d.label(static_cast<int64_t>(r - first));
            if (d.class_names().empty()) QCOMPARE(got, std::stoi(label));
            else QCOMPARE(d.class_names()[static_cast<size_t>(got)], label);
        }
        if (!d.class_names().empty()) QCOMPARE(d.class_names(), labels_in_order);
    }

    void givenOptionsOverrideDetection() {
        // The case: 30 headerless rows; saying "header" by hand takes the first as names.
        CsvOptions o;
        o.has_header = true;
        CsvDialect dialect;
        QCOMPARE(load_csv(path("no_header.csv"), o, &dialect).size(), int64_t{29});
        QVERIFY(!dialect.header_detected);
        o.has_header = false;
        o.delimiter = ',';
        // semicolon.csv read with ',' is one column: the message names the option to set.
        NN_EXPECT_ERROR(DataError, load_csv(path("semicolon.csv"), o), "only 1 column", "--csv-delimiter");
        o = {};
        o.label_column = LabelColumn::parse("depth");
        const Dataset d = load_csv(path("semicolon.csv"), o);
        QCOMPARE(d.feature_shape(), (Shape{3}));
        QCOMPARE(parse_csv_delimiter("tab"), '\t');
        QCOMPARE(parse_csv_delimiter(";"), ';');
        NN_EXPECT_ERROR(DataError, parse_csv_delimiter("ab"), "use one of");
        QVERIFY(!parse_csv_header("auto").has_value());
        QCOMPARE(*parse_csv_header("no"), false);
    }

    void snifferEdgeCases() {
        // Ragged lines: no delimiter is consistent enough.
        std::vector<std::string_view> ragged = {"a,b,c", "1,2", "3", "4,5,6,7"};
        QCOMPARE(sniff_delimiter(ragged), '\0');
        // ';' on every line, ',' only inside quotes: ';'.
        std::vector<std::string_view> quoted = {"\"a,b\";c", "\"1,5\";2", "\"3,1\";4"};
        QCOMPARE(sniff_delimiter(quoted), ';');
        // A header-only file: a row without numbers is a header.
        QVERIFY(sniff_header({{"a", "b", "label"}}));
        QVERIFY(!sniff_header({{"1", "2", "0"}}));
    }
};

QTEST_GUILESS_MAIN(TestCsvDialects)
#include "tst_csv_dialects.moc"
