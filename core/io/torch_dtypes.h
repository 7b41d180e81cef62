// How each DType is named inside files: PyTorch's storage classes (torch.FloatStorage, ...) and
// dtype objects (torch.float8_e4m3fn) in pickles, and safetensors' dtype codes (F32, ...).
#pragma once
#include "tensor/typed_tensor.h"

#include <optional>
#include <string>

namespace nnstudio::io {

// "FloatStorage" (module "torch"); nullopt for the dtypes torch 2.x saves as an UntypedStorage
// with _rebuild_tensor_v3 (float8, uint16/32/64, complex32: torch/storage.py's _new_dtypes).
std::optional<std::string> storage_class_name(DType dtype);
// The dtype of a storage class name without its module, e.g. "HalfStorage"; nullopt if unknown.
std::optional<DType> dtype_from_storage_class(const std::string& name);
// The dtype of a global torch.<name> (a torch.dtype pickles as its name): "float8_e4m3fn".
std::optional<DType> dtype_from_torch_name(const std::string& name);
// The first PyTorch release whose torch.load reads a .pth holding `dtype` ("2.1" for float8_e4m3fn);
// nullopt for the dtypes every release since 1.13 reads. Older releases fail on the whole file
// (torch._utils has no _rebuild_tensor_v3, torch has no such dtype), not only on that tensor.
std::optional<std::string> min_torch_version(DType dtype);

// "F32"; throws FileFormatError for a dtype safetensors has no code for (complex32/128, fnuz floats).
std::string safetensors_code(DType dtype);
std::optional<DType> dtype_from_safetensors_code(const std::string& code);

}  // namespace nnstudio::io
