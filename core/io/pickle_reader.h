// Restricted unpickler for PyTorch files: it decodes pickle opcodes into inert values and accepts
// what torch.load(weights_only=True) accepts (None, bool, int, float, str, bytes, tuples, lists,
// dicts, OrderedDict, tensors and dtypes); nothing from the file is ever called or imported.
#pragma once
#include "tensor/typed_tensor.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnstudio::io {

enum class PickleKind : uint8_t {
    None, Bool, Int, BigInt, Float, String, Tuple, List, Dict,
    Global,   // an allowed global (OrderedDict, a rebuild function, a storage class)
    Storage,  // a persistent id ('storage', ...): index into Pickle::storages()
    Tensor,   // _rebuild_tensor_v2(...): index into Pickle::tensors()
};

// A storage as the pickle names it; its bytes live outside the pickle (zip record or legacy tail).
struct PickledStorage {
    std::string key;         // zip: data/<key>; legacy: the storage's id in the key list
    DType dtype = DType::Float32;
    int64_t numel = 0;       // elements, as declared by the persistent id
    bool is_view = false;    // legacy format only: a slice of another storage
    int64_t view_offset = 0;  // elements into the root storage
    int64_t view_numel = 0;
};

// A tensor as the pickle describes it: a strided view of a storage. Nothing checked against the
// storage yet (see strided_copy.h).
struct PickledTensor {
    uint32_t storage = 0;  // index into Pickle::storages()
    int64_t offset = 0;    // elements
    Shape size;
    std::vector<int64_t> stride;
    // _rebuild_tensor_v3's dtype, over an UntypedStorage of bytes (float8, uint16/32/64, ...);
    // nullopt: the storage's own dtype (_rebuild_tensor_v2).
    std::optional<DType> dtype;
};

class Pickle {
public:
    struct Value {
        PickleKind kind = PickleKind::None;
        int64_t integer = 0;         // Bool, Int; Global: which global; Storage/Tensor: table index
        double real = 0.0;           // Float
        std::string text;            // String; BigInt: little-endian two's complement bytes; Global: name
        std::vector<uint32_t> items;  // Tuple/List elements; Dict: key, value, key, value, ...
        // Dict: the state BUILD gave it (a state_dict's {'_metadata': ...}), a value index.
        std::optional<uint32_t> attributes;
    };

    const Value& value(uint32_t index) const { return m_values[index]; }
    const Value& root() const { return m_values[m_root]; }
    const std::vector<PickledStorage>& storages() const { return m_storages; }
    const std::vector<PickledTensor>& tensors() const { return m_tensors; }
    size_t consumed() const { return m_consumed; }  // bytes up to and including STOP

private:
    friend class Unpickler;
    std::vector<Value> m_values;
    std::vector<PickledStorage> m_storages;
    std::vector<PickledTensor> m_tensors;
    uint32_t m_root = 0;
    size_t m_consumed = 0;
};

// Decodes one pickle that starts at data[0] (more bytes may follow it). Throws UnsafeFileError
// for a global outside the allow-list (naming it and saying how to save a state_dict instead)
// and FileFormatError for anything malformed; every message starts with `name_for_messages`.
Pickle unpickle(const uint8_t* data, size_t size, const std::string& name_for_messages);

std::string describe(const Pickle& pickle, const Pickle::Value& value);  // "a list", "the int 3"

}  // namespace nnstudio::io
