// CSV loader tests: label column by name/index/default, integer and string labels, and errors
// that name the file, line, column and the offending text.
#include "data/csv_loader.h"
#include "data/data_error.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace nnstudio;
using namespace nnstudio::data;

class TestCsv : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string write(const QString& name, const std::string& text) {
        const std::string p = m_dir.filePath(name).toStdString();
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

private slots:
    void label_last_by_default();
    void label_by_name_and_index();
    void string_labels();
    void no_header_and_delimiter();
    void quoting_and_blank_lines();
    void bad_cell();
    void ragged_row();
    void empty_and_header_only();
    void non_finite();
    void unknown_label_column();
    void mixed_labels_are_refused();
    void decimal_commas_get_a_hint();
    void trailing_delimiter_is_named();
};

void TestCsv::label_last_by_default() {
    const std::string p = write("a.csv", "x,y,label\n1,2,0\n3.5,-4e-1,2\n+5,6,1\n");
    const Dataset d = load_csv(p);
    QCOMPARE(d.size(), int64_t(3));
    QCOMPARE(d.feature_shape(), (Shape{2}));
    QVERIFY(!d.stores_bytes());
    QCOMPARE(d.floats(), (std::vector<float>{1, 2, 3.5f, -0.4f, 5, 6}));
    QCOMPARE(d.labels(), (std::vector<int32_t>{0, 2, 1}));
    QCOMPARE(d.num_classes(), int64_t(3));
    QVERIFY(d.class_names().empty());
}

void TestCsv::label_by_name_and_index() {
    const std::string p = write("b.csv", "id_class,f1,f2\n1,0.5,1.5\n0,2.5,3.5\n1.0,4.5,5.5\n");
    CsvOptions o;
    o.label_column = "id_class";
    Dataset d = load_csv(p, o);
    QCOMPARE(d.labels(), (std::vector<int32_t>{1, 0, 1}));  // "1.0" is the integer 1
    QCOMPARE(d.floats(), (std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}));
    o.label_column = 0;
    d = load_csv(p, o);
    QCOMPARE(d.labels(), (std::vector<int32_t>{1, 0, 1}));
    QCOMPARE(d.floats(), (std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}));
    // -1 is the last column; f2 values are not integers, so they become string classes.
    o.label_column = LabelColumn::parse("-1");
    d = load_csv(p, o);
    QCOMPARE(d.num_classes(), int64_t(3));
    QCOMPARE(d.class_names(), (std::vector<std::string>{"1.5", "3.5", "5.5"}));
    QCOMPARE(d.floats(), (std::vector<float>{1, 0.5f, 0, 2.5f, 1, 4.5f}));
    o.label_column = LabelColumn::parse("f1");
    QCOMPARE(load_csv(p, o).floats(), (std::vector<float>{1, 1.5f, 0, 3.5f, 1, 5.5f}));
}

void TestCsv::string_labels() {
    const std::string p = write("iris.csv",
                                "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n5.0,1.3,setosa\n"
                                "6.3,6.0,virginica\n6.4,4.5,versicolor\n");
    const Dataset d = load_csv(p);
    QCOMPARE(d.num_classes(), int64_t(3));
    QCOMPARE(d.class_names(), (std::vector<std::string>{"setosa", "versicolor", "virginica"}));  // first appearance
    QCOMPARE(d.labels(), (std::vector<int32_t>{0, 1, 0, 2, 1}));
    QCOMPARE(d.class_name(2), std::string("virginica"));
}

