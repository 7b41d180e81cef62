// BLAS threading control through OpenBLAS's openblas_set_num_threads, looked up at run time so
// the engine still links and runs against any other BLAS.
#include "backend/cpu/blas_threads.h"

#include <algorithm>
#include <dlfcn.h>

namespace nnstudio {

void set_blas_threads(int threads) {
    using SetThreads = void (*)(int);
    static const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set) set(std::max(1, threads));
}

}  // namespace nnstudio
