// libFuzzer target: the weight finder (io/weight_finder.h) on checkpoints as the restricted
// unpickler decodes them from raw data.pkl bytes (nested dicts, lists, prefixes, _metadata), for
// a fixed model's keys and for no model (convert). Storages are filled buffers, as in fuzz_pickle.
// Invariants: the chosen weights' matches never exceed their size, and the prefix removal
// leaves no key starting with the removed prefix that also had it before.
#include "error.h"
#include "fuzz_limits.h"
#include "io/pickle_reader.h"
#include "io/pickled_tensors.h"
#include "io/strided_copy.h"
#include "io/weight_finder.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnstudio;
    // The TinyNet of issue 11 (fc1, bn1, fc2): what DataParallel, torch.compile and Lightning wrap.
    static const std::vector<std::string> model = {"fc1.weight", "fc1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                                   "bn1.running_var", "bn1.num_batches_tracked", "fc2.weight", "fc2.bias"};
    try {
        const io::Pickle pickle = io::unpickle(data, size, "fuzz/data.pkl");
        std::map<const io::PickledStorage*, std::vector<uint8_t>> storages;
        const auto resolve = [&](const io::PickledStorage& s) -> io::StorageSpan {
            const uint64_t n = io::contiguous_bytes({s.numel}, s.dtype, "storage");
            if (n > (1u << 20)) throw FileFormatError("storage too large for fuzzing");
            auto& bytes = storages[&s];
            bytes.assign(static_cast<size_t>(n), 0x5a);
            return {bytes.data(), static_cast<size_t>(n)};
        };
        const io::TensorFile file = io::tensors_from_pickle(pickle, resolve, fuzz::fuzz_limits(), "fuzz/data.pkl");
        for (const bool with_model : {true, false}) {
            try {
                const io::FoundWeights found = io::find_weights(file, with_model ? model : std::vector<std::string>{}, {}, "fuzz");
                if (found.model_matches > found.tensors.size()) __builtin_trap();
                if (!with_model && !found.prefix.empty()) __builtin_trap();  // no model: keys stay as saved
                if (found.prefixed > 0 && found.prefix.empty()) __builtin_trap();
            } catch (const FileFormatError&) {
            }
        }
        if (!file.nested.empty()) {  // --key of each entry finds exactly that entry
            const io::FoundWeights chosen = io::find_weights(file, model, {file.nested.back().path, std::nullopt}, "fuzz");
            if (chosen.entry != file.nested.back().path) __builtin_trap();
        }
    } catch (const Error&) {
    }
    return 0;
}
