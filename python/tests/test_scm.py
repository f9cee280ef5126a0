"""Tests of causa.SCM: reading model files and BIF networks, building models, sampling
(observational and interventional), counterfactuals, ACE, the model file round trip,
thread-count independence and errors."""

import math
import os
import tempfile
import unittest

import causa
from causa import errors

try:
    import numpy as np
except ImportError:
    np = None

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, os.pardir, "tests", "data")
SMALL = os.path.join(DATA, "scm", "small.json")
ASIA = os.path.join(DATA, "networks", "asia.bif")


def chain():
    """X -> Y -> Z, X -> Z: linear Gaussian with hand-checkable numbers."""
    g = causa.Graph(["X", "Y", "Z"])
    g.add_edge("X", "Y")
    g.add_edge("Y", "Z")
    g.add_edge("X", "Z")
    m = causa.SCM.from_graph(g)
    m.set_root("X", {"dist": "gaussian", "loc": 0, "scale": 1})
    m.set_linear("Y", [2.0], noise={"dist": "gaussian", "loc": 0, "scale": 1})
    m.set_linear("Z", [-1.0, 0.5], intercept=0.25,
                 noise={"dist": "gaussian", "loc": 0, "scale": 1})
    return m


def mean(ds, col):
    x = ds.column(col)
    return sum(x) / len(x)


class TestRead(unittest.TestCase):
    def test_model_file(self):
        m = causa.SCM.read(SMALL)
        self.assertEqual(m.nodes, ["X", "S", "Y", "Z"])
        self.assertEqual(m.parents("Z"), ["X", "Y"])
        self.assertTrue(m.is_discrete("S"))
        self.assertEqual(m.levels("S"), ["no", "yes"])
        self.assertEqual(m.levels("X"), [])
        self.assertEqual(m.ninputs("Y"), 2)
        self.assertEqual(m.mechanism("Y")["kind"], "linear")
        self.assertEqual(m.mechanism("Y")["weights"], [2, 0.5])
        self.assertEqual(len(m), 4)
        self.assertIn("4 nodes", repr(m))

    def test_bif(self):
        m = causa.read_scm(ASIA)
        self.assertEqual(len(m), 8)
        self.assertEqual(m.levels("smoke"), ["yes", "no"])
        self.assertEqual(m.mechanism("smoke")["table"], [[0.5, 0.5]])
        g = m.graph
        self.assertEqual(g.nodes, m.nodes)

    def test_errors(self):
        with self.assertRaises(causa.Error) as cm:
            causa.SCM.read("/nonexistent/model.json")
        self.assertEqual(cm.exception.code, errors.EIO)
        with self.assertRaises(causa.Error) as cm:
            causa.SCM.from_string('{"format": "causa-scm", "version": 1, "nodes": [')
        self.assertEqual(cm.exception.code, errors.EPARSE)
        with self.assertRaises(TypeError):
            causa.SCM()


class TestSample(unittest.TestCase):
    def test_moments(self):
        m = chain()
        ds = m.sample(100000, seed=3)
        self.assertEqual(ds.shape, (100000, 3))
        self.assertEqual(ds.columns, ["X", "Y", "Z"])
        # Var Y = 4 + 1; E Z = 0.25; Z = -X + 0.5 (2X + N2) + 0.25 + N3 = 0.25 + 0.5 N2 + N3
        y = ds.column("Y")
        vy = sum(v * v for v in y) / len(y)
        self.assertAlmostEqual(vy, 5.0, delta=4.5 * math.sqrt(2 * 25 / 1e5))
        self.assertAlmostEqual(mean(ds, "Z"), 0.25, delta=4.5 * math.sqrt(1.25 / 1e5))

    def test_interventions(self):
        m = chain()
        ds = m.sample(50000, do={"X": 1.5}, seed=4)
        self.assertEqual(set(ds.column("X")), {1.5})
        self.assertAlmostEqual(mean(ds, "Y"), 3.0, delta=4.5 * math.sqrt(1 / 5e4))
        ds2 = m.sample(50000, shift="Y=1", seed=4)
        self.assertAlmostEqual(mean(ds2, "Y"), 1.0, delta=4.5 * math.sqrt(5 / 5e4))
        ds3 = m.sample(20000, draw={"X": {"dist": "uniform", "low": 2, "high": 3}}, seed=4)
        self.assertTrue(all(2 <= x < 3 for x in ds3.column("X")))
        self.assertAlmostEqual(mean(ds3, "Y"), 5.0, delta=4.5 * math.sqrt(1.4 / 2e4))
        d = causa.SCM.read(ASIA).sample(1000, do={"smoke": "no"}, seed=2)
        self.assertEqual(set(d.column("smoke")), {1.0})  # the code of "no"

    def test_same_seed_any_threads(self):
        m = causa.SCM.read(SMALL)
        a = m.sample(10000, seed=9)
        with causa.Context(threads=2) as ctx:
            m2 = causa.SCM.read(SMALL, ctx=ctx)
            b = m2.sample(10000, seed=9)
            for c in m.nodes:
                self.assertEqual(list(a.column(c)), list(b.column(c)))
            m2.close()

    def test_errors(self):
        m = causa.SCM.read(SMALL)
        with self.assertRaises(causa.Error) as cm:
            m.sample(5, do={"W": 1})
        self.assertEqual(cm.exception.code, errors.ENOTFOUND)
        self.assertIn("unknown variable 'W'", str(cm.exception))
        with self.assertRaises(causa.Error) as cm:
            m.sample(5, do={"S": "maybe"})
        self.assertIn("no level 'maybe'", str(cm.exception))
        with self.assertRaises(causa.Error):
            m.sample(5, shift={"S": 1})
        with self.assertRaises(causa.Error):
            m.sample(-1)
        with self.assertRaises(KeyError):
            m.parents("nope")


