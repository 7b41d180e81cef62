// Lessons: the teaching path of Help ▸ Lessons — each lesson of the nn.Module article the app
// teaches from (docs/TEACHING.md), the bundled example that shows it and the dock to look at.
#pragma once
#include <QString>
#include <vector>

namespace nnstudio::ui {

struct Lesson {
    QString title;    // the menu entry
    QString example;  // a bundled example (":/examples/<example>"), as MainWindow::openExample takes
    QString dock;     // objectName of the QDockWidget to raise, e.g. "init_labDock"
    QString tab;      // the tab to show when the dock holds a QTabWidget ("Flags"); "" for none
    QString html;     // a few sentences: what to look at and why it matters
};

const std::vector<Lesson>& lessons();  // in teaching order

}  // namespace nnstudio::ui
