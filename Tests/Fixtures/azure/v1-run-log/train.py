"""A HyperDrive v1 training script: logs through azureml.core.Run, unchanged."""
import argparse

from azureml.core import Run

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
args = parser.parse_args()

run = Run.get_context()
for epoch in range(1, 4):
    run.log("accuracy", 1 - args.lr * 10 / epoch)
run.log_list("losses", [0.5, 0.25])
run.log_row("summary", lr=args.lr, epochs=3)
run.complete()
