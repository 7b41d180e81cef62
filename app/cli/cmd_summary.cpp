// nnstudio-cli summary: the torchinfo-like table of a model file.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "spec/summary.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace nnstudio::cli {

void add_summary_command(CLI::App& app) {
    auto opts = std::make_shared<ModelOptions>();
    auto as_json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("summary", "Print layers, output shapes and parameter counts of a model");
    opts->add_to(*cmd);
    cmd->add_flag("--json", *as_json, "Print the summary as JSON");
    cmd->callback([opts, as_json] {
        nn::Model model = opts->build();
        const spec::ModelSummary s = spec::summarize(model);
        if (!*as_json) {
            std::cout << format_summary(s);
            return;
        }
        nlohmann::json j = {{"model", s.model_name}, {"input_shape", s.input_shape},
                            {"total_params", s.total_params}, {"trainable_params", s.trainable_params},
                            {"non_trainable_params", s.non_trainable_params}, {"param_bytes", s.param_bytes},
                            {"buffer_bytes", s.buffer_bytes}, {"layers", nlohmann::json::array()}};
        for (const auto& r : s.rows)
            j["layers"].push_back({{"path", r.path}, {"type", r.type}, {"depth", r.depth},
                                   {"output_shape", r.output_shape}, {"params", r.own_params},
                                   {"total_params", r.total_params}, {"trainable", r.trainable}});
        std::cout << j.dump(2) << "\n";
    });
}

}  // namespace nnstudio::cli
