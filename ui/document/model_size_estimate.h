// A quick estimate of what building a model would allocate (parameters) and create (modules),
// walked over the spec without building it. Validation builds the model after every edit, so a
// slip of the keyboard (out_features 1000000 after a 784-wide layer, a ModuleList repeated
// 100000 times inside another) must be caught before it allocates gigabytes or hangs the UI.
#pragma once
#include "spec/model_spec.h"

namespace nnstudio::ui {

struct ModelSizeEstimate {
    double parameters = 0;  // doubles: the sums may exceed int64 for absurd specs
    double modules = 0;
};

ModelSizeEstimate estimateModelSize(const spec::ModelSpec& model);

inline constexpr double kMaxPreviewParameters = 250e6;  // 1 GB of float32 weights
inline constexpr double kMaxPreviewModules = 200e3;

}  // namespace nnstudio::ui
