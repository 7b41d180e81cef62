// Run comparison view and pitfall panel (offscreen): two real runs written by the Trainer are
// plotted point for point with their differing settings, a broken folder is greyed with the
// reason; the pitfall panel finds softmax before CrossEntropyLoss, Fix removes it as one undoable
// step, and the seed models show no finding. Screenshots go to the build folder for review.
#include "document/model_document.h"
#include "plots/live_plot.h"
#include "teach/finding_card.h"
#include "teach/pitfall_panel.h"
#include "teach/run_comparison_view.h"
#include "test_runs.h"
#include "test_support.h"
#include "train/run_history.h"
#include "ui_test_support.h"

#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QComboBox>
#include <QtTest>

using namespace nnstudio;
using nnstudio::ui::ModelDocument;
using nnstudio::ui::NodePath;

using nnstudio::test::screenshotDir;

namespace {

spec::ModelSpec softmaxModel() {
    return spec::parse_model_spec(nlohmann::json::parse(R"({"format": "nnstudio.model", "version": 1,
      "name": "SoftmaxMLP", "input": {"shape": [784]}, "root": {"type": "Sequential", "children": [
        {"name": "fc1", "type": "Linear", "out_features": 128}, {"name": "act", "type": "ReLU"},
        {"name": "fc2", "type": "Linear", "out_features": 10}, {"name": "probs", "type": "Softmax", "dim": 1}]}})"));
}

}  // namespace

class TestRunComparison : public QObject {
    Q_OBJECT

private slots:
    void view_overlays_runs_and_lists_differing_settings() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const auto a = test::write_spirals_run(tmp.filePath("adam-0.01").toStdString(), 0.01, "kaiming_uniform", 4);
        const auto b = test::write_spirals_run(tmp.filePath("adam-0.001").toStdString(), 0.001, "xavier_uniform", 3);
        std::vector<project::RunRecord> runs = {
            {"adam-0.01", "Adam lr 0.01, kaiming_uniform", "completed", 4, a.result.test.loss, a.result.test.accuracy, 1},
            {"adam-0.001", "Adam lr 0.001, xavier_uniform", "completed", 3, b.result.test.loss, b.result.test.accuracy, 1},
            {"deleted-run", "Deleted run", "completed", 5, 0.3, 0.9, 1}};
        ui::RunComparisonView view;
        view.resize(1100, 700);
        view.setRuns(runs, tmp.path());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        QCOMPARE(view.lossPlot()->pointCount("run0/train"), 4);
        QCOMPARE(view.lossPlot()->pointCount("run0/val"), 4);
        QCOMPARE(view.lossPlot()->pointCount("run1/val"), 3);
        QCOMPARE(view.accuracyPlot()->pointCount("run1/train"), 3);
        QCOMPARE(view.lossPlot()->series("run0/val")->data()->at(3)->value, a.epochs[3].val.loss);
        QVERIFY(!view.lossPlot()->series("run2/val"));  // the broken one is not plotted
        // Gradient std of the picked parameter over the steps that recorded statistics, per run.
        QVERIFY(view.gradientParameter()->count() > 0);
        const std::string picked = view.gradientParameter()->currentText().toStdString();
        for (const train::GradStdSeries& g : train::read_run_history(tmp.filePath("adam-0.01").toStdString()).grad_std) {
            if (g.name != picked) continue;
            QCOMPARE(view.gradientPlot()->pointCount("run0/grad_std"), static_cast<int>(g.steps.size()));
            QCOMPARE(view.gradientPlot()->series("run0/grad_std")->data()->at(0)->value, g.grad_std[0]);
        }
        QVERIFY(view.gradientPlot()->pointCount("run0/grad_std") > 0);

        QTableWidget* table = view.settingsTable();
        QStringList keys;
        for (int r = 0; r < table->rowCount(); ++r) keys << table->item(r, 0)->text();
        QCOMPARE(keys, (QStringList{"epochs", "init", "optimizer.options.lr"}));
        QCOMPARE(table->columnCount(), 3);
        QCOMPARE(table->item(2, 1)->text(), QString("0.01"));
        QCOMPARE(table->item(2, 2)->text(), QString("0.001"));
        // Runs are numbered as listed, so legends and columns stay short and tell runs apart.
        QCOMPARE(table->horizontalHeaderItem(1)->text(), QString("#1"));
        QCOMPARE(table->horizontalHeaderItem(2)->text(), QString("#2"));
        QVERIFY(view.runList()->topLevelItem(1)->text(0).startsWith("#2 "));
        QCOMPARE(view.lossPlot()->series("run1/val")->name(), QString("#2 (validation)"));

