// The model builder: the seed's ResidualNetwork built from an empty document through the
// palette and the inspector (and undone and redone), every kind of edit undone and redone,
// refusals with messages, errors mapped to the node at fault and drawn on the canvas, the
// clipboard, drops, flags and read-only mode (offscreen).
#include "builder/layer_catalog.h"
#include "builder/layer_palette.h"
#include "builder/model_canvas.h"
#include "document/model_document.h"
#include "document/node_json.h"
#include "document/node_selection.h"
#include "document/spec_error_location.h"
#include "inspector/flags_panel.h"
#include "inspector/node_inspector.h"
#include "spec/model_spec.h"
#include "test_support.h"
#include "ui_test_support.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::ui;
using nlohmann::json;

namespace {

spec::ModelSpec seedModel(const QString& file) {
    return spec::load_model_spec((test::source_dir() + "/resources/models/" + file).toStdString());
}

// The model file as compared: re-serialised, without the free-text "comment".
json comparable(const spec::ModelSpec& model) {
    json j = spec::to_json(model);
    j.erase("comment");
    return j;
}

QString screenshotPath(const QString& name) { return test::screenshotDir() + "/" + name; }

// The builder as the app shows it: palette, canvas, inspector and flags around one document.
struct Workbench {
    ModelDocument document;
    NodeSelection selection{&document};
    QWidget window;
    LayerPalette* palette = new LayerPalette(&document, &selection);
    ModelCanvas* canvas = new ModelCanvas(&document, &selection);
    NodeInspector* inspector = new NodeInspector(&document, &selection);
    FlagsPanel* flags = new FlagsPanel(&document);

    Workbench() {
        auto* layout = new QHBoxLayout(&window);
        layout->addWidget(palette);
        layout->addWidget(canvas, 1);
        layout->addWidget(inspector);
        layout->addWidget(flags);
        window.resize(1400, 900);
        window.show();
    }
    template <typename W>
    W* field(const QString& name) const {
        return inspector->findChild<W*>(name);
    }
    // Types into the inspector's line edit `name` (replacing its text) as a user would.
    void type(const QString& name, const QString& text) const {
        QLineEdit* edit = field<QLineEdit>(name);
        QVERIFY2(edit, qPrintable("no line edit " + name));
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }
    QImage canvasImage(int width = 560) const {
        canvas->resize(width, canvas->minimumHeight());
        return canvas->grab().toImage();
    }
};

bool reddish(QRgb c) { return qRed(c) > 170 && qGreen(c) < 100 && qBlue(c) < 100; }

// Counts red pixels inside `rect` of `image`.
int redPixels(const QImage& image, const QRect& rect) {
    int count = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x)
            if (image.valid(x, y) && reddish(image.pixel(x, y))) ++count;
    return count;
}

}  // namespace

class TestBuilder : public QObject {
    Q_OBJECT
private slots:
    void emptyDocumentIsValid();
    void buildResidualNetworkThroughTheUi();
    void everyEditUndoesAndRedoes_data();
    void everyEditUndoesAndRedoes();
    void moveUsesTheGapBeforeTheMove();
    void invalidNamesAreRefusedWithAMessage();
    void invalidOptionsAreRefused();
    void shapeErrorIsShownOnTheResidualBlock();
    void errorPathsMapToNodes();
    void copyCutPaste();
    void paletteDropInsertsWhereTheIndicatorIs();
    void paletteFilter();
    void inspectorShowsDeclaredOptions();
    void canvasKeyboard();
    void flagsPanelTogglesAndGreysOut();
    void readOnlyRefusesEdits();
    void typingMergesIntoOneUndoStep();
    void randomEditsNeverBreakTheDocument();
    void hugeModelsAreNotBuilt();
    void screenshotResidualNetwork();
};

void TestBuilder::emptyDocumentIsValid() {
    ModelDocument document;
    QVERIFY2(document.isValid(), qPrintable(document.modelError()));
    QVERIFY(!document.isModified());
    QCOMPARE(document.spec().root.type, std::string("Sequential"));
}

