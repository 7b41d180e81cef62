// Tensor implementation: shape bookkeeping and simple reductions.
#include "tensor/tensor.h"

#include "error.h"
#include "util/thread_team.h"

#include <cmath>
#include <sstream>

namespace nnstudio {

std::string shape_to_string(const Shape& shape) {
    std::ostringstream s;
    s << '(';
    for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
    if (shape.size() == 1) s << ',';
    s << ')';
    return s.str();
}

int64_t shape_numel(const Shape& shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0) throw ShapeError("negative dimension in shape " + shape_to_string(shape));
        n *= d;
    }
    return n;
}

Tensor::Tensor(Shape shape, float fill)
    : m_shape(std::move(shape)), m_data(static_cast<size_t>(shape_numel(m_shape)), fill) {}

Tensor Tensor::from_data(Shape shape, std::vector<float> data) {
    if (shape_numel(shape) != static_cast<int64_t>(data.size()))
        throw ShapeError("tensor data has " + std::to_string(data.size()) + " values but shape " +
                         shape_to_string(shape) + " needs " + std::to_string(shape_numel(shape)));
    Tensor t;
    t.m_shape = std::move(shape);
    t.m_data = std::move(data);
    return t;
}

Tensor Tensor::scalar(float value) { return from_data({}, {value}); }

int64_t Tensor::size(int64_t d) const {
    const int64_t n = dim();
    if (d < 0) d += n;
    if (d < 0 || d >= n)
        throw ShapeError("dimension " + std::to_string(d) + " out of range for shape " +
                         shape_to_string(m_shape));
    return m_shape[static_cast<size_t>(d)];
}

MatrixMap Tensor::matrix() {
    const int64_t rows = dim() == 0 ? 1 : m_shape[0];
    return MatrixMap(m_data.data(), rows, rows == 0 ? 0 : numel() / rows);
}

ConstMatrixMap Tensor::matrix() const {
    const int64_t rows = dim() == 0 ? 1 : m_shape[0];
    return ConstMatrixMap(m_data.data(), rows, rows == 0 ? 0 : numel() / rows);
}

void Tensor::resize(const Shape& shape) {
    if (shape == m_shape && !m_data.empty()) return;
    m_shape = shape;
    m_data.resize(static_cast<size_t>(shape_numel(shape)));
}

void Tensor::resize_with_last(const Shape& shape, int64_t last) {
    const bool same = m_shape.size() == shape.size() && !shape.empty() && m_shape.back() == last &&
                      std::equal(shape.begin(), shape.end() - 1, m_shape.begin());
    if (same) return;
    Shape s = shape;
    if (!s.empty()) s.back() = last;
    resize(s);
}

void Tensor::fill(float value) {
    float* d = m_data.data();
    parallel_for_elements(numel(), [&](int64_t b, int64_t e) { std::fill(d + b, d + e, value); });
}

Tensor Tensor::reshaped(const Shape& shape) const {
    if (shape_numel(shape) != numel())
        throw ShapeError("cannot reshape " + shape_to_string(m_shape) + " to " +
                         shape_to_string(shape));
    Tensor t = *this;
    t.m_shape = shape;
    return t;
}

double Tensor::sum() const {
    double s = 0.0;
    for (float v : m_data) s += v;
    return s;
}

double Tensor::mean() const { return m_data.empty() ? 0.0 : sum() / static_cast<double>(numel()); }

double Tensor::std_unbiased() const {
    if (numel() < 2) return 0.0;
    const double m = mean();
    double ss = 0.0;
    for (float v : m_data) ss += (v - m) * (v - m);
    return std::sqrt(ss / static_cast<double>(numel() - 1));
}

bool Tensor::all_finite() const {
    for (float v : m_data)
        if (!std::isfinite(v)) return false;
    return true;
}

}  // namespace nnstudio
