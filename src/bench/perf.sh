#!/bin/bash
# Issue 6 performance benchmark: our DJL UNet 3+ against a PyTorch eager reference of the same
# network (src/bench/unet3p_torch.py), against this CPU's matrix-product ceiling, plus loader wait,
# preprocessing speed against the seed's Python, segmentation memory and launcher startup.
# Usage (repository root; 15 min on 2 idle cores):
#   src/bench/perf.sh [work-folder]            default target/perf
# Writes WORK/raw/*.txt (every command's full output) and WORK/table.md (the summary table).
# Only run it on a quiet machine: the numbers are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/perf}
RAW="$WORK/raw"
THREADS=2
VENV=${VENV:-target/recipe-venv}   # PyTorch 2.13 CPU (the current release, a local wheel) in place of Debian's 1.13 (issue 22)
rm -rf "$WORK"
mkdir -p "$RAW"

echo "== setup: venv with PyTorch 2.13, numpy, OpenCV, nibabel from the local wheels (src/bench/recipe_venv.sh), build"
src/bench/recipe_venv.sh "$VENV"
PY="$VENV/bin/python"
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="target/classes:target/test-classes:$(cat target/cp.txt)"
# NB: PyTorch (both sides) uses $THREADS intra-op threads; DJL reads OMP_NUM_THREADS at start.
export OMP_NUM_THREADS=$THREADS
{
	date -u +"%Y-%m-%d %H:%M UTC"
	lscpu | grep -E 'Model name|^CPU\(s\)|Thread\(s\) per core'
	echo "threads: $THREADS (OMP_NUM_THREADS, torch.set_num_threads)"
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
	grep -E 'Latency|latency|Throughput|GFLOP|params|MACs|wait|slices/s|peak|wall_ms' "$RAW/$name.txt" | tail -6 || true
}
ours() { # ours NAME MODE SIZE FILTERS BATCH WARMUP STEPS: DJL PyTorch (engine=pytorch; the default engine, auto, is ONNX Runtime: onnx_perf.sh)
	run "$1" ./unet3p --headless --run "UNet3+ Benchmark" \
		"mode='$2',variant='unet3plus',backbone='unet3plus',classes=2,size=$3,filters=$4,batch=$5,warmup=$6,steps=$7,engine='pytorch'"
}
torchref() { # torchref NAME MODE SIZE FILTERS BATCH WARMUP STEPS
	run "$1" $PY src/bench/unet3p_torch.py bench "$2" "$3" "$4" "$5" "$6" "$7" $THREADS
}

echo "== model size and work per image"
for cfg in "320 64" "160 32"; do
	set -- $cfg
	run "params_ours_$1_$2" ./unet3p --headless --run "UNet3+ Model Summary" "variant='unet3plus',backbone='unet3plus',filters=$2,classes=2,size=$1,mode='inference'"
	run "params_torch_$1_$2" $PY src/bench/unet3p_torch.py params "$1" "$2" 2
	run "flops_$1_$2" $PY src/bench/unet3p_torch.py flops "$1" "$2" 2
done

echo "== ceiling: fp32 matrix product 2048x2048"
run matmul_djl java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.MatmulPeak 2048 10
run matmul_torch $PY src/bench/unet3p_torch.py matmul 2048 10 $THREADS

echo "== inference and training, ours (DJL) and PyTorch eager"
# Full size: each training step is ~1 min on 2 cores, so few steps there.
ours infer_ours_320_b1 inference 320 64 1 1 3
torchref infer_torch_320_b1 inference 320 64 1 1 3
ours infer_ours_320_b4 inference 320 64 4 1 2
torchref infer_torch_320_b4 inference 320 64 4 1 2
ours train_ours_320_b2 training 320 64 2 1 2
torchref train_torch_320_b2 training 320 64 2 1 2
ours infer_ours_160_b1 inference 160 32 1 3 20
torchref infer_torch_160_b1 inference 160 32 1 3 20
ours infer_ours_160_b4 inference 160 32 4 2 8
torchref infer_torch_160_b4 inference 160 32 4 2 8
ours train_ours_160_b2 training 160 32 2 2 8
torchref train_torch_160_b2 training 160 32 2 2 8

echo "== the optimizer step alone (160/32 parameters): KerasAdam (fused) vs op-by-op, and torch.optim.Adam"
run adam_ours java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.AdamBench 160 32 7
run adam_torch $PY src/bench/unet3p_torch.py adam 160 32 7 $THREADS

echo "== inference fast path: BatchNorm folded into the convolutions (same timing loop, both ways)"
run fast_320 java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.FastPathBench 320 64 1 1 3
run fast_160 java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.FastPathBench 160 32 4 2 8

echo "== data loader wait during training (160x160, width 32, batch 2, 1 epoch on the 80 sample slices)"
run prep_sample ./unet3p --headless --run "UNet3+ Preprocess" "input='sample-data/lits/test',output='$WORK/sample160',size=160"
run train_loader ./unet3p --headless --run "UNet3+ Train" \
	"train='$WORK/sample160',validation='$WORK/sample160',model='$WORK/model160',variant='unet3plus',backbone='unet3plus',filters=32,epochs=1,batch=2,seed=5"

echo "== preprocessing: ours vs the seed's Python (512x512x200 int16 -> 320)"
$PY src/bench/seed_parity.py bigvolume "$WORK/big/lits"
run prep_ours java -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.PrepareMain "$WORK/big/lits" "$WORK/big/java" 320
run prep_seed $PY src/bench/seed_parity.py seed "$WORK/big/lits" "$WORK/big/python" 320
run prep_compare $PY src/bench/seed_parity.py compare "$WORK/big/python" "$WORK/big/java"
rm -rf "$WORK/big"

echo "== segmentation memory: 512x512x900 int16, width 4 (memory, not speed), -Xmx2g"
run segment_900 java -Xmx2g -Dai.djl.offline=true -cp "$CP" io.github.unet3p.bench.SegmentBench 4 900 4 320 900

echo "== launcher startup to the first batch, against the JVM's own startup"
run startup_jvm java -Xshare:auto -version
run startup_launcher ./unet3p --headless --run "UNet3+ Benchmark" "steps=1,warmup=0,size=32,filters=2,batch=1,backbone='unet3plus'"

$PY src/bench/perf_table.py "$RAW" | tee "$WORK/table.md"

echo "== ONNX Runtime vs PyTorch eager vs DJL, and segmentation on both engines (issue 14; ~35 min more)"
src/bench/onnx_perf.sh "$WORK/onnx"
