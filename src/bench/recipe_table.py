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
    gaps, ratios = {}, {}
    for r in range(1, rounds + 1):
        paths = {k: os.path.join(work, "%s_%d.csv" % (k, r)) for k in ("recipe", "plugin")}
        rec = rows(paths["recipe"]) if os.path.exists(paths["recipe"]) else None
        ours = rows(paths["plugin"]) if os.path.exists(paths["plugin"]) else None
        h = held_out(os.path.join(work, "metrics_%d.csv" % r))
        for name, data, ho in (("recipe (TF)", rec, None), ("plugin (default keys)", ours, h)):
            if data is None:
                print("| %d | %s | not run | | | | |" % (r, name))
                continue
            secs = [x[2] for x in data]
            print("| %d | %s | %s | %s | %.3f | %s | %.1f; %s |" % (r, name, fmt([x[0] for x in data]), fmt([x[1] for x in data]),
                                                              max(x[1] for x in data), "-" if ho is None else "%.3f" % ho,
                                                              statistics.median(secs), fmt(secs, 1)))
        if rec and ours:
            gaps[r] = [abs(o[0] - c[0]) / c[0] for o, c in zip(ours, rec)]
            ratios[r] = statistics.median([x[2] for x in rec]) / statistics.median([x[2] for x in ours])
    print()
    print("| round | train-loss gap per epoch, \\|plugin − recipe\\| / recipe | largest | epoch speed, recipe s / plugin s (medians) |")
    print("|---|---|---|---|")
    for r in sorted(gaps):
        print("| %d | %s | %.1f %% | %.2f× |" % (r, ", ".join("%.1f %%" % (100 * g) for g in gaps[r]), 100 * max(gaps[r]), ratios[r]))
    print()
    if gaps:
        lo, hi, worst = min(ratios.values()), max(ratios.values()), max(max(g) for g in gaps.values())
        print("Goals: plugin epoch no slower than the recipe's (ratio ≥ 1): %s; train-loss curve within 5 %% at every epoch: %s." % (
            "met (%.2f× to %.2f×)" % (lo, hi) if lo >= 1 else "NOT met (%.2f× to %.2f×)" % (lo, hi),
            "met (largest %.1f %%)" % (100 * worst) if worst <= 0.05 else "NOT met (largest %.1f %%)" % (100 * worst)))


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
        lat = field(text, r"Latency:\s*([0-9.]+)\s*msec")
        thr = field(text, r"Throughput/FPS:\s*([0-9.]+)")
        cpu = field(text, r"CPU: ([0-9.]+) msec per batch")
        load = field(text, r"loadavg after: ([0-9.]+)")
        if thr is None: continue
        data.setdefault(m.group(2), {}).setdefault(m.group(1), []).append((int(m.group(3)), lat, thr, cpu, load))
    names = {"recipe": "recipe TF 2.21 (its benchmark_inference.py)", "torch": "PyTorch 2.13 eager", "plugin": "plugin, default engine (auto)",
             "djl": "plugin, engine=pytorch (DJL 2.7.1)"}
    print("| configuration | system | latency ms/batch (rounds) | throughput img/s (rounds) | wall ratio to the recipe | CPU ms/batch (rounds) | CPU-time ratio to the recipe | 1-min load after |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for cfg in sorted(data):
        rec = {r: (t, c) for r, _, t, c, _ in data[cfg].get("recipe", [])}
        for system in ("recipe", "torch", "plugin", "djl"):
            if system not in data[cfg]: continue
            rs = sorted(data[cfg][system])
            wall = [t / rec[r][0] for r, _, t, _, _ in rs if r in rec]
            cpu = [rec[r][1] / c for r, _, _, c, _ in rs if r in rec and c and rec[r][1]]
            print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (cfg, names[system], fmt([x[1] or 0 for x in rs], 1), fmt([x[2] for x in rs], 3),
                  "-" if system == "recipe" else fmt(wall, 2) + "×", fmt([x[3] or 0 for x in rs], 1),
                  "-" if system == "recipe" else fmt(cpu, 2) + "×", fmt([x[4] or 0 for x in rs], 1)))
            if system == "plugin": verdicts.append((cfg, wall, cpu))
    print()
    for cfg, wall, cpu in verdicts:
        print("- %s: plugin default at %s× the recipe in wall time, %s× in CPU time per batch: ≥ 1.5× %s (wall), %s (CPU)" % (
            cfg, fmt(wall, 2), fmt(cpu, 2), "met" if wall and min(wall) >= 1.5 else "NOT met", "met" if cpu and min(cpu) >= 1.5 else "NOT met"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "infer":
        infer(sys.argv[2])
    else:
        sys.exit(__doc__)
