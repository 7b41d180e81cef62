// Run history: real runs written by the Trainer read back (epochs, values, gradient series,
// final metrics), differing settings listed exactly, a run killed mid-line tolerated, corrupt
// files refused; and nnstudio-cli compare-runs on the same runs.
#include "error.h"
#include "test_runs.h"
#include "test_support.h"
#include "train/run_history.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

using namespace nnstudio;

class TestRunHistory : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::string m_a, m_b;
    test::WrittenRun m_runA, m_runB;

    QString cli(const QStringList& args, int* code) {
        QProcess p;
        p.start(test::cli_path(), args);
        p.waitForFinished(120000);
        *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return QString::fromUtf8(p.readAllStandardOutput()) + QString::fromUtf8(p.readAllStandardError());
    }

    std::string copy_with_metrics(const std::string& name, const std::string& metrics) {
        const std::string dir = m_tmp.filePath(QString::fromStdString(name)).toStdString();
        std::filesystem::copy(m_a, dir, std::filesystem::copy_options::recursive);
        std::ofstream(dir + "/metrics.jsonl", std::ios::trunc) << metrics;
        return dir;
    }

    static std::string read_text(const std::string& file) {
        std::ifstream in(file);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_a = m_tmp.filePath("run-a").toStdString();
        m_b = m_tmp.filePath("run-b").toStdString();
        m_runA = test::write_spirals_run(m_a, 0.01, "kaiming_uniform", 3);
        m_runB = test::write_spirals_run(m_b, 0.001, "xavier_uniform", 2);
        QCOMPARE(m_runA.result.status, train::RunStatus::Completed);
        QCOMPARE(m_runB.result.status, train::RunStatus::Completed);
    }

    void reads_back_what_the_trainer_reported() {
        const train::RunHistory a = train::read_run_history(m_a);
        QCOMPARE(a.model_name, std::string("TinySpirals"));
        QCOMPARE(a.epochs.size(), size_t{3});
        QCOMPARE(m_runA.epochs.size(), size_t{3});
        for (size_t i = 0; i < a.epochs.size(); ++i) {
            QCOMPARE(a.epochs[i].epoch, static_cast<int>(i));
            QCOMPARE(a.epochs[i].train.loss, m_runA.epochs[i].train.loss);  // JSON round-trips doubles exactly
            QCOMPARE(a.epochs[i].val.loss, m_runA.epochs[i].val.loss);
            QCOMPARE(a.epochs[i].val.accuracy, m_runA.epochs[i].val.accuracy);
            QCOMPARE(a.epochs[i].train.accuracy, m_runA.epochs[i].train.accuracy);
        }
        QVERIFY(a.final.has_value());
        QCOMPARE(a.final->status, std::string("completed"));
        QCOMPARE(a.final->test.loss, m_runA.result.test.loss);
        QCOMPARE(a.final->test.accuracy, m_runA.result.test.accuracy);
        QVERIFY(a.notes.empty());
        // Step records with statistics every 5 steps: one gradient std series per parameter.
        QCOMPARE(a.grad_std.size(), size_t{4});  // fc1.weight, fc1.bias, fc2.weight, fc2.bias
        QCOMPARE(a.grad_std.front().name, std::string("fc1.weight"));
        QCOMPARE(a.grad_std.front().steps.size(), a.steps.size());
        QVERIFY(!a.steps.empty());
        for (const auto& s : a.steps) QCOMPARE(s.step % 5, int64_t{0});
        QCOMPARE(train::read_run_history(m_b).epochs.size(), size_t{2});
    }

    void lists_exactly_the_differing_settings() {
        const auto diffs = train::differing_settings({train::read_run_history(m_a), train::read_run_history(m_b)});
        QStringList keys;
        for (const auto& d : diffs) keys << QString::fromStdString(d.key);
        QCOMPARE(keys, (QStringList{"epochs", "init", "optimizer.options.lr"}));
        QCOMPARE(diffs[0].values, (std::vector<std::string>{"3", "2"}));
        QCOMPARE(diffs[1].values, (std::vector<std::string>{"kaiming_uniform", "xavier_uniform"}));
        QCOMPARE(diffs[2].values, (std::vector<std::string>{"0.01", "0.001"}));
        QVERIFY(train::differing_settings({train::read_run_history(m_a), train::read_run_history(m_a)}).empty());
    }

    void a_last_line_cut_by_a_kill_is_skipped_with_a_note() {
        std::string metrics = read_text(m_a + "/metrics.jsonl");
        const size_t last = metrics.rfind('\n', metrics.size() - 2);  // start of the finished record
        metrics = metrics.substr(0, last + 1) + metrics.substr(last + 1, 40);
        const train::RunHistory r = train::read_run_history(copy_with_metrics("killed", metrics));
        QCOMPARE(r.epochs.size(), size_t{3});
        QVERIFY(!r.final.has_value());
        QCOMPARE(r.notes.size(), size_t{2});
        QVERIFY2(r.notes[0].find("cut short") != std::string::npos, r.notes[0].c_str());
        QVERIFY(r.notes[1].find("no final record") != std::string::npos);
    }

    void corrupt_files_are_refused_naming_the_line() {
        const std::string metrics = read_text(m_a + "/metrics.jsonl");
        const std::string broken = copy_with_metrics("broken", "{\"kind\": \"epo\n" + metrics);
        NN_EXPECT_ERROR(Error, train::read_run_history(broken), "metrics.jsonl line 1", "corrupt JSON");
        const std::string unknown = copy_with_metrics("unknown", "{\"kind\": \"weird\", \"epoch\": 0}\n" + metrics);
        NN_EXPECT_ERROR(Error, train::read_run_history(unknown), "line 1", "unknown record kind 'weird'");
        NN_EXPECT_ERROR(Error, train::read_run_history(m_tmp.filePath("nope").toStdString()), "no such run folder");
    }

    void cli_prints_settings_epochs_and_test_metrics() {
        int code = 0;
        const QString out = cli({"compare-runs", QString::fromStdString(m_a), QString::fromStdString(m_b)}, &code);
        QVERIFY2(code == 0, qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("optimizer\\.options\\.lr\\s+0\\.01\\s+0\\.001")), qPrintable(out));
        QVERIFY(out.contains(QRegularExpression("init\\s+kaiming_uniform\\s+xavier_uniform")));
        QVERIFY(!out.contains("batch_size"));
        const auto val = QString("%1 / %2%").arg(m_runA.epochs[2].val.loss, 0, 'f', 4).arg(100 * m_runA.epochs[2].val.accuracy, 0, 'f', 1);
        QVERIFY2(out.contains(QRegularExpression("\n3\\s+" + QRegularExpression::escape(val) + "\\s+-\\s*\n")), qPrintable(out));
        QVERIFY(out.contains(QString("%1 / ").arg(m_runB.result.test.loss, 0, 'f', 4)));

        const QString json = cli({"compare-runs", QString::fromStdString(m_a), QString::fromStdString(m_b), "--json"}, &code);
        QCOMPARE(code, 0);
        const auto j = nlohmann::json::parse(json.toStdString());
        QCOMPARE(j["runs"].size(), size_t{2});
        QCOMPARE(j["runs"][0]["epochs"].size(), size_t{3});
        QCOMPARE(j["runs"][1]["final"]["test"]["accuracy"].get<double>(), m_runB.result.test.accuracy);
        QCOMPARE(j["differing_settings"].size(), size_t{3});

        const QString err = cli({"compare-runs", QString::fromStdString(m_a), m_tmp.filePath("nope")}, &code);
        QVERIFY(code != 0);
        QCOMPARE(err.trimmed().count('\n'), 0);
        QVERIFY2(err.contains("no such run folder"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_run_history.moc"
