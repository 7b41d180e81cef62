#!/usr/bin/env bash
# Issue 11's reference check against the current PyPI releases: PyTorch (torch.load with
# weights_only=True, load_state_dict(strict=True)) and the safetensors package judge the files
# nnstudio-cli reads and writes. Debian's PyTorch 1.13 judges the same in tst_checkpoint_layouts.
# Usage: pypi_reference.sh NNSTUDIO_CLI SOURCE_DIR WORK_DIR
# The venv lives in $NNSTUDIO_VENV (default ~/.cache/nnstudio/pypi-venv) and is reused; without
# PyPI (and without a venv already made) the test is skipped with exit code 77 (CTest's SKIP_RETURN_CODE).
set -euo pipefail

cli=$1 src=$2 work=$3
venv=${NNSTUDIO_VENV:-$HOME/.cache/nnstudio/pypi-venv}
[ -x "$cli" ] || { echo "pypi_reference: no nnstudio-cli at $cli (build it first)"; exit 1; }
py=$venv/bin/python
skip() { echo "pypi_reference: SKIPPED: $*"; exit 77; }

if ! "$py" -c "import torch, safetensors, numpy" 2>/dev/null; then
  /usr/bin/python3 -c "import venv, ensurepip" 2>/dev/null ||
    skip "/usr/bin/python3 cannot make a venv (install python3-venv: packaging/install-deps.sh)"
  if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ]; then  # never delete what is not a venv
    echo "pypi_reference: $venv exists but is no venv; point NNSTUDIO_VENV elsewhere"
    exit 1
  fi
  rm -rf "$venv"  # a venv whose install did not finish
  mkdir -p "$(dirname "$venv")"
  /usr/bin/python3 -m venv "$venv"
  probe=$(mktemp -d)
  if ! "$py" -m pip download --no-deps --timeout 10 --retries 0 -q -d "$probe" safetensors >/dev/null 2>&1; then
    rm -rf "$probe" "$venv"
    skip "PyPI is not reachable (pip download safetensors failed within 10 s); nothing was checked"
  fi
  rm -rf "$probe"
  echo "pypi_reference: installing torch, safetensors, numpy from PyPI into $venv (a few minutes)"
  "$py" -m pip install -q --disable-pip-version-check torch safetensors numpy
fi
"$py" -c "import torch, safetensors; print('pypi_reference: torch', torch.__version__, '/ safetensors', safetensors.__version__)"

rm -rf "$work"
mkdir -p "$work"
start=$SECONDS
"$py" "$src/tests/interop/pypi_checks.py" "$cli" "$src" "$work"
echo "pypi_reference: checks took $((SECONDS - start)) s"
