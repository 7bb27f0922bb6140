#!/usr/bin/env bash
# GPU check for UNet3+ for Fiji: on a machine with an NVIDIA GPU, loads a CUDA build of PyTorch,
# prints what UNet3+ Engine sees, the Benchmark command's own lines for 320x320 batch 16
# (unet3plus/unet3plus and unet3plus/vgg19: fp32 and fp16 inference on one GPU, training on one
# GPU and data-parallel on all), and a 3-epoch training of the sample data on the GPU next to the
# same training on the CPU (validation Dice of each). Unattended; stops itself before 10 minutes.
# On a machine without an NVIDIA GPU it prints "no GPU" and exits 0.
#
# Usage: src/bench/gpu_check.sh [--jni <libdjl_torch.so built for the Python torch>] [out-folder]
#
# Which CUDA build it loads, first that applies:
#   1. UNET3P_TORCH as set by the caller;
#   2. the Python torch (python3, or $PYTHON) if it is 2.7.1 with CUDA: its torch/lib folder;
#   3. a Python torch of another version with --jni: a folder of links to its libraries plus that JNI;
#   4. DJL's CUDA build in the plugin's cache (UNet3+ Engine fetch=true, fetched now if missing).
# See src/bench/README.md and docs/gpu.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

NVIDIA_SMI="${NVIDIA_SMI:-nvidia-smi}"
PYTHON="${PYTHON:-python3}"
BUDGET_SECONDS="${GPU_CHECK_BUDGET_SECONDS:-570}"
JNI=""
if [[ "${1:-}" == "--jni" ]]; then
	JNI="${2:?--jni needs the path of a libdjl_torch built for the Python torch}"
	shift 2
fi
OUT="${1:-$(mktemp -d "${TMPDIR:-/tmp}/unet3p-gpu-check.XXXXXX")}"
START=$SECONDS

say() { printf '%s\n' "$*"; }
left() { echo $((BUDGET_SECONDS - (SECONDS - START))); }

# --- 1. Is there a GPU? -------------------------------------------------------------------------
if ! command -v "$NVIDIA_SMI" >/dev/null 2>&1 || ! gpus="$("$NVIDIA_SMI" -L 2>/dev/null)" || [[ -z "$gpus" ]]; then
	say "no GPU: $NVIDIA_SMI finds no NVIDIA GPU on this machine; nothing to check (the CPU build is what UNet3+ uses here)."
	exit 0
fi
say "GPUs (nvidia-smi):"
say "$gpus"
count=$(printf '%s\n' "$gpus" | grep -c '^GPU ' || true)

