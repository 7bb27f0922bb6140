#!/bin/bash
# Issue 14: ONNX Runtime (engine=onnxruntime) side by side with PyTorch eager (2.13 from the local
# wheel since issue 22, was Debian's 1.13; src/bench/unet3p_torch.py, the same network) and our DJL PyTorch engine, in one
# run: inference at 320/64 batch 1 and 4 and 160/32 batch 2, ONNX Runtime's GFLOP/s against the
# fp32 matrix-product ceiling, and segmenting a 512x512x200 volume at width 64 end to end (time and
# peak RSS, both engines).
# Usage (repository root; about 35 min on 2 idle cores, most of it the two
# 200-slice segmentations at ~4 s per slice):
#   src/bench/onnx_perf.sh [work-folder]            default target/onnx-perf
# Writes WORK/raw/*.txt (every command's full output) and WORK/table.md.
# Only run it on a quiet machine: the numbers are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/onnx-perf}
RAW="$WORK/raw"
THREADS=2
SEGMENT_SLICES=${SEGMENT_SLICES:-200}   # slices segmented of the 512x512x200 volume (fewer on a busy machine; the table says how many; 0 = skip)
VENV=${VENV:-target/recipe-venv}   # PyTorch 2.13 CPU (the current release, a local wheel) in place of Debian's 1.13 (issue 22)
rm -rf "$WORK"
mkdir -p "$RAW"

echo "== setup: venv with PyTorch 2.13, numpy, OpenCV, nibabel from the local wheels (src/bench/recipe_venv.sh), build"
src/bench/recipe_venv.sh "$VENV"
PY="$VENV/bin/python"
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="target/classes:target/test-classes:$(cat target/cp.txt)"
# NB: PyTorch (DJL and the reference) uses $THREADS intra-op threads; ONNX Runtime one per available processor.
export OMP_NUM_THREADS=$THREADS
{
	date -u +"%Y-%m-%d %H:%M UTC"
	lscpu | grep -E 'Model name|^CPU\(s\)|Thread\(s\) per core'
	echo "threads: $THREADS (OMP_NUM_THREADS, torch.set_num_threads, ONNX Runtime intra-op)"
	uptime
	java -version 2>&1 | head -1
	$PY -c 'import torch; print("PyTorch (reference)", torch.__version__)'
} | tee "$RAW/environment.txt"

run() { # run NAME COMMAND... : time a command, keep its output in raw/NAME.txt
	local name=$1
	shift
	echo "== $name: $*"
	local t0 t1
	t0=$(date +%s%N)
	"$@" >"$RAW/$name.txt" 2>&1 || { echo "FAILED: $name (see $RAW/$name.txt)"; tail -5 "$RAW/$name.txt"; return 1; }
	t1=$(date +%s%N)
	echo "wall_ms: $(((t1 - t0) / 1000000))" >>"$RAW/$name.txt"
	echo "loadavg after: $(cat /proc/loadavg)" >>"$RAW/$name.txt"   # NB: the machine may be shared; this says how busy it was
	grep -E 'Latency|Throughput|GFLOP|segmented|peak|opened|wall_ms' "$RAW/$name.txt" | tail -6 || true
}
bench() { # bench NAME ENGINE SIZE FILTERS BATCH WARMUP STEPS
	run "$1" ./unet3p --headless --run "UNet3+ Benchmark" \
		"mode='inference',variant='unet3plus',backbone='unet3plus',classes=2,size=$3,filters=$4,batch=$5,warmup=$6,steps=$7,engine='$2'"
}
torchref() { # torchref NAME SIZE FILTERS BATCH WARMUP STEPS
	run "$1" $PY src/bench/unet3p_torch.py bench inference "$2" "$3" "$4" "$5" "$6" $THREADS
}

echo "== work per image"
run flops_320_64 $PY src/bench/unet3p_torch.py flops 320 64 2
run flops_160_32 $PY src/bench/unet3p_torch.py flops 160 32 2
# What ONNX Runtime computes: the exported graph contracts the upsampled branches' channels first.
run graph_320_64 java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.OnnxGraphWork 320 64
run graph_160_32 java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.OnnxGraphWork 160 32

echo "== ceiling: fp32 matrix product (ONNX Runtime, DJL, PyTorch)"
# NB: 4096² (137 GFLOP a product), best single product of 8: at 2048² the output allocation and the
# thread start weigh, and ONNX Runtime's convolutions then ran faster than that "ceiling".
run matmul_ort java -cp "$CP" io.github.unet3p.bench.OrtMatmulPeak 4096 8
run matmul_djl java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.MatmulPeak 4096 8
run matmul_torch $PY src/bench/unet3p_torch.py matmul 2048 10 $THREADS

echo "== inference: ONNX Runtime, PyTorch eager, DJL (interleaved per configuration)"
# Full size is ~4 s per image on 2 cores: few steps there.
bench infer_ort_320_b1 onnxruntime 320 64 1 1 3
torchref infer_torch_320_b1 320 64 1 1 3
bench infer_djl_320_b1 pytorch 320 64 1 1 3
bench infer_ort_320_b4 onnxruntime 320 64 4 1 2
torchref infer_torch_320_b4 320 64 4 1 2
bench infer_djl_320_b4 pytorch 320 64 4 1 2
bench infer_ort_160_b2 onnxruntime 160 32 2 3 15
torchref infer_torch_160_b2 160 32 2 3 15
bench infer_djl_160_b2 pytorch 160 32 2 3 15

if [ "$SEGMENT_SLICES" -gt 0 ]; then
echo "== segmentation end to end: $SEGMENT_SLICES slices of a 512x512x200 int16 volume, width 64 (unet3plus/vgg19, 320), batch 4"
# One random-weight bundle for both; a first short ONNX Runtime run writes it and exports model.onnx
# (timed as segment_export), so the measured ONNX Runtime process never starts PyTorch.
BUNDLE="$WORK/segment-model"
run segment_export java -Xmx4g -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.SegmentBench 64 4 4 320 200 onnxruntime "$BUNDLE"
run segment_ort java -Xmx4g -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.SegmentBench 64 "$SEGMENT_SLICES" 4 320 200 onnxruntime "$BUNDLE"
run segment_djl java -Xmx4g -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.SegmentBench 64 "$SEGMENT_SLICES" 4 320 200 pytorch "$BUNDLE"
fi

$PY src/bench/onnx_perf_table.py "$RAW" | tee "$WORK/table.md"
