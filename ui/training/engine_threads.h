// The desktop app's CPU backend: all cores but one, which stays with the GUI thread so the window
// keeps answering while a run or a teaching job computes.
#pragma once
#include "backend/registry.h"

namespace nnstudio::ui {

// A CpuBackend with threads = max(1, cores - 1), created on first use. Worker threads make it
// their default backend (ScopedDefaultBackend) so every model, loss and optimizer they create
// computes on it; the process-wide CPU backend (the CLI's) keeps every core.
Backend& guiCpuBackend();

}  // namespace nnstudio::ui
