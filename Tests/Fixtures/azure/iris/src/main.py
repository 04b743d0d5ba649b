"""hdbench's stand-in for the public iris sweep script, standard library only.

Same arguments as the example (--iris-csv, --C, --kernel, --coef0, ...); trains a kernel
nearest-centroid classifier on an 80/20 split and logs `training_f1_score` (macro F1 on the
training split) through MLflow, the metric `mlflow.autolog()` logs for scikit-learn.
"""
import argparse
import csv
import math
import random

import mlflow

parser = argparse.ArgumentParser()
parser.add_argument("--iris-csv", type=str, required=True)
parser.add_argument("--C", type=float, default=1.0)
parser.add_argument("--kernel", type=str, default="rbf")
parser.add_argument("--degree", type=int, default=3)
parser.add_argument("--gamma", type=str, default="scale")
parser.add_argument("--coef0", type=float, default=0)
parser.add_argument("--random_state", type=int, default=42)
args = parser.parse_args()

with open(args.iris_csv) as f:
    rows = list(csv.DictReader(f))
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
data = [([float(r[k]) for k in features], r["species"]) for r in rows]
random.Random(args.random_state).shuffle(data)
train = data[: int(len(data) * 0.8)]

classes = sorted({label for _, label in train})
mean = [sum(x[i] for x, _ in train) / len(train) for i in range(4)]
# C shrinks each class centroid towards the overall mean (less C, more regularisation).
shrink = args.C / (1.0 + args.C)
centroids = {}
for c in classes:
    members = [x for x, label in train if label == c]
    centroid = [sum(x[i] for x in members) / len(members) for i in range(4)]
    centroids[c] = [mean[i] + shrink * (centroid[i] - mean[i]) for i in range(4)]
variance = sum((x[i] - mean[i]) ** 2 for x, _ in train for i in range(4)) / len(train)
gamma = 1.0 / (4 * variance)


def kernel(a, b):
    dot = sum(p * q for p, q in zip(a, b))
    if args.kernel == "linear":
        return dot + args.coef0
    if args.kernel == "poly":
        return (gamma * dot + args.coef0) ** args.degree
    return math.exp(-gamma * sum((p - q) ** 2 for p, q in zip(a, b)))


def predict(x):
    # Nearest centroid in the kernel's feature space: k(x,x) is common to all classes.
    return max(classes, key=lambda c: 2 * kernel(x, centroids[c]) - kernel(centroids[c], centroids[c]))


f1s = []
for c in classes:
    tp = sum(1 for x, y in train if predict(x) == c and y == c)
    fp = sum(1 for x, y in train if predict(x) == c and y != c)
    fn = sum(1 for x, y in train if predict(x) != c and y == c)
    f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
mlflow.log_params({"C": args.C, "kernel": args.kernel, "coef0": args.coef0})
mlflow.log_metric("training_f1_score", sum(f1s) / len(f1s))
