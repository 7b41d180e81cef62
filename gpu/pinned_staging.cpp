// PinnedStaging: a ring of two 8 MiB pinned buffers (see the header).
#include "pinned_staging.h"

#include "cuda_check.h"

#include <algorithm>
#include <cstring>

namespace nnstudio::gpu {

PinnedStaging::~PinnedStaging() {
    for (Buffer& b : m_buffers) {
        if (b.done) {
            cudaEventSynchronize(b.done);
            cudaEventDestroy(b.done);
        }
        if (b.host) cudaFreeHost(b.host);
    }
}

PinnedStaging::Buffer& PinnedStaging::next_buffer() {
    Buffer& b = m_buffers[m_next];
    m_next = (m_next + 1) % m_buffers.size();
    if (!b.host) {
        NNSTUDIO_CUDA_CHECK(cudaMallocHost(&b.host, chunk_bytes));
        NNSTUDIO_CUDA_CHECK(cudaEventCreateWithFlags(&b.done, cudaEventDisableTiming));
    } else {
        NNSTUDIO_CUDA_CHECK(cudaEventSynchronize(b.done));
    }
    return b;
}

void PinnedStaging::to_device(void* device_dst, const void* host_src, size_t bytes, cudaStream_t stream) {
    auto* dst = static_cast<char*>(device_dst);
    const auto* src = static_cast<const char*>(host_src);
    for (size_t done = 0; done < bytes; done += chunk_bytes) {
        const size_t n = std::min(chunk_bytes, bytes - done);
        Buffer& b = next_buffer();
        std::memcpy(b.host, src + done, n);
        NNSTUDIO_CUDA_CHECK(cudaMemcpyAsync(dst + done, b.host, n, cudaMemcpyHostToDevice, stream));
        NNSTUDIO_CUDA_CHECK(cudaEventRecord(b.done, stream));
    }
}

void PinnedStaging::to_host(void* host_dst, const void* device_src, size_t bytes, cudaStream_t stream) {
    auto* dst = static_cast<char*>(host_dst);
    const auto* src = static_cast<const char*>(device_src);
    for (size_t done = 0; done < bytes; done += chunk_bytes) {
        const size_t n = std::min(chunk_bytes, bytes - done);
        Buffer& b = next_buffer();
        NNSTUDIO_CUDA_CHECK(cudaMemcpyAsync(b.host, src + done, n, cudaMemcpyDeviceToHost, stream));
        NNSTUDIO_CUDA_CHECK(cudaEventRecord(b.done, stream));
        NNSTUDIO_CUDA_CHECK(cudaEventSynchronize(b.done));
        std::memcpy(dst + done, b.host, n);
    }
}

}  // namespace nnstudio::gpu
