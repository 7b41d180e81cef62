// The training-setup options shared by `train` and `export --train-script`: the model file's
// "training" section (or the defaults), overridden by the options the user gave.
#pragma once
#include "spec/model_spec.h"
#include "train/train_setup.h"

#include <CLI/CLI.hpp>
#include <string>
#include <utility>
#include <vector>

namespace nnstudio::cli {

// The training-setup options, as `nnstudio-cli train` takes them; each applies only when given.
struct TrainOverrides {
    std::string data, loss, optimizer, scheduler, init, csv_delimiter, csv_header, label_column, target_columns, weights;
    int epochs = 0;
    int64_t batch_size = 0, samples = 0, max_train_samples = 0;
    uint64_t seed = 0;
    double lr = 0, weight_decay = 0, momentum = 0, val_split = 0, noise = 0, test_split = 0;
    std::vector<std::pair<std::string, CLI::Option*>> options;  // "--epochs" -> its option

    bool given(const std::string& name) const;
    std::vector<std::string> given_names() const;
};

void add_train_options(CLI::App& cmd, TrainOverrides& t);

// Defaults < the model file's "training" section < the options given.
train::TrainSetup training_setup(const spec::ModelSpec& spec, const std::string& model_path, const TrainOverrides& t);

}  // namespace nnstudio::cli
