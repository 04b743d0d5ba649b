#!/usr/bin/env python3
"""Reference values for the search-space tests (run from the package root):

    python3 Tests/OptimizerTests/Fixtures/space_generate.py

Writes
  space_yaml11_scalars.json  how PyYAML's SafeLoader (Azure ML's YAML loader) types plain
                             scalars: the YAML 1.1 rules hdbench's resolver must reproduce.
  space_normal_reference.json  scipy.special.ndtri / ndtr at fixed points (the normal quantile
                             and CDF used by the samplers and the encoding).
"""
import datetime
import json
import math
import os
import sys

import scipy
import yaml
from scipy.special import ndtr, ndtri

HERE = os.path.dirname(os.path.abspath(__file__))

PLAIN_SCALARS = [
    # booleans, every spelling PyYAML accepts, and near misses
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "y", "n", "yES", "tRUE", "Y", "oN",
    # null
    "~", "null", "Null", "NULL", "nULL", "none", "None",
    # floats and things that look like floats
    "1e-3", "1E-3", "1e3", "1.0e-3", "1.0e3", "1.0e+3", "1.0E+3", "1.5", "-1.5", "+1.5", "1.", "-1.",
    ".5", "-.5", "+.5", "0.1", "1_000.5", "1.e-5", "3.14159", "6.02e+23", ".inf", "-.inf", "+.inf",
    ".Inf", ".INF", "-.Inf", ".nan", ".NaN", ".NAN", "-.nan", "inf", "nan", "1:30.5", "-1:30.0",
    "0.", "00.5", "1__0.0_1",
    # integers
    "0", "-0", "+0", "7", "-7", "+7", "1_000", "0x1F", "0x1f", "-0x1F", "0b101", "-0b11", "017",
    "-017", "0o17", "08", "09", "010", "1:30", "190:20:30", "-1:30", "123456789012",
    "9223372036854775807",
    # dates and timestamps
    "2024-01-31", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2024-1-5",
    # strings
    "adam", "1e-3x", "1,000", "0x", "0xG", "1.2.3", "v1", "<<x", "--lr", "a b", "1 2",
]


def describe(value):
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        return {"type": "int", "value": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"type": "float", "value": "nan"}
        if math.isinf(value):
            return {"type": "float", "value": "inf" if value > 0 else "-inf"}
        return {"type": "float", "value": repr(value)}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {"type": "timestamp"}
    if isinstance(value, str):
        return {"type": "str", "value": value}
    raise TypeError(type(value))


def yaml_fixture():
    cases = []
    for text in PLAIN_SCALARS:
        loaded = yaml.safe_load("v: " + text)["v"]
        cases.append({"text": text, **describe(loaded)})
    return {
        "generator": "Tests/OptimizerTests/Fixtures/space_generate.py",
        "python": sys.version.split()[0],
        "pyyaml": yaml.__version__,
        "loader": "yaml.safe_load('v: ' + text)['v']",
        "cases": cases,
    }


def normal_fixture():
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 1e-3, 0.01, 0.02425, 0.05, 0.1, 0.2, 0.3, 0.4, 0.425,
          0.5, 0.575, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-6, 1 - 1e-10, 1 - 2**-53]
    zs = [-37.0, -20.0, -10.0, -5.0, -3.0, -1.96, -1.0, -0.5, 0.0, 0.25, 1.0, 1.6448536269514722,
          3.0, 5.0, 8.0]
    return {
        "generator": "Tests/OptimizerTests/Fixtures/space_generate.py",
        "scipy": scipy.__version__,
        "quantile": [{"p": p, "x": float(ndtri(p))} for p in ps],
        "cdf": [{"z": z, "p": float(ndtr(z))} for z in zs],
    }


if __name__ == "__main__":
    with open(os.path.join(HERE, "space_yaml11_scalars.json"), "w") as f:
        json.dump(yaml_fixture(), f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "space_normal_reference.json"), "w") as f:
        json.dump(normal_fixture(), f, indent=1)
        f.write("\n")
