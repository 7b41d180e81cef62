// Host <-> device copies through page-locked (pinned) staging buffers, so that a host-to-device copy
// is a true asynchronous DMA on the backend's stream: the host fills one buffer while the GPU reads
// the other. A buffer is reused only after the copy that read it has finished (its event).
#pragma once
#include <cuda_runtime_api.h>

#include <array>
#include <cstddef>

namespace nnstudio::gpu {

class PinnedStaging {
public:
    PinnedStaging() = default;
    ~PinnedStaging();
    PinnedStaging(const PinnedStaging&) = delete;
    PinnedStaging& operator=(const PinnedStaging&) = delete;

    // Queues host -> device on `stream`; returns once `src` may be overwritten (it was copied into
    // pinned memory), usually before the GPU has the data. Throws DeviceError.
    void to_device(void* device_dst, const void* host_src, size_t bytes, cudaStream_t stream);
    // Device -> host after all work queued on `stream`; waits for it. Throws DeviceError.
    void to_host(void* host_dst, const void* device_src, size_t bytes, cudaStream_t stream);

private:
    static constexpr size_t chunk_bytes = size_t(8) << 20;
    struct Buffer {
        void* host = nullptr;
        cudaEvent_t done = nullptr;  // recorded after the copy that last used the buffer
    };
    Buffer& next_buffer();  // waits for its previous copy, allocating on first use

    std::array<Buffer, 2> m_buffers{};
    size_t m_next = 0;
};

}  // namespace nnstudio::gpu
