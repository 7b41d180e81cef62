// Dataset implementation: validation of shapes/labels, scaled access, subsets.
#include "data/dataset.h"

#include "data/data_error.h"

#include <cmath>
#include <cstring>

namespace nnstudio::data {

namespace {

int64_t checked_feature_size(const Shape& shape) {
    if (shape.empty()) throw DataError("a data set needs a feature shape such as (784,) or (2,), got ()");
    for (int64_t d : shape)
        if (d <= 0)
            throw DataError("feature shape " + shape_to_string(shape) + " has a non-positive dimension");
    return shape_numel(shape);
}

}  // namespace

Dataset Dataset::from_bytes(Shape feature_shape, std::vector<uint8_t> bytes, std::vector<int32_t> labels,
                            int64_t num_classes, std::vector<std::string> class_names, float byte_scale) {
    if (!std::isfinite(byte_scale) || byte_scale <= 0.0f)
        throw DataError("byte scale must be a positive finite number (1/255 maps pixels to [0, 1]), got " +
                        std::to_string(byte_scale));
    Dataset d;
    d.m_feature_size = checked_feature_size(feature_shape);
    d.m_feature_shape = std::move(feature_shape);
    d.m_num_classes = num_classes;
    d.m_class_names = std::move(class_names);
    d.m_labels = std::move(labels);
    d.m_stores_bytes = true;
    d.m_byte_scale = byte_scale;
    d.m_bytes = std::move(bytes);
    d.validate(d.m_bytes.size());
    return d;
}

Dataset Dataset::from_floats(Shape feature_shape, std::vector<float> values, std::vector<int32_t> labels,
                             int64_t num_classes, std::vector<std::string> class_names) {
    Dataset d;
    d.m_feature_size = checked_feature_size(feature_shape);
    d.m_feature_shape = std::move(feature_shape);
    d.m_num_classes = num_classes;
    d.m_class_names = std::move(class_names);
    d.m_labels = std::move(labels);
    d.m_floats = std::move(values);
    d.validate(d.m_floats.size());
    return d;
}

Dataset Dataset::from_floats_with_targets(Shape feature_shape, std::vector<float> values, std::vector<float> targets,
                                          std::vector<std::string> target_names) {
    if (target_names.empty()) throw DataError("a data set with float targets needs at least 1 target column, got none");
    Dataset d;
    d.m_feature_size = checked_feature_size(feature_shape);
    d.m_feature_shape = std::move(feature_shape);
    d.m_target_names = std::move(target_names);
    d.m_targets = std::move(targets);
    d.m_floats = std::move(values);
    d.validate(d.m_floats.size());
    return d;
}

void Dataset::validate(size_t value_count) {
    if (has_targets()) {
        const size_t t = m_target_names.size();
        if (m_targets.size() % t != 0)
            throw DataError("data set has " + std::to_string(m_targets.size()) + " target values, not a whole number of rows of " +
                            std::to_string(t) + " targets");
        for (size_t i = 0; i < m_targets.size(); ++i)
            if (!std::isfinite(m_targets[i]))
                throw DataError("target " + std::to_string(i % t) + " (\"" + m_target_names[i % t] + "\") of sample " +
                                std::to_string(i / t) + " is not finite; remove or replace NaN/Inf values");
        m_size = static_cast<int64_t>(m_targets.size() / t);
    } else {
        m_size = static_cast<int64_t>(m_labels.size());
    }
    const size_t expected = static_cast<size_t>(m_size) * static_cast<size_t>(m_feature_size);
    if (value_count != expected)
        throw DataError("data set has " + std::to_string(value_count) + " feature values but " +
                        std::to_string(m_size) + " samples of shape " +
                        shape_to_string(m_feature_shape) + " need " + std::to_string(expected));
    if (has_targets()) return;
    if (m_num_classes < 1)
        throw DataError("a classification data set needs at least 1 class, got num_classes " +
                        std::to_string(m_num_classes));
    if (!m_class_names.empty() && static_cast<int64_t>(m_class_names.size()) != m_num_classes)
        throw DataError(std::to_string(m_class_names.size()) + " class names given for " +
                        std::to_string(m_num_classes) + " classes: give one name per class or none");
    for (size_t i = 0; i < m_labels.size(); ++i)
        if (m_labels[i] < 0 || m_labels[i] >= m_num_classes)
            throw DataError("label " + std::to_string(m_labels[i]) + " of sample " + std::to_string(i) +
                            " is outside [0, " + std::to_string(m_num_classes) + ")");
}

std::string Dataset::class_name(int64_t c) const {
    if (c >= 0 && c < static_cast<int64_t>(m_class_names.size())) return m_class_names[static_cast<size_t>(c)];
    return std::to_string(c);
}

void Dataset::set_class_names(std::vector<std::string> names) {
    if (!names.empty() && static_cast<int64_t>(names.size()) != m_num_classes)
        throw DataError(std::to_string(names.size()) + " class names given for " + std::to_string(m_num_classes) +
                        " classes: give one name per class or none");
    m_class_names = std::move(names);
}

std::vector<int64_t> Dataset::class_counts() const {
    std::vector<int64_t> counts(static_cast<size_t>(m_num_classes), 0);
    for (int32_t l : m_labels) ++counts[static_cast<size_t>(l)];
    return counts;
}

float Dataset::value(int64_t sample, int64_t feature) const {
    const size_t at = static_cast<size_t>(sample * m_feature_size + feature);
    return m_stores_bytes ? static_cast<float>(m_bytes[at]) * m_byte_scale : m_floats[at];
}

void Dataset::copy_sample(int64_t i, float* out) const {
    const size_t at = static_cast<size_t>(i * m_feature_size);
    if (m_stores_bytes) {
        const uint8_t* src = m_bytes.data() + at;
        for (int64_t j = 0; j < m_feature_size; ++j) out[j] = static_cast<float>(src[j]) * m_byte_scale;
    } else {
        std::memcpy(out, m_floats.data() + at, static_cast<size_t>(m_feature_size) * sizeof(float));
    }
}

size_t Dataset::memory_bytes() const {
    return m_bytes.capacity() + (m_floats.capacity() + m_targets.capacity()) * sizeof(float) +
           m_labels.capacity() * sizeof(int32_t);
}

void Dataset::check_index(int64_t i) const {
    if (i < 0 || i >= size())
        throw DataError("sample index " + std::to_string(i) + " is out of range for " +
                        (m_name.empty() ? std::string("the data set") : m_name) + " (" + std::to_string(size()) +
                        " samples): indices must come from this data set's split");
}

Dataset Dataset::subset(std::span<const int64_t> indices) const {
    for (int64_t i : indices) check_index(i);
    const size_t fs = static_cast<size_t>(m_feature_size);
    std::vector<int32_t> labels;
    if (!has_targets()) {
        labels.reserve(indices.size());
        for (int64_t i : indices) labels.push_back(m_labels[static_cast<size_t>(i)]);
    }
    Dataset d;
    d.m_size = static_cast<int64_t>(indices.size());
    d.m_target_names = m_target_names;
    if (has_targets()) {
        const int64_t t = target_width();
        d.m_targets.reserve(indices.size() * static_cast<size_t>(t));
        for (int64_t i : indices) d.m_targets.insert(d.m_targets.end(), target(i), target(i) + t);
    }
    d.m_feature_shape = m_feature_shape;
    d.m_feature_size = m_feature_size;
    d.m_num_classes = m_num_classes;
    d.m_class_names = m_class_names;
    d.m_labels = std::move(labels);
    d.m_stores_bytes = m_stores_bytes;
    d.m_byte_scale = m_byte_scale;
    d.m_name = m_name;
    if (m_stores_bytes) {
        d.m_bytes.resize(indices.size() * fs);
        for (size_t k = 0; k < indices.size(); ++k)
            std::memcpy(d.m_bytes.data() + k * fs, m_bytes.data() + static_cast<size_t>(indices[k]) * fs, fs);
    } else {
        d.m_floats.resize(indices.size() * fs);
        for (size_t k = 0; k < indices.size(); ++k)
            std::memcpy(d.m_floats.data() + k * fs, m_floats.data() + static_cast<size_t>(indices[k]) * fs,
                        fs * sizeof(float));
    }
    return d;
}

}  // namespace nnstudio::data
