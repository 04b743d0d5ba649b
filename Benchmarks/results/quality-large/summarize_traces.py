#!/usr/bin/env python3
"""Summarise `hdbench bench quality --trace` files of the 10-20-D problems (what the surrogate
believed when it chose each point), per window of trials.

  summarize_traces.py TRACE.jsonl [...]     # prints a Markdown table

Per problem and window of trial indices: suggestions traced, the median over suggestions of the
geometric mean length scale (unit cube; d^(1/2) is the cube's diagonal), for hartmann6_in20 the
median length scale of its six active and 14 dummy coordinates, the median noise and signal
variance (standardised units), the share of suggestions with half or more coordinates on a
bound of the cube, the median Euclidean distance (unit cube) from each suggestion to the best
point suggested before it by the surrogate in the same seed (the initial design is not traced),
and the share of suggestions that improved on the best noiseless value so far.
"""
import json
import math
import os
import statistics
import sys

ACTIVE = [3, 6, 9, 12, 15, 18]  # problems.H6_IN20_ACTIVE
WINDOWS = [(10, 100), (100, 500), (500, 1000)]


def main() -> None:
    rows = {}
    for path in sys.argv[1:]:
        problem = os.path.basename(path).split("-s")[0]
        with open(path) as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        best = {}
        for r in sorted(records, key=lambda r: (r["seed"], r["trial"])):
            previous = best.get(r["seed"])
            r["distance"] = math.dist(r["point"], previous[1]) if previous else math.nan
            r["improved"] = previous is not None and r["noiseless_value"] < previous[0]
            if previous is None or r["noiseless_value"] < previous[0]:
                best[r["seed"]] = (r["noiseless_value"], r["point"])
            rows.setdefault(problem, []).append(r)
    print("| problem | trials | suggestions | median geo-mean ℓ | ℓ active / dummy (H6-in-20) | σ²ₙ | σ² | ≥ half on bounds "
          "| distance to best | improved |")
    print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for problem in sorted(rows):
        for lo, hi in WINDOWS:
            rs = [r for r in rows[problem] if lo <= r["trial"] < hi]
            if not rs:
                continue
            geo = statistics.median(math.exp(statistics.fmean(math.log(l) for l in r["length_scales"])) for r in rs)
            split = "—"
            if "hartmann6_in20" in problem:
                act = statistics.median(statistics.median(r["length_scales"][i - 1] for i in ACTIVE) for r in rs)
                dum = statistics.median(statistics.median(l for i, l in enumerate(r["length_scales"], 1) if i not in ACTIVE) for r in rs)
                split = f"{act:.2f} / {dum:.2f}"
            noise = statistics.median(r["noise_variance"] for r in rs)
            signal = statistics.median(r["signal_variance"] for r in rs)
            bounds = sum(2 * r["coordinates_on_bounds"] >= len(r["point"]) for r in rs) / len(rs)
            distances = [r["distance"] for r in rs if not math.isnan(r["distance"])]
            distance = statistics.median(distances) if distances else math.nan
            improved = sum(r["improved"] for r in rs) / len(rs)
            print(f"| {problem} | {lo}–{hi - 1} | {len(rs)} | {geo:.2f} | {split} | {noise:.2e} | {signal:.2f} | {100 * bounds:.0f}% "
                  f"| {distance:.3f} | {100 * improved:.1f}% |")


if __name__ == "__main__":
    main()
