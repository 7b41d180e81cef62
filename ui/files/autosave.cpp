// Autosave: recovery file per instance slot, written atomically; slots claimed with QLockFile.
#include "files/autosave.h"

#include "error.h"
#include "util/atomic_file.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace nnstudio::ui {

Autosave::Autosave(QString directory, std::function<project::Project()> snapshot, std::function<bool()> isModified,
                   QObject* parent)
    : QObject(parent), m_directory(std::move(directory)), m_snapshot(std::move(snapshot)),
      m_isModified(std::move(isModified)) {
    QDir().mkpath(m_directory);
    // Bounded: where no lock can be taken (a read-only folder) it ends on slot 64, unlocked.
    for (m_slot = 0; m_slot < 64; ++m_slot) {
        auto lock = std::make_unique<QLockFile>(slotFile(".lock"));
        lock->setStaleLockTime(0);  // only a dead owner makes a lock stale, never its age
        if (lock->tryLock(0)) {
            m_lock = std::move(lock);
            break;
        }
    }
    m_timer.setInterval(30'000);
    connect(&m_timer, &QTimer::timeout, this, [this] { saveNow(); });
    m_timer.start();
}

QString Autosave::defaultDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/autosave";
}

Autosave::~Autosave() = default;  // unlocks the slot

QString Autosave::slotFile(const QString& suffix) const {
    return m_directory + (m_slot == 0 ? QString("/recovery") : QString("/recovery-%1").arg(m_slot)) + suffix;
}
QString Autosave::recoveryFile() const { return slotFile(project::kProjectExtension); }
QString Autosave::noteFile() const { return slotFile(".json"); }

bool Autosave::saveNow() {
    if (!m_isModified()) return false;
    try {
        QDir().mkpath(m_directory);
        project::save_project(recoveryFile().toStdString(), m_snapshot());
        const QJsonObject note{{"original", m_originalFile},
                               {"saved_at", QDateTime::currentDateTime().toString(Qt::ISODate)}};
        write_file_atomically(noteFile().toStdString(), QJsonDocument(note).toJson().toStdString());
        return true;
    } catch (const Error&) {
        return false;  // a full disk must not interrupt editing; the next tick tries again
    }
}

void Autosave::discard() {
    QFile::remove(recoveryFile());
    QFile::remove(noteFile());
}

std::optional<Recovery> Autosave::pending() const {
    if (!QFileInfo::exists(recoveryFile())) return std::nullopt;
    Recovery r{recoveryFile(), {}, QFileInfo(recoveryFile()).lastModified().toString("yyyy-MM-dd hh:mm")};
    QFile note(noteFile());
    if (note.open(QIODevice::ReadOnly)) r.originalFile = QJsonDocument::fromJson(note.readAll()).object().value("original").toString();
    return r;
}

}  // namespace nnstudio::ui
