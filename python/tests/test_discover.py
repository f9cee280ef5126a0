"""causa.discover: PC and its variants from Python, checked against the CLI's result and
against the known truth of a simulated linear-Gaussian data set."""

import os
import unittest

import causa

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DATA = os.path.join(ROOT, "tests", "data", "pcalg")


class DiscoverTest(unittest.TestCase):
    def test_pc_matches_pcalg_skeleton(self):
        # pcalg 2.7-12's skeleton(method = "stable") with gaussCItest, stored as data
        # (tests/data/pcalg/README.md), on four data sets at two levels. The numbers of
        # tests of order >= 1 agree too; at order 0 pcalg also counts each kept pair twice.
        for prefix in ("lg_p10_n500", "lg_p20_n1000", "lg_p30_n2000", "lg_p50_n1000"):
            ds = causa.read_csv(os.path.join(DATA, prefix + ".csv"))
            for alpha in ("0.01", "0.05"):
                with self.subTest(data=prefix, alpha=alpha):
                    g, rep = causa.discover(ds, algorithm="pc", test="fisher-z",
                                            alpha=float(alpha), report=True)
                    ours = sorted(tuple(sorted((e.a, e.b))) for e in g.edges)
                    base = os.path.join(DATA, "%s.%%s_stable_a%s.%%s" % (prefix, alpha))
                    with open(base % ("skel", "edges")) as f:
                        theirs = sorted(tuple(sorted((ln.split()[0], ln.split()[2])))
                                        for ln in f if ln.strip())
                    self.assertEqual(ours, theirs)
                    with open(base % ("pc", "ntests")) as f:
                        counts = [int(v) for v in f.read().split()]
                    self.assertEqual(rep["report"]["tests_by_depth"][1:], counts[1:])

    def test_report_and_variants(self):
        ds = causa.read_csv(os.path.join(DATA, "lg_p10_n500.csv"))
        g, rep = causa.discover(ds, algorithm="cpc", alpha=0.05, report=True)
        self.assertIsInstance(rep, dict)
        self.assertEqual(len(g.nodes), 10)
        for algo in ("mpc", "maxp"):
            self.assertEqual(len(causa.discover(ds, algorithm=algo).nodes), 10)

    def test_errors(self):
        ds = causa.read_csv(os.path.join(DATA, "lg_p10_n500.csv"))
        with self.assertRaises(causa.Error) as cm:
            causa.discover(ds, alpha=1.5)
        self.assertIn("alpha", cm.exception.message)
        with self.assertRaises(ValueError):
            causa.discover(ds, algorithm="nope")
        with self.assertRaises(causa.Error):
            causa.discover(ds, test="no-such-test")


if __name__ == "__main__":
    unittest.main()
