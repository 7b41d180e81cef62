// TypedTensor: a tensor of any PyTorch dtype as raw little-endian bytes, for files and state_dicts.
#pragma once
#include "tensor/tensor.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nnstudio {

// Every dtype torch.save and safetensors can hold. The 8-bit floats, unsigned ints and complex
// numbers are carried as bytes (convert keeps them); models use what converts to float32.
enum class DType {
    Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool,
    Float8_e4m3fn, Float8_e5m2, Float8_e4m3fnuz, Float8_e5m2fnuz, Float8_e8m0fnu,
    UInt16, UInt32, UInt64, Complex32, Complex64, Complex128,
};

std::string dtype_name(DType dtype);        // PyTorch's name: "float32", "int64", "float8_e4m3fn", ...
size_t dtype_size(DType dtype);             // bytes per element
bool is_floating_point(DType dtype);        // PyTorch's is_floating_point: the float and float8 types
bool is_complex(DType dtype);               // complex32/64/128: no float32 value (to_float throws)
DType dtype_from_name(const std::string&);  // throws FileFormatError for an unknown name

struct TypedTensor {
    DType dtype = DType::Float32;
    Shape shape;
    std::vector<uint8_t> bytes;  // contiguous, row-major, little-endian

    int64_t numel() const { return shape_numel(shape); }
    double element(int64_t i) const;  // any real dtype, as double; throws Error for complex
    double sum() const;               // float64 accumulation, as the fixtures' MANIFEST

    Tensor to_float() const;          // converts every real dtype to float32; throws Error for complex
    static TypedTensor from_float(const Tensor& t);
    static TypedTensor scalar_int64(int64_t value);
};

// An ordered name -> tensor map, in the order PyTorch's state_dict() lists keys.
class StateDict {
public:
    using Entry = std::pair<std::string, TypedTensor>;

    void insert(std::string key, TypedTensor value);  // throws if the key exists
    const TypedTensor* find(const std::string& key) const;
    const TypedTensor& at(const std::string& key) const;  // throws naming the key
    bool contains(const std::string& key) const { return find(key) != nullptr; }
    size_t size() const { return m_entries.size(); }
    bool empty() const { return m_entries.empty(); }
    const std::vector<Entry>& entries() const { return m_entries; }
    auto begin() const { return m_entries.begin(); }
    auto end() const { return m_entries.end(); }

    // PyTorch's state_dict._metadata versions: module path ("bn1", "" for the root) -> the
    // version of that module's state when it was saved; empty when the file has none. Load rules
    // depend on it (see nn/load_rules.h).
    std::map<std::string, int64_t> versions;

private:
    std::vector<Entry> m_entries;
};

}  // namespace nnstudio
