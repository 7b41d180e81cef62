// Issue 12's editing fixes (offscreen): models built by edits, as a user builds them, get working
// pitfall fixes (one undo entry each, undone by one undo); a Residual's skip path is a control in
// the inspector; a shape error stays on the node at fault (the canvas marks it, the layers before
// it keep their shapes and the summary shows them); the model is checked against the chosen data
// while editing, and those findings' fixes resolve them.
#include "app/main_window.h"
#include "builder/canvas_painter.h"
#include "builder/model_canvas.h"
#include "document/model_document.h"
#include "document/node_selection.h"
#include "files/autosave.h"
#include "inspector/node_inspector.h"
#include "summary/summary_view.h"
#include "teach/finding_card.h"
#include "teach/pitfall_panel.h"
#include "test_support.h"
#include "training/data_source_editor.h"
#include "training/training_setup_panel.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::ui;
using nlohmann::json;

namespace {

// A node as the palette makes it: no json_path (it was never read from a file).
spec::NodeSpec node(const std::string& name, const std::string& type, json options = json::object()) {
    spec::NodeSpec n;
    n.name = name;
    n.type = type;
    n.options = std::move(options);
    return n;
}

// 784 -> fc (128) -> block: Residual whose body goes 128 -> 64, identity skip -> head (10), by edits.
void buildResidualMismatch(ModelDocument& doc) {
    doc.resetTo(ModelDocument::emptyModel());
    QVERIFY(doc.insertNode({}, 0, node("fc", "Linear", {{"out_features", 128}})));
    QVERIFY(doc.insertNode({}, 1, node("block", "Residual")));
    QVERIFY(doc.insertNode({1}, 0, node("narrow", "Linear", {{"out_features", 64}})));
    QVERIFY(doc.insertNode({1}, 1, node("act", "ReLU")));
    QVERIFY(doc.insertNode({}, 2, node("head", "Linear", {{"out_features", 10}})));
}

int findingIndex(const PitfallPanel& panel, const std::string& id) {
    for (int i = 0; i < panel.count(); ++i)
        if (panel.findings()[static_cast<size_t>(i)].id == id) return i;
    return -1;
}

// Clicks the Fix button of finding `id` as a user would.
void clickFix(PitfallPanel& panel, const std::string& id) {
    const int index = findingIndex(panel, id);
    QVERIFY2(index >= 0, ("no finding " + id).c_str());
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);  // the cards of earlier checks
    const auto cards = panel.findChildren<FindingCard*>();  // in the findings' order
    QCOMPARE(static_cast<int>(cards.size()), panel.count());
    QPushButton* fix = cards[index]->fixButton();
    QVERIFY2(fix, ("finding " + id + " has no Fix button").c_str());
    fix->click();
}

// Pixels of the canvas's error colour inside `rect` of `image`.
int errorPixels(const QImage& image, const QRect& rect) {
    int n = 0;
    const QColor red = CanvasPainter::errorColor();
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - red.red()) < 30 && std::abs(c.green() - red.green()) < 30 && std::abs(c.blue() - red.blue()) < 30) ++n;
        }
    return n;
}

}  // namespace

