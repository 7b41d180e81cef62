// ModelSummary: a torchinfo-like table (layer path, type, output shape, parameters, trainable)
// with totals and memory, computed from a built Model.
#pragma once
#include "nn/model.h"

#include <string>
#include <vector>

namespace nnstudio::spec {

struct SummaryRow {
    std::string path;   // "blocks.0.fc1" ("" = the model itself)
    std::string type;
    int depth = 0;
    Shape output_shape;
    int64_t own_params = 0;    // parameters registered on this module itself
    int64_t total_params = 0;  // including children
    bool trainable = true;
};

struct ModelSummary {
    std::string model_name;
    Shape input_shape;
    std::vector<SummaryRow> rows;
    int64_t total_params = 0;
    int64_t trainable_params = 0;
    int64_t non_trainable_params = 0;
    int64_t param_bytes = 0;   // float32 parameters
    int64_t buffer_bytes = 0;  // running stats + counters
};

ModelSummary summarize(nn::Model& model);
std::string format_summary(const ModelSummary& s);  // fixed-width text, like torchinfo

}  // namespace nnstudio::spec
