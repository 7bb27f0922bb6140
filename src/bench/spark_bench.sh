#!/usr/bin/env bash
# Wall time of the 8 sample-data volumes (128×128×40 each) through UNet3+ Segment Files on Spark
# local[2] versus the plain command, same model, same 2 cores, rounds interleaved so both see the
# same machine load. Each run is a whole ./unet3p call (JVM start, model load, Spark start included).
#
#   src/bench/spark_bench.sh [work folder] [rounds] [filters] [size]     (defaults: target/spark-bench 3 16 128)
#   SPARK_CONF='spark.task.cpus=2' src/bench/spark_bench.sh ...            (--conf for the Spark runs)
#
# Prints one line per run, then the medians, Spark's overhead and how many label files the two
# runs wrote byte-identically. The model is an untrained bundle (its compute is a trained one's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mkdir -p "${1:-$root/target/spark-bench}" && cd "${1:-$root/target/spark-bench}" && pwd)"
rounds="${2:-3}"
filters="${3:-16}"
size="${4:-128}"
cd "$root"

./unet3p --commands >/dev/null                       # builds the plugin and target/classpath.txt
./unet3p --spark 'local[2]' --help >/dev/null         # installs it and builds spark/
mvn -B -q -o test-compile >/dev/null                  # TinyModel
rm -rf "$work/volumes" "$work/model"
mkdir -p "$work/volumes"
cp sample-data/lits/*/volume-*.nii.gz "$work/volumes/"
java -Dai.djl.offline=true -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" io.github.unet3p.reliability.TinyModel \
	"$work/model" "$filters" "$size" >/dev/null
keys() { echo "model='$work/model',input='$work/volumes',output='$1'"; }
seconds() { local t0 t1; t0=$(date +%s%N); "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; exit 1; }; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }

echo "spark_bench $(date -u '+%Y-%m-%d %H:%M UTC'): $(ls "$work/volumes" | wc -l) volumes, filters=$filters size=$size, Spark --conf ${SPARK_CONF:-none}, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
sec() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
plain=() spark=()
for r in $(seq 1 "$rounds"); do
	rm -rf "$work/plain" "$work/spark"
	load=$(cut -d' ' -f1 /proc/loadavg)
	p=$(seconds ./unet3p --headless --run "UNet3+ Segment Files" "$(keys "$work/plain")")
	s=$(seconds ./unet3p --spark 'local[2]' ${SPARK_CONF:+--conf "$SPARK_CONF"} --run "UNet3+ Segment Files" "$(keys "$work/spark")")
	plain+=("$p") spark+=("$s")
	same=0
	for f in "$work"/plain/segmentation-*.nii.gz; do cmp -s "$f" "$work/spark/$(basename "$f")" && same=$((same + 1)); done
	printf 'round %d (load %s): plain Segment Files %s s, Spark local[2] %s s; %d of %d label files byte-identical\n' \
		"$r" "$load" "$(sec "$p")" "$(sec "$s")" "$same" "$(ls "$work"/plain/segmentation-*.nii.gz | wc -l)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mp=$(median "${plain[@]}") ms=$(median "${spark[@]}")
printf 'median: plain %s s, Spark local[2] %s s, Spark overhead %s %%; load average now %s\n' \
	"$(sec "$mp")" "$(sec "$ms")" "$(awk -v a="$ms" -v b="$mp" 'BEGIN { printf "%+.1f", (a / b - 1) * 100 }')" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Spark's per-volume task seconds (last round, summary.csv):"
awk -F, 'NR > 1 { n++; s += $(NF-1) } END { printf "  %d volumes, mean %.1f s per volume task\n", n, s / n }' "$work/spark/summary.csv"