void TestBuilder::buildResidualNetworkThroughTheUi() {
    Workbench w;
    const json empty = comparable(w.document.spec());
    w.selection.setPath({});

    // The model itself: name and default initializer.
    w.type("modelName", "ResidualNetwork");
    auto* defaultInit = w.inspector->findChild<QWidget*>("defaultInit");
    QVERIFY(defaultInit);
    defaultInit->findChild<QComboBox*>("scheme")->setCurrentText("kaiming_uniform");
    defaultInit->findChild<QComboBox*>("nonlinearity")->setCurrentText("relu");

    const auto insert = [&](const QString& type) { QVERIFY2(w.palette->insertType(type), qPrintable(type)); };
    insert("Linear");
    w.type("name", "input_layer");
    w.field<QSpinBox>("out_features")->setValue(256);
    insert("BatchNorm1d");
    w.type("name", "bn_input");
    insert("ReLU");
    w.type("name", "relu");
    insert("ModuleList");
    QCOMPARE(w.selection.path(), (NodePath{3}));
    w.type("name", "blocks");
    w.field<QSpinBox>("repeat")->setValue(4);

    // The template: a Residual with ReLU after the add, and its body.
    w.canvas->setSelectedPath({3, 0});
    w.field<QComboBox>("containerType")->setCurrentText("Residual");
    w.field<QComboBox>("after_add")->setCurrentText("ReLU");
    insert("Linear");
    QCOMPARE(w.selection.path(), (NodePath{3, 0, 0}));
    w.type("name", "fc1");
    w.field<QSpinBox>("out_features")->setValue(128);
    insert("BatchNorm1d");
    w.type("name", "bn1");
    insert("ReLU");
    w.type("name", "relu");
    insert("Dropout");
    w.type("name", "dropout");
    w.field<QDoubleSpinBox>("p")->setValue(0.2);
    insert("Linear");
    w.type("name", "fc2");
    w.field<QSpinBox>("out_features")->setValue(256);
    insert("BatchNorm1d");
    w.type("name", "bn2");

    // After the ModuleList (selecting it inserts after it: a template list takes no new children).
    w.canvas->setSelectedPath({3});
    insert("Linear");
    QCOMPARE(w.selection.path(), (NodePath{4}));
    w.type("name", "output_layer");
    w.field<QSpinBox>("out_features")->setValue(10);

    const json expected = comparable(seedModel("residual_network.json"));
    const json built = comparable(w.document.spec());
    QCOMPARE(QString::fromStdString(built.dump(2)), QString::fromStdString(expected.dump(2)));
    QVERIFY2(w.document.isValid(), qPrintable(w.document.modelError()));
    QCOMPARE(w.document.factsAt({})->parameters, int64_t{470794});
    QVERIFY(w.document.isModified());

    // Undo every edit back to the empty model, then redo back to ResidualNetwork.
    QUndoStack* stack = w.document.undoStack();
    QVERIFY2(stack->count() >= 20, qPrintable(QString::number(stack->count())));
    while (stack->canUndo()) stack->undo();
    QCOMPARE(QString::fromStdString(comparable(w.document.spec()).dump(2)), QString::fromStdString(empty.dump(2)));
    QVERIFY(!w.document.isModified());
    while (stack->canRedo()) stack->redo();
    QCOMPARE(QString::fromStdString(comparable(w.document.spec()).dump(2)), QString::fromStdString(expected.dump(2)));
}

using Edit = std::function<bool(ModelDocument&)>;
Q_DECLARE_METATYPE(Edit)

void TestBuilder::everyEditUndoesAndRedoes_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<Edit>("edit");
    const QString conditional = "conditional_net.json", residual = "residual_network.json";
    spec::NodeSpec gelu;
    gelu.type = "GELU";
    QTest::newRow("insert") << conditional << Edit([=](ModelDocument& d) { return d.insertNode({}, 2, gelu); });
    QTest::newRow("insert into template") << residual << Edit([=](ModelDocument& d) { return d.insertNode({3, 0}, 6, gelu); });
    QTest::newRow("remove") << conditional << Edit([](ModelDocument& d) { return d.removeNode({1}); });
    QTest::newRow("remove block") << residual << Edit([](ModelDocument& d) { return d.removeNode({3}); });
    QTest::newRow("move") << conditional << Edit([](ModelDocument& d) { return d.moveNode({3}, {}, 0); });
    QTest::newRow("nest") << conditional << Edit([](ModelDocument& d) {
        return d.insertNode({}, 5, defaultNode("Sequential")) && d.moveNode({4}, {5}, 0);
    });
    QTest::newRow("move out of a template") << residual << Edit([](ModelDocument& d) { return d.moveNode({3, 0, 3}, {}, 5); });
    QTest::newRow("rename") << conditional << Edit([](ModelDocument& d) { return d.setNodeName({0}, "stem"); });
    QTest::newRow("option") << conditional << Edit([](ModelDocument& d) { return d.setNodeOption({0}, "out_features", 300); });
    QTest::newRow("option removed") << conditional << Edit([](ModelDocument& d) { return d.setNodeOption({3}, "p", nullptr); });
    QTest::newRow("option None") << conditional << Edit([](ModelDocument& d) { return d.setNodeOptionToNone({1}, "momentum"); });
    QTest::newRow("init override") << conditional << Edit([](ModelDocument& d) {
        return d.setNodeOption({0}, "init", json{{"scheme", "xavier_uniform"}, {"gain", 2.0}});
    });
    QTest::newRow("when") << conditional << Edit([](ModelDocument& d) { return d.setNodeWhen({2}, "!use_dropout"); });
    QTest::newRow("when cleared") << conditional << Edit([](ModelDocument& d) { return d.setNodeWhen({1}, ""); });
    QTest::newRow("repeat") << residual << Edit([](ModelDocument& d) { return d.setRepeat({3}, 7); });
    QTest::newRow("convert block") << residual << Edit([](ModelDocument& d) { return d.convertContainer({3, 0}, "Sequential"); });
    QTest::newRow("flag default") << conditional << Edit([](ModelDocument& d) { return d.setFlagDefault("use_dropout", false); });
    QTest::newRow("add flag") << conditional << Edit([](ModelDocument& d) { return d.addFlag("use_extra", false); });
    QTest::newRow("remove flag") << conditional << Edit([](ModelDocument& d) {
        return d.removeFlag("use_batch_norm") && d.spec().root.children[1].when.empty();
    });
    QTest::newRow("model name") << conditional << Edit([](ModelDocument& d) { return d.setModelName("Net2"); });
    QTest::newRow("input shape") << conditional << Edit([](ModelDocument& d) { return d.setInputShape({1, 28, 28}); });
    QTest::newRow("default init") << conditional << Edit([](ModelDocument& d) {
        return d.setDefaultInit(json{{"scheme", "kaiming_normal"}, {"mode", "fan_out"}});
    });
}

