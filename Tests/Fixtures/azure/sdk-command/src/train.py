"""Reads its learning rate from AZUREML_SWEEP_lr (or --lr, v1 style), writes
./outputs/output.txt and logs accuracy through MLflow."""
import argparse
import os

import mlflow

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=None)
args = parser.parse_args()
lr = args.lr if args.lr is not None else float(os.environ["AZUREML_SWEEP_lr"])
with open("./outputs/output.txt", "w") as f:
    f.write(f"lr={lr}\n")
for epoch in range(1, 4):
    mlflow.log_metric("accuracy", 1 - lr * 10 / epoch, step=epoch)
