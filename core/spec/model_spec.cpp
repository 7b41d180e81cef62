// Model file parsing and validation: strict keys ("did you mean"), typed values, unique
// Python-identifier names, known flags; every error names its JSON path and the fix.
#include "spec/model_spec.h"

#include "error.h"
#include "nn/layer_registry.h"
#include "util/atomic_file.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace nnstudio::spec {
namespace {

using nlohmann::json;

enum class Kind { Int, PositiveInt, Bool, String, Object, Array };

struct KeySpec {
    const char* key;
    Kind kind;
};

// Keys of the container types (beyond name/type/when/comment); leaf layers' keys are their
// declared options (nn/layer_registry.h).
const std::map<std::string, std::vector<KeySpec>>& container_keys() {
    static const std::map<std::string, std::vector<KeySpec>> keys = {
        {"Sequential", {{"children", Kind::Array}}},
        {"ModuleList", {{"children", Kind::Array}, {"repeat", Kind::Int}, {"template", Kind::Object}}},
        {"Residual", {{"children", Kind::Array}, {"projection", Kind::Object}, {"after_add", Kind::String}}},
    };
    return keys;
}

// The activations a Residual may apply after its add.
std::vector<std::string> after_add_types() {
    std::vector<std::string> types;
    for (const nn::LayerDeclaration* d : nn::layer_declarations())
        if (d->after_add) types.push_back(d->type);
    return types;
}

[[noreturn]] void fail(const std::string& path, const std::string& message) {
    throw SpecError((path.empty() ? std::string("/") : path) + ": " + message);
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_d = 3;  // only close matches
    for (const auto& c : candidates) {
        const size_t d = edit_distance(word, c);
        if (d < best_d) best_d = d, best = c;
    }
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::string join(const std::vector<std::string>& words) {
    std::string s;
    for (size_t i = 0; i < words.size(); ++i) s += (i ? ", " : "") + words[i];
    return s;
}

void check_kind(const json& v, Kind kind, const std::string& path) {
    switch (kind) {
    case Kind::Int:
        if (!v.is_number_integer()) fail(path, "expected an integer, got " + v.dump());
        break;
    case Kind::PositiveInt:
        if (!v.is_number_integer() || v.get<int64_t>() <= 0) fail(path, "expected a positive integer, got " + v.dump());
        break;
    case Kind::Bool:
        if (!v.is_boolean()) fail(path, "expected true or false, got " + v.dump());
        break;
    case Kind::String:
        if (!v.is_string()) fail(path, "expected a string, got " + v.dump());
        break;
    case Kind::Object:
        if (!v.is_object()) fail(path, "expected an object {...}, got " + v.dump());
        break;
    case Kind::Array:
        if (!v.is_array()) fail(path, "expected an array [...], got " + v.dump());
        break;
    }
}

// A projection's "batch_norm": true (PyTorch's defaults) or the options of a BatchNorm1d node.
void check_batch_norm(const json& v, const std::string& path) {
    if (v.is_boolean()) return;
    if (!v.is_object()) fail(path, "expected true, false or an object of BatchNorm1d options, got " + v.dump());
    const nn::LayerDeclaration& bn = nn::batch_norm1d_declaration();
    for (const auto& [key, value] : v.items()) {
        const nn::OptionDeclaration* o = bn.option(key);
        if (!o) {
            std::vector<std::string> names;
            for (const nn::OptionDeclaration& d : bn.options) names.push_back(d.name);
            fail(path + "/" + key, "unknown BatchNorm1d option '" + key + "'" + suggestion(key, names) +
                                       "; allowed: " + join(names));
        }
        std::string why;
        if (!o->accepts(value, &why)) fail(path + "/" + key, why);
    }
}

NodeSpec parse_node(const json& j, const std::string& path, const ModelSpec& model);

std::vector<NodeSpec> parse_children(const json& arr, const std::string& path, const ModelSpec& model) {
    std::vector<NodeSpec> out;
    std::set<std::string> names;
    for (size_t i = 0; i < arr.size(); ++i) {
        NodeSpec child = parse_node(arr[i], path + "/" + std::to_string(i), model);
        if (!child.name.empty() && !names.insert(child.name).second)
            fail(child.json_path + "/name", "two children are named '" + child.name +
                                                "': names are state_dict keys and must be unique among siblings");
        out.push_back(std::move(child));
    }
    return out;
}

NodeSpec parse_node(const json& j, const std::string& path, const ModelSpec& model) {
    if (!j.is_object()) fail(path, "expected a layer object like {\"type\": \"Linear\", \"out_features\": 10}, got " + j.dump());
    NodeSpec node;
    node.json_path = path;
    if (!j.contains("type")) fail(path, "missing \"type\": one of " + join(layer_types()));
    if (!j["type"].is_string()) fail(path + "/type", "expected a string");
    node.type = j["type"].get<std::string>();
    const nn::LayerDeclaration* layer = nn::find_layer_declaration(node.type);
    const auto container = container_keys().find(node.type);
    if (!layer && container == container_keys().end())
        fail(path + "/type", "unknown layer type '" + node.type + "'" + suggestion(node.type, layer_types()) +
                                 "; known types: " + join(layer_types()));
    std::vector<std::string> allowed = {"name", "type", "when", "comment"};
    if (layer) {
        for (const nn::OptionDeclaration& o : layer->options) allowed.push_back(o.name);
        if (layer->initializer) allowed.emplace_back("init");
    } else {
        for (const auto& k : container->second) allowed.emplace_back(k.key);
    }
    for (const auto& [key, value] : j.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            fail(path + "/" + key, "unknown key '" + key + "' for " + node.type + suggestion(key, allowed) +
                                       "; allowed keys: " + join(allowed));
        std::string why;
        if (const nn::OptionDeclaration* o = layer ? layer->option(key) : nullptr; o && !o->accepts(value, &why))
            fail(path + "/" + key, why);
        if (layer && layer->initializer && key == "init") check_kind(value, Kind::Object, path + "/init");
        if (!layer)
            for (const auto& k : container->second)
                if (key == k.key) check_kind(value, k.kind, path + "/" + key);
    }
    if (j.contains("name")) {
        if (!j["name"].is_string()) fail(path + "/name", "expected a string");
        node.name = j["name"].get<std::string>();
        if (!is_python_identifier(node.name))
            fail(path + "/name", "'" + node.name + "' is not a valid Python identifier (letters, digits, _; not "
                                 "starting with a digit): PyTorch could not use it as an attribute name");
    }
    if (j.contains("when")) {
        if (!j["when"].is_string()) fail(path + "/when", "expected a flag name");
        node.when = j["when"].get<std::string>();
        const std::string flag = !node.when.empty() && node.when[0] == '!' ? node.when.substr(1) : node.when;
        if (!model.has_flag(flag)) {
            std::vector<std::string> names;
            for (const auto& f : model.flags) names.push_back(f.first);
            fail(path + "/when", "flag '" + flag + "' is not declared in \"flags\"" + suggestion(flag, names) +
                                     "; add it there, e.g. \"flags\": {\"" + flag + "\": true}");
        }
    }
    for (const auto& [key, value] : j.items())
        if (key != "name" && key != "type" && key != "when" && key != "children" && key != "template")
            node.options[key] = value;

    if (layer)
        for (const nn::OptionDeclaration& o : layer->options)
            if (o.required && !j.contains(o.name))
                fail(path, "a " + node.type + " needs \"" + o.name + "\" (" + o.doc + ")");
    if (node.type == "Residual" && j.contains("after_add")) {
        const auto a = j["after_add"].get<std::string>();
        const std::vector<std::string> acts = after_add_types();
        if (std::find(acts.begin(), acts.end(), a) == acts.end())
            fail(path + "/after_add", "unknown activation '" + a + "'" + suggestion(a, acts) + "; use one of " + join(acts));
    }
    if (node.type == "Residual" && j.contains("projection")) {
        for (const auto& [key, value] : j["projection"].items()) {
            if (key == "name") {
                if (!value.is_string() || !is_python_identifier(value.get<std::string>()))
                    fail(path + "/projection/name", "expected a Python identifier");
            } else if (key == "bias") {
                check_kind(value, Kind::Bool, path + "/projection/bias");
            } else if (key == "init") {
                check_kind(value, Kind::Object, path + "/projection/init");
            } else if (key == "batch_norm") {
                check_batch_norm(value, path + "/projection/batch_norm");
            } else {
                fail(path + "/projection/" + key,
                     "unknown key; a projection takes \"name\", \"bias\", \"init\" and \"batch_norm\"");
            }
        }
    }
    if (node.type == "Sequential" || node.type == "Residual") {
        if (!j.contains("children")) fail(path, "a " + node.type + " needs \"children\": [...]");
        node.children = parse_children(j["children"], path + "/children", model);
        if (node.type == "Residual" && j.contains("projection")) {
            const std::string pname = j["projection"].value("name", std::string("projection"));
            for (const auto& c : node.children)
                if (c.name == pname)
                    fail(path + "/projection/name", "the projection's name '" + pname + "' is already used by a body layer");
        }
    }
    if (node.type == "ModuleList") {
        const bool has_template = j.contains("template"), has_children = j.contains("children");
        if (has_template == has_children)
            fail(path, "a ModuleList needs either \"template\" with \"repeat\" (N copies) or \"children\": [...]");
        if (has_template) {
            if (!j.contains("repeat")) fail(path, "a ModuleList with a \"template\" needs \"repeat\": N");
            node.repeat = j["repeat"].get<int64_t>();
            if (node.repeat < 0 || node.repeat > 100000) fail(path + "/repeat", "expected 0..100000 copies");
            node.templ.push_back(parse_node(j["template"], path + "/template", model));
            if (!node.templ[0].name.empty())
                fail(path + "/template/name", "template copies are named 0, 1, ... by PyTorch: remove the name");
        } else {
            if (j.contains("repeat")) fail(path + "/repeat", "\"repeat\" only goes with \"template\"");
            node.children = parse_children(j["children"], path + "/children", model);
        }
        node.options.erase("repeat");
    }
    return node;
}

json node_to_json(const NodeSpec& n) {
    json j = json::object();
    if (!n.name.empty()) j["name"] = n.name;
    j["type"] = n.type;
    if (!n.when.empty()) j["when"] = n.when;
    for (const auto& [k, v] : n.options.items()) j[k] = v;
    if (n.type == "ModuleList" && !n.templ.empty()) {
        j["repeat"] = n.repeat;
        j["template"] = node_to_json(n.templ[0]);
    } else if (is_container(n.type)) {
        j["children"] = json::array();
        for (const auto& c : n.children) j["children"].push_back(node_to_json(c));
    }
    return j;
}

}  // namespace

bool ModelSpec::has_flag(const std::string& flag) const {
    return std::any_of(flags.begin(), flags.end(), [&](const auto& f) { return f.first == flag; });
}

const std::vector<std::string>& layer_types() {
    static const std::vector<std::string> types = [] {
        std::vector<std::string> t;
        for (const nn::LayerDeclaration* d : nn::layer_declarations()) t.push_back(d->type);
        for (const auto& [name, keys] : container_keys()) t.push_back(name);
        return t;
    }();
    return types;
}

bool is_container(const std::string& type) {
    return type == "Sequential" || type == "ModuleList" || type == "Residual";
}

bool is_python_identifier(const std::string& s) {
    static const std::set<std::string> keywords = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return !keywords.count(s);
}

ModelSpec parse_model_spec(const json& doc) {
    if (!doc.is_object()) fail("", "a model file is a JSON object with \"format\": \"nnstudio.model\"");
    static const std::vector<std::string> top_keys = {"format", "version", "name", "input", "flags",
                                                      "root", "init", "comment", "training"};
    ModelSpec spec;
    for (const auto& [key, value] : doc.items()) {
        if (std::find(top_keys.begin(), top_keys.end(), key) == top_keys.end())
            fail("/" + key, "unknown top-level key '" + key + "'" + suggestion(key, top_keys) +
                                "; allowed: " + join(top_keys));
        if (key == "training" || key == "comment") spec.extra[key] = value;
    }
    if (!doc.contains("format") || doc["format"] != kModelFormat)
        fail("/format", std::string("expected \"format\": \"") + kModelFormat + "\" (is this an NN Studio model file?)");
    if (!doc.contains("version") || !doc["version"].is_number_integer())
        fail("/version", "expected \"version\": 1");
    if (doc["version"].get<int64_t>() > kModelVersion)
        fail("/version", "this file is version " + doc["version"].dump() + " but this NN Studio reads up to version " +
                             std::to_string(kModelVersion) + ": update NN Studio");
    if (doc.contains("name")) {
        check_kind(doc["name"], Kind::String, "/name");
        spec.name = doc["name"].get<std::string>();
        if (!is_python_identifier(spec.name))
            fail("/name", "'" + spec.name + "' is not a valid Python class name (it names the exported PyTorch class)");
    }
    if (!doc.contains("input") || !doc["input"].is_object() || !doc["input"].contains("shape") ||
        !doc["input"]["shape"].is_array() || doc["input"]["shape"].empty())
        fail("/input", "expected \"input\": {\"shape\": [features]} (per-sample shape, without the batch dimension)");
    for (const auto& [key, value] : doc["input"].items())
        if (key != "shape") fail("/input/" + key, "unknown key; \"input\" takes only \"shape\"");
    for (size_t i = 0; i < doc["input"]["shape"].size(); ++i) {
        const auto& d = doc["input"]["shape"][i];
        check_kind(d, Kind::PositiveInt, "/input/shape/" + std::to_string(i));
        spec.input_shape.push_back(d.get<int64_t>());
    }
    if (doc.contains("flags")) {
        check_kind(doc["flags"], Kind::Object, "/flags");
        for (const auto& [key, value] : doc["flags"].items()) {
            if (!is_python_identifier(key)) fail("/flags/" + key, "flag names must be Python identifiers (they become constructor arguments)");
            check_kind(value, Kind::Bool, "/flags/" + key);
            spec.flags.emplace_back(key, value.get<bool>());
        }
    }
    if (doc.contains("init")) {
        check_kind(doc["init"], Kind::Object, "/init");
        for (const auto& [key, value] : doc["init"].items()) {
            if (key != "default") fail("/init/" + key, "unknown key; \"init\" takes \"default\": {\"scheme\": ...}");
            check_kind(value, Kind::Object, "/init/default");
        }
        spec.init = doc["init"];
    }
    if (!doc.contains("root")) fail("/root", "missing \"root\": the top module, e.g. {\"type\": \"Sequential\", \"children\": [...]}");
    spec.root = parse_node(doc["root"], "/root", spec);
    if (!spec.root.when.empty()) fail("/root/when", "the root module cannot be conditional");
    return spec;
}

ModelSpec parse_model_spec_text(const std::string& text) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {  // syntax errors, and numbers out of range
        throw SpecError(std::string("not valid JSON: ") + e.what());
    }
    return parse_model_spec(doc);
}

ModelSpec load_model_spec(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SpecError(path + ": cannot open the model file (does it exist and is it readable?)");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        ModelSpec spec = parse_model_spec_text(text.str());
        spec.source = path;
        return spec;
    } catch (const SpecError& e) {
        throw SpecError(path + ": " + e.what());
    }
}

json to_json(const ModelSpec& spec) {
    json j = json::object();
    j["format"] = kModelFormat;
    j["version"] = kModelVersion;
    j["name"] = spec.name;
    j["input"] = {{"shape", spec.input_shape}};
    if (!spec.flags.empty()) {
        j["flags"] = json::object();
        for (const auto& [k, v] : spec.flags) j["flags"][k] = v;
    }
    j["root"] = node_to_json(spec.root);
    if (!spec.init.empty()) j["init"] = spec.init;
    for (const auto& [k, v] : spec.extra.items()) j[k] = v;
    return j;
}

void save_model_spec(const std::string& path, const ModelSpec& spec) {
    write_file_atomically(path, to_json(spec).dump(2) + "\n");
}

}  // namespace nnstudio::spec
