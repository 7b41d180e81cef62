#!/usr/bin/env bash
# The backend seam, checked with grep (CTest: seam_check; docs/ARCHITECTURE.md, "Backends"):
# 1. Only core/backend/ includes Eigen, BLAS, the ThreadTeam, the SIMD clones or the CPU kernels
#    (GEMM, the AVX-512 library). Outside it, core/, app/, ui/ and gpu/ may include of the CPU
#    backend only cpu_backend.h (to make a CpuBackend with its own thread count) and
#    host_linalg.h (host linear algebra for initialisation).
# 2. Layers, losses and optimizers (core/nn, core/loss, core/optim) never name a backend or a
#    device kind: they call the Backend interface and do not branch on which one it is.
# Prints each offending line and exits 1; exits 0 when the tree keeps the seam.
set -euo pipefail
root="${1:-$(dirname "$0")/../..}"
cd "$root"
dirs=()
for d in core app ui gpu; do [ -d "$d" ] && dirs+=("$d"); done
status=0

outside=$(grep -rnE --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cu' --include='*.cuh' \
    '#[[:space:]]*include[[:space:]]*[<"]((Eigen|unsupported/Eigen)/|cblas\.h|backend/cpu/)' "${dirs[@]}" \
    | grep -v '^core/backend/' \
    | grep -vE '#[[:space:]]*include[[:space:]]*"backend/cpu/(cpu_backend|host_linalg)\.h"' || true)
if [ -n "$outside" ]; then
    echo "seam_check: only core/backend/ may include Eigen, BLAS or the CPU backend's kernels and threads:" >&2
    echo "$outside" >&2
    status=1
fi

branching=$(grep -rnE 'CpuBackend|DeviceKind|backend/cpu/|is_cpu\(' core/nn core/loss core/optim || true)
if [ -n "$branching" ]; then
    echo "seam_check: layers, losses and optimizers must not name a backend or branch on the device:" >&2
    echo "$branching" >&2
    status=1
fi

[ "$status" -eq 0 ] && echo "seam_check: the backend seam holds"
exit "$status"
