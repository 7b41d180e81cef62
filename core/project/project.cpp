// Project files: strict parsing (unknown keys are errors naming their JSON path), atomic saving.
#include "project/project.h"

#include "error.h"
#include "util/atomic_file.h"

#include <fstream>
#include <sstream>

namespace nnstudio::project {
namespace {

using nlohmann::json;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the file (does it exist and is it readable?)");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json parse_json(const std::string& text, const std::string& path) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {  // syntax errors, and numbers out of range
        throw SpecError(path + ": not valid JSON: " + e.what());
    }
}

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw SpecError(where + ": " + message);
}

RunRecord parse_run(const json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "a run must be an object {\"path\": ..., \"status\": ...}");
    RunRecord r;
    try {
        for (const auto& [key, value] : j.items()) {
            if (key == "path") r.path = value.get<std::string>();
            else if (key == "label") r.label = value.get<std::string>();
            else if (key == "status") r.status = value.get<std::string>();
            else if (key == "epochs") r.epochs = value.get<int>();
            else if (key == "test_loss") r.test_loss = value.get<double>();
            else if (key == "test_accuracy") r.test_accuracy = value.get<double>();
            else if (key == "wall_s") r.wall_s = value.get<double>();
            else fail(where + "/" + key, "unknown key; a run has path, label, status, epochs, test_loss, test_accuracy, wall_s");
        }
    } catch (const json::exception& e) {
        fail(where, std::string("wrong value type: ") + e.what());
    }
    if (r.path.empty()) fail(where + "/path", "missing: the run's folder");
    return r;
}

json run_to_json(const RunRecord& r) {
    return {{"path", r.path},       {"label", r.label},         {"status", r.status},
            {"epochs", r.epochs},   {"test_loss", r.test_loss}, {"test_accuracy", r.test_accuracy},
            {"wall_s", r.wall_s}};
}

bool is_project_document(const json& doc) {
    return doc.is_object() && doc.contains("format") && doc["format"] == kProjectFormat;
}

Project parse_project(const json& doc) {
    if (!doc.is_object()) fail("/", "a project file is a JSON object");
    for (const auto& [key, value] : doc.items()) {
        (void)value;
        if (key != "format" && key != "version" && key != "model" && key != "training" && key != "runs" && key != "weights")
            fail("/" + key, "unknown key; a project has format, version, model, training, runs, weights");
    }
    if (!doc.contains("version") || doc["version"] != kProjectVersion)
        fail("/version", "unsupported project version (this NN Studio reads version " + std::to_string(kProjectVersion) + ")");
    if (!doc.contains("model")) fail("/model", "missing: the project's model");
    Project p;
    try {
        p.model = spec::parse_model_spec(doc["model"]);
    } catch (const SpecError& e) {
        fail("/model", e.what());
    }
    p.model.extra.erase("training");
    if (doc.contains("training")) p.training = train::parse_train_setup(doc["training"], "/training");
    if (doc.contains("runs")) {
        if (!doc["runs"].is_array()) fail("/runs", "must be a list of runs");
        for (size_t i = 0; i < doc["runs"].size(); ++i) p.runs.push_back(parse_run(doc["runs"][i], "/runs/" + std::to_string(i)));
    }
    if (doc.contains("weights")) {
        if (!doc["weights"].is_string()) fail("/weights", "must be the path of a .pth file");
        p.weights = doc["weights"].get<std::string>();
    }
    return p;
}

}  // namespace

Project project_from_model(spec::ModelSpec model) {
    Project p;
    if (model.extra.contains("training")) p.training = train::parse_train_setup(model.extra["training"], "training");
    model.extra.erase("training");
    p.model = std::move(model);
    return p;
}

spec::ModelSpec model_with_training(const Project& project) {
    spec::ModelSpec m = project.model;
    m.extra["training"] = train::to_json(project.training);
    return m;
}

Project load_project(const std::string& path) {
    const json doc = parse_json(read_text(path), path);
    try {
        if (is_project_document(doc)) {
            Project p = parse_project(doc);
            p.model.source = path + ": /model";
            return p;
        }
        spec::ModelSpec model = spec::parse_model_spec(doc);
        model.source = path;
        return project_from_model(std::move(model));
    } catch (const SpecError& e) {
        throw SpecError(path + ": " + e.what());
    } catch (const json::exception& e) {  // a value of the wrong type where a key is read directly
        throw SpecError(path + ": " + e.what());
    }
}

nlohmann::json to_json(const Project& project) {
    json j = {{"format", kProjectFormat}, {"version", kProjectVersion}};
    json model = spec::to_json(project.model);
    model.erase("training");
    j["model"] = model;
    j["training"] = train::to_json(project.training);
    j["runs"] = json::array();
    for (const RunRecord& r : project.runs) j["runs"].push_back(run_to_json(r));
    if (!project.weights.empty()) j["weights"] = project.weights;
    return j;
}

void save_project(const std::string& path, const Project& project) {
    write_file_atomically(path, to_json(project).dump(2) + "\n");
}

bool is_project_file(const std::string& path) {
    try {
        const json doc = parse_json(read_text(path), path);
        return is_project_document(doc);
    } catch (const Error&) {
        return false;
    }
}

}  // namespace nnstudio::project
