// nnstudio-cli devices: the devices this process can compute on (the registry's list), one per
// line: the device string for --device, its name and memory; --json for one JSON array.
#include "backend/registry.h"
#include "cli/commands.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace nnstudio::cli {
namespace {

std::string gib(uint64_t bytes) {
    char s[32];
    std::snprintf(s, sizeof s, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return s;
}

}  // namespace

void add_devices_command(CLI::App& app) {
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("devices", "List the devices to compute on (the values --device accepts)");
    cmd->add_flag("--json", *json, "Print one JSON array: device, name, total_memory, free_memory, usable, note");
    cmd->callback([json] {
        const std::vector<DeviceInfo> devices = available_devices();
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const DeviceInfo& d : devices)
                out.push_back({{"device", d.device.str()}, {"name", d.name}, {"total_memory", d.total_memory},
                               {"free_memory", d.free_memory}, {"usable", d.usable}, {"note", d.note}});
            std::cout << out.dump() << "\n";
            return;
        }
        for (const DeviceInfo& d : devices) {
            std::cout << d.device.str() << "\t" << d.name << "\t" << gib(d.total_memory) << " total, "
                      << gib(d.free_memory) << " free";
            if (!d.usable) std::cout << "\tnot usable: " << d.note;
            else if (!d.note.empty()) std::cout << "\t" << d.note;
            std::cout << "\n";
        }
    });
}

}  // namespace nnstudio::cli
