// Help ▸ Lessons: one entry per lesson (lessons.h); choosing one opens its example, raises the
// dock where it shows and puts its explanation in the "Lesson" dock (a tab beside the layer
// palette, left of the canvas).
#pragma once
#include "lessons/lessons.h"

#include <QString>
#include <functional>

class QMainWindow;
class QMenu;

namespace nnstudio::ui {

// `openExample` opens a bundled example and returns false when the user kept the current model
// (e.g. cancelled "save changes?"): the lesson then changes nothing.
using ExampleOpener = std::function<bool(const QString& example)>;

void fillLessonsMenu(QMenu* menu, QMainWindow* window, const ExampleOpener& openExample);

// Hides the Lesson dock (another model opened: the lesson no longer describes what is shown).
void closeLesson(QMainWindow* window);

// What a menu entry does; false when the example was not opened.
bool showLesson(QMainWindow* window, const Lesson& lesson, const ExampleOpener& openExample);

}  // namespace nnstudio::ui
