#!/usr/bin/env python3
"""Loads an Optuna journal written by `hdbench export --format optuna-journal` with real Optuna
and prints what Optuna sees as one JSON object, for the Swift test to compare with the store.

Usage: summarize_journal.py JOURNAL

Keys: optuna (version), study_name, directions, metric_names, user_attrs, trials (number,
state, value, params, param_types (Python type names), distributions (distribution_to_json), intermediate_values (step -> value,
steps as strings), user_attrs, valid: FrozenTrial._validate() raised nothing), best (number,
value, params; null when no trial is COMPLETE), importances (PED-ANOVA, which needs no
scikit-learn; an error text when it fails), dataframe_rows (study.trials_dataframe()).
"""
import json
import math
import sys
import warnings

import optuna
from optuna.distributions import distribution_to_json

try:  # Optuna >= 4.0
    from optuna.storages.journal import JournalFileBackend as Backend
except ImportError:  # Optuna 3.x
    from optuna.storages import JournalFileStorage as Backend


def number(x):
    if x is None:
        return None
    return x if math.isfinite(x) else str(x)


def main(path):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.JournalStorage(Backend(path))
    summaries = optuna.get_all_study_summaries(storage)
    if len(summaries) != 1:
        raise SystemExit(f"expected one study, found {len(summaries)}")
    study = optuna.load_study(study_name=summaries[0].study_name, storage=storage)
    trials = []
    for t in study.get_trials(deepcopy=False):
        try:
            t._validate()
            valid = True
        except ValueError as error:
            valid = str(error)
        trials.append({
            "number": t.number,
            "state": t.state.name,
            "value": number(t.value) if t.values is not None else None,
            "params": t.params,
            "param_types": {k: type(v).__name__ for k, v in t.params.items()},
            "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
            "intermediate_values": {str(k): number(v) for k, v in sorted(t.intermediate_values.items())},
            "user_attrs": t.user_attrs,
            "valid": valid,
        })
    try:
        best = study.best_trial
        best = {"number": best.number, "value": best.value, "params": best.params}
    except ValueError:
        best = None
    try:
        warnings.simplefilter("ignore")  # "too few trials" goes to stderr otherwise
        evaluator = optuna.importance.PedAnovaImportanceEvaluator()
        importances = dict(optuna.importance.get_param_importances(study, evaluator=evaluator))
    except Exception as error:  # reported, not raised: the test says what failed
        importances = f"{type(error).__name__}: {error}"
    print(json.dumps({
        "optuna": optuna.__version__,
        "study_name": study.study_name,
        "directions": [d.name for d in study.directions],
        "metric_names": study.metric_names,
        "user_attrs": study.user_attrs,
        "trials": trials,
        "best": best,
        "importances": importances,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
