"""Tests of causa.Graph: construction, edges and marks, kinds, traversal, separation,
Markov equivalence, comparison, file formats, networkx conversion, errors, lifetime."""

import gc
import math
import os
import tempfile
import unittest

import causa
from causa import errors

try:
    import networkx as nx
except ImportError:
    nx = None


def chain():
    """A --> B --> C, with D --> B: the collider A --> B <-- D and a chain to C."""
    g = causa.Graph(["A", "B", "C", "D"])
    g.add_edge("A", "B")
    g.add_edge("B", "C")
    g.add_edge("D", "B")
    return g


class TestConstruction(unittest.TestCase):
    def test_named_and_numbered(self):
        g = causa.Graph(["x", "y", "z"])
        self.assertEqual(g.nodes, ["x", "y", "z"])
        self.assertEqual(len(g), 3)
        self.assertEqual(causa.Graph(3).nodes, ["X1", "X2", "X3"])
        self.assertEqual(len(causa.Graph(0)), 0)
        self.assertIn("y", g)
        self.assertNotIn("w", g)
        self.assertEqual(g.index("z"), 2)
        self.assertEqual(g.index(-1), 2)
        self.assertEqual(g.name(1), "y")
        self.assertEqual(g.add_node("w"), 3)
        self.assertEqual(g.nodes[-1], "w")

    def test_bad_names(self):
        with self.assertRaises(causa.Error) as cm:
            causa.Graph(["a", "a"])
        self.assertEqual(cm.exception.code, errors.EINVAL)
        self.assertIn("\"a\" is given twice", str(cm.exception))
        with self.assertRaises(causa.Error):
            causa.Graph(["a", ""])
        g = causa.Graph(["a"])
        with self.assertRaises(KeyError):
            g.index("nope")
        with self.assertRaises(IndexError):
            g.index(5)

    def test_repr_and_str(self):
        g = chain()
        self.assertEqual(repr(g), "<causa.Graph mixed: 4 nodes, 3 edges>")
        self.assertEqual(str(g), "A --> B\nB --> C\nB <-- D")
        g.close()
        self.assertEqual(repr(g), "<causa.Graph closed>")
        with self.assertRaises(ValueError):
            g.nodes


class TestEdges(unittest.TestCase):
    def test_every_glyph(self):
        kinds = ["-->", "<--", "---", "<->", "o->", "<-o", "o-o", "--o", "o--"]
        g = causa.Graph(["N%d" % i for i in range(10)])
        for i, k in enumerate(kinds):
            g.add_edge("N0", "N%d" % (i + 1), k)
        for i, k in enumerate(kinds):
            self.assertEqual(g.edge("N0", "N%d" % (i + 1)), k)
            self.assertTrue(g.adjacent("N%d" % (i + 1), "N0"))
        self.assertEqual([e.kind for e in g.edges], kinds)
        e = g.edges[0]
        self.assertEqual(e, causa.Edge("N0", "N1", "-", ">"))
        self.assertEqual(str(e), "N0 --> N1")
        self.assertEqual(g.edges[5], causa.Edge("N0", "N6", ">", "o"))
        self.assertIsNone(g.edge("N1", "N2"))
        # read from the other end, an edge shows its mirror image
        self.assertEqual(g.edge("N5", "N0"), "<-o")

    def test_bad_kind(self):
        g = causa.Graph(2)
        for bad in ("->", "=>", "x-x", "<-<", 3):
            with self.assertRaises(ValueError):
                g.add_edge("X1", "X2", bad)

    def test_bow_remove_set(self):
        g = causa.Graph(["a", "b", "c"])
        g.add_edge("a", "b", "-->")
        g.add_edge("a", "b", "<->")  # a bow
        self.assertEqual(g.num_edges, 2)
        self.assertEqual([e.kind for e in g.edges], ["-->", "<->"])
        self.assertEqual(g.edge("a", "b"), "-->")
        with self.assertRaises(causa.Error) as cm:
            g.add_edge("a", "b", "---")
        self.assertEqual(cm.exception.code, errors.EINVAL)
        g.remove_edge("a", "b")
        self.assertEqual(g.num_edges, 0)
        with self.assertRaises(causa.Error) as cm:
            g.remove_edge("a", "b")
        self.assertEqual(cm.exception.code, errors.ENOTFOUND)
        g.add_edge(0, 2, "o-o")
        g.set_edge("a", "c", "o->")
        self.assertEqual(g.edge("a", "c"), "o->")
        g.set_label("a", "c", "0.83")
        self.assertEqual(g.label("c", "a"), "0.83")
        g.set_label("a", "c", None)
        self.assertIsNone(g.label("a", "c"))

    def test_latent_flag(self):
        g = causa.Graph(["L", "X"])
        self.assertFalse(g.is_latent("L"))
        g.set_latent("L")
        self.assertTrue(g.is_latent("L"))
        g.set_latent("L", False)
        self.assertFalse(g.is_latent("L"))


