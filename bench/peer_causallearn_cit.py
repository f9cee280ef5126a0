"""Peer driver for bench_citest.c: times causal-learn's CIT on given data and queries.

    PYTHONPATH=/path/to/causal-learn python3 bench/peer_causallearn_cit.py DATA QUERIES METHOD BUDGET

DATA: whitespace-separated numbers with a header line. QUERIES: one line per query,
"x y z1 z2 ..." (0-based columns). METHOD: a causal-learn CIT method ("gsq", "chisq",
"kci", "rcit"). Builds CIT(data, METHOD) (untimed), then times each query with causal-learn's
p-value cache emptied before it, cycling through the queries until BUDGET seconds have
passed (at least one round of min(3, #queries) queries), and prints the median seconds of one
test and the p-values of the first round (one line). causal-learn is not part of causa: it is
imported from wherever PYTHONPATH points (bench_citest.c sets it from CAUSA_PEER_CAUSALLEARN,
plus CAUSA_PEER_PYTHONPATH for its dependencies, e.g. momentchi2 for rcit).
"""

import sys
import time


def main():
    import numpy as np
    from causallearn.utils.cit import CIT

    data = np.loadtxt(sys.argv[1], skiprows=1)
    queries = []
    with open(sys.argv[2]) as f:
        for line in f:
            v = [int(t) for t in line.split()]
            if len(v) >= 2:
                queries.append((v[0], v[1], v[2:]))
    method, budget = sys.argv[3], float(sys.argv[4])
    test = CIT(data, method)
    times, pvals = [], []
    start = time.perf_counter()
    k = 0
    while k < min(3, len(queries)) or (time.perf_counter() - start < budget and k < 100000):
        x, y, z = queries[k % len(queries)]
        test.pvalue_cache = {}
        t0 = time.perf_counter()
        p = test(x, y, z)
        times.append(time.perf_counter() - t0)
        if k < len(queries):
            pvals.append(p)
        k += 1
    times.sort()
    print("%.9g %s" % (times[len(times) // 2], " ".join("%.17g" % p for p in pvals[:20])))


if __name__ == "__main__":
    main()
