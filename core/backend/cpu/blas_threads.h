// BLAS threading control. The engine splits its GEMMs over its own ThreadTeam and runs the BLAS
// single-threaded (OpenBLAS's idle workers spin in sched_yield between calls). A no-op with a
// BLAS that has no such control.
#pragma once

namespace nnstudio {

void set_blas_threads(int threads);

}  // namespace nnstudio
