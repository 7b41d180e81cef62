// The program's one call that makes every built-in backend known to the device registry: the CUDA
// provider when this build has gpu/ (the CPU is always there). Programs call it first thing in
// main(); nothing outside gpu/ names CUDA.
#pragma once

namespace nnstudio {

void register_builtin_backends();

}  // namespace nnstudio
