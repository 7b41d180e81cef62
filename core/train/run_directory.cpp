// RunDirectory: atomic checkpoint files; trainer_state.json is written last and names the epoch
// whose tensor files are complete, so a kill at any moment leaves a consistent checkpoint.
#include "train/run_directory.h"

#include "error.h"
#include "io/tensor_file.h"
#include "util/atomic_file.h"

#include <filesystem>
#include <sstream>

namespace nnstudio::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": missing; is this a run folder written by nnstudio-cli train --out?");
    try {
        return json::parse(in);
    } catch (const json::exception& e) {  // syntax errors, and numbers out of range
        throw Error(path + ": corrupt JSON (" + e.what() + ")");
    }
}

}  // namespace

RunDirectory RunDirectory::create(const std::string& path, const spec::ModelSpec& spec, const TrainSetup& setup,
                                  const std::map<std::string, bool>& flags) {
    std::error_code ec;
    fs::create_directories(fs::path(path) / "checkpoints", ec);
    if (ec) throw Error(path + ": cannot create the run folder (" + ec.message() + ")");
    if (fs::exists(fs::path(path) / "checkpoints" / "trainer_state.json"))
        throw Error(path + ": already holds a training run; continue it with --resume " + path +
                    " or choose another --out folder");
    RunDirectory d;
    d.m_path = path;
    d.m_spec = spec;
    d.m_setup = setup;
    d.m_flags = flags;
    spec::save_model_spec(d.file("model.json"), spec);
    write_file_atomically(d.file("setup.json"), to_json(setup).dump(2) + "\n");
    write_file_atomically(d.file("run.json"), json{{"format", "nnstudio.run"}, {"version", 1}, {"flags", flags}}.dump(2) + "\n");
    write_file_atomically(d.file("metrics.jsonl"), std::string());
    return d;
}

RunDirectory RunDirectory::open(const std::string& path) {
    if (!fs::is_directory(path)) throw Error(path + ": no such run folder (start a run with nnstudio-cli train --out " + path + ")");
    RunDirectory d;
    d.m_path = path;
    d.m_spec = spec::load_model_spec(d.file("model.json"));
    d.m_setup = parse_train_setup(read_json(d.file("setup.json")), "setup.json");
    const json run = read_json(d.file("run.json"));
    if (run.contains("flags"))
        for (const auto& [k, v] : run["flags"].items()) d.m_flags[k] = v.get<bool>();
    return d;
}

void RunDirectory::append_metrics(const MetricsSnapshot& snapshot) {
    std::ofstream out(file("metrics.jsonl"), std::ios::app);
    out << to_json(snapshot).dump() << "\n";
    if (!out) throw Error(file("metrics.jsonl") + ": cannot append (disk full?)");
}

void RunDirectory::truncate_metrics(int epochs_completed) {
    std::ifstream in(file("metrics.jsonl"));
    std::string line, kept;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const json j = json::parse(line, nullptr, false);
        if (j.is_discarded()) continue;  // a line cut by a kill
        if (j.value("kind", "") == "finished" || j.value("epoch", 0) >= epochs_completed) continue;
        kept += line + "\n";
    }
    write_file_atomically(file("metrics.jsonl"), kept);
}

void RunDirectory::save_checkpoint(const nn::Model& model, const optim::Optimizer& optimizer,
                                   const optim::LrScheduler* scheduler, const TrainerState& state) {
    const std::string tag = "epoch-" + std::to_string(state.epochs_completed);
    const std::string dir = file("checkpoints");
    io::write_tensor_file(dir + "/" + tag + ".weights.pth", {model.state_dict(), false});
    io::write_tensor_file(dir + "/" + tag + ".optimizer.pth", {optimizer.state(), false});
    if (scheduler) io::write_tensor_file(dir + "/" + tag + ".scheduler.pth", {scheduler->state(), false});
    const json j = {{"epochs_completed", state.epochs_completed}, {"step", state.step}, {"tag", tag},
                    {"dropout_rng", state.dropout_rng}, {"wall_s", state.wall_s}, {"has_scheduler", scheduler != nullptr}};
    write_file_atomically(dir + "/trainer_state.json", j.dump(2) + "\n");  // the commit point
    for (const auto& entry : fs::directory_iterator(dir)) {  // older checkpoints are no longer needed
        const std::string name = entry.path().filename().string();
        if (name.rfind("epoch-", 0) == 0 && name.rfind(tag + ".", 0) != 0) fs::remove(entry.path());
    }
}

std::optional<Checkpoint> RunDirectory::load_checkpoint() const {
    const std::string dir = file("checkpoints");
    if (!fs::exists(dir + "/trainer_state.json")) return std::nullopt;
    const json j = read_json(dir + "/trainer_state.json");
    Checkpoint c;
    c.state.epochs_completed = j.at("epochs_completed").get<int>();
    c.state.step = j.at("step").get<int64_t>();
    c.state.dropout_rng = j.at("dropout_rng").get<std::vector<std::string>>();
    c.state.wall_s = j.value("wall_s", 0.0);
    const std::string tag = j.at("tag").get<std::string>();
    c.weights = io::read_tensor_file(dir + "/" + tag + ".weights.pth").tensors;
    c.optimizer = io::read_tensor_file(dir + "/" + tag + ".optimizer.pth").tensors;
    if (j.value("has_scheduler", false)) c.scheduler = io::read_tensor_file(dir + "/" + tag + ".scheduler.pth").tensors;
    return c;
}

void RunDirectory::save_final_weights(const nn::Model& model) {
    io::write_tensor_file(file("weights.pth"), {model.state_dict(), false});
    io::write_tensor_file(file("weights.safetensors"), {model.state_dict(), false});
}

}  // namespace nnstudio::train
