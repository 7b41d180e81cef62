// The "Decision boundary" playground (offscreen): the map of a trained spirals model classifies
// the test points as the model does and gives its test accuracy; a single step is exactly one
// optimizer step (the same weights as train::Stepper's first step); pause stops stepping; a
// learning rate changed while running applies to the next step; the neuron pictures are the
// hidden activations at the grid's points (the first 64 of a wider layer); the main window shows
// the dock for 2-D data only.
#include "app/main_window.h"
#include "data/data_source.h"
#include "data/gather_batch.h"
#include "document/model_document.h"
#include "error.h"
#include "nn/module.h"
#include "playground/field_image.h"
#include "playground/playground_panel.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "test_support.h"
#include "train/evaluate.h"
#include "train/stepper.h"
#include "training/training_setup_panel.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDockWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>
#include <cmath>
#include <numeric>

using namespace nnstudio;
using namespace nnstudio::ui;

namespace {

spec::ModelSpec spiral_spec() {
    return spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/spiral_mlp.json");
}

train::TrainSetup spiral_setup() { return train::parse_train_setup(spiral_spec().extra["training"]); }

// The panel's newest frame once it satisfies `ready` (frames keep coming while it plays).
std::shared_ptr<const PlaygroundFrame> wait_frame(PlaygroundPanel& panel, const std::function<bool(const PlaygroundFrame&)>& ready,
                                                  int timeout_ms = 60000) {
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeout_ms) {
        if (panel.frame() && ready(*panel.frame())) return panel.frame();
        QTest::qWait(10);
    }
    return nullptr;
}

std::vector<uint8_t> bytes_of(const StateDict& sd) {
    std::vector<uint8_t> out;
    for (const auto& [key, t] : sd) out.insert(out.end(), t.bytes.begin(), t.bytes.end());
    return out;
}

// The model of a frame: the spec with the frame's weights, in eval mode.
nn::Model model_of(const PlaygroundFrame& f) {
    nn::Model m = spec::build_model(spiral_spec());
    m.load_state_dict(f.weights, true);
    m.eval();
    return m;
}

// argmax of the model's forward at each (x, y) of `points` (N, 2), normalised as in training.
std::vector<int64_t> model_classes(nn::Model& m, const std::vector<float>& points, const data::Normalization& norm) {
    const int64_t n = static_cast<int64_t>(points.size() / 2);
    const data::Dataset d = data::Dataset::from_floats({2}, points, std::vector<int32_t>(static_cast<size_t>(n), 0), 3);
    std::vector<int64_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    Tensor x, y;
    data::gather_batch(d, idx, norm, x, y);
    nn::NoGradGuard no_grad;
    const Tensor& out = m.forward(x);
    std::vector<int64_t> classes;
    for (int64_t i = 0; i < n; ++i) classes.push_back(train::argmax_row(out, i));
    return classes;
}

// The class whose colour ramp (white -> class colour) the pixel lies on: the painted class.
int painted_class(QRgb pixel, int64_t classes) {
    int best = -1;
    double best_residual = 1e9;
    for (int k = 0; k < classes; ++k) {
        const QColor c = classColor(k);
        const double d[3] = {c.red() - 255.0, c.green() - 255.0, c.blue() - 255.0};
        const double p[3] = {qRed(pixel) - 255.0, qGreen(pixel) - 255.0, qBlue(pixel) - 255.0};
        const double t = (p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        double r = 0;
        for (int i = 0; i < 3; ++i) r += (p[i] - t * d[i]) * (p[i] - t * d[i]);
        if (t > 0 && r < best_residual) best_residual = r, best = k;
    }
    return best;
}

// A reference run of the session's first steps: same model init, data and setup (val_split 0).
struct Reference {
    train::TrainSetup setup = spiral_setup();
    data::LoadedData data;
    std::optional<nn::Model> model;
    std::unique_ptr<train::Stepper> stepper;
    Reference() {
        setup.val_split = 0;
        data = data::load_data(data::parse_data_source(setup.data), train::data_options_for(setup));
        model.emplace(spec::build_model(spiral_spec()));
        spec::initialize_model(*model, setup.seed);
        stepper = std::make_unique<train::Stepper>(*model, setup, data);
    }
};

}  // namespace

