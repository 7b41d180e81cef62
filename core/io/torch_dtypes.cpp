// Tables of PyTorch storage class names and safetensors dtype codes.
#include "io/torch_dtypes.h"

#include "error.h"

namespace nnstudio::io {
namespace {

struct Names {
    DType dtype;
    const char* storage_class;  // nullptr: saved as UntypedStorage + _rebuild_tensor_v3
    const char* safetensors;    // nullptr: safetensors has no code for it
    const char* min_torch = nullptr;  // the release that added the dtype (its torch.<dtype>); nullptr: 1.13 has it
};

// torch/storage.py's _dtype_to_storage_type_map (the names torch.save still writes in persistent
// ids), the safetensors crate's Dtype enum, and the PyTorch release notes that added each dtype
// (float8 e4m3fn/e5m2 2.1, the fnuz ones 2.2, uint16/32/64 2.3, float8_e8m0fnu 2.7; complex32
// exists in 1.13 but its UntypedStorage needs _rebuild_tensor_v3, added with float8 in 2.1).
constexpr Names kNames[] = {
    {DType::Float32, "FloatStorage", "F32"},       {DType::Float64, "DoubleStorage", "F64"},
    {DType::Float16, "HalfStorage", "F16"},        {DType::BFloat16, "BFloat16Storage", "BF16"},
    {DType::Int64, "LongStorage", "I64"},          {DType::Int32, "IntStorage", "I32"},
    {DType::Int16, "ShortStorage", "I16"},         {DType::Int8, "CharStorage", "I8"},
    {DType::UInt8, "ByteStorage", "U8"},           {DType::Bool, "BoolStorage", "BOOL"},
    {DType::Float8_e4m3fn, nullptr, "F8_E4M3", "2.1"}, {DType::Float8_e5m2, nullptr, "F8_E5M2", "2.1"},
    // the fnuz codes as the safetensors package (0.6+) writes them
    {DType::Float8_e4m3fnuz, nullptr, "F8_E4M3FNUZ", "2.2"}, {DType::Float8_e5m2fnuz, nullptr, "F8_E5M2FNUZ", "2.2"},
    {DType::Float8_e8m0fnu, nullptr, "F8_E8M0", "2.7"}, {DType::UInt16, nullptr, "U16", "2.3"},
    {DType::UInt32, nullptr, "U32", "2.3"},        {DType::UInt64, nullptr, "U64", "2.3"},
    {DType::Complex32, nullptr, nullptr, "2.1"},   {DType::Complex64, "ComplexFloatStorage", "C64"},
    {DType::Complex128, "ComplexDoubleStorage", nullptr},
};

const Names& names(DType dtype) {
    for (const auto& n : kNames)
        if (n.dtype == dtype) return n;
    throw Error("internal: dtype without file names");
}

}  // namespace

std::optional<std::string> storage_class_name(DType dtype) {
    const char* name = names(dtype).storage_class;
    return name ? std::optional<std::string>(name) : std::nullopt;
}

std::optional<DType> dtype_from_storage_class(const std::string& name) {
    for (const auto& n : kNames)
        if (n.storage_class && name == n.storage_class) return n.dtype;
    return std::nullopt;
}

std::optional<std::string> min_torch_version(DType dtype) {
    const char* version = names(dtype).min_torch;
    return version ? std::optional<std::string>(version) : std::nullopt;
}

std::optional<DType> dtype_from_torch_name(const std::string& name) {
    for (const auto& n : kNames)
        if (name == dtype_name(n.dtype)) return n.dtype;
    return std::nullopt;
}

std::string safetensors_code(DType dtype) {
    const char* code = names(dtype).safetensors;
    if (!code)
        throw FileFormatError("safetensors has no dtype code for " + dtype_name(dtype) +
                              ": save this file as .pth, which holds every PyTorch dtype");
    return code;
}

std::optional<DType> dtype_from_safetensors_code(const std::string& code) {
    for (const auto& n : kNames)
        if (n.safetensors && code == n.safetensors) return n.dtype;
    return std::nullopt;
}

}  // namespace nnstudio::io
