// addPlaygroundDock: the dock and its wiring to the document and the training setup, coalesced
// (a file open changes both: one new session, not two).
#include "playground/playground_dock.h"

#include "data/synthetic.h"
#include "document/model_document.h"
#include "playground/playground_panel.h"
#include "document/project_document.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTimer>

namespace nnstudio::ui {

QDockWidget* addPlaygroundDock(QMainWindow* window, ProjectDocument* project, QDockWidget* tabifyWith) {
    ModelDocument* document = project->model();
    auto* panel = new PlaygroundPanel;
    auto* dock = new QDockWidget(QObject::tr("Decision boundary"), window);
    dock->setObjectName("decisionBoundaryDock");
    dock->setWidget(panel);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (tabifyWith) window->tabifyDockWidget(tabifyWith, dock);
    dock->hide();

    auto* pending = new QTimer(dock);
    pending->setSingleShot(true);
    pending->setInterval(0);
    auto shown_for_2d = std::make_shared<bool>(false);
    QObject::connect(pending, &QTimer::timeout, dock, [=] {
        const train::TrainSetup setup = project->setup();
        const bool two_d = data::is_synthetic_name(setup.data);
        if (!two_d) {
            panel->clear(QObject::tr("Choose a 2-D data set (spirals, moons, circles, xor, blobs) in the Training setup"));
            dock->hide();
            *shown_for_2d = false;
            return;
        }
        if (!*shown_for_2d) {  // only on the switch: a dock the user closed stays closed
            dock->show();
            dock->raise();
            *shown_for_2d = true;
        }
        if (!document->isValid()) {
            panel->clear(QObject::tr("The model does not build: %1").arg(document->firstError()));
            return;
        }
        const spec::ModelSpec& spec = document->spec();
        const spec::FlagValues flags(spec.flags.begin(), spec.flags.end());
        panel->setSource(spec, flags, setup);
    });
    const auto update = [pending] { pending->start(); };
    QObject::connect(document, &ModelDocument::changed, dock, update);
    QObject::connect(project, &ProjectDocument::setupChanged, dock, update);
    update();
    return dock;
}

}  // namespace nnstudio::ui
