"""Tests of causa.fit, causa.simulate and causa.simulate_var (python/causa/fit.py)."""

import math
import os
import tempfile
import unittest

import causa

try:
    import numpy as np
except ImportError:
    np = None


def _have_scm():
    try:
        from causa import scm  # noqa: F401
        return True
    except ImportError:
        return False


@unittest.skipUnless(np is not None, "needs NumPy")
@unittest.skipUnless(_have_scm(), "needs causa.scm (the SCM wrapper)")
class TestFit(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(7)
        n = 500
        x = rng.normal(size=n)
        y = 1.0 + 2.0 * x + 0.3 * rng.normal(size=n)
        z = np.sin(2 * x) + 0.5 * y + 0.2 * rng.normal(size=n)
        self.arr = np.column_stack([x, y, z])
        self.data = causa.Dataset.from_numpy(self.arr, columns=["x", "y", "z"])
        g = causa.Graph(["x", "y", "z"])
        g.add_edge("x", "y")
        g.add_edge("x", "z")
        g.add_edge("y", "z")
        self.graph = g

    def test_linear_matches_numpy(self):
        scm, rep = causa.fit(self.data, self.graph, mechanism="linear", folds=0,
                             return_report=True)
        self.assertIsInstance(scm, causa.SCM)
        a = np.column_stack([np.ones(500), self.arr[:, 0], self.arr[:, 1]])
        want = np.linalg.lstsq(a, self.arr[:, 2], rcond=None)[0]
        z = rep.nodes[2]
        self.assertEqual(z["family"], "linear")
        self.assertEqual(z["coefs"], 3)
        resid = self.arr[:, 2] - a @ want
        self.assertAlmostEqual(z["noise_sd"], math.sqrt(resid @ resid / (500 - 3)), places=10)
        self.assertIsNone(z["cv_error"])
        self.assertEqual(rep.nodes[0]["family"], "root")

    def test_auto_and_report(self):
        scm, rep = causa.fit(self.data, self.graph, return_report=True, seed=3)
        fams = [nd["family"] for nd in rep.nodes]
        self.assertEqual(fams[:2], ["root", "linear"])
        self.assertIn(fams[2], ("spline", "poly2"))  # sin(2x) + linear part
        self.assertIn("HSIC p", rep.table)
        self.assertEqual(rep.json["fits"][1]["name"], "y")
        self.assertEqual(set(rep.nodes[1]["cv"]), {"linear", "poly2", "spline"})
        self.assertIn("linear", str(rep))

    def test_errors(self):
        g = causa.Graph(["x", "y", "w"])
        g.add_edge("x", "y")
        with self.assertRaises(causa.Error) as cm:
            causa.fit(self.data, g)
        self.assertIn("node 'w' of the graph is not a column of the data", str(cm.exception))
        cyc = causa.Graph(["x", "y", "z"])
        cyc.add_edge("x", "y")
        cyc.add_edge("y", "z")
        cyc.add_edge("z", "x")
        with self.assertRaises(causa.Error) as cm:
            causa.fit(self.data, cyc)
        self.assertIn("directed cycle", str(cm.exception))
        with self.assertRaises(ValueError):
            causa.fit(self.data, self.graph, mechanism="mlp")


@unittest.skipUnless(_have_scm(), "needs causa.scm (the SCM wrapper)")
class TestSimulate(unittest.TestCase):
    def test_list_and_determinism(self):
        sets = causa.simulate(nodes=6, degree=2, n=100, datasets=3, seed=11,
                              mechanism="mixed", discrete_fraction=0.3)
        self.assertEqual(len(sets), 3)
        data, graph, scm = sets[1]
        self.assertEqual(data.shape, (100, 6))
        self.assertEqual(graph.nodes, ["X1", "X2", "X3", "X4", "X5", "X6"])
        self.assertIsInstance(scm, causa.SCM)
        again = causa.simulate(nodes=6, degree=2, n=100, datasets=3, seed=11,
                               mechanism="mixed", discrete_fraction=0.3)
        for (a, _, _), (b, _, _) in zip(sets, again):
            self.assertEqual(a.to_numpy().tolist(), b.to_numpy().tolist())
        self.assertEqual(sum(t == "discrete" for t in data.types), 2)

    def test_write_dir(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "run")
            ctx = causa.Context(threads=2)
            self.assertEqual(causa.simulate(nodes=5, n=20, datasets=4, dir=out, ctx=ctx,
                                            graph="scale-free", format="npy",
                                            graph_format="txt"), out)
            self.assertEqual(sorted(os.listdir(out)), ["dataset_%04d" % k for k in range(1, 5)])
            self.assertEqual(sorted(os.listdir(os.path.join(out, "dataset_0002"))),
                             ["data.npy", "graph.txt", "model.json"])
            ctx.close()

    def test_bad_options(self):
        with self.assertRaises(ValueError):
            causa.simulate(graph="tree")
        with self.assertRaises(causa.Error) as cm:
            causa.simulate(nodes=3, degree=4)
        self.assertIn("degree", str(cm.exception))


class TestSimulateVar(unittest.TestCase):
    def test_series(self):
        series, window, coefs = causa.simulate_var(nodes=3, lags=2, n=300, seed=4)[0]
        self.assertEqual(series.shape, (300, 3))
        self.assertEqual(len(window), 9)
        self.assertEqual(window.nodes[-1], "X3[t]")
        self.assertEqual(len(coefs), 3)
        nonzero = sum(1 for l in range(3) for row in coefs[l] for w in row if w != 0)
        self.assertEqual(window.nedges if hasattr(window, "nedges") else len(window.edges),
                         sum(1 for l in range(3) for row in coefs[l] for w in row if w != 0
                             for _ in range(3 - l)))
        self.assertGreater(nonzero, 0)
        with tempfile.TemporaryDirectory() as d:
            causa.simulate_var(nodes=3, n=50, datasets=2, dir=d)
            self.assertEqual(sorted(os.listdir(os.path.join(d, "dataset_0002"))),
                             ["coefs.csv", "data.csv", "graph.json", "summary.csv"])


if __name__ == "__main__":
    unittest.main()