void TestBuilder::everyEditUndoesAndRedoes() {
    QFETCH(QString, model);
    QFETCH(Edit, edit);
    ModelDocument document;
    document.resetTo(seedModel(model));
    QSignalSpy changed(&document, &ModelDocument::changed);
    const json before = spec::to_json(document.spec());
    QVERIFY(edit(document));
    const json after = spec::to_json(document.spec());
    QVERIFY(after != before);
    QVERIFY(changed.count() >= 1);
    QVERIFY(document.isModified());
    while (document.undoStack()->canUndo()) document.undoStack()->undo();
    QCOMPARE(spec::to_json(document.spec()), before);
    QVERIFY(!document.isModified());
    while (document.undoStack()->canRedo()) document.undoStack()->redo();
    QCOMPARE(spec::to_json(document.spec()), after);
    // The edited model still reads back as a model file.
    QCOMPARE(spec::to_json(spec::parse_model_spec(after)), after);
}

void TestBuilder::moveUsesTheGapBeforeTheMove() {
    ModelDocument document;
    document.resetTo(seedModel("conditional_net.json"));  // fc1 bn1 relu dropout fc2
    const auto names = [&] {
        QStringList n;
        for (const auto& c : document.spec().root.children) n << QString::fromStdString(c.name);
        return n.join(' ');
    };
    NodePath movedTo;
    QVERIFY(document.moveNode({0}, {}, 3, nullptr, &movedTo));
    QCOMPARE(names(), QString("bn1 relu fc1 dropout fc2"));
    QCOMPARE(movedTo, (NodePath{2}));
    QVERIFY(document.moveNode({4}, {}, 0, nullptr, &movedTo));
    QCOMPARE(names(), QString("fc2 bn1 relu fc1 dropout"));
    QCOMPARE(movedTo, (NodePath{0}));
    QString error;
    QVERIFY(!document.moveNode({}, {}, 0, &error));
    QVERIFY(!error.isEmpty());
    // Into a block that is inside the node itself.
    document.resetTo(seedModel("residual_network.json"));
    QVERIFY(!document.moveNode({3}, {3, 0}, 0, &error));
    QVERIFY2(error.contains("itself"), qPrintable(error));
    // The template stays in its ModuleList.
    QVERIFY(!document.moveNode({3, 0}, {}, 0, &error));
    QVERIFY2(error.contains("template"), qPrintable(error));
}

