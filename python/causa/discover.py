"""Structure discovery: PC and its variants (CPC, MPC, max-P), FCI and RFCI, over any of
causa's conditional-independence tests.

    ds = causa.read_csv("data/sachs.csv")
    g = causa.discover(ds, algorithm="pc", test="fisher-z", alpha=0.01)    # a Graph
    g, report = causa.discover(ds, report=True)    # report: the library's JSON, parsed

The search runs in C with the context's threads; the result does not depend on their
number. Errors raise causa.Error with the library's message.
"""

import ctypes
import json

from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint64

from ._lib import cpath, cstr, lib, text
from .context import _resolve
from .data import Dataset
from .errors import _check
from .graph import Graph

__all__ = ["discover"]

# ---- C declarations (include/causa/stats.h, include/causa/discover.h) ----


class causa_citest_options(Structure):
    _fields_ = [
        ("name", c_char_p), ("alpha", c_double), ("df_rule", c_int),
        ("min_rows_per_df", c_double), ("min_cell_rows", c_int64), ("kernel_width", c_int),
        ("kernel_epsilon", c_double), ("kci_max_rows", c_int64), ("num_features", c_int64),
        ("num_features_z", c_int64), ("rcit_null", c_int), ("seed", c_uint64),
    ]


class causa_discover_options(Structure):
    _fields_ = [
        ("algorithm", c_int), ("alpha", c_double), ("depth", c_int64), ("stable", c_int),
        ("sepsets", c_int), ("colliders", c_int), ("conflicts", c_int), ("order", c_int),
        ("column_order", c_int), ("knowledge", ctypes.c_void_p),
        ("possible_dsep", c_int), ("max_path_length", c_int64),
    ]


_vp = ctypes.c_void_p
_SIGNATURES = {
    "causa_citest_options_init": (None, [POINTER(causa_citest_options)]),
    "causa_discover_options_init": (None, [POINTER(causa_discover_options)]),
    "causa_discover_data": (c_int, [_vp, _vp, POINTER(causa_citest_options),
                                    POINTER(causa_discover_options), POINTER(_vp)]),
    "causa_discovery_free": (None, [_vp]),
    "causa_discovery_copy_graph": (c_int, [_vp, _vp, POINTER(_vp)]),
    "causa_discovery_json": (c_int, [_vp, _vp, c_int, POINTER(ctypes.c_char_p), POINTER(c_size_t)]),
    "causa_knowledge_read": (c_int, [_vp, c_char_p, c_int64, POINTER(c_char_p), POINTER(_vp)]),
    "causa_knowledge_free": (None, [_vp]),
    "causa_free": (None, [_vp, _vp]),
}
for _name, (_res, _args) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

# Algorithm name -> (CAUSA_ALGO_*, CAUSA_COLLIDERS_*), as the CLI's --algorithm.
_ALGORITHMS = {
    "pc": (0, 0), "cpc": (0, 1), "mpc": (0, 2), "maxp": (0, 3), "fci": (1, 0), "rfci": (2, 0),
}
_CONFLICTS = {"priority": 0, "overwrite": 1, "bidirected": 2}
_SEPSETS = {"first": 0, "union": 1}


def _choice(table, value, what):
    try:
        return table[value]
    except KeyError:
        raise ValueError("causa: unknown %s %r (known: %s)" % (what, value, ", ".join(table)))


def discover(data, algorithm="pc", test="fisher-z", alpha=0.01, depth=-1, stable=True,
             knowledge=None, conflicts="priority", sepsets="first", report=False, ctx=None):
    """Learns a causal graph from a Dataset (or anything Dataset.from_numpy accepts).

    algorithm: "pc", "cpc", "mpc", "maxp", "fci" or "rfci". test: "fisher-z", "g-square",
    "chi-square", "cg-lrt", "kci", "rcit" or "rcot". alpha: significance level. depth:
    largest conditioning set (-1: no limit). stable: order-independent skeleton.
    knowledge: a causal-cmd knowledge file. conflicts, sepsets: as the CLI's
    --conflict-rule and --sepsets. Returns the Graph (a CPDAG/PDAG for PC, a PAG for
    FCI/RFCI), or (Graph, report dict) with report=True.
    """
    ctx = _resolve(ctx)
    if not isinstance(data, Dataset):
        data = Dataset.from_numpy(data, ctx=ctx)
    algo, colliders = _choice(_ALGORITHMS, algorithm, "algorithm")
    topt = causa_citest_options()
    lib.causa_citest_options_init(ctypes.byref(topt))
    test_name = cstr(test)
    topt.name = test_name
    opt = causa_discover_options()
    lib.causa_discover_options_init(ctypes.byref(opt))
    opt.algorithm, opt.colliders = algo, colliders
    opt.alpha, opt.depth, opt.stable = float(alpha), int(depth), 1 if stable else 0
    opt.conflicts = _choice(_CONFLICTS, conflicts, "conflict rule")
    opt.sepsets = _choice(_SEPSETS, sepsets, "sepset rule")
    know = ctypes.c_void_p()
    result = ctypes.c_void_p()
    try:
        if knowledge is not None:
            names = (c_char_p * len(data.columns))(*[cstr(c) for c in data.columns])
            _check(ctx, lib.causa_knowledge_read(ctx._p, cpath(knowledge), len(data.columns),
                                                 names, ctypes.byref(know)))
            opt.knowledge = know
        _check(ctx, lib.causa_discover_data(ctx._p, data._h, ctypes.byref(topt),
                                            ctypes.byref(opt), ctypes.byref(result)))
        out = ctypes.c_void_p()
        _check(ctx, lib.causa_discovery_copy_graph(ctx._p, result, ctypes.byref(out)))
        graph = Graph._wrap(ctx, out)
        if not report:
            return graph
        buf, n = ctypes.c_char_p(), c_size_t()
        _check(ctx, lib.causa_discovery_json(ctx._p, result, 0, ctypes.byref(buf), ctypes.byref(n)))
        try:
            rep = json.loads(ctypes.string_at(buf, n.value).decode("utf-8"))
        finally:
            lib.causa_free(ctx._p, buf)
        return graph, rep
    finally:
        lib.causa_discovery_free(result)
        lib.causa_knowledge_free(know)
