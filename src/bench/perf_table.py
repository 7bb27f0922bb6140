#!/usr/bin/python3
"""Summarises the raw outputs of src/bench/perf.sh as a Markdown table (stdout).

  perf_table.py RAW_FOLDER

Every number comes from a file in RAW_FOLDER; a missing file gives "n/a".
Training work per image is counted as 3x the forward convolutions (forward + the two backward
products), an approximation stated in the table.
"""
import os
import re
import sys

RAW = sys.argv[1]


def text(name):
    path = os.path.join(RAW, name + ".txt")
    return open(path, encoding="utf-8", errors="replace").read() if os.path.exists(path) else ""


def number(name, pattern):
    m = re.findall(pattern, text(name))
    return float(m[-1].replace(",", "")) if m else None


def fps(name):
    return number(name, r"[Tt]hroughput/FPS: ([0-9.]+)")


def fmt(v, digits=2, unit=""):
    return "n/a" if v is None else f"{v:,.{digits}f}{unit}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def status(ok):
    return "n/a" if ok is None else ("met" if ok else "missed")


rows = []
env = text("environment")
ceiling = number("matmul_djl", r": ([0-9.]+) GFLOP/s")
torch_ceiling = number("matmul_torch", r": ([0-9.]+) GFLOP/s")
rows.append(("fp32 matmul 2048² ceiling (DJL)", fmt(ceiling, 1, " GFLOP/s"), fmt(torch_ceiling, 1, " GFLOP/s (PyTorch ref.)"),
             fmt(ratio(ceiling, torch_ceiling)), "-", "the ceiling for '% of ceiling'"))
for size, filters in (("320", "64"), ("160", "32")):
    ours_p = number(f"params_ours_{size}_{filters}", r"Trainable params: ([0-9,]+)")
    torch_p = number(f"params_torch_{size}_{filters}", r"Trainable params: ([0-9,]+)")
    rows.append((f"trainable params {size}/{filters}", fmt(ours_p, 0), fmt(torch_p, 0) + " (PyTorch ref.)", fmt(ratio(ours_p, torch_p), 4),
                 status(None if ours_p is None or torch_p is None else ours_p == torch_p), "same architecture"))
    gflop = number(f"flops_{size}_{filters}", r"\(([0-9.]+) GFLOP\)")
    for mode, batch in (("infer", 1), ("infer", 4), ("train", 2)):
        ours = fps(f"{mode}_ours_{size}_b{batch}")
        ref = fps(f"{mode}_torch_{size}_b{batch}")
        r = ratio(ours, ref)
        work = None if gflop is None else gflop * (3 if mode == "train" else 1)
        pct = None if ours is None or work is None or not ceiling else 100 * ours * work / ceiling
        target = 1.0 if mode == "infer" else 0.95
        label = "inference" if mode == "infer" else "training step"
        rows.append((f"{label} {size}/{filters} batch {batch} (img/s) ≥ {target}× PyTorch",
                     fmt(ours, 3), fmt(ref, 3) + " (PyTorch eager)", fmt(r),
                     status(None if r is None else r >= target),
                     f"{fmt(pct, 1)}% of matmul ceiling" + (" (3× fwd FLOPs, approx.)" if mode == "train" else "")))
    if size == "320":
        ours = fps("infer_ours_320_b1")
        pct = None if ours is None or gflop is None or not ceiling else 100 * ours * gflop / ceiling
        rows.append(("inference 320/64 ≥ 85% of matmul ceiling", fmt(pct, 1, "%"), "85%", fmt(ratio(pct, 85)),
                     status(None if pct is None else pct >= 85), f"{fmt(gflop, 1)} GFLOP per image"))
for name, label in (("fast_320", "320/64 batch 1"), ("fast_160", "160/32 batch 4")):
    plain = number(name, r"plain inference: .*?, ([0-9.]+) samples/sec")
    folded = number(name, r"folded inference: .*?, ([0-9.]+) samples/sec")
    changed = number(name, r"labels changed by folding: .*\(([0-9.]+)%\)")
    rows.append((f"fast path (BN folded) {label}, labels changed ≤ 0.1%", fmt(folded, 3, " img/s"), fmt(plain, 3, " img/s (unfolded)"),
                 fmt(ratio(folded, plain)), status(None if changed is None else changed <= 0.1),
                 f"{fmt(changed, 4)}% of pixels changed (random weights)"))
adam_ours = number("adam_ours", r"fused \(KerasAdam\): median ([0-9.]+) ms")
adam_ops = number("adam_ours", r"op by op \(reference\): median ([0-9.]+) ms")
adam_torch = number("adam_torch", r"torch.optim.Adam .*: median ([0-9.]+) ms")
rows.append(("Adam step, 6.75 M parameters (160/32), ms", fmt(adam_ours, 1, " ms"), fmt(adam_torch, 1, " ms (torch.optim.Adam)"),
             fmt(ratio(adam_torch, adam_ours)), "-", f"op-by-op DJL (the earlier KerasAdam): {fmt(adam_ops, 1, ' ms')}"))
wait = number("train_loader", r"Data loader wait: ([0-9.]+)%")
rows.append(("data loader wait < 5% of step (160/32, batch 2)", fmt(wait, 1, "%"), "5%", fmt(ratio(wait, 5)),
             status(None if wait is None else wait < 5), "Trainer's own report"))
po = number("prep_ours", r"wall_ms: ([0-9]+)")
ps = number("prep_seed", r"wall_ms: ([0-9]+)")
rows.append(("preprocessing 512²×200 → 320 ≥ 3× seed", fmt(None if po is None else po / 1000, 2, " s"),
             fmt(None if ps is None else ps / 1000, 2, " s (seed Python)"), fmt(ratio(ps, po)),
             status(None if ps is None or po is None else ps / po >= 3), "wall time incl. process start"))
heap = number("segment_900", r"peak Java heap ([0-9]+) MB")
rss = number("segment_900", r"peak RSS \(VmHWM\) ([0-9]+) MB")
rows.append(("segmentation 512²×900: peak Java heap < 2 GB", fmt(heap, 0, " MB"), "2048 MB", fmt(ratio(heap, 2048)),
             status(None if heap is None else heap < 2048), f"width 4; peak RSS {fmt(rss, 0, ' MB')}"))
jvm = number("startup_jvm", r"wall_ms: ([0-9]+)")
launch = number("startup_launcher", r"wall_ms: ([0-9]+)")
rows.append(("launcher to first batch (Benchmark size 32, 1 step)", fmt(launch, 0, " ms"), fmt(jvm, 0, " ms (java -version)"),
             fmt(ratio(launch, jvm)), "-", "JVM + SciJava context + PyTorch native load"))

print("```")
print(env.strip())
print("```")
print()
print("| target | measured | reference | ratio | status | note |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
