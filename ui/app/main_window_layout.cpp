// MainWindow's layout: docks that fit a 1366x768 screen with the canvas the largest area (big
// dock contents scroll inside their dock), the layout saved and restored with a version number,
// View > Reset layout and the collapsible bottom panel, and the notes shown by empty views.
#include "app/main_window.h"

#include "document/project_document.h"
#include "plots/empty_note.h"
#include "plots/training_plots.h"
#include "summary/summary_view.h"
#include "teach/gradient_inspector_view.h"
#include "teach/init_lab_view.h"
#include "teach/mode_compare_view.h"
#include "teach/run_comparison_view.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QTimer>

namespace nnstudio::ui {
namespace {

// Bump when docks are added, renamed or moved between areas: an older saved state is then ignored.
constexpr int kLayoutVersion = 1;

// The most a dock's contents may ask for; larger ones scroll inside the dock. Bottom: the sum of
// menu, canvas minimum, dock and status bar heights stays under 700 px (1366x768 less a taskbar).
constexpr QSize kBottomBudget(560, 170);
constexpr QSize kSideBudget(340, 420);

}  // namespace

void MainWindow::fitDocks() {
    // The side docks take the full height, so the Training dock's form is not squeezed by the
    // bottom tabs, which span only the canvas's width.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    for (QDockWidget* d : findChildren<QDockWidget*>()) {
        const bool bottom = dockWidgetArea(d) == Qt::BottomDockWidgetArea;
        const QSize budget = bottom ? kBottomBudget : kSideBudget;
        QWidget* content = d->widget();
        const QSize wanted = content->minimumSizeHint();
        if (wanted.height() > budget.height() || wanted.width() > budget.width()) {
            auto* scroll = new QScrollArea;
            scroll->setObjectName(d->objectName() + "Scroll");
            scroll->setFrameShape(QFrame::NoFrame);
            scroll->setWidgetResizable(true);
            scroll->setWidget(content);
            d->setWidget(scroll);
        }
        // Small enough to fit, large enough that a dock dragged smaller still shows something.
        d->widget()->setMinimumSize(bottom ? QSize(240, 120) : QSize(180, 160));
    }

    // One sentence per view: on each plot of the tabbed training plots (one shows at a time), on
    // the first plot of the side-by-side views (the others are covered blank).
    EmptyNote::whenPlotsEmpty(m_plots, tr("No run yet: press Start in the Training dock (Ctrl+R). The loss, accuracy, "
                                          "gradients, weights and confusion matrix of the run fill in here as it trains."));
    EmptyNote::whenPlotsEmpty(m_summary, tr("No layers yet: drag one from the Layers palette onto the canvas "
                                            "(or double-click it)."));
    EmptyNote::whenPlotsEmpty(m_initLab, tr("Nothing measured yet: tick the schemes to compare and press Run. Each "
                                            "layer's activation and gradient spread at initialisation is plotted here."));
    EmptyNote::whenPlotsEmpty(m_modeCompare, tr("Nothing compared yet: press Run to see what BatchNorm and Dropout do "
                                                "differently in train() and eval() mode on one batch."), true);
    EmptyNote::whenPlotsEmpty(m_gradients, tr("Nothing measured yet: press Run to see every parameter's gradient on one batch."), true);
    EmptyNote::whenPlotsEmpty(m_runComparison, tr("Tick a run in the list to plot it."));
    // Over the whole dock (its scroll area when it has one): the sentence stays in view.
    m_runsNote = new EmptyNote(findChild<QDockWidget*>("runsDock")->widget(),
                               tr("No runs yet: press Start in the Training dock (Ctrl+R). Every run of this project "
                                  "is listed here; the runs you tick are compared side by side (loss, accuracy, "
                                  "gradients and the settings that differ)."));
    m_runsNote->setEmpty(m_project->runs().empty());

