// The model builder: document edits with undo/redo, validation mapped to nodes, and the
// palette, canvas and inspector driving them (offscreen).
#include "builder/model_canvas.h"
#include "document/model_document.h"
#include "document/node_selection.h"
#include "spec/model_spec.h"
#include "test_support.h"

#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::ui;

class TestBuilder : public QObject {
    Q_OBJECT
private slots:
    void emptyDocumentIsValid();
    void screenshot();
};

void TestBuilder::screenshot() {
    ModelDocument document;
    document.resetTo(spec::load_model_spec((test::source_dir() + "/resources/models/residual_network.json").toStdString()));
    NodeSelection selection(&document);
    ModelCanvas canvas(&document, &selection);
    canvas.resize(520, 400);
    selection.setPath({3, 0, 1});
    canvas.resize(520, canvas.minimumHeight());
    canvas.grab().save(QString(QT_TESTCASE_BUILDDIR) + "/canvas_residual_network.png");
}

void TestBuilder::emptyDocumentIsValid() {
    ModelDocument document;
    QVERIFY2(document.isValid(), qPrintable(document.modelError()));
    QVERIFY(!document.isModified());
}

QTEST_MAIN(TestBuilder)
#include "tst_builder.moc"
