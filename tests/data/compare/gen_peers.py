#!/usr/bin/python3
"""Writes peers.txt: graph pairs and the structural Hamming distances that the peers' own
code gives for them (see README.md in this folder for the exact procedure).

    /usr/bin/python3 gen_peers.py --causal-learn CL_DIR --pcalg PCALG_DIR > peers.txt

CL_DIR: a checkout of py-why/causal-learn (its causallearn/ package is imported from there;
needs NumPy). PCALG_DIR: a checkout of cran/pcalg, whose R/pcalg.R shd_pcalg.R reads
(needs Rscript and the Bioconductor 'graph' package: apt install r-base-core r-bioc-graph).
Nothing of either peer is copied here: their code runs from the given folders.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240611

# Marks as in causa: 1 tail, 2 arrow, 3 circle. Edge glyph -> (mark at left, mark at right).
GLYPHS = {"-->": (1, 2), "<--": (2, 1), "---": (1, 1), "<->": (2, 2), "o->": (3, 2),
          "<-o": (2, 3), "o-o": (3, 3), "--o": (1, 3), "o--": (3, 1)}
MARK_CHAR = {1: "-", 2: "<", 3: "o"}


def glyph(ma, mb):
    right = {1: "-", 2: ">", 3: "o"}[mb]
    return MARK_CHAR[ma] + "-" + right


# ---- random graphs (edges as dict {(a, b): (ma, mb)} with a < b, plus a set of bows) ----

def random_dag(rng, p, prob):
    """Erdos-Renyi DAG over a random order: {(a, b): marks} with a < b as node indices."""
    order = rng.permutation(p)
    edges = {}
    for i in range(p):
        for j in range(i + 1, p):
            if rng.random() < prob:
                u, v = int(order[i]), int(order[j])  # u before v: u --> v
                a, b = min(u, v), max(u, v)
                edges[(a, b)] = (1, 2) if u == a else (2, 1)
    return edges


def perturb_dag(rng, p, dag, k):
    """k random changes (delete, add or reverse an edge), each kept only if acyclic."""
    edges = dict(dag)
    done = 0
    while done < k:
        op = rng.integers(3)
        a, b = sorted(int(x) for x in rng.choice(p, 2, replace=False))
        new = dict(edges)
        if op == 0 and (a, b) in new:
            del new[(a, b)]
        elif op == 1 and (a, b) not in new:
            new[(a, b)] = (1, 2) if rng.random() < 0.5 else (2, 1)
        elif op == 2 and (a, b) in new:
            ma, mb = new[(a, b)]
            new[(a, b)] = (mb, ma)
        else:
            continue
        if acyclic(p, new):
            edges = new
            done += 1
    return edges


def acyclic(p, edges):
    out = [[] for _ in range(p)]
    indeg = [0] * p
    for (a, b), (ma, mb) in edges.items():
        u, v = (a, b) if (ma, mb) == (1, 2) else (b, a)
        out[u].append(v)
        indeg[v] += 1
    stack = [v for v in range(p) if indeg[v] == 0]
    seen = 0
    while stack:
        u = stack.pop()
        seen += 1
        for v in out[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                stack.append(v)
    return seen == p


MIXED_TYPES = ["-->", "<--", "---", "<->", "o->", "<-o", "o-o", "--o", "o--"]


def random_mixed(rng, p, prob, bows):
    edges = {}
    for a in range(p):
        for b in range(a + 1, p):
            if rng.random() < prob:
                edges[(a, b)] = GLYPHS[MIXED_TYPES[rng.integers(len(MIXED_TYPES))]]
    directed = [e for e, m in edges.items() if m in ((1, 2), (2, 1))]
    chosen = set()
    if bows and directed:
        for i in rng.choice(len(directed), min(bows, len(directed)), replace=False):
            chosen.add(directed[int(i)])
    return edges, chosen


def perturb_mixed(rng, p, edges, bows, k):
    edges = dict(edges)
    bows = set(bows)
    for _ in range(k):
        op = rng.integers(4)
        if op != 1 and edges:  # deletions, bows and flips act on an existing edge
            keys = sorted(edges)
            a, b = keys[int(rng.integers(len(keys)))]
        else:
            a, b = sorted(int(x) for x in rng.choice(p, 2, replace=False))
        if op == 0 and (a, b) in edges:
            del edges[(a, b)]
            bows.discard((a, b))
        elif op == 1:
            edges[(a, b)] = GLYPHS[MIXED_TYPES[rng.integers(len(MIXED_TYPES))]]
            if edges[(a, b)] not in ((1, 2), (2, 1)):
                bows.discard((a, b))
        elif op == 2 and (a, b) in edges and edges[(a, b)] in ((1, 2), (2, 1)):
            bows ^= {(a, b)}  # add or drop the bidirected edge of a bow
        elif op == 3 and (a, b) in edges:
            ma, mb = edges[(a, b)]
            edges[(a, b)] = (mb, ma)
            if edges[(a, b)] not in ((1, 2), (2, 1)):
                bows.discard((a, b))
    return edges, bows


# ---- causal-learn ----

def cl_graph(cl, names, order, edges, bows):
    """A causal-learn GeneralGraph over `order` (node names in that index order), built with
    its own add_edge; returns it after checking the matrix holds what was meant."""
    nodes = {n: cl.GraphNode(n) for n in order}
    g = cl.GeneralGraph([nodes[n] for n in order])
    ep = {1: cl.Endpoint.TAIL, 2: cl.Endpoint.ARROW, 3: cl.Endpoint.CIRCLE}
    for (a, b), (ma, mb) in sorted(edges.items()):
        na, nb = nodes[names[a]], nodes[names[b]]
        if (a, b) in bows:  # the bidirected half first, then the directed edge
            g.add_edge(cl.Edge(na, nb, cl.Endpoint.ARROW, cl.Endpoint.ARROW))
        if g.add_edge(cl.Edge(na, nb, ep[ma], ep[mb])) is False:
            # add_edge takes some edges in one direction only (o-- as --o read backwards)
            g.add_edge(cl.Edge(nb, na, ep[mb], ep[ma]))
    # graph[i, j] is the endpoint at i of the edge i - j: -1 tail, 1 arrow, 2 circle.
    code = {1: -1, 2: 1, 3: 2}
    idx = {n: i for i, n in enumerate(order)}
    for (a, b), (ma, mb) in edges.items():
        i, j = idx[names[a]], idx[names[b]]
        if (a, b) in bows:
            continue
        got = (int(g.graph[i, j]), int(g.graph[j, i]))
        if got != (code[ma], code[mb]):
            sys.exit("causal-learn stored %s %s %s as %r" % (names[a], glyph(ma, mb), names[b],
                                                          got))
    return g


def cl_cpdag(cl, names, dag):
    """causal-learn's dag2cpdag of a DAG given as {(a, b): marks}; returned in the same form."""
    nodes = [cl.GraphNode(n) for n in names]
    g = cl.Dag(nodes)
    for (a, b), (ma, mb) in sorted(edges_items(dag)):
        u, v = (a, b) if (ma, mb) == (1, 2) else (b, a)
        g.add_directed_edge(nodes[u], nodes[v])
    c = cl.dag2cpdag(g)
    out = {}
    back = {-1: 1, 1: 2, 2: 3}
    p = len(names)
    for a in range(p):
        for b in range(a + 1, p):
            ea, eb = int(c.graph[a, b]), int(c.graph[b, a])
            if ea or eb:
                out[(a, b)] = (back[ea], back[eb])
    return out