class TestPlayground : public QObject {
    Q_OBJECT

private slots:
    void decision_map_classifies_test_points_as_the_model_does() {
        PlaygroundPanel panel;
        panel.resize(1100, 320);
        panel.show();
        panel.setSource(spiral_spec(), {}, spiral_setup());
        QVERIFY(panel.session());
        panel.speedBox()->setCurrentIndex(panel.speedBox()->count() - 1);  // as fast as possible
        test::Heartbeat heartbeat;
        QTest::mouseClick(panel.playButton(), Qt::LeftButton);
        QVERIFY(panel.session()->isPlaying());
        QVERIFY(wait_frame(panel, [](const PlaygroundFrame& f) { return f.step >= 1500 && f.test_accuracy > 0.9; }));
        heartbeat.stop();
        QTest::mouseClick(panel.playButton(), Qt::LeftButton);  // pause: the paused frame is exact
        QVERIFY(!panel.session()->isPlaying());
        QTest::qWait(300);
        const auto f = panel.frame();
        QVERIFY2(heartbeat.maxGapMs() < 150, qPrintable(QString("the GUI thread stalled %1 ms").arg(heartbeat.maxGapMs())));
        qInfo("trained to step %lld, test accuracy %.3f; largest event-loop gap %lld ms", static_cast<long long>(f->step),
              f->test_accuracy, static_cast<long long>(heartbeat.maxGapMs()));

        nn::Model model = model_of(*f);
        const std::vector<int64_t> predicted = model_classes(model, f->test_points, f->normalization);
        const GridField& g = f->field;
        QCOMPARE(g.resolution, PlaygroundSession::kGridResolution);
        int64_t compared = 0, map_correct = 0, model_correct = 0;
        for (size_t i = 0; i < f->test_labels.size(); ++i) {
            const int64_t cell = g.cell_at(f->test_points[2 * i], f->test_points[2 * i + 1]);
            QVERIFY(cell >= 0);  // the grid covers the data
            const int row = static_cast<int>(cell / g.resolution), col = static_cast<int>(cell % g.resolution);
            const int32_t map_class = g.predicted[static_cast<size_t>(cell)];
            QCOMPARE(painted_class(f->boundary.pixel(col, g.resolution - 1 - row), g.classes), map_class);
            map_correct += map_class == f->test_labels[i];
            model_correct += predicted[i] == f->test_labels[i];
            bool on_boundary = false;  // a neighbouring cell of another class: the boundary crosses here
            for (int dr = -1; dr <= 1; ++dr)
                for (int dc = -1; dc <= 1; ++dc) {
                    const int r = std::clamp(row + dr, 0, g.resolution - 1), c = std::clamp(col + dc, 0, g.resolution - 1);
                    on_boundary |= g.predicted[static_cast<size_t>(r * g.resolution + c)] != map_class;
                }
            if (on_boundary) continue;
            ++compared;
            QCOMPARE(int64_t(map_class), predicted[i]);
        }
        const double n = static_cast<double>(f->test_labels.size());
        QVERIFY2(compared > 0.8 * n, qPrintable(QString("only %1 of %2 test points away from the boundary").arg(compared).arg(n)));
        // The frame's accuracy is the model's (one point apart at most: a batch of another size may
        // round a tie the other way).
        QVERIFY(std::abs(model_correct / n - f->test_accuracy) <= 1.0 / n + 1e-12);
        QVERIFY2(std::abs(map_correct / n - f->test_accuracy) <= 0.02,
                 qPrintable(QString("map accuracy %1, model %2").arg(map_correct / n).arg(f->test_accuracy)));
    }

    void single_step_is_one_optimizer_step() {
        PlaygroundPanel panel;
        panel.setSource(spiral_spec(), {}, spiral_setup());
        const auto f0 = wait_frame(panel, [](const PlaygroundFrame& f) { return f.step == 0; });
        QVERIFY(f0);
        Reference ref;
        QCOMPARE(bytes_of(f0->weights), bytes_of(ref.model->state_dict()));  // same start
        QTest::mouseClick(panel.stepButton(), Qt::LeftButton);
        const auto f1 = wait_frame(panel, [](const PlaygroundFrame& f) { return f.step >= 1; });
        QVERIFY(f1);
        QCOMPARE(f1->step, int64_t(1));
        ref.stepper->step();
        QCOMPARE(bytes_of(f1->weights), bytes_of(ref.model->state_dict()));
        for (int i = 0; i < 3; ++i) QTest::mouseClick(panel.stepButton(), Qt::LeftButton);
        const auto f4 = wait_frame(panel, [](const PlaygroundFrame& f) { return f.step >= 4; });
        QVERIFY(f4);
        QTest::qWait(200);
        QCOMPARE(panel.frame()->step, int64_t(4));  // never more than asked for
        QVERIFY(!panel.session()->isPlaying());
        // Reset: step 0 again, with new random weights.
        QTest::mouseClick(panel.resetButton(), Qt::LeftButton);
        const auto r = wait_frame(panel, [](const PlaygroundFrame& f) { return f.step == 0; });
        QVERIFY(r);
        QVERIFY(bytes_of(r->weights) != bytes_of(f0->weights));
    }

