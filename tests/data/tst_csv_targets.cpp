// CSV float target columns (issue 11): chosen by name or index (negative from the end), read as
// (N, T) float targets with every other column a feature; the errors name what is wrong (an
// unknown name, an index out of range, a non-numeric target with its line and column); batches
// carry (B, T) targets as stored, never normalised; subsets keep them.
#include "data/csv_loader.h"
#include "data/data_error.h"
#include "data/gather_batch.h"
#include "data/normalization.h"
#include "test_support.h"

#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::data;

namespace {

const std::string kCsv = "a,y1,b,y2\n1,10.5,2,0\n3,-20,4,1\n5,30.25,6,0\n";

Dataset read(const std::string& targets, const std::string& text = kCsv) {
    CsvOptions o;
    o.target_columns = parse_target_columns(targets);
    return parse_csv(text, "t.csv", o);
}

}  // namespace

class TestCsvTargets : public QObject {
    Q_OBJECT

private slots:
    void parsesTheList() {
        const std::vector<LabelColumn> c = parse_target_columns("y1, 3,-1");
        QCOMPARE(c.size(), size_t{3});
        QCOMPARE(*c[0].name(), std::string("y1"));
        QCOMPARE(*c[1].index(), int64_t{3});
        QCOMPARE(*c[2].index(), int64_t{-1});
        QCOMPARE(target_columns_text(c), std::string("y1,3,-1"));
        QVERIFY(parse_target_columns("").empty());
        QVERIFY(test::error_of<DataError>([] { parse_target_columns("a,,b"); }).contains("an empty item"));
    }

    void readsTargetsByNameAndIndex() {
        for (const std::string& spec : {std::string("y1,y2"), std::string("1,3"), std::string("y1,-1")}) {
            CsvDialect dialect;
            CsvOptions o;
            o.target_columns = parse_target_columns(spec);
            const Dataset d = parse_csv(kCsv, "t.csv", o, &dialect);
            QVERIFY(d.has_targets());
            QCOMPARE(d.size(), int64_t{3});
            QCOMPARE(d.target_width(), int64_t{2});
            QCOMPARE(d.target_names(), (std::vector<std::string>{"y1", "y2"}));
            QCOMPARE(d.feature_shape(), (Shape{2}));
            QCOMPARE(d.floats(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
            QCOMPARE(d.targets(), (std::vector<float>{10.5f, 0, -20, 1, 30.25f, 0}));
            QCOMPARE(d.num_classes(), int64_t{0});
            QVERIFY(d.labels().empty());
            QCOMPARE(dialect.target_indices, (std::vector<size_t>{1, 3}));
        }
        // The order given is the order of the target row.
        QCOMPARE(read("y2,y1").targets(), (std::vector<float>{0, 10.5f, 1, -20, 0, 30.25f}));
        const int64_t picked[] = {2, 0};
        const Dataset s = read("y1,y2").subset(picked);
        QCOMPARE(s.size(), int64_t{2});
        QCOMPARE(s.targets(), (std::vector<float>{30.25f, 0, 10.5f, 0}));
    }

    void errorsNameTheProblem() {
        QString e = test::error_of<DataError>([] { read("y1,price"); });
        QVERIFY2(e.contains("no column named \"price\" for a target") && e.contains("\"y2\""), qPrintable(e));
        e = test::error_of<DataError>([] { read("4"); });
        QVERIFY2(e.contains("target column index 4 is out of range") && e.contains("4 columns"), qPrintable(e));
        e = test::error_of<DataError>([] { read("y1", "a,y1\n1,2\n3,high\n"); });
        QVERIFY2(e.contains("t.csv line 3, column 2 (\"y1\"): \"high\" is not a finite number") &&
                     e.contains("target columns hold float targets"),
                 qPrintable(e));
        e = test::error_of<DataError>([] { read("y1", "a,y1\n1,2\n3,\n"); });
        QVERIFY2(e.contains("line 3, column 2 (\"y1\"): empty cell"), qPrintable(e));
        e = test::error_of<DataError>([] { read("y1,1"); });
        QVERIFY2(e.contains("given twice"), qPrintable(e));
        e = test::error_of<DataError>([] { read("0,1,2,3"); });
        QVERIFY2(e.contains("no feature is left"), qPrintable(e));
        e = test::error_of<DataError>([] {
            CsvOptions o;
            o.label_column = LabelColumn("a");
            o.target_columns = parse_target_columns("y1");
            parse_csv(kCsv, "t.csv", o);
        });
        QVERIFY2(e.contains("both a label column") && e.contains("not both"), qPrintable(e));
        e = test::error_of<DataError>([] {
            CsvOptions o;
            o.has_header = false;
            o.target_columns = parse_target_columns("y1");
            parse_csv("1,2\n3,4\n", "t.csv", o);
        });
        QVERIFY2(e.contains("without a header row; give its index"), qPrintable(e));
    }

    // gather_batch: y is (B, T) as stored; normalisation touches the features only.
    void batchesCarryTargetsUnnormalised() {
        const Dataset d = read("y1,y2");
        const int64_t all[] = {0, 1, 2};
        const Normalization n = fit_normalization(d, all, NormalizationKind::PerFeature);
        QCOMPARE(n.mean.size(), size_t{2});  // a and b only
        const int64_t batch[] = {2, 0};
        Tensor x, y;
        gather_batch(d, batch, n, x, y);
        QCOMPARE(x.shape(), (Shape{2, 2}));
        QCOMPARE(y.shape(), (Shape{2, 2}));
        QCOMPARE(y[0], 30.25f);
        QCOMPARE(y[1], 0.0f);
        QCOMPARE(y[2], 10.5f);
        QCOMPARE(y[3], 0.0f);
        // Features are standardised: a = 5 is (5 - 3) / std([1, 3, 5]).
        QVERIFY(std::fabs(x[0] - 2.0f / std::sqrt(8.0f / 3.0f)) < 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestCsvTargets)
#include "tst_csv_targets.moc"
