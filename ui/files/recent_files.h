// RecentFiles: the File ▸ Open Recent list, most recent first, kept in QSettings; files that no
// longer exist are dropped when the menu is shown.
#pragma once
#include <QObject>
#include <QStringList>

class QMenu;

namespace nnstudio::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 8;
    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    QStringList paths() const;

signals:
    void openRequested(const QString& path);

private:
    void rebuildMenu();
    QMenu* m_menu;
};

}  // namespace nnstudio::ui
