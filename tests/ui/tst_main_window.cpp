// The main window end to end (offscreen): the examples load; toggling a flag changes the summary;
// a short training run through the window fills the plots, keeps the event loop responsive and
// leaves trained weights; save, reopen, export and re-import give identical weights; autosave
// leaves a recovery file that a new window offers; screenshots of the key states are written to
// the build folder for review.
#include "app/main_window.h"
#include "document/model_document.h"
#include "document/node_selection.h"
#include "files/autosave.h"
#include "files/last_folder.h"
#include "inspector/flags_panel.h"
#include "io/tensor_file.h"
#include "plots/empty_note.h"
#include "plots/live_plot.h"
#include "plots/training_plots.h"
#include "project/project.h"
#include "summary/summary_view.h"
#include "teach/pitfall_panel.h"
#include "test_support.h"
#include "teach/init_lab_view.h"
#include "teach/run_comparison_view.h"
#include "training/training_controller.h"
#include "training/training_progress.h"
#include "training/training_setup_panel.h"
#include "ui_test_support.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::ui;

namespace {

QString screenshot_dir() { return test::screenshotDir() + "/screenshots"; }

void screenshot(QWidget& w, const QString& name) {
    QDir().mkpath(screenshot_dir());
    QVERIFY(w.grab().save(screenshot_dir() + "/" + name + ".png"));
}

train::TrainSetup quick_spirals_setup() {
    train::TrainSetup s;
    s.data = "spirals";
    s.synthetic.samples = 600;
    s.epochs = 3;
    s.batch_size = 32;
    s.optimizer = {"Adam", {{"lr", 0.01}}};
    s.stats_every = 5;
    return s;
}

const QStringList kBottomDocks = {"summaryDock", "plotsDock", "init_labDock", "train_vs_evalDock",
                                  "gradientsDock", "pitfallsDock", "runsDock"};

// The note covering `view` (directly: plot notes are children of the plots).
EmptyNote* view_note(QWidget* view) { return view->findChild<EmptyNote*>(QString(), Qt::FindDirectChildrenOnly); }
EmptyNote* plot_note(QWidget* plot) { return plot->findChild<EmptyNote*>(QString(), Qt::FindDirectChildrenOnly); }

// The bottom tab in front (Qt may keep the others "visible" but moved out of the window).
QDockWidget* front_bottom_dock(MainWindow& w) {
    QDockWidget* front = nullptr;
    for (const QString& name : kBottomDocks) {
        auto* d = w.findChild<QDockWidget*>(name);
        if (d->isVisible() && w.rect().intersects(d->geometry())) {
            if (front) return nullptr;  // two in front: not tabbed any more
            front = d;
        }
    }
    return front;
}

// Largest visible dock area, and which dock it is.
std::pair<int, QString> largest_dock_area(MainWindow& w) {
    std::pair<int, QString> best{0, {}};
    for (QDockWidget* d : w.findChildren<QDockWidget*>())
        if (d->isVisible() && w.rect().intersects(d->geometry()) && d->width() * d->height() > best.first) best = {d->width() * d->height(), d->objectName()};
    return best;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // autosave/runs/settings go to a test location
        Autosave(Autosave::defaultDirectory(), {}, [] { return false; }).discard();
        QSettings().remove("layout");  // every window starts with the default layout
    }

    void examples_load_and_screenshots_of_empty_and_residual() {
        MainWindow w;
        w.openStartup({});
        w.show();
        QCOMPARE(w.document()->spec().name, std::string("DeepMLP"));
        QCOMPARE(w.summary()->totalParameters(), int64_t{569226});
        w.openExample("residual_network.json");
        QCOMPARE(w.summary()->totalParameters(), int64_t{470794});
        QVERIFY(!w.document()->isModified());
        QCOMPARE(w.pitfalls()->count(), 0);  // the seed's models are correct
        // A softmax in front of CrossEntropyLoss is a pitfall, listed as soon as it is inserted.
        QVERIFY(w.document()->insertNode({}, 5, spec::NodeSpec{"probs", "Softmax", {}, nlohmann::json{{"dim", 1}}, {}, {}, 0, {}}));
        QCOMPARE(w.pitfalls()->count(), 1);
        w.document()->undoStack()->undo();
        QCOMPARE(w.pitfalls()->count(), 0);
        QTest::qWait(50);
        screenshot(w, "main_window_residual_network");
        w.document()->resetTo(ModelDocument::emptyModel());
        QTest::qWait(50);
        screenshot(w, "main_window_empty");
    }

