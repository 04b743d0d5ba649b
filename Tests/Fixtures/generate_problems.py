#!/usr/bin/env python3
"""Reference values for the quality benchmark's test problems and its quantiles.

Run from the package root:  python3 Tests/Fixtures/generate_problems.py
(needs numpy; uses the Python peers' problem definitions, Benchmarks/peers/problems.py, which
were written separately from the Swift ones, from the Virtual Library of Simulation Experiments).

Writes Tests/Fixtures/problems.json:
  problems.<name>.optimum     the optimum both sides measure regret against
  problems.<name>.minimiser   a documented minimiser (Virtual Library / our polished one)
  problems.<name>.points      12 points drawn uniformly over the domain (numpy seed 2026)
  problems.<name>.values      the noiseless objective at each point (Python, float64)
  quantiles                   numpy.percentile (linear interpolation) of a few samples
The Swift test checks that both implementations agree and that regret summaries are NumPy's.
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "peers"))
import problems  # noqa: E402

H6_MINIMISER = [0.2016895, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730053]


def _in20(dummy: float) -> dict:
    """Hartmann-6's minimiser in the active coordinates of the 20-D embedding, `dummy` elsewhere."""
    x = {f"x{i}": dummy for i in range(1, 21)}
    for i, v in zip(problems.H6_IN20_ACTIVE, H6_MINIMISER):
        x[f"x{i}"] = v
    return x


MINIMISERS = {
    "branin": {"x1": float(np.pi), "x2": 2.275},
    "hartmann3": {"x1": 0.11458886, "x2": 0.55564889, "x3": 0.85254698},
    "hartmann6": dict(zip([f"x{i}" for i in range(1, 7)],
                          [0.2016895, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730053])),
    "ackley5": {f"x{i}": 0.0 for i in range(1, 6)},
    "ackley10": {f"x{i}": 0.0 for i in range(1, 11)},
    "rosenbrock4": {f"x{i}": 1.0 for i in range(1, 5)},
    "levy6": {f"x{i}": 1.0 for i in range(1, 7)},
    "styblinski_tang8": {f"x{i}": -2.903534027771178 for i in range(1, 9)},
    "mixed_hartmann6": {"x1": 0.4046532848659647, "x2": 0.8824337362532035, "x3": 0.8462524802250833,
                        "x4": 0.5739793993800123, "k5": 1, "k6": 0, "shift": "a"},
    "noisy_hartmann6": dict(zip([f"x{i}" for i in range(1, 7)],
                                [0.2016895, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730053])),
    "very_noisy_hartmann6": dict(zip([f"x{i}" for i in range(1, 7)],
                                     [0.2016895, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730053])),
    "ackley20": {f"x{i}": 0.0 for i in range(1, 21)},
    "rosenbrock10": {f"x{i}": 1.0 for i in range(1, 11)},
    "levy10": {f"x{i}": 1.0 for i in range(1, 11)},
    "styblinski_tang20": {f"x{i}": -2.903534027771178 for i in range(1, 21)},
    "hartmann6_in20": _in20(0.37),
    "noisy_hartmann6_in20": _in20(0.81),
}


def main() -> None:
    rng = np.random.default_rng(2026)
    out = {"generator": "Tests/Fixtures/generate_problems.py", "numpy": np.__version__, "problems": {}}
    for name in problems.PROBLEMS:
        p = problems.make_problem(name)
        points = [p.sample_random(rng) for _ in range(12)]
        minimiser = MINIMISERS[name]
        out["problems"][name] = {
            "optimum": p.optimum,
            "noise_sd": p.noise_sd,
            "minimiser": minimiser,
            "minimiser_value": p.evaluate_true(minimiser),
            "points": points,
            "values": [p.evaluate_true(q) for q in points],
        }
    samples = [list(rng.normal(size=n)) for n in (1, 2, 5, 20)]
    out["quantiles"] = [{"xs": xs, "q": q, "value": float(np.percentile(xs, 100 * q))}
                        for xs in samples for q in (0.25, 0.5, 0.75)]
    path = os.path.join(ROOT, "Tests", "Fixtures", "problems.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
