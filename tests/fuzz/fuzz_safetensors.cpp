// libFuzzer target: the safetensors reader on raw bytes (no format detection in front of it);
// what reads must also survive a write + read round trip unchanged.
#include "error.h"
#include "fuzz_limits.h"
#include "io/safetensors_format.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnstudio;
    const std::vector<uint8_t> bytes(data, data + size);
    try {
        const io::TensorFile file = io::read_safetensors(bytes, "fuzz.safetensors", fuzz::fuzz_limits());
        const std::vector<uint8_t> written = io::write_safetensors(file);
        fuzz::check_same(file, io::read_safetensors(written, "rewritten.safetensors", fuzz::fuzz_limits()));
    } catch (const Error&) {
    }
    return 0;
}
