// The folder each kind of file dialog last used ("projects", "weights", "code", "plots"),
// remembered in QSettings, so a dialog opens where the user last was instead of the home folder.
#pragma once
#include <QString>

namespace nnstudio::ui {

// The folder last used for `kind`; the home folder when none was, or it no longer exists.
QString lastFolder(const QString& kind);
// Remembers the folder of `filePath` (a file the user picked) for `kind`; empty paths are ignored.
void rememberFolder(const QString& kind, const QString& filePath);

}  // namespace nnstudio::ui