class TestCounterfactual(unittest.TestCase):
    def test_exact(self):
        m = chain()
        obs = causa.read_csv_string("X,Y,Z\n1,3,0.5\n-2,0,4\n")
        cf = m.counterfactual(obs, do={"X": 2})
        self.assertEqual(list(cf.column("X")), [2, 2])
        self.assertEqual(list(cf.column("Y")), [5, 8])
        self.assertEqual(list(cf.column("Z")), [0.5, 4])
        noise = m.abduct(obs)
        self.assertEqual(list(noise.column("Y")), [1, 4])

    def test_small_model(self):
        m = causa.SCM.read(SMALL)
        obs = causa.read_csv(os.path.join(DATA, "scm", "observed.csv"))
        cf = m.counterfactual(obs, shift={"Y": 1})
        self.assertEqual(list(cf.column("Y")), [4.5, -2, 3])
        self.assertEqual(list(cf.column("Z")), [1, 4.5, 1.75])


class TestACE(unittest.TestCase):
    def test_linear(self):
        r = chain().ace("X", "Z", 1.0, 0.0, n=5000, seed=1)
        self.assertIsInstance(r, causa.ACE)
        self.assertAlmostEqual(r.ace, 0.0, delta=1e-12)  # -1 + 0.5 * 2
        self.assertLess(r.se, 1e-12)
        r = chain().ace("X", "Y", 1.0, -1.0, n=5000)
        self.assertAlmostEqual(r.ace, 4.0, delta=1e-12)
        self.assertEqual(r.n, 5000)

    def test_discrete(self):
        m = causa.SCM.read(ASIA)
        r = m.ace("smoke", "dysp", "yes", "no", n=50000, level="yes", seed=5)
        self.assertAlmostEqual(r.ace, 0.2315, delta=4.5 * r.se + 0.002)
        with self.assertRaises(KeyError):
            m.ace("smoke", "dysp", "maybe", "no")


