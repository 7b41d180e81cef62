// MetricsSnapshot as JSON (the run folder's metrics.jsonl records and the report).
#include "train/metrics.h"

namespace nnstudio::train {

std::string to_string(RunStatus status) {
    switch (status) {
    case RunStatus::Running: return "running";
    case RunStatus::Completed: return "completed";
    case RunStatus::Stopped: return "stopped";
    case RunStatus::Failed: return "failed";
    }
    return "unknown";
}

nlohmann::json to_json(const EvalMetrics& m) {
    return {{"loss", m.loss}, {"accuracy", m.has_accuracy ? nlohmann::json(m.accuracy) : nlohmann::json(nullptr)},
            {"samples", m.samples}};
}

EvalMetrics eval_metrics_from_json(const nlohmann::json& j) {
    const nlohmann::json& accuracy = j.at("accuracy");
    return {j.at("loss").get<double>(), accuracy.is_null() ? 0.0 : accuracy.get<double>(), j.at("samples").get<int64_t>(),
            !accuracy.is_null()};
}

nlohmann::json to_json(const MetricsSnapshot& s) {
    using nlohmann::json;
    const auto eval = [](const EvalMetrics& m) { return to_json(m); };
    json j = {{"kind", s.kind == SnapshotKind::Step ? "step" : s.kind == SnapshotKind::Epoch ? "epoch" : "finished"},
              {"step", s.step}, {"epoch", s.epoch}, {"wall_s", s.wall_s}};
    if (s.kind == SnapshotKind::Step) {
        j["loss"] = s.loss;
        j["lr"] = s.lr;
        j["samples_per_s"] = s.samples_per_s;
        if (!s.params.empty()) {
            j["params"] = json::array();
            for (const ParamStats& p : s.params)
                j["params"].push_back({{"name", p.name}, {"grad_mean", p.grad_mean}, {"grad_std", p.grad_std},
                                       {"grad_norm", p.grad_norm}, {"weight_mean", p.weight_mean}, {"weight_std", p.weight_std}});
        }
    } else if (s.kind == SnapshotKind::Epoch) {
        j["train"] = eval(s.train);
        j["val"] = eval(s.val);
        j["lr"] = s.lr;
        j["samples_per_s"] = s.samples_per_s;
    } else {
        j["status"] = to_string(s.status);
        j["message"] = s.message;
        j["test"] = eval(s.test);
        j["confusion"] = s.confusion;
    }
    return j;
}

}  // namespace nnstudio::train
