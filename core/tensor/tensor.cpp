// Tensor implementation: storage through the device's backend, shape bookkeeping, host reductions.
#include "tensor/tensor.h"

#include "backend/registry.h"
#include "error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <utility>

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

Tensor::Tensor(Shape shape, float fill) : Tensor(std::move(shape), fill, Device::cpu()) {}

Tensor::Tensor(Shape shape, float fill, Device device) : m_shape(std::move(shape)), m_device(device) {
    const int64_t n = shape_numel(m_shape);
    reserve_on(device, n);
    m_numel = n;
    if (n == 0) return;
    if (is_cpu())
        std::fill(m_data, m_data + n, fill);
    else
        backend_for(m_device).fill(m_data, n, fill);
}

Tensor Tensor::from_data(Shape shape, std::vector<float> data) {
    if (shape_numel(shape) != static_cast<int64_t>(data.size()))
        throw ShapeError("tensor data has " + std::to_string(data.size()) + " values but shape " +
                         shape_to_string(shape) + " needs " + std::to_string(shape_numel(shape)));
    Tensor t(std::move(shape), 0.0f);
    if (!data.empty()) std::memcpy(t.m_data, data.data(), data.size() * sizeof(float));
    return t;
}

Tensor Tensor::scalar(float value) { return from_data({}, {value}); }

Tensor::~Tensor() { release(); }

Tensor::Tensor(const Tensor& other) : m_shape(other.m_shape), m_device(other.m_device) {
    reserve_on(m_device, other.m_numel);
    m_numel = other.m_numel;
    if (m_numel) backend_for(m_device).copy(m_data, other.m_data, static_cast<size_t>(m_numel) * sizeof(float));
}

Tensor& Tensor::operator=(const Tensor& other) {
    if (this == &other) return *this;
    if (m_device != other.m_device) release();
    m_device = other.m_device;
    m_numel = 0;  // nothing to keep
    reserve_on(m_device, other.m_numel);
    m_shape = other.m_shape;
    m_numel = other.m_numel;
    if (m_numel) backend_for(m_device).copy(m_data, other.m_data, static_cast<size_t>(m_numel) * sizeof(float));
    return *this;
}

Tensor::Tensor(Tensor&& other) noexcept
    : m_shape(std::move(other.m_shape)), m_device(other.m_device), m_data(std::exchange(other.m_data, nullptr)),
      m_numel(std::exchange(other.m_numel, 0)), m_capacity(std::exchange(other.m_capacity, 0)) {
    other.m_shape.clear();
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
    if (this == &other) return *this;
    release();
    m_shape = std::move(other.m_shape);
    other.m_shape.clear();
    m_device = other.m_device;
    m_data = std::exchange(other.m_data, nullptr);
    m_numel = std::exchange(other.m_numel, 0);
    m_capacity = std::exchange(other.m_capacity, 0);
    return *this;
}

void Tensor::release() {
    if (m_data) backend_for(m_device).deallocate(m_data, static_cast<size_t>(m_capacity) * sizeof(float));
    m_data = nullptr;
    m_capacity = 0;
}

void Tensor::reserve_on(Device device, int64_t numel) {
    if (device == m_device && numel <= m_capacity) return;
    Backend& backend = backend_for(device);
    auto* fresh = static_cast<float*>(backend.allocate(static_cast<size_t>(numel) * sizeof(float)));
    // Keep what fits and zero the rest, as std::vector::resize did before the backend seam.
    const int64_t kept = device == m_device ? std::min(m_numel, numel) : 0;
    if (kept) backend.copy(fresh, m_data, static_cast<size_t>(kept) * sizeof(float));
    if (numel > kept) {
        if (device.is_cpu())
            std::fill(fresh + kept, fresh + numel, 0.0f);
        else
            backend.fill(fresh + kept, numel - kept, 0.0f);
    }
    release();
    m_device = device;
    m_data = fresh;
    m_capacity = numel;
}

void Tensor::throw_not_on_host() const {
    throw DeviceError("this tensor lives on " + m_device.str() +
                      ": copy it to the host first (to_vector() or to(Device::cpu()))");
}

