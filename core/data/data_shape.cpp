// peek_data_shape: the cheap part of load_data — shapes and class counts, not the samples.
#include "data/data_shape.h"

#include "data/fashion_mnist.h"

namespace nnstudio::data {

std::optional<DataShape> peek_data_shape(const DataSource& source, const DataOptions& options) {
    switch (source.kind) {
        case DataSourceKind::FashionMnist:
            return DataShape{{28 * 28}, static_cast<int64_t>(fashion_mnist_class_names().size())};
        case DataSourceKind::Synthetic: {
            const Dataset set = make_synthetic(source.name, options.synthetic);
            return DataShape{set.feature_shape(), set.num_classes()};
        }
        case DataSourceKind::Csv:
            // The classes are the distinct labels of every row: only loading the file tells them.
            return DataShape{preview_csv(source.name, options.csv).head.feature_shape(), 0};
        case DataSourceKind::Idx: return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace nnstudio::data
