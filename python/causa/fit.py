"""Fitting structural causal models to data, and simulating random ones.

    scm = causa.fit(data, graph)                       # mechanism='auto': chosen by CV
    scm, report = causa.fit(data, graph, return_report=True)
    print(report.table)                                # the per-node table of `causa fit`
    report.nodes[0]["family"], report.nodes[0]["cv"]   # ... or its fields

    sets = causa.simulate(nodes=20, degree=2, n=1000, datasets=10, seed=1)
    data, graph, scm = sets[0]
    causa.simulate(datasets=1000, dir="runs/")        # writes runs/dataset_0001/...
    series, window, coefs = causa.simulate_var(nodes=5, lags=2, n=500)[0]

Mirrors include/causa/scm.h ("fit", "simulation", "vector-autoregressive time series").
The families, the choice rule, the residual check and the simulator's draws are described
there and in docs/ALGORITHMS.md ("Fitting SCMs", "Simulating SCMs").
"""

import ctypes
import json

from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint64, c_void_p

from ._lib import cpath, lib
from .context import _resolve
from .errors import _check

__all__ = ["FitReport", "fit", "simulate", "simulate_var"]

# ---- C declarations (include/causa/scm.h) ----

FIT_FAMILIES = ["auto", "linear", "poly2", "spline", "logistic", "cpt", "root"]
NFAMILIES = 7


class causa_fit_options(Structure):
    _fields_ = [
        ("family", c_int), ("folds", c_int64), ("noise", c_int), ("ridge", c_double),
        ("spline_ridge", c_double), ("spline_knots", c_int64), ("logistic_ridge", c_double),
        ("cpt_alpha", c_double), ("max_iter", c_int64), ("check_rows", c_int64),
        ("seed", c_uint64),
    ]


class causa_fit_node(Structure):
    _fields_ = [
        ("family", c_int), ("mechanism", c_int), ("nparents", c_int64), ("ninputs", c_int64),
        ("ncoefs", c_int64), ("r2", c_double), ("logloss", c_double), ("noise_sd", c_double),
        ("cv_error", c_double), ("cv_se", c_double), ("cv", c_double * NFAMILIES),
        ("check_stat", c_double), ("check_pvalue", c_double), ("check_rows", c_int64),
    ]


class causa_sim_options(Structure):
    _fields_ = [
        ("nodes", c_int64), ("degree", c_double), ("graph", c_int), ("layers", c_int64),
        ("mechanism", c_int), ("noise", c_int), ("discrete_fraction", c_double),
        ("max_levels", c_int64), ("n", c_int64), ("datasets", c_int64), ("seed", c_uint64),
        ("weight_low", c_double), ("weight_high", c_double), ("noise_low", c_double),
        ("noise_high", c_double), ("mlp_hidden", c_int64), ("standardize", c_int),
        ("data_format", c_int), ("graph_format", c_int),
    ]


class causa_var_options(Structure):
    _fields_ = [
        ("nodes", c_int64), ("lags", c_int64), ("degree", c_double), ("lag_degree", c_double),
        ("n", c_int64), ("burn_in", c_int64), ("noise", c_int), ("weight_low", c_double),
        ("weight_high", c_double), ("noise_low", c_double), ("noise_high", c_double),
        ("max_radius", c_double), ("datasets", c_int64), ("seed", c_uint64),
        ("data_format", c_int),
    ]


