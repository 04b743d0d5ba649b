#!/usr/bin/env python3
"""Time one suggestion of each Python peer given a history of N observations.

History: N points of a scrambled Sobol sequence (scipy.stats.qmc.Sobol, seed 0)
on [0,1]^d, valued by Hartmann-6 when d = 6, else by Ackley on [0,1]^d scaled to
[-32.768, 32.768]^d. Each repeat builds a fresh optimizer, tells it the history
(untimed), and times the one call that fits the surrogate and maximises the
acquisition:

  optuna    GPSampler(seed=0): study.add_trials(N FrozenTrials), time
            study.ask(fixed_distributions) -- the GP fit and acquisition
            optimisation happen in the sampler's sample_relative, which the
            first suggest_* of the asked trial triggers; passing the
            distributions makes ask() do those suggests.
  skopt     Optimizer(dimensions=[(0.0,1.0)]*d, base_estimator="GP",
            acq_func="EI", acq_optimizer="lbfgs", random_state=0): the first
            N-1 points are told with fit=False; the timed section is
            tell(last point) + ask(), because skopt fits the GP and optimises
            the acquisition inside tell() and ask() only returns the cached
            point.
  bayesopt  BayesianOptimization(f=None, pbounds, random_state=0): register N
            points (stores only), time suggest() (GP fit + acquisition, default
            acquisition function). bayes_opt maximises: it is told -f.

Before the timed repeats, each peer runs once untimed on a 20-point history so
lazy imports and first-call costs are not charged to the first repeat.

Single-threaded: run with OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
OPENBLAS_NUM_THREADS=1 (set below before numpy/torch load if absent).
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import statistics
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import problems  # noqa: E402

PEERS = ("optuna", "skopt", "bayesopt")


def history(n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import qmc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "balance properties" warning for n not a power of 2
        x = qmc.Sobol(d, scramble=True, seed=0).random(n)
    if d == 6:
        y = np.array([problems.hartmann6(r) for r in x])
    else:
        y = np.array([problems.ackley(r * 65.536 - 32.768) for r in x])
    return x, y


def time_optuna(x: np.ndarray, y: np.ndarray) -> float:
    import optuna
    from optuna.distributions import FloatDistribution

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    d = x.shape[1]
    dists = {f"x{i}": FloatDistribution(0.0, 1.0) for i in range(d)}
    study = optuna.create_study(sampler=optuna.samplers.GPSampler(seed=0), direction="minimize")
    study.add_trials(
        [
            optuna.trial.create_trial(params={f"x{i}": float(r[i]) for i in range(d)},
                                      distributions=dists, value=float(v))
            for r, v in zip(x, y)
        ]
    )
    t0 = time.perf_counter()
    trial = study.ask(dists)
    dt = time.perf_counter() - t0
    assert len(trial.params) == d
    return dt


def time_skopt(x: np.ndarray, y: np.ndarray) -> float:
    from skopt import Optimizer

    d = x.shape[1]
    opt = Optimizer(dimensions=[(0.0, 1.0)] * d, base_estimator="GP", acq_func="EI",
                    acq_optimizer="lbfgs", random_state=0)
    xs = x.tolist()
    ys = y.tolist()
    opt.tell(xs[:-1], ys[:-1], fit=False)
    t0 = time.perf_counter()
    opt.tell(xs[-1], ys[-1], fit=True)
    nxt = opt.ask()
    dt = time.perf_counter() - t0
    assert len(nxt) == d
    return dt


def time_bayesopt(x: np.ndarray, y: np.ndarray) -> float:
    from bayes_opt import BayesianOptimization

    d = x.shape[1]
    bo = BayesianOptimization(f=None, pbounds={f"x{i}": (0.0, 1.0) for i in range(d)},
                              random_state=0, verbose=0, allow_duplicate_points=True)
    for r, v in zip(x, y):
        bo.register(params={f"x{i}": float(r[i]) for i in range(d)}, target=-float(v))
    t0 = time.perf_counter()
    nxt = bo.suggest()
    dt = time.perf_counter() - t0
    assert len(nxt) == d
    return dt


TIMERS = {"optuna": time_optuna, "skopt": time_skopt, "bayesopt": time_bayesopt}


def versions(peer: str) -> dict:
    import importlib.metadata as md

    pkgs = {"optuna": ["optuna", "torch", "scipy", "numpy"],
            "skopt": ["scikit-optimize", "scikit-learn", "scipy", "numpy"],
            "bayesopt": ["bayesian-optimization", "scikit-learn", "scipy", "numpy"]}[peer]
    out = {p: md.version(p) for p in pkgs}
    out["python"] = sys.version.split()[0]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True, help="history size")
    ap.add_argument("--d", type=int, default=6, help="dimension (6 = Hartmann-6, else scaled Ackley)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--json", action="store_true", help="print one JSON object per peer per line")
    args = ap.parse_args()

    warnings.filterwarnings("ignore")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass

    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    for p in peers:
        if p not in TIMERS:
            raise SystemExit(f"unknown peer {p!r}; known: {', '.join(PEERS)}")
    x, y = history(args.n, args.d)
    xw, yw = history(20, args.d)
    for p in peers:
        TIMERS[p](xw, yw)  # warm-up, untimed
        times = [TIMERS[p](x, y) for _ in range(args.repeats)]
        rec = {"peer": p, "n": args.n, "d": args.d,
               "suggest_seconds": statistics.median(times),
               "suggest_seconds_min": min(times),
               "versions": versions(p)}
        if args.json:
            print(json.dumps(rec), flush=True)
        else:
            print(f"{p:9s} n={args.n:5d} d={args.d:2d}  median {rec['suggest_seconds']:.4f} s"
                  f"  min {rec['suggest_seconds_min']:.4f} s  ({args.repeats} repeats)", flush=True)


if __name__ == "__main__":
    main()
