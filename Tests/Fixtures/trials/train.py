#!/usr/bin/env python3 -u
"""Test trial: logs `accuracy` once per epoch through the channel named by --channel.

Usage: train.py --lr LR --epochs N [--channel stdout|jsonl|mlflow|both] [--sleep S]
accuracy at epoch e (1-based) = 1 - lr * 10 / e (deterministic, so tests know the values).
"""
import argparse, json, os, sys, time

p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, required=True)
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--channel", default="stdout")
p.add_argument("--sleep", type=float, default=0.0)
a = p.parse_args()

if a.channel == "mlflow":
    import mlflow
for e in range(1, a.epochs + 1):
    acc = 1 - a.lr * 10 / e
    if a.channel in ("stdout", "both"):
        print(f"accuracy={acc!r}", flush=True)
    if a.channel in ("jsonl", "both"):
        with open(os.environ["HDBENCH_METRICS_FILE"], "a") as f:
            f.write(json.dumps({"name": "accuracy", "value": acc, "step": e}) + "\n")
    if a.channel == "mlflow":
        mlflow.log_metric("accuracy", acc, step=e)
    print(f"epoch {e} done", flush=True)
    time.sleep(a.sleep)
