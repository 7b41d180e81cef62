// Initialises a built Model's parameters: every Linear by its own "init" override, else by the
// file's "init.default" (or `scheme_override`, e.g. the CLI's --scheme), else PyTorch's default;
// BatchNorm weight 1, bias 0, running stats reset. Dropout streams are seeded from the same seed.
#pragma once
#include "init/init_scheme.h"
#include "nn/model.h"

#include <cstdint>
#include <optional>

namespace nnstudio::spec {

// With `scheme_override` set, it replaces both the default and the per-layer overrides.
void initialize_model(nn::Model& model, uint64_t seed,
                      const std::optional<init::InitScheme>& scheme_override = std::nullopt);

}  // namespace nnstudio::spec
