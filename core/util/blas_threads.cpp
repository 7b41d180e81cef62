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

int blas_threads_for_batch(int64_t batch_size) {
    // Measured on the 2-core machines (docs/PERFORMANCE.md): one thread wins below ~100 samples
    // per batch, two tie at 128 and win above.
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return batch_size < 96 ? 1 : cores;
}

}  // namespace nnstudio
