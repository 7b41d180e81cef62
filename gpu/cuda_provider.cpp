// register_cuda_provider: device listing via the CUDA runtime, creation + self-check.
#include "cuda_provider.h"

#include "backend/registry.h"
#include "backend/self_check.h"
#include "cuda_backend.h"
#include "error.h"

#include <cuda_runtime_api.h>

#include <map>
#include <mutex>
#include <string>

namespace nnstudio::gpu {
namespace {

// Devices refused by their self-check in this process, with the reason: listed as unusable, and
// not checked again.
std::mutex refused_mutex;
std::map<int, std::string> refused;

std::vector<DeviceInfo> list_cuda_devices() {
    int count = 0;
    // No driver (cudaErrorInsufficientDriver) or no device (cudaErrorNoDevice): no CUDA devices.
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        (void)cudaGetLastError();
        return {};
    }
    std::vector<DeviceInfo> devices;
    for (int i = 0; i < count; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
            (void)cudaGetLastError();
            continue;
        }
        DeviceInfo info;
        info.device = Device::cuda(i);
        info.name = prop.name;
        info.total_memory = prop.totalGlobalMem;
        const std::lock_guard lock(refused_mutex);
        if (const auto it = refused.find(i); it != refused.end()) {
            info.usable = false;
            info.note = it->second;
        }
        devices.push_back(info);
    }
    return devices;
}

std::unique_ptr<Backend> create_cuda_backend(int index) {
    {
        const std::lock_guard lock(refused_mutex);
        if (const auto it = refused.find(index); it != refused.end()) throw DeviceError(it->second);
    }
    auto backend = std::make_unique<CudaBackend>(index);
    try {
        require_self_check(*backend, cpu_backend());
    } catch (const DeviceError& e) {
        const std::lock_guard lock(refused_mutex);
        refused[index] = e.what();
        throw;
    }
    return backend;
}

}  // namespace

void register_cuda_provider() {
    register_backend_provider({DeviceKind::CUDA, "cuda", list_cuda_devices, create_cuda_backend});
}

}  // namespace nnstudio::gpu