_P = POINTER
_vp = c_void_p
_SIGNATURES = {
    "causa_fit_family_name": (c_char_p, [c_int]),
    "causa_fit_family_from_name": (c_int, [c_char_p]),
    "causa_fit_options_init": (None, [_P(causa_fit_options)]),
    "causa_scm_fit": (c_int, [_vp, _vp, _vp, _P(causa_fit_options), _P(_vp), _P(_vp)]),
    "causa_fit_report_free": (None, [_vp]),
    "causa_fit_report_nnodes": (c_int64, [_vp]),
    "causa_fit_report_node": (c_int, [_vp, c_int64, _P(causa_fit_node)]),
    "causa_fit_report_text": (c_int, [_vp, _vp, c_int, c_int, _P(c_void_p), _P(c_size_t)]),
    "causa_sim_graph_from_name": (c_int, [c_char_p]),
    "causa_sim_mechanism_from_name": (c_int, [c_char_p]),
    "causa_sim_noise_from_name": (c_int, [c_char_p]),
    "causa_sim_options_init": (None, [_P(causa_sim_options)]),
    "causa_simulate_one": (c_int, [_vp, _P(causa_sim_options), c_int64, _P(_vp), _P(_vp), _P(_vp)]),
    "causa_simulate_write": (c_int, [_vp, _P(causa_sim_options), c_char_p]),
    "causa_var_options_init": (None, [_P(causa_var_options)]),
    "causa_var_simulate": (c_int, [_vp, _P(causa_var_options), c_int64, _P(_vp), _P(_vp),
                                   _P(_P(c_double))]),
    "causa_var_write": (c_int, [_vp, _P(causa_var_options), c_char_p]),
    "causa_free": (None, [_vp, _vp]),
}
for _name, (_res, _args) in _SIGNATURES.items():
    _fn = getattr(lib, _name, None)
    if _fn is not None:
        _fn.restype, _fn.argtypes = _res, _args


def _scm_class():
    """The SCM wrapper of causa.scm (imported late: the modules are independent)."""
    from .scm import SCM
    return SCM


def _graph_class():
    from .graph import Graph
    return Graph


def _dataset_class():
    from .data import Dataset
    return Dataset


def _nan_to_none(x):
    return None if x != x else x


# ---- fit ----


class FitReport:
    """What causa.fit chose and measured at each node.

    nodes: one dict per node (in the graph's order) with name, family, mechanism, inputs,
    coefs, r2, logloss, noise_sd, cv_error, cv_se, cv (the CV error of every candidate),
    check_stat and check_pvalue (HSIC, residual vs parents). table: the text table of
    `causa fit`; json: the same as `causa fit --json`, parsed.
    """

    def __init__(self, nodes, table, json_doc):
        self.nodes = nodes
        self.table = table
        self.json = json_doc

    def __repr__(self):
        return "<causa.FitReport %d nodes>" % len(self.nodes)

    def __str__(self):
        return self.table


def _report_text(ctx, rep, as_json):
    out = c_void_p()
    n = c_size_t()
    _check(ctx, lib.causa_fit_report_text(ctx._p, rep, 1 if as_json else 0, 0, ctypes.byref(out),
                                          ctypes.byref(n)))
    try:
        return ctypes.string_at(out, n.value).decode("utf-8", "replace")
    finally:
        lib.causa_free(ctx._p, out)


def _family(name):
    f = lib.causa_fit_family_from_name(str(name).encode())
    if f < 0 or f == FIT_FAMILIES.index("root"):
        raise ValueError("causa: mechanism must be one of auto, linear, poly2, spline, logistic, "
                         "cpt; got %r" % (name,))
    return f


