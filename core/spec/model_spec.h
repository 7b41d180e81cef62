// ModelSpec: the validated model file (format "nnstudio.model", version 1) — the document users
// edit and save. Parsing checks every key and names the JSON path of any problem.
#pragma once
#include "tensor/tensor.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace nnstudio::spec {

inline constexpr const char* kModelFormat = "nnstudio.model";
inline constexpr int kModelVersion = 1;

// One node of the module tree.
struct NodeSpec {
    std::string name;       // PyTorch attribute name; empty: numbered "0", "1", ... like PyTorch
    std::string type;       // "Linear", "Sequential", "Residual", ...
    std::string when;       // conditional flag ("use_batch_norm", or "!flag" for its negation); empty: always
    nlohmann::json options = nlohmann::json::object();  // type-specific keys (out_features, p, eps, init, ...)
    std::vector<NodeSpec> children;  // Sequential / Residual body / ModuleList (explicit)
    std::vector<NodeSpec> templ;     // ModuleList: the template (0 or 1 element)
    int64_t repeat = 0;              // ModuleList with a template: number of copies
    std::string json_path;           // where it came from, e.g. "/root/children/3"
};

struct ModelSpec {
    std::string name = "Model";
    Shape input_shape;                                  // per sample, e.g. {784}
    std::vector<std::pair<std::string, bool>> flags;    // declared flags and their defaults
    NodeSpec root;
    nlohmann::json init = nlohmann::json::object();     // {"default": {...scheme...}}
    nlohmann::json extra = nlohmann::json::object();    // other top-level keys kept verbatim (e.g. "training")
    // Where it was read from ("model.json", "p.nnsproj: /model"), so that errors found when it is
    // built start as errors found when it is read do; empty for a spec made in memory. Not saved.
    std::string source;

    bool has_flag(const std::string& flag) const;
};

// Every node type: the declared leaf layers (nn/layer_registry.h), then the container types.
const std::vector<std::string>& layer_types();
bool is_container(const std::string& type);

ModelSpec parse_model_spec(const nlohmann::json& doc);          // throws SpecError naming the JSON path
ModelSpec parse_model_spec_text(const std::string& text);        // + JSON syntax errors with line/column
ModelSpec load_model_spec(const std::string& path);              // errors name the file
nlohmann::json to_json(const ModelSpec& spec);
void save_model_spec(const std::string& path, const ModelSpec& spec);  // atomic

bool is_python_identifier(const std::string& s);

}  // namespace nnstudio::spec
