"""Tables of issue 22's benchmarks against the reference recipe (no third-party imports).

  recipe_table.py train WORK ROUNDS   from recipe_train.sh's WORK/{recipe,plugin}_R.csv, metrics_R.csv, raw/
  recipe_table.py infer RAW           from recipe_infer.sh's RAW/*.txt
"""
import csv
import glob
import os
import re
import statistics
import sys


def rows(path, loss="train_loss", dice="val_dice"):
    with open(path) as f:
        return [(float(r[loss]), float(r[dice]), float(r["seconds"])) for r in csv.DictReader(f)]


def held_out(path):
    if not os.path.exists(path): return None
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["case"] == "global": return float(r["dice"])
    return None


def fmt(values, digits=3):
    return ", ".join(("%." + str(digits) + "f") % v for v in values)


def train(work, rounds):
    env = open(os.path.join(work, "raw", "environment.txt")).read().strip()
    print("```\n" + env + "\n```\n")
    print("| round | run | train loss per epoch | validation Dice per epoch (recipe's metric) | best | held-out volume Dice | s/epoch (median; all) |")
    print("|---|---|---|---|---|---|---|")
    gaps, ratios = [], []
    for r in range(1, rounds + 1):
        rec = rows(os.path.join(work, "recipe_%d.csv" % r))
        ours = rows(os.path.join(work, "plugin_%d.csv" % r))
        h = held_out(os.path.join(work, "metrics_%d.csv" % r))
        for name, data, ho in (("recipe (TF)", rec, None), ("plugin (default keys)", ours, h)):
            secs = [x[2] for x in data]
            print("| %d | %s | %s | %s | %.3f | %s | %.1f; %s |" % (r, name, fmt([x[0] for x in data]), fmt([x[1] for x in data]),
                                                              max(x[1] for x in data), "-" if ho is None else "%.3f" % ho,
                                                              statistics.median(secs), fmt(secs, 1)))
        gap = [abs(o[0] - c[0]) / c[0] for o, c in zip(ours, rec)]
        gaps.append(gap)
        ratios.append(statistics.median([x[2] for x in rec]) / statistics.median([x[2] for x in ours]))
    print()
    print("| round | train-loss gap per epoch, \\|plugin − recipe\\| / recipe | largest | epoch speed, recipe s / plugin s (medians) |")
    print("|---|---|---|---|")
    for r, (gap, ratio) in enumerate(zip(gaps, ratios), 1):
        print("| %d | %s | %.1f %% | %.2f× |" % (r, ", ".join("%.1f %%" % (100 * g) for g in gap), 100 * max(gap), ratio))
    print()
    print("Goals: plugin epoch no slower than the recipe's (ratio ≥ 1): %s; train-loss curve within 5 %% at every epoch: %s." % (
        "met" if min(ratios) >= 1 else "NOT met (%.2f× to %.2f×)" % (min(ratios), max(ratios)),
        "met" if max(max(g) for g in gaps) <= 0.05 else "NOT met (largest %.1f %%)" % (100 * max(max(g) for g in gaps))))


def field(text, pattern):
    m = re.findall(pattern, text)
    return float(m[-1]) if m else None


def infer(raw):
    """raw/<system>_<config>_r<round>.txt: system in recipe, torch, plugin (default engine), djl."""
    env = open(os.path.join(raw, "environment.txt")).read().strip()
    print("```\n" + env + "\n```\n")
    data = {}
    for path in sorted(glob.glob(os.path.join(raw, "*_r*.txt"))):
        m = re.match(r"(recipe|torch|plugin|djl)_(.+)_r(\d+)\.txt$", os.path.basename(path))
        if not m: continue
        text = open(path).read()
        lat = field(text, r"Latency:\s*([0-9.]+)\s*m?sec") or field(text, r"Latency[^0-9]*([0-9.]+) ms")
        thr = field(text, r"Throughput(?:/FPS)?:?\s*([0-9.]+)")
        eng = re.findall(r"engine[:=] ?'?(\w+)", text)
        data.setdefault(m.group(2), {}).setdefault(m.group(1), []).append((int(m.group(3)), lat, thr, eng[-1] if eng else ""))
    names = {"recipe": "recipe TF (benchmark_inference.py)", "torch": "PyTorch 2.13 eager", "plugin": "plugin default engine", "djl": "plugin engine=pytorch"}
    print("| configuration | system | latency ms per batch (rounds) | throughput img/s (rounds) | ratio to the recipe, per round |")
    print("|---|---|---|---|---|")
    verdicts = []
    for cfg in sorted(data):
        rec = {r: t for r, _, t, _ in data[cfg].get("recipe", [])}
        for system in ("recipe", "torch", "plugin", "djl"):
            if system not in data[cfg]: continue
            rs = sorted(data[cfg][system])
            ratio = [t / rec[r] for r, _, t, _ in rs if r in rec and t and rec[r]]
            print("| %s | %s | %s | %s | %s |" % (cfg, names[system], fmt([x[1] or 0 for x in rs], 1), fmt([x[2] or 0 for x in rs], 3),
                                                 "-" if system == "recipe" else fmt(ratio, 2) + "×"))
            if system == "plugin" and ratio: verdicts.append((cfg, min(ratio), max(ratio)))
    print()
    for cfg, lo, hi in verdicts:
        print("- %s: plugin default %.2f–%.2f× the recipe: %s" % (cfg, lo, hi, "≥ 1.5× met" if lo >= 1.5 else "≥ 1.5× NOT met"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "infer":
        infer(sys.argv[2])
    else:
        sys.exit(__doc__)
