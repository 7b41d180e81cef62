// MainWindow: the NN Studio desktop window (builder, inspector, summary, training dock, plots).
#pragma once
#include <QMainWindow>
#include <QStringList>

namespace nnstudio::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    // Opens the first file in `arguments`, or the default example when there is none.
    void openStartup(const QStringList& arguments);
};

}  // namespace nnstudio::ui