int64_t Tensor::size(int64_t d) const {
    const int64_t n = dim();
    if (d < 0) d += n;
    if (d < 0 || d >= n)
        throw ShapeError("dimension " + std::to_string(d) + " out of range for shape " +
                         shape_to_string(m_shape));
    return m_shape[static_cast<size_t>(d)];
}

std::vector<float> Tensor::to_vector() const {
    std::vector<float> out(static_cast<size_t>(m_numel));
    if (m_numel) backend_for(m_device).copy_to_host(out.data(), m_data, out.size() * sizeof(float));
    return out;
}

Tensor Tensor::to(Device device) const {
    if (device == m_device) return *this;
    Tensor t;
    t.resize(m_shape, device);
    t.copy_from(*this);
    return t;
}

void Tensor::copy_from(const Tensor& src) {
    if (&src == this) return;
    resize(src.shape(), m_device);
    const size_t bytes = static_cast<size_t>(m_numel) * sizeof(float);
    if (!bytes) return;
    if (m_device == src.m_device)
        backend_for(m_device).copy(m_data, src.m_data, bytes);
    else if (src.is_cpu())
        backend_for(m_device).copy_from_host(m_data, src.m_data, bytes);
    else if (is_cpu())
        backend_for(src.m_device).copy_to_host(m_data, src.m_data, bytes);
    else
        copy_from(src.to(Device::cpu()));  // between two accelerators: through the host
}

void Tensor::resize(const Shape& shape) { resize(shape, m_device); }

void Tensor::resize(const Shape& shape, Device device) {
    if (device == m_device && shape == m_shape && m_numel != 0) return;
    const int64_t n = shape_numel(shape);
    reserve_on(device, n);
    if (n > m_numel && m_capacity > 0) {
        // Growing within the capacity: the new elements are 0, as std::vector::resize.
        if (device.is_cpu())
            std::fill(m_data + m_numel, m_data + n, 0.0f);
        else
            backend_for(device).fill(m_data + m_numel, n - m_numel, 0.0f);
    }
    m_shape = shape;
    m_numel = n;
}

void Tensor::resize_with_last(const Shape& shape, int64_t last, Device device) {
    const bool same = device == m_device && m_shape.size() == shape.size() && !shape.empty() &&
                      m_shape.back() == last && std::equal(shape.begin(), shape.end() - 1, m_shape.begin());
    if (same) return;
    Shape s = shape;
    if (!s.empty()) s.back() = last;
    resize(s, device);
}

void Tensor::fill(float value) {
    if (m_numel) backend_for(m_device).fill(m_data, m_numel, value);
}

Tensor Tensor::reshaped(const Shape& shape) const {
    if (shape_numel(shape) != numel())
        throw ShapeError("cannot reshape " + shape_to_string(m_shape) + " to " +
                         shape_to_string(shape));
    Tensor t = *this;
    t.m_shape = shape;
    return t;
}

namespace {

// The host values of t: its own storage on the CPU, else a copy in `copy`.
const float* host_values(const Tensor& t, std::vector<float>& copy) {
    if (t.is_cpu()) return t.data();
    copy = t.to_vector();
    return copy.data();
}

}  // namespace

double Tensor::sum() const {
    std::vector<float> copy;
    const float* v = host_values(*this, copy);
    double s = 0.0;
    for (int64_t i = 0; i < m_numel; ++i) s += v[i];
    return s;
}

double Tensor::mean() const { return m_numel == 0 ? 0.0 : sum() / static_cast<double>(numel()); }

double Tensor::std_unbiased() const {
    if (numel() < 2) return 0.0;
    const double m = mean();
    std::vector<float> copy;
    const float* v = host_values(*this, copy);
    double ss = 0.0;
    for (int64_t i = 0; i < m_numel; ++i) ss += (v[i] - m) * (v[i] - m);
    return std::sqrt(ss / static_cast<double>(numel() - 1));
}

bool Tensor::all_finite() const {
    std::vector<float> copy;
    const float* v = host_values(*this, copy);
    for (int64_t i = 0; i < m_numel; ++i)
        if (!std::isfinite(v[i])) return false;
    return true;
}

}  // namespace nnstudio
