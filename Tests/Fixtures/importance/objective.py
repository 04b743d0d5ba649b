#!/usr/bin/env python3
"""Objective of the branin-dummies importance fixture: Branin(x1, x2) + 100·((ln lr + 4.5)/4.5)²
+ an offset of 0, 25 or 50 by kind; --dummy has no effect. Prints loss=VALUE once."""
import argparse
import math

parser = argparse.ArgumentParser()
for name in ["x1", "x2", "lr", "dummy"]:
    parser.add_argument("--" + name, type=float, required=True)
parser.add_argument("--kind", required=True)
a = parser.parse_args()
branin = (a.x2 - 5.1 / (4 * math.pi ** 2) * a.x1 ** 2 + 5 / math.pi * a.x1 - 6) ** 2 \
    + 10 * (1 - 1 / (8 * math.pi)) * math.cos(a.x1) + 10
loss = branin + 100 * ((math.log(a.lr) + 4.5) / 4.5) ** 2 + {"a": 0.0, "b": 25.0, "c": 50.0}[a.kind]
print(f"loss={loss:.6f}", flush=True)
