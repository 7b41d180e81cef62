#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: the main build's CTest suites
# (core, io, parity with real PyTorch, cli, data, train, teach, ui offscreen), the Debian
# package's contents, and the libFuzzer targets under ASan/UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2

# The .deb installs both programs, the desktop entry and the icon.
(cd build && rm -f nnstudio_*.deb && cpack -G DEB > /dev/null)
contents=$(dpkg-deb -c build/nnstudio_*.deb)
for f in ./usr/bin/nnstudio ./usr/bin/nnstudio-cli ./usr/share/applications/nnstudio.desktop \
         ./usr/share/icons/hicolor/scalable/apps/nnstudio.svg; do
  grep -q " $f\$" <<< "$contents" || { echo "test.sh: the .deb lacks $f" >&2; exit 1; }
done
# Where the engine has its AVX-512 GEMM library (x86-64), the package ships it and the installed
# programs find it beside them (RPATH $ORIGIN/../lib/nnstudio): run the packaged CLI once.
if [ -f build/core/backend/cpu/kernels_avx512/libnnstudio_avx512.so ]; then
  grep -q " ./usr/lib/nnstudio/libnnstudio_avx512.so\$" <<< "$contents" \
    || { echo "test.sh: the .deb lacks usr/lib/nnstudio/libnnstudio_avx512.so" >&2; exit 1; }
fi
unpacked=$(mktemp -d)
dpkg-deb -x build/nnstudio_*.deb "$unpacked"
"$unpacked/usr/bin/nnstudio-cli" bench resources/models/shallow_mlp.json --batch-size 8 --steps 2 > /dev/null
rm -rf "$unpacked"
echo "test.sh: $(basename build/nnstudio_*.deb) holds both programs, the .desktop entry and the icon; its CLI runs"

# The readers' fuzz targets need clang's libFuzzer and sanitizers: a separate, small build.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DNNSTUDIO_FUZZ=ON
cmake --build build-fuzz -j2
ctest --test-dir build-fuzz --output-on-failure
