// MainWindow's teaching views (docs/TEACHING.md): init lab, train vs eval, gradient inspector,
// pitfall checker and run comparison, as tabs beside the summary and plots, kept in step with
// the document, the training setup, the current weights and the project's runs.
#include "app/main_window.h"

#include "document/model_document.h"
#include "document/node_selection.h"
#include "document/project_document.h"
#include "plots/empty_note.h"
#include "teach/gradient_inspector_view.h"
#include "teach/init_lab_view.h"
#include "teach/mode_compare_view.h"
#include "teach/pitfall_panel.h"
#include "teach/run_comparison_view.h"

#include <QDockWidget>
#include <QFileInfo>

namespace nnstudio::ui {

void MainWindow::buildTeachDocks(QDockWidget* tabifyWith) {
    m_initLab = new InitLabView;
    m_modeCompare = new ModeCompareView;
    m_gradients = new GradientInspectorView;
    m_pitfalls = new PitfallPanel(m_document);
    m_runComparison = new RunComparisonView;
    const std::vector<std::pair<QWidget*, QString>> views = {{m_initLab, "Init lab"},
                                                             {m_modeCompare, "Train vs eval"},
                                                             {m_gradients, "Gradients"},
                                                             {m_pitfalls, "Pitfalls"},
                                                             {m_runComparison, "Runs"}};
    QDockWidget* previous = tabifyWith;
    for (const auto& [view, title] : views) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(title.toLower().replace(' ', '_') + "Dock");
        d->setWidget(view);
        addDockWidget(Qt::BottomDockWidgetArea, d);
        tabifyDockWidget(previous, d);
        previous = d;
        if (view == m_pitfalls) m_pitfallsDock = d;
        if (view == m_runComparison)
            connect(d, &QDockWidget::visibilityChanged, this, [this](bool visible) {
                if (visible && m_runsOutdated) updateRunComparison();
            });
    }
    connect(m_pitfalls, &PitfallPanel::countChanged, this, [this](int n) {
        m_pitfallsDock->setWindowTitle(n == 0 ? QString("Pitfalls") : QString("Pitfalls (%1)").arg(n));
    });
    connect(m_pitfalls, &PitfallPanel::nodeRequested, m_selection, &NodeSelection::setPath);
    connect(m_pitfalls, &PitfallPanel::setupFixRequested, m_project, &ProjectDocument::setSetup);
    connect(m_project, &ProjectDocument::setupChanged, this, &MainWindow::updateTeachViews);
    connect(m_project, &ProjectDocument::weightsChanged, this, &MainWindow::updateTeachViews);
    connect(m_project, &ProjectDocument::runsChanged, this, &MainWindow::updateRunComparison);
}

void MainWindow::updateTeachViews() {
    const spec::ModelSpec& spec = m_document->spec();
    spec::FlagValues flags;
    for (const auto& [name, value] : spec.flags) flags[name] = value;
    const train::TrainSetup& setup = m_project->setup();
    m_initLab->setModel(spec);
    m_initLab->setFlags(flags);
    m_initLab->setSetup(setup);
    m_modeCompare->setModel(spec);
    m_modeCompare->setFlags(flags);
    m_modeCompare->setSetup(setup);
    m_modeCompare->setWeights(weights());
    m_gradients->setModel(spec);
    m_gradients->setFlags(flags);
    m_gradients->setSetup(setup);
    m_gradients->setWeights(weights());
    m_pitfalls->setSetup(setup);
}

void MainWindow::updateRunComparison() {
    m_runsNote->setEmpty(m_project->runs().empty());
    // Reading and plotting every run costs tens of milliseconds: only for a view that is seen.
    m_runsOutdated = !m_runComparison->isVisible();
    if (m_runsOutdated) return;
    m_runComparison->setRuns(m_project->runs(), currentFile().isEmpty() ? QString() : QFileInfo(currentFile()).absolutePath());
}

}  // namespace nnstudio::ui