void TestBuilder::invalidNamesAreRefusedWithAMessage() {
    Workbench w;
    w.document.resetTo(seedModel("conditional_net.json"));
    const json before = spec::to_json(w.document.spec());
    QString error;
    QVERIFY(!w.document.setNodeName({0}, "1fc", &error));
    QVERIFY2(error.contains("Python identifier"), qPrintable(error));
    QVERIFY(!w.document.setNodeName({0}, "class", &error));
    QVERIFY(!w.document.setNodeName({0}, "fc2", &error));
    QVERIFY2(error.contains("unique among siblings"), qPrintable(error));
    QVERIFY(!w.document.setModelName("my model", &error));
    QVERIFY(!w.document.addFlag("use-bn", true, &error));
    QVERIFY(!w.document.addFlag("use_dropout", true, &error));
    QCOMPARE(spec::to_json(w.document.spec()), before);
    QCOMPARE(w.document.undoStack()->count(), 0);

    // In the inspector: a red message under the field, nothing applied.
    w.canvas->setSelectedPath({0});
    w.type("name", "1fc");
    auto* problem = w.inspector->findChild<QLabel*>("nameProblem");
    QVERIFY(problem && problem->isVisible());
    QVERIFY2(problem->text().contains("Python identifier"), qPrintable(problem->text()));
    QCOMPARE(w.document.spec().root.children[0].name, std::string("fc1"));
    w.type("name", "fc2");
    QVERIFY2(problem->text().contains("unique"), qPrintable(problem->text()));
    w.type("name", "stem");
    QVERIFY(!problem->isVisible());
    QCOMPARE(w.document.spec().root.children[0].name, std::string("stem"));
}

void TestBuilder::invalidOptionsAreRefused() {
    ModelDocument document;
    document.resetTo(seedModel("conditional_net.json"));
    QString error;
    QVERIFY(!document.setNodeOption({3}, "p", 1.5, &error));
    QVERIFY2(error.contains("probability"), qPrintable(error));
    QVERIFY(!document.setNodeOption({0}, "out_features", nullptr, &error));
    QVERIFY2(error.contains("out_features"), qPrintable(error));
    QVERIFY(!document.setNodeOption({0}, "out_feature", 3, &error));
    QVERIFY2(error.contains("did you mean 'out_features'"), qPrintable(error));
    QVERIFY(!document.setNodeOption({0}, "name", "x", &error));
    QVERIFY(!document.setNodeWhen({0}, "undeclared", &error));
    QVERIFY(!document.setRepeat({0}, 3, &error));
    QVERIFY(!document.insertNode({0}, 0, defaultNode("ReLU"), &error));  // a Linear has no children
    QVERIFY(!document.insertNode({}, 9, defaultNode("ReLU"), &error));
    QVERIFY(!document.removeNode({}, &error));
    QVERIFY(!document.removeNode({7, 2}, &error));
    QVERIFY(!document.setInputShape({}, &error));
    QVERIFY(!document.setInputShape({0}, &error));
    QCOMPARE(document.undoStack()->count(), 0);
    // An initializer the engine refuses is kept but reported on the layer.
    QVERIFY(document.setNodeOption({0}, "init", json{{"scheme", "kaiming_uniform"}, {"mode", "fan_sideways"}}));
    QVERIFY2(document.errorAt({0}).contains("fan mode"), qPrintable(document.errorAt({0})));
}

void TestBuilder::shapeErrorIsShownOnTheResidualBlock() {
    Workbench w;
    w.document.resetTo(seedModel("residual_network.json"));
    QVERIFY(w.document.isValid());
    w.canvas->setSelectedPath({3, 0, 4});
    w.field<QSpinBox>("out_features")->setValue(200);  // fc2: the body now ends at 200, the skip is 256
    const QString error = w.document.errorAt({3, 0});
    QVERIFY2(error.contains("residual body outputs (200") && error.contains("(256"), qPrintable(error));
    QCOMPARE(w.document.nodeErrors().size(), 1);
    QVERIFY(w.document.modelError().isEmpty());
    QVERIFY(!w.document.isValid());
    QVERIFY2(w.document.firstError().startsWith("Residual (Residual): the residual body"),
             qPrintable(w.document.firstError()));
    QVERIFY(w.inspector->findChild<QLabel*>("error")->text().isEmpty());  // fc2 itself is fine

    const QImage image = w.canvasImage();
    const QRect block = w.canvas->nodeRect({3, 0});
    QVERIFY(block.isValid());
    QVERIFY2(redPixels(image, block) > 200, qPrintable(QString::number(redPixels(image, block))));
    QVERIFY(redPixels(image, w.canvas->nodeRect({0})) == 0);
    QVERIFY(image.save(screenshotPath("canvas_shape_error.png")));

    // Fixing it clears the error; the inspector of the block shows it while it lasts.
    w.canvas->setSelectedPath({3, 0});
    w.document.undoStack()->undo();
    QVERIFY(w.document.isValid());
    w.document.undoStack()->redo();
    QVERIFY2(w.inspector->findChild<QLabel*>("error")->text().contains("residual body"),
             qPrintable(w.inspector->findChild<QLabel*>("error")->text()));
}