    void pause_stops_stepping() {
        PlaygroundPanel panel;
        panel.setSource(spiral_spec(), {}, spiral_setup());
        panel.speedBox()->setCurrentIndex(panel.speedBox()->findData(100.0));
        QTest::mouseClick(panel.playButton(), Qt::LeftButton);
        QVERIFY(wait_frame(panel, [](const PlaygroundFrame& f) { return f.step > 5; }));
        QCOMPARE(panel.playButton()->text(), QString("Pause"));
        QSignalSpy shown(&panel, &PlaygroundPanel::frameShown);
        QTest::mouseClick(panel.playButton(), Qt::LeftButton);
        QCOMPARE(panel.playButton()->text(), QString("Play"));
        QTRY_VERIFY(shown.count() >= 1);  // the paused frame (a frame is in flight at most)
        // Quiet for 400 ms: a run still stepping at 100 steps/s would post a frame every 50 ms.
        QElapsedTimer clock;
        clock.start();
        for (qsizetype seen = -1; seen != shown.count() && clock.elapsed() < 10000;) {
            seen = shown.count();
            QTest::qWait(400);
        }
        const int64_t paused_at = panel.frame()->step;
        QTest::qWait(700);  // 70 steps at the chosen speed if it were still running
        QCOMPARE(panel.frame()->step, paused_at);
        QVERIFY(!panel.session()->takeFrame());  // and nothing new on the way
    }