class TestKind(unittest.TestCase):
    def test_kinds(self):
        g = chain()
        self.assertEqual(g.kind, "mixed")
        self.assertEqual(g.infer_kind(), "dag")
        g.kind = "dag"
        self.assertEqual(g.kind, "dag")
        with self.assertRaises(ValueError):
            g.kind = "tree"

    def test_cycle_is_named(self):
        g = causa.Graph(["A", "B", "C"])
        g.add_edge("A", "B")
        g.add_edge("B", "C")
        g.add_edge("C", "A")
        with self.assertRaises(causa.Error) as cm:
            g.kind = "dag"
        self.assertEqual(cm.exception.code, errors.ECYCLE)
        self.assertIn("directed cycle", str(cm.exception))
        with self.assertRaises(causa.Error) as cm:
            g.topological_order()
        self.assertEqual(cm.exception.code, errors.ECYCLE)


class TestTraversal(unittest.TestCase):
    def test_family(self):
        g = chain()
        self.assertEqual(g.parents("B"), ["A", "D"])
        self.assertEqual(g.children("B"), ["C"])
        self.assertEqual(g.adjacents("B"), ["A", "C", "D"])
        self.assertEqual(g.ancestors("C"), ["A", "B", "C", "D"])
        self.assertEqual(g.ancestors(["A", "D"]), ["A", "D"])
        self.assertEqual(g.descendants("A"), ["A", "B", "C"])
        order = g.topological_order()
        self.assertEqual(sorted(order), ["A", "B", "C", "D"])
        self.assertLess(order.index("A"), order.index("B"))
        self.assertLess(order.index("B"), order.index("C"))

    def test_neighbours_and_spouses(self):
        g = causa.Graph(["a", "b", "c"])
        g.add_edge("a", "b", "---")
        g.add_edge("b", "c", "<->")
        self.assertEqual(g.neighbors("b"), ["a"])
        self.assertEqual(g.spouses("b"), ["c"])


class TestSeparation(unittest.TestCase):
    def test_d_separation(self):
        g = chain()
        # A and D are marginally independent (collider at B) ...
        self.assertTrue(g.separated("A", "D"))
        # ... and dependent given the collider or its descendant C.
        self.assertFalse(g.separated("A", "D", given=["B"]))
        self.assertFalse(g.separated("A", "D", given="C"))
        self.assertFalse(g.separated("A", "C"))
        self.assertTrue(g.separated("A", "C", given=("B",)))
        self.assertTrue(g.separated(["A", "D"], "C", given=["B"]))

    def test_overlap_is_an_error(self):
        g = chain()
        with self.assertRaises(causa.Error) as cm:
            g.separated("A", "C", given=["A"])
        self.assertEqual(cm.exception.code, errors.EINVAL)


class TestEquivalence(unittest.TestCase):
    def test_cpdag_extension_count(self):
        # A --> B <-- D is a v-structure: compelled; B --> C follows by Meek's rule 1.
        g = chain()
        c = g.cpdag()
        self.assertEqual(c.kind, "cpdag")
        self.assertEqual(c.edges, g.edges)  # every edge compelled
        self.assertEqual(c.count_dags(), 1)
        # A chain X --> Y --> Z: its class has 3 DAGs and an undirected CPDAG.
        h = causa.Graph(["X", "Y", "Z"])
        h.add_edge("X", "Y")
        h.add_edge("Y", "Z")
        hc = h.cpdag()
        self.assertEqual([e.kind for e in hc.edges], ["---", "---"])
        self.assertEqual(hc.count_dags(), 3)
        self.assertAlmostEqual(hc.count_dags(log10=True), math.log10(3), places=12)
        d = hc.dag_extension()
        self.assertEqual(d.infer_kind(), "dag")
        self.assertEqual(d.cpdag().edges, hc.edges)
        self.assertEqual(d.compare(h)["adj_tp"], 2)

    def test_meek_returns_a_copy(self):
        # a --> b --- c with a, c not adjacent: rule 1 orients b --> c.
        g = causa.Graph(["a", "b", "c"])
        g.add_edge("a", "b")
        g.add_edge("b", "c", "---")
        m = g.meek()
        self.assertEqual(m.edge("b", "c"), "-->")
        self.assertEqual(g.edge("b", "c"), "---")

    def test_random_dag(self):
        g = causa.random_dag(50, 3.0, seed=7)
        self.assertEqual(len(g), 50)
        self.assertEqual(g.nodes[0], "X1")
        self.assertEqual(g.infer_kind(), "dag")
        again = causa.random_dag(50, 3.0, seed=7)
        self.assertEqual(g.edges, again.edges)
        other = causa.random_dag(50, 3.0, seed=8)
        self.assertNotEqual(g.edges, other.edges)
        self.assertGreater(g.num_edges, 0)


