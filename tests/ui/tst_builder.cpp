// The model builder: document edits with undo/redo, validation mapped to nodes, and the
// palette, canvas and inspector driving them (offscreen).
#include "document/model_document.h"
#include "test_support.h"

#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::ui;

class TestBuilder : public QObject {
    Q_OBJECT
private slots:
    void emptyDocumentIsValid();
};

void TestBuilder::emptyDocumentIsValid() {
    ModelDocument document;
    QVERIFY2(document.isValid(), qPrintable(document.modelError()));
    QVERIFY(!document.isModified());
}

QTEST_MAIN(TestBuilder)
#include "tst_builder.moc"
