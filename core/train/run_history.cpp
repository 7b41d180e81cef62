// RunHistory: metrics.jsonl parsed line by line (strict, except for a last line cut by a kill),
// and setups flattened to dotted keys so runs can be compared setting by setting.
#include "train/run_history.h"

#include "error.h"
#include "train/run_directory.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>

namespace nnstudio::train {
namespace {

using nlohmann::json;

EvalMetrics eval_of(const json& j) { return eval_metrics_from_json(j); }

void add_grad_stats(RunHistory& run, int64_t step, const json& params) {
    for (const json& p : params) {
        const std::string name = p.at("name").get<std::string>();
        auto it = std::find_if(run.grad_std.begin(), run.grad_std.end(), [&](const auto& s) { return s.name == name; });
        if (it == run.grad_std.end()) it = run.grad_std.insert(run.grad_std.end(), GradStdSeries{name, {}, {}});
        it->steps.push_back(step);
        it->grad_std.push_back(p.at("grad_std").get<double>());
    }
}

void add_record(RunHistory& run, const json& j) {
    const std::string kind = j.at("kind").get<std::string>();
    const int epoch = j.at("epoch").get<int>();
    if (kind == "step") {
        const int64_t step = j.at("step").get<int64_t>();
        run.steps.push_back({step, epoch, j.at("loss").get<double>()});
        if (j.contains("params")) add_grad_stats(run, step, j["params"]);
    } else if (kind == "epoch") {
        EpochRecord e{epoch, eval_of(j.at("train")), eval_of(j.at("val")), j.value("lr", 0.0)};
        auto it = std::find_if(run.epochs.begin(), run.epochs.end(), [&](const auto& r) { return r.epoch >= epoch; });
        if (it != run.epochs.end() && it->epoch == epoch) *it = e;  // a resumed run repeated it
        else run.epochs.insert(it, e);
    } else if (kind == "finished") {
        run.final = FinalRecord{j.at("status").get<std::string>(), j.value("message", ""), eval_of(j.at("test"))};
    } else {
        throw Error("unknown record kind '" + kind + "'");
    }
}

void read_metrics(RunHistory& run, const std::string& file) {
    std::ifstream in(file);
    if (!in) throw Error(file + ": missing; is this a run folder written by nnstudio-cli train --out?");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty()) continue;
        const std::string where = file + " line " + std::to_string(i + 1);
        const json j = json::parse(lines[i], nullptr, false);
        if (j.is_discarded()) {
            if (i + 1 == lines.size()) {
                run.notes.push_back(where + " is cut short (the run was killed while writing it); skipped");
                continue;
            }
            throw Error(where + ": corrupt JSON in the middle of the file");
        }
        try {
            add_record(run, j);
        } catch (const json::exception& e) {
            throw Error(where + ": not a metrics record (" + e.what() + ")");
        } catch (const Error& e) {
            throw Error(where + ": " + e.what());
        }
    }
    if (!run.final) run.notes.push_back(run.path + ": no final record (the run was killed or is still running)");
}

void flatten(const json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
    if (j.is_object() && !j.empty()) {
        for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
        return;
    }
    out[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
}

}  // namespace

RunHistory read_run_history(const std::string& path) {
    const RunDirectory dir = RunDirectory::open(path);
    RunHistory run;
    run.path = path;
    run.model_name = dir.spec().name;
    run.setup = to_json(dir.setup());
    run.flags = dir.flags();
    read_metrics(run, path + "/metrics.jsonl");
    return run;
}

std::map<std::string, std::string> flat_settings(const RunHistory& run) {
    std::map<std::string, std::string> out;
    flatten(run.setup, "", out);
    for (const auto& [name, value] : run.flags) out["flags." + name] = value ? "true" : "false";
    out["model"] = run.model_name;
    return out;
}

std::vector<SettingDifference> differing_settings(const std::vector<RunHistory>& runs) {
    std::vector<std::map<std::string, std::string>> flat;
    std::set<std::string> keys;
    for (const RunHistory& r : runs) {
        flat.push_back(flat_settings(r));
        for (const auto& [k, v] : flat.back()) keys.insert(k);
    }
    std::vector<SettingDifference> out;
    for (const std::string& key : keys) {
        SettingDifference d{key, {}};
        for (const auto& f : flat) {
            const auto it = f.find(key);
            d.values.push_back(it == f.end() ? "-" : it->second);
        }
        if (std::adjacent_find(d.values.begin(), d.values.end(), std::not_equal_to<>()) != d.values.end())
            out.push_back(std::move(d));
    }
    return out;
}

nlohmann::json to_json(const RunHistory& run) {
    const auto eval = [](const EvalMetrics& m) { return to_json(m); };
    json j = {{"path", run.path}, {"model", run.model_name}, {"setup", run.setup}, {"flags", run.flags},
              {"epochs", json::array()}, {"notes", run.notes}};
    for (const EpochRecord& e : run.epochs)
        j["epochs"].push_back({{"epoch", e.epoch}, {"train", eval(e.train)}, {"val", eval(e.val)}, {"lr", e.lr}});
    j["final"] = run.final ? json{{"status", run.final->status}, {"message", run.final->message}, {"test", eval(run.final->test)}}
                           : json(nullptr);
    return j;
}

}  // namespace nnstudio::train
