// find_weights: candidate dicts of tensors, scored by how many keys match the model, with the
// prefix that makes most of them match.
#include "io/weight_finder.h"

#include "error.h"
#include "util/plural.h"

#include <algorithm>
#include <map>
#include <unordered_set>

namespace nnstudio::io {
namespace {

// Entry names under which training scripts and libraries keep a model's weights, best first
// (PyTorch's tutorial, Lightning, timm, torchvision references, EMA helpers).
constexpr const char* kKnownEntries[] = {
    "model_state_dict", "state_dict", "model", "net", "network", "module", "model_ema", "ema",
    "ema_model", "ema_state_dict", "weights", "params", "model_state", "net_state_dict", "generator",
};

// The rank of a path's last component among kKnownEntries; past the end for unknown names.
size_t known_rank(const std::string& path) {
    const std::string last = path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
    const auto* it = std::find(std::begin(kKnownEntries), std::end(kKnownEntries), last);
    return static_cast<size_t>(it - std::begin(kKnownEntries));
}

struct Candidate {
    std::string path;
    const StateDict* tensors;
};

std::vector<Candidate> candidates(const TensorFile& file) {
    std::vector<Candidate> out;
    if (!file.tensors.empty() || file.nested.empty()) out.push_back({"", &file.tensors});
    for (const NestedStateDict& n : file.nested) out.push_back({n.path, &n.tensors});
    return out;
}

// torch.optim's state_dict nests each parameter's state (exp_avg, momentum_buffer, ...) as
// "state.<index>": dicts of tensors, but never a model's weights.
bool is_optimizer_state(const std::string& path) {
    for (size_t at = path.find("state."); at != std::string::npos; at = path.find("state.", at + 1)) {
        const size_t start = at + 6;
        size_t end = start;
        while (end < path.size() && path[end] >= '0' && path[end] <= '9') ++end;
        if (end > start && (end == path.size() || path[end] == '.') && (at == 0 || path[at - 1] == '.')) return true;
    }
    return false;
}

constexpr size_t kEntriesListed = 10;

// The entries that could hold weights, at most kEntriesListed of them, then how many more; the
// optimizer's per-parameter states counted in one phrase.
std::string list_entries(const std::vector<Candidate>& all) {
    std::string s;
    size_t listed = 0, unlisted = 0, optimizer_states = 0;
    for (const Candidate& c : all) {
        if (is_optimizer_state(c.path)) {
            ++optimizer_states;
        } else if (listed < kEntriesListed) {
            s += (listed++ ? ", '" : "'") + (c.path.empty() ? std::string("(top level)") : c.path) + "' (" +
                 plural(static_cast<int64_t>(c.tensors->size()), "tensor") + ")";
        } else {
            ++unlisted;
        }
    }
    if (unlisted) s += ", ... and " + std::to_string(unlisted) + " more";
    if (optimizer_states)
        s += std::string(listed ? ", and " : "") + plural(static_cast<int64_t>(optimizer_states), "optimizer state") +
             " per parameter (not weights)";
    return s;
}

size_t matches(const StateDict& sd, const std::string& prefix, const std::unordered_set<std::string>& model) {
    size_t n = 0;
    for (const auto& [key, t] : sd) {
        const bool has = !prefix.empty() && key.starts_with(prefix);
        if (model.count(has ? key.substr(prefix.size()) : key)) ++n;
    }
    return n;
}

// The prefix whose removal makes most keys match the model: every "a.b." that ends before a
// remainder the model has is counted; "" when no prefix beats the keys as they are.
std::string best_prefix(const StateDict& sd, const std::unordered_set<std::string>& model) {
    std::map<std::string, size_t> count;
    for (const auto& [key, t] : sd)
        for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1))
            if (model.count(key.substr(dot + 1))) ++count[key.substr(0, dot + 1)];
    std::string best;
    size_t best_n = matches(sd, "", model);
    for (const auto& [prefix, n] : count)
        if (n > best_n || (n == best_n && !best.empty() && prefix.size() < best.size())) best = prefix, best_n = n;
    return best;
}

}  // namespace

std::string wrapper_prefix(const StateDict& sd) {
    if (sd.empty()) return "";
    for (const char* prefix : {"module.", "_orig_mod.", "model."})
        if (std::all_of(sd.begin(), sd.end(), [&](const StateDict::Entry& e) { return e.first.starts_with(prefix); }))
            return prefix;
    return "";
}

