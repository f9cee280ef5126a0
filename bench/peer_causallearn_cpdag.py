"""Peer driver for bench_graph.c: times causal-learn's dag2cpdag on a DAG from a file.

    PYTHONPATH=/path/to/causal-learn python3 bench/peer_causallearn_cpdag.py IN OUT

IN: a line p, then one line "from to" (0-based node indices) per directed edge. Builds a
causallearn.graph.Dag over nodes X1..Xp with add_directed_edge (untimed), times
causallearn.utils.DAG2CPDAG.dag2cpdag, writes the CPDAG to OUT as lines "a b mark_a mark_b"
(causa's marks: 1 tail, 2 arrow) and prints the seconds dag2cpdag took. causal-learn is
not part of causa: it is imported from wherever PYTHONPATH points (bench_graph.c sets it
from CAUSA_PEER_CAUSALLEARN).
"""

import sys
import time


def main():
    from causallearn.graph.Dag import Dag
    from causallearn.graph.GraphNode import GraphNode
    from causallearn.utils.DAG2CPDAG import dag2cpdag

    with open(sys.argv[1]) as f:
        p = int(f.readline())
        edges = [tuple(int(x) for x in line.split()) for line in f if line.strip()]
    nodes = [GraphNode("X%d" % (i + 1)) for i in range(p)]
    dag = Dag(nodes)
    for a, b in edges:
        dag.add_directed_edge(nodes[a], nodes[b])
    t0 = time.perf_counter()
    cpdag = dag2cpdag(dag)
    secs = time.perf_counter() - t0
    # cpdag.graph[i, j] is the endpoint at i of the edge i - j: -1 tail, 1 arrow.
    mark = {-1: 1, 1: 2}
    g = cpdag.graph
    with open(sys.argv[2], "w") as out:
        for a, b in edges:
            i, j = min(a, b), max(a, b)
            if g[i, j] or g[j, i]:
                out.write("%d %d %d %d\n" % (i, j, mark[int(g[i, j])], mark[int(g[j, i])]))
    print("%.6f" % secs)


if __name__ == "__main__":
    main()
