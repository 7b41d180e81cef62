// libFuzzer target: whole tensor files (zip .pth, legacy .pth, anything) through the public
// in-memory reader; what reads must also survive a write + read round trip unchanged.
#include "error.h"
#include "fuzz_limits.h"
#include "io/pth_format.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnstudio;
    const std::vector<uint8_t> bytes(data, data + size);
    try {
        const io::TensorFile file = io::read_tensor_file_from_bytes(bytes, "fuzz.pth", fuzz::fuzz_limits());
        const std::vector<uint8_t> written = io::write_pth_zip(file);
        fuzz::check_same(file, io::read_tensor_file_from_bytes(written, "rewritten.pth", fuzz::fuzz_limits()));
    } catch (const Error&) {
        // A clean refusal is the expected outcome for almost every input.
    }
    return 0;
}
