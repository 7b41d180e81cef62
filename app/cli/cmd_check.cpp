// nnstudio-cli check: the pitfall checker — lints a model file and its training setup, prints
// each finding with why and how to fix it, and can write the model with the fixes applied. With
// --data, the model's input and output widths are checked against that data as well.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "data/data_source.h"
#include "teach/pitfall_fix.h"
#include "teach/teach_json.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

namespace nnstudio::cli {
namespace {

struct CheckArgs {
    ModelOptions model;
    std::string fixed_out;
    std::string data;  // empty: the widths are not checked against data
    bool json = false;
};

}  // namespace

void add_check_command(CLI::App& app) {
    auto a = std::make_shared<CheckArgs>();
    CLI::App* cmd = app.add_subcommand("check", "Lint a model and its training setup for common pitfalls (exit 0 with findings)");
    a->model.add_to(*cmd);
    cmd->add_option("--fix", a->fixed_out, "Write the model with every automatic fix applied to this file");
    cmd->add_option("--data", a->data,
                    "Also check the input and output widths against this data (fashion-mnist, moons, spirals, circles, "
                    "xor, blobs, PATH.csv), with the model's training options (samples, classes, CSV dialect)");
    cmd->add_flag("--json", a->json, "Print the findings as JSON");
    cmd->callback([a] {
        spec::FlagValues flags;
        for (const auto& f : a->model.flags) flags.insert(spec::parse_flag_assignment(f));
        spec::ModelSpec spec = a->model.load_spec();
        train::TrainSetup setup = teach::training_setup_of(spec);
        std::optional<data::DataShape> data;
        if (!a->data.empty()) {
            setup.data = a->data;
            data = teach::data_shape_of(setup);
            if (!data) std::cerr << "note: the shape of " << a->data << " is only known by loading it: widths not checked\n";
        }
        const auto check = [&] {
            train::TrainSetup s = teach::training_setup_of(spec);  // a fix may change the training section
            if (!a->data.empty()) s.data = a->data;
            return teach::check_pitfalls(spec, s, flags, data);
        };
        std::vector<teach::Finding> findings = check();
        // Float target columns: their values decide whether BCEWithLogitsLoss fits (data read as train reads it).
        if (!setup.csv_target_columns.empty()) {
            if (const data::DataSource source = data::parse_data_source(setup.data); source.kind == data::DataSourceKind::Csv)
                for (teach::Finding& f : teach::check_target_values(data::load_csv(source.name, train::data_options_for(setup).csv), setup))
                    findings.push_back(std::move(f));
        }
        if (a->json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& f : findings) j.push_back(teach::to_json(f));
            std::cout << j.dump(2) << "\n";
        } else {
            for (const auto& f : findings)
                std::cout << "[" << teach::to_string(f.severity) << "] " << f.id << " at " << f.json_path
                          << (f.layer_path.empty() ? "" : " (" + f.layer_path + ")") << ": " << f.message << "\n  fix: "
                          << f.fix_description << (f.fix ? " [automatic fix available]" : "") << "\n";
            std::cout << (findings.empty() ? "no pitfalls found" : std::to_string(findings.size()) + " finding(s)") << "\n";
        }
        if (a->fixed_out.empty()) return;
        // Fix one at a time and check again: a fix can move the paths of later findings.
        for (size_t round = 0; round < findings.size(); ++round) {
            const auto now = check();
            const auto fixable = std::find_if(now.begin(), now.end(), [](const teach::Finding& f) { return f.fix.has_value(); });
            if (fixable == now.end()) break;
            teach::apply_fix(spec, *fixable);
        }
        spec::save_model_spec(a->fixed_out, spec);
        if (!a->json) std::cout << "wrote " << a->fixed_out << "\n";
    });
}

}  // namespace nnstudio::cli
