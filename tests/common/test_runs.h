// Real run folders for the run-comparison tests: a tiny spirals MLP trained by the Trainer into a
// RunDirectory, with the learning rate and initializer of the caller's choice.
#pragma once
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "train/run_directory.h"
#include "train/trainer.h"

#include <mutex>
#include <string>
#include <vector>

namespace nnstudio::test {

struct WrittenRun {
    train::TrainResult result;
    std::vector<train::MetricsSnapshot> epochs;  // the Epoch snapshots the Trainer reported
};

inline WrittenRun write_spirals_run(const std::string& dir, double lr, const std::string& init_scheme, int epochs = 3) {
    const spec::ModelSpec spec = spec::parse_model_spec(nlohmann::json::parse(R"({"format": "nnstudio.model",
      "version": 1, "name": "TinySpirals", "input": {"shape": [2]},
      "root": {"type": "Sequential", "children": [
        {"name": "fc1", "type": "Linear", "out_features": 16}, {"name": "act", "type": "ReLU"},
        {"name": "fc2", "type": "Linear", "out_features": 3}]}})"));
    train::TrainSetup setup;
    setup.data = "spirals";
    setup.synthetic.samples = 300;
    setup.epochs = epochs;
    setup.batch_size = 32;
    setup.stats_every = 5;
    setup.normalization = data::NormalizationKind::None;
    setup.optimizer = {"Adam", {{"lr", lr}}};
    setup.init = init_scheme;
    const data::LoadedData data = data::load_data(data::parse_data_source(setup.data), train::data_options_for(setup));
    nn::Model model = spec::build_model(spec);
    spec::initialize_model(model, setup.seed, init::parse_init_scheme(setup.init, "init"));
    train::RunDirectory run = train::RunDirectory::create(dir, spec, setup, {});
    train::Trainer trainer(model, setup, data);
    trainer.set_run_directory(&run);
    WrittenRun out;
    std::mutex m;
    trainer.add_listener([&](const train::MetricsSnapshot& s) {
        std::lock_guard lock(m);
        if (s.kind == train::SnapshotKind::Epoch) out.epochs.push_back(s);
    });
    out.result = trainer.run();
    return out;
}

}  // namespace nnstudio::test