void TestBuilder::errorPathsMapToNodes() {
    auto where = locateError("/root/children/3/template/children/0/p: expected a probability");
    QCOMPARE(*where.node, (NodePath{3, 0, 0}));
    QCOMPARE(where.reason, QString("p: expected a probability"));
    where = locateError("/root/children/3/template (blocks.0, Residual): the residual body outputs (128)");
    QCOMPARE(*where.node, (NodePath{3, 0}));
    QCOMPARE(where.reason, QString("the residual body outputs (128)"));
    where = locateError("/root/children/0/init.mode: bad");
    QCOMPARE(*where.node, (NodePath{0}));
    QCOMPARE(where.reason, QString("init.mode: bad"));
    where = locateError("/root (root, Sequential): x");
    QCOMPARE(*where.node, NodePath{});
    where = locateError("/init/default: bad scheme");
    QVERIFY(!where.node);
    where = locateError("");
    QVERIFY(!where.node);
    where = locateError("/root/children/x/children/-1");
    QCOMPARE(*where.node, NodePath{});

    // A Linear on a scalar input: the error sits on that Linear, after a Flatten(0, -1)... here
    // simply a BatchNorm1d fed a 3-d sample.
    ModelDocument document;
    QVERIFY(document.setInputShape({1, 28, 28}));
    QVERIFY(document.insertNode({}, 0, defaultNode("BatchNorm1d")));
    QVERIFY2(document.errorAt({0}).contains("Flatten"), qPrintable(document.errorAt({0})));
    QVERIFY(document.insertNode({}, 0, defaultNode("Flatten")));
    QVERIFY2(document.isValid(), qPrintable(document.errorAt({1})));
    QCOMPARE(document.factsAt({1})->outputShape, (Shape{784}));
}

void TestBuilder::copyCutPaste() {
    Workbench w;
    w.document.resetTo(seedModel("residual_network.json"));
    w.canvas->setSelectedPath({3, 0, 0});
    w.canvas->copySelection();
    QVERIFY(QGuiApplication::clipboard()->mimeData()->hasFormat(kNodeMimeType));
    w.canvas->pasteAtSelection();  // after fc1, renamed
    QCOMPARE(w.selection.path(), (NodePath{3, 0, 1}));
    QCOMPARE(nodeAt(w.document.spec(), {3, 0, 1})->name, std::string("fc1_2"));
    QCOMPARE(nodeAt(w.document.spec(), {3, 0, 1})->options["out_features"], json(128));

    // A selected block receives the paste as its last child.
    w.canvas->setSelectedPath({3, 0});
    QVERIFY(w.document.paste(w.selection.path()).has_value());
    QCOMPARE(nodeAt(w.document.spec(), {3, 0, 7})->name, std::string("fc1_3"));

    // Cut a whole block and paste it at the end of the model.
    QVERIFY(w.document.cutNode({3}));
    QCOMPARE(w.document.spec().root.children.size(), size_t{4});
    const auto pasted = w.document.paste({});
    QVERIFY(pasted);
    QCOMPARE(*pasted, (NodePath{4}));
    QCOMPARE(nodeAt(w.document.spec(), {4})->repeat, int64_t{4});
    QCOMPARE(nodeAt(w.document.spec(), {4, 0})->children.size(), size_t{8});

    // A node whose flag this model lacks is refused with a message.
    w.document.resetTo(seedModel("conditional_net.json"));
    QVERIFY(w.document.copyNode({1}));  // when use_batch_norm
    w.document.resetTo(seedModel("residual_network.json"));
    QString error;
    QVERIFY(!w.document.paste({}, &error));
    QVERIFY2(error.contains("use_batch_norm"), qPrintable(error));
    // Not a layer at all.
    QGuiApplication::clipboard()->setText("hello");
    QVERIFY(!w.document.paste({}, &error));
    QVERIFY(!error.isEmpty());
    auto* garbage = new QMimeData;
    garbage->setData(kNodeMimeType, "{\"type\": \"Linear\", \"out_features\": 1e999");
    QGuiApplication::clipboard()->setMimeData(garbage);
    QVERIFY(!w.document.paste({}, &error));
}