# --- 2. Which CUDA build? -----------------------------------------------------------------------
if [[ -z "${UNET3P_TORCH:-}" ]]; then
	torch_info="$("$PYTHON" -c 'import torch, os; print(torch.__version__); print(torch.version.cuda or ""); print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)"
	torch_version="$(sed -n 1p <<<"$torch_info")"
	torch_cuda="$(sed -n 2p <<<"$torch_info")"
	torch_lib="$(sed -n 3p <<<"$torch_info")"
	if [[ -n "$torch_version" ]]; then
		say "Python torch: $torch_version (CUDA ${torch_cuda:-none}) in $torch_lib"
	else
		say "Python torch: none found with $PYTHON"
	fi
	flavor=""
	[[ -n "$torch_cuda" ]] && flavor="cu${torch_cuda//./}"
	if [[ -n "$torch_version" && -n "$flavor" && "${torch_version%%+*}" == "2.7.1" ]]; then
		export UNET3P_TORCH="$torch_lib" UNET3P_TORCH_FLAVOR="$flavor"
		say "Using the Python torch 2.7.1 ($flavor): UNET3P_TORCH=$UNET3P_TORCH"
	elif [[ -n "$torch_version" && -n "$flavor" && -n "$JNI" ]]; then
		# A folder the engine can load: the torch libraries (links) plus the given JNI, which must have
		# been built against exactly this torch. Its version is recorded as pip records it.
		folder="$OUT/torch-${torch_version%%+*}-$flavor"
		mkdir -p "$folder/lib"
		for f in "$torch_lib"/*; do ln -sf "$f" "$folder/lib/"; done
		cp "$JNI" "$folder/lib/0.36.0-libdjl_torch.so"
		printf "__version__ = '%s'\ncuda = '%s'\n" "$torch_version" "$torch_cuda" >"$folder/version.py"
		export UNET3P_TORCH="$folder/lib" UNET3P_TORCH_FLAVOR="$flavor"
		say "Using the Python torch $torch_version with the given JNI: UNET3P_TORCH=$UNET3P_TORCH"
	else
		[[ -n "$torch_version" && "${torch_version%%+*}" != "2.7.1" ]] &&
			say "The Python torch is $torch_version; the JNI shipped with the plugin drives PyTorch 2.7.1 only (pass --jni for a JNI built against $torch_version)."
		say "Using DJL's CUDA build of PyTorch 2.7.1 (UNET3P_TORCH=cuda; fetched once into the plugin's cache if missing)."
		./unet3p --headless --run "UNet3+ Engine" "fetch=true" || { say "The CUDA build could not be fetched (message above)."; exit 1; }
		export UNET3P_TORCH=cuda
	fi
fi

# --- 3. What the engine sees --------------------------------------------------------------------
say ""
say "== UNet3+ Engine =="
./unet3p --headless --run "UNet3+ Engine" ""

# --- 4. Throughput at 320x320, batch 16 ---------------------------------------------------------
bench() { # label, options
	local label="$1" options="$2" budget
	budget=$(left)
	if ((budget < 30)); then
		say "[$label] skipped: the 10-minute budget is used up"
		return 0
	fi
	say ""
	say "== $label =="
	timeout "$budget" ./unet3p --headless --run "UNet3+ Benchmark" "size=320,batch=16,warmup=5,steps=20,$options" 2>&1 | tr '\r' '\n' |
		grep -E '^(Inference|Training) benchmark:|^(Training )?[Ll]atency:|^(Training )?[Tt]hroughput/FPS:|ERROR|unet3p:' || say "[$label] failed or timed out"
}
for backbone in unet3plus vgg19; do
	bench "unet3plus/$backbone inference fp32, 1 GPU" "mode='inference',variant='unet3plus',backbone='$backbone',precision='fp32',devices='gpu'"
	bench "unet3plus/$backbone inference fp16, 1 GPU" "mode='inference',variant='unet3plus',backbone='$backbone',precision='fp16',devices='gpu'"
	bench "unet3plus/$backbone training, 1 GPU" "mode='training',variant='unet3plus',backbone='$backbone',devices='gpu'"
	if ((count > 1)); then
		bench "unet3plus/$backbone training, devices=all ($count GPUs, data-parallel)" "mode='training',variant='unet3plus',backbone='$backbone',devices='all'"
	else
		say ""
		say "== unet3plus/$backbone training, devices=all: one GPU only, the same as above =="
	fi
done

# --- 5. Three epochs on the sample data: GPU and CPU --------------------------------------------
say ""
say "== 3 epochs on sample-data/lits (size 128, width 16, batch 4): GPU and CPU =="
prep="$OUT/prep"
for part in train validation; do
	[[ -d "$prep/$part/images" ]] || ./unet3p --headless --run "UNet3+ Preprocess" "input='sample-data/lits/$part',output='$prep/$part',size=128" >/dev/null 2>&1
done
dice=()
for devices in gpu cpu; do
	model="$OUT/model-$devices"
	rm -rf "$model"
	budget=$(left)
	if ((budget < 20)); then
		say "3-epoch training on $devices skipped: the 10-minute budget is used up"
		dice+=("$devices n/a")
		continue
	fi
	if timeout "$budget" ./unet3p --headless --run "UNet3+ Train" "train='$prep/train',validation='$prep/validation',model='$model',variant='unet3plus',backbone='unet3plus',filters=16,epochs=3,batch=4,learning_rate=0.001,seed=5,bn_recalibrate=50,devices='$devices'" 2>&1 | tr '\r' '\n' |
		grep -E 'Epoch [0-9]+/3:|Training throughput|unet3p:|ERROR'; then
		last="$(tail -n 1 "$model/training/log.csv" 2>/dev/null | cut -d, -f4)"
		dice+=("$devices ${last:-n/a}")
	else
		dice+=("$devices n/a (failed or timed out)")
	fi
done
say ""
say "Validation Dice after 3 epochs: ${dice[0]} | ${dice[1]}"

# --- 6. fp16 against fp32 on the held-out sample volumes (the GPU-trained model) -----------------
if [[ -f "$OUT/model-gpu/unet3p.json" ]] && (($(left) > 40)); then
	say ""
	say "== fp32 vs fp16 segmentation of sample-data/lits/test with the GPU-trained model =="
	line=""
	for precision in fp32 fp16; do
		rm -rf "$OUT/labels-$precision"
		if timeout "$(left)" ./unet3p --headless --run "UNet3+ Segment Files" "model='$OUT/model-gpu',input='sample-data/lits/test',output='$OUT/labels-$precision',precision='$precision'" >/dev/null 2>&1 &&
			timeout "$(left)" ./unet3p --headless --run "UNet3+ Evaluate" "prediction='$OUT/labels-$precision',truth='sample-data/lits/test',output='$OUT/metrics-$precision.csv'" >/dev/null 2>&1; then
			line+="$precision liver Dice (global) $(awk -F, '$1 == "global" { print $2 }' "$OUT/metrics-$precision.csv")  "
		else
			line+="$precision failed  "
		fi
	done
	say "$line"
	"$PYTHON" - "$OUT/labels-fp32" "$OUT/labels-fp16" <<'PY' 2>/dev/null || say "(voxel comparison needs numpy and nibabel)"
import sys, glob, os
import numpy as np, nibabel as nib
changed = total = 0
for a in sorted(glob.glob(os.path.join(sys.argv[1], "*.nii*"))):
    x = np.asarray(nib.load(a).dataobj); y = np.asarray(nib.load(os.path.join(sys.argv[2], os.path.basename(a))).dataobj)
    changed += int((x != y).sum()); total += x.size
print(f"labels changed by fp16: {changed} of {total} voxels ({100.0 * changed / max(total, 1):.4f} %)")
PY
fi
say "gpu_check.sh finished in $((SECONDS - START)) s; output in $OUT"
