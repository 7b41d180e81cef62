// Trainer: synthetic sets are learnable, the same seed gives bit-identical losses, pause/resume/
// stop from another thread, NaN detection names the parameter, a resumed run ends with the same
// weights as an uninterrupted one, slow listeners never slow training, one queue type feeds every
// consumer (listeners and the GUI's pulled queue), and a CI-sized
// Fashion-MNIST run exercises the real data path.
#include "data/fashion_mnist.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "test_support.h"
#include "train/run_directory.h"
#include "train/snapshot_dispatcher.h"
#include "train/snapshot_queue.h"
#include "train/trainer.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>

using namespace nnstudio;
using nlohmann::json;
using train::MetricsSnapshot;
using train::SnapshotDispatcher;
using train::SnapshotKind;

namespace {

spec::ModelSpec tiny_spec(bool with_dropout_and_bn) {
    json doc = json::parse(R"({"format": "nnstudio.model", "version": 1, "name": "Tiny", "input": {"shape": [2]},
      "root": {"type": "Sequential", "children": [
        {"name": "fc1", "type": "Linear", "out_features": 32},
        {"name": "act", "type": "ReLU"},
        {"name": "fc2", "type": "Linear", "out_features": 3}]}})");
    if (with_dropout_and_bn) {
        auto& kids = doc["root"]["children"];
        kids.insert(kids.begin() + 1, json{{"name", "bn"}, {"type", "BatchNorm1d"}});
        kids.insert(kids.begin() + 3, json{{"name", "drop"}, {"type", "Dropout"}, {"p", 0.2}});
    }
    return spec::parse_model_spec(doc);
}

train::TrainSetup spirals_setup(int epochs) {
    train::TrainSetup s;
    s.data = "spirals";
    s.synthetic.samples = 900;
    s.epochs = epochs;
    s.batch_size = 32;
    s.optimizer = {"Adam", {{"lr", 0.01}}};
    s.normalization = data::NormalizationKind::None;
    return s;
}

data::LoadedData load(const train::TrainSetup& s) {
    data::DataOptions o;
    o.synthetic = s.synthetic;
    o.split_seed = s.seed;
    return data::load_data(data::parse_data_source(s.data), o);
}

