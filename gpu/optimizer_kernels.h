// Launchers of the optimizer steps over every parameter in one launch (optimizer_kernels.cu): a
// slot table in device memory, blockIdx.y picks the slot. torch.optim's single-tensor formulas
// (PyTorch 1.13), float arithmetic in PyTorch's order.
#pragma once
#include "backend/ops.h"

#include <cuda_runtime_api.h>

#include <cstdint>

namespace nnstudio::gpu {

// slots: `count` ParamSlots in device memory; max_n: the largest slot's n. Throws DeviceError.
void launch_sgd_step(const SgdStepDesc& d, const ParamSlot* slots, int64_t count, int64_t max_n, cudaStream_t stream);

// Adam's step count lives in device memory (`step`), so that a replayed CUDA graph advances it:
// launch_set_adam_step writes `value`, or adds one when `increment` (the next consecutive step).
void launch_set_adam_step(int64_t* step, int64_t value, bool increment, cudaStream_t stream);
void launch_adam_step(const AdamStepDesc& d, const ParamSlot* slots, int64_t count, int64_t max_n, const int64_t* step,
                      cudaStream_t stream);

}  // namespace nnstudio::gpu
