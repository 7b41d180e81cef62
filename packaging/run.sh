#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs NN Studio's main job on the bundled default model
# (the seed's ResidualNetwork): the desktop app when a display is available and the GUI is
# built; otherwise the headless CLI: summary, seeded Kaiming initialisation, export to .pth and
# .safetensors, and an eval forward pass, written under out/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2

MODEL=resources/models/residual_network.json
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/ui/nnstudio ]; then
  exec build/ui/nnstudio "$MODEL" "$@"
fi

CLI=build/app/nnstudio-cli
mkdir -p out
"$CLI" summary "$MODEL"
"$CLI" init "$MODEL" --seed 0 --out out/residual_network.pth
"$CLI" convert out/residual_network.pth out/residual_network.safetensors
/usr/bin/python3 - <<'PY'
import torch
torch.manual_seed(0)
torch.save(torch.randn(4, 784), "out/input.pth")
PY
"$CLI" forward "$MODEL" --weights out/residual_network.safetensors --input out/input.pth --output out/logits.pth
echo "run.sh: outputs in out/ (weights load in PyTorch with torch.load + load_state_dict(strict=True))"
