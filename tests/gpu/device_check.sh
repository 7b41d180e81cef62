#!/usr/bin/env bash
# The GPU check of issue 13, for the H200 machine (nvcc 13, CMake, ninja, PyTorch 2.11 as python3,
# cuDNN only as the pip package nvidia-cudnn-cu13, no Debian packages, no network), in one run:
# configure with CMAKE_CUDA_ARCHITECTURES=90 and no GUI against the libraries carried in
# third_party_carry/ (tests/gpu/prepare_carry.sh makes it), build core + gpu + the GPU tests on 16
# cores, run the GPU tests, then `nnstudio-cli bench --device cuda` beside PyTorch
# (tests/bench/compare_pytorch_cuda.py) and a Fashion-MNIST epoch. Everything lands in $OUT.
#
# usage (repository root, on the device machine):
#   tests/gpu/device_check.sh quick   configure, build, GPU tests, one bench line (a cheap first call)
#   tests/gpu/device_check.sh full    the same, then the PyTorch comparison and the Fashion-MNIST epoch
# A failing step is logged and the script goes on to the next one; the exit status is the number of
# failed steps (0: all passed).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-full}
out=${OUT:-$root/out}
build=$root/build-gpu
jobs=${NNSTUDIO_JOBS:-16}  # the H200 machine's cores
carry=$root/third_party_carry
sysroot=${TMPDIR:-/tmp}/nnstudio_sysroot
mkdir -p "$out"
exec > >(tee -a "$out/device_check.log") 2>&1
failed=0
step() { echo; echo "=== $(date -u +%H:%M:%S) $*"; }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }

step "machine"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || fail "nvidia-smi"
head -15 "$out/nvidia-smi.txt"
nvcc --version | tail -2
cmake --version | head -1
echo "ninja $(ninja --version)"
g++ --version | head -1
python3 -c 'import torch, nvidia.cudnn as c; print("torch", torch.__version__, "CUDA", torch.version.cuda,
"cuDNN", torch.backends.cudnn.version(), "at", list(c.__path__)[0])' || fail "python3 / torch / nvidia.cudnn"

step "carried libraries"
if [ ! -f "$carry/sysroot.tar.xz" ]; then
    fail "no $carry/sysroot.tar.xz: run tests/gpu/prepare_carry.sh on the build machine and carry third_party_carry"
    exit "$failed"
fi
if [ ! -d "$sysroot/usr" ]; then
    # Python's tarfile rather than tar -J: the machine may lack the xz program.
    mkdir -p "$sysroot"
    # (our own archive: trusted, and its absolute symlinks must be kept as they are)
    if ! python3 -c 'import sys, tarfile
kw = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
tarfile.open(sys.argv[1]).extractall(sys.argv[2], **kw)' \
        "$carry/sysroot.tar.xz" "$sysroot"; then
        fail "unpacking the sysroot"
        exit "$failed"
    fi
fi
libdir=$sysroot/usr/lib/x86_64-linux-gnu
# moc (run by the build) needs only PCRE2-16; the build's compilers must not see the other carried
# libraries, so they get a folder of their own.
mkdir -p "$sysroot/moc_libs" && cp -a "$libdir"/libpcre2-16.so* "$sysroot/moc_libs/"
du -sh "$sysroot"

step "configure"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DNNSTUDIO_WITH_GUI=OFF -DNNSTUDIO_WITH_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DCMAKE_CUDA_COMPILER="$(command -v nvcc)" -DPython3_EXECUTABLE="$(command -v python3)" \
    -DCMAKE_PREFIX_PATH="$sysroot/usr" -DCMAKE_LIBRARY_ARCHITECTURE=x86_64-linux-gnu \
    -DEigen3_DIR="$sysroot/usr/share/eigen3/cmake" -Dnlohmann_json_DIR="$sysroot/usr/share/cmake/nlohmann_json" \
    -DCLI11_DIR="$sysroot/usr/share/cmake/CLI11" -DQt6_DIR="$libdir/cmake/Qt6" -DZLIB_ROOT="$sysroot/usr" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$libdir" \
    > "$out/configure.log" 2>&1 || { tail -40 "$out/configure.log"; fail "configure"; exit "$failed"; }
grep -E "CUDA backend|cuDNN|NNSTUDIO_WITH" "$out/configure.log"

step "build ($jobs jobs)"
targets=(nnstudio-cli)
all_targets=$(ninja -C "$build" -t targets all 2>/dev/null)  # (grep -q in a pipe would cut ninja off)
for t in tst_cuda_training tst_cuda_provider tst_self_check tst_backend_ops; do
    if grep -q "^$t:" <<< "$all_targets"; then targets+=("$t"); fi
done
echo "targets: ${targets[*]}"
start=$(date +%s)
LD_LIBRARY_PATH="$sysroot/moc_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ninja -C "$build" -j"$jobs" "${targets[@]}" \
    > "$out/build.log" 2>&1 || { grep -E "error|FAILED" "$out/build.log" | head -40; fail "build"; exit "$failed"; }
echo "built in $(( $(date +%s) - start )) s"

# The programs load the carried libraries (libzip, Qt) at run time; python3 and the compilers do not.
cli=$build/nnstudio-cli-carried.sh
# shellcheck disable=SC2016  # the wrapper expands $LD_LIBRARY_PATH and $@ when it runs
printf '#!/bin/sh\nLD_LIBRARY_PATH="%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "%s" "$@"\n' \
    "$libdir" "$build/app/nnstudio-cli" > "$cli"
chmod +x "$cli"

step "GPU tests"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    ctest --test-dir "$build" -R '^tst_(cuda_training|cuda_provider|self_check|backend_ops)$' --output-on-failure \
    --output-junit "$out/gpu_tests.xml" > "$out/gpu_tests.log" 2>&1 || fail "GPU tests"
tail -30 "$out/gpu_tests.log"
if grep -q "SKIP" "$out/gpu_tests.log"; then
    echo "note: a suite skipped on the GPU machine:"; grep -B2 -A2 "SKIP" "$out/gpu_tests.log" | head -20
fi

step "devices and one bench line"
"$cli" devices > "$out/devices.txt" 2>&1; cat "$out/devices.txt"
"$cli" bench "$root/resources/models/deep_mlp.json" --device cuda --batch-size 256 --steps 100 --json \
    > "$out/bench_quick.json" 2> "$out/bench_quick.stderr" || fail "bench --device cuda"
cat "$out/bench_quick.json" "$out/bench_quick.stderr"
grep -q '"device":"cuda' "$out/bench_quick.json" || fail "bench did not run on the GPU (see bench_quick.stderr)"

if [ "$mode" = full ]; then
    step "PyTorch comparison"
    fashion=()
    if [ -f "$carry/fashion-mnist/train-images-idx3-ubyte.gz" ]; then fashion=(--fashion-mnist "$carry/fashion-mnist"); fi
    python3 "$root/tests/bench/compare_pytorch_cuda.py" "$cli" "$root/resources/models" --out "$out" \
        --batches 32 256 4096 "${fashion[@]}" || fail "compare_pytorch_cuda.py"
fi

step "done: $failed failed step(s)"
exit "$failed"
