// The CUDA backend's entry in the device registry (core/backend/registry.h): lists the GPUs the
// driver reports (none without a driver or device, never an error) and creates a CudaBackend for
// one, which must pass the self-check against the CPU before anything uses it.
#pragma once

namespace nnstudio::gpu {

// Registers the "cuda" provider. Called once at start-up by register_builtin_backends().
void register_cuda_provider();

}  // namespace nnstudio::gpu
