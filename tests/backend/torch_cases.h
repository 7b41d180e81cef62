// Fixed inputs and the float64 reference's outputs for the ops PyTorch has (all but GEMM's
// epilogue and dropout's mask), as JSON for tests/backend/reference_vs_torch.py.
#pragma once
#include <nlohmann/json.hpp>

namespace nnstudio::test::ops {

nlohmann::json reference_cases_for_torch();

}  // namespace nnstudio::test::ops
