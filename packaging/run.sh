#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs NN Studio's main job: the desktop app when a
# display is available and the GUI is built; otherwise the headless CLI trains the default model
# (the seed article's DeepMLP, Kaiming init, Adam, 5 epochs) on Fashion-MNIST, writing a run
# folder (checkpoints, metrics, weights .pth/.safetensors), a report and the PyTorch code under out/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
# Only what this script runs (the CLI, and the app when the GUI is configured): the test suites are
# built by packaging/test.sh.
targets=(nnstudio-cli)
grep -q '^NNSTUDIO_WITH_GUI:BOOL=ON' build/CMakeCache.txt && targets+=(nnstudio)
cmake --build build -j2 --target "${targets[@]}"

MODEL=resources/models/deep_mlp.json
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/ui/nnstudio ]; then
  exec build/ui/nnstudio "$MODEL" "$@"
fi

CLI=build/app/nnstudio-cli
RUN="out/deep_mlp-$(date +%Y%m%d-%H%M%S)"
mkdir -p out
"$CLI" summary "$MODEL"
"$CLI" train "$MODEL" --out "$RUN" --report "$RUN/report.json" "$@"
"$CLI" export "$MODEL" --to "$RUN/model.py"
echo "run.sh: results in $RUN (report.json; weights.pth loads into model.py's DeepMLP with strict=True)"
