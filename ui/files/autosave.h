// Autosave: while the project has unsaved changes, writes it every interval to a recovery file
// (atomically) with a note of the file it belongs to. A clean exit or a save removes it, so a
// recovery file found at start-up means the last session ended without saving (a crash).
#pragma once
#include "project/project.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <optional>

namespace nnstudio::ui {

struct Recovery {
    QString recoveryFile;   // the autosaved project
    QString originalFile;   // the file it was autosaved for ("" = never saved)
    QString savedAt;        // when, for the banner
};

class Autosave : public QObject {
    Q_OBJECT
public:
    // `directory` holds the recovery file (created when needed). `snapshot` returns the project
    // as it is now; `isModified` says whether there is anything to save.
    Autosave(QString directory, std::function<project::Project()> snapshot, std::function<bool()> isModified,
             QObject* parent = nullptr);

    void setOriginalFile(const QString& path) { m_originalFile = path; }
    void setInterval(int ms) { m_timer.setInterval(ms); }
    bool saveNow();   // false when nothing to save or the write failed
    void discard();   // removes the recovery file (after save, on clean exit, or when declined)

    std::optional<Recovery> pending() const;  // a recovery file left by an earlier session
    static QString defaultDirectory();        // <AppDataLocation>/autosave

private:
    QString recoveryFile() const;
    QString noteFile() const;

    QString m_directory;
    std::function<project::Project()> m_snapshot;
    std::function<bool()> m_isModified;
    QString m_originalFile;
    QTimer m_timer;
};

}  // namespace nnstudio::ui
