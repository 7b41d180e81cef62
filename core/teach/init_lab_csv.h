// The init lab's per-layer numbers as a long-format CSV (one row per scheme and layer), for
// spreadsheets, pandas and plotting scripts.
#pragma once
#include "teach/init_lab.h"

#include <string>

namespace nnstudio::teach {

// Header: scheme,layer,depth,kind,mean,std,saturated,zero_fraction,grad_mean,grad_std
// (saturated empty for layers other than Tanh/Sigmoid; grad_* = dL/dW, empty except for Linear).
std::string init_lab_csv(const InitLabResult& result);

}  // namespace nnstudio::teach
