// BLAS threading control. OpenBLAS's idle worker threads spin (sched_yield) between calls, which
// costs more than it gains for the small GEMMs of small batches on a few cores; the engine picks
// the thread count per workload. A no-op with a BLAS that has no such control.
#pragma once
#include <cstdint>

namespace nnstudio {

void set_blas_threads(int threads);
// Threads worth using for the training steps of a model with `parameters` parameters at this
// batch size: a second thread pays only when a step's GEMMs are large (~6 x parameters x batch
// FLOPs of at least 2e8); below that OpenBLAS's thread hand-offs cost more than they save.
int blas_threads_for_step(int64_t batch_size, int64_t parameters);

}  // namespace nnstudio