def fit(data, graph, mechanism="auto", folds=5, noise="gaussian", ridge=0.0, spline_ridge=1e-4,
        spline_knots=7, logistic_ridge=1e-3, alpha=1.0, max_iter=100, check_rows=1000, seed=None,
        return_report=False, ctx=None):
    """Fits a structural causal model of `graph` (a DAG over the data's columns) to `data`.

    mechanism: 'auto' (each node's family chosen by `folds`-fold cross-validation), or
    'linear', 'poly2', 'spline' (continuous children), 'logistic', 'cpt' (discrete
    children); noise: 'gaussian' (residual variance) or 'empirical' (the residuals).
    Returns the fitted causa.SCM, or (SCM, FitReport) with return_report=True. Raises
    causa.Error naming a node the data lacks, a column the graph lacks, or a cycle.
    """
    Dataset, Graph = _dataset_class(), _graph_class()
    if not isinstance(data, Dataset):
        data = Dataset.from_numpy(data, ctx=ctx)
    if not isinstance(graph, Graph):
        raise TypeError("causa: graph must be a causa.Graph, not %s" % type(graph).__name__)
    ctx = _resolve(ctx if ctx is not None else data._ctx)
    o = causa_fit_options()
    lib.causa_fit_options_init(ctypes.byref(o))
    o.family = _family(mechanism)
    o.folds = int(folds)
    if noise not in ("gaussian", "empirical"):
        raise ValueError("causa: noise must be 'gaussian' or 'empirical', got %r" % (noise,))
    o.noise = 0 if noise == "gaussian" else 1
    o.ridge, o.spline_ridge, o.logistic_ridge, o.cpt_alpha = ridge, spline_ridge, logistic_ridge, alpha
    o.spline_knots, o.max_iter, o.check_rows = int(spline_knots), int(max_iter), int(check_rows)
    o.seed = 0 if seed is None else int(seed)
    scm, rep = c_void_p(), c_void_p()
    _check(ctx, lib.causa_scm_fit(ctx._p, data._h, graph._h, ctypes.byref(o), ctypes.byref(scm),
                                  ctypes.byref(rep) if return_report else None))
    model = _scm_class()._wrap(ctx, scm)
    if not return_report:
        return model
    try:
        nodes = []
        names = graph.nodes
        for v in range(lib.causa_fit_report_nnodes(rep)):
            nd = causa_fit_node()
            lib.causa_fit_report_node(rep, v, ctypes.byref(nd))
            cv = {FIT_FAMILIES[f]: nd.cv[f] for f in range(1, 6) if nd.cv[f] == nd.cv[f]}
            nodes.append({
                "name": names[v], "family": FIT_FAMILIES[nd.family],
                "inputs": nd.ninputs, "coefs": nd.ncoefs, "r2": _nan_to_none(nd.r2),
                "logloss": _nan_to_none(nd.logloss), "noise_sd": _nan_to_none(nd.noise_sd),
                "cv_error": _nan_to_none(nd.cv_error), "cv_se": _nan_to_none(nd.cv_se), "cv": cv,
                "check_stat": _nan_to_none(nd.check_stat),
                "check_pvalue": _nan_to_none(nd.check_pvalue), "check_rows": nd.check_rows,
            })
        table = _report_text(ctx, rep, False)
        doc = json.loads(_report_text(ctx, rep, True))
        for node, j in zip(nodes, doc["fits"]):
            node["mechanism"] = j["mechanism"]
    finally:
        lib.causa_fit_report_free(rep)
    return model, FitReport(nodes, table, doc)


# ---- simulation ----


def _pick(fn, what, value, choices):
    v = fn(str(value).encode())
    if v < 0:
        raise ValueError("causa: %s must be one of %s; got %r" % (what, choices, value))
    return v


_GRAPH_FORMATS = {"json": 2, "txt": 3, "tetrad": 3, "dot": 1, "bnlearn": 4, "dagitty": 5}