void TestBuilder::paletteDropInsertsWhereTheIndicatorIs() {
    Workbench w;
    w.document.resetTo(seedModel("conditional_net.json"));
    w.canvasImage();
    // Between bn1 and relu: the gap between their boxes.
    const QRect bn1 = w.canvas->nodeRect({1}), relu = w.canvas->nodeRect({2});
    const QPoint gap((bn1.left() + bn1.right()) / 2, (bn1.bottom() + relu.top()) / 2);
    std::unique_ptr<QMimeData> mime(nodeMimeData(defaultNode("Dropout")));
    QDragEnterEvent enter(gap, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.canvas, &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(gap, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.canvas, &move);
    QVERIFY(move.isAccepted());
    QDropEvent drop(gap, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.canvas, &drop);
    QCOMPARE(w.document.spec().root.children.size(), size_t{6});
    QCOMPARE(w.document.spec().root.children[2].type, std::string("Dropout"));
    QCOMPARE(w.selection.path(), (NodePath{2}));
}

void TestBuilder::paletteFilter() {
    Workbench w;
    QCOMPARE(w.palette->visibleTypes().size(), qsizetype(spec::layer_types().size()));
    QTest::keyClicks(w.palette->findChild<QLineEdit*>("filter"), "relu");
    QCOMPARE(w.palette->visibleTypes(), (QStringList{"ReLU", "LeakyReLU", "PReLU"}));  // PReLU: issue 10
    QTest::keyClick(w.palette->findChild<QLineEdit*>("filter"), Qt::Key_Return);  // inserts the first match
    QCOMPARE(w.document.spec().root.children.size(), size_t{1});
    QCOMPARE(w.document.spec().root.children[0].type, std::string("ReLU"));
}

// The inspector builds each layer's editors from its declaration: spin boxes with the declared
// range, combos with the choices, a check box per bool, text for a list; edits reach the model.
void TestBuilder::inspectorShowsDeclaredOptions() {
    Workbench w;
    QVERIFY(w.palette->insertType("Linear"));
    QVERIFY(w.palette->insertType("PReLU"));
    auto* slopes = w.field<QSpinBox>("num_parameters");
    QVERIFY(slopes);
    QCOMPARE(slopes->minimum(), 1);
    QCOMPARE(slopes->value(), 1);
    slopes->setValue(128);  // Linear's 128 outputs: one slope each
    QCOMPARE(w.document.spec().root.children[1].options["num_parameters"], nlohmann::json(128));
    QVERIFY(w.field<QDoubleSpinBox>("init"));
    QCOMPARE(w.field<QDoubleSpinBox>("init")->value(), 0.25);
    QVERIFY2(w.document.modelError().isEmpty(), qPrintable(w.document.modelError()));

    QVERIFY(w.palette->insertType("Softplus"));
    QCOMPARE(w.field<QDoubleSpinBox>("beta")->value(), 1.0);
    QVERIFY(w.field<QDoubleSpinBox>("beta")->minimum() > 0);
    w.field<QDoubleSpinBox>("threshold")->setValue(5.0);
    QCOMPARE(w.document.spec().root.children[2].options["threshold"], nlohmann::json(5.0));

    QVERIFY(w.palette->insertType("LayerNorm"));
    QVERIFY(w.field<QCheckBox>("elementwise_affine")->isChecked());
    QVERIFY(w.field<QLineEdit>("normalized_shape")->text().isEmpty());  // inferred: the last dimension
    w.type("normalized_shape", "128");
    QCOMPARE(w.document.spec().root.children[3].options["normalized_shape"], nlohmann::json({128}));

    QVERIFY(w.palette->insertType("GELU"));
    QCOMPARE(w.field<QComboBox>("approximate")->count(), 2);
    w.field<QComboBox>("approximate")->setCurrentText("tanh");
    QCOMPARE(w.document.spec().root.children[4].options["approximate"], nlohmann::json("tanh"));
}

void TestBuilder::canvasKeyboard() {
    Workbench w;
    w.document.resetTo(seedModel("residual_network.json"));
    w.canvas->setSelectedPath({0});
    QTest::keyClick(w.canvas, Qt::Key_Down);
    QCOMPARE(w.canvas->selectedPath(), (NodePath{1}));
    QTest::keyClick(w.canvas, Qt::Key_Up);
    QTest::keyClick(w.canvas, Qt::Key_Up);
    QCOMPARE(w.canvas->selectedPath(), NodePath{});
    w.canvas->setSelectedPath({3});
    QTest::keyClick(w.canvas, Qt::Key_Left);  // collapses the block
    QVERIFY(w.canvas->isCollapsed({3}));
    QVERIFY(!w.canvas->nodeRect({3, 0, 0}).isValid());
    QTest::keyClick(w.canvas, Qt::Key_Down);
    QCOMPARE(w.canvas->selectedPath(), (NodePath{4}));
    QTest::keyClick(w.canvas, Qt::Key_Delete);
    QCOMPARE(w.document.spec().root.children.size(), size_t{4});
    QCOMPARE(w.canvas->selectedPath(), (NodePath{3}));  // the selection moves to the nearest node
    QTest::keyClick(w.canvas, Qt::Key_Right);
    QVERIFY(w.canvas->nodeRect({3, 0, 0}).isValid());
    // A click selects the node under the mouse.
    QTest::mouseClick(w.canvas, Qt::LeftButton, {}, w.canvas->nodeRect({1}).center());
    QCOMPARE(w.canvas->selectedPath(), (NodePath{1}));
    QSignalSpy selected(w.canvas, &ModelCanvas::selectionChanged);
    QTest::mouseClick(w.canvas, Qt::LeftButton, {}, w.canvas->nodeRect({3, 0, 2}).center());
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.first().first().value<NodePath>(), (NodePath{3, 0, 2}));
}

