#!/bin/bash
# Finishes recipe_train.sh's work by hand (see raw/plugin_1-command.txt): round 1's held-out
# evaluation, then round 2 in the script's order (plugin first, then the recipe), same commands.
set -euo pipefail
cd /work/wt-speed
WORK=$PWD/target/recipe-train
RAW=$WORK/raw
RECIPE=/work/shared/recipe
PY=target/recipe-venv/bin/python
CP="$WORK/unet3p-fiji.jar:$(cat target/classpath.txt)"
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE
plugin() { java -Dai.djl.offline=true -Djava.awt.headless=true -Xmx8g -cp "$CP" io.github.unet3p.fiji.launcher.Launcher --headless --run "$@"; }
run() { local name=$1 t0 t1; shift; t0=$(date +%s%N); "$@" >"$RAW/$name.txt" 2>&1 || { echo "FAILED $name"; return 1; }; t1=$(date +%s%N)
	echo "wall_ms: $(((t1 - t0) / 1000000))" >>"$RAW/$name.txt"; echo "loadavg after: $(cat /proc/loadavg)" >>"$RAW/$name.txt"; echo "done $name $(date +%T)"; }
held_out() {
	run "segment_$1" plugin "UNet3+ Segment Files" "model='$WORK/model_$1',input='$WORK/lits/test',output='$WORK/labels_$1'"
	run "evaluate_$1" plugin "UNet3+ Evaluate" "prediction='$WORK/labels_$1',truth='$WORK/lits/test',output='$WORK/metrics_$1.csv'"
}
while kill -0 2932 2>/dev/null; do sleep 5; done
cp "$WORK/model_1/training/log.csv" "$WORK/plugin_1.csv"
held_out 1
run plugin_2 plugin "UNet3+ Train" "train='$WORK/prep/train',validation='$WORK/prep/val',model='$WORK/model_2',variant='unet3plus',backbone='unet3plus',filters=16,epochs=8,batch=4,learning_rate=0.001,seed=5"
cp "$WORK/model_2/training/log.csv" "$WORK/plugin_2.csv"
held_out 2
run recipe_2 "$PY" src/bench/recipe_run.py train "$RECIPE" "$WORK/prep/train" "$WORK/prep/val" 128 16 4 1e-3 8 2 "$WORK/recipe_2.csv"
echo "load at the end: $(uptime)" >>"$RAW/environment.txt"
