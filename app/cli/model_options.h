// Options shared by subcommands that take a model file: MODEL.json and --flag NAME=VALUE.
#pragma once
#include "nn/model.h"
#include "spec/model_spec.h"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace nnstudio::cli {

struct ModelOptions {
    std::string model_path;
    std::vector<std::string> flags;  // "NAME=true"

    void add_to(CLI::App& command);
    spec::ModelSpec load_spec() const;
    nn::Model build() const;  // parameters at zero; initialise or load weights next
};

}  // namespace nnstudio::cli
