// Applying a pitfall finding's fix to the model spec (the GUI's one-click fix, the CLI's --fix).
#pragma once
#include "teach/pitfalls.h"

namespace nnstudio::teach {

// Applies finding.fix to the spec's document and re-validates it. Throws SpecError when the
// finding has no machine fix or its path is not in this spec (a stale finding: check again).
void apply_fix(spec::ModelSpec& spec, const Finding& finding);

}  // namespace nnstudio::teach
