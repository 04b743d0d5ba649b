"""Pipeline fixture trial: reads its data file, logs accuracy once per epoch on stdout, and
writes a model file when given --model."""
import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--epochs", type=int, required=True)
parser.add_argument("--model")
args = parser.parse_args()

with open(args.data) as f:
    rows = sum(1 for _ in f) - 1
print(f"rows={rows}", flush=True)
for epoch in range(1, args.epochs + 1):
    print(f"accuracy={1 - args.lr * 10 / epoch}", flush=True)
if args.model:
    with open(os.path.join(args.model, "model.txt"), "w") as f:
        f.write(f"lr={args.lr}\n")
