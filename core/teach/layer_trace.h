// LayerTrace: runs a model's forward and backward one layer at a time so that every layer's
// output and the gradient arriving at it can be observed (what a forward hook gives in PyTorch).
// Sequential/ModuleList containers are walked into; any other module — a leaf layer or a whole
// Residual block — is one traced unit. The numbers are those of Model::forward/backward: the
// containers only chain their children, which the trace does in the same order.
#pragma once
#include "nn/model.h"

#include <string>
#include <vector>

namespace nnstudio::teach {

struct TracedLayer {
    std::string path;     // state_dict prefix, "net.3"
    std::string type;     // "Linear", "Tanh", "Residual", ...
    nn::Module* module = nullptr;
    Tensor output;        // (B, ...) of the last forward()
    Tensor grad_output;   // dL/d(output) of the last backward(); empty before one
};

class LayerTrace {
public:
    explicit LayerTrace(nn::Model& model);  // the model must outlive the trace

    // x: (B, *input_shape). Records for backward (gradient mode), like a training forward;
    // throws ShapeError naming the expected shape. Returns the model's output.
    const Tensor& forward(const Tensor& x);
    // grad: dL/d(output); accumulates parameter gradients as Model::backward does.
    void backward(const Tensor& grad);

    const std::vector<TracedLayer>& layers() const { return m_layers; }

private:
    nn::Model& m_model;
    std::vector<TracedLayer> m_layers;
    Tensor m_input;  // the recorded forward's input: layers keep a pointer to it until backward
};

}  // namespace nnstudio::teach