class TestCompare(unittest.TestCase):
    def test_by_hand(self):
        # The C test compare_cpdags_by_hand, through Python: shd 4, adjacency 3/1/1,
        # arrowheads 1/1/2 (the arithmetic is in tests/unit/test_compare.c).
        t = causa.Graph(["A", "B", "C", "D", "E"])
        for a, b, k in [("A", "C", "-->"), ("B", "C", "-->"), ("C", "D", "-->"),
                        ("D", "E", "---")]:
            t.add_edge(a, b, k)
        e = causa.Graph(["E", "D", "C", "B", "A"])  # any node order: matched by name
        for a, b, k in [("A", "C", "-->"), ("C", "B", "-->"), ("C", "D", "---"),
                        ("B", "E", "---")]:
            e.add_edge(a, b, k)
        m = e.compare(t)
        self.assertEqual((m["shd"], m["shd_pcalg"], m["shd_causallearn"]), (4, 4, 4))
        self.assertEqual((m["adj_tp"], m["adj_fp"], m["adj_fn"]), (3, 1, 1))
        self.assertEqual((m["arrow_tp"], m["arrow_fp"], m["arrow_fn"]), (1, 1, 2))
        self.assertAlmostEqual(m["adj_f1"], 0.75)
        self.assertAlmostEqual(m["arrow_precision"], 0.5)
        self.assertAlmostEqual(m["arrow_recall"], 1 / 3)
        self.assertAlmostEqual(m["arrow_f1"], 0.4)
        self.assertEqual(m["confusion"], {("-->", "-->"): 1, ("<--", "-->"): 1,
                                          ("---", "-->"): 1, ("none", "---"): 1,
                                          ("---", "none"): 1, ("none", "none"): 5})
        self.assertEqual(sum(m["confusion"].values()), 10)

    def test_nan_when_undefined(self):
        t = causa.Graph(["a", "b"])
        e = causa.Graph(["b", "a"])
        e.add_edge("a", "b")
        m = e.compare(t)
        self.assertEqual(m["adj_precision"], 0.0)
        self.assertTrue(math.isnan(m["adj_recall"]))
        self.assertEqual(m["adj_f1"], 0.0)
        m = t.compare(t)
        self.assertTrue(all(math.isnan(m[k]) for k in
                            ("adj_precision", "adj_recall", "adj_f1", "arrow_f1")))

    def test_names_must_match(self):
        with self.assertRaises(causa.Error) as cm:
            causa.Graph(["a", "b"]).compare(causa.Graph(["a", "c"]))
        self.assertEqual(cm.exception.code, errors.EINVAL)
        self.assertIn('node "c" of the true graph is not in the estimate', str(cm.exception))
        with self.assertRaises(TypeError):
            causa.Graph(1).compare("X1")


