#!/usr/bin/env python3
"""Reference parameter importances from Optuna's fANOVA, for FanovaImportanceOptunaTests.

Two steps, run from the package root:

  python3 Tests/Fixtures/generate_importance.py record .build/debug/hdbench
      runs the three sweeps Tests/Fixtures/importance/*.yml with the real hdbench binary and
      real trial processes, and writes their completed trials to
      Tests/Fixtures/importance/trials.json (committed: the recorded trial sets).
  python3 Tests/Fixtures/generate_importance.py
      (needs optuna and scikit-learn) reads trials.json and writes
      Tests/Fixtures/importance/reference.json: for each set, Optuna's
      FanovaImportanceEvaluator importances (normalised to sum 1, as get_param_importances
      does) for seeds 0..4, in two encodings:
        "encoded": every numeric parameter as FloatDistribution(0, 1) holding its coordinate
                   in hdbench's SearchSpaceEncoding (uniform/quniform (v-a)/(b-a), loguniform
                   (ln v - a)/(b - a), randint (k + 1/2)/n), every choice as
                   CategoricalDistribution: the same measure hdbench's fANOVA averages over,
                   so only the forests' randomness and the categorical marginal differ;
        "raw":     Optuna's own view of the same trials (loguniform as
                   FloatDistribution(e^a, e^b, log=True), which its fANOVA integrates
                   uniformly on the raw values; randint as IntDistribution(0, n - 1)).
"""
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "importance")
SETS = ["quickstart-random", "quickstart-bayesian", "branin-dummies"]


def record(binary: str) -> None:
    out = []
    for name in SETS:
        yml = os.path.join(HERE, name + ".yml")
        with tempfile.TemporaryDirectory() as tmp:
            exp = os.path.join(tmp, "exp")
            subprocess.run([binary, "sweep", yml, "--experiment-dir", exp, "--quiet"], check=True)
            exported = json.loads(subprocess.run([binary, "export", exp, "--format", "json"], check=True,
                                                 capture_output=True, text=True).stdout)
        trials = [{"trial": t["trial"], "parameters": t["parameters"], "value": t["value"]}
                  for t in exported if t["status"] == "completed" and t["value"] is not None]
        out.append({"name": name, "yaml": open(yml).read(), "trials": trials})
        print(f"{name}: {len(trials)} completed trials")
    with open(os.path.join(HERE, "trials.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def spaces(name: str):
    """The search spaces of the recorded sweeps (as in the YAML files), both encodings."""
    import optuna.distributions as d
    quick = {
        "learning_rate": ("loguniform", -7, -1), "hidden_units": ("choice", [16, 32, 64, 128]),
        "layers": ("randint", 4), "optimizer": ("choice", ["sgd", "adam", "rmsprop"]),
    }
    branin = {
        "x1": ("uniform", -5, 10), "x2": ("quniform", 0, 15), "lr": ("loguniform", -9, 0),
        "kind": ("choice", ["a", "b", "c"]), "dummy": ("uniform", 0, 1),
    }
    space = branin if name == "branin-dummies" else quick

    def encoded(kind, *args):
        if kind == "choice":
            return d.CategoricalDistribution(args[0]), lambda v: v
        if kind in ("uniform", "quniform"):
            a, b = args
            return d.FloatDistribution(0, 1), lambda v: (v - a) / (b - a)
        if kind == "loguniform":
            a, b = args
            return d.FloatDistribution(0, 1), lambda v: (math.log(v) - a) / (b - a)
        if kind == "randint":
            n = args[0]
            return d.FloatDistribution(0, 1), lambda v: (v + 0.5) / n
        raise ValueError(kind)

    def raw(kind, *args):
        if kind == "choice":
            return d.CategoricalDistribution(args[0]), lambda v: v
        if kind in ("uniform", "quniform"):
            return d.FloatDistribution(*args), float
        if kind == "loguniform":
            return d.FloatDistribution(math.exp(args[0]), math.exp(args[1]), log=True), float
        if kind == "randint":
            return d.IntDistribution(0, args[0] - 1), int
        raise ValueError(kind)

    return ({k: encoded(*v) for k, v in space.items()}, {k: raw(*v) for k, v in space.items()})


def importances(trials, space, seed):
    import optuna
    from optuna.importance import FanovaImportanceEvaluator, get_param_importances
    study = optuna.create_study()
    for t in trials:
        params = {k: f(t["parameters"][k]) for k, (_, f) in space.items()}
        if any(isinstance(v, float) and not (space[k][0].low <= v <= space[k][0].high) for k, v in params.items()):
            params = {k: (min(max(v, space[k][0].low), space[k][0].high) if isinstance(v, float) else v) for k, v in params.items()}
        study.add_trial(optuna.trial.create_trial(params=params, distributions={k: dist for k, (dist, _) in space.items()},
                                                  value=t["value"]))
    result = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=seed))
    return {k: float(v) for k, v in result.items()}


def reference() -> None:
    import optuna
    import sklearn
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sets = json.load(open(os.path.join(HERE, "trials.json")))
    out = {"optuna": optuna.__version__, "sklearn": sklearn.__version__, "sets": []}
    for s in sets:
        enc, raw = spaces(s["name"])
        out["sets"].append({
            "name": s["name"],
            "encoded": [importances(s["trials"], enc, seed) for seed in range(5)],
            "raw": [importances(s["trials"], raw, seed) for seed in range(5)],
        })
        print(s["name"], out["sets"][-1]["encoded"][0])
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "record":
        record(sys.argv[2])
    else:
        reference()
