#!/usr/bin/env bash
# Prepares third_party_carry/ (git-ignored) for tests/gpu/device_check.sh on the GPU machine, which has
# nvcc, CMake, ninja and PyTorch but none of the Debian packages core and the tests build against, and
# no network. Run it here (Debian 12 with the project's build dependencies), then pass
# carry=["third_party_carry"] to the device run. It writes:
#   third_party_carry/sysroot.tar.xz  Eigen, nlohmann/json, CLI11, libzip, zlib, Qt 6 Core + Test (headers,
#                                     CMake packages, moc, libraries) and the shared libraries they load
#                                     (ICU, double-conversion, PCRE2, libb2, GLib, zstd, bzip2, libcrypto),
#                                     as a /usr tree (about 15 MB)
#   third_party_carry/fashion-mnist/  the four IDX .gz files of dataset-fashion-mnist (30 MB), when present
# usage: tests/gpu/prepare_carry.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/third_party_carry"
rm -rf "$out"
mkdir -p "$out"

packages=(libeigen3-dev nlohmann-json3-dev libcli11-dev libzip-dev libzip4 zlib1g-dev zlib1g libbz2-1.0
          qt6-base-dev qt6-base-dev-tools qmake6 qmake6-bin libqt6core6 libqt6test6 libicu72 libdouble-conversion3 libpcre2-16-0
          libpcre2-8-0 libb2-1 libglib2.0-0 libzstd1 libgomp1)
list=$(mktemp)
trap 'rm -f "$list"' EXIT
for p in "${packages[@]}"; do
    dpkg -L "$p" || { echo "prepare_carry: package $p is not installed (see packaging/install-deps.sh)" >&2; exit 1; }
done | grep -v -e '^/usr/share/doc' -e '^/usr/share/man' -e '^/usr/share/lintian' -e '^/usr/share/bug' | sort -u |
    while read -r f; do
        if [ -f "$f" ] || [ -L "$f" ]; then echo "${f#/}"; fi
    done > "$list"
# libzip needs libcrypto; the rest of libssl3 (engines, providers) is not needed.
for f in /usr/lib/x86_64-linux-gnu/libcrypto.so.3 /lib/x86_64-linux-gnu/libcrypto.so.3; do
    if [ -f "$f" ]; then echo "${f#/}" >> "$list"; break; fi
done
# Debian 12 merged /lib into /usr/lib: store everything under usr/. The few absolute symlinks
# (libz.so -> /lib/x86_64-linux-gnu/libz.so.1.2.13) become relative, so they resolve in the copy.
tar -C / --transform 's,^lib/,usr/lib/,' --transform 's|^/\(usr/\)\{0,1\}lib/x86_64-linux-gnu/||' \
    -cf - -T "$list" | xz -T2 -6 > "$out/sysroot.tar.xz"

fashion=${NNSTUDIO_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ -f "$fashion/train-images-idx3-ubyte.gz" ]; then
    mkdir -p "$out/fashion-mnist"
    cp "$fashion"/*-ubyte.gz "$out/fashion-mnist/"
fi
du -sh "$out" "$out"/*
