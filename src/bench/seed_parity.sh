#!/bin/bash
# Seed parity of UNet3+ data preparation: the seed's Python pipeline (nibabel + numpy + OpenCV)
# and ours on the same CT-like NIfTI volume, compared pixel by pixel, upscaling and downscaling.
# Usage: src/bench/seed_parity.sh [work-folder]     (run from the repository root; needs root for apt-get)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/seed-parity}
PY=/usr/bin/python3   # NB: Debian's packages install for the system python, not a pyenv one on PATH
if ! $PY -c 'import cv2, nibabel, numpy' 2>/dev/null; then
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-nibabel python3-opencv python3-numpy
fi
$PY -c 'import cv2, nibabel, numpy; print("OpenCV", cv2.__version__, "nibabel", nibabel.__version__, "numpy", numpy.__version__)'
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
CP="target/classes:target/test-classes:$(cat target/cp.txt)"
rm -rf "$WORK"
$PY src/bench/seed_parity.py generate "$WORK/lits"
for SIZE in 128 64 320; do
	echo "== size $SIZE (96x80 slices → ${SIZE}x${SIZE})"
	$PY src/bench/seed_parity.py seed "$WORK/lits" "$WORK/python_$SIZE" "$SIZE"
	java -cp "$CP" io.github.unet3p.bench.PrepareMain "$WORK/lits" "$WORK/java_$SIZE" "$SIZE"
	$PY src/bench/seed_parity.py compare "$WORK/python_$SIZE" "$WORK/java_$SIZE"
done
