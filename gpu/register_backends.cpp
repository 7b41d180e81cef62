// register_builtin_backends: always built; calls into gpu/ only when the CUDA backend is built.
#include "register_backends.h"

#ifdef NNSTUDIO_HAVE_CUDA
#include "cuda_provider.h"
#endif

namespace nnstudio {

void register_builtin_backends() {
#ifdef NNSTUDIO_HAVE_CUDA
    gpu::register_cuda_provider();
#endif
}

}  // namespace nnstudio
