// The device registry: which devices this process can compute on, and the backend for each.
// The CPU is always there; gpu/ registers its provider at start-up when it is built. The CLI's
// `devices` and `--device`, and the GUI's device picker, read this and nothing else.
#pragma once
#include "backend/backend.h"
#include "backend/device.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nnstudio {

// A source of devices of one kind (the CUDA backend registers one).
struct BackendProvider {
    DeviceKind kind;
    std::string name;                                      // "cuda"
    std::function<std::vector<DeviceInfo>()> list;          // the devices it sees (none: empty)
    std::function<std::unique_ptr<Backend>(int index)> create;  // throws DeviceError when it cannot
};

// Adds a provider (idempotent per kind). Called by gpu/'s registration at start-up.
void register_backend_provider(BackendProvider provider);

// Every device, the CPU first. A provider that fails to list (no driver) contributes nothing.
std::vector<DeviceInfo> available_devices();

// The process-wide backend for `device`, created on first use. Throws DeviceError naming the
// device and what exists ("cuda:1 does not exist; this machine has: cpu, cuda:0").
Backend& backend_for(const Device& device);

// The CPU backend (always available), over all cores.
Backend& cpu_backend();

// The backend that modules, losses and optimizers created on this thread start on, and that a
// run on the CPU uses: cpu_backend(), unless a ScopedDefaultBackend on this thread names another
// (the desktop app's worker threads name its CPU backend that leaves a core to the GUI).
Backend& default_backend();

// Makes `backend` this thread's default_backend() for its lifetime (nestable). The backend
// must outlive everything created under it.
class ScopedDefaultBackend {
public:
    explicit ScopedDefaultBackend(Backend& backend);
    ~ScopedDefaultBackend();
    ScopedDefaultBackend(const ScopedDefaultBackend&) = delete;
    ScopedDefaultBackend& operator=(const ScopedDefaultBackend&) = delete;

private:
    Backend* m_previous;
};

// A device asked for by the user ("cuda", "cuda:1", "cpu"): the backend when it can be used;
// otherwise the CPU backend, with `message` set to the reason (no GPU, refused by the self-check,
// not built with CUDA). Never throws for an unavailable device; throws DeviceError for a string
// that is not a device at all.
Backend& backend_or_cpu(const std::string& requested, std::string& message);

}  // namespace nnstudio
