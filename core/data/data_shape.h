// DataShape: what a data source gives a model — the per-sample feature shape and the number of
// classes — found without loading the whole set, so a model can be checked against it while editing.
#pragma once
#include "data/data_source.h"

#include <optional>

namespace nnstudio::data {

struct DataShape {
    Shape input_shape;        // per sample, e.g. (784,) or (2,)
    int64_t num_classes = 0;  // 0: unknown without reading every row (CSV)
};

// Synthetic sets are generated (a few thousand points: cheap); Fashion-MNIST is (784,) with 10
// classes (its files are not read); a CSV file's features are counted in its first rows; an IDX
// prefix is not read (nullopt). Throws DataError when a CSV file cannot be read, as load_data would.
std::optional<DataShape> peek_data_shape(const DataSource& source, const DataOptions& options = {});

}  // namespace nnstudio::data
