#!/bin/bash
# Issue 22: training against the reference recipe itself, on the same prepared slices, in
# interleaved rounds. The recipe's own code (../shared/recipe: its model, unet3p_hybrid_loss,
# DiceCoefficient metric and tf_data_generator, driven by src/bench/recipe_run.py) and the plugin's
# UNet3+ Train with default keys, both at width 16 (unet3plus/unet3plus), batch 4, learning rate
# 1e-3, 8 epochs, seed 5, 2 threads.
# Data: UNet3+ Synthetic CT (10 volumes, 128 px, 20 slices, seed 22): volumes 0-5 train, 6-7
# validation, 8-9 held out; UNet3+ Preprocess size 128 -> 120 training / 40 validation slices.
# The plugin's held-out volume Dice: Segment Files + Evaluate (default keys) on volumes 8-9.
# Usage (repository root):
#   src/bench/recipe_train.sh [work-folder] [rounds]     default target/recipe-train, 2
# Env: RECIPE (default ../shared/recipe beside the repository, else /work/shared/recipe),
#      VENV (default target/recipe-venv: created from the machine's local wheels when missing).
# Writes WORK/raw/* (every command's output), WORK/table.md; copy WORK/table.md and WORK/raw to
# src/bench/results/<dated folder>/ to record a run.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/recipe-train}
ROUNDS=${2:-2}
THREADS=2
EPOCHS=${EPOCHS:-8}
source src/bench/recipe_setup.sh
# NB: PyTorch's OpenMP threads spin at every barrier by default; on a machine busier than its cores
# (the shared 2-core machine ran at load 11-18) that made the plugin's training step ~6x slower
# (28 s instead of ~5 s per batch, 2026-12-08). Passive waiting is set for the whole run; TensorFlow
# does not link OpenMP (its kernels run on its own thread pool), so it changes nothing on its side.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
plugin() { # plugin COMMAND OPTIONS: the launcher on the copied jar
	java -Dai.djl.offline=true -Djava.awt.headless=true -Xmx8g -cp "$CP" io.github.unet3p.fiji.launcher.Launcher --headless --run "$@"
}
{
	date -u +"%Y-%m-%d %H:%M UTC"
	lscpu | grep -E 'Model name|^CPU\(s\)'
	echo "threads: $THREADS (OMP_NUM_THREADS for the plugin, OMP_WAIT_POLICY=$OMP_WAIT_POLICY; TensorFlow intra-op $THREADS, inter-op 1)"
	echo "load: $(uptime)"
	echo "git: $(git rev-parse --short HEAD) $(git status --porcelain | grep -q . && echo '(uncommitted changes)')"
	java -version 2>&1 | head -1
	"$PY" -c 'import tensorflow as tf, keras; print("TensorFlow", tf.__version__, "Keras", keras.__version__)'
	echo "recipe: $RECIPE"
} | tee "$RAW/environment.txt"

run() { # run NAME COMMAND...: output in raw/NAME.txt, wall time and load appended
	local name=$1 t0 t1
	shift
	echo "== $name: $*"
	t0=$(date +%s%N)
	"$@" >"$RAW/$name.txt" 2>&1 || { echo "FAILED: $name (see $RAW/$name.txt)"; tail -5 "$RAW/$name.txt"; return 1; }
	t1=$(date +%s%N)
	echo "wall_ms: $(((t1 - t0) / 1000000))" >>"$RAW/$name.txt"
	echo "loadavg after: $(cat /proc/loadavg)" >>"$RAW/$name.txt"
	tail -3 "$RAW/$name.txt"
}

echo "== data"
run synth plugin "UNet3+ Synthetic CT" "output='$WORK/ct',count=10,size=128,slices=20,seed=22"
mkdir -p "$WORK/lits/train" "$WORK/lits/validation" "$WORK/lits/test"
for n in 0 1 2 3 4 5; do mv "$WORK/ct/volume-$n.nii.gz" "$WORK/ct/segmentation-$n.nii.gz" "$WORK/lits/train/"; done
for n in 6 7; do mv "$WORK/ct/volume-$n.nii.gz" "$WORK/ct/segmentation-$n.nii.gz" "$WORK/lits/validation/"; done
for n in 8 9; do mv "$WORK/ct/volume-$n.nii.gz" "$WORK/ct/segmentation-$n.nii.gz" "$WORK/lits/test/"; done
run prep_train plugin "UNet3+ Preprocess" "input='$WORK/lits/train',output='$WORK/prep/train',size=128"
run prep_val plugin "UNet3+ Preprocess" "input='$WORK/lits/validation',output='$WORK/prep/val',size=128"
echo "slices: train $(ls "$WORK/prep/train/images" | wc -l), validation $(ls "$WORK/prep/val/images" | wc -l)" | tee -a "$RAW/environment.txt"

recipe() { # recipe ROUND
	run "recipe_$1" "$PY" src/bench/recipe_run.py train "$RECIPE" "$WORK/prep/train" "$WORK/prep/val" 128 16 4 1e-3 "$EPOCHS" $THREADS "$WORK/recipe_$1.csv"
}
ours() { # ours ROUND: default keys but the shared hyperparameters
	run "plugin_$1" plugin "UNet3+ Train" "train='$WORK/prep/train',validation='$WORK/prep/val',model='$WORK/model_$1',variant='unet3plus',backbone='unet3plus',filters=16,epochs=$EPOCHS,batch=4,learning_rate=0.001,seed=5"
	cp "$WORK/model_$1/training/log.csv" "$WORK/plugin_$1.csv"
	run "segment_$1" plugin "UNet3+ Segment Files" "model='$WORK/model_$1',input='$WORK/lits/test',output='$WORK/labels_$1'"
	run "evaluate_$1" plugin "UNet3+ Evaluate" "prediction='$WORK/labels_$1',truth='$WORK/lits/test',output='$WORK/metrics_$1.csv'"
}
echo "== training, interleaved: odd rounds recipe first, even rounds plugin first"
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then recipe "$r"; ours "$r"; else ours "$r"; recipe "$r"; fi
done
echo "load at the end: $(uptime)" >>"$RAW/environment.txt"
"$PY" src/bench/recipe_table.py train "$WORK" "$ROUNDS" | tee "$WORK/table.md"