std::string describe_entries(const TensorFile& file) { return list_entries(candidates(file)); }

size_t strip_prefix(StateDict& sd, const std::string& prefix) {
    if (prefix.empty()) return 0;
    StateDict out;
    size_t n = 0;
    for (const auto& [key, t] : sd) {
        const bool has = key.starts_with(prefix);
        n += has;
        const std::string renamed = has ? key.substr(prefix.size()) : key;
        if (out.contains(renamed))
            throw FileFormatError("removing the prefix '" + prefix + "' gives the key '" + renamed +
                                  "' twice: choose another prefix (--strip-prefix)");
        out.insert(renamed, t);
    }
    // _metadata paths are module paths: "module" (the wrapper itself) becomes the root "".
    const std::string module_path = prefix.substr(0, prefix.size() - (prefix.ends_with('.') ? 1 : 0));
    for (const auto& [path, version] : sd.versions) {
        if (path == module_path) out.versions[""] = version;
        else if (path.starts_with(prefix)) out.versions[path.substr(prefix.size())] = version;
        else if (!out.versions.count(path)) out.versions[path] = version;
    }
    sd = std::move(out);
    return n;
}

std::string FoundWeights::note(const std::string& file_name) const {
    if (entry.empty() && prefix.empty()) return "";
    std::string s = "weights from ";
    s += entry.empty() ? "the top level of " + file_name : "entry '" + entry + "' of " + file_name;
    if (!prefix.empty()) s += ", prefix '" + prefix + "' removed from " + plural(static_cast<int64_t>(prefixed), "key");
    return s;
}

FoundWeights find_weights(const TensorFile& file, const std::vector<std::string>& model_keys,
                          const WeightChoice& choice, const std::string& name) {
    std::vector<Candidate> all = candidates(file);
    if (!choice.key.empty()) {
        const auto it = std::find_if(all.begin(), all.end(), [&](const Candidate& c) { return c.path == choice.key; });
        if (it == all.end())
            throw FileFormatError(name + ": no dict of tensors under '" + choice.key + "'; the file has " +
                                  list_entries(all) + ": give one of these to --key");
        all = {*it};
    }
    const std::unordered_set<std::string> model(model_keys.begin(), model_keys.end());

    const Candidate* chosen = nullptr;
    std::string prefix = choice.strip_prefix.value_or("");
    size_t best = 0;
    if (!model.empty()) {
        for (const Candidate& c : all) {
            const std::string p = choice.strip_prefix ? *choice.strip_prefix : best_prefix(*c.tensors, model);
            const size_t n = matches(*c.tensors, p, model);
            const bool better = !chosen || n > best ||
                                (n == best && !chosen->path.empty() && known_rank(c.path) < known_rank(chosen->path));
            if (better) chosen = &c, prefix = p, best = n;
        }
    } else if (all.size() == 1) {
        chosen = &all.front();
    } else {
        // No model to match: the top level (a bare state_dict), else the best-known entry name.
        for (const Candidate& c : all)
            if (!chosen || (known_rank(c.path) < known_rank(chosen->path) && !chosen->path.empty())) chosen = &c;
        if (!chosen->path.empty() && known_rank(chosen->path) == std::size(kKnownEntries))
            throw FileFormatError(name + ": a checkpoint with several dicts of tensors and none under a usual name: " +
                                  list_entries(all) + ": choose one with --key");
    }
    FoundWeights out;
    out.entry = chosen->path;
    out.tensors = *chosen->tensors;
    out.prefixed = strip_prefix(out.tensors, prefix);
    if (choice.strip_prefix && !prefix.empty() && out.prefixed == 0) {
        // A prefix given by hand that no key has is a typo, not a choice: name it as the cause.
        std::string keys;
        size_t shown = 0;
        for (const auto& [key, t] : out.tensors) {
            if (shown == 3) break;
            keys += (shown++ ? "', '" : "'") + key;
        }
        throw FileFormatError(name + ": --strip-prefix '" + prefix + "': no key " +
                              (out.entry.empty() ? std::string("of the file") : "under '" + out.entry + "'") +
                              " starts with it; the keys are " + keys + "'" +
                              (out.tensors.size() > shown ? ", ..." : "") +
                              ": give the prefix they start with, or leave --strip-prefix out");
    }
    out.prefix = out.prefixed ? prefix : "";
    out.model_matches = best;
    return out;
}

}  // namespace nnstudio::io