    void flag_toggle_changes_summary() {
        MainWindow w;
        w.openExample("conditional_net.json");
        const int64_t with_bn = w.summary()->totalParameters();
        const int rows_with_bn = w.summary()->rowCount();
        QVERIFY(w.document()->setFlagDefault("use_batch_norm", false));
        QVERIFY2(w.summary()->totalParameters() < with_bn, qPrintable(w.summary()->totalsText()));
        QVERIFY(w.summary()->rowCount() < rows_with_bn);
        QCOMPARE(w.summary()->totalParameters(), int64_t{784 * 256 + 256 + 2570});
        w.document()->undoStack()->undo();
        QCOMPARE(w.summary()->totalParameters(), with_bn);
    }

    void shape_error_is_shown_not_thrown() {
        MainWindow w;
        w.show();
        w.openExample("residual_network.json");
        // blocks -> template Residual -> fc2: 256 -> 200 breaks the skip connection's add.
        const NodePath fc2{3, 0, 4};
        QVERIFY(w.document()->setNodeOption(fc2, "out_features", 200));
        QVERIFY(!w.document()->isValid());
        QVERIFY(!w.document()->nodeErrors().isEmpty());
        QVERIFY2(w.summary()->totalsText().contains("does not build"), qPrintable(w.summary()->totalsText()));
        QTest::qWait(50);
        screenshot(w, "main_window_shape_error");
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->isValid());
    }

    void training_through_the_window() {
        MainWindow w;
        w.setRunsDirectory(m_dir.filePath("runs"));
        w.openExample("spiral_mlp.json");
        w.setupPanel()->setSetup(quick_spirals_setup());
        w.show();
        QSignalSpy finished(w.controller(), &TrainingController::finished);
        QSignalSpy failed(w.controller(), &TrainingController::failed);
        w.findChild<QDockWidget*>("plotsDock")->raise();  // as a user would, to watch the plots
        QTest::qWait(50);
        // Heartbeat: the longest gap between 10 ms ticks of the GUI thread while training, up to
        // the Finished snapshot (the window's own wrap-up afterwards - unlocking the editor,
        // reading the trained weights - is a one-off after the run, not a stall during it).
        test::Heartbeat heartbeat;
        connect(w.controller(), &TrainingController::snapshotReceived, w.controller(), [&](const train::MetricsSnapshot& s) {
            if (s.kind == train::SnapshotKind::Finished) heartbeat.stop();
        });
        QElapsedTimer clock;
        clock.start();
        w.startTraining();
        QVERIFY(w.document()->isReadOnly());
        bool shot = false;
        while (finished.isEmpty() && failed.isEmpty() && clock.elapsed() < 120000) {
            QTest::qWait(20);
            if (!shot && w.plots()->pointCount("loss/step") > 20) {
                w.plots()->redrawNow();
                screenshot(w, "main_window_training");
                shot = true;
                heartbeat.skipGap();  // the screenshot itself is not the event loop's stall
            }
        }
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(finished.size(), 1);
        QVERIFY(!w.document()->isReadOnly());
        QVERIFY(w.plots()->pointCount("loss/step") > 0);
        QCOMPARE(w.plots()->pointCount("accuracy/val"), 3);
        QVERIFY(w.weights().has_value());
        const qint64 worst = heartbeat.maxGapMs();
        QVERIFY2(worst < 100, qPrintable(QString("event loop stalled %1 ms").arg(worst)));
        qInfo("largest event-loop gap during training: %lld ms", static_cast<long long>(worst));
        QCOMPARE(w.currentProject().runs.size(), size_t{1});
        w.plots()->redrawNow();
        screenshot(w, "main_window_after_training");
    }

    void save_reopen_export_reimport_identical_weights() {
        MainWindow w;
        w.setRunsDirectory(m_dir.filePath("runs2"));
        w.openExample("spiral_mlp.json");
        train::TrainSetup setup = quick_spirals_setup();
        setup.epochs = 1;
        w.setupPanel()->setSetup(setup);
        QSignalSpy finished(w.controller(), &TrainingController::finished);
        w.startTraining();
        QVERIFY(finished.wait(120000));
        QVERIFY(w.weights().has_value());
        const StateDict trained = *w.weights();

        const QString project = m_dir.filePath("spiral.nnsproj");
        QString error;
        QVERIFY2(w.saveTo(project, &error), qPrintable(error));
        QVERIFY(!w.document()->isModified());

        MainWindow reopened;
        QVERIFY2(reopened.openFile(project, &error), qPrintable(error));
        QVERIFY(reopened.weights().has_value());
        QVERIFY(test::same_tensors(*reopened.weights(), trained));
        QCOMPARE(reopened.currentProject().runs.size(), size_t{1});
        QCOMPARE(project::to_json(reopened.currentProject())["model"], project::to_json(w.currentProject())["model"]);

        for (const char* name : {"w.pth", "w.safetensors"}) {
            const QString exported = m_dir.filePath(name);
            QVERIFY2(reopened.exportWeights(exported, &error), qPrintable(error));
            QVERIFY(test::same_tensors(io::read_tensor_file(exported.toStdString()).tensors, trained));
            MainWindow fresh;
            fresh.openExample("spiral_mlp.json");
            QString report;
            QVERIFY2(fresh.importWeights(exported, &report, &error), qPrintable(error));
            QVERIFY2(report.isEmpty(), qPrintable(report));
            QVERIFY(test::same_tensors(*fresh.weights(), trained));
        }
        // Importing into a different model reports what did not fit and keeps the rest.
        MainWindow other;
        other.openExample("simple_net.json");
        QString report;
        QVERIFY2(other.importWeights(m_dir.filePath("w.pth"), &report, &error), qPrintable(error));
        QVERIFY2(report.contains("imported 0 of the model's 4 tensors") && report.contains("not used by the model: fc3.weight") &&
                     report.contains("mismatch for fc1.weight"),
                 qPrintable(report));
        // A bad file is an error naming it, not a crash.
        QVERIFY(!other.importWeights(project, &report, &error));
        QVERIFY2(error.contains("spiral.nnsproj"), qPrintable(error));
        QVERIFY(!w.exportWeights(m_dir.filePath("w.txt"), &error));
        QVERIFY2(error.contains(".safetensors"), qPrintable(error));
    }

    void pytorch_code_export_writes_module_and_script() {
        MainWindow w;
        w.openExample("conditional_net.json");
        QString error;
        const QString py = m_dir.filePath("model.py"), train = m_dir.filePath("train.py");
        QVERIFY2(w.exportPytorchCode(py, train, &error), qPrintable(error));
        QFile f(py);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString code = QString::fromUtf8(f.readAll());
        QVERIFY(code.contains("class ConditionalNet(nn.Module)"));
        QVERIFY(code.contains("use_batch_norm"));
        QVERIFY(QFileInfo::exists(train));
    }

    void autosave_is_offered_after_a_crash() {
        QString recoveryFile;
        {
            MainWindow w;
            w.openExample("simple_net.json");
            QVERIFY(w.document()->setModelName("Edited"));
            QVERIFY(w.autosave()->saveNow());
            recoveryFile = w.autosave()->pending()->recoveryFile;
            // No close(): the window goes away as in a crash, leaving the recovery file.
        }
        QVERIFY(QFileInfo::exists(recoveryFile));
        QCOMPARE(project::load_project(recoveryFile.toStdString()).model.name, std::string("Edited"));
        MainWindow next;
        next.openStartup({});
        QVERIFY(next.autosave()->pending().has_value());
        next.autosave()->discard();
        QVERIFY(!next.autosave()->pending().has_value());
    }

    // Issue 12: every dock shown, the window still fits a 1366x768 screen less a taskbar.
    void minimum_size_fits_1366x768() {
        MainWindow w;
        w.openExample("deep_mlp.json");
        for (QDockWidget* d : w.findChildren<QDockWidget*>()) d->show();
        w.show();
        QTest::qWait(50);
        const QSize hint = w.minimumSizeHint(), layoutMin = w.layout()->minimumSize();
        qInfo("minimumSizeHint %dx%d, layout minimum %dx%d", hint.width(), hint.height(), layoutMin.width(), layoutMin.height());
        QVERIFY2(hint.height() <= 700 && hint.width() <= 1366, qPrintable(QString("%1x%2").arg(hint.width()).arg(hint.height())));
        QVERIFY2(layoutMin.height() <= 700 && layoutMin.width() <= 1366,
                 qPrintable(QString("%1x%2").arg(layoutMin.width()).arg(layoutMin.height())));
        w.resize(1366, 700);
        QTest::qWait(50);
        QCOMPARE(w.size(), QSize(1366, 700));
        QVERIFY(w.statusBar()->geometry().bottom() < 700);  // status and progress are on screen
    }

    void canvas_is_the_largest_area_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1366x768 less a taskbar") << QSize(1366, 700);
        QTest::newRow("1920x1080 less a taskbar") << QSize(1920, 1010);
    }
    void canvas_is_the_largest_area() {
        QFETCH(QSize, size);
        MainWindow w;
        w.openExample("deep_mlp.json");
        w.resize(size);
        w.show();
        w.resetLayout();
        QTest::qWait(100);
        const QWidget* canvas = w.centralWidget();
        const int canvasArea = canvas->width() * canvas->height();
        const auto [dockArea, dockName] = largest_dock_area(w);
        qInfo("%dx%d: canvas %dx%d, largest dock %s (%d px2)", size.width(), size.height(), canvas->width(),
              canvas->height(), qPrintable(dockName), dockArea);
        QVERIFY2(canvasArea > dockArea, qPrintable(dockName));
        auto* summary = w.findChild<QDockWidget*>("summaryDock");
        QVERIFY2(summary->height() >= 180, qPrintable(QString::number(summary->height())));  // the bottom tabs stay usable
        // The Training dock's form fits without scrolling at 1080p.
        if (size.height() > 1000) {
            w.openExample("spiral_mlp.json");  // 2-D data: the form shows its preview plot too
            auto* training = w.findChild<QDockWidget*>("trainingDock");
            training->raise();
            QTest::qWait(50);
            auto* form = w.setupPanel()->findChild<QScrollArea*>();
            QVERIFY(form);
            qInfo("training form needs %d px, the dock gives it %d", form->widget()->minimumSizeHint().height(),
                  form->viewport()->height());
            QCOMPARE(form->verticalScrollBar()->maximum(), 0);  // nothing to scroll to
        }
    }

    void reset_layout_restores_the_default() {
        MainWindow w;
        w.openExample("deep_mlp.json");
        w.resize(1366, 700);
        w.show();
        w.resetLayout();
        QTest::qWait(50);
        const QByteArray defaultState = w.saveState();
        auto* plots = w.findChild<QDockWidget*>("plotsDock");
        auto* palette = w.findChild<QDockWidget*>("paletteDock");
        auto* summary = w.findChild<QDockWidget*>("summaryDock");
        plots->setFloating(true);
        summary->close();
        w.addDockWidget(Qt::RightDockWidgetArea, palette);
        QTest::qWait(50);
        QVERIFY(w.saveState() != defaultState);
        w.resetLayout();
        QTest::qWait(50);
        QVERIFY(!plots->isFloating());
        QVERIFY(summary->toggleViewAction()->isChecked());
        QCOMPARE(w.dockWidgetArea(palette), Qt::LeftDockWidgetArea);
        for (const QString& name : kBottomDocks) {
            auto* d = w.findChild<QDockWidget*>(name);
            QCOMPARE(w.dockWidgetArea(d), Qt::BottomDockWidgetArea);
            QVERIFY2(d->toggleViewAction()->isChecked(), qPrintable(name));
        }
        QVERIFY(w.tabifiedDockWidgets(summary).contains(plots));
        QCOMPARE(front_bottom_dock(w), summary);  // the Summary tab in front, as at first start
        QCOMPARE(w.saveState(), defaultState);
        // The bottom panel collapses and comes back with the same tab in front.
        QAction* bottom = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->text() == "&Bottom panel") bottom = a;
        QVERIFY(bottom);
        plots->raise();
        bottom->setChecked(false);
        QTest::qWait(50);
        QVERIFY(!plots->isVisible() && !summary->isVisible());
        QCOMPARE(front_bottom_dock(w), nullptr);
        bottom->setChecked(true);
        QTest::qWait(50);
        QVERIFY(w.tabifiedDockWidgets(summary).contains(plots));
        QCOMPARE(front_bottom_dock(w), plots);
    }

    void layout_is_saved_and_restored() {
        {
            MainWindow w;
            w.openExample("deep_mlp.json");
            w.show();
            w.addDockWidget(Qt::RightDockWidgetArea, w.findChild<QDockWidget*>("paletteDock"));
            QVERIFY(w.close());  // unmodified: no question asked
        }
        QCOMPARE(QSettings().value("layout/version").toInt(), 1);
        {
            MainWindow w;
            QCOMPARE(w.dockWidgetArea(w.findChild<QDockWidget*>("paletteDock")), Qt::RightDockWidgetArea);
        }
        QSettings().setValue("layout/version", 0);  // a layout saved by an older version is ignored
        {
            MainWindow w;
            QCOMPARE(w.dockWidgetArea(w.findChild<QDockWidget*>("paletteDock")), Qt::LeftDockWidgetArea);
        }
        QSettings().remove("layout");
    }

    void empty_views_say_what_to_do() {
        MainWindow w;
        w.openExample("deep_mlp.json");
        w.resize(1366, 700);
        w.show();
        w.findChild<QDockWidget*>("runsDock")->raise();
        QTest::qWait(50);
        EmptyNote* runs = view_note(w.findChild<QDockWidget*>("runsDock")->widget());
        QVERIFY(runs && runs->isVisible());
        QVERIFY2(runs->text().startsWith("No runs yet: press Start in the Training dock"), qPrintable(runs->text()));
        QCOMPARE(runs->size(), w.findChild<QDockWidget*>("runsDock")->widget()->size());  // covers the empty plots
        auto* summaryPlot = w.summary()->findChild<QCustomPlot*>();
        QVERIFY(summaryPlot && !plot_note(summaryPlot)->isVisibleTo(summaryPlot));  // DeepMLP has layers
        w.document()->resetTo(ModelDocument::emptyModel());
        QTRY_VERIFY(plot_note(summaryPlot)->isVisibleTo(summaryPlot));
        QVERIFY(plot_note(summaryPlot)->text().startsWith("No layers yet"));
        w.openExample("deep_mlp.json");
        w.findChild<QDockWidget*>("plotsDock")->raise();
        QTest::qWait(50);
        EmptyNote* loss = plot_note(w.plots()->livePlot(TrainingPlots::LossTab));
        QVERIFY(loss && loss->isVisible());
        QVERIFY(loss->text().startsWith("No run yet: press Start"));
        w.findChild<QDockWidget*>("init_labDock")->raise();
        QTest::qWait(50);
        EmptyNote* lab = plot_note(w.initLab()->activationPlot());
        QVERIFY(lab && lab->isVisible());
        QVERIFY(lab->text().contains("press Run"));
        screenshot(w, "main_window_empty_init_lab");
        // After a measurement the curves show; another model opened: the note again, not the
        // previous model's curves.
        QSignalSpy labDone(w.initLab(), &InitLabView::finished);
        w.initLab()->run();
        QVERIFY(labDone.wait(60000));
        QTRY_VERIFY(!lab->isVisible());
        w.openExample("simple_net.json");
        QTRY_VERIFY(lab->isVisible());
    }

    // Pause: "Paused" and no ETA; resume: an ETA again. Then a finished run's status, curves and
    // the selection do not survive opening another model.
    void pause_then_open_another_model_resets_the_status() {
        MainWindow w;
        w.setRunsDirectory(m_dir.filePath("runs_status"));
        w.openExample("spiral_mlp.json");
        train::TrainSetup setup = quick_spirals_setup();
        setup.epochs = 400;
        w.setupPanel()->setSetup(setup);
        w.show();
        w.findChild<QDockWidget*>("plotsDock")->raise();
        QSignalSpy finished(w.controller(), &TrainingController::finished);
        QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
        w.startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(snapshots.count() > 40, 60000);
        QTRY_VERIFY2_WITH_TIMEOUT(w.progress()->text().contains("ETA") && !w.progress()->text().contains("estimating"),
                                  qPrintable(w.progress()->text()), 30000);
        QTRY_VERIFY(!plot_note(w.plots()->livePlot(TrainingPlots::LossTab))->isVisible());  // at the next redraw
        w.controller()->pause();
        QTest::qWait(300);  // snapshots queued before the pause arrive after it
        QVERIFY2(w.progress()->text().startsWith("Paused"), qPrintable(w.progress()->text()));
        QVERIFY2(!w.progress()->text().contains("ETA"), qPrintable(w.progress()->text()));
        w.controller()->resume();
        QTRY_VERIFY2_WITH_TIMEOUT(w.progress()->text().contains("ETA"), qPrintable(w.progress()->text()), 30000);
        w.controller()->stop();
        QVERIFY(finished.wait(60000));
        QVERIFY2(w.progress()->text().startsWith("Stopped"), qPrintable(w.progress()->text()));
        QWidget* runsDock = w.findChild<QDockWidget*>("runsDock")->widget();
        QVERIFY(!view_note(runsDock)->isVisibleTo(runsDock));  // one run now

        w.selection()->setPath({1});
        w.openExample("simple_net.json");
        QVERIFY2(w.progress()->text().isEmpty(), qPrintable(w.progress()->text()));
        QCOMPARE(w.progress()->percent(), 0);
        QVERIFY(w.selection()->path().empty());
        QCOMPARE(w.plots()->pointCount("loss/step"), 0);
        QTRY_VERIFY(plot_note(w.plots()->livePlot(TrainingPlots::LossTab))->isVisible());
        QVERIFY(view_note(runsDock)->isVisibleTo(runsDock));  // the example has no runs
    }

    // Two instances at once: the second gets its own slot, neither reports nor overwrites the
    // first one's live recovery file; once the first is gone (a crash), its file is offered.
    void second_instance_does_not_report_the_first_ones_autosave() {
        QTemporaryDir dir;
        const auto named = [](const char* name) {
            return [name] {
                project::Project p;
                p.model = ModelDocument::emptyModel();
                p.model.name = name;
                return p;
            };
        };
        QString firstFile;
        {
            auto first = std::make_unique<Autosave>(dir.path(), named("First"), [] { return true; });
            QVERIFY(first->saveNow());
            QVERIFY(first->pending().has_value());
            firstFile = first->pending()->recoveryFile;
            Autosave second(dir.path(), named("Second"), [] { return true; });
            QVERIFY(second.slot() != first->slot());
            QVERIFY(!second.pending().has_value());
            QVERIFY(second.saveNow());
            QVERIFY(second.pending()->recoveryFile != firstFile);
            QCOMPARE(project::load_project(firstFile.toStdString()).model.name, std::string("First"));
            second.discard();
            QVERIFY(QFileInfo::exists(firstFile));
            first.reset();  // the first instance goes away without a clean exit
            Autosave third(dir.path(), named("Third"), [] { return true; });
            QCOMPARE(third.slot(), 0);
            QVERIFY(third.pending().has_value());
            QCOMPARE(third.pending()->recoveryFile, firstFile);
        }
    }

    // Screenshots for review: every bottom dock in front, at 1366x768 and 1920x1080 (less a taskbar).
    void screenshots_of_every_bottom_dock() {
        MainWindow w;
        w.setRunsDirectory(m_dir.filePath("runs_shots"));
        w.openExample("deep_mlp.json");
        for (const QSize size : {QSize(1366, 700), QSize(1920, 1010)}) {
            w.resize(size);
            w.show();
            w.resetLayout();
            for (const QString& name : kBottomDocks) {
                w.findChild<QDockWidget*>(name)->raise();
                QTest::qWait(80);
                screenshot(w, QString("layout_%1x%2_%3").arg(size.width()).arg(size.height()).arg(name));
            }
            w.findChild<QDockWidget*>("trainingDock")->raise();
            QTest::qWait(80);
            screenshot(w, QString("layout_%1x%2_trainingDock").arg(size.width()).arg(size.height()));
        }
    }

    void dialogs_remember_the_last_folder_and_export_is_not_clipped() {
        QTemporaryDir dir;
        QDir(dir.path()).mkpath("weights");
        rememberFolder("weights", dir.filePath("weights/model.pth"));
        QCOMPARE(lastFolder("weights"), dir.filePath("weights"));
        QCOMPARE(lastFolder("code"), QDir::homePath());  // never used: the home folder
        QDir(dir.filePath("weights")).removeRecursively();
        QCOMPARE(lastFolder("weights"), QDir::homePath());  // gone: the home folder

        MainWindow w;
        w.openExample("deep_mlp.json");
        w.resize(1366, 700);
        w.show();
        w.findChild<QDockWidget*>("plotsDock")->raise();
        QTest::qWait(50);
        QToolButton* exportButton = nullptr;
        for (QToolButton* b : w.plots()->findChildren<QToolButton*>())
            if (b->text() == "Export") exportButton = b;
        QVERIFY(exportButton && exportButton->isVisible());
        QVERIFY(exportButton->width() >= exportButton->sizeHint().width());
        const QRect inPlots(exportButton->mapTo(w.plots(), QPoint(0, 0)), exportButton->size());
        QVERIFY2(w.plots()->rect().contains(inPlots) && inPlots.right() < w.plots()->width() - 2,
                 qPrintable(QString("button right %1, plots width %2").arg(inPlots.right()).arg(w.plots()->width())));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
