// A caching allocator for one device (PyTorch's CUDACachingAllocator, reduced to one stream): freed
// blocks are kept by size and handed out again, so a training step in steady state calls no
// cudaMalloc. All work runs on the backend's one stream, so a block freed by the host may be
// reused at once: every later use is ordered after the earlier kernels. Thread-safe (a tensor may
// be freed on another thread than the one that trains).
#pragma once
#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace nnstudio::gpu {

class CudaMemoryPool {
public:
    explicit CudaMemoryPool(int device) : m_device(device) {}
    ~CudaMemoryPool();
    CudaMemoryPool(const CudaMemoryPool&) = delete;
    CudaMemoryPool& operator=(const CudaMemoryPool&) = delete;

    // A block of at least `bytes` (256-byte aligned); nullptr for 0. A cached block of the same
    // rounded size (or up to twice it) is reused; otherwise cudaMalloc, and when that fails, the
    // cache is released and cudaMalloc tried once more. Throws DeviceError (out of memory, with the
    // sizes) when the device has no room.
    void* allocate(size_t bytes);
    // Returns a block to the cache. A block freed while a CUDA graph is being captured stays reserved
    // for that graph (its replays still use it) until release_graph_blocks().
    void deallocate(void* ptr);

    void set_capturing(bool capturing) {
        const std::lock_guard lock(m_mutex);
        m_capturing = capturing;
    }
    void release_graph_blocks();  // the captured graph is gone: its blocks join the cache
    void release_cached();        // cudaFree of every cached (free) block


private:
    void release_cached_locked();

    std::mutex m_mutex;
    int m_device;
    bool m_capturing = false;
    std::multimap<size_t, void*> m_free;             // rounded size -> block
    std::unordered_map<void*, size_t> m_sizes;       // every live or cached block -> rounded size
    std::vector<void*> m_graph_blocks;               // freed during capture
    size_t m_in_use = 0, m_cached = 0;
};

}  // namespace nnstudio::gpu
