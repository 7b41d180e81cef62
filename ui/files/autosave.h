// Autosave: while the project has unsaved changes, writes it every interval to a recovery file
// (atomically) with a note of the file it belongs to. A clean exit or a save removes it, so a
// recovery file found at start-up means the last session ended without saving (a crash).
// Each running instance holds a lock (QLockFile) on its own slot of the directory, so a second
// instance writes its own recovery file and never offers, nor overwrites, the first one's.
#pragma once
#include "project/project.h"

#include <QLockFile>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <memory>
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
    // as it is now; `isModified` says whether there is anything to save. Takes the first slot
    // whose lock no live instance holds (slot 0: recovery.nnsproj, slot n: recovery-n.nnsproj);
    // a lock left by a crashed process is stale and taken over, with its recovery file.
    Autosave(QString directory, std::function<project::Project()> snapshot, std::function<bool()> isModified,
             QObject* parent = nullptr);
    ~Autosave() override;

    void setOriginalFile(const QString& path) { m_originalFile = path; }
    void setInterval(int ms) { m_timer.setInterval(ms); }
    bool saveNow();   // false when nothing to save or the write failed
    void discard();   // removes the recovery file (after save, on clean exit, or when declined)

    // A recovery file left in this instance's slot by an earlier session that ended without
    // saving; never another live instance's.
    std::optional<Recovery> pending() const;
    int slot() const { return m_slot; }
    static QString defaultDirectory();        // <AppDataLocation>/autosave

private:
    QString recoveryFile() const;
    QString noteFile() const;
    QString slotFile(const QString& suffix) const;

    QString m_directory;
    std::function<project::Project()> m_snapshot;
    std::function<bool()> m_isModified;
    QString m_originalFile;
    QTimer m_timer;
    std::unique_ptr<QLockFile> m_lock;  // held while this instance lives
    int m_slot = 0;
};

}  // namespace nnstudio::ui
