// Issue 12's guidance in the GUI: the import report as a table (full, partial and no-match imports
// of files PyTorch wrote), gradient plots named by layer on a log scale, the init lab on real
// labelled data with depth plots split by layer kind, and Help ▸ Lessons. Screenshots of each.
#include "app/main_window.h"
#include "data/fashion_mnist.h"
#include "document/model_document.h"
#include "files/import_report.h"
#include "files/import_report_dialog.h"
#include "lessons/lessons.h"
#include "plots/live_plot.h"
#include "plots/parameter_label.h"
#include "plots/parameter_stats_plot.h"
#include "spec/model_spec.h"
#include "teach/gradient_inspector_view.h"
#include "teach/init_lab_view.h"
#include "teach/teach_batch.h"
#include "teach/teach_inputs_form.h"
#include "teach/teach_model.h"
#include "teach/pitfalls.h"
#include "test_support.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>
#include <map>

using namespace nnstudio;
using namespace nnstudio::ui;
using S = ImportRow::Status;

namespace {

spec::ModelSpec modelSpec(const QString& name) {
    return spec::load_model_spec((test::source_dir() + "/resources/models/" + name + ".json").toStdString());
}

void saveShot(QWidget& w, const QString& name) {
    w.show();
    QTest::qWait(300);  // the plots' timed redraws
    const QString path = test::screenshotDir() + "/" + name + ".png";
    QVERIFY(w.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

// SimpleNet is fc1 (128, 784) -> ReLU -> fc2 (10, 128). Three files as users save them:
// a checkpoint of a DataParallel model (entry and prefix), a model with another head, and a
// file of another model altogether.
const char* kWriteCheckpoints = R"(
import sys, torch
out = sys.argv[1]
g = torch.Generator().manual_seed(0)
r = lambda *s: torch.randn(*s, generator=g)
sd = {'fc1.weight': r(128, 784), 'fc1.bias': r(128), 'fc2.weight': r(10, 128), 'fc2.bias': r(10)}
torch.save({'epoch': 3, 'model_state_dict': {'module.' + k: v for k, v in sd.items()}}, out + '/full.pth')
torch.save({'fc1.weight': sd['fc1.weight'], 'fc1.bias': sd['fc1.bias'], 'fc2.weight': r(5, 128),
            'head.weight': r(3, 3)}, out + '/partial.pth')
torch.save({'encoder.weight': r(4, 4), 'decoder.bias': r(4)}, out + '/nomatch.pth')
print(float(sd['fc1.weight'][3, 5]))
)";

const ImportRow* rowOf(const ImportReport& r, const QString& key) {
    for (const ImportRow& row : r.rows)
        if (row.key == key) return &row;
    return nullptr;
}

// Undoes the global normalisation (one scale and shift for every pixel): over a whole batch the
// smallest value is pixel 0 and the largest 255 (some image of 64 reaches full white), so the
// bytes of each sample come back exactly.
std::vector<std::vector<uint8_t>> pixelsOf(const Tensor& x, int64_t samples, int64_t features) {
    float lo = x[0], hi = x[0];
    for (int64_t i = 0; i < samples * features; ++i) lo = std::min(lo, x[i]), hi = std::max(hi, x[i]);
    std::vector<std::vector<uint8_t>> out(static_cast<size_t>(samples), std::vector<uint8_t>(static_cast<size_t>(features)));
    for (int64_t s = 0; s < samples; ++s)
        for (int64_t j = 0; j < features; ++j)
            out[static_cast<size_t>(s)][static_cast<size_t>(j)] =
                static_cast<uint8_t>(std::lround(255.0 * (x[s * features + j] - lo) / (hi - lo)));
    return out;
}

}  // namespace

class TestTeachGuidance : public QObject {
    Q_OBJECT
private slots:
    void importReportSaysWhatWasImported();
    void gradientPlotsNameLayersOnALogScale();
    void gradientInspectorNamesLayers();
    void initLabRunsOnRealLabelsAndSplitsLayerKinds();
    void everyLessonOpensItsExampleAndDock();
};

void TestTeachGuidance::importReportSaysWhatWasImported() {
    if (!test::torch_available()) QSKIP("needs /usr/bin/python3 with torch to write the checkpoints");
    QTemporaryDir dir;
    QFile script(dir.filePath("write_checkpoints.py"));
    QVERIFY(script.open(QIODevice::WriteOnly) && script.write(kWriteCheckpoints) > 0);
    script.close();
    QString out, error;
    QVERIFY2(test::run_python(script.fileName(), {dir.path()}, &out, &error), qPrintable(error));
    const double fc1_3_5 = out.trimmed().toDouble();

    MainWindow w;
    w.openExample("simple_net.json");
    QString text;
    ImportReport full;
    QVERIFY2(w.importWeights(dir.filePath("full.pth"), &text, &error, &full), qPrintable(error));
    QCOMPARE(full.heading(), QString("Imported 4 of 4 tensors"));
    QCOMPARE(full.count(S::Matched), 4);
    QCOMPARE(int(full.rows.size()), 4);
    QVERIFY2(full.source.contains("model_state_dict") && full.source.contains("'module.'"), qPrintable(full.source));
    const TypedTensor* fc1 = w.weights()->find("fc1.weight");
    QVERIFY(fc1);
    QCOMPARE(fc1->element(3 * 784 + 5), fc1_3_5);  // PyTorch's value, imported
    ImportReportDialog fullDialog(full);
    QCOMPARE(fullDialog.headingText(), QString("Imported 4 of 4 tensors"));
    QCOMPARE(fullDialog.table()->rowCount(), 4);
    fullDialog.resize(760, 300);
    saveShot(fullDialog, "import_report_full");

    ImportReport partial;
    QVERIFY2(w.importWeights(dir.filePath("partial.pth"), &text, &error, &partial), qPrintable(error));
    QCOMPARE(partial.heading(), QString("Imported 2 of 4 tensors: 2 keep their values"));
    QCOMPARE(partial.count(S::Matched), 2);
    QCOMPARE(partial.count(S::Missing), 1);
    QCOMPARE(partial.count(S::Unexpected), 1);
    QCOMPARE(partial.count(S::ShapeMismatch), 1);
    QVERIFY(partial.source.isEmpty());  // a bare state_dict, keys as they are
    const ImportRow* mismatch = rowOf(partial, "fc2.weight");
    QVERIFY(mismatch && mismatch->status == S::ShapeMismatch);
    QCOMPARE(mismatch->modelShape, QString("float32 (10, 128)"));
    QCOMPARE(mismatch->fileShape, QString("float32 (5, 128)"));
    QVERIFY(rowOf(partial, "fc2.bias")->status == S::Missing);
    QVERIFY(rowOf(partial, "head.weight")->status == S::Unexpected);
    ImportReportDialog partialDialog(partial);
    QCOMPARE(partialDialog.table()->rowCount(), 5);
    QCOMPARE(partialDialog.table()->item(0, 1)->text(), QString("shape mismatch"));  // problems first
    QVERIFY2(partialDialog.countsText().startsWith("2 matched · 1 missing"), qPrintable(partialDialog.countsText()));
    saveShot(partialDialog, "import_report_partial");

    // No key matches: nothing changes, and the table still shows both sides.
    const StateDict before = *w.weights();
    ImportReport none;
    QVERIFY(!w.importWeights(dir.filePath("nomatch.pth"), &text, &error, &none));
    QVERIFY2(error.contains("nothing was imported"), qPrintable(error));
    QCOMPARE(none.heading(), QString("Nothing was imported: no key matched"));
    QCOMPARE(none.imported, 0);
    QCOMPARE(none.count(S::Missing), 4);
    QCOMPARE(none.count(S::Unexpected), 2);
    QCOMPARE(none.count(S::Matched), 0);
    QVERIFY(w.weights()->find("fc1.weight")->bytes == before.find("fc1.weight")->bytes);
    ImportReportDialog noneDialog(none);
    QCOMPARE(noneDialog.headingText(), QString("Nothing was imported: no key matched"));
    QCOMPARE(noneDialog.table()->rowCount(), 6);
    saveShot(noneDialog, "import_report_no_match");
}

void TestTeachGuidance::gradientPlotsNameLayersOnALogScale() {
    ParameterStatsPlot plot(ParameterStatsPlot::Quantity::Gradient);
    QVERIFY(plot.logScaleToggle()->isChecked());
    QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);

