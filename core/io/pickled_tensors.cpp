// tensors_from_pickle: finds the dicts of name -> tensor the pickle holds (the top level, or any
// depth of a checkpoint) or its one tensor, then copies each tensor out of its storage while
// keeping the total within the read limits.
#include "io/pickled_tensors.h"

#include "error.h"
#include "io/strided_copy.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace nnstudio::io {
namespace {

constexpr const char* kStateDictAdvice =
    "NN Studio reads a state_dict (a dict of name -> tensor) or a single tensor: in PyTorch run "
    "torch.save(model.state_dict(), path)";

class Converter {
public:
    Converter(const Pickle& pickle, const StorageResolver& resolve, const ReadLimits& limits, const std::string& name)
        : m_pickle(pickle), m_resolve(resolve), m_limits(limits), m_name(name) {}

    TypedTensor tensor(uint32_t tensor_index, const std::string& key) {
        const PickledTensor& t = m_pickle.tensors()[tensor_index];
        const PickledStorage& s = m_pickle.storages()[t.storage];
        const std::string what = m_name + ": tensor '" + key + "'";
        // Resolve each distinct storage once; its bytes count towards what tensors may take.
        auto it = m_spans.find(t.storage);
        if (it == m_spans.end()) {
            const StorageSpan span = m_resolve(s);
            if (m_seen_keys.insert(s.key).second) m_budget += span.size;
            it = m_spans.emplace(t.storage, span).first;
        }
        const DType dtype = t.dtype.value_or(s.dtype);
        const uint64_t nbytes = contiguous_bytes(t.size, dtype, what);
        // Twice the stored bytes covers tied weights (two full views of one storage).
        const uint64_t stored_twice = m_budget > UINT64_MAX / 2 ? UINT64_MAX : 2 * m_budget;
        const uint64_t allowed = stored_twice + std::min(m_limits.max_expanded_bytes, UINT64_MAX - stored_twice);
        if (nbytes > allowed - m_used)
            throw FileFormatError(what + ": the tensors would take " + std::to_string(m_used + nbytes) +
                                  " bytes, far more than the " + std::to_string(m_budget) +
                                  " bytes stored for them (views that repeat data?); NN Studio allows twice the stored bytes plus " +
                                  std::to_string(m_limits.max_expanded_bytes) +
                                  " bytes: save contiguous copies, e.g. {k: v.clone() for k, v in sd.items()}");
        m_used += nbytes;
        return copy_strided(it->second.data, it->second.size, dtype, t.offset, t.size, t.stride, what);
    }

    TensorFile convert() {
        TensorFile out;
        const Pickle::Value& root = m_pickle.root();
        if (root.kind == PickleKind::Tensor) {
            out.single_tensor = true;
            out.tensors.insert("tensor", tensor(static_cast<uint32_t>(root.integer), "tensor"));
            return out;
        }
        if (root.kind != PickleKind::Dict)
            throw FileFormatError(m_name + ": holds " + describe(m_pickle, root) + ", not a state_dict or a tensor. " +
                                  kStateDictAdvice);
        const std::vector<Entry> top = entries(root);
        if (top.empty() || is_state_dict(top)) {
            out.tensors = state_dict(root, top, "");
            return out;
        }
        std::unordered_set<uint32_t> visited;
        for (const Entry& e : top) collect(e.value, e.key, 1, visited, out.nested);
        if (out.nested.empty()) throw FileFormatError(m_name + ": " + no_tensors(top) + kStateDictAdvice);
        return out;
    }

private:
    struct Entry {
        std::string key;       // a string key, or an int key as text (optimizer state)
        bool string_key;
        uint32_t value;
    };

    // Python dict semantics: a repeated key keeps its first position and takes the last value.
    std::vector<Entry> entries(const Pickle::Value& dict) const {
        std::vector<Entry> out;
        std::unordered_map<std::string, size_t> position;
        for (size_t i = 0; i + 1 < dict.items.size(); i += 2) {
            const Pickle::Value& key = m_pickle.value(dict.items[i]);
            std::string text;
            if (key.kind == PickleKind::String) text = key.text;
            else if (key.kind == PickleKind::Int) text = std::to_string(key.integer);
            else text = describe(m_pickle, key);
            const std::string unique = (key.kind == PickleKind::String ? "s:" : "o:") + text;
            const auto [it, fresh] = position.emplace(unique, out.size());
            if (fresh) out.push_back({text, key.kind == PickleKind::String, dict.items[i + 1]});
            else out[it->second].value = dict.items[i + 1];
        }
        return out;
    }

