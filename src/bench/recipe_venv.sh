#!/bin/bash
# Creates the Python environment that runs the reference recipe (and PyTorch 2.13 eager) for the
# benchmarks, from the machine's local wheels only (pip's local index file:///opt/pypi/simple and
# /opt/wheels; no network index). Does nothing when the folder already has them.
# Usage: src/bench/recipe_venv.sh VENV-FOLDER
set -euo pipefail
VENV=$1
WHEELS=${WHEELS:-/opt/wheels}
INDEX=${INDEX:-file:///opt/pypi/simple}
TORCH_WHEEL=${TORCH_WHEEL:-$(ls "$WHEELS"/torch-2.13.0+cpu-*.whl 2>/dev/null | head -1)}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import tensorflow, keras, cv2, h5py, tqdm, torch' 2>/dev/null; then
	exit 0
fi
[ -n "$TORCH_WHEEL" ] || { echo "recipe_venv.sh: no torch-2.13.0+cpu wheel in $WHEELS (set TORCH_WHEEL)" >&2; exit 1; }
echo "== venv $VENV: tensorflow_cpu, keras, opencv-python-headless, nibabel, h5py, tqdm, $(basename "$TORCH_WHEEL")"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --index-url "$INDEX" --find-links "$WHEELS" \
	tensorflow_cpu keras opencv-python-headless nibabel h5py tqdm "$TORCH_WHEEL"
