// Tables of PyTorch storage class names and safetensors dtype codes.
#include "io/torch_dtypes.h"

#include "error.h"

namespace nnstudio::io {
namespace {

struct Names {
    DType dtype;
    const char* storage_class;
    const char* safetensors;
};

// torch/storage.py's legacy typed storages; the names torch.save still writes in persistent ids.
constexpr Names kNames[] = {
    {DType::Float32, "FloatStorage", "F32"},     {DType::Float64, "DoubleStorage", "F64"},
    {DType::Float16, "HalfStorage", "F16"},      {DType::BFloat16, "BFloat16Storage", "BF16"},
    {DType::Int64, "LongStorage", "I64"},        {DType::Int32, "IntStorage", "I32"},
    {DType::Int16, "ShortStorage", "I16"},       {DType::Int8, "CharStorage", "I8"},
    {DType::UInt8, "ByteStorage", "U8"},         {DType::Bool, "BoolStorage", "BOOL"},
};

const Names& names(DType dtype) {
    for (const auto& n : kNames)
        if (n.dtype == dtype) return n;
    throw Error("internal: dtype without file names");
}

}  // namespace

std::string storage_class_name(DType dtype) { return names(dtype).storage_class; }

std::optional<DType> dtype_from_storage_class(const std::string& name) {
    for (const auto& n : kNames)
        if (name == n.storage_class) return n.dtype;
    return std::nullopt;
}

std::string safetensors_code(DType dtype) { return names(dtype).safetensors; }

std::optional<DType> dtype_from_safetensors_code(const std::string& code) {
    for (const auto& n : kNames)
        if (code == n.safetensors) return n.dtype;
    return std::nullopt;
}

}  // namespace nnstudio::io
