#!/usr/bin/env python3
"""Reference distribution-free confidence intervals for a median, from SciPy.

Run from the package root:  python3 Tests/OptimizerTests/Fixtures/generate_median_ci.py
(needs numpy and scipy >= 1.11). Writes Tests/OptimizerTests/Fixtures/median_ci.json: for
samples of several sizes (some with ties) and levels, the interval of
scipy.stats.quantile_test(x, q=median, p=0.5).confidence_interval(level), or null where SciPy
returns NaN (the sample is too short for the level).
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "median_ci.json")


def main() -> None:
    rng = np.random.default_rng(7)
    cases = []
    for n in [1, 2, 5, 6, 7, 9, 10, 11, 20, 21, 59, 60, 61, 100, 200, 1000]:
        for level in [0.8, 0.9, 0.95, 0.99]:
            x = rng.standard_normal(n) * 2 - 1
            if n >= 20:
                x[: n // 4] = np.round(x[: n // 4], 1)  # ties
            ci = stats.quantile_test(x, q=float(np.median(x)), p=0.5).confidence_interval(level)
            low, high = float(ci.low), float(ci.high)
            cases.append({
                "values": [float(v) for v in x],
                "level": level,
                "interval": None if math.isnan(low) or math.isnan(high) else [low, high],
            })
    with open(OUT, "w") as f:
        json.dump({"generator": "Tests/OptimizerTests/Fixtures/generate_median_ci.py",
                   "scipy": scipy.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
