// Last folders: QSettings keys "folders/<kind>".
#include "files/last_folder.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace nnstudio::ui {

QString lastFolder(const QString& kind) {
    const QString dir = QSettings().value("folders/" + kind).toString();
    return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : QDir::homePath();
}

void rememberFolder(const QString& kind, const QString& filePath) {
    if (filePath.isEmpty()) return;
    QSettings().setValue("folders/" + kind, QFileInfo(filePath).absolutePath());
}

}  // namespace nnstudio::ui
