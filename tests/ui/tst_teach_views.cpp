// Teaching views (issue 6): the init lab, train/eval A/B and gradient inspector views compute
// with core/teach on a worker thread (the event loop keeps ticking), plot exactly the core's
// numbers, show the lessons, and report bad setups in the view. Screenshots after computing.
#include "loss/loss.h"
#include "plots/live_plot.h"
#include "spec/model_spec.h"
#include "teach/gradient_inspector_view.h"
#include "teach/init_lab.h"
#include "teach/init_lab_view.h"
#include "teach/mode_compare_view.h"
#include "teach/run_bar.h"
#include "teach/teach_inputs_form.h"
#include "teach/teach_model.h"
#include "test_support.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QTableWidget>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace nnstudio;
using nnstudio::ui::GradientInspectorView;
using nnstudio::ui::InitLabView;
using nnstudio::ui::ModeCompareView;

using nnstudio::test::Heartbeat;
using nnstudio::test::screenshotDir;

namespace {

spec::ModelSpec modelSpec(const QString& name) {
    return spec::load_model_spec((test::source_dir() + "/resources/models/" + name + ".json").toStdString());
}

// Runs `view` and waits for finished(); returns the largest event-loop gap, or -1 when it failed
// or did not finish in time.
template <class View>
qint64 computeAndWait(View& view, int timeoutMs = 120000) {
    QSignalSpy done(&view, &View::finished);
    QSignalSpy failed(&view, &View::failed);
    Heartbeat heartbeat;
    view.run();
    QElapsedTimer waited;
    waited.start();
    while (done.count() + failed.count() == 0 && waited.elapsed() < timeoutMs) QTest::qWait(10);
    if (!failed.isEmpty()) qWarning() << "failed:" << failed.first().first().toString();
    return done.isEmpty() ? -1 : heartbeat.maxGapMs();
}

void saveScreenshot(QWidget& view, const QString& name) {
    view.resize(1200, 800);
    view.show();
    QTest::qWait(200);  // the plots' timed redraws
    const QString path = screenshotDir() + "/" + name + ".png";
    QVERIFY(view.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

double lastValue(const ui::LivePlot* plot, const QString& key) {
    const QCPGraph* graph = plot->series(key);
    return graph && !graph->data()->isEmpty() ? (graph->data()->constEnd() - 1)->value : std::nan("");
}

double valueAt(const ui::LivePlot* plot, const QString& key, double x) {
    const QCPGraph* graph = plot->series(key);
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        if (it->key == x) return it->value;
    return std::nan("");
}

}  // namespace

class TestTeachViews : public QObject {
    Q_OBJECT
private slots:
    void initLabPlotsTheCoreNumbers();
    void initLabTrainsAndOverlaysLosses();
    void initLabReportsABadSetup();
    void modeCompareEvalLossIsTheEngines();
    void modeCompareShowsTheBatchOfOneTrap();
    void gradientInspectorFlagsVanishing();
    void viewsComputeOnTheSeedModels_data();
    void viewsComputeOnTheSeedModels();
};

void TestTeachViews::initLabPlotsTheCoreNumbers() {
    const spec::ModelSpec spec = modelSpec("deep_tanh_mlp");
    InitLabView view;
    view.setModel(spec);
    view.inputs()->setRandomInputs(true);
    view.inputs()->setBatchSize(64);
    view.inputs()->setSeed(0);
    view.show();
    const qint64 gap = computeAndWait(view);
    QVERIFY(gap >= 0);
    qInfo("largest event-loop gap while the init lab computed: %lld ms", static_cast<long long>(gap));
    QVERIFY2(gap < 100, qPrintable(QString::number(gap)));
    QVERIFY(view.result());
    QCOMPARE(view.result()->runs.size(), size_t(9));

    // Every layer in execution order, as the engine lists them (the default shows one kind).
    view.depthLayersPicker()->setCurrentIndex(static_cast<int>(InitLabView::DepthLayers::Every));
    // The same computation directly on the engine.
    nn::Model model = teach::prepare_model(spec, {}, {});
    const teach::TeachData data = teach::load_teach_data(model, "", 64, 1, 0);
    teach::InitLabOptions options;
    options.schemes = {teach::lab_scheme("normal"), teach::lab_scheme("xavier_uniform"), teach::lab_scheme("small_normal")};
    const teach::InitLabResult direct = teach::run_init_lab(spec, {}, data, options);
    for (const teach::SchemeRun& run : direct.runs) {
        const QString id = QString::fromStdString(run.scheme.id);
        const auto& layers = run.at_init.layers;
        QCOMPARE(view.activationPlot()->pointCount(id), int(layers.size()));
        QCOMPARE(lastValue(view.activationPlot(), id), layers.back().activation.std);
        QCOMPARE(lastValue(view.gradientPlot(), id), layers.back().output_grad.std);
    }
    // The lessons at the last Tanh: N(0,1) saturates, Xavier stays alive, a small normal vanishes.
    const auto& xavierLayers = direct.runs[1].at_init.layers;
    int lastTanh = -1;
    for (const auto& l : xavierLayers)
        if (l.type == "Tanh") lastTanh = l.depth;
    QVERIFY(lastTanh > 0);
    const double normalStd = valueAt(view.activationPlot(), "normal", lastTanh);
    const double xavierStd = valueAt(view.activationPlot(), "xavier_uniform", lastTanh);
    const double smallStd = valueAt(view.activationPlot(), "small_normal", lastTanh);
    qInfo("last Tanh std: N(0,1) %g, Xavier %g, small normal %g", normalStd, xavierStd, smallStd);
    QVERIFY(normalStd > 0.9);
    QVERIFY(*direct.runs[0].at_init.layers[static_cast<size_t>(lastTanh)].saturated > 0.5);
    QVERIFY(xavierStd > 0.1 && xavierStd < 0.6);
    QVERIFY(smallStd < 1e-5);

    // The histogram follows the layer picker: 40 bins per scheme.
    view.layerPicker()->setCurrentIndex(lastTanh);
    QCOMPARE(view.histogramPlot()->pointCount("normal"), teach::kHistogramBins);
    saveScreenshot(view, "teach_init_lab");
}

void TestTeachViews::initLabTrainsAndOverlaysLosses() {
    InitLabView view;
    view.setModel(modelSpec("deep_tanh_mlp"));
    view.setSchemes({"xavier_tanh", "normal", "zeros"});
    view.inputs()->setBatchSize(32);
    QSignalSpy done(&view, &InitLabView::finished);
    view.runTraining(10);
    QVERIFY(view.runBar()->isBusy());
    QVERIFY(!view.runBar()->runButton()->isEnabled());
    QCOMPARE(view.runBar()->statusText(), QStringLiteral("computing…"));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QVERIFY(view.runBar()->runButton()->isEnabled());
    for (const char* id : {"xavier_tanh", "normal", "zeros"}) QCOMPARE(view.lossPlot()->pointCount(id), 10);
    saveScreenshot(view, "teach_init_lab_training");
}

void TestTeachViews::initLabReportsABadSetup() {
    spec::ModelSpec spec = modelSpec("deep_tanh_mlp");
    InitLabView view;
    view.setModel(spec);
    train::TrainSetup setup;
    setup.data = "spirals";  // 2 features into a 784-input model
    setup.batch_size = 16;
    view.setSetup(setup);
    view.inputs()->setRandomInputs(false);
    QSignalSpy failed(&view, &InitLabView::failed);
    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    qInfo("message: %s", qPrintable(view.runBar()->statusText()));
    QVERIFY(!view.runBar()->statusText().isEmpty());
    QVERIFY(view.runBar()->runButton()->isEnabled());
    view.setSchemes({});
    view.run();
    QCOMPARE(failed.count(), 2);
    QVERIFY(view.runBar()->statusText().contains("scheme"));
}

void TestTeachViews::modeCompareEvalLossIsTheEngines() {
    const spec::ModelSpec spec = modelSpec("deep_mlp");
    ModeCompareView view;
    view.setModel(spec);
    view.inputs()->setBatchSize(64);
    view.show();
    const qint64 gap = computeAndWait(view);
    QVERIFY(gap >= 0 && gap < 100);
    QVERIFY(view.comparison());

    nn::Model model = teach::prepare_model(spec, {}, {});
    const teach::TeachData data = teach::load_teach_data(model, "", 64, 1, 0);
    model.eval();
    const Tensor& output = model.forward(data.batches.front().x);
    const double engineLoss = loss::make_loss("CrossEntropyLoss", nullptr)->compute(output, data.batches.front().y).value;
    QCOMPARE(view.comparison()->eval.loss, engineLoss);
    QCOMPARE(view.summaryTable()->item(0, 2)->text(), QString::number(engineLoss, 'g', 4));
    QCOMPARE(view.batchNormTable()->rowCount(), 3);
    QCOMPARE(view.dropoutTable()->rowCount(), 3);
    QVERIFY(view.featurePlot()->plottableCount() == 2);
    saveScreenshot(view, "teach_mode_compare");
}

void TestTeachViews::modeCompareShowsTheBatchOfOneTrap() {
    ModeCompareView view;
    view.setModel(modelSpec("deep_mlp"));
    QSignalSpy failed(&view, &ModeCompareView::failed);
    view.runBatchOfOne();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    const QString message = view.runBar()->statusText();
    qInfo("batch of one: %s", qPrintable(message));
    QVERIFY(message.contains("Expected more than 1 value per channel when training"));
    QVERIFY(view.runBar()->runButton()->isEnabled());
    saveScreenshot(view, "teach_mode_compare_batch_of_one");
}

void TestTeachViews::gradientInspectorFlagsVanishing() {
    GradientInspectorView view;
    view.setModel(modelSpec("deep_tanh_mlp"));
    view.setScheme("small_normal");
    view.show();
    const qint64 gap = computeAndWait(view);
    QVERIFY(gap >= 0 && gap < 100);
    QVERIFY(view.report());
    bool vanishing = false;
    for (const auto& f : view.report()->flags) vanishing = vanishing || f.kind == teach::GradientFlagKind::Vanishing;
    QVERIFY(vanishing);
    QCOMPARE(view.table()->rowCount(), int(view.report()->params.size()));
    int flaggedRows = 0;
    for (int r = 0; r < view.table()->rowCount(); ++r) flaggedRows += view.table()->item(r, 6)->text().contains("vanishing");
    QVERIFY(flaggedRows > 0);
    QVERIFY(view.flagsText().contains("Fix:"));
    QCOMPARE(view.histogramPlot()->seriesKeys().size(), 1);
    QCOMPARE(view.histogramPlot()->pointCount(view.histogramPlot()->seriesKeys().front()), teach::kHistogramBins);
    saveScreenshot(view, "teach_gradient_inspector");
}

void TestTeachViews::viewsComputeOnTheSeedModels_data() {
    QTest::addColumn<QString>("model");
    for (const char* name : {"simple_net", "deep_mlp", "residual_network", "conditional_net"}) QTest::newRow(name) << name;
}

void TestTeachViews::viewsComputeOnTheSeedModels() {
    QFETCH(QString, model);
    const spec::ModelSpec spec = modelSpec(model);
    InitLabView lab;
    lab.setModel(spec);
    lab.setSchemes({"default", "kaiming_normal"});
    lab.inputs()->setBatchSize(16);
    QVERIFY(computeAndWait(lab) >= 0);
    ModeCompareView modes;
    modes.setModel(spec);
    modes.inputs()->setBatchSize(16);
    QVERIFY(computeAndWait(modes) >= 0);
    GradientInspectorView gradients;
    gradients.setModel(spec);
    gradients.inputs()->setBatchSize(16);
    QVERIFY(computeAndWait(gradients) >= 0);
}

QTEST_MAIN(TestTeachViews)
#include "tst_teach_views.moc"
