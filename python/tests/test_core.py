"""Tests of the package frame: loading, version, errors, contexts (no data files needed)."""

import pickle
import threading
import unittest

import causa
from causa import errors


class TestVersion(unittest.TestCase):
    def test_version_matches_package(self):
        v = causa.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        self.assertEqual(v, causa.__version__,
                         "libcausa and python/causa/__init__.py __version__ disagree")

    def test_ncores(self):
        self.assertGreaterEqual(causa.ncores(), 1)


class TestError(unittest.TestCase):
    def test_fields_and_text(self):
        e = causa.Error(errors.EPARSE, "f.csv:3:7: expected 2 fields, found 3")
        self.assertEqual((e.code, e.name), (10, "EPARSE"))
        self.assertEqual(str(e), "f.csv:3:7: expected 2 fields, found 3")
        self.assertIn("EPARSE", repr(e))
        self.assertIsInstance(e, Exception)

    def test_empty_message_uses_static_text(self):
        e = causa.Error(errors.ENOMEM)
        self.assertEqual(e.message, "out of memory")

    def test_unknown_code(self):
        e = causa.Error(99)
        self.assertEqual(e.name, "E99")
        self.assertEqual(e.message, "unknown error code")

    def test_names_cover_every_code(self):
        for code in range(16):
            self.assertTrue(causa.Error(code).name.isupper())

    def test_pickle(self):
        e = pickle.loads(pickle.dumps(causa.Error(errors.EIO, "cannot open 'x'")))
        self.assertEqual((e.code, e.name, e.message), (9, "EIO", "cannot open 'x'"))


class TestContext(unittest.TestCase):
    def test_defaults(self):
        with causa.Context() as ctx:
            self.assertEqual(ctx.threads, 1)
            self.assertEqual(ctx.seed, 1)
            self.assertEqual(ctx.bytes_in_use, 0)

    def test_settings(self):
        with causa.Context(threads=2, seed=2**64 - 1) as ctx:
            self.assertEqual(ctx.threads, 2)
            self.assertEqual(ctx.seed, 2**64 - 1)
            ctx.threads = 0  # all cores
            self.assertEqual(ctx.threads, causa.ncores())
            ctx.seed = 42
            self.assertEqual(ctx.seed, 42)
            self.assertIn("seed=42", repr(ctx))

    def test_bad_threads_raise_library_message(self):
        with self.assertRaises(causa.Error) as cm:
            causa.Context(threads=-1)
        self.assertEqual(cm.exception.name, "EINVAL")
        self.assertIn("threads", cm.exception.message)
        with causa.Context() as ctx:
            with self.assertRaises(causa.Error):
                ctx.threads = -5
            self.assertEqual(ctx.threads, 1)  # unchanged

    def test_bad_seed(self):
        for seed in (-1, 2**64):
            with self.assertRaises(ValueError):
                causa.Context(seed=seed)

    def test_closed_context(self):
        ctx = causa.Context()
        ctx.close()
        ctx.close()  # idempotent
        self.assertTrue(ctx.closed)
        self.assertIn("closed", repr(ctx))
        with self.assertRaises(ValueError):
            ctx.threads
        with self.assertRaises(ValueError):
            causa.read_npy("x.npy", ctx=ctx)

    def test_ctx_argument_type(self):
        with self.assertRaises(TypeError):
            causa.read_npy("x.npy", ctx="not a context")

    def test_default_context_is_per_thread(self):
        mine = causa.default_context()
        self.assertIs(causa.default_context(), mine)
        theirs = []
        t = threading.Thread(target=lambda: theirs.append(causa.default_context()))
        t.start()
        t.join()
        self.assertIsNot(theirs[0], mine)

    def test_default_context_remade_after_close(self):
        causa.default_context().close()
        self.assertFalse(causa.default_context().closed)


if __name__ == "__main__":
    unittest.main()