    // DeepTanhMLP: 11 Linear layers, so 22 parameters; the first 8 weights are ticked.
    const spec::ModelSpec spec = modelSpec("deep_tanh_mlp");
    plot.setLayerTypes(layerTypesOf(spec));
    const StateDict sd = spec::build_model(spec).state_dict();
    std::vector<train::ParamStats> stats;
    for (const auto& [key, t] : sd) stats.push_back({key, t.numel(), 1e-3, 2e-3, 0, 0.01, 0.05});
    QCOMPARE(stats.size(), size_t(22));
    for (int step = 1; step <= 20; ++step) {
        for (size_t i = 0; i < stats.size(); ++i) stats[i].grad_std = 1e-4 * double(i + 1) * step;  // decades apart
        plot.addStats(step, stats);
    }
    QCOMPARE(plot.parameterList()->count(), 22);
    QCOMPARE(plot.parameterList()->item(0)->text(), QString::fromUtf8("hidden.0.0 Linear · weight"));
    QCOMPARE(plot.parameterList()->item(1)->text(), QString::fromUtf8("hidden.0.0 Linear · bias"));
    QCOMPARE(plot.parameterList()->item(21)->text(), QString::fromUtf8("output Linear · bias"));
    int ticked = 0, tickedBiases = 0;
    for (int i = 0; i < plot.parameterList()->count(); ++i) {
        const QListWidgetItem* item = plot.parameterList()->item(i);
        ticked += item->checkState() == Qt::Checked;
        tickedBiases += item->checkState() == Qt::Checked && item->text().endsWith("bias");
    }
    QCOMPARE(ticked, 8);
    QCOMPARE(tickedBiases, 0);
    QVERIFY(plot.plot()->series("grad_mean/hidden.0.0.weight")->name().startsWith("hidden.0.0 Linear"));
    plot.resize(1100, 560);
    saveShot(plot, "gradient_plot_log_labels");

