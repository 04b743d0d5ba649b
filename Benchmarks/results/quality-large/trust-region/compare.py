#!/usr/bin/env python3
"""Compare per-seed logs of `hdbench bench quality --budget 1000` with the trust region on
(trust-region/raw/) against the committed runs without it (../raw/), seed by seed.

  python3 compare.py            # prints Markdown tables

For every seed present in both: log10 regret after 100, 300, 500 and 1,000 evaluations, and
whether the first 300 evaluations are bit-identical (the trust region starts at n = 300).
"""
import glob
import json
import math
import os
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKPOINTS = [100, 300, 500, 1000]
# best_true_so_far holds the best noiseless value; regret = value − minimum
# (Sources/OptimizerBenchmarks/Benchmarking/TestFunction.swift).
MINIMUM = {"ackley20": 0.0, "rosenbrock10": 0.0, "levy10": 0.0, "styblinski_tang20": -39.166165703771416 * 20,
           "hartmann6_in20": -3.3223680114155143, "noisy_hartmann6_in20": -3.3223680114155143}


def load(path):
    runs = {}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    runs[r["seed"]] = r["best_true_so_far"]
    return runs


def lg(trace, k, minimum):
    return math.log10(max(trace[k - 1] - minimum, 1e-300))


def main():
    print("| problem | seed | off @100 / @300 / @500 / @1000 | on @100 / @300 / @500 / @1000 | Δ@1000 (on − off) | first 300 identical |")
    print("|---|---:|---|---|---:|---|")
    summary = []
    for on_path in sorted(glob.glob(os.path.join(HERE, "raw", "*.jsonl"))):
        problem = os.path.basename(on_path).split("__")[0]
        off = load(os.path.join(HERE, "..", "raw", f"{problem}__hdbench-bayesian__b1000.jsonl"))
        on = load(on_path)
        deltas = []
        for seed in sorted(set(on) & set(off)):
            a, b = off[seed], on[seed]
            fa = [lg(a, k, MINIMUM[problem]) for k in CHECKPOINTS]
            fb = [lg(b, k, MINIMUM[problem]) for k in CHECKPOINTS]
            same = a[:300] == b[:300]
            deltas.append(fb[-1] - fa[-1])
            print(f"| {problem} | {seed} | {' / '.join(f'{v:.2f}' for v in fa)} | {' / '.join(f'{v:.2f}' for v in fb)} "
                  f"| {fb[-1] - fa[-1]:+.2f} | {'yes' if same else 'NO'} |")
        if deltas:
            summary.append((problem, len(deltas), statistics.median(deltas), sum(d < -0.01 for d in deltas),
                            sum(d > 0.01 for d in deltas)))
    print()
    print("| problem | seeds | median Δ@1000 (on − off) | better / worse / within 0.01 with the trust region |")
    print("|---|---:|---:|---|")
    for problem, n, med, better, worse in summary:
        print(f"| {problem} | {n} | {med:+.2f} | {better} / {worse} / {n - better - worse} |")


main()
