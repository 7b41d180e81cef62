#!/usr/bin/env bash
# Bit-identity gate for engine refactors: trains each seed model for 20 steps (fixed seed, a fixed
# 800-row CSV of 784 features, batch 32, no validation split, 20% test) with 1 and with all threads, then
# prints the SHA-256 of the trained weights (.safetensors) and of the eval-mode outputs on a fixed
# input. Run it before and after a change to the engine with the same machine: every line must match.
# The hashes depend on the CPU's GEMM path (AVX-512 or not), so they are compared on one machine only.
#
# usage: tests/bench/bit_identity.sh CLI [OUT_DIR]     (CLI = path to nnstudio-cli)
set -euo pipefail
cli=$(realpath "$1")
out=${2:-$(mktemp -d)}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 - "$out" <<'PY'
import sys, numpy as np, torch
out = sys.argv[1]
rng = np.random.default_rng(1234)
x = rng.standard_normal((800, 784)).astype(np.float32)
y = rng.integers(0, 10, 800)
with open(f"{out}/gate.csv", "w") as f:
    f.write(",".join(f"f{i}" for i in range(784)) + ",label\n")
    for row, label in zip(x, y):
        f.write(",".join(f"{v:.6f}" for v in row) + f",{label}\n")
torch.save(torch.from_numpy(rng.standard_normal((64, 784)).astype(np.float32)), f"{out}/gate_input.pth")
PY
# One thread: the engine sizes its thread team from std::thread::hardware_concurrency(), so a
# preloaded one-line override gives a one-thread run of any build (train has no --threads).
printf '#include <thread>\nunsigned int std::thread::hardware_concurrency() noexcept { return 1; }\n' > "$out/hc1.cpp"
g++ -shared -fPIC -O2 -o "$out/libhc1.so" "$out/hc1.cpp"
for model in shallow_mlp deep_mlp residual_network conditional_net simple_net; do
  for threads in 1 2; do
    preload=$([ "$threads" = 1 ] && echo "$out/libhc1.so" || true)
    run="$out/$model-t$threads"
    rm -rf "$run"
    LD_PRELOAD="$preload" "$cli" train "$here/resources/models/$model.json" --data "$out/gate.csv" --epochs 1 \
      --batch-size 32 --val-split 0 --seed 7 --optimizer adam --lr 0.001 --out "$run" > "$run.log" 2>&1
    weights=$(ls "$run"/*.safetensors | head -1)
    LD_PRELOAD="$preload" "$cli" forward "$here/resources/models/$model.json" --weights "$weights" \
      --input "$out/gate_input.pth" --output "$run/eval.safetensors" --mode eval > /dev/null
    echo "$model threads=$threads weights $(sha256sum < "$weights" | cut -c1-16) eval $(sha256sum < "$run/eval.safetensors" | cut -c1-16)"
  done
done
