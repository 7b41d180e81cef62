// The options of the one-batch teaching commands, and preparing their model and batch.
#include "cli/teach_batch_options.h"

namespace nnstudio::cli {

void TeachBatchOptions::add_to(CLI::App& command, const std::string& batch_size_help) {
    model.add_to(command);
    command.add_option("--weights", source.weights, "state_dict file (.pth or .safetensors); default: initialise");
    command.add_option("--init", source.scheme, "Init lab scheme instead of the file's init (see initlab --schemes)");
    command.add_option("--seed", source.seed, "Seed of the initialisation, Dropout and the batch (default 0)");
    command.add_option("--data", data, "Data source (fashion-mnist, spirals, PATH.csv, ...); default: N(0,1) inputs");
    command.add_option("--batch-size", batch_size, batch_size_help);
}

TeachBatchOptions::Prepared TeachBatchOptions::prepare() const {
    spec::FlagValues flags;
    for (const auto& f : model.flags) flags.insert(spec::parse_flag_assignment(f));
    nn::Model prepared = teach::prepare_model(model.load_spec(), flags, source);
    teach::TeachData batch = teach::load_teach_data(prepared, data, batch_size, 1, source.seed);
    return {std::move(prepared), std::move(batch)};
}

}  // namespace nnstudio::cli
