// Options shared by the teaching commands that look at one batch through a model (gradients,
// compare-modes): the model and its flags, its weights or initialisation, the data, the batch.
#pragma once
#include "cli/model_options.h"
#include "teach/teach_batch.h"
#include "teach/teach_model.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace nnstudio::cli {

struct TeachBatchOptions {
    ModelOptions model;
    teach::ModelSource source;
    std::string data;
    int64_t batch_size;

    explicit TeachBatchOptions(int64_t default_batch_size) : batch_size(default_batch_size) {}
    void add_to(CLI::App& command, const std::string& batch_size_help);

    // The model with its weights (or initialised) and one batch of the chosen data.
    struct Prepared {
        nn::Model model;
        teach::TeachData data;
    };
    Prepared prepare() const;
};

}  // namespace nnstudio::cli
