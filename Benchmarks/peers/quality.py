#!/usr/bin/env python3
"""Run full optimisations of test functions with known optima and report regret.

  quality.py --problem NAME --peer NAME --budget N --seeds S [--json OUT] [--raw DIR]

Seeds 0..S-1 are run one after another. Each finished seed is appended to a raw
JSON-lines file (default results/quality/raw/<problem>__<peer>__b<budget>.jsonl);
seeds already present there are not re-run, so an interrupted run resumes. The
aggregate (schema in README.md) is computed from the first S seeds and written
to --json OUT (default results/quality/<problem>__<peer>.json), or printed
when OUT is "-".

Peers (all minimising; each gets seed s for run s):
  random      uniform independent sampling (numpy default_rng(seed)).
  optuna-tpe  optuna TPESampler(seed=seed), defaults (10 random startup trials). In
              optuna 5.0 the default is the multivariate TPE for single-objective
              studies (`multivariate=None` resolves to True; one joint Parzen
              estimator over all parameters, Falkner et al. 2018) with constant_liar=True.
  optuna-cmaes
              optuna CmaEsSampler(seed=seed), defaults (needs the `cmaes` package;
              1 random startup trial, x0 the domain's centre, sigma0 = 1/6 of the
              domain's width, population 4 + floor(3 ln d), no restarts).
  optuna-gp   optuna GPSampler(seed=seed), defaults (10 random startup trials).
  skopt       skopt.gp_minimize(n_calls=budget, random_state=seed), defaults
              (10 random initial points, gp_hedge, acq_optimizer "auto").
  skopt-noiseless, skopt-ei, skopt-init20
              diagnostics: gp_minimize with one default changed (noise=1e-10,
              acq_func="EI", n_initial_points=20; SKOPT_VARIANTS).
  botorch     SingleTaskGP (MixedSingleTaskGP on the mixed problem) +
              LogExpectedImprovement on the unit cube, scrambled Sobol init of
              max(5, 2d) points, optimize_acqf(num_restarts=10, raw_samples=512)
              (optimize_acqf_mixed_alternating on the mixed problem).

Timing: before the timed seeds an untimed warm-up run (seed 999999, long enough
for two model-based suggestions) loads the peer's modules. seconds_per_suggestion is the wall time spent inside the peer (ask +
tell, model fitting, acquisition optimisation; objective evaluations excluded),
summed over all seeds and divided by seeds*budget.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import math
import sys
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import problems  # noqa: E402
from problems import Problem  # noqa: E402

PEERS = ["random", "optuna-tpe", "optuna-cmaes", "optuna-gp", "skopt", "botorch",
         "skopt-noiseless", "skopt-ei", "skopt-init20"]

# Diagnostic variants of gp_minimize: one default changed each, to find what makes it strong
# on Ackley (README of the project, "Sampler quality").
SKOPT_VARIANTS = {
    "skopt": {},
    "skopt-noiseless": {"noise": 1e-10},       # no Gaussian noise term in the GP
    "skopt-ei": {"acq_func": "EI"},            # EI instead of the EI/PI/LCB hedge
    "skopt-init20": {"n_initial_points": 20},  # hdbench's initial design size on Ackley-5
}
REGRET_FLOOR = 1e-12


class Recorder:
    """Evaluates the objective, keeps the noiseless values and the time spent outside it."""

    def __init__(self, problem: Problem, seed: int):
        self.problem = problem
        self.noise_rng = np.random.default_rng(1_000_003 + seed)
        self.true_values: list[float] = []
        self.eval_seconds = 0.0

    def __call__(self, p: dict) -> float:
        t0 = time.perf_counter()
        v_true = self.problem.evaluate_true(p)
        v = v_true
        if self.problem.noise_sd > 0.0:
            v = v_true + float(self.noise_rng.normal(0.0, self.problem.noise_sd))
        self.true_values.append(v_true)
        self.eval_seconds += time.perf_counter() - t0
        return v


# ---------------------------------------------------------------------------
# Peers. Each runs `budget` evaluations through `rec` and returns the wall time
# of the whole run (evaluation time is subtracted by the caller).
# ---------------------------------------------------------------------------


def run_random(problem: Problem, budget: int, seed: int, rec: Recorder) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(budget):
        rec(problem.sample_random(rng))


def _optuna_suggest(trial, problem: Problem) -> dict:
    out = {}
    for p in problem.params:
        if p[0] == "float":
            out[p[1]] = trial.suggest_float(p[1], p[2], p[3])
        elif p[0] == "int":
            out[p[1]] = trial.suggest_int(p[1], p[2], p[3])
        else:
            out[p[1]] = trial.suggest_categorical(p[1], p[2])
    return out


def _run_optuna(sampler, problem: Problem, budget: int, rec: Recorder) -> None:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    for _ in range(budget):
        trial = study.ask()
        params = _optuna_suggest(trial, problem)
        study.tell(trial, rec(params))


def run_optuna_tpe(problem, budget, seed, rec):
    import optuna

    _run_optuna(optuna.samplers.TPESampler(seed=seed), problem, budget, rec)


def run_optuna_cmaes(problem, budget, seed, rec):
    import optuna

    _run_optuna(optuna.samplers.CmaEsSampler(seed=seed), problem, budget, rec)


def run_optuna_gp(problem, budget, seed, rec):
    import optuna

    _run_optuna(optuna.samplers.GPSampler(seed=seed), problem, budget, rec)


def run_skopt(problem: Problem, budget: int, seed: int, rec: Recorder, variant: str = "skopt") -> None:
    from skopt import gp_minimize
    from skopt.space import Categorical, Integer, Real

    dims = []
    for p in problem.params:
        if p[0] == "float":
            dims.append(Real(p[2], p[3], name=p[1]))
        elif p[0] == "int":
            dims.append(Integer(p[2], p[3], name=p[1]))
        else:
            dims.append(Categorical(p[2], name=p[1]))
    names = problem.names()

    def f(x):
        p = {}
        for spec, v in zip(problem.params, x):
            p[spec[1]] = float(v) if spec[0] == "float" else (int(v) if spec[0] == "int" else str(v))
        return rec(p)

    assert len(names) == len(dims)
    gp_minimize(f, dims, n_calls=budget, random_state=seed, **SKOPT_VARIANTS[variant])


def run_botorch(problem: Problem, budget: int, seed: int, rec: Recorder) -> None:
    import torch
    from botorch.acquisition.analytic import LogExpectedImprovement
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import MixedSingleTaskGP, SingleTaskGP
    from botorch.optim import optimize_acqf, optimize_acqf_mixed_alternating
    from gpytorch.mlls import ExactMarginalLogLikelihood
    from torch.quasirandom import SobolEngine

    torch.manual_seed(seed)
    dtype = torch.double
    d = problem.dim
    # Encoding on the unit cube: floats scaled, ints as (k-lo)/(hi-lo), a
    # categorical as its index (its own bounds [0, #choices-1]).
    upper = []
    discrete_dims, cat_dims = {}, {}
    for i, p in enumerate(problem.params):
        if p[0] == "float":
            upper.append(1.0)
        elif p[0] == "int":
            upper.append(1.0)
            span = p[3] - p[2]
            discrete_dims[i] = [k / span for k in range(span + 1)]
        else:
            upper.append(float(len(p[2]) - 1))
            cat_dims[i] = [float(k) for k in range(len(p[2]))]
    bounds = torch.tensor([[0.0] * d, upper], dtype=dtype)

    def decode(u) -> dict:
        out = {}
        for i, p in enumerate(problem.params):
            v = float(u[i])
            if p[0] == "float":
                out[p[1]] = p[2] + v * (p[3] - p[2])
            elif p[0] == "int":
                out[p[1]] = int(round(p[2] + v * (p[3] - p[2])))
            else:
                out[p[1]] = p[2][int(round(v))]
        return out

    def snap(u):
        u = u.clone()
        for i, vals in {**discrete_dims, **cat_dims}.items():
            vs = torch.tensor(vals, dtype=dtype)
            u[i] = vs[torch.argmin((vs - u[i]).abs())]
        return u

    n_init = min(max(5, 2 * d), budget)
    sobol = SobolEngine(d, scramble=True, seed=seed).draw(n_init).to(dtype)
    X = torch.stack([snap(u * (bounds[1] - bounds[0]) + bounds[0]) for u in sobol])
    Y = torch.tensor([[-rec(decode(u))] for u in X], dtype=dtype)  # botorch maximises
    mixed = bool(discrete_dims or cat_dims)
    while X.shape[0] < budget:
        if cat_dims:
            model = MixedSingleTaskGP(X, Y, cat_dims=list(cat_dims))
        else:
            model = SingleTaskGP(X, Y)
        mll = ExactMarginalLogLikelihood(model.likelihood, model)
        try:
            fit_gpytorch_mll(mll)
        except Exception:  # noqa: BLE001 - keep going with the prior hyperparameters
            pass
        acq = LogExpectedImprovement(model, best_f=Y.max())
        if mixed:
            cand, _ = optimize_acqf_mixed_alternating(
                acq, bounds=bounds, discrete_dims=discrete_dims or None, cat_dims=cat_dims or None,
                q=1, num_restarts=10, raw_samples=512)
        else:
            cand, _ = optimize_acqf(acq, bounds=bounds, q=1, num_restarts=10, raw_samples=512)
        u = snap(cand[0].detach())
        y = -rec(decode(u))
        X = torch.cat([X, u[None, :]])
        Y = torch.cat([Y, torch.tensor([[y]], dtype=dtype)])


RUNNERS = {"random": run_random, "optuna-tpe": run_optuna_tpe, "optuna-cmaes": run_optuna_cmaes, "optuna-gp": run_optuna_gp,
           "skopt": run_skopt, "botorch": run_botorch}
for _name in SKOPT_VARIANTS:
    RUNNERS.setdefault(_name, lambda problem, budget, seed, rec, _v=_name: run_skopt(problem, budget, seed, rec, _v))

VERSION_PKGS = {
    "random": ["numpy"],
    "optuna-tpe": ["optuna", "numpy"],
    "optuna-cmaes": ["optuna", "cmaes", "numpy"],
    "optuna-gp": ["optuna", "torch", "scipy", "numpy", "greenlet"],
    "skopt": ["scikit-optimize", "scikit-learn", "scipy", "numpy"],
    **{name: ["scikit-optimize", "scikit-learn", "scipy", "numpy"] for name in ("skopt-noiseless", "skopt-ei", "skopt-init20")},
    "botorch": ["botorch", "gpytorch", "torch", "scipy", "numpy"],
}


def versions(peer: str) -> dict:
    import importlib.metadata as md

    out = {}
    for p in VERSION_PKGS[peer]:
        try:
            out[p] = md.version(p)
        except md.PackageNotFoundError:
            pass
    out["python"] = sys.version.split()[0]
    return out


def run_seed(problem: Problem, peer: str, budget: int, seed: int) -> dict:
    rec = Recorder(problem, seed)
    t0 = time.perf_counter()
    RUNNERS[peer](problem, budget, seed, rec)
    wall = time.perf_counter() - t0
    vals = rec.true_values
    if len(vals) != budget:
        raise RuntimeError(f"{peer} made {len(vals)} evaluations, expected {budget}")
    best = np.minimum.accumulate(np.array(vals)).tolist()
    return {"seed": seed, "budget": budget, "best_true_so_far": best,
            "suggest_seconds_total": wall - rec.eval_seconds}


def log10_regret(best: float, optimum: float) -> float:
    return math.log10(max(best - optimum, REGRET_FLOOR))


def checkpoints(budget: int) -> list[int]:
    cps = list(range(10, budget + 1, 10))
    if not cps or cps[-1] != budget:
        cps.append(budget)
    return cps


def aggregate(problem: Problem, peer: str, budget: int, runs: list[dict]) -> dict:
    cps = checkpoints(budget)
    lr = np.array([[log10_regret(r["best_true_so_far"][k - 1], problem.optimum) for k in cps] for r in runs])
    total_sugg = sum(r["suggest_seconds_total"] for r in runs)
    return {
        "problem": problem.name,
        "sampler": peer,
        "budget": budget,
        "seeds": len(runs),
        "checkpoints": cps,
        "log10_regret": {
            "median": np.percentile(lr, 50, axis=0).tolist(),
            "q25": np.percentile(lr, 25, axis=0).tolist(),
            "q75": np.percentile(lr, 75, axis=0).tolist(),
        },
        "per_seed_final": lr[:, -1].tolist(),
        "seconds_per_suggestion": total_sugg / (len(runs) * budget),
        "versions": versions(peer),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--problem", required=True, choices=problems.PROBLEMS)
    ap.add_argument("--peer", required=True, choices=PEERS)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--json", default=None, help="aggregate output path ('-' = stdout)")
    ap.add_argument("--raw", default=os.path.join(HERE, "results", "quality", "raw"),
                    help="directory of per-seed JSON-lines files (resume)")
    args = ap.parse_args()

    warnings.filterwarnings("ignore")
    if args.peer in ("optuna-gp", "botorch"):
        import torch

        torch.set_num_threads(1)

    problem = problems.make_problem(args.problem)
    os.makedirs(args.raw, exist_ok=True)
    raw_path = os.path.join(args.raw, f"{args.problem}__{args.peer}__b{args.budget}.jsonl")
    done = {}
    if os.path.exists(raw_path):
        with open(raw_path) as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    done[r["seed"]] = r
    if any(s not in done for s in range(args.seeds)) and args.peer != "random":
        # Untimed warm-up so imports and first-call costs are not charged to seed 0:
        # a short run (seed 999999) that reaches two model-based suggestions.
        n_warm = 2 * problem.dim + 3 if args.peer == "botorch" else 22 if args.peer == "skopt-init20" else 12
        run_seed(problem, args.peer, min(args.budget, n_warm), 999_999)
    for seed in range(args.seeds):
        if seed in done:
            continue
        r = run_seed(problem, args.peer, args.budget, seed)
        done[seed] = r
        with open(raw_path, "a") as fh:
            fh.write(json.dumps(r) + "\n")
        print(f"{args.problem} {args.peer} seed {seed}: final log10 regret "
              f"{log10_regret(r['best_true_so_far'][-1], problem.optimum):.3f}, "
              f"{r['suggest_seconds_total'] / args.budget:.4f} s/suggestion", file=sys.stderr, flush=True)
    runs = [done[s] for s in range(args.seeds)]
    out = aggregate(problem, args.peer, args.budget, runs)
    text = json.dumps(out, indent=1)
    if args.json == "-":
        print(text)
    else:
        path = args.json or os.path.join(HERE, "results", "quality", f"{args.problem}__{args.peer}.json")
        with open(path, "w") as fh:
            fh.write(text + "\n")
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