void TestBuilder::flagsPanelTogglesAndGreysOut() {
    Workbench w;
    w.document.resetTo(seedModel("conditional_net.json"));
    auto* useBn = w.flags->findChild<QCheckBox*>("flag:use_batch_norm");
    QVERIFY(useBn && useBn->isChecked());
    const int64_t withBn = w.document.factsAt({})->parameters;
    useBn->click();
    QCOMPARE(w.document.spec().flags[0].second, false);
    QVERIFY(!w.document.isPresent({1}));
    QVERIFY(!w.document.factsAt({1}));
    QCOMPARE(w.document.factsAt({})->parameters, withBn - 512);
    w.document.undoStack()->undo();
    QVERIFY(useBn->isChecked());
    QVERIFY(w.document.isPresent({1}));

    // Conditional layers through the inspector's "Exists" combo.
    w.canvas->setSelectedPath({2});
    auto* when = w.field<QComboBox>("when");
    when->setCurrentIndex(when->findData("!use_dropout"));
    QCOMPARE(w.document.spec().root.children[2].when, std::string("!use_dropout"));
    QVERIFY(!w.document.isPresent({2}));

    // Adding and removing flags.
    QTest::keyClicks(w.flags->findChild<QLineEdit*>("newFlagName"), "use_extra");
    w.flags->findChild<QPushButton*>("addFlag")->click();
    QVERIFY(w.document.spec().has_flag("use_extra"));
    QTest::keyClicks(w.flags->findChild<QLineEdit*>("newFlagName"), "2bad");
    w.flags->findChild<QPushButton*>("addFlag")->click();
    QVERIFY2(w.flags->message().contains("Python identifier"), qPrintable(w.flags->message()));
    w.flags->findChild<QToolButton*>("removeFlag:use_dropout")->click();
    QVERIFY(!w.document.spec().has_flag("use_dropout"));
    QVERIFY(w.document.spec().root.children[2].when.empty());
    QVERIFY(w.document.isValid());
}

