#include "files/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace nnstudio::ui {
namespace {
constexpr const char* kKey = "files/recent";
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu) {
    connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
    rebuildMenu();
}

QStringList RecentFiles::paths() const {
    QStringList existing;
    for (const QString& p : QSettings().value(kKey).toStringList())
        if (QFileInfo::exists(p)) existing << p;
    return existing;
}

void RecentFiles::add(const QString& path) {
    QStringList list = QSettings().value(kKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxEntries) list.removeLast();
    QSettings().setValue(kKey, list);
    rebuildMenu();
}

void RecentFiles::rebuildMenu() {
    m_menu->clear();
    const QStringList list = paths();
    for (int i = 0; i < list.size(); ++i) {
        const QString path = list[i];
        QAction* a = m_menu->addAction(QString("&%1  %2").arg(i + 1).arg(QDir::toNativeSeparators(path)));
        connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (list.isEmpty()) m_menu->addAction("(no recent files)")->setEnabled(false);
    m_menu->setEnabled(true);
}

}  // namespace nnstudio::ui
