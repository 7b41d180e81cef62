// BLAS threading control through OpenBLAS's openblas_set_num_threads, looked up at run time so
// the engine still links and runs against any other BLAS.
#include "util/blas_threads.h"

#include <algorithm>
#include <dlfcn.h>
#include <thread>

namespace nnstudio {

void set_blas_threads(int threads) {
    using SetThreads = void (*)(int);
    static const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set) set(std::max(1, threads));
}

int blas_threads_for_step(int64_t batch_size, int64_t parameters) {
    // Measured on the 2-core machines (docs/PERFORMANCE.md): ShallowMLP at batch 128 (8e7 FLOPs
    // a step) runs faster on one thread, DeepMLP and ResidualNetwork at 128 (3.6-4.4e8) on two.
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const double flops = 6.0 * static_cast<double>(parameters) * static_cast<double>(batch_size);
    return flops < 2e8 ? 1 : cores;
}

}  // namespace nnstudio
