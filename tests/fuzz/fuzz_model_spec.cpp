// libFuzzer target: the model-file reader (JSON -> validated spec -> built model -> summary), and
// the save/parse round trip. Only nnstudio::Error may escape the engine; anything else (another
// exception, a crash, a sanitizer report) is a bug.
#include "error.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "spec/summary.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

// Skips documents whose layers would need more memory than the fuzzer's limit (a valid model
// file may ask for any size; that is not what this target explores).
bool small_enough(const nlohmann::json& j) {
    if (j.is_object()) {
        for (const char* key : {"out_features", "repeat"})
            if (j.contains(key) && j[key].is_number() && j[key].get<double>() > 512) return false;
        if (j.contains("shape") && j["shape"].is_array())
            for (const auto& d : j["shape"])
                if (d.is_number() && d.get<double>() > 512) return false;
    }
    if (j.is_structured())
        for (const auto& item : j)
            if (!small_enough(item)) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnstudio;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const spec::ModelSpec parsed = spec::parse_model_spec_text(text);
        const nlohmann::json saved = spec::to_json(parsed);
        if (spec::to_json(spec::parse_model_spec(saved)) != saved) std::abort();  // save/load must round-trip
        if (!small_enough(saved)) return 0;
        nn::Model model = spec::build_model(parsed);
        (void)spec::format_summary(spec::summarize(model));
    } catch (const Error&) {
    }
    return 0;
}
