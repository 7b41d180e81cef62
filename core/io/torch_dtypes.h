// How each DType is named inside files: PyTorch's storage classes (torch.FloatStorage, ...) in
// pickles, and safetensors' dtype codes (F32, ...).
#pragma once
#include "tensor/typed_tensor.h"

#include <optional>
#include <string>

namespace nnstudio::io {

std::string storage_class_name(DType dtype);  // "FloatStorage" (module "torch")
// The dtype of a storage class name without its module, e.g. "HalfStorage"; nullopt if unknown.
std::optional<DType> dtype_from_storage_class(const std::string& name);

std::string safetensors_code(DType dtype);  // "F32"
std::optional<DType> dtype_from_safetensors_code(const std::string& code);

}  // namespace nnstudio::io
