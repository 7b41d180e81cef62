// Device parsing and printing, in torch.device's spelling ("cpu", "cuda", "cuda:1").
#include "backend/device.h"

#include "error.h"

#include <cctype>

namespace nnstudio {

Device Device::parse(const std::string& text) {
    const auto fail = [&] {
        throw DeviceError("\"" + text + "\" is not a device: write cpu, cuda or cuda:N (N = 0, 1, ...), as torch.device");
    };
    if (text == "cpu") return cpu();
    if (text == "cuda") return cuda(0);
    const std::string prefix = "cuda:";
    if (text.rfind(prefix, 0) != 0) fail();
    const std::string digits = text.substr(prefix.size());
    if (digits.empty() || digits.size() > 4) fail();
    for (char c : digits)
        if (!std::isdigit(static_cast<unsigned char>(c))) fail();
    return cuda(std::stoi(digits));
}

std::string Device::str() const { return is_cpu() ? "cpu" : "cuda:" + std::to_string(index); }

}  // namespace nnstudio
