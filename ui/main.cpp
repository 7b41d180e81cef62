// nnstudio: the desktop app. Opens a project/model file given on the command line, or the
// default example. --screenshot writes a picture of the window and exits (docs, reviews).
#include "app/main_window.h"
#include "register_backends.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char** argv) {
    nnstudio::register_builtin_backends();
    QApplication app(argc, argv);
    QApplication::setApplicationName("NN Studio");
    QApplication::setOrganizationName("NN Studio");
    QApplication::setApplicationVersion(NNSTUDIO_VERSION);
    QApplication::setWindowIcon(QIcon(":/icons/nnstudio.svg"));

    QCommandLineParser parser;
    parser.setApplicationDescription("NN Studio: design, train and inspect neural networks visually.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "A project (.nnsproj) or model file (.json) to open.");
    const QCommandLineOption example("example", "Open a bundled example, e.g. residual_network.json.", "name");
    const QCommandLineOption screenshot("screenshot", "Save a PNG of the window after start-up, then quit.", "path");
    parser.addOptions({example, screenshot});
    parser.process(app);

    nnstudio::ui::MainWindow window;
    window.openStartup(parser.positionalArguments());
    if (parser.isSet(example)) window.openExample(parser.value(example));
    window.show();
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(1500, &window, [&] {
            const bool ok = window.grab().save(parser.value(screenshot));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
