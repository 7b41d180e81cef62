// Every button of every dock (issue 12), offscreen at 1366x768: each is named, wired (a connected
// clicked/toggled/pressed signal, a default action or a menu), and, clicked as a user would, does
// what it says — a table holds the expected effect of each; an enabled button missing from the
// table fails with its name. Also: the teaching views fit a bottom dock and forget the previous
// model's results when another model is opened.
#include "app/main_window.h"
#include "builder/layer_palette.h"
#include "inspector/flags_panel.h"
#include "playground/playground_frame.h"
#include "playground/playground_panel.h"
#include "playground/playground_session.h"
#include "plots/live_plot.h"
#include "plots/training_plots.h"
#include "teach/gradient_inspector_view.h"
#include "teach/init_lab_view.h"
#include "teach/mode_compare_view.h"
#include "teach/pitfall_panel.h"
#include "teach/run_bar.h"
#include "document/model_document.h"
#include "training/data_source_editor.h"
#include "training/training_controller.h"
#include "training/training_setup_panel.h"
#include "test_support.h"
#include "ui_test_support.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMetaMethod>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <functional>
#include <map>
#include <set>

using namespace nnstudio;
using namespace nnstudio::ui;

namespace {

constexpr int kComputeMs = 120000;  // a teaching view's computation on a busy 2-core machine

// QObject::isSignalConnected is protected; a pointer to it named through a derived class is not.
struct SignalPeek : QObject {
    static bool connected(const QObject* object, const QMetaMethod& signal) {
        return (object->*(&SignalPeek::isSignalConnected))(signal);
    }
};

// A user can click it: not the dock's own title buttons, a tab bar's scroll arrows or a table's corner.
bool isDockButton(const QAbstractButton* b) {
    const QObject* parent = b->parent();
    return !qobject_cast<const QDockWidget*>(parent) && !qobject_cast<const QTabBar*>(parent) &&
           !qobject_cast<const QAbstractItemView*>(parent);
}

// Form inputs (read when a run starts) rather than commands: named, but neither wired nor clicked.
bool isFormInput(const QAbstractButton* b) { return qobject_cast<const QCheckBox*>(b) || qobject_cast<const QRadioButton*>(b); }

// The name a failure reports: objectName, else the text, else its default action's.
QString buttonName(const QAbstractButton* b) {
    if (!b->objectName().isEmpty()) return b->objectName();
    if (!b->text().isEmpty()) return QString(b->text()).remove('&');
    if (auto* tool = qobject_cast<const QToolButton*>(b); tool && tool->defaultAction()) {
        const QAction* a = tool->defaultAction();
        return a->objectName().isEmpty() ? a->text() : a->objectName();
    }
    return {};
}

bool isWired(const QAbstractButton* b) {
    if (auto* tool = qobject_cast<const QToolButton*>(b); tool && (tool->defaultAction() || tool->menu())) return true;
    for (const QMetaMethod& signal : {QMetaMethod::fromSignal(&QAbstractButton::clicked), QMetaMethod::fromSignal(&QAbstractButton::toggled),
                                      QMetaMethod::fromSignal(&QAbstractButton::pressed), QMetaMethod::fromSignal(&QAbstractButton::released)})
        if (SignalPeek::connected(b, signal)) return true;
    return false;
}

// "<dock objectName>/<button name>", with a flag's name replaced by * (the remove buttons are per flag).
QString tableKey(const QDockWidget* dock, const QAbstractButton* b) {
    QString name = buttonName(b);
    if (name.startsWith("removeFlag:")) name = "removeFlag:*";
    return dock->objectName() + "/" + name;
}

struct Found {
    QDockWidget* dock;
    QPointer<QAbstractButton> button;  // a click may rebuild a panel (Fix, remove flag)
    QString key;
};

QList<Found> dockButtons(MainWindow& w) {
    QList<Found> found;
    for (QDockWidget* dock : w.findChildren<QDockWidget*>())
        for (QAbstractButton* b : dock->findChildren<QAbstractButton*>())
            if (isDockButton(b)) found.push_back({dock, b, tableKey(dock, b)});
    return found;
}

// Clicks `b` as a user would and, when the click opens a modal dialog or a popup menu, closes it
// from a timer (so the test never hangs); returns the widget that was opened, if any.
QString clickClosingPopups(QAbstractButton* b) {
    QString opened;
    QTimer closer;
    closer.setInterval(50);
    QObject::connect(&closer, &QTimer::timeout, [&] {
        if (QWidget* popup = QApplication::activePopupWidget()) {
            opened = popup->metaObject()->className();
            if (auto* menu = qobject_cast<QMenu*>(popup)) opened += QString(":%1").arg(menu->actions().size());
            popup->close();
        } else if (QWidget* modal = QApplication::activeModalWidget()) {
            opened = modal->metaObject()->className();
            modal->close();
        }
    });
    closer.start();
    QTest::mouseClick(b, Qt::LeftButton);
    QTest::qWait(150);
    closer.stop();
    return opened;
}

template <class View>
bool clickAndWaitFinished(View* view, QAbstractButton* b) {
    QSignalSpy finished(view, &View::finished);
    QSignalSpy failed(view, &View::failed);
    QTest::mouseClick(b, Qt::LeftButton);
    QElapsedTimer waited;
    waited.start();
    while (finished.isEmpty() && failed.isEmpty() && waited.elapsed() < kComputeMs) QTest::qWait(20);
    if (!failed.isEmpty()) qWarning() << "failed:" << failed.first().first().toString();
    return finished.size() == 1;
}

int64_t frameStep(PlaygroundPanel* panel) { return panel->frame() ? panel->frame()->step : -1; }

QAbstractButton* buttonByText(QWidget* parent, const QString& text) {
    for (QAbstractButton* b : parent->findChildren<QAbstractButton*>())
        if (QString(b->text()).remove('&') == text) return b;
    return nullptr;
}

train::TrainSetup longSpiralsSetup() {
    train::TrainSetup s;
    s.data = "spirals";
    s.synthetic.samples = 600;
    s.epochs = 500;  // long enough to pause, resume and stop it
    s.batch_size = 32;
    s.optimizer = {"Adam", {{"lr", 0.01}}};
    s.stats_every = 5;
    return s;
}

bool hasFlag(MainWindow& w, const std::string& name) {
    for (const auto& [flag, value] : w.document()->spec().flags)
        if (flag == name) return true;
    return false;
}

QComboBox* dataSourceBox(MainWindow& w) { return w.setupPanel()->dataEditor()->findChild<QComboBox*>("dataSource"); }

// The expected effect of each button, by "<dock>/<name>": clicks it and asserts what a user would see.
using Effect = std::function<void(MainWindow&, QAbstractButton*)>;

std::map<QString, Effect> effects() {
    std::map<QString, Effect> t;
    // Training: Start runs, Pause pauses (the button then reads Resume and resumes), Stop stops.
    t["trainingDock/Start"] = [](MainWindow& w, QAbstractButton* b) {
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->isRunning(), 10000);
        LivePlot* loss = w.plots()->livePlot(TrainingPlots::LossTab);
        QTRY_VERIFY_WITH_TIMEOUT(loss->series("loss/step") && !loss->series("loss/step")->data()->isEmpty(), 30000);
    };
    t["trainingDock/Pause"] = [](MainWindow& w, QAbstractButton* b) {
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->isPaused(), 10000);
        QCOMPARE(QString(b->text()).remove('&'), QString("Resume"));
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isPaused(), 10000);
    };
    t["trainingDock/Stop"] = [](MainWindow& w, QAbstractButton* b) {
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isRunning(), 30000);
    };
    t["trainingDock/Browse…"] = [](MainWindow&, QAbstractButton* b) {
        QCOMPARE(clickClosingPopups(b), QString("QFileDialog"));
    };
    // Layers: the filter's clear button empties the filter.
    t["paletteDock/_q_qlineeditclearaction"] = [](MainWindow&, QAbstractButton* b) {
        auto* filter = qobject_cast<QLineEdit*>(b->parentWidget());
        QVERIFY(filter && !filter->text().isEmpty());
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY(filter->text().isEmpty());
    };
    // Plots: Export opens its menu (PNG, PDF, CSV).
    t["plotsDock/Export"] = [](MainWindow&, QAbstractButton* b) { QCOMPARE(clickClosingPopups(b), QString("QMenu:3")); };
    // Properties: Add flag adds the typed flag; its remove button removes it.
    t["inspectorDock/addFlag"] = [](MainWindow& w, QAbstractButton* b) {
        auto* name = w.flagsPanel()->findChild<QLineEdit*>("newFlagName");
        QVERIFY(name);
        name->setText("tested_flag");
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY(w.flagsPanel()->findChild<QCheckBox*>("flag:tested_flag"));
        QVERIFY(hasFlag(w, "tested_flag"));
    };
    t["inspectorDock/removeFlag:*"] = [](MainWindow& w, QAbstractButton* b) {
        const std::string flag = b->objectName().mid(QString("removeFlag:").size()).toStdString();
        QVERIFY(hasFlag(w, flag));
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY(!hasFlag(w, flag));
    };
    // The teaching views: Run computes, results arrive in their tables and plots.
    t["init_labDock/Run"] = [](MainWindow& w, QAbstractButton* b) {
        QVERIFY(clickAndWaitFinished(w.initLab(), b));
        QVERIFY(w.initLab()->numbersTable()->rowCount() > 0);
        QVERIFY(w.initLab()->layerPicker()->count() > 0);
    };
    t["init_labDock/Train each"] = [](MainWindow& w, QAbstractButton* b) {
        QVERIFY(clickAndWaitFinished(w.initLab(), b));
        QVERIFY(!w.initLab()->result()->runs.empty());
        QVERIFY(!w.initLab()->result()->runs.front().loss_curve.empty());
        QVERIFY(w.initLab()->lossPlot()->graphCount() > 0);
    };
    t["train_vs_evalDock/Run"] = [](MainWindow& w, QAbstractButton* b) {
        auto* view = w.findChild<ModeCompareView*>();
        QVERIFY(clickAndWaitFinished(view, b));
        QVERIFY(view->comparison().has_value());
        QVERIFY(!view->summaryTable()->item(0, 1)->text().isEmpty());
    };
    t["train_vs_evalDock/Batch of 1"] = [](MainWindow& w, QAbstractButton* b) {
        auto* view = w.findChild<ModeCompareView*>();
        QVERIFY(clickAndWaitFinished(view, b));
        QCOMPARE(view->comparison()->train.output.shape().front(), int64_t{1});
    };
    t["gradientsDock/Run"] = [](MainWindow& w, QAbstractButton* b) {
        auto* view = w.findChild<GradientInspectorView*>();
        QVERIFY(clickAndWaitFinished(view, b));
        QVERIFY(view->table()->rowCount() > 0);
    };
    // Pitfalls: Fix applies the finding's fix as one undoable edit; the finding goes.
    t["pitfallsDock/Fix"] = [](MainWindow& w, QAbstractButton* b) {
        const int findings = w.pitfalls()->count(), edits = w.document()->undoStack()->count();
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY(w.pitfalls()->count() < findings);
        QCOMPARE(w.document()->undoStack()->count(), edits + 1);
    };
    // Decision boundary: Play trains until clicked again; Step is one step; Reset goes back to step 0.
    t["decisionBoundaryDock/Play"] = [](MainWindow& w, QAbstractButton* b) {
        auto* panel = w.findChild<PlaygroundPanel*>();
        const int64_t before = frameStep(panel);
        QTest::mouseClick(b, Qt::LeftButton);
        QVERIFY(panel->session()->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(frameStep(panel) > before + 1, 20000);
        QTest::mouseClick(b, Qt::LeftButton);
        QVERIFY(!panel->session()->isPlaying());
    };
    t["decisionBoundaryDock/Step"] = [](MainWindow& w, QAbstractButton* b) {
        auto* panel = w.findChild<PlaygroundPanel*>();
        QTest::qWait(300);  // the last frame of a play
        const int64_t before = frameStep(panel);
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(frameStep(panel), before + 1, 10000);
    };
    t["decisionBoundaryDock/Reset"] = [](MainWindow& w, QAbstractButton* b) {
        auto* panel = w.findChild<PlaygroundPanel*>();
        QTRY_VERIFY_WITH_TIMEOUT(frameStep(panel) > 0, 10000);
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(frameStep(panel), int64_t{0}, 10000);
    };
    return t;
}