    bool is_state_dict(const std::vector<Entry>& items) const {
        if (items.empty()) return false;
        for (const Entry& e : items)
            if (!e.string_key || m_pickle.value(e.value).kind != PickleKind::Tensor) return false;
        return true;
    }

    StateDict state_dict(const Pickle::Value& dict, const std::vector<Entry>& items, const std::string& path) {
        StateDict sd;
        for (const Entry& e : items) {  // is_state_dict(items): string keys, tensor values
            const std::string key = path.empty() ? e.key : path + ": " + e.key;
            sd.insert(e.key, tensor(static_cast<uint32_t>(m_pickle.value(e.value).integer), key));
        }
        sd.versions = versions(dict);
        return sd;
    }

    // state_dict._metadata = {module path: {"version": n, ...}}, pickled as the OrderedDict's
    // attributes; anything else there is ignored (it only refines load rules).
    std::map<std::string, int64_t> versions(const Pickle::Value& dict) const {
        std::map<std::string, int64_t> out;
        if (!dict.attributes) return out;
        const Pickle::Value& attributes = m_pickle.value(*dict.attributes);
        if (attributes.kind != PickleKind::Dict) return out;
        for (const Entry& a : entries(attributes)) {
            const Pickle::Value& metadata = m_pickle.value(a.value);
            if (a.key != "_metadata" || metadata.kind != PickleKind::Dict) continue;
            for (const Entry& module : entries(metadata)) {
                const Pickle::Value& info = m_pickle.value(module.value);
                if (!module.string_key || info.kind != PickleKind::Dict) continue;
                for (const Entry& field : entries(info))
                    if (field.key == "version" && m_pickle.value(field.value).kind == PickleKind::Int)
                        out[module.key] = m_pickle.value(field.value).integer;
            }
        }
        return out;
    }

    // Every dict of tensors below a checkpoint's top level, depth first in file order. Pickles can
    // share and even cycle through containers (memo), hence `visited` and the depth bound.
    void collect(uint32_t index, const std::string& path, int depth, std::unordered_set<uint32_t>& visited,
                 std::vector<NestedStateDict>& out) {
        constexpr int kMaxDepth = 32;
        const Pickle::Value& v = m_pickle.value(index);
        if (depth > kMaxDepth || !visited.insert(index).second) return;
        if (v.kind == PickleKind::Dict) {
            const std::vector<Entry> items = entries(v);
            if (is_state_dict(items)) {
                out.push_back({path, state_dict(v, items, path)});
                return;
            }
            for (const Entry& e : items) collect(e.value, path + "." + e.key, depth + 1, visited, out);
        } else if (v.kind == PickleKind::List || v.kind == PickleKind::Tuple) {
            for (size_t i = 0; i < v.items.size(); ++i)
                collect(v.items[i], path + "." + std::to_string(i), depth + 1, visited, out);
        }
    }

    std::string no_tensors(const std::vector<Entry>& top) const {
        std::string s = "holds a dict without a state_dict in it (entries ";
        for (size_t i = 0; i < top.size() && i < 6; ++i)
            s += (i ? ", '" : "'") + top[i].key + "': " + describe(m_pickle, m_pickle.value(top[i].value));
        return s + (top.size() > 6 ? ", ...). " : "). ");
    }

private:
    const Pickle& m_pickle;
    const StorageResolver& m_resolve;
    const ReadLimits& m_limits;
    const std::string& m_name;
    std::unordered_map<uint32_t, StorageSpan> m_spans;
    std::unordered_set<std::string> m_seen_keys;
    uint64_t m_budget = 0;  // bytes stored for the storages resolved so far
    uint64_t m_used = 0;    // bytes of the tensors copied so far
};

}  // namespace

TensorFile tensors_from_pickle(const Pickle& pickle, const StorageResolver& resolve, const ReadLimits& limits,
                               const std::string& name_for_messages) {
    return Converter(pickle, resolve, limits, name_for_messages).convert();
}

}  // namespace nnstudio::io
