// CudaMemoryPool: size-keyed cache of device blocks (see the header).
#include "cuda_memory_pool.h"

#include "cuda_check.h"
#include "error.h"

#include <string>

namespace nnstudio::gpu {
namespace {

// Small blocks round to 512 bytes, large ones to 2 MiB, as PyTorch's allocator does, so that
// slightly different sizes share blocks.
size_t round_size(size_t bytes) {
    const size_t granule = bytes < (1u << 20) ? 512 : (2u << 20);
    return (bytes + granule - 1) / granule * granule;
}

std::string mib(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

CudaMemoryPool::~CudaMemoryPool() {
    // Destructors do not throw: a lost device at exit leaves the memory to the driver.
    cudaSetDevice(m_device);
    for (const auto& [ptr, size] : m_sizes) cudaFree(ptr);
}

void* CudaMemoryPool::allocate(size_t bytes) {
    if (bytes == 0) return nullptr;
    const std::lock_guard lock(m_mutex);
    const size_t size = round_size(bytes);
    auto it = m_free.lower_bound(size);
    if (it != m_free.end() && it->first <= 2 * size) {
        void* ptr = it->second;
        m_cached -= it->first;
        m_in_use += it->first;
        m_free.erase(it);
        return ptr;
    }
    void* ptr = nullptr;
    cudaError_t status = cudaMalloc(&ptr, size);
    if (status == cudaErrorMemoryAllocation) {
        (void)cudaGetLastError();  // clear the (non-sticky) error before trying again
        release_cached_locked();
        status = cudaMalloc(&ptr, size);
    }
    if (status == cudaErrorMemoryAllocation) {
        (void)cudaGetLastError();
        size_t free_bytes = 0, total_bytes = 0;
        cudaMemGetInfo(&free_bytes, &total_bytes);
        throw DeviceError("CUDA out of memory on cuda:" + std::to_string(m_device) + ": tried to allocate " +
                          mib(size) + " (" + mib(free_bytes) + " free of " + mib(total_bytes) + ", " +
                          mib(m_in_use) + " in use by this process); use a smaller batch or --device cpu");
    }
    NNSTUDIO_CUDA_CHECK(status);
    m_sizes.emplace(ptr, size);
    m_in_use += size;
    return ptr;
}

void CudaMemoryPool::deallocate(void* ptr) {
    if (!ptr) return;
    const std::lock_guard lock(m_mutex);
    const auto it = m_sizes.find(ptr);
    if (it == m_sizes.end()) throw DeviceError("CudaMemoryPool: freeing a pointer it did not allocate (a bug)");
    m_in_use -= it->second;
    if (m_capturing) {
        m_graph_blocks.push_back(ptr);
        return;
    }
    m_free.emplace(it->second, ptr);
    m_cached += it->second;
}

void CudaMemoryPool::release_graph_blocks() {
    const std::lock_guard lock(m_mutex);
    for (void* ptr : m_graph_blocks) {
        const size_t size = m_sizes.at(ptr);
        m_free.emplace(size, ptr);
        m_cached += size;
    }
    m_graph_blocks.clear();
}

void CudaMemoryPool::release_cached() {
    const std::lock_guard lock(m_mutex);
    release_cached_locked();
}

void CudaMemoryPool::release_cached_locked() {
    for (const auto& [size, ptr] : m_free) {
        cudaFree(ptr);
        m_sizes.erase(ptr);
    }
    m_free.clear();
    m_cached = 0;
}

}  // namespace nnstudio::gpu
