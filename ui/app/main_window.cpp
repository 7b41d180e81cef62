#include "app/main_window.h"

namespace nnstudio::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("NN Studio");
    resize(1400, 900);
}

void MainWindow::openStartup(const QStringList&) {}

}  // namespace nnstudio::ui
