"""Tests of causa.data: CSV and .npy reading and writing, NumPy exchange, errors."""

import array
import os
import shutil
import tempfile
import threading
import unittest

import causa
from causa import _array, errors

try:
    import numpy as np
except ImportError:
    np = None

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
SACHS = os.path.join(ROOT, "data", "sachs.csv")
need_numpy = unittest.skipIf(np is None, "NumPy is not installed")


class TempDir(unittest.TestCase):
    """A fresh temporary folder per test; write(name, text) puts a file in it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="causa-test-")
        self.addCleanup(shutil.rmtree, self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)


class TestSachs(unittest.TestCase):
    """data/sachs.csv: 853 rows of 11 protein expression levels (Sachs et al. 2005)."""

    @classmethod
    def setUpClass(cls):
        cls.ds = causa.read_csv(SACHS)

    @classmethod
    def tearDownClass(cls):
        cls.ds.close()

    def test_shape_and_columns(self):
        self.assertEqual(self.ds.shape, (853, 11))
        self.assertEqual(len(self.ds), 853)
        self.assertEqual(self.ds.columns[0], "Raf")
        self.assertEqual(self.ds.columns,
                         ["Raf", "Mek", "Plcg", "PIP2", "PIP3", "Erk", "Akt", "PKA", "PKC",
                          "P38", "Jnk"])
        self.assertEqual(self.ds.types, ["continuous"] * 11)
        self.assertEqual(self.ds.levels("Raf"), [])
        self.assertEqual(self.ds.dropped_rows, 0)
        self.assertIn("853 x 11", repr(self.ds))

    def test_column(self):
        raf = self.ds.column("Raf")
        self.assertEqual(raf[0], 26.4)
        self.assertEqual(len(raf), 853)
        self.assertEqual(list(self.ds.column(-1)), list(self.ds.column("Jnk")))
        self.assertEqual(self.ds.index("Jnk"), 10)
        with self.assertRaises(KeyError):
            self.ds.column("nope")
        with self.assertRaises(IndexError):
            self.ds.column(11)

    @need_numpy
    def test_values_match_numpy_loadtxt(self):
        ref = np.loadtxt(SACHS, delimiter=",", skiprows=1)
        x = self.ds.to_numpy()
        self.assertEqual(x.dtype, np.float64)
        self.assertEqual(x.shape, (853, 11))
        self.assertTrue(x.flags.f_contiguous and x.flags.writeable and x.flags.owndata)
        self.assertEqual(x[0, 0], 26.4)
        # Both parse each decimal to the nearest double, so they agree exactly.
        np.testing.assert_array_equal(x, ref)
        np.testing.assert_allclose(x.mean(axis=0), ref.mean(axis=0), rtol=1e-12)
        np.testing.assert_array_equal(self.ds.column("Mek"), ref[:, 1])

    @need_numpy
    def test_summary(self):
        ref = np.loadtxt(SACHS, delimiter=",", skiprows=1)
        rows = self.ds.summary()
        self.assertEqual([r["name"] for r in rows], self.ds.columns)
        for j, r in enumerate(rows):
            self.assertEqual(set(r), {"name", "type", "nlevels", "min", "max", "mean", "sd",
                                      "missing"})
            self.assertEqual((r["type"], r["nlevels"], r["missing"]), ("continuous", 0, 0))
            self.assertEqual((r["min"], r["max"]), (ref[:, j].min(), ref[:, j].max()))
            self.assertAlmostEqual(r["mean"], ref[:, j].mean(), delta=1e-12 * abs(r["mean"]))
            self.assertAlmostEqual(r["sd"], ref[:, j].std(ddof=1), delta=1e-10 * r["sd"])


class TestCsvOptions(TempDir):
    def test_mixed_text_column_is_discrete(self):
        path = self.write("mixed.csv", "x,colour,y\n1.5,red,1\n2.5,blue,2\n3.5,red,3\n"
                                       "4.5,green,1\n")
        with causa.read_csv(path) as ds:
            self.assertEqual(ds.types, ["continuous", "discrete", "continuous"])
            levels = ds.levels("colour")
            self.assertEqual(sorted(levels), ["blue", "green", "red"])
            codes = list(ds.column("colour"))
            self.assertEqual([levels[int(c)] for c in codes], ["red", "blue", "red", "green"])
            s = ds.summary()[1]
            self.assertEqual((s["type"], s["nlevels"]), ("discrete", 3))
            self.assertIn("1 discrete", repr(ds))

    def test_max_levels(self):
        path = self.write("lv.csv", "a,b\n1,0.5\n2,1.5\n1,2.5\n2,3.5\n")
        with causa.read_csv(path) as ds:
            self.assertEqual(ds.types, ["continuous", "continuous"])
        with causa.read_csv(path, max_levels=3) as ds:
            self.assertEqual(ds.types, ["discrete", "continuous"])
            self.assertEqual(len(ds.levels("a")), 2)
        with causa.read_csv(path, data_type="discrete") as ds:
            self.assertEqual(ds.types, ["discrete", "discrete"])
            self.assertEqual(len(ds.levels(1)), 4)

    def test_header_and_delimiter(self):
        path = self.write("semi.csv", "1;2\n3;4\n")
        with causa.read_csv(path, header=False, delimiter=";") as ds:
            self.assertEqual(ds.shape, (2, 2))
            self.assertEqual(ds.columns, ["X1", "X2"])
            self.assertEqual(list(ds.column("X2")), [2.0, 4.0])
        path = self.write("ws.txt", "a  b\n1 \t 2\n")
        with causa.read_csv(path, delimiter=" ") as ds:
            self.assertEqual((ds.columns, list(ds.column("b"))), (["a", "b"], [2.0]))

    def test_missing_values(self):
        path = self.write("na.csv", "a,b\n1,2\n3,NA\n5,6\n,8\n9,10\n")
        with self.assertRaises(causa.Error) as cm:
            causa.read_csv(path)
        self.assertIn(cm.exception.name, ("EPARSE", "EDATA"))
        self.assertIn("na.csv:3:", cm.exception.message)  # file:line of the first one
        with causa.read_csv(path, missing="drop") as ds:
            self.assertEqual(ds.shape, (3, 2))
            self.assertEqual(ds.dropped_rows, 2)
            self.assertEqual(list(ds.column("a")), [1.0, 5.0, 9.0])

    def test_missing_marker(self):
        path = self.write("mk.csv", "a,b\n1,2\n-999,4\n5,6\n")
        with causa.read_csv(path) as ds:
            self.assertEqual(len(ds), 3)
        with causa.read_csv(path, missing="drop", missing_marker="-999") as ds:
            self.assertEqual((len(ds), ds.dropped_rows), (2, 1))

    def test_quoted_field(self):
        path = self.write("q.csv", 'name,v\n"a, b",1\nc,2\n')
        with causa.read_csv(path) as ds:
            self.assertEqual(sorted(ds.levels("name")), ["a, b", "c"])

    def test_read_csv_string(self):
        with causa.read_csv_string("u,v\n1,2\n3,4\n") as ds:
            self.assertEqual((ds.shape, ds.columns), ((2, 2), ["u", "v"]))
        with self.assertRaises(causa.Error) as cm:
            causa.read_csv_string(b"u,v\n1,2\n3\n", name="inline")
        self.assertIn("inline:3:", cm.exception.message)

    def test_bad_arguments(self):
        for kwargs in ({"data_type": "fuzzy"}, {"missing": "ignore"}, {"delimiter": ",,"},
                       {"quote": ""}):
            with self.assertRaises(ValueError, msg=kwargs):
                causa.read_csv(SACHS, **kwargs)
        with self.assertRaises(causa.Error) as cm:  # checked by the library itself
            causa.read_csv(SACHS, max_levels=-1)
        self.assertEqual(cm.exception.name, "EINVAL")
        self.assertIn("max_levels", cm.exception.message)

    def test_path_like(self):
        import pathlib
        with causa.read_csv(pathlib.Path(SACHS)) as ds:
            self.assertEqual(ds.shape, (853, 11))


class TestErrors(TempDir):
    def test_missing_file(self):
        path = self.path("no-such-file.csv")
        with self.assertRaises(causa.Error) as cm:
            causa.read_csv(path)
        e = cm.exception
        self.assertEqual((e.code, e.name), (errors.EIO, "EIO"))
        self.assertIn(path, e.message)
        self.assertIn(path, str(e))

    def test_ragged_csv(self):
        path = self.write("ragged.csv", "a,b,c\n1,2,3\n4,5\n7,8,9\n")
        with self.assertRaises(causa.Error) as cm:
            causa.read_csv(path)
        e = cm.exception
        self.assertEqual((e.code, e.name), (errors.EPARSE, "EPARSE"))
        self.assertRegex(e.message, r"ragged\.csv:3:\d+")

    def test_error_does_not_leak(self):
        ctx = causa.Context()
        bad = self.write("ragged.csv", "a,b\n1,2\n3\n")
        with self.assertRaises(causa.Error):
            causa.read_csv(bad, ctx=ctx)
        # The message was taken and cleared: the context holds no error now...
        self.assertEqual(causa._lib.lib.causa_errcode(ctx._p), 0)
        self.assertEqual(causa._lib.lib.causa_errmsg(ctx._p), b"")
        # ...a later success raises nothing, and a later failure reports only itself.
        with causa.read_csv(SACHS, ctx=ctx) as ds:
            self.assertEqual(ds.shape, (853, 11))
        missing = self.path("missing.csv")
        with self.assertRaises(causa.Error) as cm:
            causa.read_csv(missing, ctx=ctx)
        self.assertEqual(cm.exception.name, "EIO")
        self.assertNotIn("ragged", cm.exception.message)
        ctx.close()

    def test_bad_npy(self):
        path = self.write("text.npy", "not a npy file\n")
        with self.assertRaises(causa.Error) as cm:
            causa.read_npy(path)
        self.assertIn(cm.exception.name, ("EPARSE", "EUNSUPPORTED"))
        with self.assertRaises(causa.Error) as cm:
            causa.read_npy(self.path("absent.npy"))
        self.assertEqual(cm.exception.name, "EIO")

    def test_write_to_missing_folder(self):
        with causa.read_csv(SACHS) as ds:
            with self.assertRaises(causa.Error) as cm:
                ds.write_csv(self.path("no/such/dir/out.csv"))
        self.assertEqual(cm.exception.name, "EIO")


@need_numpy
class TestRoundTrips(TempDir):
    def test_csv_round_trip_is_bit_exact(self):
        with causa.read_csv(SACHS) as ds:
            x = ds.to_numpy()
            ds.write_csv(self.path("out.csv"))
        with causa.read_csv(self.path("out.csv")) as back:
            self.assertEqual(back.columns[0], "Raf")
            np.testing.assert_array_equal(back.to_numpy(), x)

    def test_csv_round_trip_of_awkward_doubles(self):
        rng = np.random.default_rng(7)
        x = rng.standard_normal((50, 4)) * 10.0 ** rng.integers(-300, 300, (50, 4))
        x[0] = [0.1, 1 / 3, 2.0**-1022, np.finfo(float).max]
        x[1] = [-0.0, 1e22, 123456789012345678.0, -1e-300]
        with causa.Dataset.from_numpy(x) as ds:
            ds.write_csv(self.path("w.csv"))
        with causa.read_csv(self.path("w.csv")) as back:
            y = back.to_numpy()
        self.assertEqual(y.tobytes(), x.tobytes())  # bit-exact, signs of zero included

    def test_csv_round_trip_of_subnormals(self):
        x = np.array([[5e-324, 1.0], [2.2250738585072009e-308, 2.0]])
        with causa.Dataset.from_numpy(x) as ds:
            ds.write_csv(self.path("sub.csv"))
        with causa.read_csv(self.path("sub.csv")) as back:
            self.assertEqual(back.to_numpy().tobytes(), x.tobytes())

    def test_csv_round_trip_keeps_levels(self):
        path = self.write("m.csv", "g,v\nlow,1.25\nhigh,2.5\nlow,3.75\n")
        with causa.read_csv(path) as ds:
            ds.write_csv(self.path("m2.csv"))
            codes, levels = ds.to_numpy(), ds.levels("g")
        with causa.read_csv(self.path("m2.csv")) as back:
            self.assertEqual(back.types, ["discrete", "continuous"])
            self.assertEqual(back.levels("g"), levels)
            np.testing.assert_array_equal(back.to_numpy(), codes)

    def test_npy_round_trip(self):
        with causa.read_csv(SACHS) as ds:
            x = ds.to_numpy()
            ds.write_npy(self.path("s.npy"))
        loaded = np.load(self.path("s.npy"))
        self.assertEqual((loaded.dtype, loaded.shape), (np.dtype("<f8"), (853, 11)))
        np.testing.assert_array_equal(loaded, x)
        with causa.read_npy(self.path("s.npy")) as back:
            self.assertEqual(back.columns, ["X%d" % j for j in range(1, 12)])
            np.testing.assert_array_equal(back.to_numpy(), x)

    def test_read_npy_written_by_numpy(self):
        x = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
        for name, arr in (("c.npy", x), ("f.npy", np.asfortranarray(x)),
                          ("be.npy", x.astype(">f8"))):
            np.save(self.path(name), arr)
            with causa.read_npy(self.path(name)) as ds:
                self.assertEqual(ds.shape, (3, 4))
                np.testing.assert_array_equal(ds.to_numpy(), x, err_msg=name)


@need_numpy
class TestNumpy(unittest.TestCase):
    def setUp(self):
        self.x = np.random.default_rng(1).standard_normal((6, 3))

    def check(self, a, **kwargs):
        with causa.Dataset.from_numpy(a, **kwargs) as ds:
            self.assertEqual(ds.shape, np.shape(a))
            self.assertEqual(ds.to_numpy().tobytes(order="F"),
                             np.asarray(a, dtype=float).tobytes(order="F"))
            return ds.columns

    def test_c_and_fortran_order(self):
        self.assertEqual(self.check(self.x), ["X1", "X2", "X3"])
        self.assertEqual(self.check(np.asfortranarray(self.x)), ["X1", "X2", "X3"])

    def test_strided_views(self):
        big = np.random.default_rng(2).standard_normal((10, 8))
        self.check(big[::3, 1::2])          # a sub-block with row and column steps
        self.check(big.T)                   # a transpose (Fortran order)
        self.check(big[::-1, ::-2])         # negative steps
        self.check(np.broadcast_to(big[0], (5, 8)))  # zero row stride

    def test_other_dtypes_and_lists(self):
        self.check(np.arange(6, dtype=np.int32).reshape(2, 3))
        self.check([[1, 2], [3, 4.5]])

    def test_column_names(self):
        self.assertEqual(self.check(self.x, columns=["a", "b", "c"]), ["a", "b", "c"])
        with self.assertRaises(ValueError):
            causa.Dataset.from_numpy(self.x, columns=["a", "b"])
        with self.assertRaises(causa.Error) as cm:
            causa.Dataset.from_numpy(self.x, columns=["a", "a", "c"])
        self.assertEqual(cm.exception.name, "EINVAL")

    def test_not_2d(self):
        with self.assertRaises(ValueError):
            causa.Dataset.from_numpy(np.zeros(4))

    def test_view_keeps_memory_alive(self):
        ctx = causa.Context()
        ds = causa.Dataset.from_numpy(self.x, ctx=ctx)
        view = ds.to_numpy(copy=False)
        self.assertTrue(view.flags.f_contiguous)
        self.assertFalse(view.flags.writeable)
        self.assertFalse(view.flags.owndata)
        ds.close()
        ctx.close()  # both closed: the memory stays until the view goes
        self.assertTrue(ds.closed)
        with self.assertRaises(ValueError):
            ds.shape
        np.testing.assert_array_equal(view, self.x)
        del view  # the last reference: the data set and then the context are freed
        self.assertIsNone(ctx._ptr)

    def test_memory_is_returned(self):
        with causa.Context() as ctx:
            with causa.read_csv(SACHS, ctx=ctx) as ds:
                self.assertGreaterEqual(ctx.bytes_in_use, 853 * 11 * 8)
                ds.to_numpy()
            self.assertEqual(ctx.bytes_in_use, 0)
            ds2 = causa.Dataset.from_numpy(self.x, ctx=ctx)
            del ds2
            self.assertEqual(ctx.bytes_in_use, 0)

    def test_closing_context_closes_datasets(self):
        ctx = causa.Context()
        ds = causa.Dataset.from_numpy(self.x, ctx=ctx)
        ctx.close()
        self.assertTrue(ds.closed)
        self.assertIn("closed", repr(ds))


class TestWithoutNumpy(unittest.TestCase):
    """What works when NumPy is absent (simulated by hiding it from causa._array)."""

    def setUp(self):
        saved = _array.np
        _array.np = None
        self.addCleanup(setattr, _array, "np", saved)

    def test_read_and_describe(self):
        with causa.read_csv(SACHS) as ds:
            raf = ds.column("Raf")
            self.assertIsInstance(raf, array.array)
            self.assertEqual(raf[0], 26.4)
            self.assertEqual(len(ds.summary()), 11)
            with self.assertRaises(ImportError) as cm:
                ds.to_numpy()
            self.assertIn("NumPy", str(cm.exception))

    def test_from_rows(self):
        with causa.Dataset.from_numpy([[1, 2], [3, 4], [5, 6]], columns=["p", "q"]) as ds:
            self.assertEqual(ds.shape, (3, 2))
            self.assertEqual(list(ds.column("q")), [2.0, 4.0, 6.0])
        with self.assertRaises(ValueError):
            causa.Dataset.from_numpy([[1, 2], [3]])


class TestThreads(unittest.TestCase):
    def test_threads_read_in_parallel_with_their_own_contexts(self):
        results, failures = {}, []

        def work(k):
            try:
                with causa.read_csv(SACHS) as ds:  # this thread's default context
                    results[k] = (causa.default_context(), [s["mean"] for s in ds.summary()])
            except Exception as e:  # pragma: no cover - reported below
                failures.append(e)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertEqual(len({id(c) for c, _ in results.values()}), 4)
        self.assertEqual(len({tuple(m) for _, m in results.values()}), 1)


if __name__ == "__main__":
    unittest.main()
