#!/usr/bin/env python3
"""A stand-in training script for the hdbench quick start (pure standard library).

It "trains" for --epochs epochs and prints `accuracy=<value>` after each one, the stdout
convention hdbench collects (SPEC §3). The curve is a deterministic function of the
hyperparameters plus mild noise seeded from them, so a sweep has a real optimum to find:
a learning rate near 0.01 (adam) or 0.05 (sgd), 64 hidden units and 1–2 extra layers.
"""
import argparse
import hashlib
import math
import random
import sys
import time


def final_accuracy(lr, hidden_units, layers, optimizer):
    best_lr = {"sgd": 0.05, "adam": 0.01, "rmsprop": 0.005}[optimizer]
    lr_term = math.exp(-0.5 * (math.log(lr / best_lr) / 1.0) ** 2)          # 1 at the best lr
    width_term = 1.0 - 0.08 * abs(math.log2(hidden_units / 64.0))            # 1 at 64 units
    depth_term = 1.0 - 0.04 * (layers - 1.5) ** 2                            # best at 1–2 layers
    optimizer_term = {"sgd": 0.97, "adam": 1.0, "rmsprop": 0.985}[optimizer]
    return 0.5 + 0.45 * lr_term * width_term * depth_term * optimizer_term


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning_rate", type=float, required=True)
    parser.add_argument("--hidden_units", type=int, default=64)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--optimizer", choices=["sgd", "adam", "rmsprop"], default="adam")
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    if args.learning_rate <= 0:
        sys.exit("--learning_rate must be > 0")

    key = f"{args.learning_rate!r}|{args.hidden_units}|{args.layers}|{args.optimizer}"
    rng = random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))
    target = final_accuracy(args.learning_rate, args.hidden_units, args.layers, args.optimizer)
    # Fast learners converge in a few epochs; tiny learning rates crawl.
    speed = min(1.0, 0.15 + 8.0 * args.learning_rate)
    for epoch in range(1, args.epochs + 1):
        time.sleep(0.15)  # about 1.5 s for 10 epochs
        progress = 1.0 - math.exp(-speed * epoch * 1.5)
        accuracy = 0.1 + (target - 0.1) * progress + rng.gauss(0.0, 0.004)
        print(f"accuracy={min(max(accuracy, 0.0), 1.0):.4f}", flush=True)


if __name__ == "__main__":
    main()
