// libFuzzer target: the restricted unpickler and the tensor views it describes, on raw data.pkl
// bytes. Inside a zip the CRC check would reject nearly every mutated pickle before parsing, so
// this reaches the opcode loop directly; storages are filled buffers of the declared size.
#include "error.h"
#include "fuzz_limits.h"
#include "io/pickle_reader.h"
#include "io/pickled_tensors.h"
#include "io/strided_copy.h"

#include <cstdint>
#include <map>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnstudio;
    try {
        const io::Pickle pickle = io::unpickle(data, size, "fuzz/data.pkl");
        // One buffer per persistent id: spans handed out must never move.
        std::map<const io::PickledStorage*, std::vector<uint8_t>> storages;
        const auto resolve = [&](const io::PickledStorage& s) -> io::StorageSpan {
            const uint64_t n = io::contiguous_bytes({s.numel}, s.dtype, "storage");
            if (n > (1u << 20)) throw FileFormatError("storage too large for fuzzing");
            auto& bytes = storages[&s];
            bytes.assign(static_cast<size_t>(n), 0x5a);
            return {bytes.data(), static_cast<size_t>(n)};
        };
        io::tensors_from_pickle(pickle, resolve, fuzz::fuzz_limits(), "fuzz/data.pkl");
    } catch (const Error&) {
    }
    return 0;
}
