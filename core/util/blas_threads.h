// BLAS threading control. OpenBLAS's idle worker threads spin (sched_yield) between calls, which
// costs more than it gains for the small GEMMs of small batches on a few cores; the engine picks
// the thread count per workload. A no-op with a BLAS that has no such control.
#pragma once
#include <cstdint>

namespace nnstudio {

void set_blas_threads(int threads);
// Threads worth using for training/inference steps of this batch size on this machine.
int blas_threads_for_batch(int64_t batch_size);

}  // namespace nnstudio
