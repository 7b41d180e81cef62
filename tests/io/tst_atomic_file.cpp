// write_file_atomically: the file is replaced whole, nothing is left behind, failures say why.
#include "error.h"
#include "util/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace nnstudio;

namespace {

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

}  // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private slots:
    void writesNewFileWithNoTemporaryLeft() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/model.nnstudio.json";
        write_file_atomically(path.toStdString(), std::string("{\"a\": 1}"));
        QCOMPARE(contents(path), QByteArray("{\"a\": 1}"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"model.nnstudio.json"});
    }

    void replacesExistingFileWhole() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/weights.pth";
        write_file_atomically(path.toStdString(), std::vector<uint8_t>(100000, 0xab));
        // Shorter content must not leave the tail of the old file behind.
        write_file_atomically(path.toStdString(), std::vector<uint8_t>{1, 2, 3});
        QCOMPARE(contents(path), QByteArray("\x01\x02\x03", 3));
        write_file_atomically(path.toStdString(), std::vector<uint8_t>{});
        QCOMPARE(QFileInfo(path).size(), qint64{0});
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void keepsPermissionsOfReplacedFile() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/shared.json";
        write_file_atomically(path.toStdString(), std::string("1"));
        QVERIFY(::chmod(path.toLocal8Bit().constData(), 0640) == 0);
        write_file_atomically(path.toStdString(), std::string("2"));
        struct stat st {};
        QVERIFY(::stat(path.toLocal8Bit().constData(), &st) == 0);
        QCOMPARE(st.st_mode & 07777, static_cast<mode_t>(0640));
        QCOMPARE(contents(path), QByteArray("2"));
    }

    void missingFolderGivesErrorNamingPath() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/no/such/folder/file.pth").toStdString();
        try {
            write_file_atomically(path, std::string("x"));
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
            QVERIFY2(QString(e.what()).contains("No such file or directory"), e.what());
        }
    }

    // Root ignores folder permissions, so it gets a folder no one can create files in.
    void unwritableFolderAsRootGivesError() {
        const std::string path = "/proc/nnstudio-test.pth";
        try {
            write_file_atomically(path, std::string("x"));
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
            QVERIFY2(QString(e.what()).contains("temporary file in '/proc'"), e.what());
        }
    }

    void unwritableFolderGivesErrorAndLeavesOldFile() {
        if (::geteuid() == 0) QSKIP("root ignores folder permissions (see unwritableFolderAsRootGivesError)");
        QTemporaryDir dir;
        const QString path = dir.path() + "/locked/file.pth";
        QVERIFY(QDir(dir.path()).mkdir("locked"));
        write_file_atomically(path.toStdString(), std::string("old"));
        QVERIFY(::chmod((dir.path() + "/locked").toLocal8Bit().constData(), 0555) == 0);
        try {
            write_file_atomically(path.toStdString(), std::string("new"));
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(path), e.what());
            QVERIFY2(QString(e.what()).contains("Permission denied"), e.what());
        }
        ::chmod((dir.path() + "/locked").toLocal8Bit().constData(), 0755);
        QCOMPARE(contents(path), QByteArray("old"));
        QCOMPARE(QDir(dir.path() + "/locked").entryList(QDir::Files | QDir::Hidden), QStringList{"file.pth"});
    }

    void targetThatIsAFolderFailsWithoutLeftovers() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("taken"));
        QVERIFY_THROWS_EXCEPTION(Error, write_file_atomically((dir.path() + "/taken").toStdString(), std::string("x")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{"taken"});
    }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
