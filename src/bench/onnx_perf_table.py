#!/usr/bin/python3
"""Summarises the raw outputs of src/bench/onnx_perf.sh as a Markdown table (stdout).

  onnx_perf_table.py RAW_FOLDER

Every number comes from a file in RAW_FOLDER; a missing file gives "n/a". ONNX Runtime's
GFLOP/s = the exported graph's convolution work per image (2 x its multiply-accumulates,
io.github.unet3p.bench.OnnxGraphWork) x images/s; the network's own work (unet3p_torch.py flops) is
printed beside it.
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
    return number(name, r"Throughput/FPS: ([0-9.]+)")


def fmt(v, digits=2, unit=""):
    return "n/a" if v is None else f"{v:,.{digits}f}{unit}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def status(value, target):
    if value is None:
        return "n/a"
    if shared:
        return "not judged (shared machine; " + ("above" if value >= target else "below") + " the target here)"
    return "met" if value >= target else "missed"


CORES = os.cpu_count() or 2
loads = [float(m) for m in re.findall(r"loadavg after: ([0-9.]+)", "".join(text(os.path.splitext(f)[0]) for f in sorted(os.listdir(RAW))))]
shared = bool(loads) and max(loads) > 1.5 * CORES
if loads:
    print(f"1-minute load average after each step: {min(loads):.1f} to {max(loads):.1f} ({CORES} cores).")
    print()
if shared:
    print("**The machine was shared during this run** (load well above the core count): every time below is "
          "inflated by other processes, by a different amount at each step. Ratios are indicative only, "
          "and no target is judged (marked 'not judged').")
    print()
ceilings = {k: number(f"matmul_{k}", r": ([0-9.]+) GFLOP/s") for k in ("ort", "djl", "torch")}
ceiling = max([c for c in ceilings.values() if c is not None], default=None)
print("| fp32 matmul, best single product (4096²; PyTorch eager 2048²) | ONNX Runtime | DJL | PyTorch eager |")
print("|---|---|---|---|")
print(f"| GFLOP/s | {fmt(ceilings['ort'], 1)} | {fmt(ceilings['djl'], 1)} | {fmt(ceilings['torch'], 1)} |")
print()
print(f"Ceiling used below: the best of the three, {fmt(ceiling, 1)} GFLOP/s.")
print()
print("Work per image: the network (PyTorch eager and DJL compute it as written) "
      f"{fmt(number('flops_320_64', r'[(]([0-9.]+) GFLOP[)]'), 1)} GFLOP at 320/64, {fmt(number('flops_160_32', r'[(]([0-9.]+) GFLOP[)]'), 2)} at 160/32; "
      f"the exported ONNX graph (upsampled branches contracted first, docs/onnx.md) {fmt(number('graph_320_64', r'[(]([0-9.]+) GFLOP[)]'), 1)} and "
      f"{fmt(number('graph_160_32', r'[(]([0-9.]+) GFLOP[)]'), 2)}. ORT GFLOP/s below counts the graph's work.")
print()
print("| inference | ONNX Runtime img/s | PyTorch eager img/s | DJL img/s | ORT / PyTorch | ORT / DJL | ORT GFLOP/s (% of ceiling) | target |")
print("|---|---|---|---|---|---|---|---|")
targets = {("320", 1): 1.4, ("160", 2): 1.5}
for size, filters, batch in (("320", "64", 1), ("320", "64", 4), ("160", "32", 2)):
    ort, ref, djl = fps(f"infer_ort_{size}_b{batch}"), fps(f"infer_torch_{size}_b{batch}"), fps(f"infer_djl_{size}_b{batch}")
    gflop = number(f"graph_{size}_{filters}", r"\(([0-9.]+) GFLOP\)")
    rate = None if ort is None or gflop is None else ort * gflop
    pct = None if rate is None or not ceiling else 100 * rate / ceiling
    r = ratio(ort, ref)
    t = targets.get((size, batch))
    target = f"≥ {t}× PyTorch: {status(r, t)}" if t else "-"
    if size == "320" and batch == 1:
        target += f"; ≥ 90 % of ceiling: {status(pct, 90)}"
    print(f"| {size}/{filters} batch {batch} | {fmt(ort, 3)} | {fmt(ref, 3)} | {fmt(djl, 3)} | {fmt(r)} | {fmt(ratio(ort, djl))} | "
          f"{fmt(rate, 1)} ({fmt(pct, 1)} %) | {target} |")
exported = number("segment_export", r"model opened in ([0-9.]+) s")
print()
print(f"First engine=onnxruntime opening of the width-64 vgg19 bundle, which exports and caches model.onnx (reading the weights on the already started PyTorch engine, "
      f"weights, encoding, atomic write, ONNX Runtime session): {fmt(exported, 1)} s.")
print()
print("| segmentation of a 512×512×200 volume, width 64, batch 4 | slices segmented | model open s | segmentation s | slices/s | s for all 200 slices (at this rate) | peak RSS | peak Java heap | process wall s |")
print("|---|---|---|---|---|---|---|---|---|")
for name, label in (("segment_ort", "ONNX Runtime"), ("segment_djl", "DJL PyTorch")):
    t = text(name)
    m = re.search(r"segmented (\d+) slices in ([0-9.]+) s: ([0-9.]+) slices/s", t)
    opened = number(name, r"model opened in ([0-9.]+) s")
    rss = re.findall(r"peak RSS \(VmHWM\) (\d+ MB); RSS now", t)
    heap = re.findall(r"peak Java heap (\d+ MB)", t)
    wall = number(name, r"wall_ms: ([0-9]+)")
    full = None if not m else 200 / float(m.group(3))
    print(f"| {label} | {m.group(1) if m else 'n/a'} | {fmt(opened, 1)} | {m.group(2) if m else 'n/a'} | {m.group(3) if m else 'n/a'} | {fmt(full, 0)} | "
          f"{rss[-1] if rss else 'n/a'} | {heap[-1] if heap else 'n/a'} | {fmt(None if wall is None else wall / 1000, 1)} |")
