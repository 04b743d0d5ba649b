#!/usr/bin/env python3
"""Reference results for hdbench's L-BFGS-B from SciPy's `minimize(method="L-BFGS-B")`.

Writes lbfgs.json next to this script. Run from anywhere:

    python3 Tests/OptimizerTests/Fixtures/generate_lbfgs.py

SciPy runs with its defaults except maxcor=10 (its default, stated for clarity),
gtol=1e-5 (pgtol, its default) and ftol = 1e7 * eps (factr = 1e7, its default), i.e. the
same stopping tests as LBFGSBOptions' defaults. Infinite bounds are written as null (JSON has
no infinity). The objectives are re-implemented in Swift in LBFGSBFixtureTests.swift; keep
the two in step.
"""
import json
import math
import pathlib

import numpy as np
import scipy
from scipy.optimize import minimize

INF = math.inf


def rosenbrock(x):
    """Chained Rosenbrock f = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)²."""
    x = np.asarray(x, dtype=float)
    f = np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)
    g = np.zeros_like(x)
    g[:-1] += -400.0 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * (x[1:] - x[:-1] ** 2)
    return float(f), g


# Quadratic ½ (x − c)ᵀ A (x − c) with A the tridiagonal matrix tridiag(−1, 4, −1), n = 6.
QUAD_N = 6
QUAD_A = 4.0 * np.eye(QUAD_N) - np.eye(QUAD_N, k=1) - np.eye(QUAD_N, k=-1)
QUAD_C = np.array([2.0, -3.0, 0.5, 1.5, -0.25, 3.0])


def quadratic(x):
    r = np.asarray(x, dtype=float) - QUAD_C
    g = QUAD_A @ r
    return float(0.5 * r @ g), g


# Corner problem: f = Σ wᵢ (xᵢ − cᵢ)² + (x₀ x₁ x₂)² / 10 with every cᵢ outside the box [−1, 1]³,
# so the minimiser is the corner (1, −1, 1).
CORNER_W = np.array([1.0, 2.0, 0.5])
CORNER_C = np.array([3.0, -2.5, 4.0])


def corner(x):
    x = np.asarray(x, dtype=float)
    prod = x[0] * x[1] * x[2]
    f = np.sum(CORNER_W * (x - CORNER_C) ** 2) + prod ** 2 / 10.0
    g = 2.0 * CORNER_W * (x - CORNER_C)
    g += 2.0 * prod / 10.0 * np.array([x[1] * x[2], x[0] * x[2], x[0] * x[1]])
    return float(f), g


OBJECTIVES = {"rosenbrock": rosenbrock, "quadratic": quadratic, "corner": corner}


def problem(name, objective, start, lower, upper):
    fun = OBJECTIVES[objective]
    bounds = list(zip([None if l == -INF else l for l in lower], [None if u == INF else u for u in upper]))
    res = minimize(
        fun, np.asarray(start, dtype=float), jac=True, method="L-BFGS-B", bounds=bounds,
        options={"maxcor": 10, "gtol": 1e-5, "ftol": 1e7 * np.finfo(float).eps, "maxiter": 15000, "maxfun": 15000},
    )
    # Extreme eigenvalues of the Hessian restricted to the variables strictly inside their
    # bounds at SciPy's x* (central differences of the gradient, step 1e-6): the tests turn
    # the stopping tolerances into a tolerance on x with it. None when no variable is free.
    x = res.x
    n = len(x)
    h = 1e-6
    hessian = np.array([(fun(x + h * e)[1] - fun(x - h * e)[1]) / (2 * h) for e in np.eye(n)])
    hessian = 0.5 * (hessian + hessian.T)
    free = [i for i in range(n) if lower[i] < x[i] < upper[i]]
    eigenvalues = np.linalg.eigvalsh(hessian[np.ix_(free, free)]) if free else None
    return {
        "name": name,
        "reducedHessianMinEigenvalue": float(eigenvalues[0]) if free else None,
        "reducedHessianMaxEigenvalue": float(eigenvalues[-1]) if free else None,
        "objective": objective,
        "start": list(map(float, start)),
        "lower": [None if l == -INF else float(l) for l in lower],
        "upper": [None if u == INF else float(u) for u in upper],
        "x": [float(v) for v in res.x],
        "f": float(res.fun),
        "nit": int(res.nit),
        "nfev": int(res.nfev),
        "success": bool(res.success),
        "message": str(res.message),
    }


def main():
    rosen10_start = [-1.2 if i % 2 == 0 else 1.0 for i in range(10)]
    problems = [
        problem("rosenbrock2-unbounded", "rosenbrock", [-1.2, 1.0], [-INF] * 2, [INF] * 2),
        # Optimum on the face x₀ = 0.5: x* = (0.5, 0.25).
        problem("rosenbrock2-bounded", "rosenbrock", [-1.2, 1.0], [-2.0, -2.0], [0.5, 2.0]),
        problem("rosenbrock10-unbounded", "rosenbrock", rosen10_start, [-INF] * 10, [INF] * 10),
        # Upper bounds below 1 on alternate variables: several active at the solution.
        problem("rosenbrock10-bounded", "rosenbrock", rosen10_start,
                [-2.0] * 10, [0.8 if i % 2 == 0 else 2.0 for i in range(10)]),
        problem("quadratic6-active-bounds", "quadratic", [0.0] * QUAD_N,
                [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
        problem("corner3", "corner", [0.0, 0.0, 0.0], [-1.0] * 3, [1.0] * 3),
        # One-sided and infinite bounds: x₀ ≥ 1.5 (lower only), x₂ ≤ 0.5 (upper only), x₁ and
        # x₃ free.
        problem("rosenbrock4-one-sided", "rosenbrock", [2.0, 2.0, 0.0, 0.0],
                [1.5, -INF, -INF, -INF], [INF, INF, 0.5, INF]),
        # Quadratic with mixed one-sided bounds, starting outside the box (projected first).
        problem("quadratic6-one-sided", "quadratic", [5.0, 5.0, -5.0, 0.0, 0.0, 9.0],
                [-INF, -1.0, 1.0, -INF, 0.0, -INF], [1.0, INF, INF, INF, INF, 2.0]),
    ]
    out = {
        "generator": "generate_lbfgs.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "options": {"maxcor": 10, "gtol": 1e-5, "ftol": 1e7 * float(np.finfo(float).eps)},
        "problems": problems,
    }
    path = pathlib.Path(__file__).resolve().parent / "lbfgs.json"
    path.write_text(json.dumps(out, indent=2, allow_nan=False) + "\n")
    for p in problems:
        print(f"{p['name']:28s} f*={p['f']:.6g} nit={p['nit']} nfev={p['nfev']} x*={np.round(p['x'], 5)} λmin={p['reducedHessianMinEigenvalue']} {p['message']}")


if __name__ == "__main__":
    main()