def edges_items(edges):
    return list(edges.items())


# ---- pcalg (via R) ----

def pcalg_matrix(p, edges):
    """pcalg's 0/1 matrix: m[x, y] = 1 iff x -> y; both 1 for every non-directed edge (the
    rule docs/ALGORITHMS.md states for causa's shd_pcalg)."""
    m = np.zeros((p, p), dtype=int)
    for (a, b), (ma, mb) in edges.items():
        if (ma, mb) == (1, 2):
            m[a, b] = 1
        elif (ma, mb) == (2, 1):
            m[b, a] = 1
        else:
            m[a, b] = m[b, a] = 1
    return m


def run_pcalg(pcalg_dir, cases):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for c in cases:
            p = len(c["names"])
            f.write("%d\n" % p)
            f.write(" ".join(c["names"]) + "\n")
            for m in (pcalg_matrix(p, c["est"]), pcalg_matrix(p, c["truth"])):
                for row in m:
                    f.write(" ".join(str(x) for x in row) + "\n")
        path = f.name
    try:
        out = subprocess.run(["Rscript", os.path.join(HERE, "shd_pcalg.R"), pcalg_dir, path],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    vals = [line.split() for line in out.strip().splitlines()]
    for v in vals:
        if v[0] != v[1]:
            sys.exit("pcalg shd is not symmetric here: %r" % v)
    return [int(float(v[0])) for v in vals]


# ---- main ----

class CL:
    """The causal-learn names used here, imported from the checkout."""

    def __init__(self, path):
        sys.path.insert(0, path)
        from causallearn.graph.Dag import Dag
        from causallearn.graph.Edge import Edge
        from causallearn.graph.Endpoint import Endpoint
        from causallearn.graph.GeneralGraph import GeneralGraph
        from causallearn.graph.GraphNode import GraphNode
        from causallearn.graph.AdjacencyConfusion import AdjacencyConfusion
        from causallearn.graph.ArrowConfusion import ArrowConfusion
        from causallearn.graph.SHD import SHD
        from causallearn.utils.DAG2CPDAG import dag2cpdag
        self.Dag, self.Edge, self.Endpoint = Dag, Edge, Endpoint
        self.GeneralGraph, self.GraphNode, self.SHD, self.dag2cpdag = (
            GeneralGraph, GraphNode, SHD, dag2cpdag)
        self.AdjacencyConfusion, self.ArrowConfusion = AdjacencyConfusion, ArrowConfusion


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--causal-learn", required=True)
    ap.add_argument("--pcalg", required=True)
    args = ap.parse_args()
    cl = CL(args.causal_learn)
    rng = np.random.default_rng(SEED)
    cases = []

    def names_for(p):
        return ["V%d" % (i + 1) for i in range(p)]

    # 1. CPDAG against CPDAG: the truth is the CPDAG of a random DAG, the estimate the CPDAG
    #    of that DAG after a few random deletions, insertions and reversals.
    for i in range(8):
        p = int(rng.integers(6, 13))
        names = names_for(p)
        dag = random_dag(rng, p, float(rng.uniform(0.2, 0.45)))
        dag2 = perturb_dag(rng, p, dag, int(rng.integers(1, 5)))
        cases.append({"name": "cpdag-%d" % (i + 1), "names": names,
                      "truth": cl_cpdag(cl, names, dag), "est": cl_cpdag(cl, names, dag2),
                      "tbows": set(), "ebows": set(),
                      "how": "CPDAGs (causal-learn dag2cpdag) of a random DAG and of a "
                             "perturbed copy"})
    # 2. A DAG against its own CPDAG, and against another DAG.
    for i in range(3):
        p = int(rng.integers(5, 10))
        names = names_for(p)
        dag = random_dag(rng, p, 0.4)
        cases.append({"name": "dag-vs-cpdag-%d" % (i + 1), "names": names, "truth": dag,
                      "est": cl_cpdag(cl, names, dag), "tbows": set(), "ebows": set(),
                      "how": "truth a random DAG, estimate its CPDAG (causal-learn dag2cpdag)"})
    p = 8
    names = names_for(p)
    dag = random_dag(rng, p, 0.35)
    cases.append({"name": "dag-vs-dag", "names": names, "truth": dag,
                  "est": perturb_dag(rng, p, dag, 4), "tbows": set(), "ebows": set(),
                  "how": "a random DAG and a perturbed copy"})
    # 3. Graphs with every kind of mark, and bows.
    for i in range(6):
        p = int(rng.integers(5, 11))
        names = names_for(p)
        t, tb = random_mixed(rng, p, 0.4, int(rng.integers(1, 4)))
        e, eb = perturb_mixed(rng, p, t, tb, int(rng.integers(4, 11)))
        cases.append({"name": "mixed-%d" % (i + 1), "names": names, "truth": t, "est": e,
                      "tbows": tb, "ebows": eb,
                      "how": "random marks (-->, ---, <->, o->, o-o, --o), bows, perturbed"})
    # 4. Edge cases.
    cases.append({"name": "empty-vs-empty", "names": names_for(4), "truth": {}, "est": {},
                  "tbows": set(), "ebows": set(), "how": "no edges"})
    full = {(a, b): (1, 1) for a in range(5) for b in range(a + 1, 5)}
    cases.append({"name": "empty-vs-complete", "names": names_for(5), "truth": full, "est": {},
                  "tbows": set(), "ebows": set(), "how": "complete undirected truth, empty "
                                                         "estimate"})

    # Peers: causal-learn's SHD (truth, est), node orders differing; pcalg's shd(est, truth).
    for c in cases:
        order = list(c["names"])
        perm = [order[int(i)] for i in rng.permutation(len(order))]
        c["est_order"] = perm
        gt = cl_graph(cl, c["names"], order, c["truth"], c["tbows"])
        ge = cl_graph(cl, c["names"], perm, c["est"], c["ebows"])
        c["cl"] = cl.SHD(gt, ge).get_shd()
        adj = cl.AdjacencyConfusion(gt, ge)
        c["cl_adj"] = (adj.get_adj_tp(), adj.get_adj_fp(), adj.get_adj_fn())
        arr = cl.ArrowConfusion(gt, ge)
        c["cl_arrows"] = tuple(int(x) for x in (arr.get_arrows_tp(), arr.get_arrows_fp(),
                                                arr.get_arrows_fn()))
    for c, v in zip(cases, run_pcalg(args.pcalg, cases)):
        c["pcalg"] = v

    out = sys.stdout
    out.write("# Generated by gen_peers.py (seed %d); see README.md. Do not edit by hand.\n"
              % SEED)
    for c in cases:
        out.write("\ncase %s\n# %s\n" % (c["name"], c["how"]))
        out.write("nodes %s\n" % " ".join(c["names"]))
        out.write("estimate_nodes %s\n" % " ".join(c["est_order"]))
        for key, edges, bows in (("truth", c["truth"], c["tbows"]),
                                 ("estimate", c["est"], c["ebows"])):
            for (a, b), (ma, mb) in sorted(edges.items()):
                out.write("%s %s %s %s\n" % (key, c["names"][a], glyph(ma, mb), c["names"][b]))
                if (a, b) in bows:
                    out.write("%s %s <-> %s\n" % (key, c["names"][a], c["names"][b]))
        out.write("shd_causallearn %d\nshd_pcalg %d\n" % (c["cl"], c["pcalg"]))
        out.write("adjacency_causallearn %d %d %d\n" % c["cl_adj"])
        # causal-learn's ArrowConfusion reads a bow's endpoints as TAIL_AND_ARROW or
        # ARROW_AND_ARROW, never ARROW, so it sees no arrowhead on a bow; causa (like Tetrad)
        # reads the bow's directed edge. The counts are comparable only without bows.
        if not c["tbows"] and not c["ebows"]:
            out.write("arrowheads_causallearn %d %d %d\n" % c["cl_arrows"])
        out.write("end\n")


if __name__ == "__main__":
    main()
