// libFuzzer target: the CSV reader (data/csv_loader.h) with dialect detection on raw text, and
// with options chosen by the first byte (delimiter, header, label column given by hand).
// Invariants of what reads: at least one sample, finite float features, labels within classes.
#include "data/csv_loader.h"
#include "error.h"

#include <cmath>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnstudio;
    if (size == 0 || size > (1u << 20)) return 0;
    const uint8_t choice = data[0];
    data::CsvOptions options;
    if (choice & 1) options.delimiter = ",;\t|"[(choice >> 1) & 3];
    if (choice & 8) options.has_header = (choice & 16) != 0;
    if (choice & 32) options.label_column = data::LabelColumn::parse((choice & 64) ? "0" : "label");
    try {
        const data::Dataset d = data::parse_csv(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.csv", options);
        if (d.size() < 1 || d.num_classes() < 1) __builtin_trap();
        for (int64_t i = 0; i < d.size(); ++i) {
            if (d.label(i) < 0 || d.label(i) >= d.num_classes()) __builtin_trap();
            for (int64_t k = 0; k < d.feature_size(); ++k)
                if (!std::isfinite(d.value(i, k))) __builtin_trap();
        }
    } catch (const Error&) {
    }
    return 0;
}
