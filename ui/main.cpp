// nnstudio: the desktop app. Opens the default example (or a project/model file given on the
// command line) in the main window.
#include "app/main_window.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("NN Studio");
    QApplication::setOrganizationName("NN Studio");
    QApplication::setWindowIcon(QIcon(":/icons/nnstudio.svg"));
    nnstudio::ui::MainWindow window;
    window.openStartup(QApplication::arguments().mid(1));
    window.show();
    return app.exec();
}