// The order buttons are clicked in (Start before Pause before Stop); keys not listed come last.
const QStringList kOrder = {"trainingDock/Start", "trainingDock/Pause", "trainingDock/Stop"};

}  // namespace

class TestDockButtons : public QObject {
    Q_OBJECT
    std::set<QString> m_clicked;  // every table key clicked at least once, over all the states

    // Checks every dock button of `w` in its current state, and clicks each enabled, visible one
    // not clicked before in an earlier state.
    void checkAndClickAll(MainWindow& w) {
        const std::map<QString, Effect> table = effects();
        QList<Found> found = dockButtons(w);
        QVERIFY(!found.isEmpty());
        QStringList unnamed, dead, missing;
        for (const Found& f : found) {
            if (buttonName(f.button).isEmpty()) unnamed << f.dock->objectName() + "/" + f.button->metaObject()->className();
            if (isFormInput(f.button)) continue;
            if (!isWired(f.button)) dead << f.key;
            if (f.button->isEnabled() && !table.count(f.key)) missing << f.key;
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable("buttons without a name or text: " + unnamed.join(", ")));
        QVERIFY2(dead.isEmpty(), qPrintable("buttons connected to nothing: " + dead.join(", ")));
        QVERIFY2(missing.isEmpty(), qPrintable("buttons without an expected effect in the table: " + missing.join(", ")));

        std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
            const auto rank = [](const QString& k) { return kOrder.contains(k) ? kOrder.indexOf(k) : kOrder.size(); };
            return rank(a.key) < rank(b.key);
        });
        for (const Found& f : found) {
            if (!f.button || isFormInput(f.button) || m_clicked.count(f.key)) continue;
            f.dock->show();
            f.dock->raise();
            // As a user would: the tab page that holds the button in front (Properties ▸ Flags).
            for (QWidget* page = f.button; page && page != f.dock; page = page->parentWidget())
                if (auto* stack = qobject_cast<QStackedWidget*>(page->parentWidget())) stack->setCurrentWidget(page);
            QTest::qWait(50);
            if (!f.button || !f.button->isEnabled() || !f.button->isVisibleTo(f.dock)) continue;
            qInfo("clicking %s", qPrintable(f.key));
            table.at(f.key)(w, f.button);
            if (QTest::currentTestFailed()) {
                qWarning("the effect of %s did not show", qPrintable(f.key));
                return;
            }
            m_clicked.insert(f.key);
        }
    }

