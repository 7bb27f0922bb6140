#!/bin/bash
# Issue 14: checks our ONNX export with Python's onnx package (Debian python3-onnx): its checker
# accepts every variant x encoder, and an independent numpy reference evaluator of the graph
# reproduces the plugin's PyTorch probabilities (random inputs; the sample model on sample data).
# Usage (repository root, as root for apt-get; about 2 min):
#   src/bench/onnx_check.sh [work-folder]            default target/onnx-check
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/onnx-check}
PY=/usr/bin/python3   # NB: Debian's python3-onnx installs for the system python
if ! $PY -c 'import onnx, numpy' 2>/dev/null; then
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-onnx python3-numpy
fi
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
rm -rf "$WORK"
OMP_NUM_THREADS=1 java -Dai.djl.offline=true -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.github.unet3p.bench.OnnxFixtures "$WORK"
date -u +"%Y-%m-%d %H:%M UTC"
$PY src/bench/onnx_check.py "$WORK"