    // Small multiples: one plot per layer, every parameter of the layer in it.
    plot.perLayerToggle()->setChecked(true);
    QCOMPARE(plot.layerPlots().size(), size_t(11));
    QCOMPARE(plot.layerPlots().front()->pointCount("mean/hidden.0.0.weight"), 20);
    QCOMPARE(plot.layerPlots().front()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    plot.addStats(21, stats);
    QCOMPARE(plot.layerPlots().back()->pointCount("std/output.bias"), 21);
    saveShot(plot, "gradient_plot_per_layer");
    plot.logScaleToggle()->setChecked(false);
    QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    QCOMPARE(plot.layerPlots().front()->yAxis->scaleType(), QCPAxis::stLinear);
}

void TestTeachGuidance::gradientInspectorNamesLayers() {
    GradientInspectorView view;
    view.setModel(modelSpec("shallow_mlp"));
    view.inputs()->setBatchSize(16);
    QSignalSpy done(&view, &GradientInspectorView::finished);
    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QCOMPARE(view.table()->rowCount(), 4);
    QCOMPARE(view.table()->item(0, 0)->text(), QString::fromUtf8("fc1 Linear · weight"));
    QCOMPARE(view.table()->item(3, 0)->text(), QString::fromUtf8("fc2 Linear · bias"));
}

void TestTeachGuidance::initLabRunsOnRealLabelsAndSplitsLayerKinds() {
    if (!data::fashion_mnist_available()) QSKIP("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    const spec::ModelSpec spec = modelSpec("deep_tanh_mlp");
    {  // Without a training setup: the Fashion-MNIST sample, not random labels.
        InitLabView bare;
        bare.setModel(spec);
        QCOMPARE(bare.inputs()->dataSpec(), std::string("fashion-mnist"));
    }
    {  // A model that does not take 28x28 images: random inputs remain the default.
        InitLabView spirals;
        spirals.setModel(modelSpec("spiral_mlp"));
        QCOMPARE(spirals.inputs()->dataSpec(), std::string());
    }
    InitLabView view;
    view.setModel(spec);
    view.setSetup(teach::training_setup_of(spec));
    QCOMPARE(view.inputs()->dataSpec(), std::string("fashion-mnist"));
    view.setSchemes({"xavier_tanh", "normal", "small_normal"});
    view.inputs()->setBatchSize(64);
    view.inputs()->setSeed(3);
    QSignalSpy done(&view, &InitLabView::finished);
    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QVERIFY2(QString::fromStdString(view.result()->data_description).contains("Fashion-MNIST"),
             view.result()->data_description.c_str());

    // The labels are the data set's own: each sample's pixels found in the training split carry
    // the same label (random labels would match about one in ten).
    nn::Model model = teach::prepare_model(spec, {}, {});
    const teach::TeachData data = teach::load_teach_data(model, view.inputs()->dataSpec(), 64, 1, 3);
    const data::Dataset train = data::load_fashion_mnist(data::Split::Train);
    std::map<std::vector<uint8_t>, int> labelOf;
    for (int64_t i = 0; i < train.size(); ++i)
        labelOf.emplace(std::vector<uint8_t>(train.bytes().begin() + i * 784, train.bytes().begin() + (i + 1) * 784), train.label(i));
    const teach::Batch& batch = data.batches.front();
    const std::vector<std::vector<uint8_t>> pixels = pixelsOf(batch.x, 64, 784);
    int found = 0, same = 0;
    for (int64_t s = 0; s < 64; ++s) {
        const auto it = labelOf.find(pixels[static_cast<size_t>(s)]);
        if (it == labelOf.end()) continue;
        ++found;
        same += it->second == static_cast<int>(batch.y[s]);
    }
    qInfo("init lab batch: %d of 64 samples found in the training split, %d with the same label", found, same);
    QVERIFY(found >= 60);
    QCOMPARE(same, found);

    // Depth plots: one kind of layer at a time, so a Linear -> Tanh stack does not zigzag.
    const auto& layers = view.result()->runs.front().at_init.layers;
    int tanhs = 0, linears = 0;
    for (const auto& l : layers) tanhs += l.type == "Tanh", linears += l.type == "Linear";
    QCOMPARE(tanhs, 10);
    QCOMPARE(linears, 11);
    QCOMPARE(view.depthLayersPicker()->currentIndex(), int(InitLabView::DepthLayers::Activations));
    QCOMPARE(view.activationPlot()->pointCount("xavier_tanh"), tanhs);
    QCOMPARE(view.numbersTable()->rowCount(), tanhs);
    QVERIFY(view.numbersTable()->item(0, 0)->text().endsWith("Tanh"));
    QCOMPARE(view.numbersTable()->columnCount(), 1 + 2 * 3);
    QCPGraph* xavier = view.activationPlot()->series("xavier_tanh");
    double lastTanhStd = 0;
    for (const auto& l : layers)
        if (l.type == "Tanh") lastTanhStd = l.activation.std;
    QCOMPARE(xavier->data()->at(tanhs - 1)->value, lastTanhStd);
    QCOMPARE(view.numbersTable()->item(tanhs - 1, 1)->text(), QString::number(lastTanhStd, 'g', 4));
    view.resize(1366, 700);
    saveShot(view, "init_lab_activation_outputs");
    view.depthLayersPicker()->setCurrentIndex(int(InitLabView::DepthLayers::Linear));
    QCOMPARE(view.activationPlot()->pointCount("normal"), linears);
    QCOMPARE(view.numbersTable()->rowCount(), linears);
    QVERIFY(view.numbersTable()->item(0, 0)->text().endsWith("Linear"));
    view.depthLayersPicker()->setCurrentIndex(int(InitLabView::DepthLayers::Activations));
    auto* pages = view.findChild<QTabWidget*>();
    for (int i = 0; i < pages->count(); ++i)
        if (pages->tabText(i) == "Numbers") pages->setCurrentIndex(i);
    saveShot(view, "init_lab_numbers");
}

void TestTeachGuidance::everyLessonOpensItsExampleAndDock() {
    MainWindow w;
    w.resize(1366, 768);
    w.show();
    QMenu* menu = nullptr;
    for (QMenu* m : w.menuBar()->findChildren<QMenu*>())
        if (m->title() == "&Lessons") menu = m;
    QVERIFY(menu);
    const QList<QAction*> actions = menu->actions();
    QCOMPARE(actions.size(), int(lessons().size()));
    QCOMPARE(lessons().size(), size_t(6));
    for (int i = 0; i < actions.size(); ++i) {
        const Lesson& lesson = lessons()[static_cast<size_t>(i)];
        QCOMPARE(actions[i]->text(), lesson.title);
        w.openExample(i % 2 ? "spiral_mlp.json" : "simple_net.json");  // something else first
        actions[i]->trigger();
        QFile example(":/examples/" + lesson.example);
        QVERIFY2(example.open(QIODevice::ReadOnly), qPrintable(lesson.example));
        const std::string name = spec::parse_model_spec_text(example.readAll().toStdString()).name;
        QCOMPARE(w.document()->spec().name, name);
        QDockWidget* dock = w.findChild<QDockWidget*>(lesson.dock);
        QVERIFY2(dock, qPrintable(lesson.dock));
        QTRY_VERIFY2(dock->isVisible() && !dock->visibleRegion().isEmpty(), qPrintable(lesson.dock));
        if (!lesson.tab.isEmpty()) {
            auto* tabs = qobject_cast<QTabWidget*>(dock->widget());
            QVERIFY(tabs);
            QCOMPARE(tabs->tabText(tabs->currentIndex()), lesson.tab);
        }
        auto* text = w.findChild<QDockWidget*>("lessonDock")->findChild<QTextBrowser*>();
        QVERIFY(text && text->toPlainText().startsWith(lesson.title));
        QVERIFY(w.findChild<QDockWidget*>("lessonDock")->isVisible());
        if (i == 0) saveShot(w, "lesson_initialisation");
        if (i == 4) saveShot(w, "lesson_gradients");
    }
    // Another model opened by hand: the lesson no longer describes it and closes.
    w.openExample("simple_net.json");
    QVERIFY(!w.findChild<QDockWidget*>("lessonDock")->isVisible());
}

QTEST_MAIN(TestTeachGuidance)
#include "tst_teach_guidance.moc"
