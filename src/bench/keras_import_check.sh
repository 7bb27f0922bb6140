#!/usr/bin/env bash
# Keras import parity at the recipe's real widths (64...1024) — src/bench/README.md.
# Builds the recipe's own six variant x encoder models (training models: deep-supervision heads
# included) with Keras' real VGG16/VGG19, non-initial weights and BatchNorm statistics, writes each
# in the four layouts (Keras 2 HDF5, Keras 3 .weights.h5, legacy HDF5, whole-model .h5) with
# TensorFlow's predict on prepared slices of a sample CT, then imports every file with UNet3+ Import's
# code and compares the plugin's probabilities (KerasImportParityTest with the benchmark folder).
#   src/bench/keras_import_check.sh [results-folder] [size] [slices]
# Defaults: src/bench/results/keras-import-<date>, size 64, 2 slices. ~2.4 GB of weight files go
# to target/keras-bench (deleted at the end unless KEEP=1). CPU only; about 20-40 min on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
results="${1:-$repo/src/bench/results/keras-import-$(date -u +%Y-%m-%d)}"
size="${2:-64}"
count="${3:-2}"
work="$repo/target/keras-bench"
mkdir -p "$results"
results="$(cd "$results" && pwd)"

if [ ! -f "$work/manifest.json" ]; then
	OUT="$work" SIZE="$size" "$repo/src/test/fixtures/keras/make_fixtures.sh" --real --layouts keras2,keras3,legacy,whole \
		--count "$count" | tee "$results/generate.txt"
fi
cp "$work/manifest.json" "$results/manifest.json"
rm -f "$results/differences.tsv"
printf 'case\tlayout\tmax_abs_d1\tmax_abs_heads\tlabels_differing\n' > "$results/differences.tsv"
# NB: the surefire JVM gets -Xmx6g (pom.xml); one real-width model at a time.
(cd "$repo" && /usr/bin/time -v mvn -B -q -o test -Dtest=KerasImportParityTest -Dsurefire.failIfNoSpecifiedTests=false \
	-Dunet3p.keras.fixtures="$work" -Dunet3p.keras.results="$results/differences.tsv") > "$results/mvn.txt" 2>&1 \
	|| { echo "keras_import_check: parity test failed, see $results/mvn.txt" >&2; status=1; }
{ date -u +"%Y-%m-%dT%H:%M:%SZ"; uname -m; nproc; grep -m1 "model name" /proc/cpuinfo || true; uptime; } > "$results/machine.txt"
column -t "$results/differences.tsv"
[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
exit "${status:-0}"