class TestFormats(unittest.TestCase):
    def test_dot_round_trip(self):
        g = causa.Graph(["A", "B", "C"])
        g.add_edge("A", "B")
        g.add_edge("B", "C", "o->")
        g.add_edge("A", "C", "---")
        text = g.to_string("dot")
        self.assertIn("digraph", text)
        h = causa.read_graph_string(text, format="dot")
        self.assertEqual(h.nodes, g.nodes)
        self.assertEqual(h.edges, g.edges)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "g.dot")
            g.write(path)
            r = causa.read_graph(path)
            self.assertEqual(r.edges, g.edges)
            self.assertEqual(causa.Graph.read(path, format="dot").edges, g.edges)

    def test_text_formats_round_trip(self):
        g = causa.Graph(["A", "B", "C", "D"])
        g.add_edge("A", "B")
        g.add_edge("B", "C", "---")
        g.add_edge("D", "B")
        for fmt, matrix in [("json", None), ("tetrad", None), ("dagitty", None),
                            ("matrix", "pcalg-cpdag"), ("matrix", "causal-learn")]:
            with self.subTest(format=fmt, matrix=matrix):
                h = causa.read_graph_string(g.to_string(fmt, matrix=matrix), format=fmt,
                                            matrix=matrix)
                self.assertEqual(h.nodes, g.nodes)
                self.assertEqual(h.edges, g.edges)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "g.csv")
            g.write(path, matrix="pcalg-cpdag")
            self.assertEqual(causa.read_graph(path, matrix="pcalg-cpdag").edges, g.edges)
        # A bnlearn model string holds DAGs only: the library says which edge is wrong.
        with self.assertRaises(causa.Error) as cm:
            g.to_string("bnlearn")
        self.assertIn("B --- C", str(cm.exception))

    def test_errors(self):
        with self.assertRaises(ValueError):
            causa.Graph(1).to_string("pptx")
        with self.assertRaises(ValueError):
            causa.read_graph_string("x", format="matrix", matrix="upside-down")
        with self.assertRaises(causa.Error) as cm:
            causa.read_graph_string("digraph { A -> ; }", format="dot", name="bad.dot")
        self.assertEqual(cm.exception.code, errors.EPARSE)
        self.assertIn("bad.dot:1:", str(cm.exception))
        with self.assertRaises(causa.Error) as cm:
            causa.read_graph("/nonexistent/g.dot")
        self.assertEqual(cm.exception.code, errors.EIO)


@unittest.skipIf(nx is None, "networkx is not installed")
class TestNetworkx(unittest.TestCase):
    def test_dag_is_a_digraph(self):
        g = chain()
        G = g.to_networkx()
        self.assertIsInstance(G, nx.DiGraph)
        self.assertNotIsInstance(G, nx.MultiDiGraph)
        self.assertEqual(list(G.nodes), ["A", "B", "C", "D"])
        self.assertEqual(sorted(G.edges), [("A", "B"), ("B", "C"), ("D", "B")])
        self.assertTrue(nx.is_directed_acyclic_graph(G))
        back = causa.Graph.from_networkx(G)
        self.assertEqual(back.edges, g.edges)

    def test_from_plain_networkx(self):
        D = nx.DiGraph([(1, 2), (2, 3)])
        g = causa.Graph.from_networkx(D)
        self.assertEqual(g.nodes, ["1", "2", "3"])
        self.assertEqual([str(e) for e in g.edges], ["1 --> 2", "2 --> 3"])
        U = nx.Graph([("a", "b")])
        self.assertEqual(causa.Graph.from_networkx(U).edge("a", "b"), "---")

    def test_marks_round_trip(self):
        g = causa.Graph(["a", "b", "c", "d"])
        g.add_edge("a", "b", "o->")
        g.add_edge("b", "c", "---")
        g.add_edge("c", "d", "-->")
        g.add_edge("c", "d", "<->")  # a bow: two arcs
        G = g.to_networkx()
        self.assertIsInstance(G, nx.MultiDiGraph)
        self.assertEqual(G.number_of_edges(), 4)
        self.assertEqual(G.get_edge_data("a", "b")[0]["marks"], ("o", ">"))
        self.assertEqual(G.get_edge_data("a", "b")[0]["kind"], "o->")
        back = causa.Graph.from_networkx(G)
        self.assertEqual(back.edges, g.edges)
        self.assertEqual(back.compare(g)["shd"], 0)


class TestLifetime(unittest.TestCase):
    def test_results_outlive_their_source(self):
        ctx = causa.Context()
        g = causa.Graph(["a", "b"], ctx=ctx)
        g.add_edge("a", "b")
        c = g.copy()
        del g
        gc.collect()
        self.assertEqual(c.edges, [causa.Edge("a", "b", "-", ">")])
        ctx.close()
        self.assertTrue(c.closed)

    def test_context_manager(self):
        with causa.Graph(2) as g:
            g.add_edge(0, 1)
        self.assertTrue(g.closed)


if __name__ == "__main__":
    unittest.main()
