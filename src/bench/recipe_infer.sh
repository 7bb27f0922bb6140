#!/bin/bash
# Issue 22: inference against the reference recipe itself, side by side in one run, interleaved
# round by round: the recipe's own benchmark_inference.py timing loop on its TensorFlow model
# (src/bench/recipe_run.py infer: predict_on_batch + postprocess_mask), PyTorch 2.13 eager
# (src/bench/unet3p_torch.py, unet3plus encoder only), the plugin's UNet3+ Benchmark with its
# default engine, and the plugin with engine=pytorch (DJL). Random weights, 2 threads each
# (TensorFlow intra-op 2 / inter-op 1, torch.set_num_threads(2), OMP_NUM_THREADS=2, ONNX Runtime 2).
# Configurations: 160/32 batch 2 (unet3plus encoder), 320/64 batch 1 (unet3plus and vgg19
# encoders; the recipe's vgg19 is Keras' VGG19, widths 64..512, so it is compared at width 64 only).
# Usage (repository root):
#   src/bench/recipe_infer.sh [work-folder] [rounds]     default target/recipe-infer, 2
# Env: RECIPE, VENV as recipe_train.sh. Writes WORK/raw/*.txt and WORK/table.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/recipe-infer}
ROUNDS=${2:-2}
THREADS=2
source src/bench/recipe_setup.sh
{
	date -u +"%Y-%m-%d %H:%M UTC"
	lscpu | grep -E 'Model name|^CPU\(s\)'
	echo "threads: $THREADS each"
	echo "load: $(uptime)"
	echo "git: $(git rev-parse --short HEAD) $(git status --porcelain | grep -q . && echo '(uncommitted changes)')"
	java -version 2>&1 | head -1
	"$PY" -c 'import tensorflow as tf, keras, torch; print("TensorFlow", tf.__version__, "Keras", keras.__version__, "PyTorch", torch.__version__)'
} | tee "$RAW/environment.txt"

run() { # run NAME COMMAND...
	local name=$1 t0 t1
	shift
	echo "== $name: $*"
	t0=$(date +%s%N)
	"$@" >"$RAW/$name.txt" 2>&1 || { echo "FAILED: $name (see $RAW/$name.txt)"; tail -5 "$RAW/$name.txt"; return 1; }
	t1=$(date +%s%N)
	echo "wall_ms: $(((t1 - t0) / 1000000))" >>"$RAW/$name.txt"
	echo "loadavg after: $(cat /proc/loadavg)" >>"$RAW/$name.txt"
	grep -E 'Latency|Throughput|engine' "$RAW/$name.txt" | tail -3 || true
}
plugin() { # plugin NAME BACKBONE SIZE FILTERS BATCH WARMUP STEPS [ENGINE]
	local engine=""
	[ $# -ge 8 ] && engine=",engine='$8'"
	run "$1" java -Dai.djl.offline=true -Djava.awt.headless=true -Xmx8g -cp "$CP" io.github.unet3p.fiji.launcher.Launcher --headless --run "UNet3+ Benchmark" \
		"mode='inference',variant='unet3plus',backbone='$2',classes=2,size=$3,filters=$4,batch=$5,warmup=$6,steps=$7$engine"
}
config() { # config ROUND NAME BACKBONE SIZE FILTERS BATCH WARMUP STEPS
	local r=$1 n=$2
	shift 2
	run "recipe_${n}_r$r" "$PY" src/bench/recipe_run.py infer "$RECIPE" "$1" "$2" "$3" "$4" "$5" "$6" $THREADS
	[ "$1" = unet3plus ] && run "torch_${n}_r$r" "$PY" src/bench/unet3p_torch.py bench inference "$2" "$3" "$4" "$5" "$6" $THREADS
	plugin "plugin_${n}_r$r" "$@"
	plugin "djl_${n}_r$r" "$@" pytorch
}
for r in $(seq 1 "$ROUNDS"); do
	echo "== round $r"
	config "$r" 160-32-b2-unet3plus unet3plus 160 32 2 3 15
	config "$r" 320-64-b1-unet3plus unet3plus 320 64 1 1 4
	config "$r" 320-64-b1-vgg19 vgg19 320 64 1 1 4
done
echo "load at the end: $(uptime)" >>"$RAW/environment.txt"
"$PY" src/bench/recipe_table.py infer "$RAW" | tee "$WORK/table.md"
