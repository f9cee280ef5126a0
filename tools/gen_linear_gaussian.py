#!/usr/bin/env python3
"""Writes a linear-Gaussian data set and its true DAG, for reference comparisons.

Model (as issue 4's benchmark specifies): an Erdos-Renyi DAG over a random order with
expected degree D (edge probability D / (p - 1)), weights uniform on +-[0.5, 2], standard
normal noise; columns standardised. Output: PREFIX.csv (header X1..Xp, %.6g) and
PREFIX.dag.txt (one "Xi Xj" arc per line).
Usage: gen_linear_gaussian.py P N DEGREE SEED PREFIX
"""
import sys

import numpy as np


def main():
    p, n, degree, seed, prefix = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    rng = np.random.default_rng(seed)
    order = rng.permutation(p)
    prob = degree / (p - 1)
    B = np.zeros((p, p))  # B[i, j] != 0: order[i] -> order[j] (i < j in the causal order)
    arcs = []
    for i in range(p):
        for j in range(i + 1, p):
            if rng.random() < prob:
                w = rng.uniform(0.5, 2.0) * rng.choice([-1.0, 1.0])
                B[order[i], order[j]] = w
                arcs.append((order[i], order[j]))
    X = np.zeros((n, p))
    for k in range(p):
        v = order[k]
        X[:, v] = X @ B[:, v] + rng.standard_normal(n)
    X = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    names = ["X%d" % (j + 1) for j in range(p)]
    with open(prefix + ".csv", "w") as f:
        f.write(",".join(names) + "\n")
        for row in X:
            f.write(",".join("%.6g" % v for v in row) + "\n")
    with open(prefix + ".dag.txt", "w") as f:
        for a, b in sorted(arcs):
            f.write("%s %s\n" % (names[a], names[b]))


if __name__ == "__main__":
    main()
