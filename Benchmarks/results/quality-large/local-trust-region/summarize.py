#!/usr/bin/env python3
"""Tables of the local trust region's budget-1,000 runs (raw/: k = 500 and k = 200 nearest rows) against the peers' runs
(Benchmarks/peers/results/quality/raw/, CMA-ES and random 20 seeds, TPE 1) and hdbench's
global-GP and trust-region runs of the same seeds (../raw/, ../trust-region/raw/).

  /work/venv-peers/bin/python summarize.py     # needs SciPy for the intervals

log10 simple regret of the best noiseless value after 100 / 300 / 500 / 1,000 evaluations;
medians with the distribution-free 95 % interval of the median (SciPy's quantile_test, as
Benchmarks/peers/summarize.py) from 6 seeds on.
"""
import glob
import json
import math
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "peers"))
from summarize import median_interval  # noqa: E402

CHECKPOINTS = [100, 300, 500, 1000]
MINIMUM = {"ackley20": 0.0, "rosenbrock10": 0.0, "levy10": 0.0, "styblinski_tang20": -39.166165703771416 * 20,
           "hartmann6_in20": -3.3223680114155143, "noisy_hartmann6_in20": -3.3223680114155143}
PEERS = os.path.join(HERE, "..", "..", "..", "peers", "results", "quality", "raw")


def load(path, problem):
    runs = {}
    for f in glob.glob(path):
        with open(f) as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    b = r["best_true_so_far"]
                    runs[r["seed"]] = [math.log10(max(b[k - 1] - MINIMUM[problem], 1e-300)) for k in CHECKPOINTS]
    return runs


def cell(runs, k=-1):
    if not runs:
        return "—"
    v = [r[k] for r in runs.values()]
    m = statistics.median(v)
    ci = median_interval(v)
    return (f"{m:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else f"{m:.2f}") + f" ({len(v)})"


def main():
    columns = {
        "local 500": lambda p: load(os.path.join(HERE, "raw", f"{p}__*trust_region_local=500,*.jsonl"), p),
        "local 200": lambda p: load(os.path.join(HERE, "raw", f"{p}__*trust_region_local=200,*.jsonl"), p),
        "global GP (default)": lambda p: load(os.path.join(HERE, "..", "raw", f"{p}__hdbench-bayesian__b1000.jsonl"), p),
        "CMA-ES": lambda p: load(os.path.join(PEERS, f"{p}__optuna-cmaes__b1000.jsonl"), p),
        "TPE": lambda p: load(os.path.join(PEERS, f"{p}__optuna-tpe__b1000.jsonl"), p),
        "random": lambda p: load(os.path.join(PEERS, f"{p}__random__b1000.jsonl"), p),
    }
    print("At 1,000 evaluations: median log10 regret [95 % interval of the median] (seeds).\n")
    print("| problem | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    data = {p: {c: f(p) for c, f in columns.items()} for p in MINIMUM}
    for p in MINIMUM:
        print(f"| {p} | " + " | ".join(cell(data[p][c]) for c in columns) + " |")
    print("\nMedian after 100 / 300 / 500 / 1,000 evaluations of the same runs.\n")
    print("| problem | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for p in MINIMUM:
        row = []
        for c in columns:
            runs = data[p][c]
            row.append(" / ".join(f"{statistics.median(r[i] for r in runs.values()):.2f}" for i in range(4)) if runs else "—")
        print(f"| {p} | " + " | ".join(row) + " |")
    print("\nPer seed, log10 regret at 1,000: local 500 / local 200 / global GP (— where not run).\n")
    print("| problem | seed: local 500 / local 200 / global GP |")
    print("|---|---|")
    for p in MINIMUM:
        runs = [data[p][c] for c in ("local 500", "local 200", "global GP (default)")]
        seeds = sorted(set().union(*runs))
        items = [f"{s}: " + " / ".join(f"{r[s][-1]:.2f}" if s in r else "—" for r in runs) for s in seeds]
        print(f"| {p} | " + ", ".join(items) + " |")


if __name__ == "__main__":
    main()
