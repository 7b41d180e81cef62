// Help ▸ Lessons: the menu entries and the lazily created "Lesson" dock (tabbed with the layer
// palette).
#include "lessons/lessons_menu.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QTabWidget>
#include <QTextBrowser>

namespace nnstudio::ui {
namespace {

QTextBrowser* lessonText(QMainWindow* window) {
    auto* dock = window->findChild<QDockWidget*>("lessonDock");
    if (!dock) {
        dock = new QDockWidget(QObject::tr("Lesson"), window);
        dock->setObjectName("lessonDock");
        auto* text = new QTextBrowser(dock);
        text->setOpenExternalLinks(false);
        dock->setWidget(text);
        // Beside the layer palette, on top: the canvas and the lesson's dock stay in view.
        if (auto* palette = window->findChild<QDockWidget*>("paletteDock")) {
            window->addDockWidget(window->dockWidgetArea(palette), dock);
            window->tabifyDockWidget(palette, dock);
        } else {
            window->addDockWidget(Qt::LeftDockWidgetArea, dock);
        }
        window->resizeDocks({dock}, {300}, Qt::Horizontal);
    }
    dock->show();
    dock->raise();
    return qobject_cast<QTextBrowser*>(dock->widget());
}

}  // namespace

void closeLesson(QMainWindow* window) {
    if (auto* dock = window->findChild<QDockWidget*>("lessonDock")) dock->hide();
}

bool showLesson(QMainWindow* window, const Lesson& lesson, const ExampleOpener& openExample) {
    if (!openExample(lesson.example)) return false;
    if (auto* dock = window->findChild<QDockWidget*>(lesson.dock)) {
        dock->show();
        dock->raise();
        if (auto* tabs = qobject_cast<QTabWidget*>(dock->widget()); tabs && !lesson.tab.isEmpty())
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->tabText(i) == lesson.tab) tabs->setCurrentIndex(i);
    }
    lessonText(window)->setHtml("<h3>" + lesson.title.toHtmlEscaped() + "</h3>" + lesson.html);
    return true;
}

void fillLessonsMenu(QMenu* menu, QMainWindow* window, const ExampleOpener& openExample) {
    for (const Lesson& lesson : lessons())
        menu->addAction(lesson.title, window, [window, lesson, openExample] { showLesson(window, lesson, openExample); });
}

}  // namespace nnstudio::ui