private slots:
    // The wiring check itself: a button connected to nothing is dead; a connection or a menu is not.
    void the_wiring_check_finds_a_dead_button() {
        QPushButton dead("dead");
        QVERIFY(!isWired(&dead));
        QPushButton clicked("clicked");
        QObject::connect(&clicked, &QPushButton::clicked, [] {});
        QVERIFY(isWired(&clicked));
        QToolButton withMenu;
        QMenu menu;
        withMenu.setMenu(&menu);
        QVERIFY(isWired(&withMenu));
    }

    void every_button_is_named_wired_and_does_what_it_says() {
        MainWindow w;
        w.setRunsDirectory(QDir::tempPath() + "/nnstudio_dock_buttons_runs");
        w.openExample("spiral_mlp.json");
        w.setupPanel()->setSetup(longSpiralsSetup());
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.findChild<QDockWidget*>("decisionBoundaryDock")->raise();
        QTRY_VERIFY_WITH_TIMEOUT(w.findChild<PlaygroundPanel*>()->session(), 10000);

        checkAndClickAll(w);  // the spirals model as opened
        if (QTest::currentTestFailed()) return;
        // A flag shows its remove button.
        w.flagsPanel()->findChild<QLineEdit*>("newFlagName")->setText("another_flag");
        QTest::mouseClick(buttonByText(w.flagsPanel(), "Add flag"), Qt::LeftButton);
        checkAndClickAll(w);
        if (QTest::currentTestFailed()) return;
        // A filter typed into the Layers palette shows its clear button.
        QLineEdit* filter = w.palette()->findChild<QLineEdit*>();
        QVERIFY(filter);
        QTest::keyClicks(filter, "Lin");
        checkAndClickAll(w);
        if (QTest::currentTestFailed()) return;
        // Data the model does not fit (Fashion-MNIST's 784 inputs): the Pitfalls dock offers a Fix.
        QComboBox* source = dataSourceBox(w);
        QVERIFY(source);
        source->setCurrentIndex(source->findData("fashion-mnist"));
        QVERIFY(w.pitfalls()->count() > 0);
        checkAndClickAll(w);
        if (QTest::currentTestFailed()) return;
        // A CSV file as the data: its Browse… button.
        source->setCurrentIndex(source->findData("file"));
        checkAndClickAll(w);
        if (QTest::currentTestFailed()) return;

        // Every expectation in the table was exercised: no stale entries.
        QStringList unclicked;
        for (const auto& [key, effect] : effects())
            if (!m_clicked.count(key)) unclicked << key;
        QVERIFY2(unclicked.isEmpty(), qPrintable("table entries never clicked: " + unclicked.join(", ")));
    }

    // Every bottom dock fits its place at 1366x768 without scrolling.
    void bottom_docks_fit_at_1366x768() {
        MainWindow w;
        w.openExample("deep_mlp.json");
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (const char* name : {"summaryDock", "plotsDock", "init_labDock", "train_vs_evalDock", "gradientsDock", "pitfallsDock",
                                 "runsDock", "decisionBoundaryDock"}) {
            auto* dock = w.findChild<QDockWidget*>(name);
            QVERIFY2(dock, name);
            dock->show();
            dock->raise();
            QTest::qWait(100);
            // A long result line (a data set's description) must not make the dock scroll.
            if (auto* bar = dock->findChild<RunBar*>()) bar->showMessage(QString("DeepMLP on Fashion-MNIST ").repeated(12));
            QTest::qWait(50);
            auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
            QWidget* view = scroll ? scroll->widget() : dock->widget();
            qInfo("%s: dock %dx%d, view minimum %dx%d", name, dock->width(), dock->height(), view->minimumSizeHint().width(),
                  view->minimumSizeHint().height());
            QVERIFY2(view->minimumSizeHint().width() <= dock->width(), name);
            QVERIFY2(view->minimumSizeHint().height() <= dock->height(), name);
            if (scroll) QVERIFY2(!scroll->horizontalScrollBar()->isVisible() && !scroll->verticalScrollBar()->isVisible(), name);
        }
    }

    // After another model is opened, no teaching view keeps the previous model's results.
    void teaching_views_forget_the_previous_model() {
        MainWindow w;
        w.openExample("spiral_mlp.json");
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* modes = w.findChild<ModeCompareView*>();
        auto* gradients = w.findChild<GradientInspectorView*>();
        QSignalSpy labDone(w.initLab(), &InitLabView::finished), modesDone(modes, &ModeCompareView::finished),
            gradientsDone(gradients, &GradientInspectorView::finished);
        w.initLab()->run();
        modes->run();
        gradients->run();
        QTRY_VERIFY_WITH_TIMEOUT(!labDone.isEmpty() && !modesDone.isEmpty() && !gradientsDone.isEmpty(), kComputeMs);
        QVERIFY(w.initLab()->numbersTable()->rowCount() > 0);
        QVERIFY(w.initLab()->layerPicker()->count() > 0);
        QVERIFY(gradients->table()->rowCount() > 0);
        QVERIFY(!modes->summaryTable()->item(0, 1)->text().isEmpty());

        w.openExample("simple_net.json");
        QCOMPARE(w.initLab()->numbersTable()->rowCount(), 0);
        QCOMPARE(w.initLab()->layerPicker()->count(), 0);
        QVERIFY(!w.initLab()->result().has_value());
        QCOMPARE(w.initLab()->activationPlot()->graphCount(), 0);
        QCOMPARE(gradients->table()->rowCount(), 0);
        QVERIFY(!gradients->report().has_value());
        QVERIFY(!modes->comparison().has_value());
        QVERIFY(modes->summaryTable()->item(0, 1)->text().isEmpty());
        QCOMPARE(modes->batchNormTable()->rowCount(), 0);
    }
};

QTEST_MAIN(TestDockButtons)
#include "tst_dock_buttons.moc"
