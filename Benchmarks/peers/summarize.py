#!/usr/bin/env python3
"""Build the tables of results/SUMMARY.md from results/speed-*.json and results/quality/*.json.

  summarize.py [--speed results/speed-DATE.json]   # prints Markdown to stdout

The large-budget table (problems.LARGE_PROBLEMS, budget 1,000) also reads hdbench's results in
../results/quality-large/*.json and needs scipy for the median's 95 % interval.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import problems  # noqa: E402

PEERS = ["random", "optuna-tpe", "optuna-gp", "skopt", "botorch"]
LARGE_SAMPLERS = ["hdbench-bayesian", "optuna-cmaes", "optuna-tpe", "random"]
LARGE_CHECKPOINTS = [100, 500, 1000]


def speed_table(path: str) -> str:
    rows = json.load(open(path))
    ns = sorted({r["n"] for r in rows})
    peers = [p for p in ("optuna", "skopt", "bayesopt") if any(r["peer"] == p for r in rows)]
    out = [f"Seconds per suggestion, d = 6 (Hartmann-6 history), median (min) over repeats; `{os.path.basename(path)}`.", "",
           "| n | " + " | ".join(peers) + " |", "|---:|" + "---:|" * len(peers)]
    for n in ns:
        cells = []
        for p in peers:
            r = [x for x in rows if x["n"] == n and x["peer"] == p]
            cells.append(f"{r[0]['suggest_seconds']:.3f} ({r[0]['suggest_seconds_min']:.3f})" if r else "skipped")
        out.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def quality_table() -> str:
    res = {}
    for f in glob.glob(os.path.join(HERE, "results", "quality", "*.json")):
        r = json.load(open(f))
        res[(r["problem"], r["sampler"])] = r
    peers = [p for p in PEERS if any(k[1] == p for k in res)]

    def at(r, k):
        if k not in r["checkpoints"]:
            return None
        return r["log10_regret"]["median"][r["checkpoints"].index(k)]

    out = ["Median log10 regret after 50 / 100 evaluations (lower is better; -12 = optimum hit). "
           "Cell: `@50 / @100 (seeds)`.", "",
           "| problem | " + " | ".join(peers) + " |", "|---|" + "---|" * len(peers)]
    for prob in problems.PROBLEMS:
        if prob in problems.LARGE_PROBLEMS:
            continue
        cells = []
        for p in peers:
            r = res.get((prob, p))
            if r is None:
                cells.append("—")
                continue
            a, b = at(r, 50), at(r, 100)
            fa = f"{a:.2f}" if a is not None else "—"
            fb = f"{b:.2f}" if b is not None else "—"
            cells.append(f"{fa} / {fb} ({r['seeds']})")
        out.append(f"| {prob} | " + " | ".join(cells) + " |")
    out += ["", "Seconds per suggestion (mean over all suggestions of all seeds, objective time excluded):", "",
            "| problem | " + " | ".join(peers) + " |", "|---|" + "---|" * len(peers)]
    for prob in problems.PROBLEMS:
        if prob in problems.LARGE_PROBLEMS:
            continue
        cells = []
        for p in peers:
            r = res.get((prob, p))
            cells.append(f"{r['seconds_per_suggestion']:.3f}" if r else "—")
        out.append(f"| {prob} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def median_interval(values: list) -> tuple | None:
    """The distribution-free 95 % interval of the median (SciPy's quantile_test), None below 6 values."""
    import math

    from scipy import stats

    if len(values) < 6:
        return None
    ci = stats.quantile_test(values, q=float(sorted(values)[len(values) // 2]), p=0.5).confidence_interval(0.95)
    return None if math.isnan(ci.low) or math.isnan(ci.high) else (float(ci.low), float(ci.high))


def large_table() -> str:
    res = {}
    for pattern in (os.path.join(HERE, "results", "quality", "*.json"),
                    os.path.join(HERE, "..", "results", "quality-large", "*.json")):
        for f in glob.glob(pattern):
            r = json.load(open(f))
            if r["problem"] in problems.LARGE_PROBLEMS and r["budget"] == max(LARGE_CHECKPOINTS):
                res[(r["problem"], r["sampler"])] = r
    head = "| problem | " + " | ".join(LARGE_SAMPLERS) + " |"
    rule = "|---|" + "---|" * len(LARGE_SAMPLERS)

    def rows(cell) -> list:
        out = []
        for prob in problems.LARGE_PROBLEMS:
            r = [res.get((prob, s)) for s in LARGE_SAMPLERS]
            out.append(f"| {prob} | " + " | ".join("—" if x is None else cell(x) for x in r) + " |")
        return out

    def checkpoints_cell(r) -> str:
        m = [r["log10_regret"]["median"][r["checkpoints"].index(k)] for k in LARGE_CHECKPOINTS]
        return " / ".join(f"{v:.2f}" for v in m) + f" ({r['seeds']})"

    def final_cell(r) -> str:
        ci = median_interval(r["per_seed_final"])
        m = r["log10_regret"]["median"][-1]
        cell = f"{m:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else f"{m:.2f} (n={r['seeds']})"
        return cell + f", {r['seconds_per_suggestion']:.3f} s"

    out = [f"Median log10 regret after {' / '.join(map(str, LARGE_CHECKPOINTS))} evaluations (one run of budget "
           f"{max(LARGE_CHECKPOINTS)} per seed; lower is better). Cell: `@100 / @500 / @1000 (seeds)`.", "", head, rule]
    out += rows(checkpoints_cell)
    out += ["", f"At {max(LARGE_CHECKPOINTS)} evaluations: median [95 % interval of the median] "
            "(distribution-free, SciPy's quantile_test; `n=S` where fewer than 6 seeds), and seconds per suggestion.", "",
            head, rule]
    out += rows(final_cell)
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speed", default=None)
    args = ap.parse_args()
    speed = args.speed or (sorted(glob.glob(os.path.join(HERE, "results", "speed-*.json"))) or [None])[-1]
    if speed:
        print("## Speed\n")
        print(speed_table(speed))
        print()
    print("## Quality (budget 100)\n")
    print(quality_table())
    print()
    print("## Quality at budget 1,000, dimension 10-20\n")
    print(large_table())


if __name__ == "__main__":
    main()