class TestModelEditFixes : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        Autosave(Autosave::defaultDirectory(), {}, [] { return false; }).discard();
    }

    void fix_removes_an_inserted_softmax_as_one_undo_step() {
        ModelDocument doc;
        PitfallPanel panel(&doc);
        panel.resize(420, 360);
        panel.show();
        QVERIFY(doc.insertNode({}, 0, node("fc1", "Linear", {{"out_features", 128}})));
        QVERIFY(doc.insertNode({}, 1, node("act", "ReLU")));
        QVERIFY(doc.insertNode({}, 2, node("fc2", "Linear", {{"out_features", 10}})));
        QVERIFY(doc.insertNode({}, 3, node("probs", "Softmax", {{"dim", 1}})));
        QCOMPARE(panel.count(), 1);
        QCOMPARE(panel.findings().front().json_path, std::string("/root/children/3"));
        const int before = doc.undoStack()->count();
        clickFix(panel, "softmax_before_logits_loss");
        QCOMPARE(doc.spec().root.children.size(), size_t{3});
        QCOMPARE(doc.spec().root.children.back().name, std::string("fc2"));
        QCOMPARE(doc.undoStack()->count(), before + 1);
        QCOMPARE(panel.count(), 0);
        doc.undoStack()->undo();
        QCOMPARE(doc.spec().root.children.size(), size_t{4});
        QCOMPARE(doc.spec().root.children.back().type, std::string("Softmax"));
        QCOMPARE(panel.count(), 1);
        // Moved nodes are addressed where they are now: move the softmax away and back, fix again.
        QVERIFY(doc.moveNode({3}, {}, 0));
        QVERIFY(doc.moveNode({0}, {}, 4));
        QVERIFY(panel.applyFix(findingIndex(panel, "softmax_before_logits_loss")));
        QCOMPARE(doc.spec().root.children.size(), size_t{3});
    }

    void fix_adds_the_projection_of_a_residual_width_change() {
        ModelDocument doc;
        buildResidualMismatch(doc);
        PitfallPanel panel(&doc);
        panel.resize(420, 360);
        panel.show();
        QVERIFY(!doc.isValid());
        QCOMPARE(findingIndex(panel, "residual_width_mismatch"), 0);
        QVERIFY(QString::fromStdString(panel.findings().front().fix_description).contains("Skip path"));
        const int before = doc.undoStack()->count();
        clickFix(panel, "residual_width_mismatch");
        QCOMPARE(doc.spec().root.children[1].options["projection"], json::object());
        QCOMPARE(doc.undoStack()->count(), before + 1);
        QVERIFY2(doc.isValid(), qPrintable(doc.firstError()));
        QCOMPARE(findingIndex(panel, "residual_width_mismatch"), -1);
        QCOMPARE(doc.factsAt({2})->outputShape, (Shape{10}));
        doc.undoStack()->undo();
        QVERIFY(!doc.spec().root.children[1].options.contains("projection"));
        QVERIFY(!doc.isValid());
        QCOMPARE(findingIndex(panel, "residual_width_mismatch"), 0);
    }

    void a_fix_that_cannot_apply_says_why() {
        ModelDocument doc;
        buildResidualMismatch(doc);
        PitfallPanel panel(&doc);
        doc.setReadOnly(true);
        QString error;
        QVERIFY(!panel.applyFix(0, &error));
        QVERIFY2(error.contains("read-only"), qPrintable(error));
    }

    void inspector_sets_the_skip_path() {
        ModelDocument doc;
        buildResidualMismatch(doc);
        NodeSelection selection(&doc);
        NodeInspector inspector(&doc, &selection);
        inspector.show();
        selection.setPath({1});
        const auto skipPath = [&] {  // the inspector may rebuild its form after an edit
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            return inspector.findChild<QComboBox*>("projection");
        };
        QComboBox* skip = skipPath();
        QVERIFY(skip);
        QCOMPARE(skip->currentIndex(), 0);
        const int before = doc.undoStack()->count();
        skip->setCurrentIndex(1);
        QCOMPARE(doc.spec().root.children[1].options["projection"], json::object());
        QVERIFY2(doc.isValid(), qPrintable(doc.firstError()));
        QCOMPARE(doc.factsAt({1})->parameters, int64_t{128 * 64 + 64 + 128 * 64 + 64});  // body + projection
        QCOMPARE(doc.undoStack()->count(), before + 1);
        skip = skipPath();
        skip->setCurrentIndex(2);
        QCOMPARE(doc.spec().root.children[1].options["projection"], (json{{"bias", false}}));
        QVERIFY(doc.isValid());
        QCOMPARE(doc.factsAt({1})->parameters, int64_t{128 * 64 + 64 + 128 * 64});
        QCOMPARE(doc.undoStack()->count(), before + 1);  // changes of one control merge, as typing does
        skip = skipPath();
        skip->setCurrentIndex(3);  // nn.Sequential(nn.Linear(128, 64, bias=False), nn.BatchNorm1d(64))
        QCOMPARE(doc.spec().root.children[1].options["projection"], (json{{"bias", false}, {"batch_norm", true}}));
        QVERIFY2(doc.isValid(), qPrintable(doc.firstError()));
        QCOMPARE(doc.factsAt({1})->parameters, int64_t{128 * 64 + 64 + 128 * 64 + 2 * 64});  // + BatchNorm's γ, β
        QCOMPARE(skipPath()->currentIndex(), 3);
        skip = skipPath();
        skip->setCurrentIndex(2);  // back to a plain Linear: the BatchNorm goes
        QCOMPARE(doc.spec().root.children[1].options["projection"], (json{{"bias", false}}));
        QCOMPARE(doc.undoStack()->count(), before + 1);
        doc.undoStack()->undo();
        QVERIFY(!doc.spec().root.children[1].options.contains("projection"));
        skip = skipPath();
        QCOMPARE(skip->currentIndex(), 0);  // the control follows the document
        doc.undoStack()->redo();
        QCOMPARE(skipPath()->currentIndex(), 2);
        skipPath()->setCurrentIndex(0);
        QVERIFY(!doc.spec().root.children[1].options.contains("projection"));
        QVERIFY(!doc.isValid());
    }

    void a_shape_error_stays_on_its_node() {
        ModelDocument doc;
        buildResidualMismatch(doc);
        NodeSelection selection(&doc);
        // The node at fault: the Residual; the layers before it keep their facts.
        QVERIFY2(doc.errorAt({1}).contains("(64,)"), qPrintable(doc.errorAt({1})));
        QVERIFY(doc.errorAt({0}).isEmpty());
        QCOMPARE(doc.factsAt({0})->outputShape, (Shape{128}));
        QCOMPARE(doc.factsAt({0})->parameters, int64_t{784 * 128 + 128});
        QCOMPARE(doc.factsAt({1, 0})->outputShape, (Shape{64}));
        QCOMPARE(doc.factsAt({1, 0})->parameters, int64_t{128 * 64 + 64});
        QCOMPARE(doc.factsAt({1, 1})->outputShape, (Shape{64}));
        QVERIFY(!doc.factsAt({1}));  // its output is unknown
        QVERIFY(!doc.factsAt({2}));  // after the error: not built
        QVERIFY(!doc.factsAt({}));

        SummaryView summary;
        summary.showModel(doc.spec());
        QVERIFY2(summary.totalsText().contains("does not build") && summary.totalsText().contains("block"),
                 qPrintable(summary.totalsText()));
        auto* table = summary.findChild<QTableWidget*>("summaryTable");
        QStringList rows;
        for (int r = 0; r < table->rowCount(); ++r) rows << table->item(r, 0)->text().trimmed() + " " + table->item(r, 2)->text();
        QCOMPARE(rows, (QStringList{"fc (B, 128)", "block ?", "block.narrow (B, 64)", "block.act (B, 64)"}));
        QCOMPARE(table->item(1, 0)->foreground().color(), QColor(0xc0, 0x39, 0x2b));
        QCOMPARE(table->item(0, 3)->text(), QString("100,480"));

        // The canvas draws the node at fault in the error colour, and no other.
        ModelCanvas canvas(&doc, &selection);
        canvas.resize(700, 700);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        const QImage image = canvas.grab().toImage();
        QVERIFY(errorPixels(image, canvas.nodeRect({1})) > 50);
        QCOMPARE(errorPixels(image, canvas.nodeRect({0})), 0);
        QCOMPARE(errorPixels(image, canvas.nodeRect({1, 0})), 0);
        QVERIFY(image.save(test::screenshotDir() + "/canvas_local_shape_error.png"));
    }

    void data_findings_and_their_fixes() {
        struct Case {
            const char* data;
            int64_t input, outputs;
            std::string id;
        };
        for (const Case& c : {Case{"moons", 2, 3, "data_output_mismatch"}, Case{"moons", 784, 2, "data_input_mismatch"},
                              Case{"fashion-mnist", 784, 128, "data_output_mismatch"}}) {
            ModelDocument doc;
            doc.resetTo(ModelDocument::emptyModel());
            QVERIFY(doc.setInputShape({c.input}));
            QVERIFY(doc.insertNode({}, 0, node("fc", "Linear", {{"out_features", 16}})));
            QVERIFY(doc.insertNode({}, 1, node("act", "ReLU")));
            QVERIFY(doc.insertNode({}, 2, node("out", "Linear", {{"out_features", c.outputs}})));
            PitfallPanel panel(&doc);
            panel.resize(420, 360);
            panel.show();
            QCOMPARE(findingIndex(panel, c.id), -1);  // no data chosen yet: nothing to compare with
            train::TrainSetup setup;
            setup.data = c.data;
            panel.setSetup(setup);
            QCOMPARE(panel.count(), 1);
            QCOMPARE(panel.findings().front().id, c.id);
            const int before = doc.undoStack()->count();
            clickFix(panel, c.id);
            QCOMPARE(doc.undoStack()->count(), before + 1);
            QCOMPARE(panel.count(), 0);
            QCOMPARE(doc.factsAt({})->outputShape, (Shape{std::string(c.data) == "moons" ? 2 : 10}));
            QCOMPARE(doc.spec().input_shape, (Shape{std::string(c.data) == "moons" ? 2 : 784}));
            doc.undoStack()->undo();
            QCOMPARE(panel.count(), 1);
        }
    }

    void main_window_rechecks_when_the_data_changes() {
        MainWindow w;
        w.openExample("residual_network.json");  // 784 -> ... -> 10, trained on Fashion-MNIST
        w.show();
        QCOMPARE(w.pitfalls()->count(), 0);
        // The user picks moons in the training form: the input no longer fits, the output neither.
        QComboBox* source = nullptr;
        for (QComboBox* box : w.setupPanel()->dataEditor()->findChildren<QComboBox*>())
            if (box->findData("moons") >= 0) source = box;
        QVERIFY(source);
        source->setCurrentIndex(source->findData("moons"));
        QVERIFY(findingIndex(*w.pitfalls(), "data_input_mismatch") >= 0);
        QVERIFY(findingIndex(*w.pitfalls(), "data_output_mismatch") >= 0);
        QTest::qWait(50);
        QVERIFY(w.grab().save(test::screenshotDir() + "/main_window_data_findings.png"));
        clickFix(*w.pitfalls(), "data_input_mismatch");
        QCOMPARE(w.document()->spec().input_shape, (Shape{2}));
        QCOMPARE(findingIndex(*w.pitfalls(), "data_input_mismatch"), -1);
        // Back to Fashion-MNIST: the 2-wide input is flagged again.
        source->setCurrentIndex(source->findData("fashion-mnist"));
        QVERIFY(findingIndex(*w.pitfalls(), "data_input_mismatch") >= 0);
    }
};

QTEST_MAIN(TestModelEditFixes)
#include "tst_model_edit_fixes.moc"
