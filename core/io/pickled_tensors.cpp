// tensors_from_pickle: checks the pickle holds a dict of name -> tensor (or one tensor), then
// copies each tensor out of its storage while keeping the total within the read limits.
#include "io/pickled_tensors.h"

#include "error.h"
#include "io/strided_copy.h"

#include <algorithm>
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
        const uint64_t nbytes = contiguous_bytes(t.size, s.dtype, what);
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
        return copy_strided(it->second.data, it->second.size, s.dtype, t.offset, t.size, t.stride, what);
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
        // Python dict semantics: a repeated key keeps its first position and takes the last value.
        std::vector<std::pair<std::string, uint32_t>> entries;
        std::unordered_map<std::string, size_t> position;
        for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
            const Pickle::Value& key = m_pickle.value(root.items[i]);
            if (key.kind != PickleKind::String)
                throw FileFormatError(m_name + ": the dict has a key that is " + describe(m_pickle, key) +
                                      ", not a string, so it is no state_dict. " + kStateDictAdvice);
            const auto [it, fresh] = position.emplace(key.text, entries.size());
            if (fresh) entries.emplace_back(key.text, root.items[i + 1]);
            else entries[it->second].second = root.items[i + 1];
        }
        for (const auto& [key, value_index] : entries) {
            const Pickle::Value& value = m_pickle.value(value_index);
            if (value.kind == PickleKind::Dict)
                throw FileFormatError(m_name + ": entry '" + key +
                                      "' is itself a dict, so this looks like a training checkpoint rather than a "
                                      "state_dict: in PyTorch save just the model part, e.g. torch.save(ckpt['" +
                                      key + "'], path)");
            if (value.kind != PickleKind::Tensor)
                throw FileFormatError(m_name + ": entry '" + key + "' is " + describe(m_pickle, value) +
                                      ", not a tensor. " + kStateDictAdvice);
            out.tensors.insert(key, tensor(static_cast<uint32_t>(value.integer), key));
        }
        return out;
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
