// import_weights / load_weights_strict over the weight finder and the two load functions.
#include "nn/import_weights.h"

#include "error.h"
#include "nn/load_matching.h"
#include "util/plural.h"

namespace nnstudio::nn {
namespace {

std::vector<std::string> keys_of(const StateDict& sd) {
    std::vector<std::string> keys;
    for (const auto& [key, t] : sd) keys.push_back(key);
    return keys;
}

std::string some_keys(const std::vector<std::string>& keys) {
    std::string s;
    for (size_t i = 0; i < keys.size() && i < 4; ++i) s += (i ? ", '" : "'") + keys[i] + "'";
    return s + (keys.size() > 4 ? ", ..." : "");
}

std::string list(const char* what, const std::vector<std::string>& items) {
    if (items.empty()) return "";
    std::string s = std::string("\n  ") + what + ": ";
    for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
    return s;
}

}  // namespace

std::string WeightImport::summary(const std::string& file_name) const {
    const std::string note = found.note(file_name);
    std::string s = note.empty() ? "" : note + "\n";
    s += "imported " + std::to_string(imported) + " of the model's " +
         plural(static_cast<int64_t>(model_tensors), "tensor") + " from " + file_name;
    if (report.ok()) return s + " (every key matched)";
    if (imported < model_tensors) s += "; the others keep their values";
    s += list("not in the file", report.missing);
    s += list("in the file but not used by the model", report.unexpected);
    s += list("not fitting", report.mismatched);
    return s;
}

WeightImport import_weights(Model& model, const io::TensorFile& file, const io::WeightChoice& choice,
                            const std::string& file_name) {
    const std::vector<std::string> model_keys = keys_of(model.state_dict());
    WeightImport out;
    out.found = io::find_weights(file, model_keys, choice, file_name);
    out.model_tensors = model_keys.size();
    if (out.found.model_matches == 0 && !model_keys.empty())
        throw StateDictMismatch(file_name + ": none of its tensors is named as the model's (the file has " +
                                some_keys(keys_of(out.found.tensors)) + "; the model has " + some_keys(model_keys) +
                                "), so nothing was imported: pick the weights with --key ENTRY or remove a prefix "
                                "with --strip-prefix P");
    out.report = load_matching(model, out.found.tensors);
    out.imported = model_keys.size() - out.report.missing.size() - out.report.mismatched.size();
    return out;
}

std::string load_weights_strict(Model& model, const io::TensorFile& file, const io::WeightChoice& choice,
                                const std::string& file_name) {
    const io::FoundWeights found = io::find_weights(file, keys_of(model.state_dict()), choice, file_name);
    try {
        model.load_state_dict(found.tensors, true);
    } catch (const StateDictMismatch& e) {
        // Strict as PyTorch, but with the way to keep what fits (load_state_dict(strict=False)'s use).
        throw StateDictMismatch(std::string(e.what()) + "\nTo keep the tensors of " + file_name +
                                " that fit (the others initialised), write them out first: nnstudio-cli init MODEL --from " +
                                file_name + " --out W.pth, then give W.pth");
    }
    return found.note(file_name);
}

}  // namespace nnstudio::nn
