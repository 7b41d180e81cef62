#!/usr/bin/env bash
# Installs every Debian 12 package NN Studio needs to build, run and test (run as root).
# Idempotent: skips apt entirely when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  # core
  libeigen3-dev nlohmann-json3-dev libopenblas-dev libzip-dev zlib1g-dev libcli11-dev
  # GUI
  qt6-base-dev libqcustomplot-dev libxkbcommon-dev xvfb xauth
  # tests: real PyTorch for parity, the data set, fuzzing with clang's libFuzzer + sanitizers
  python3 python3-torch python3-numpy dataset-fashion-mnist clang libclang-rt-14-dev
  # tests/interop/pypi_reference.sh: a venv for the current PyPI torch and safetensors
  python3-venv
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root (sudo $0) to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
