// Tensor: the engine's dense, row-major, float32 N-d array (host memory).
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace nnstudio {

using Shape = std::vector<int64_t>;

std::string shape_to_string(const Shape& shape);  // "(32, 784)"
int64_t shape_numel(const Shape& shape);

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<MatrixRM>;
using ConstMatrixMap = Eigen::Map<const MatrixRM>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;

// Value semantics: copying a Tensor copies its data. resize() keeps capacity so that
// buffers reused across training steps do not allocate in steady state.
class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Shape shape, float fill = 0.0f);
    static Tensor from_data(Shape shape, std::vector<float> data);
    static Tensor scalar(float value);

    const Shape& shape() const { return m_shape; }
    int64_t dim() const { return static_cast<int64_t>(m_shape.size()); }
    int64_t size(int64_t d) const;  // negative d counts from the end
    int64_t numel() const { return static_cast<int64_t>(m_data.size()); }
    bool empty() const { return m_data.empty(); }

    float* data() { return m_data.data(); }
    const float* data() const { return m_data.data(); }
    float& operator[](int64_t i) { return m_data[static_cast<size_t>(i)]; }
    float operator[](int64_t i) const { return m_data[static_cast<size_t>(i)]; }
    const std::vector<float>& values() const { return m_data; }

    // Views as (size(0), numel/size(0)) matrix and as a flat vector.
    MatrixMap matrix();
    ConstMatrixMap matrix() const;
    VectorMap vector() { return VectorMap(m_data.data(), numel()); }
    ConstVectorMap vector() const { return ConstVectorMap(m_data.data(), numel()); }

    void resize(const Shape& shape);  // contents unspecified afterwards; no allocation if unchanged
    // Resizes to `shape` with its last dimension replaced by `last` (Linear's output), without
    // building a Shape when nothing changes.
    void resize_with_last(const Shape& shape, int64_t last);
    void fill(float value);
    Tensor reshaped(const Shape& shape) const;  // same data, new shape (numel must match)

    double sum() const;   // accumulated in double
    double mean() const;
    double std_unbiased() const;  // as torch.std(): divides by n-1
    bool all_finite() const;

private:
    Shape m_shape;
    std::vector<float> m_data;
};

}  // namespace nnstudio