void TestBuilder::readOnlyRefusesEdits() {
    Workbench w;
    w.document.resetTo(seedModel("residual_network.json"));
    QVERIFY(w.document.setNodeName({0}, "stem"));
    QSignalSpy readOnly(&w.document, &ModelDocument::readOnlyChanged);
    w.document.setReadOnly(true);
    QCOMPARE(readOnly.count(), 1);
    QVERIFY(!w.document.undoAction()->isEnabled());
    const json before = spec::to_json(w.document.spec());
    QString error;
    QVERIFY(!w.document.setNodeName({0}, "x", &error));
    QVERIFY2(error.contains("read-only"), qPrintable(error));
    QVERIFY(!w.document.insertNode({}, 0, defaultNode("ReLU")));
    QVERIFY(!w.document.removeNode({0}));
    QVERIFY(!w.document.moveNode({0}, {}, 3));
    QVERIFY(!w.document.setNodeOption({0}, "out_features", 3));
    QVERIFY(!w.document.setRepeat({3}, 2));
    QVERIFY(!w.document.addFlag("f", true));
    QVERIFY(!w.document.setModelName("X"));
    QVERIFY(!w.document.cutNode({0}));
    QVERIFY(w.document.copyNode({0}));  // reading is fine
    QVERIFY(!w.document.paste({}));
    QVERIFY(!w.palette->insertType("ReLU"));
    QVERIFY(!w.palette->isEnabled());
    w.canvas->setSelectedPath({0});
    QTest::keyClick(w.canvas, Qt::Key_Delete);
    QVERIFY(w.field<QLineEdit>("name") && !w.field<QLineEdit>("name")->isEnabled());
    std::unique_ptr<QMimeData> mime(nodeMimeData(defaultNode("ReLU")));
    QDragEnterEvent enter(w.canvas->nodeRect({1}).center(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.canvas, &enter);
    QVERIFY(!enter.isAccepted());
    QCOMPARE(spec::to_json(w.document.spec()), before);

    w.document.setReadOnly(false);
    QVERIFY(w.document.undoAction()->isEnabled());
    QVERIFY(w.field<QLineEdit>("name")->isEnabled());
    QVERIFY(w.document.setNodeName({0}, "x"));
}

void TestBuilder::typingMergesIntoOneUndoStep() {
    Workbench w;
    w.document.resetTo(seedModel("conditional_net.json"));
    w.canvas->setSelectedPath({0});
    auto* spin = w.field<QSpinBox>("out_features");
    spin->selectAll();
    QTest::keyClicks(spin, "512");
    QCOMPARE(w.document.spec().root.children[0].options["out_features"], json(512));
    w.type("name", "stem");
    QCOMPARE(w.document.undoStack()->count(), 2);  // one per property
    w.document.undoStack()->undo();
    w.document.undoStack()->undo();
    QCOMPARE(spec::to_json(w.document.spec()), spec::to_json(seedModel("conditional_net.json")));
    QCOMPARE(w.field<QSpinBox>("out_features")->value(), 256);  // the inspector follows the undo
    QCOMPARE(w.field<QLineEdit>("name")->text(), QString("fc1"));
}

void TestBuilder::randomEditsNeverBreakTheDocument() {
    ModelDocument document;
    document.resetTo(seedModel("residual_network.json"));
    NodeSelection selection(&document);
    QRandomGenerator rng(7);
    const QStringList types = {"Linear", "ReLU", "BatchNorm1d", "Residual", "ModuleList", "Sequential", "Dropout"};
    const auto randomPath = [&] {
        NodePath path;
        const spec::NodeSpec* node = &document.spec().root;
        while (!childrenOf(*node).empty() && rng.bounded(3) != 0) {
            const int i = rng.bounded(static_cast<int>(childrenOf(*node).size()) + 1) - (rng.bounded(8) == 0 ? 1 : 0);
            path << i;
            if (i < 0 || i >= static_cast<int>(childrenOf(*node).size())) break;
            node = &childrenOf(*node)[static_cast<size_t>(i)];
        }
        return path;
    };
    for (int step = 0; step < 400; ++step) {
        switch (rng.bounded(8)) {
        case 0: document.insertAtSelection(randomPath(), defaultNode(types[rng.bounded(types.size())])); break;
        case 1: document.removeNode(randomPath()); break;
        case 2: document.moveNode(randomPath(), randomPath(), rng.bounded(4)); break;
        case 3: document.setNodeName(randomPath(), rng.bounded(2) ? "a" : "b"); break;
        case 4: document.setNodeOption(randomPath(), "out_features", rng.bounded(1, 300)); break;
        case 5: document.setRepeat(randomPath(), rng.bounded(5)); break;
        case 6: document.convertContainer(randomPath(), rng.bounded(2) ? "Residual" : "Sequential"); break;
        default: document.undoStack()->undo(); break;
        }
        selection.setPath(randomPath());
        QVERIFY(nodeAt(document.spec(), selection.path()));
        // Whatever the edits did, the document stays a model file that reads back the same.
        const json j = spec::to_json(document.spec());
        QCOMPARE(spec::to_json(spec::parse_model_spec(j)), j);
    }
    while (document.undoStack()->canUndo()) document.undoStack()->undo();
    QCOMPARE(spec::to_json(document.spec()), spec::to_json(seedModel("residual_network.json")));
}

void TestBuilder::hugeModelsAreNotBuilt() {
    ModelDocument document;
    document.resetTo(seedModel("residual_network.json"));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(document.setNodeOption({0}, "out_features", 1'000'000));  // 784 x 1e6 weights, then 1e6 x 128
    QVERIFY2(document.modelError().contains("too large"), qPrintable(document.modelError()));
    QVERIFY(document.setNodeOption({0}, "out_features", 256));
    QVERIFY(document.isValid());
    QVERIFY(document.setRepeat({3}, 100000));  // 100000 residual blocks
    QVERIFY2(document.modelError().contains("too large"), qPrintable(document.modelError()));
    QVERIFY(timer.elapsed() < 5000);
    document.undoStack()->undo();
    QVERIFY(document.isValid());
}

void TestBuilder::screenshotResidualNetwork() {
    Workbench w;
    w.document.resetTo(seedModel("residual_network.json"));
    w.canvas->setSelectedPath({3, 0, 1});
    const QImage image = w.canvasImage();
    QVERIFY(redPixels(image, image.rect()) == 0);  // no errors, nothing red
    QVERIFY(image.save(screenshotPath("canvas_residual_network.png")));
    w.canvas->setSelectedPath({3, 0, 1});
    QVERIFY(w.window.grab().save(screenshotPath("builder_batchnorm_selected.png")));
    w.canvas->setSelectedPath({3, 0, 4});
    QVERIFY(w.window.grab().save(screenshotPath("builder_linear_selected.png")));
    w.document.resetTo(seedModel("conditional_net.json"));
    QVERIFY(w.document.setFlagDefault("use_dropout", false));
    QVERIFY(w.canvasImage().save(screenshotPath("canvas_conditional_net.png")));
}

QTEST_MAIN(TestBuilder)
#include "tst_builder.moc"