void TestCsv::no_header_and_delimiter() {
    const std::string p = write("c.tsv.csv", "1;2;cat\r\n3;4;dog\r\n5;6;cat\r\n");
    CsvOptions o;
    o.has_header = false;
    o.delimiter = ';';
    const Dataset d = load_csv(p, o);
    QCOMPARE(d.size(), int64_t(3));  // the first line is data
    QCOMPARE(d.floats(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(d.class_names(), (std::vector<std::string>{"cat", "dog"}));
    o.label_column = "x";
    NN_EXPECT_ERROR(DataError, load_csv(p, o), "without a header row", "--csv-header yes");
}

void TestCsv::quoting_and_blank_lines() {
    const std::string p = write("q.csv", "\xEF\xBB\xBF\"a\",b,name\n\n 1 , \"2\" ,\"Smith, \"\"J\"\"\"\n   \n3,4,plain\n");
    const Dataset d = load_csv(p);
    QCOMPARE(d.size(), int64_t(2));
    QCOMPARE(d.floats(), (std::vector<float>{1, 2, 3, 4}));
    QCOMPARE(d.class_names(), (std::vector<std::string>{"Smith, \"J\"", "plain"}));
    const std::string u = write("u.csv", "a,b\n1,\"open\n");
    NN_EXPECT_ERROR(DataError, load_csv(u), QString::fromStdString(u), "line 2", "unterminated quote");
}

void TestCsv::bad_cell() {
    const std::string p = write("bad.csv", "width,height,label\n1,2,0\n3,4,1\n5,abc,0\n");
    NN_EXPECT_ERROR(DataError, load_csv(p), QString::fromStdString(p), "line 4", "column 2", "\"height\"", "\"abc\"", "not a number");
    const std::string q = write("empty-cell.csv", "width,height,label\n1,,0\n");
    NN_EXPECT_ERROR(DataError, load_csv(q), QString::fromStdString(q), "line 2", "column 2", "empty cell");
    const std::string r = write("trail.csv", "width,height,label\n1,2x,0\n");
    NN_EXPECT_ERROR(DataError, load_csv(r), "line 2", "column 2", "\"2x\"");
}

void TestCsv::ragged_row() {
    const std::string p = write("ragged.csv", "a,b,c\n1,2,0\n3,4\n");
    NN_EXPECT_ERROR(DataError, load_csv(p), QString::fromStdString(p), "line 3", "2 cells", "3 columns");
    const std::string q = write("ragged2.csv", "a,b,c\n1,2,0,9\n");
    NN_EXPECT_ERROR(DataError, load_csv(q), "line 2", "4 cells");
}

void TestCsv::empty_and_header_only() {
    const std::string e = write("empty.csv", "");
    NN_EXPECT_ERROR(DataError, load_csv(e), QString::fromStdString(e), "empty");
    const std::string w = write("white.csv", " \n\n");
    NN_EXPECT_ERROR(DataError, load_csv(w), "empty");
    const std::string h = write("header.csv", "a,b,label\n");
    NN_EXPECT_ERROR(DataError, load_csv(h), QString::fromStdString(h), "no data rows");
    const std::string one = write("one.csv", "label\n1\n");
    NN_EXPECT_ERROR(DataError, load_csv(one), "only 1 column");
    NN_EXPECT_ERROR(DataError, load_csv(m_dir.filePath("missing.csv").toStdString()), "missing.csv", "cannot open");
}

void TestCsv::non_finite() {
    for (const char* bad : {"nan", "inf", "-Infinity", "1e400"}) {
        const std::string p = write("nf.csv", std::string("a,b,label\n1,") + bad + ",0\n");
        NN_EXPECT_ERROR(DataError, load_csv(p), "line 2", "column 2", "\"b\"", QString("\"%1\"").arg(bad), "finite");
    }
    const std::string big = write("big.csv", "a,label\n1,70000\n");
    NN_EXPECT_ERROR(DataError, load_csv(big), "line 2", "too large");
}

void TestCsv::unknown_label_column() {
    const std::string p = write("d.csv", "a,b,c\n1,2,0\n");
    CsvOptions o;
    o.label_column = "species";
    NN_EXPECT_ERROR(DataError, load_csv(p, o), "\"species\"", "\"a\", \"b\", \"c\"");
    o.label_column = 3;
    NN_EXPECT_ERROR(DataError, load_csv(p, o), "index 3", "3 columns");
}

void TestCsv::mixed_labels_are_refused() {
    // One stray non-integer among integer labels: named, not silently read as names.
    for (const char* stray : {"2.5", "x", "-1"}) {
        const std::string p = write("stray.csv", std::string("a,b,label\n1,2,0\n3,4,1\n5,6,") + stray + "\n7,8,2\n");
        NN_EXPECT_ERROR(DataError, load_csv(p), QString::fromStdString(p), "line 4", "column 3 (\"label\")",
                        QString("label \"%1\" is not an integer").arg(stray), "3 other labels are", "line 2",
                        "all integers", "or all names");
    }
    // One stray integer among names, even as the first row.
    const std::string q = write("stray_int.csv", "a,species\n1,3\n2,cat\n3,dog\n4,cat\n");
    NN_EXPECT_ERROR(DataError, load_csv(q), "line 2", "label \"3\" is an integer", "3 other labels are names",
                    "\"cat\" on line 3", "all integers");
    // All numbers but none an index: names, as before (and all integers stay integers).
    const std::string r = write("floats.csv", "a,t\n1,0.5\n2,-1\n3,0.5\n");
    QCOMPARE(load_csv(r).class_names(), (std::vector<std::string>{"0.5", "-1"}));
}

void TestCsv::decimal_commas_get_a_hint() {
    // ';' between cells and decimal commas, as FILE_FORMATS.md promises: read with ';' (header)
    // or with ',' (no header: both delimiters fit, and ',' comes first, as in csv.Sniffer).
    const std::string with_header = write("dc1.csv", "a;b;label\n1,5;2,3;0\n4,5;0,25;1\n");
    const std::string bare = write("dc2.csv", "1,5;2,3;0\n4,5;0,25;1\n");
    for (const std::string& p : {with_header, bare})
        NN_EXPECT_ERROR(DataError, load_csv(p), "line", "is not a number", "seems to use decimal commas",
                        "';' between cells", "sed 's/,/./g'");
    CsvOptions tab;
    tab.delimiter = '\t';
    const std::string t = write("dc3.csv", "a\tlabel\n1,5\t0\n");
    NN_EXPECT_ERROR(DataError, load_csv(t, tab), "\"1,5\"", "decimal commas", "tab between cells");
    // Text that is no decimal comma keeps the usual hint.
    const std::string w = write("dc4.csv", "a;b;label\n1;abc;0\n");
    const QString msg = test::error_of<DataError>([&] { load_csv(w); });
    QVERIFY2(msg.contains("is this the label column?") && msg.contains("--label-column") &&
                 msg.contains("training.label_column") && !msg.contains("decimal"),
             qPrintable(msg));
    // Quoted decimal-comma cells between ','s: the same hint, without the sed (it would split cells).
    const std::string quoted = write("dc5.csv", "a,b,label\n\"1,288\",\"0,5\",0\n\"2,5\",\"1,0\",1\n");
    const QString q = test::error_of<DataError>([&] { load_csv(quoted); });
    QVERIFY2(q.contains("\"1,288\" is not a number") && q.contains("decimal commas in quoted cells") && !q.contains("sed"),
             qPrintable(q));
}

void TestCsv::trailing_delimiter_is_named() {
    // "a,b,label," on every line: the last column is empty and unnamed, not a missing label.
    const std::string p = write("trail.csv", "a,b,label,\n1,2,0,\n3,4,1,\n");
    NN_EXPECT_ERROR(DataError, load_csv(p), "line 2", "empty label cell", "every line ends with the delimiter ','",
                    "empty and unnamed", "s/,$//");
    CsvOptions o;
    o.label_column = "label";
    NN_EXPECT_ERROR(DataError, load_csv(p, o), "empty cell", "every line ends with the delimiter");
    // One empty label in a named last column stays a missing label.
    const std::string one = write("one_empty.csv", "a,b,label\n1,2,0\n3,4,\n");
    const QString msg = test::error_of<DataError>([&] { load_csv(one); });
    QVERIFY2(msg.contains("empty label cell; every row needs a class label") && !msg.contains("ends with"), qPrintable(msg));
}

QTEST_APPLESS_MAIN(TestCsv)
#include "tst_csv.moc"