def simulate(nodes=20, degree=2.0, graph="er", mechanism="linear", noise="gaussian",
             discrete_fraction=0.0, n=1000, datasets=1, seed=1, layers=0, max_levels=3,
             weight_range=(0.5, 2.0), noise_range=(0.5, 1.0), mlp_hidden=8, standardize=True,
             dir=None, format="csv", graph_format="json", ctx=None):
    """Random SCMs and their data: a list of (Dataset, Graph, SCM), one per data set; or, with
    dir, writes dir/dataset_0001/{data.csv|.npy, graph.json|.txt|.dot, model.json} for every
    data set (in parallel over ctx's threads) and returns dir.

    graph: 'er', 'scale-free' or 'layered'; mechanism: 'linear', 'poly', 'mlp', 'mixed';
    noise: 'gaussian', 'laplace', 'uniform', 'mixed'. Data set k depends only on (seed, k):
    the same seed gives the same data on any machine and thread count.
    """
    ctx = _resolve(ctx)
    o = causa_sim_options()
    lib.causa_sim_options_init(ctypes.byref(o))
    o.nodes, o.degree, o.layers = int(nodes), float(degree), int(layers)
    o.graph = _pick(lib.causa_sim_graph_from_name, "graph", graph, "er, scale-free, layered")
    o.mechanism = _pick(lib.causa_sim_mechanism_from_name, "mechanism", mechanism,
                        "linear, poly, mlp, mixed")
    o.noise = _pick(lib.causa_sim_noise_from_name, "noise", noise,
                    "gaussian, laplace, uniform, mixed")
    o.discrete_fraction, o.max_levels = float(discrete_fraction), int(max_levels)
    o.n, o.datasets, o.seed = int(n), int(datasets), int(seed)
    o.weight_low, o.weight_high = (float(w) for w in weight_range)
    o.noise_low, o.noise_high = (float(w) for w in noise_range)
    o.mlp_hidden, o.standardize = int(mlp_hidden), 1 if standardize else 0
    if format not in ("csv", "npy"):
        raise ValueError("causa: format must be 'csv' or 'npy', got %r" % (format,))
    o.data_format = 0 if format == "csv" else 1
    if graph_format not in _GRAPH_FORMATS:
        raise ValueError("causa: graph_format must be one of %s; got %r"
                         % (", ".join(sorted(_GRAPH_FORMATS)), graph_format))
    o.graph_format = _GRAPH_FORMATS[graph_format]
    if dir is not None:
        _check(ctx, lib.causa_simulate_write(ctx._p, ctypes.byref(o), cpath(dir)))
        return dir
    Dataset, Graph, SCM = _dataset_class(), _graph_class(), _scm_class()
    out = []
    for k in range(o.datasets):
        d, g, m = c_void_p(), c_void_p(), c_void_p()
        _check(ctx, lib.causa_simulate_one(ctx._p, ctypes.byref(o), k, ctypes.byref(d),
                                           ctypes.byref(g), ctypes.byref(m)))
        out.append((Dataset._wrap(ctx, d), Graph._wrap(ctx, g), SCM._wrap(ctx, m)))
    return out


def simulate_var(nodes=5, lags=1, degree=1.0, lag_degree=1.0, n=1000, burn_in=200,
                 noise="gaussian", weight_range=(0.2, 0.8), noise_range=(0.5, 1.0),
                 max_radius=0.9, datasets=1, seed=1, dir=None, format="csv", ctx=None):
    """Vector-autoregressive series X_t = B0 X_t + sum_l B_l X_{t-l} + e_t (B0 acyclic, the
    process scaled to be stable). A list of (series Dataset, full time Graph, coefs) with
    coefs[l][to][from] the coefficient of lag l (nested lists); or, with dir, writes
    dir/dataset_0001/{data.csv, graph.json, summary.csv, coefs.csv} and returns dir."""
    ctx = _resolve(ctx)
    o = causa_var_options()
    lib.causa_var_options_init(ctypes.byref(o))
    o.nodes, o.lags, o.degree, o.lag_degree = int(nodes), int(lags), float(degree), float(lag_degree)
    o.n, o.burn_in = int(n), int(burn_in)
    o.noise = _pick(lib.causa_sim_noise_from_name, "noise", noise,
                    "gaussian, laplace, uniform, mixed")
    o.weight_low, o.weight_high = (float(w) for w in weight_range)
    o.noise_low, o.noise_high = (float(w) for w in noise_range)
    o.max_radius, o.datasets, o.seed = float(max_radius), int(datasets), int(seed)
    if format not in ("csv", "npy"):
        raise ValueError("causa: format must be 'csv' or 'npy', got %r" % (format,))
    o.data_format = 0 if format == "csv" else 1
    if dir is not None:
        _check(ctx, lib.causa_var_write(ctx._p, ctypes.byref(o), cpath(dir)))
        return dir
    Dataset, Graph = _dataset_class(), _graph_class()
    out = []
    p, L = o.nodes, o.lags
    for k in range(o.datasets):
        d, g, b = c_void_p(), c_void_p(), POINTER(c_double)()
        _check(ctx, lib.causa_var_simulate(ctx._p, ctypes.byref(o), k, ctypes.byref(d),
                                           ctypes.byref(g), ctypes.byref(b)))
        try:
            coefs = [[[b[(l * p + to) * p + fr] for fr in range(p)] for to in range(p)]
                     for l in range(L + 1)]
        finally:
            lib.causa_free(ctx._p, ctypes.cast(b, c_void_p))
        out.append((Dataset._wrap(ctx, d), Graph._wrap(ctx, g), coefs))
    return out
