// The "Decision boundary" dock: a PlaygroundPanel that follows the document's model and the
// training setup, shown while the setup trains on a built-in 2-D data set and hidden otherwise.
#pragma once

class QDockWidget;
class QMainWindow;

namespace nnstudio::ui {

class ProjectDocument;

// Follows `project`'s model and training setup. Adds the dock to `window`'s bottom area, tabified with `tabifyWith` (null: on its own), and
// raises it when the setup switches to a 2-D data set. Returns it (its widget: a PlaygroundPanel).
QDockWidget* addPlaygroundDock(QMainWindow* window, ProjectDocument* project, QDockWidget* tabifyWith);

}  // namespace nnstudio::ui
