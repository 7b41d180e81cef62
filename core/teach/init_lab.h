// Init lab: the same model and batch under several initialisation schemes — per layer (in
// execution order) activation statistics, histograms and weight-gradient statistics after one
// forward/backward at initialisation, then optionally a loss curve per scheme over N training
// steps from that start. This is where "Xavier keeps tanh alive, Kaiming keeps ReLU alive,
// N(0,1) saturates, zeros never break symmetry" shows up in numbers.
#pragma once
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "train/train_setup.h"
#include "teach/histogram.h"
#include "teach/lab_scheme.h"
#include "teach/teach_batch.h"

#include <optional>
#include <string>
#include <vector>

namespace nnstudio::teach {

struct LayerStats {
    std::string path;  // "net.3"
    std::string type;  // "Linear", "Tanh", ...
    int depth = 0;     // position in execution order, 0 = first layer
    Moments activation;                // of the layer's output over the batch
    std::optional<double> saturated;   // Tanh: share of |a| > 0.99; Sigmoid: a < 0.01 or > 0.99
    double zero_fraction = 0;          // share of outputs exactly 0 (dead ReLU units, zeros init)
    bool units_identical = false;      // every unit equals unit 0 on every sample: symmetry unbroken
    Histogram histogram;               // Tanh over [-1, 1], Sigmoid over [0, 1], else [min, max]
    Moments output_grad;               // of dL/d(output)
    std::optional<Moments> weight_grad;  // Linear: of dL/dW
};

struct LayerSnapshot {
    double loss = 0;  // the loss of the batch (CrossEntropyLoss unless the setup says otherwise)
    std::vector<LayerStats> layers;
};

// One train-mode forward and backward of `batch` (`loss` against its labels); the
// model's gradients are zeroed first and hold this batch's gradients afterwards.
LayerSnapshot measure_layers(nn::Model& model, const Batch& batch, const train::NamedOptions& loss = train::TrainSetup{}.loss);

struct TrainStepOptions {
    int steps = 0;
    std::string optimizer = "Adam";  // SGD, Adam, AdamW
    double lr = 1e-3;
    train::NamedOptions loss = train::TrainSetup{}.loss;  // the setup's loss, on class labels as in training
};
// `steps` train-mode optimizer steps on batches[0], batches[1], ... (cycling); the loss of each.
std::vector<double> train_steps(nn::Model& model, const std::vector<Batch>& batches, const TrainStepOptions& options);

struct SchemeRun {
    LabScheme scheme;
    LayerSnapshot at_init;
    std::vector<double> loss_curve;  // empty without training steps
};

struct InitLabOptions {
    std::vector<LabScheme> schemes = lab_schemes();
    uint64_t seed = 0;  // every scheme initialises with it
    TrainStepOptions training;
};

struct InitLabResult {
    std::string model_name;
    std::string data_description;
    int64_t batch_size = 0;
    std::vector<SchemeRun> runs;  // in the order of options.schemes
};

// Measures on data.batches[0] and trains on all of them. Throws SpecError/ShapeError for a model
// that cannot be built or does not fit the data, Error for empty data.
InitLabResult run_init_lab(const spec::ModelSpec& spec, const spec::FlagValues& flags, const TeachData& data,
                           const InitLabOptions& options);

}  // namespace nnstudio::teach
