// Dataset: N samples with compact feature storage (image data as uint8 bytes with a byte->float
// scale, tabular/synthetic data as float32) and either integer class labels or float target rows
// (regression values, or multi-label 0/1 entries). Batches convert to float on demand.
#pragma once
#include "tensor/tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nnstudio::data {

class Dataset {
public:
    Dataset() = default;

    // Image-like data kept as bytes (Fashion-MNIST's 60000x784 pixels are 47 MB, not 188 MB as
    // floats); the value of a feature is byte * byte_scale, so 1/255 maps pixels to [0, 1].
    // bytes: (N, *feature_shape) row-major; labels: N class indices in [0, num_classes).
    static Dataset from_bytes(Shape feature_shape, std::vector<uint8_t> bytes, std::vector<int32_t> labels,
                              int64_t num_classes, std::vector<std::string> class_names = {},
                              float byte_scale = 1.0f / 255.0f);
    // Tabular/synthetic data. values: (N, *feature_shape) row-major.
    static Dataset from_floats(Shape feature_shape, std::vector<float> values, std::vector<int32_t> labels,
                               int64_t num_classes, std::vector<std::string> class_names = {});
    // Tabular data with float targets instead of class labels (CSV target columns): values:
    // (N, *feature_shape), targets: (N, T) row-major with T = target_names.size() >= 1, every
    // value finite. Such a data set has no classes (num_classes() 0, labels() empty).
    // Throws DataError when the sizes disagree or a target is not finite.
    static Dataset from_floats_with_targets(Shape feature_shape, std::vector<float> values, std::vector<float> targets,
                                            std::vector<std::string> target_names);

    int64_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const Shape& feature_shape() const { return m_feature_shape; }
    int64_t feature_size() const { return m_feature_size; }  // values per sample

    int64_t num_classes() const { return m_num_classes; }
    const std::vector<std::string>& class_names() const { return m_class_names; }  // empty or num_classes
    std::string class_name(int64_t c) const;  // the name, or the number when unnamed
    void set_class_names(std::vector<std::string> names);  // empty or exactly num_classes names

    const std::vector<int32_t>& labels() const { return m_labels; }
    int32_t label(int64_t i) const { return m_labels[static_cast<size_t>(i)]; }
    std::vector<int64_t> class_counts() const;  // samples per class (empty with float targets)

    // Float targets: what MSELoss/L1Loss/BCEWithLogitsLoss compare the (B, T) output with as-is.
    bool has_targets() const { return !m_target_names.empty(); }
    int64_t target_width() const { return static_cast<int64_t>(m_target_names.size()); }  // T, 0 without targets
    const std::vector<std::string>& target_names() const { return m_target_names; }      // the columns' names
    const std::vector<float>& targets() const { return m_targets; }                      // (N, T) row-major
    const float* target(int64_t i) const { return m_targets.data() + i * target_width(); }  // sample i's T values

    bool stores_bytes() const { return m_stores_bytes; }
    float byte_scale() const { return m_byte_scale; }             // 1 for float data
    const std::vector<uint8_t>& bytes() const { return m_bytes; }   // empty unless stores_bytes()
    const std::vector<float>& floats() const { return m_floats; }   // empty if stores_bytes()

    // One feature value as the model sees it before normalisation (bytes already scaled).
    float value(int64_t sample, int64_t feature) const;
    // Writes sample i's feature_size() scaled values to out.
    void copy_sample(int64_t i, float* out) const;

    // Heap bytes held by features, labels and targets: the data set's memory footprint.
    size_t memory_bytes() const;

    // The samples at `indices` (in that order), e.g. a held-out test split.
    Dataset subset(std::span<const int64_t> indices) const;

    // Where the data came from, for messages and the UI ("Fashion-MNIST train").
    const std::string& name() const { return m_name; }
    void set_name(std::string name) { m_name = std::move(name); }

    // Throws DataError naming this data set when i is not a sample index.
    void check_index(int64_t i) const;

private:
    void validate(size_t value_count);  // also sets m_size

    Shape m_feature_shape;
    int64_t m_feature_size = 0;
    int64_t m_size = 0;
    int64_t m_num_classes = 0;
    std::vector<std::string> m_class_names;
    std::vector<int32_t> m_labels;
    bool m_stores_bytes = false;
    float m_byte_scale = 1.0f;
    std::vector<uint8_t> m_bytes;
    std::vector<float> m_floats;
    std::vector<float> m_targets;              // (N, T) with float targets, else empty
    std::vector<std::string> m_target_names;   // T names with float targets, else empty
    std::string m_name;
};

}  // namespace nnstudio::data
