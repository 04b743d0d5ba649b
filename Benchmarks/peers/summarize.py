#!/usr/bin/env python3
"""Build the tables of results/SUMMARY.md from results/speed-*.json and results/quality/*.json.

  summarize.py [--speed results/speed-DATE.json]   # prints Markdown to stdout
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
        cells = []
        for p in peers:
            r = res.get((prob, p))
            cells.append(f"{r['seconds_per_suggestion']:.3f}" if r else "—")
        out.append(f"| {prob} | " + " | ".join(cells) + " |")
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


if __name__ == "__main__":
    main()