    void learning_rate_change_applies_to_the_next_step() {
        PlaygroundPanel panel;
        panel.setSource(spiral_spec(), {}, spiral_setup());
        QVERIFY(wait_frame(panel, [](const PlaygroundFrame& f) { return f.step == 0; }));
        QCOMPARE(panel.learningRateBox()->currentData().toDouble(), 0.01);  // the setup's
        panel.learningRateBox()->setCurrentIndex(panel.learningRateBox()->findData(0.3));
        QTest::mouseClick(panel.stepButton(), Qt::LeftButton);
        const auto f1 = wait_frame(panel, [](const PlaygroundFrame& f) { return f.step == 1; });
        QVERIFY(f1);
        Reference with, without;
        with.stepper->optimizer().set_lr(0.3);
        with.stepper->step();
        without.stepper->step();
        QCOMPARE(bytes_of(f1->weights), bytes_of(with.model->state_dict()));
        QVERIFY(bytes_of(f1->weights) != bytes_of(without.model->state_dict()));

        // While playing: from a learning rate of 0 on, the steps go on and the weights stay.
        panel.speedBox()->setCurrentIndex(panel.speedBox()->count() - 1);
        QTest::mouseClick(panel.playButton(), Qt::LeftButton);
        QVERIFY(wait_frame(panel, [](const PlaygroundFrame& f) { return f.step > 20; }));
        // The third frame shown after a command was made after the worker applied it (the first may
        // have waited in the mailbox, the second may come from the step that was running).
        QSignalSpy shown(&panel, &PlaygroundPanel::frameShown);
        panel.session()->setLearningRate(0.0);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 3, 20000);
        const auto a = panel.frame();
        const auto b = wait_frame(panel, [&](const PlaygroundFrame& f) { return f.step > a->step + 20; });
        QVERIFY(b);
        QCOMPARE(bytes_of(b->weights), bytes_of(a->weights));
        // Weight decay and noise change while running, too (no error, the run goes on).
        panel.weightDecayBox()->setCurrentIndex(panel.weightDecayBox()->findData(0.01));
        panel.noiseBox()->setValue(0.5);
        shown.clear();
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 3, 20000);
        const auto c = panel.frame();
        QVERIFY(c->step > b->step);
        QVERIFY(c->error.empty());
        QVERIFY(c->train_points != a->train_points);  // the noisier samples
        QCOMPARE(c->train_points.size(), a->train_points.size());
    }

    void neuron_pictures_are_the_hidden_activations() {
        PlaygroundPanel panel;
        panel.setSource(spiral_spec(), {}, spiral_setup());
        for (int i = 0; i < 30; ++i) panel.session()->singleStep();
        const auto f = wait_frame(panel, [](const PlaygroundFrame& f) { return f.step == 30; });
        QVERIFY(f);
        const GridField& g = f->field;
        QCOMPARE(g.hidden.size(), size_t{2});
        QCOMPARE(QString::fromStdString(g.hidden[0].path), QString("act1"));
        QCOMPARE(QString::fromStdString(g.hidden[1].path), QString("act2"));
        QCOMPARE(f->neurons.size(), size_t{2});
        QCOMPARE(f->neurons[0].size(), size_t{64});
        // float64 reference: relu(W1 x + b1), relu(W2 h1 + b2) at the normalised cell centre.
        const auto w = [&](const std::string& key) { return f->weights.at(key).to_float(); };
        const Tensor w1 = w("fc1.weight"), b1 = w("fc1.bias"), w2 = w("fc2.weight"), b2 = w("fc2.bias");
        const data::Normalization& norm = f->normalization;
        double worst = 0;
        for (int cell : {0, 99, 4321, 5050, 9999}) {
            double x[2] = {g.cell_x(cell % g.resolution), g.cell_y(cell / g.resolution)};
            for (int d = 0; d < 2; ++d) {
                if (norm.mean.empty()) break;
                const size_t k = norm.mean.size() == 1 ? 0 : static_cast<size_t>(d);
                x[d] = (static_cast<float>(x[d]) - norm.mean[k]) / norm.stddev[k];
            }
            std::vector<double> h1(64), h2(64);
            for (int j = 0; j < 64; ++j)
                h1[j] = std::max(0.0, double(b1.begin()[j]) + w1.begin()[2 * j] * x[0] + w1.begin()[2 * j + 1] * x[1]);
            for (int j = 0; j < 64; ++j) {
                double s = b2.begin()[j];
                for (int i = 0; i < 64; ++i) s += double(w2.begin()[64 * j + i]) * h1[i];
                h2[j] = std::max(0.0, s);
            }
            for (int j = 0; j < 64; ++j) {
                worst = std::max(worst, std::abs(g.hidden[0].values[static_cast<size_t>(j) * g.cells() + cell] - h1[j]));
                worst = std::max(worst, std::abs(g.hidden[1].values[static_cast<size_t>(j) * g.cells() + cell] - h2[j]));
            }
        }
        QVERIFY2(worst < 1e-4, qPrintable(QString("largest difference %1").arg(worst)));
        // A neuron's picture: white where it is 0, full blue at its largest activation.
        const HiddenField& layer = g.hidden[0];
        for (int64_t k = 0; k < layer.neurons; ++k) {
            const float* v = layer.values.data() + k * g.cells();
            const int64_t top = std::max_element(v, v + g.cells()) - v;
            if (v[top] <= 0) continue;
            const QImage& img = f->neurons[0][static_cast<size_t>(k)];
            QCOMPARE(QColor(img.pixel(int(top % g.resolution), g.resolution - 1 - int(top / g.resolution))), QColor(8, 119, 189));
            const int64_t zero = std::min_element(v, v + g.cells()) - v;
            if (v[zero] == 0)
                QCOMPARE(QColor(img.pixel(int(zero % g.resolution), g.resolution - 1 - int(zero / g.resolution))), QColor(Qt::white));
        }
    }

    void wide_layers_keep_their_first_neurons() {
        nlohmann::json doc = nlohmann::json::parse(R"({"format": "nnstudio.model", "version": 1, "name": "Wide", "input": {"shape": [2]},
          "root": {"type": "Sequential", "children": [
            {"name": "fc1", "type": "Linear", "out_features": 100}, {"name": "act1", "type": "Tanh"},
            {"name": "fc2", "type": "Linear", "out_features": 2}]}})");
        nn::Model m = spec::build_model(spec::parse_model_spec(doc));
        spec::initialize_model(m, 3);
        const GridRect rect{-2, 2, -1, 3};
        const GridField capped = evaluate_grid(m, {}, rect, 20), full = evaluate_grid(m, {}, rect, 20, 2, 1000);
        QCOMPARE(capped.hidden.size(), size_t{1});
        QCOMPARE(capped.hidden[0].neurons, int64_t(64));
        QCOMPARE(capped.hidden[0].layer_width, int64_t(100));
        QCOMPARE(full.hidden[0].neurons, int64_t(100));
        const auto& a = capped.hidden[0].values;
        QCOMPARE(a, std::vector<float>(full.hidden[0].values.begin(), full.hidden[0].values.begin() + static_cast<long>(a.size())));
        QCOMPARE(capped.predicted, full.predicted);
        QVERIFY_THROWS_EXCEPTION(Error, evaluate_grid(m, {}, rect, 1));
    }

    void main_window_shows_the_dock_for_2d_data_only() {
        QStandardPaths::setTestModeEnabled(true);
        MainWindow w;
        w.openStartup({});
        w.show();
        auto* dock = w.findChild<QDockWidget*>("decisionBoundaryDock");
        QVERIFY(dock);
        QTest::qWait(50);
        QVERIFY(!dock->isVisible());  // deep_mlp on Fashion-MNIST
        w.openExample("spiral_mlp.json");
        QTRY_VERIFY(dock->isVisible());
        auto* panel = qobject_cast<PlaygroundPanel*>(dock->widget());
        QVERIFY(panel);
        QTRY_VERIFY(panel->session());
        QTRY_VERIFY(panel->frame());
        QDir().mkpath(test::screenshotDir() + "/screenshots");
        w.grab().save(test::screenshotDir() + "/screenshots/playground_in_main_window.png");
        w.openExample("deep_mlp.json");
        QTRY_VERIFY(!dock->isVisible());
        QVERIFY(!panel->session());
    }
};

QTEST_MAIN(TestPlayground)
#include "tst_playground.moc"
