// With every core computing (and the team's workers spinning between jobs), the GUI thread of a
// 2-core machine was blocked for up to 200 ms during a run; with one core left to it, under 100.
#include "training/engine_threads.h"

#include "backend/cpu/cpu_backend.h"

#include <algorithm>
#include <thread>

namespace nnstudio::ui {

Backend& guiCpuBackend() {
    static CpuBackend backend({.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1)});
    return backend;
}

}  // namespace nnstudio::ui
