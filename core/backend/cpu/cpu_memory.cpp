// CPU memory: 64-byte aligned host blocks (a cache line, and an AVX-512 vector). No pool of its
// own: tensors keep their capacity across steps (Tensor::resize), so a training step in steady
// state allocates nothing, and glibc's allocator pools what is freed.
#include "backend/cpu/cpu_backend.h"

#include "error.h"

#include <cstring>
#include <new>

namespace nnstudio {

namespace {
constexpr std::align_val_t kAlignment{64};
}

void* CpuBackend::allocate(size_t bytes) {
    if (bytes == 0) return nullptr;
    void* p = ::operator new(bytes, kAlignment, std::nothrow);
    if (!p)
        throw DeviceError("cpu: out of memory allocating " + std::to_string(bytes) +
                          " bytes; use a smaller batch size or model");
    return p;
}

void CpuBackend::deallocate(void* ptr, size_t) {
    if (ptr) ::operator delete(ptr, kAlignment);
}

void CpuBackend::copy_from_host(void* device_dst, const void* host_src, size_t bytes) {
    if (bytes) std::memcpy(device_dst, host_src, bytes);
}

void CpuBackend::copy_to_host(void* host_dst, const void* device_src, size_t bytes) {
    if (bytes) std::memcpy(host_dst, device_src, bytes);
}

void CpuBackend::copy(void* dst, const void* src, size_t bytes) {
    if (bytes && dst != src) std::memmove(dst, src, bytes);
}

}  // namespace nnstudio