// Every epoch's train and validation loss, then every weight's bits.
std::vector<double> run_fingerprint(const train::TrainSetup& setup, const data::LoadedData& d) {
    nn::Model model = spec::build_model(tiny_spec(true));
    spec::initialize_model(model, setup.seed);
    train::Trainer t(model, setup, d);
    std::vector<double> out;
    std::mutex m;
    t.add_listener([&](const train::MetricsSnapshot& s) {
        if (s.kind != train::SnapshotKind::Epoch) return;
        std::lock_guard lock(m);
        out.push_back(s.train.loss);
        out.push_back(s.val.loss);
    });
    t.run();
    for (const auto& [key, value] : model.state_dict())
        for (uint8_t b : value.bytes) out.push_back(b);
    return out;
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private slots:
    void spirals_are_learnable() {
        spec::ModelSpec spec = spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/spiral_mlp.json");
        train::TrainSetup setup = train::parse_train_setup(spec.extra["training"]);
        nn::Model model = spec::build_model(spec);
        spec::initialize_model(model, 0);
        const data::LoadedData d = load(setup);
        train::Trainer t(model, setup, d);
        const train::TrainResult r = t.run();
        QCOMPARE(r.status, train::RunStatus::Completed);
        QVERIFY2(r.test.accuracy > 0.95, qPrintable(QString("test accuracy %1").arg(r.test.accuracy)));
        int64_t total = 0;
        for (const auto& row : r.confusion)
            for (int64_t v : row) total += v;
        QCOMPARE(total, r.test.samples);
    }

    void same_seed_gives_identical_losses() {
        const train::TrainSetup setup = spirals_setup(2);
        const data::LoadedData d = load(setup);
        const auto a = run_fingerprint(setup, d), b = run_fingerprint(setup, d);
        QVERIFY(!a.empty());
        QCOMPARE(a, b);  // bit-identical
        train::TrainSetup other = setup;
        other.seed = 1;
        QVERIFY(run_fingerprint(other, d) != a);
    }

    void pause_resume_and_stop_from_another_thread() {
        train::TrainSetup setup = spirals_setup(10000);
        const data::LoadedData d = load(setup);
        nn::Model model = spec::build_model(tiny_spec(false));
        spec::initialize_model(model, 0);
        train::Trainer t(model, setup, d);
        std::atomic<int64_t> last_step{0};
        t.add_listener([&](const train::MetricsSnapshot& s) { last_step = s.step; });
        train::TrainResult result;
        std::thread worker([&] { result = t.run(); });
        QTRY_VERIFY_WITH_TIMEOUT(last_step > 5, 10000);
        t.pause();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the step in flight finish
        const int64_t paused_at = last_step;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QCOMPARE(last_step.load(), paused_at);
        QVERIFY(t.is_paused());
        t.resume();
        QTRY_VERIFY_WITH_TIMEOUT(last_step > paused_at + 5, 10000);
        t.stop();
        worker.join();
        QCOMPARE(result.status, train::RunStatus::Stopped);
        QVERIFY(result.message.find("stopped") != std::string::npos);
    }

    void stop_while_paused_ends_the_run() {
        train::TrainSetup setup = spirals_setup(10000);
        const data::LoadedData d = load(setup);
        nn::Model model = spec::build_model(tiny_spec(false));
        spec::initialize_model(model, 0);
        train::Trainer t(model, setup, d);
        t.pause();
        train::TrainResult result;
        std::thread worker([&] { result = t.run(); });
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        t.stop();
        worker.join();
        QCOMPARE(result.status, train::RunStatus::Stopped);
        QCOMPARE(result.steps, int64_t{0});
    }

    void nan_stops_the_run_naming_the_parameter() {
        train::TrainSetup setup = spirals_setup(50);
        setup.optimizer = {"SGD", {{"lr", 1e30}}};
        const data::LoadedData d = load(setup);
        nn::Model model = spec::build_model(tiny_spec(false));
        spec::initialize_model(model, 0);
        train::Trainer t(model, setup, d);
        const train::TrainResult r = t.run();
        QCOMPARE(r.status, train::RunStatus::Failed);
        QVERIFY2(r.message.find("first parameter with a non-finite gradient: fc") != std::string::npos ||
                     r.message.find("the loss became") != std::string::npos,
                 r.message.c_str());
        QVERIFY2(r.message.find("Lower the learning rate") != std::string::npos, r.message.c_str());
    }

    void resumed_run_equals_uninterrupted_run() {
        QTemporaryDir dir;
        train::TrainSetup setup = spirals_setup(4);
        const data::LoadedData d = load(setup);
        const spec::ModelSpec spec = tiny_spec(true);

        nn::Model full = spec::build_model(spec);
        spec::initialize_model(full, 0);
        train::Trainer uninterrupted(full, setup, d);
        QCOMPARE(uninterrupted.run().status, train::RunStatus::Completed);

        const std::string run_path = dir.filePath("run").toStdString();
        {
            nn::Model first = spec::build_model(spec);
            spec::initialize_model(first, 0);
            auto run_dir = train::RunDirectory::create(run_path, spec, setup, first.flags());
            train::Trainer t(first, setup, d);
            t.set_run_directory(&run_dir);
            t.add_listener([&](const train::MetricsSnapshot& s) {
                if (s.kind == train::SnapshotKind::Step && s.epoch == 2) t.stop();  // "killed" during epoch 3
            });
            QCOMPARE(t.run().status, train::RunStatus::Stopped);
        }
        auto run_dir = train::RunDirectory::open(run_path);
        const auto checkpoint = run_dir.load_checkpoint();
        QVERIFY(checkpoint.has_value());
        QVERIFY(checkpoint->state.epochs_completed >= 2);
        nn::Model resumed = spec::build_model(run_dir.spec(), run_dir.flags());
        spec::initialize_model(resumed, 123);  // overwritten by the checkpoint
        train::Trainer t(resumed, run_dir.setup(), d);
        t.set_run_directory(&run_dir);
        t.restore(*checkpoint);
        QCOMPARE(t.run().status, train::RunStatus::Completed);
        for (const auto& [key, value] : full.state_dict())
            QVERIFY2(resumed.state_dict().at(key).bytes == value.bytes, key.c_str());
    }

    void slow_listeners_do_not_slow_training() {
        train::TrainSetup setup = spirals_setup(5);
        const data::LoadedData d = load(setup);
        const auto timed = [&](bool slow) {
            nn::Model model = spec::build_model(tiny_spec(false));
            spec::initialize_model(model, 0);
            train::Trainer t(model, setup, d);
            if (slow) t.add_listener([](const train::MetricsSnapshot&) { std::this_thread::sleep_for(std::chrono::milliseconds(20)); });
            const auto t0 = std::chrono::steady_clock::now();
            const train::TrainResult r = t.run();
            (void)r;
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        };
        const double fast = timed(false);
        const double slow = timed(true);
        // 5 epochs x 23 steps with a 20 ms listener would take > 2.3 s if the loop waited for it;
        // the loop itself only waits for the few epoch/final snapshots still queued at the end.
        QVERIFY2(slow < fast + 1.5, qPrintable(QString("with a slow listener %1 s, without %2 s").arg(slow).arg(fast)));
    }

    void a_run_that_outpaces_its_listener_keeps_the_last_steps() {
        // The listener is still busy with the first snapshot when the run ends: of each run of
        // queued steps the last one and the last one with parameter statistics are delivered.
        std::atomic<bool> release{false};
        std::vector<std::pair<SnapshotKind, int64_t>> seen;
        const auto snapshot = [](SnapshotKind kind, int64_t step, bool stats) {
            MetricsSnapshot s;
            s.kind = kind;
            s.step = step;
            if (stats) s.params.resize(1);
            return s;
        };
        {
            SnapshotDispatcher dispatcher({[&](const MetricsSnapshot& s) {
                seen.emplace_back(s.kind, s.step);
                while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }});
            dispatcher.post(snapshot(SnapshotKind::Step, 1, true));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the listener holds step 1
            for (int64_t step = 2; step <= 9; ++step) dispatcher.post(snapshot(SnapshotKind::Step, step, step % 5 == 0));
            dispatcher.post(snapshot(SnapshotKind::Epoch, 9, false));
            dispatcher.post(snapshot(SnapshotKind::Step, 10, true));
            dispatcher.post(snapshot(SnapshotKind::Step, 11, false));
            dispatcher.post(snapshot(SnapshotKind::Finished, 11, false));
            std::thread releaser([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                release = true;
            });
            releaser.detach();
        }  // closes: filters the queue, then delivers it
        const std::vector<std::pair<SnapshotKind, int64_t>> expected = {
            {SnapshotKind::Step, 1},  {SnapshotKind::Step, 5},  {SnapshotKind::Step, 9}, {SnapshotKind::Epoch, 9},
            {SnapshotKind::Step, 10}, {SnapshotKind::Step, 11}, {SnapshotKind::Finished, 11}};
        QCOMPARE(seen.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(static_cast<int>(seen[i].first), static_cast<int>(expected[i].first));
            QCOMPARE(seen[i].second, expected[i].second);
        }
    }

    void a_queue_that_falls_behind_drops_the_oldest_steps_only() {
        // When the consumer falls behind, the oldest step snapshots go; epoch and final ones never
        // do, and the order stays.
        train::SnapshotQueue queue(100);
        for (int i = 1; i <= 5000; ++i) {
            MetricsSnapshot s;
            s.step = i;
            s.kind = i == 2500 ? SnapshotKind::Epoch : SnapshotKind::Step;
            queue.push(s);
        }
        const std::vector<MetricsSnapshot> kept = queue.take(100000);
        QCOMPARE(kept.size(), size_t{101});
        QCOMPARE(queue.dropped(), int64_t{4899});
        QCOMPARE(kept.front().kind, SnapshotKind::Epoch);
        QCOMPARE(kept.front().step, int64_t{2500});
        QCOMPARE(kept[1].step, int64_t{4901});  // the newest 100 steps
        QCOMPARE(kept.back().step, int64_t{5000});
        QVERIFY(queue.take(10).empty());
    }

    void one_queue_type_feeds_every_consumer() {
        // A run with two callback listeners (the dispatcher's thread drains its SnapshotQueue into
        // them) and a queue drained by its consumer afterwards, as the GUI's timer does: all three
        // see every epoch and the final snapshot, in order; the queue, large enough, every step.
        train::TrainSetup setup = spirals_setup(3);
        setup.stats_every = 4;
        const data::LoadedData d = load(setup);
        nn::Model model = spec::build_model(tiny_spec(false));
        spec::initialize_model(model, 0);
        train::Trainer t(model, setup, d);
        std::vector<MetricsSnapshot> first, second;
        t.add_listener([&](const MetricsSnapshot& s) { first.push_back(s); });
        t.add_listener([&](const MetricsSnapshot& s) { second.push_back(s); });
        train::SnapshotQueue queue(100000);
        t.add_queue(&queue);
        const train::TrainResult r = t.run();
        const std::vector<MetricsSnapshot> pulled = queue.take(1000000);

        const auto milestones = [](const std::vector<MetricsSnapshot>& seen) {
            std::vector<std::pair<int, int64_t>> out;
            for (const MetricsSnapshot& s : seen)
                if (s.kind != SnapshotKind::Step) out.emplace_back(static_cast<int>(s.kind), s.step);
            return out;
        };
        const std::vector<std::pair<int, int64_t>> expected = {{static_cast<int>(SnapshotKind::Epoch), r.steps / 3},
                                                               {static_cast<int>(SnapshotKind::Epoch), 2 * r.steps / 3},
                                                               {static_cast<int>(SnapshotKind::Epoch), r.steps},
                                                               {static_cast<int>(SnapshotKind::Finished), r.steps}};
        QVERIFY(milestones(first) == expected);
        QVERIFY(milestones(second) == expected);
        QVERIFY(milestones(pulled) == expected);
        QCOMPARE(pulled.back().kind, SnapshotKind::Finished);
        QCOMPARE(pulled.back().test.accuracy, r.test.accuracy);
        QCOMPARE(static_cast<int64_t>(pulled.size()), r.steps + 4);  // no step dropped from a queue that keeps up
        QCOMPARE(queue.dropped(), int64_t{0});
        // The listeners got the same snapshots as each other, the last step of each epoch among them.
        QCOMPARE(first.size(), second.size());
        for (size_t i = 0; i < first.size(); ++i) QCOMPARE(first[i].step, second[i].step);
        QVERIFY(first.size() >= expected.size() * 2);
    }

    void fashion_mnist_ci_sized_run() {
        if (!data::fashion_mnist_available()) QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
        spec::ModelSpec spec = spec::load_model_spec(test::source_dir().toStdString() + "/resources/models/shallow_mlp.json");
        train::TrainSetup setup;
        setup.epochs = 1;
        setup.max_train_samples = 6000;
        nn::Model model = spec::build_model(spec);
        spec::initialize_model(model, 0);
        const data::LoadedData d = data::load_data(data::parse_data_source("fashion-mnist"));
        train::Trainer t(model, setup, d);
        const train::TrainResult r = t.run();
        QCOMPARE(r.status, train::RunStatus::Completed);
        QCOMPARE(r.test.samples, int64_t{10000});
        QVERIFY2(r.test.accuracy > 0.7, qPrintable(QString("test accuracy %1").arg(r.test.accuracy)));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
