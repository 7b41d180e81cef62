// The device registry: the CPU backend always, then whatever the registered providers (gpu/) list.
#include "backend/registry.h"

#include "backend/cpu/cpu_backend.h"
#include "error.h"

#include <map>
#include <mutex>
#include <utility>

namespace nnstudio {

namespace {

struct Registry {
    std::mutex mutex;
    std::vector<BackendProvider> providers;
    std::map<std::pair<DeviceKind, int>, std::unique_ptr<Backend>> backends;  // created on first use
};

Registry& registry() {
    static Registry* r = new Registry;  // never destroyed: device backends outlive static tensors
    return *r;
}

std::vector<DeviceInfo> list_provider(const BackendProvider& p) {
    try {
        return p.list ? p.list() : std::vector<DeviceInfo>{};
    } catch (const std::exception&) {
        return {};  // no driver, no device: the provider contributes nothing
    }
}

std::string device_names(const std::vector<DeviceInfo>& devices) {
    std::string s;
    for (const DeviceInfo& d : devices) s += (s.empty() ? "" : ", ") + d.device.str();
    return s;
}

}  // namespace

void register_backend_provider(BackendProvider provider) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    for (BackendProvider& p : r.providers)
        if (p.kind == provider.kind) {
            p = std::move(provider);
            return;
        }
    r.providers.push_back(std::move(provider));
}

std::vector<DeviceInfo> available_devices() {
    std::vector<DeviceInfo> out{cpu_backend().info()};
    Registry& r = registry();
    std::vector<BackendProvider> providers;
    {
        std::lock_guard lock(r.mutex);
        providers = r.providers;
    }
    for (const BackendProvider& p : providers)
        for (DeviceInfo& d : list_provider(p)) out.push_back(std::move(d));
    return out;
}

Backend& cpu_backend() {
    // Never destroyed: tensors in static storage may free their memory through it at exit.
    static CpuBackend* backend = new CpuBackend;
    return *backend;
}

namespace {
thread_local Backend* t_default_backend = nullptr;
}

Backend& default_backend() { return t_default_backend ? *t_default_backend : cpu_backend(); }

ScopedDefaultBackend::ScopedDefaultBackend(Backend& backend) : m_previous(t_default_backend) {
    t_default_backend = &backend;
}

ScopedDefaultBackend::~ScopedDefaultBackend() { t_default_backend = m_previous; }

Backend& backend_for(const Device& device) {
    if (device.is_cpu()) return cpu_backend();
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    const auto key = std::pair{device.kind, device.index};
    if (auto it = r.backends.find(key); it != r.backends.end()) return *it->second;
    const BackendProvider* provider = nullptr;
    for (const BackendProvider& p : r.providers)
        if (p.kind == device.kind) provider = &p;
    if (!provider)
        throw DeviceError(device.str() + " is not available: this build of NN Studio has no CUDA backend "
                          "(it was built without the CUDA toolkit); this machine has: cpu");
    std::vector<DeviceInfo> devices{cpu_backend().info()};
    const DeviceInfo* found = nullptr;
    for (DeviceInfo& d : list_provider(*provider)) devices.push_back(std::move(d));
    for (const DeviceInfo& d : devices)
        if (d.device == device) found = &d;
    if (!found) {
        const bool none_of_kind = devices.size() == 1;  // only the CPU: the provider sees no device at all
        throw DeviceError(none_of_kind ? "no " + provider->name + " device is available (" + device.str() +
                                             " was asked for; no driver or no GPU answered); this machine has: " +
                                             device_names(devices)
                                       : device.str() + " does not exist; this machine has: " + device_names(devices));
    }
    if (!found->usable) throw DeviceError(device.str() + " (" + found->name + ") cannot be used: " + found->note);
    std::unique_ptr<Backend> backend = provider->create(device.index);
    if (!backend) throw DeviceError(device.str() + ": its backend could not be created");
    return *r.backends.emplace(key, std::move(backend)).first->second;
}

Backend& backend_or_cpu(const std::string& requested, std::string& message) {
    message.clear();
    const Device device = Device::parse(requested);  // throws for a string that is not a device
    if (device.is_cpu()) return cpu_backend();
    try {
        return backend_for(device);
    } catch (const DeviceError& e) {
        message = std::string(e.what()) + "; computing on the CPU instead";
        return cpu_backend();
    }
}

}  // namespace nnstudio