        QTreeWidgetItem* broken = view.runList()->topLevelItem(2);
        QVERIFY(!(broken->flags() & Qt::ItemIsEnabled));
        QVERIFY2(broken->child(0)->text(0).contains("no such run folder"), qPrintable(broken->child(0)->text(0)));
        QVERIFY(view.grab().save(screenshotDir() + "/run_comparison.png"));

        view.runList()->topLevelItem(1)->setCheckState(0, Qt::Unchecked);  // one run left: nothing to compare
        QVERIFY(!view.lossPlot()->series("run1/val"));
        QCOMPARE(view.lossPlot()->pointCount("run0/val"), 4);
        QCOMPARE(table->rowCount(), 0);
    }

    void pitfall_fix_is_one_undoable_step() {
        ModelDocument doc;
        doc.resetTo(softmaxModel());
        ui::PitfallPanel panel(&doc);
        QSignalSpy counts(&panel, &ui::PitfallPanel::countChanged);
        QSignalSpy nodes(&panel, &ui::PitfallPanel::nodeRequested);
        panel.resize(420, 360);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.count(), 1);
        QCOMPARE(panel.findings().front().id, std::string("softmax_before_logits_loss"));
        QVERIFY(panel.grab().save(screenshotDir() + "/pitfall_panel.png"));

        auto cards = panel.findChildren<ui::FindingCard*>();
        QCOMPARE(cards.size(), 1);
        QTest::mouseClick(cards.front(), Qt::LeftButton, {}, QPoint(40, 10));
        QCOMPARE(nodes.size(), 1);
        QCOMPARE(nodes.front().front().value<NodePath>(), (NodePath{3}));

        QVERIFY(cards.front()->fixButton());
        cards.front()->fixButton()->click();
        QCOMPARE(panel.count(), 0);
        QCOMPARE(doc.spec().root.children.size(), size_t{3});
        QCOMPARE(counts.size(), 1);
        QCOMPARE(counts.back().front().toInt(), 0);
        QCOMPARE(doc.undoStack()->count(), 1);
        QVERIFY(panel.grab().save(screenshotDir() + "/pitfall_panel_fixed.png"));
        doc.undoStack()->undo();
        QCOMPARE(panel.count(), 1);
        QCOMPARE(doc.spec().root.children.size(), size_t{4});
    }

    void setup_fixes_are_reported_to_the_setup_owner() {
        ModelDocument doc;
        spec::ModelSpec bn = softmaxModel();
        bn.root.children.pop_back();
        bn.root.children.insert(bn.root.children.begin() + 1, spec::NodeSpec{});
        bn.root.children[1].type = "BatchNorm1d";
        bn.root.children[1].name = "bn";
        doc.resetTo(spec::parse_model_spec(spec::to_json(bn)));
        ui::PitfallPanel panel(&doc);
        train::TrainSetup setup;
        setup.batch_size = 1;
        panel.setSetup(setup);
        QCOMPARE(panel.count(), 1);
        std::vector<train::TrainSetup> fixed;
        connect(&panel, &ui::PitfallPanel::setupFixRequested, this, [&](const train::TrainSetup& s) { fixed.push_back(s); });
        QVERIFY(panel.applyFix(0));
        QCOMPARE(fixed.size(), size_t{1});
        QCOMPARE(fixed.front().batch_size, int64_t{32});
        QCOMPARE(panel.count(), 0);
        QCOMPARE(doc.undoStack()->count(), 0);
    }

    void seed_models_show_no_pitfalls() {
        const QDir dir(test::source_dir() + "/resources/models");
        ModelDocument doc;
        ui::PitfallPanel panel(&doc);
        for (const QString& f : dir.entryList({"*.json"}, QDir::Files)) {
            const spec::ModelSpec s = spec::load_model_spec(dir.filePath(f).toStdString());
            panel.setSetup(teach::training_setup_of(s));
            doc.resetTo(s);
            // QVERIFY2 evaluates its message even when the check passes: build it only from findings that exist.
            const QString first = panel.count() == 0 ? QString() : QString::fromStdString(panel.findings().front().message);
            QVERIFY2(panel.count() == 0, qPrintable(f + ": " + first));
        }
        panel.resize(420, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(screenshotDir() + "/pitfall_panel_none.png"));
    }
};

QTEST_MAIN(TestRunComparison)
#include "tst_run_comparison.moc"
