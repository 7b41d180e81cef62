// Stepper (a run one step at a time): n steps end with the weights of a Trainer run of n steps
// (epochs, BatchNorm and Dropout included), a learning rate or weight decay changed between steps
// takes effect on the next step, and bad hyperparameter names or values are refused.
#include "data/data_source.h"
#include "error.h"
#include "optim/optimizer.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "test_support.h"
#include "train/stepper.h"
#include "train/trainer.h"

#include <QtTest>

using namespace nnstudio;
using nlohmann::json;

namespace {

nn::Model tiny_model(bool with_dropout_and_bn) {
    json doc = json::parse(R"({"format": "nnstudio.model", "version": 1, "name": "Tiny", "input": {"shape": [2]},
      "root": {"type": "Sequential", "children": [
        {"name": "fc1", "type": "Linear", "out_features": 16},
        {"name": "act", "type": "Tanh"},
        {"name": "fc2", "type": "Linear", "out_features": 3}]}})");
    if (with_dropout_and_bn) {
        auto& kids = doc["root"]["children"];
        kids.insert(kids.begin() + 1, json{{"name", "bn"}, {"type", "BatchNorm1d"}});
        kids.insert(kids.begin() + 3, json{{"name", "drop"}, {"type", "Dropout"}, {"p", 0.2}});
    }
    nn::Model m = spec::build_model(spec::parse_model_spec(doc));
    spec::initialize_model(m, 7);
    return m;
}

train::TrainSetup setup_with(const std::string& optimizer, json options) {
    train::TrainSetup s;
    s.data = "spirals";
    s.synthetic.samples = 300;
    s.batch_size = 32;
    s.epochs = 2;
    s.optimizer = {optimizer, std::move(options)};
    s.normalization = data::NormalizationKind::PerFeature;
    return s;
}

data::LoadedData load(const train::TrainSetup& s) { return data::load_data(data::parse_data_source(s.data), train::data_options_for(s)); }

std::vector<uint8_t> weight_bytes(const nn::Model& m) {
    std::vector<uint8_t> out;
    for (const auto& [key, value] : m.state_dict()) out.insert(out.end(), value.bytes.begin(), value.bytes.end());
    return out;
}

}  // namespace

class TestStepper : public QObject {
    Q_OBJECT

private slots:
    void steps_end_where_the_trainer_ends() {
        const train::TrainSetup setup = setup_with("Adam", {{"lr", 0.01}});
        const data::LoadedData d = load(setup);
        nn::Model a = tiny_model(true), b = tiny_model(true);
        QCOMPARE(weight_bytes(a), weight_bytes(b));
        train::Trainer trainer(a, setup, d);
        const train::TrainResult r = trainer.run();
        QCOMPARE(r.status, train::RunStatus::Completed);

        train::Stepper stepper(b, setup, d);
        QCOMPARE(stepper.train_indices(), trainer.train_indices());
        for (int64_t i = 0; i < r.steps; ++i) QVERIFY(stepper.step().stepped);
        QCOMPARE(stepper.steps(), r.steps);
        QCOMPARE(stepper.epoch(), int64_t(setup.epochs - 1));
        QCOMPARE(weight_bytes(b), weight_bytes(a));  // bit-identical, over an epoch boundary
        // One step more changes them: the comparison above can fail.
        stepper.step();
        QVERIFY(weight_bytes(b) != weight_bytes(a));
    }

    void learning_rate_change_applies_to_the_next_step() {
        const train::TrainSetup setup = setup_with("SGD", {{"lr", 0.5}});
        const data::LoadedData d = load(setup);
        nn::Model m = tiny_model(false);
        train::Stepper s(m, setup, d);
        s.step();
        const auto before = weight_bytes(m);
        s.optimizer().set_lr(0.0);
        QVERIFY(s.step().stepped);
        QCOMPARE(weight_bytes(m), before);  // lr 0: the step changed nothing
        s.optimizer().set_lr(0.5);
        s.step();
        QVERIFY(weight_bytes(m) != before);
    }

    void weight_decay_set_between_steps_equals_weight_decay_from_the_start() {
        for (const std::string opt : {"SGD", "Adam"}) {
            const data::LoadedData d = load(setup_with(opt, {{"lr", 0.05}}));
            nn::Model a = tiny_model(false), b = tiny_model(false), c = tiny_model(false);
            train::Stepper live(a, setup_with(opt, {{"lr", 0.05}}), d);
            train::Stepper from_start(b, setup_with(opt, {{"lr", 0.05}, {"weight_decay", 0.3}}), d);
            train::Stepper without(c, setup_with(opt, {{"lr", 0.05}}), d);
            live.optimizer().set_hyperparameter("weight_decay", 0.3);
            for (int i = 0; i < 5; ++i) {
                live.step();
                from_start.step();
                without.step();
            }
            QCOMPARE(weight_bytes(a), weight_bytes(b));
            QVERIFY(weight_bytes(a) != weight_bytes(c));
        }
    }

    void bad_hyperparameters_are_refused() {
        const train::TrainSetup setup = setup_with("SGD", {{"lr", 0.1}});
        const data::LoadedData d = load(setup);
        nn::Model m = tiny_model(false);
        train::Stepper s(m, setup, d);
        const StateDict before = s.optimizer().state();
        QVERIFY_THROWS_EXCEPTION(Error, s.optimizer().set_hyperparameter("weight_decya", 0.1));
        QVERIFY_THROWS_EXCEPTION(Error, s.optimizer().set_hyperparameter("weight_decay", -1.0));
        try {
            s.optimizer().set_hyperparameter("betas", 0.5);  // SGD has none
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("weight_decay") != std::string::npos, e.what());  // lists the valid ones
        }
        s.optimizer().set_hyperparameter("lr", 0.25);
        QCOMPARE(s.optimizer().lr(), 0.25);
        const data::LoadedData d2 = load(setup_with("Adam", {{"lr", 0.1}}));
        nn::Model m2 = tiny_model(false);
        train::Stepper adam(m2, setup_with("Adam", {{"lr", 0.1}}), d2);
        QVERIFY_THROWS_EXCEPTION(Error, adam.optimizer().set_hyperparameter("betas", 0.5));  // a pair
        const StateDict after = s.optimizer().state();
        QCOMPARE(after.at("param_groups.0.weight_decay").bytes, before.at("param_groups.0.weight_decay").bytes);
    }
};

QTEST_GUILESS_MAIN(TestStepper)
#include "tst_stepper.moc"
