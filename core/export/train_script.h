// Generates a self-contained PyTorch training script (train.py) for a model file and its training
// setup: same data, normalisation, loss, optimizer, schedule, initializer, epochs, batch size and
// seed. It runs as `python3 train.py` or data-parallel as `torchrun --nproc_per_node=N train.py`
// and imports the class generate_pytorch_module wrote (`from model import ClassName`).
#pragma once
#include "data/data_source.h"
#include "spec/model_spec.h"
#include "train/train_setup.h"

#include <string>

namespace nnstudio::exporter {

// The script loads the data as train::data_options_for(setup) says (the test fraction is
// data::DataOptions' 0.2). Synthetic sets come from NN Studio's own seeded generator, so the
// script loads the tensors NN Studio generated (a data file) instead of re-implementing it.

// "<stem>_data.pth" for a script path "dir/<stem>.py": the file write_synthetic_data_file writes
// next to the script (just the file name; the script looks for it in its own folder).
std::string synthetic_data_file_name(const std::string& script_path);

// "<stem>_weights.pth" for "dir/<stem>.py": where the CLI writes the state_dict of setup.weights
// (found in the user's file as `train --weights` finds it) for the script to start from.
std::string initial_weights_file_name(const std::string& script_path);

// Writes the synthetic set of `setup` (spirals, moons, circles, xor, blobs) as a .pth state_dict
// {x_train: float32 (N, 2), y_train: int64 (N,), x_test, y_test}, atomically. Throws Error when
// setup.data is not a synthetic set.
void write_synthetic_data_file(const std::string& path, const train::TrainSetup& setup);

// The script text. `model_module`: the module holding the class ("model" for model.py), a Python
// identifier. `data_file`: required for synthetic data (the name write_synthetic_data_file's file
// has next to the script), ignored otherwise. `weights_file`: when not empty, the name of a state_dict
// next to the script that the model loads (strict=True) instead of keeping its initial weights. The model's flags (spec.flags' values) become the
// constructor arguments. Each Linear gets the scheme NN Studio's initialize_model would give it:
// setup.init null -> the model file's (init.default, per-layer "init"); else setup.init (a scheme
// such as "xavier_uniform" or {"scheme": ...}) for every Linear.
// Throws SpecError/DataError/ShapeError/Error (naming the training-setup key and the fix) for
// options the engine would reject, an unknown data source, a model that cannot take a synthetic
// or Fashion-MNIST sample or has the wrong number of outputs, or a missing data file name.
std::string generate_train_script(const spec::ModelSpec& model, const train::TrainSetup& setup,
                                  const std::string& model_module, const std::string& data_file = {},
                                  const std::string& weights_file = {});

}  // namespace nnstudio::exporter
