"""hdbench's stand-in for the public hello-sweep script: takes --A, --B, --C, logs them as
MLflow parameters and one random metric."""
import argparse
import random

import mlflow

parser = argparse.ArgumentParser()
parser.add_argument("--A", type=float, default=0.5)
parser.add_argument("--B", type=str, default="hello world")
parser.add_argument("--C", type=float, default=1.0)
args = parser.parse_args()

for name in ("A", "B", "C"):
    print(f"{name}: {getattr(args, name)}")
    mlflow.log_param(name, getattr(args, name))
mlflow.log_metric("random_metric", random.random())
