// JSON for the teaching results; optional numbers are null when absent.
#include "teach/teach_json.h"

namespace nnstudio::teach {
namespace {

using nlohmann::json;

json moments_json(const Moments& m) { return {{"mean", m.mean}, {"std", m.std}}; }

// (B, F...) -> [[...], ...] per sample.
json rows_json(const Tensor& t) {
    json rows = json::array();
    if (t.numel() == 0) return rows;
    const int64_t n = t.dim() == 0 ? 1 : t.size(0), cols = n == 0 ? 0 : t.numel() / n;
    const float* v = t.begin();
    for (int64_t i = 0; i < n; ++i) rows.push_back(std::vector<float>(v + i * cols, v + (i + 1) * cols));
    return rows;
}

json mode_run_json(const ModeRun& r) {
    return {{"loss", r.loss}, {"accuracy", r.accuracy}, {"output", rows_json(r.output)}};
}

}  // namespace

json to_json(const Histogram& h) { return {{"lo", h.lo}, {"hi", h.hi}, {"counts", h.counts}, {"non_finite", h.non_finite}}; }

json to_json(const InitLabResult& r) {
    json runs = json::array();
    for (const SchemeRun& run : r.runs) {
        json layers = json::array();
        for (const LayerStats& l : run.at_init.layers)
            layers.push_back({{"path", l.path}, {"type", l.type}, {"depth", l.depth},
                              {"activation", moments_json(l.activation)},
                              {"saturated", l.saturated ? json(*l.saturated) : json()},
                              {"zero_fraction", l.zero_fraction}, {"units_identical", l.units_identical},
                              {"histogram", to_json(l.histogram)}, {"output_grad", moments_json(l.output_grad)},
                              {"weight_grad", l.weight_grad ? moments_json(*l.weight_grad) : json()}});
        runs.push_back({{"scheme", run.scheme.id}, {"label", run.scheme.label}, {"init", init::to_json(run.scheme.scheme)},
                        {"loss", run.at_init.loss}, {"layers", layers}, {"loss_curve", run.loss_curve}});
    }
    return {{"model", r.model_name}, {"data", r.data_description}, {"batch_size", r.batch_size}, {"runs", runs}};
}

json to_json(const ModeComparison& c) {
    json bns = json::array(), drops = json::array();
    for (const BatchNormStats& s : c.batch_norms)
        bns.push_back({{"path", s.path}, {"batch_mean", s.batch_mean}, {"batch_var", s.batch_var},
                       {"running_mean", s.running_mean}, {"running_var", s.running_var},
                       {"mean_abs_mean_diff", s.mean_abs_mean_diff}, {"max_abs_mean_diff", s.max_abs_mean_diff},
                       {"mean_abs_var_diff", s.mean_abs_var_diff}, {"max_abs_var_diff", s.max_abs_var_diff}});
    for (const DropoutStats& d : c.dropouts)
        drops.push_back({{"path", d.path}, {"p", d.p}, {"dropped_fraction", d.dropped_fraction}, {"kept", rows_json(d.kept)}});
    return {{"train", mode_run_json(c.train)}, {"eval", mode_run_json(c.eval)},
            {"max_abs_output_diff", c.max_abs_output_diff}, {"mean_abs_output_diff", c.mean_abs_output_diff},
            {"batch_norms", bns}, {"dropouts", drops}};
}

json to_json(const GradientReport& r) {
    json params = json::array(), relus = json::array(), flags = json::array();
    for (const ParamGradient& p : r.params)
        params.push_back({{"name", p.name}, {"shape", p.shape}, {"grad", moments_json(p.grad)}, {"grad_norm", p.grad_norm},
                          {"weight_norm", p.weight_norm}, {"histogram", to_json(p.histogram)}});
    for (const ReluActivity& a : r.relus)
        relus.push_back({{"path", a.path}, {"units", a.units}, {"dead_fraction", a.dead_fraction}});
    for (const GradientFlag& f : r.flags)
        flags.push_back({{"kind", to_string(f.kind)}, {"target", f.target}, {"value", f.value},
                         {"explanation", f.explanation}, {"fix", f.fix}});
    return {{"loss", r.loss}, {"params", params}, {"relus", relus}, {"flags", flags}};
}

json to_json(const Finding& f) {
    json j = {{"id", f.id}, {"severity", to_string(f.severity)}, {"json_path", f.json_path}, {"layer_path", f.layer_path},
              {"message", f.message}, {"fix_description", f.fix_description}, {"fix", nullptr}};
    if (f.fix) j["fix"] = {{"kind", to_string(f.fix->kind)}, {"json_path", f.fix->json_path}, {"value", f.fix->value}};
    return j;
}

}  // namespace nnstudio::teach
