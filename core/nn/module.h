// Module: the base of every layer and container, mirroring torch.nn.Module's tree,
// parameter/buffer registration order (which fixes state_dict key order) and train/eval mode.
//
// A module keeps the semantics (options, parameters, shape checks, train/eval, what to record for
// backward) and runs its arithmetic on its backend (default_backend() when created, usually the
// CPU, until to() moves it); it never branches on which backend that is.
#pragma once
#include "backend/backend.h"
#include "tensor/tensor.h"
#include "tensor/typed_tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nnstudio::nn {

// A learnable tensor and its accumulated gradient (same shape).
struct Parameter {
    std::string name;  // local name: "weight", "bias"
    Tensor value;
    Tensor grad;
};

// A non-learnable state tensor (BatchNorm's running stats). Exactly one of the two is set.
struct BufferRef {
    std::string name;
    Tensor* f32 = nullptr;    // saved as float32
    int64_t* i64 = nullptr;   // saved as a 0-d int64 tensor (num_batches_tracked)
};

// Whether forward() records what backward() needs (like torch.no_grad when false).
bool grad_enabled();
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool m_previous;
};

class Module {
public:
    Module();
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    virtual std::string type() const = 0;                         // "Linear", "Sequential", ...
    virtual std::string describe() const { return type() + "()"; }  // like PyTorch's repr line

    // Per-sample shape inference: `in` excludes the batch dimension. Throws ShapeError.
    virtual Shape output_shape(const Shape& in) const = 0;

    // x: (B, ...). Records what backward() needs when grad_enabled(); then `x` must stay alive and
    // unchanged until backward() (containers guarantee this: inputs are the previous module's
    // output buffer). Returns a buffer owned by the module (or `x` itself), valid until the next
    // forward() in the same grad mode: buffers are reused, so a step allocates nothing.
    virtual const Tensor& forward(const Tensor& x) = 0;
    // grad_out: dL/d(output of the last recorded forward); accumulates into parameter grads and
    // returns dL/d(input) (a module-owned buffer, or grad_out itself).
    virtual const Tensor& backward(const Tensor& grad_out) = 0;

    // Whether backward() must return dL/d(input). A model's data needs no gradient (as in
    // PyTorch), so the layers that only see the data skip that work: a Linear there saves its
    // dX GEMM (14-23% of a seed model's training FLOPs). When false, backward() returns an empty
    // tensor. Containers pass it on: a child's input needs a gradient once anything before it
    // has parameters.
    void set_input_needs_grad(bool needed);
    bool input_needs_grad() const { return m_input_needs_grad; }

    // Parameters and buffers back to their values after construction, as PyTorch's
    // reset_parameters() (BatchNorm weight 1, PReLU slopes = init); no-op for layers without any.
    // Linear's weights are drawn by initialize_model() (spec/model_init.h) instead.
    virtual void reset_parameters() {}

    // Moves this module and its children to `backend`: its parameters, gradients and buffers are
    // copied to the backend's device, and every later forward/backward runs there. The backend
    // must outlive the module.
    void to(Backend& backend);
    Backend& backend() const { return *m_backend; }
    Device device() const { return m_backend->device(); }

    void train(bool on = true);
    void eval() { train(false); }
    bool is_training() const { return m_training; }

    // Own parameters and buffers (registration order), then children.
    std::vector<Parameter*>& own_parameters() { return m_params; }
    const std::vector<BufferRef>& own_buffers() const { return m_buffers; }
    struct Child {
        std::string name;
        std::unique_ptr<Module> module;
    };
    const std::vector<Child>& children() const { return m_children; }

    // Depth-first, PyTorch order: (qualified name, parameter).
    std::vector<std::pair<std::string, Parameter*>> named_parameters(const std::string& prefix = "");
    // Every module with its qualified path ("" for this one), pre-order like named_modules().
    void visit_modules(const std::function<void(const std::string&, Module&)>& fn,
                       const std::string& prefix = "");
    StateDict state_dict(const std::string& prefix = "") const;
    void zero_grad();
    int64_t parameter_count();

protected:
    // The output buffer for this forward: a forward without gradient recording (evaluation)
    // writes a separate buffer so it never disturbs what backward() needs.
    Tensor& output_buffer() { return m_output[grad_enabled() ? 0 : 1]; }
    // `t` resized to `shape` on this module's device (scratch and saved tensors).
    Tensor& prepare(Tensor& t, const Shape& shape) {
        t.resize(shape, device());
        return t;
    }
    Tensor& grad_input_buffer() { return m_grad_input; }
    void register_parameter(Parameter* p) { m_params.push_back(p); }
    void register_buffer(BufferRef b) { m_buffers.push_back(std::move(b)); }
    Module& add_child(std::string name, std::unique_ptr<Module> child);
    virtual void on_mode_change() {}
    virtual void on_backend_change() {}  // modules that own more than their children move it along
    virtual void on_input_needs_grad_change() {}  // containers pass the flag to their children
    // An empty tensor: backward()'s result when input_needs_grad() is false.
    const Tensor& no_input_grad() {
        m_grad_input.resize({0}, device());
        return m_grad_input;
    }

private:
    Backend* m_backend;
    bool m_training = true;
    bool m_input_needs_grad = true;
    std::vector<Parameter*> m_params;
    std::vector<BufferRef> m_buffers;
    std::vector<Child> m_children;
    Tensor m_output[2];
    Tensor m_grad_input;
};

std::string join_path(const std::string& prefix, const std::string& name);

}  // namespace nnstudio::nn
