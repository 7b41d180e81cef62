// Device: where a tensor's storage lives and which backend runs the operations on it
// ("cpu", "cuda:0"), and DeviceInfo, what the registry reports about one (name, memory).
#pragma once
#include <cstdint>
#include <string>

namespace nnstudio {

enum class DeviceKind { CPU, CUDA };

struct Device {
    DeviceKind kind = DeviceKind::CPU;
    int index = 0;  // CUDA ordinal; always 0 for the CPU

    static Device cpu() { return {}; }
    static Device cuda(int index = 0) { return {DeviceKind::CUDA, index}; }
    // "cpu", "cuda", "cuda:N", as torch.device accepts them. Throws DeviceError for anything else,
    // naming the valid forms.
    static Device parse(const std::string& text);
    std::string str() const;  // "cpu" | "cuda:N" (torch.device's str())
    bool is_cpu() const { return kind == DeviceKind::CPU; }
    friend bool operator==(const Device&, const Device&) = default;
};

struct DeviceInfo {
    Device device;
    std::string name;               // "CPU (2 threads, AVX-512 GEMM)", "NVIDIA H200"
    uint64_t total_memory = 0;      // bytes (the machine's RAM for the CPU)
    uint64_t free_memory = 0;       // bytes, when asked
    std::string note;               // e.g. why the device is refused ("self-check failed: ...")
    bool usable = true;             // false: listed, but backend_for() will refuse it (note says why)
};

}  // namespace nnstudio