class TestFile(unittest.TestCase):
    def test_round_trip(self):
        m = causa.SCM.read(SMALL)
        text = m.to_string()
        self.assertEqual(causa.SCM.from_string(text).to_string(), text)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.json")
            m.write(path)
            back = causa.SCM.read(path)
            a, b = m.sample(2000, seed=3), back.sample(2000, seed=3)
            for c in m.nodes:
                self.assertEqual(list(a.column(c)), list(b.column(c)))

    def test_build_every_kind(self):
        g = causa.Graph(["A", "B", "C", "D", "E"])
        for a, b in [("A", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("D", "E")]:
            g.add_edge(a, b)
        m = causa.SCM.from_graph(g)
        m.set_discrete("E", ["lo", "hi"])
        m.set_root("A", {"dist": "uniform", "low": -1, "high": 1})
        m.set_mechanism("B", {"kind": "poly", "degree": 2, "intercept": 0.1,
                              "weights": [1, 0.5], "noise": {"dist": "laplace", "loc": 0,
                                                             "scale": 0.2}})
        m.set_mechanism("C", {"kind": "spline", "degree": 2, "intercept": 0,
                              "knots": [[-1, 0, 1], [-2, 0, 2]],
                              "coefs": [[1, 0, -1, 0.5], [0, 1, 0, 1]],
                              "noise": {"dist": "student-t", "loc": 0, "scale": 0.1, "df": 4},
                              "scale": {"intercept": -1, "weights": [0.1, 0.2]}})
        m.set_mechanism("D", {"kind": "mlp", "activation": "relu", "hidden": [2],
                              "weights": [1, -1, 0, 0, 2, 3, 0.5],
                              "noise": {"dist": "empirical", "values": [-0.1, 0.1]}})
        m.set_logistic("E", [[0, 0], [0.5, -1]])
        m.check()
        back = causa.SCM.from_string(m.to_string())
        a, b = m.sample(500, seed=8), back.sample(500, seed=8)
        for c in m.nodes:
            self.assertEqual(list(a.column(c)), list(b.column(c)))
        with self.assertRaises(causa.Error) as cm:
            m.set_linear("B", [1, 2])
        self.assertEqual(cm.exception.code, errors.EINVAL)


class TestStochasticInterventions(unittest.TestCase):
    """draw=: the CLI's --do-dist text, parsed by causa_scm_parse_dist_interventions."""

    def test_sample_text_and_dicts(self):
        m = chain()
        n = 40000
        ds = m.sample(n, draw="X=normal(3,2)", seed=11)
        x = ds.column("X")
        mx = sum(x) / n
        vx = sum((v - mx) ** 2 for v in x) / (n - 1)
        self.assertAlmostEqual(mx, 3.0, delta=4.5 * math.sqrt(4 / n))
        self.assertAlmostEqual(vx, 4.0, delta=4.5 * 4 * math.sqrt(2 / n))
        # Y = 2 X + N: E Y = 6 under the intervention (0 observationally).
        self.assertAlmostEqual(mean(ds, "Y"), 6.0, delta=4.5 * math.sqrt(17 / n))
        # The same distribution given as dict text, or as a distribution dict: the same bits.
        for draw in ({"X": "normal(3, 2)"}, {"X": {"dist": "gaussian", "loc": 3, "scale": 2}}):
            other = m.sample(n, draw=draw, seed=11)
            for c in m.nodes:
                self.assertEqual(list(ds.column(c)), list(other.column(c)))

    def test_categorical(self):
        m = causa.SCM.read(SMALL)
        n = 20000
        ds = m.sample(n, draw="S=categorical(no=0.2,yes=0.8)", seed=3)
        p_yes = sum(ds.column("S")) / n  # codes: no = 0, yes = 1
        self.assertAlmostEqual(p_yes, 0.8, delta=4.5 * math.sqrt(0.16 / n))
        same = m.sample(n, draw={"S": "categorical(1, 4)"}, seed=3)
        self.assertEqual(list(ds.column("S")), list(same.column("S")))

    def test_counterfactual_and_ace(self):
        m = chain()
        obs = m.sample(200, seed=5)
        cf = m.counterfactual(obs, draw="X=uniform(10,11)", seed=6)
        x0, y0 = obs.column("X"), obs.column("Y")
        x1, y1 = cf.column("X"), cf.column("Y")
        for i in range(200):
            self.assertTrue(10 <= x1[i] < 11)
            # Y's abducted noise is kept: Y - 2 X is the same in both worlds.
            self.assertAlmostEqual(y1[i] - 2 * x1[i], y0[i] - 2 * x0[i], places=9)
        again = m.counterfactual(obs, draw="X=uniform(10,11)", seed=6)
        self.assertEqual(list(again.column("X")), list(x1))
        # ACE of Y on Z with X drawn in both arms: Z = -X + 0.5 Y + ..., so 0.5 exactly
        # (common random numbers).
        r = m.ace("Y", "Z", 1, 0, n=5000, seed=2, draw={"X": "laplace(1,2)"})
        self.assertAlmostEqual(r.ace, 0.5, places=9)
        self.assertAlmostEqual(r.mean_b, 0.25 - 1.0, delta=4.5 * math.sqrt(9 / 5000))

    def test_errors(self):
        m = causa.SCM.read(SMALL)
        with self.assertRaises(causa.Error) as cm:
            m.sample(5, draw="X=gamma(1,2)")
        self.assertEqual(cm.exception.code, errors.EINVAL)
        self.assertIn("unknown distribution 'gamma'", str(cm.exception))
        with self.assertRaises(causa.Error) as cm:
            m.sample(5, draw={"W": "normal(0,1)"})
        self.assertEqual(cm.exception.code, errors.ENOTFOUND)
        with self.assertRaises(causa.Error) as cm:
            m.sample(5, draw="X=normal(0,-1)")
        self.assertIn("must be > 0", str(cm.exception))
        with self.assertRaises(causa.Error) as cm:
            m.sample(5, do={"X": 1}, draw="X=normal(0,1)")
        self.assertIn("named twice", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
