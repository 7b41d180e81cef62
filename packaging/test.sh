#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: the main build's CTest suites
# (core, io, parity with real PyTorch, cli) and the libFuzzer targets under ASan/UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2

# The readers' fuzz targets need clang's libFuzzer and sanitizers: a separate, small build.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DNNSTUDIO_FUZZ=ON
cmake --build build-fuzz -j2
ctest --test-dir build-fuzz --output-on-failure
