// TypedTensor and StateDict: dtype conversions (incl. float16/bfloat16) and ordered lookup.
#include "tensor/typed_tensor.h"

#include "backend/registry.h"
#include "error.h"

#include <cmath>
#include <cstring>

namespace nnstudio {
namespace {

struct DTypeInfo {
    DType dtype;
    const char* name;
    size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::Float32, "float32", 4}, {DType::Float64, "float64", 8}, {DType::Float16, "float16", 2},
    {DType::BFloat16, "bfloat16", 2}, {DType::Int64, "int64", 8},  {DType::Int32, "int32", 4},
    {DType::Int16, "int16", 2},     {DType::Int8, "int8", 1},      {DType::UInt8, "uint8", 1},
    {DType::Bool, "bool", 1},
};

const DTypeInfo& info(DType dtype) {
    for (const auto& i : kDTypes)
        if (i.dtype == dtype) return i;
    throw Error("internal: unknown dtype");
}

float half_to_float(uint16_t h) {
    const uint32_t sign = (h >> 15) & 1u, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
    float value;
    if (exp == 0) value = std::ldexp(static_cast<float>(mant), -24);
    else if (exp == 31) value = mant ? NAN : INFINITY;
    else value = std::ldexp(static_cast<float>(mant | 0x400u), static_cast<int>(exp) - 25);
    return sign ? -value : value;
}

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

}  // namespace

std::string dtype_name(DType dtype) { return info(dtype).name; }
size_t dtype_size(DType dtype) { return info(dtype).size; }

DType dtype_from_name(const std::string& name) {
    for (const auto& i : kDTypes)
        if (name == i.name) return i.dtype;
    throw FileFormatError("unsupported dtype '" + name +
                          "': NN Studio reads float32/64/16, bfloat16, int64/32/16/8, uint8 and bool");
}

bool is_floating_point(DType d) {
    return d == DType::Float32 || d == DType::Float64 || d == DType::Float16 || d == DType::BFloat16;
}

double TypedTensor::element(int64_t i) const {
    const uint8_t* p = bytes.data() + static_cast<size_t>(i) * dtype_size(dtype);
    switch (dtype) {
    case DType::Float32: return load<float>(p);
    case DType::Float64: return load<double>(p);
    case DType::Float16: return half_to_float(load<uint16_t>(p));
    case DType::BFloat16: {
        const uint32_t bits = static_cast<uint32_t>(load<uint16_t>(p)) << 16;
        return load<float>(reinterpret_cast<const uint8_t*>(&bits));
    }
    case DType::Int64: return static_cast<double>(load<int64_t>(p));
    case DType::Int32: return load<int32_t>(p);
    case DType::Int16: return load<int16_t>(p);
    case DType::Int8: return load<int8_t>(p);
    case DType::UInt8: return load<uint8_t>(p);
    case DType::Bool: return p[0] ? 1.0 : 0.0;
    }
    return 0.0;
}

double TypedTensor::sum() const {
    double s = 0.0;
    const int64_t n = numel();
    for (int64_t i = 0; i < n; ++i) s += element(i);
    return s;
}

Tensor TypedTensor::to_float() const {
    Tensor t(shape);
    if (dtype == DType::Float32) {
        std::memcpy(t.data(), bytes.data(), bytes.size());
        return t;
    }
    const int64_t n = numel();
    for (int64_t i = 0; i < n; ++i) t[i] = static_cast<float>(element(i));
    return t;
}

TypedTensor TypedTensor::from_float(const Tensor& t) {
    TypedTensor out;
    out.dtype = DType::Float32;
    out.shape = t.shape();
    out.bytes.resize(static_cast<size_t>(t.numel()) * sizeof(float));
    if (t.numel()) backend_for(t.device()).copy_to_host(out.bytes.data(), t.data(), out.bytes.size());
    return out;
}

TypedTensor TypedTensor::scalar_int64(int64_t value) {
    TypedTensor out;
    out.dtype = DType::Int64;
    out.bytes.resize(sizeof(int64_t));
    std::memcpy(out.bytes.data(), &value, sizeof(int64_t));
    return out;
}

void StateDict::insert(std::string key, TypedTensor value) {
    if (contains(key)) throw Error("duplicate state_dict key '" + key + "'");
    m_entries.emplace_back(std::move(key), std::move(value));
}

const TypedTensor* StateDict::find(const std::string& key) const {
    for (const auto& [k, v] : m_entries)
        if (k == key) return &v;
    return nullptr;
}

const TypedTensor& StateDict::at(const std::string& key) const {
    if (const TypedTensor* t = find(key)) return *t;
    throw Error("no tensor named '" + key + "' in the state_dict");
}

}  // namespace nnstudio