    m_bottomPanelAction = new QAction(tr("&Bottom panel"), this);
    m_bottomPanelAction->setCheckable(true);
    m_bottomPanelAction->setChecked(true);
    m_bottomPanelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    m_bottomPanelAction->setToolTip(tr("Hide the bottom tabs to give the canvas the whole height, or show them again"));
    connect(m_bottomPanelAction, &QAction::toggled, this, [this](bool shown) {
        // Hidden docks keep their place in the tabs; the docks the user had closed stay closed,
        // and the tab that was in front comes back in front.
        QList<QDockWidget*> bottom;
        for (QDockWidget* d : findChildren<QDockWidget*>())
            if (dockWidgetArea(d) == Qt::BottomDockWidgetArea && !d->isFloating()) bottom << d;
        QDockWidget* front = nullptr;
        if (!shown) {
            // Recorded before any is hidden: hiding the front tab brings another to the front.
            for (QDockWidget* d : bottom) {
                d->setProperty("shownInBottomPanel", d->toggleViewAction()->isChecked());
                d->setProperty("frontInBottomPanel", d->isVisible());
            }
            for (QDockWidget* d : bottom) d->hide();
        } else {
            for (QDockWidget* d : bottom) {
                if (!d->property("shownInBottomPanel").toBool()) continue;
                d->show();
                if (d->property("frontInBottomPanel").toBool()) front = d;
            }
        }
        // After the tab bar has taken the shown docks back (it updates at the next event loop turn).
        if (front) QTimer::singleShot(0, front, &QDockWidget::raise);
    });
    m_resetLayoutAction = new QAction(tr("&Reset layout"), this);
    m_resetLayoutAction->setToolTip(tr("Put every dock back where it was when NN Studio was installed"));
    connect(m_resetLayoutAction, &QAction::triggered, this, &MainWindow::resetLayout);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_bottomPanelAction);
    m_viewMenu->addAction(m_resetLayoutAction);

    m_defaultLayout = saveState(kLayoutVersion);
}

void MainWindow::applyDefaultDockSizes() {
    const auto docks = [this](const char* name) { return findChild<QDockWidget*>(name); };
    const int w = width(), h = height();
    // Side docks narrow on small screens, so the canvas stays the largest area (a user at 1366x768
    // found it no bigger than Properties); the bottom tabs keep the height their views need.
    resizeDocks({docks("paletteDock")}, {w < 1600 ? 180 : 230}, Qt::Horizontal);
    resizeDocks({docks("inspectorDock")}, {w < 1600 ? 340 : 420}, Qt::Horizontal);
    resizeDocks({docks("summaryDock")}, {h * 42 / 100}, Qt::Vertical);
}

void MainWindow::restoreLayout() {
    const QSettings settings;
    if (settings.value("layout/version").toInt() == kLayoutVersion &&
        restoreGeometry(settings.value("layout/geometry").toByteArray()) &&
        restoreState(settings.value("layout/state").toByteArray(), kLayoutVersion))
        return;
    // First start (or an older layout): nearly the whole screen it is on, at most 1920x1200.
    if (const QScreen* s = screen()) {
        const QSize available = s->availableGeometry().size();
        resize(std::min(available.width() * 96 / 100, 1920), std::min(available.height() * 96 / 100, 1200));
    }
    applyDefaultDockSizes();
}

void MainWindow::saveLayout() const {
    QSettings settings;
    settings.setValue("layout/version", kLayoutVersion);
    settings.setValue("layout/geometry", saveGeometry());
    settings.setValue("layout/state", saveState(kLayoutVersion));
}

void MainWindow::resetLayout() {
    restoreState(m_defaultLayout, kLayoutVersion);
    const QSignalBlocker block(m_bottomPanelAction);
    m_bottomPanelAction->setChecked(true);
    applyDefaultDockSizes();
    findChild<QDockWidget*>("summaryDock")->raise();
    findChild<QDockWidget*>("inspectorDock")->raise();
}

}  // namespace nnstudio::ui
