// ModelOptions: the MODEL.json positional and repeated --flag options.
#include "cli/model_options.h"

#include "project/project.h"
#include "spec/model_builder.h"

namespace nnstudio::cli {

void ModelOptions::add_to(CLI::App& command) {
    command.add_option("model", model_path, "Model file (.json) or project (.nnsproj), e.g. resources/models/deep_mlp.json")->required();
    command.add_option("--flag", flags, "Set a conditional flag: NAME=true|false (repeatable)");
}

// A project file (.nnsproj) stands for its model with the project's training setup.
spec::ModelSpec ModelOptions::load_spec() const {
    if (project::is_project_file(model_path)) return project::model_with_training(project::load_project(model_path));
    return spec::load_model_spec(model_path);
}

nn::Model ModelOptions::build() const {
    spec::FlagValues values;
    for (const auto& f : flags) values.insert(spec::parse_flag_assignment(f));
    return spec::build_model(load_spec(), values);
}

}  // namespace nnstudio::cli
