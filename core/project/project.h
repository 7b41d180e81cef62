// Project: what the desktop app opens and saves — the model, its training setup, the runs made
// from it, and optionally the current weights (a .pth beside the project file). Format
// "nnstudio.project", version 1 (docs/MODEL_FILE.md); a plain model file opens as a project too.
#pragma once
#include "spec/model_spec.h"
#include "train/train_setup.h"

#include <string>
#include <vector>

namespace nnstudio::project {

inline constexpr const char* kProjectFormat = "nnstudio.project";
inline constexpr int kProjectVersion = 1;
inline constexpr const char* kProjectExtension = ".nnsproj";

// One training run made from the project: its folder (absolute, or relative to the project
// file) and what it ended with, so runs can be listed and compared without reading them all.
struct RunRecord {
    std::string path;
    std::string label;        // e.g. "Adam lr 0.001, kaiming_uniform"
    std::string status;       // completed / stopped / failed
    int epochs = 0;
    double test_loss = 0, test_accuracy = 0;
    double wall_s = 0;
};

struct Project {
    spec::ModelSpec model;             // without a "training" key (that lives in `training`)
    train::TrainSetup training;
    std::vector<RunRecord> runs;
    std::string weights;               // "" or a .pth path, relative to the project file
};

// A project from a model (its "training" key, if any, becomes the project's setup).
Project project_from_model(spec::ModelSpec model);
// The model file a project stands for: the model plus its training setup under "training".
spec::ModelSpec model_with_training(const Project& project);

// Reads a project file, or a model file (format "nnstudio.model"). Errors name the file and the
// JSON path (SpecError / nnstudio::Error).
Project load_project(const std::string& path);
nlohmann::json to_json(const Project& project);
void save_project(const std::string& path, const Project& project);  // atomic

// True when `path` holds a project rather than a bare model file (by its "format" key).
bool is_project_file(const std::string& path);

}  // namespace nnstudio::project
