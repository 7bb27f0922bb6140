#!/usr/bin/env bash
# Fresh processes of one seeded UNet3+ Train command must write byte-identical per-batch losses
# (training/batches.csv) and weights (weights.params), with the default heap and with a heap that
# makes the garbage collector run every few batches (-Xmx300m -Xmn4m), while two busy loops load
# the CPU. Issue 11's acceptance run.
#
#   src/bench/reproducibility.sh [runs-per-heap (10)] [threads: default|1] [slices per volume (4)]
#
# BUSY=0 leaves out the two busy loops (when the machine is loaded anyway); HEAPS="small" (or
# "default") runs only those processes; REFERENCE=<hash> compares with an earlier invocation's.
# Data: 6 synthetic CT volumes (UNet3+ Synthetic CT, seed 11, 4 slices each by default) prepared
# at 128 px: 16 training and 8 validation slices. Command: unet3plus/unet3plus, filters 16, 1 epoch,
# batch 4, learning rate 0.001, seed 5. Prints one line per process and a verdict; exit 1 if any
# process differs from the first.
set -uo pipefail
busy1="" busy2=""
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
U="$root/unet3p"
runs="${1:-10}"
threads="${2:-default}"
slices="${3:-4}"
[ "$threads" = 1 ] && export OMP_NUM_THREADS=1
work="$(mktemp -d "${TMPDIR:-/tmp}/unet3p-repro.XXXXXX")"
trap '[ -n "$busy1" ] && kill $busy1 $busy2 2>/dev/null; rm -rf "$work"' EXIT
"$U" --headless --run "UNet3+ Synthetic CT" "count=6,slices=$slices,output='$work/vol',seed=11" >/dev/null 2>&1 || { echo "cannot make the data"; exit 1; }
mkdir -p "$work/raw/train" "$work/raw/val"
for i in 0 1 2 3; do mv "$work/vol/volume-$i.nii.gz" "$work/vol/segmentation-$i.nii.gz" "$work/raw/train/"; done
for i in 4 5; do mv "$work/vol/volume-$i.nii.gz" "$work/vol/segmentation-$i.nii.gz" "$work/raw/val/"; done
for s in train val; do
	"$U" --headless --run "UNet3+ Preprocess" "input='$work/raw/$s',output='$work/$s',size=128" >/dev/null 2>&1 || { echo "cannot prepare $s"; exit 1; }
done
echo "data: $(ls "$work/train/images" | wc -l) training, $(ls "$work/val/images" | wc -l) validation slices; threads: $threads; $(date -u +%FT%TZ)"
busy1="" busy2=""
if [ "${BUSY:-1}" != 0 ]; then
	( while :; do :; done ) & busy1=$!
	( while :; do :; done ) & busy2=$!
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
reference="${REFERENCE:-}"
differ=0
n=0
for heap in ${HEAPS:-default small}; do
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
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$((n - differ)) passed, $differ failed"
[ "$differ" = 0 ]
