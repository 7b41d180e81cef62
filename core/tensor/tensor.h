// Tensor: the engine's dense, row-major N-d array: shape + dtype (float32) + device + storage.
// The storage lives on the tensor's device and comes from that device's backend; data() is the
// raw pointer there (what the backend's operations take). Host code reads the numbers of a CPU
// tensor directly (operator[], iteration) and of any other through an explicit copy
// (to_vector(), to(Device::cpu())).
#pragma once
#include "backend/device.h"
#include "backend/ops.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio {

using Shape = std::vector<int64_t>;

std::string shape_to_string(const Shape& shape);  // "(32, 784)"
int64_t shape_numel(const Shape& shape);          // ShapeError for a negative dimension

// Value semantics: copying a Tensor copies its data (on its device). resize() keeps capacity so
// that buffers reused across training steps do not allocate in steady state.
class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Shape shape, float fill = 0.0f);  // on the CPU
    Tensor(Shape shape, float fill, Device device);
    static Tensor from_data(Shape shape, std::vector<float> data);  // on the CPU; ShapeError if sizes differ
    static Tensor scalar(float value);
    ~Tensor();
    Tensor(const Tensor& other);
    Tensor& operator=(const Tensor& other);
    Tensor(Tensor&& other) noexcept;
    Tensor& operator=(Tensor&& other) noexcept;

    const Shape& shape() const { return m_shape; }
    int64_t dim() const { return static_cast<int64_t>(m_shape.size()); }
    int64_t size(int64_t d) const;  // negative d counts from the end; ShapeError when out of range
    int64_t numel() const { return m_numel; }
    bool empty() const { return m_numel == 0; }
    ComputeType dtype() const { return ComputeType::Float32; }  // the one compute type today
    Device device() const { return m_device; }
    bool is_cpu() const { return m_device.is_cpu(); }

    // The storage on the tensor's device.
    float* data() { return m_data; }
    const float* data() const { return m_data; }

    // Host access, CPU tensors only (DeviceError otherwise: copy with to_vector() first).
    float& operator[](int64_t i) {
        if (!is_cpu()) [[unlikely]] throw_not_on_host();
        return m_data[i];
    }
    float operator[](int64_t i) const {
        if (!is_cpu()) [[unlikely]] throw_not_on_host();
        return m_data[i];
    }
    float* begin() { return const_cast<float*>(host_data()); }
    float* end() { return begin() + m_numel; }
    const float* begin() const { return host_data(); }
    const float* end() const { return host_data() + m_numel; }

    // Explicit copies, from any device.
    std::vector<float> to_vector() const;
    Tensor to(Device device) const;
    // Makes this tensor a copy of `src` (its shape and values), on this tensor's own device,
    // reusing the storage when it is large enough.
    void copy_from(const Tensor& src);

    // Contents unspecified afterwards (what fits of the old ones is kept, new elements are 0, as
    // std::vector::resize); no allocation when the capacity suffices.
    void resize(const Shape& shape);
    // The same on `device` (the storage moves there first when the tensor lives elsewhere).
    void resize(const Shape& shape, Device device);
    // Resizes to `shape` with its last dimension replaced by `last` (Linear's output), without
    // building a Shape when nothing changes.
    void resize_with_last(const Shape& shape, int64_t last, Device device);
    void fill(float value);  // through the device's backend
    Tensor reshaped(const Shape& shape) const;  // a copy with a new shape (numel must match)

    // Host reductions (a non-CPU tensor is copied to the host first).
    double sum() const;   // accumulated in double
    double mean() const;
    double std_unbiased() const;  // as torch.std(): divides by n-1
    bool all_finite() const;

private:
    [[noreturn]] void throw_not_on_host() const;
    const float* host_data() const {
        if (!is_cpu()) [[unlikely]] throw_not_on_host();
        return m_data;
    }
    void release();
    void reserve_on(Device device, int64_t numel);  // grows the storage, keeping its contents

    Shape m_shape;
    Device m_device;
    float* m_data = nullptr;
    int64_t m_numel = 0;
    int64_t m_capacity = 0;  // elements
};

}  // namespace nnstudio
