#!/usr/bin/env bash
# Fresh processes of one seeded UNet3+ Train command must write byte-identical per-batch losses
# (training/batches.csv) and weights (weights.params), with the default heap and with a heap that
# makes the garbage collector run every few batches (-Xmx300m -Xmn4m), while two busy loops load
# the CPU. Issue 11's acceptance run.
#
#   src/bench/reproducibility.sh [runs-per-heap (10)] [threads: default|1]
#
# Data: 6 synthetic CT volumes (UNet3+ Synthetic CT, seed 11, 12 slices each) prepared at 128 px:
# 48 training and 24 validation slices. Command: unet3plus/unet3plus, filters 16, 1 epoch,
# batch 4, learning rate 0.001, seed 5. Prints one line per process and a verdict; exit 1 if any
# process differs from the first.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
U="$root/unet3p"
runs="${1:-10}"
threads="${2:-default}"
[ "$threads" = 1 ] && export OMP_NUM_THREADS=1
work="$(mktemp -d "${TMPDIR:-/tmp}/unet3p-repro.XXXXXX")"
trap 'kill $busy1 $busy2 2>/dev/null; rm -rf "$work"' EXIT
"$U" --headless --run "UNet3+ Synthetic CT" "count=6,slices=12,output='$work/vol',seed=11" >/dev/null 2>&1 || { echo "cannot make the data"; exit 1; }
mkdir -p "$work/raw/train" "$work/raw/val"
for i in 0 1 2 3; do mv "$work/vol/volume-$i.nii.gz" "$work/vol/segmentation-$i.nii.gz" "$work/raw/train/"; done
for i in 4 5; do mv "$work/vol/volume-$i.nii.gz" "$work/vol/segmentation-$i.nii.gz" "$work/raw/val/"; done
for s in train val; do
	"$U" --headless --run "UNet3+ Preprocess" "input='$work/raw/$s',output='$work/$s',size=128" >/dev/null 2>&1 || { echo "cannot prepare $s"; exit 1; }
done
echo "data: $(ls "$work/train/images" | wc -l) training, $(ls "$work/val/images" | wc -l) validation slices; threads: $threads; $(date -u +%FT%TZ)"
( while :; do :; done ) & busy1=$!
( while :; do :; done ) & busy2=$!
reference=""
differ=0
n=0
for heap in default small; do
	for r in $(seq 1 "$runs"); do
		n=$((n + 1))
		model="$work/m$n"
		opts=""
		[ "$heap" = small ] && opts="-Xmx300m -Xmn4m"
		start=$(date +%s)
		UNET3P_JAVA_OPTS="$opts" "$U" --headless --run "UNet3+ Train" "train='$work/train',validation='$work/val',model='$model',variant='unet3plus',backbone='unet3plus',filters=16,epochs=1,batch=4,learning_rate=0.001,seed=5" >"$work/log$n" 2>&1
		status=$?
		sum="$(cat "$model/training/batches.csv" "$model/weights.params" 2>/dev/null | sha256sum | cut -c1-16)"
		first="$(sed -n 2,4p "$model/training/batches.csv" 2>/dev/null | cut -d, -f3 | tr '\n' ' ')"
		[ -z "$reference" ] && reference="$sum"
		verdict=same
		[ "$sum" != "$reference" ] || [ "$status" != 0 ] && { verdict=DIFFERENT; differ=$((differ + 1)); }
		printf '%2d %-7s heap  exit %d  %3ds  losses+weights %s  first losses %s %s\n' "$n" "$heap" "$status" $(($(date +%s) - start)) "$sum" "$first" "$verdict"
	done
done
echo "$((n - differ)) passed, $differ failed"
[ "$differ" = 0 ]
