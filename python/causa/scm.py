"""Structural causal models (include/causa/scm.h): a DAG plus one mechanism per node.

    m = causa.SCM.read("model.json")            # or a BIF network: causa.SCM.read("asia.bif")
    ds = m.sample(10000, do={"X": 1.0}, seed=7)  # a causa.Dataset
    cf = m.counterfactual(observed, do={"X": 0})
    r = m.ace("T", "Y", 1, 0, n=100000)          # E[Y|do(T=1)] - E[Y|do(T=0)], r.se
    m.write("copy.json")

Mechanisms and distributions are given as dicts with the keys of the model file
(docs/FORMATS.md, "SCM model file"), e.g. {"kind": "linear", "intercept": 1.0, "weights": [2.0],
"noise": {"dist": "gaussian", "loc": 0, "scale": 0.5}}; SCM.mechanism(node) gives them back.
Interventions are dicts {name: value} (a level name or code for a discrete node) or the
CLI's text "X=1,Z=yes"; stochastic ones (draw=) the CLI's --do-dist text
"X=normal(3,2),S=categorical(no=0.2,yes=0.8)" or a dict of distributions. The same seed
gives the same rows for any thread count.
"""

import collections
import ctypes
import json

from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint64

from . import _lib
from ._lib import cpath, cstr, lib, text
from .context import Object, _resolve
from .data import Dataset
from .errors import _check

scm_p = ctypes.c_void_p
_ctx = _lib.ctx_p
_P = POINTER


class causa_dist(Structure):
    _fields_ = [("kind", c_int), ("loc", c_double), ("scale", c_double), ("low", c_double),
                ("high", c_double), ("df", c_double), ("values", _P(c_double)),
                ("nvalues", c_int64)]


class causa_mechanism(Structure):
    _fields_ = [("kind", c_int), ("intercept", c_double), ("coefs", _P(c_double)),
                ("ncoefs", c_int64), ("degree", c_int), ("nknots", _P(c_int64)),
                ("knots", _P(c_double)), ("nhidden", c_int64), ("hidden", _P(c_int64)),
                ("activation", c_int), ("noise", causa_dist), ("scaled", c_int),
                ("scale_intercept", c_double), ("scale_coefs", _P(c_double))]


class causa_intervention(Structure):
    _fields_ = [("node", c_int64), ("kind", c_int), ("value", c_double), ("dist", causa_dist)]


class causa_scm_query_options(Structure):
    _fields_ = [("seed", c_uint64), ("interventions", _P(causa_intervention)),
                ("ninterventions", c_int64)]


class causa_ace_options(Structure):
    _fields_ = [("n", c_int64), ("outcome_level", c_int64), ("base", causa_scm_query_options)]


class causa_ace_result(Structure):
    _fields_ = [("ace", c_double), ("se", c_double), ("mean_a", c_double), ("mean_b", c_double),
                ("se_a", c_double), ("se_b", c_double), ("n", c_int64)]


_SIGNATURES = {
    "causa_scm_new": (c_int, [_ctx, ctypes.c_void_p, _P(scm_p)]),
    "causa_scm_copy": (c_int, [_ctx, scm_p, _P(scm_p)]),
    "causa_scm_free": (None, [scm_p]),
    "causa_scm_graph": (ctypes.c_void_p, [scm_p]),
    "causa_scm_nnodes": (c_int64, [scm_p]),
    "causa_scm_name": (c_char_p, [scm_p, c_int64]),
    "causa_scm_find": (c_int64, [scm_p, c_char_p]),
    "causa_scm_parents": (_P(c_int64), [scm_p, c_int64, _P(c_int64)]),
    "causa_scm_ninputs": (c_int64, [scm_p, c_int64]),
    "causa_scm_type": (c_int, [scm_p, c_int64]),
    "causa_scm_nlevels": (c_int64, [scm_p, c_int64]),
    "causa_scm_level": (c_char_p, [scm_p, c_int64, c_int64]),
    "causa_scm_find_level": (c_int64, [scm_p, c_int64, c_char_p]),
    "causa_scm_set_discrete": (c_int, [_ctx, scm_p, c_int64, c_int64, _P(c_char_p)]),
    "causa_scm_set_continuous": (c_int, [_ctx, scm_p, c_int64]),
    "causa_scm_set_mechanism": (c_int, [_ctx, scm_p, c_int64, _P(causa_mechanism)]),
    "causa_scm_mechanism_kind": (c_int, [scm_p, c_int64]),
    "causa_scm_check": (c_int, [_ctx, scm_p]),
    "causa_poly_nterms": (c_int64, [c_int64, c_int]),
    "causa_spline_nbasis": (c_int64, [c_int64, c_int]),
    "causa_mech_from_name": (c_int, [c_char_p]),
    "causa_dist_from_name": (c_int, [c_char_p]),
    "causa_activation_from_name": (c_int, [c_char_p]),
    "causa_scm_parse_interventions": (c_int, [_ctx, scm_p, c_char_p, c_int,
                                              _P(causa_intervention), c_int64, _P(c_int64)]),
    "causa_scm_parse_dist_interventions": (c_int, [_ctx, scm_p, c_char_p,
                                                   _P(causa_intervention), c_int64, _P(c_int64),
                                                   _P(c_double), c_int64, _P(c_int64)]),
    "causa_scm_sample": (c_int, [_ctx, scm_p, c_int64, _P(causa_scm_query_options),
                                 _P(_lib.dataset_p)]),
    "causa_scm_abduct": (c_int, [_ctx, scm_p, _lib.dataset_p, _P(causa_scm_query_options),
                                 _P(_lib.dataset_p)]),
    "causa_scm_counterfactual": (c_int, [_ctx, scm_p, _lib.dataset_p,
                                         _P(causa_scm_query_options), _P(_lib.dataset_p)]),
    "causa_ace_options_init": (None, [_P(causa_ace_options)]),
    "causa_scm_ace": (c_int, [_ctx, scm_p, c_int64, c_double, c_double, c_int64,
                              _P(causa_ace_options), _P(causa_ace_result)]),
    "causa_scm_read": (c_int, [_ctx, c_char_p, _P(scm_p)]),
    "causa_scm_read_buffer": (c_int, [_ctx, c_char_p, c_char_p, c_size_t, _P(scm_p)]),
    "causa_scm_write": (c_int, [_ctx, scm_p, c_char_p]),
    "causa_scm_write_buffer": (c_int, [_ctx, scm_p, _P(ctypes.c_void_p), _P(c_size_t)]),
    "causa_free": (None, [_ctx, ctypes.c_void_p]),
    "causa_graph_copy": (c_int, [_ctx, ctypes.c_void_p, _P(ctypes.c_void_p)]),
}
for _name, (_res, _args) in _SIGNATURES.items():
    try:
        _fn = getattr(lib, _name)
    except AttributeError:
        continue
    _fn.restype = _res
    _fn.argtypes = _args

_DO_SET, _DO_SHIFT = 1, 2
_CONTINUOUS, _DISCRETE = 0, 1

ACE = collections.namedtuple("ACE", "ace se mean_a mean_b se_a se_b n")
ACE.__doc__ = ("An average causal effect: ace = mean_a - mean_b, its Monte-Carlo standard "
               "error se, the two arms' means and their standard errors, n rows per arm.")


def _doubles(values):
    values = [float(v) for v in values]
    return (c_double * max(len(values), 1))(*values), len(values)


def _dist(d, keep):
    """A causa_dist from a dict {"dist": name, ...} (the model file's keys)."""
    out = causa_dist()
    if d is None:
        return out
    if not isinstance(d, dict) or "dist" not in d:
        raise TypeError("causa: a distribution is a dict {'dist': 'gaussian', 'loc': 0, "
                        "'scale': 1, ...}")
    kind = lib.causa_dist_from_name(cstr(d["dist"]))
    if kind < 0:
        raise ValueError("causa: unknown distribution %r" % (d["dist"],))
    out.kind = kind
    for key in ("loc", "scale", "low", "high", "df"):
        if key in d:
            setattr(out, key, float(d[key]))
    if "values" in d:
        arr, n = _doubles(d["values"])
        keep.append(arr)
        out.values = arr
        out.nvalues = n
    return out


def _interventions(scm, do, shift, extra=1, draw=None, keep=None):
    """A causa_intervention array (and its count) from do / shift (dicts or text) and draw
    (stochastic interventions: the CLI's --do-dist text "X=normal(3,2),S=categorical(no=1,
    yes=3)", or a dict {name: "normal(3,2)" or a distribution dict}). Memory the array points
    to (weights) is appended to keep, which the caller holds until the call is made."""
    if keep is None:
        keep = []
    items = []
    for kind, spec in ((_DO_SET, do), (_DO_SHIFT, shift)):
        if spec is None:
            continue
        if isinstance(spec, dict):
            parts = []
            for k, v in spec.items():
                if isinstance(v, float):
                    v = repr(v)
                parts.append("%s=%s" % (k, v))
            spec = ",".join(parts)
        if spec:
            items.append((kind, str(spec)))
    draw_text, draw_dicts = [], []
    if isinstance(draw, str):
        if draw:
            draw_text.append(draw)
    elif draw:
        for name, d in draw.items():
            if isinstance(d, str):
                draw_text.append("%s=%s" % (name, d))
            else:
                draw_dicts.append((name, d))
    draw_text = ",".join(draw_text)
    cap = (sum(s.count(",") + 1 for _, s in items) + extra + len(draw_dicts)
           + (draw_text.count(",") + 1 if draw_text else 0))
    arr = (causa_intervention * cap)()
    n = c_int64(0)
    for kind, s in items:
        _check(scm._ctx, lib.causa_scm_parse_interventions(scm._ctx._p, scm._h, cstr(s), kind,
                                                          arr, cap, ctypes.byref(n)))
    if draw_text:
        # One weight per level of each discrete node always suffices.
        wcap = sum(lib.causa_scm_nlevels(scm._h, v) for v in range(len(scm)))
        weights = (c_double * max(wcap, 1))()
        keep.append(weights)
        nw = c_int64(0)
        _check(scm._ctx, lib.causa_scm_parse_dist_interventions(
            scm._ctx._p, scm._h, cstr(draw_text), arr, cap, ctypes.byref(n), weights, wcap,
            ctypes.byref(nw)))
    for name, d in draw_dicts:
        k = n.value
        arr[k].node = scm.index(name)
        arr[k].kind = 3  # CAUSA_DO_DIST
        arr[k].dist = _dist(d, keep)
        n.value = k + 1
    return arr, n.value


def _query(seed, arr, n):
    q = causa_scm_query_options()
    q.seed = 0 if seed is None else int(seed)
    if n:
        q.interventions = arr
        q.ninterventions = n
    return q


class SCM(Object):
    """A structural causal model. Make one with SCM.read, SCM.from_string or
    SCM.from_graph (then set a mechanism per node)."""

    _free = "causa_scm_free"

    def __init__(self, *args, **kwargs):
        raise TypeError("causa: make an SCM with causa.SCM.read, causa.SCM.from_string or "
                        "causa.SCM.from_graph")

    # ---- making ----

    @classmethod
    def read(cls, path, ctx=None):
        """Reads a model file (JSON) or a BIF network (chosen by content)."""
        ctx = _resolve(ctx)
        out = scm_p()
        _check(ctx, lib.causa_scm_read(ctx._p, cpath(path), ctypes.byref(out)))
        return cls._wrap(ctx, out)

    @classmethod
    def from_string(cls, data, name="<string>", ctx=None):
        """A model from the text of a model file or a BIF network."""
        ctx = _resolve(ctx)
        buf = cstr(data)
        out = scm_p()
        _check(ctx, lib.causa_scm_read_buffer(ctx._p, cstr(name), buf, len(buf),
                                              ctypes.byref(out)))
        return cls._wrap(ctx, out)

    @classmethod
    def from_graph(cls, graph, ctx=None):
        """A model over a copy of a DAG (a causa.Graph); every node continuous, no
        mechanism yet."""
        ctx = _resolve(ctx)
        out = scm_p()
        _check(ctx, lib.causa_scm_new(ctx._p, graph._h, ctypes.byref(out)))
        return cls._wrap(ctx, out)

    def copy(self):
        out = scm_p()
        _check(self._ctx, lib.causa_scm_copy(self._ctx._p, self._h, ctypes.byref(out)))
        return type(self)._wrap(self._ctx, out)

    # ---- nodes ----

    def __len__(self):
        return lib.causa_scm_nnodes(self._h)

    @property
    def nodes(self):
        h = self._h
        return [text(lib.causa_scm_name(h, i)) for i in range(lib.causa_scm_nnodes(h))]

    def index(self, node):
        """The index of a node given by name or index; KeyError if there is none."""
        if isinstance(node, str):
            i = lib.causa_scm_find(self._h, cstr(node))
            if i < 0:
                raise KeyError("causa: unknown variable %r" % node)
            return i
        i = int(node)
        p = len(self)
        if i < 0:
            i += p
        if not 0 <= i < p:
            raise KeyError("causa: node %d is out of range (the model has %d)" % (int(node), p))
        return i

    def parents(self, node):
        v = self.index(node)
        n = c_int64(0)
        ptr = lib.causa_scm_parents(self._h, v, ctypes.byref(n))
        return [text(lib.causa_scm_name(self._h, ptr[k])) for k in range(n.value)]

    def is_discrete(self, node):
        return lib.causa_scm_type(self._h, self.index(node)) == _DISCRETE

    def levels(self, node):
        """The level names of a discrete node ([] for a continuous one)."""
        v = self.index(node)
        h = self._h
        return [text(lib.causa_scm_level(h, v, k)) for k in range(lib.causa_scm_nlevels(h, v))]

    def ninputs(self, node):
        return lib.causa_scm_ninputs(self._h, self.index(node))

    @property
    def graph(self):
        """A copy of the model's DAG, as a causa.Graph."""
        from .graph import Graph
        out = ctypes.c_void_p()
        _check(self._ctx, lib.causa_graph_copy(self._ctx._p, lib.causa_scm_graph(self._h),
                                               ctypes.byref(out)))
        return Graph._wrap(self._ctx, out)

    # ---- mechanisms ----

    def set_discrete(self, node, levels):
        """Declares a node discrete with these level names (or a count: "0", "1", ...).
        Do it before setting the mechanisms of its children."""
        v = self.index(node)
        if isinstance(levels, int):
            _check(self._ctx, lib.causa_scm_set_discrete(self._ctx._p, self._h, v, levels, None))
            return
        names = [cstr(s) for s in levels]
        arr = (c_char_p * max(len(names), 1))(*names)
        _check(self._ctx, lib.causa_scm_set_discrete(self._ctx._p, self._h, v, len(names), arr))

    def set_mechanism(self, node, mech):
        """Sets a node's mechanism from a dict with the model file's keys (see the module
        docstring): kinds root, linear, poly, spline, mlp, cpt, logistic."""
        v = self.index(node)
        keep = []
        m = causa_mechanism()
        kind = lib.causa_mech_from_name(cstr(mech.get("kind", "")))
        if kind <= 0:
            raise ValueError("causa: unknown mechanism kind %r" % (mech.get("kind"),))
        m.kind = kind
        m.intercept = float(mech.get("intercept", 0.0))

        def put(values):
            arr, n = _doubles(values)
            keep.append(arr)
            return arr, n

        if kind == 1:  # root
            m.noise = _dist(mech.get("distribution"), keep)
        elif kind in (2, 3):  # linear, poly
            m.degree = int(mech.get("degree", 0))
            m.coefs, m.ncoefs = put(mech.get("weights", []))
        elif kind == 4:  # spline
            m.degree = int(mech["degree"])
            knots = [list(k) for k in mech["knots"]]
            nk = (c_int64 * max(len(knots), 1))(*[len(k) for k in knots])
            keep.append(nk)
            m.nknots = nk
            m.knots, _ = put([x for k in knots for x in k])
            m.coefs, m.ncoefs = put([x for c in mech["coefs"] for x in c])
        elif kind == 5:  # mlp
            hidden = [int(h) for h in mech.get("hidden", [])]
            harr = (c_int64 * max(len(hidden), 1))(*hidden)
            keep.append(harr)
            m.nhidden, m.hidden = len(hidden), harr
            act = lib.causa_activation_from_name(cstr(mech.get("activation", "tanh")))
            if act < 0:
                raise ValueError("causa: unknown activation %r" % (mech.get("activation"),))
            m.activation = act
            m.coefs, m.ncoefs = put(mech.get("weights", []))
        elif kind == 6:  # cpt: rows
            m.coefs, m.ncoefs = put([x for row in mech["table"] for x in row])
        elif kind == 7:  # logistic: K rows of 1 + m
            m.coefs, m.ncoefs = put([x for row in mech["coefs"] for x in row])
        if 2 <= kind <= 5:
            m.noise = _dist(mech.get("noise", {"dist": "none"}), keep)
            sc = mech.get("scale")
            if sc is not None:
                m.scaled = 1
                m.scale_intercept = float(sc.get("intercept", 0.0))
                m.scale_coefs, _ = put(sc.get("weights", []))
        _check(self._ctx, lib.causa_scm_set_mechanism(self._ctx._p, self._h, v, ctypes.byref(m)))

    def set_root(self, node, dist):
        self.set_mechanism(node, {"kind": "root", "distribution": dist})

    def set_linear(self, node, weights, intercept=0.0, noise=None, scale=None):
        mech = {"kind": "linear", "intercept": intercept, "weights": list(weights),
                "noise": noise or {"dist": "none"}}
        if scale is not None:
            mech["scale"] = scale
        self.set_mechanism(node, mech)

    def set_cpt(self, node, table):
        self.set_mechanism(node, {"kind": "cpt", "table": table})

    def set_logistic(self, node, coefs):
        self.set_mechanism(node, {"kind": "logistic", "coefs": coefs})

    def mechanism(self, node):
        """A node's mechanism as a dict (None if unset)."""
        return self.to_dict()["nodes"][self.index(node)]["mechanism"]

    def check(self):
        """Raises causa.Error (EMISUSE) naming the first node without a mechanism."""
        _check(self._ctx, lib.causa_scm_check(self._ctx._p, self._h))

    # ---- files ----

    def to_string(self):
        """The model file's text (JSON)."""
        out = ctypes.c_void_p()
        n = c_size_t(0)
        _check(self._ctx, lib.causa_scm_write_buffer(self._ctx._p, self._h, ctypes.byref(out),
                                                     ctypes.byref(n)))
        try:
            return ctypes.string_at(out.value, n.value).decode("utf-8")
        finally:
            lib.causa_free(self._ctx._p, out)

    def to_dict(self):
        return json.loads(self.to_string())

    def write(self, path):
        """Writes the model file atomically (doubles written so they read back exactly)."""
        _check(self._ctx, lib.causa_scm_write(self._ctx._p, self._h, cpath(path)))

    # ---- queries ----

    def sample(self, n, do=None, shift=None, seed=None, draw=None):
        """n rows drawn from the model, under hard interventions `do` and shifts `shift`
        (dicts {name: value} or "X=1,Z=yes" text) and stochastic interventions `draw`: X
        drawn from a distribution, independently of its parents. `draw` is the CLI's
        --do-dist text ("X=normal(3,2),S=categorical(no=0.2,yes=0.8)"; the syntax of
        causa_scm_parse_dist_interventions) or a dict {name: that text's DIST ("normal(3,2)")
        or a distribution dict ({"dist": "gaussian", "loc": 3, "scale": 2}; a discrete node
        takes {"dist": "categorical", "values": weights})}. seed None: the context's seed."""
        keep = []
        arr, k = _interventions(self, do, shift, draw=draw, keep=keep)
        q = _query(seed, arr, k)
        out = _lib.dataset_p()
        _check(self._ctx, lib.causa_scm_sample(self._ctx._p, self._h, int(n), ctypes.byref(q),
                                               ctypes.byref(out)))
        return Dataset._wrap(self._ctx, out)

    def _observed(self, observed):
        if isinstance(observed, Dataset):
            return observed
        return Dataset.from_numpy(observed, ctx=self._ctx)

    def counterfactual(self, observed, do=None, shift=None, seed=None, draw=None):
        """Counterfactual rows for the observed rows (a Dataset with the nodes' columns,
        matched by name; or an array / DataFrame of continuous columns). `draw` (as in
        sample) gives every row a fresh draw of the node, keyed on the seed and independent
        of the row's abducted noise; the nodes downstream keep theirs."""
        obs = self._observed(observed)
        keep = []
        arr, k = _interventions(self, do, shift, draw=draw, keep=keep)
        q = _query(seed, arr, k)
        out = _lib.dataset_p()
        _check(self._ctx, lib.causa_scm_counterfactual(self._ctx._p, self._h, obs._h,
                                                       ctypes.byref(q), ctypes.byref(out)))
        return Dataset._wrap(self._ctx, out)

    def abduct(self, observed, seed=None):
        """The exogenous noise behind each observed row, one column per node."""
        obs = self._observed(observed)
        q = _query(seed, None, 0)
        out = _lib.dataset_p()
        _check(self._ctx, lib.causa_scm_abduct(self._ctx._p, self._h, obs._h, ctypes.byref(q),
                                               ctypes.byref(out)))
        return Dataset._wrap(self._ctx, out)

    def _value(self, v, x):
        if lib.causa_scm_type(self._h, v) == _DISCRETE and isinstance(x, str):
            k = lib.causa_scm_find_level(self._h, v, cstr(x))
            if k < 0:
                raise KeyError("causa: variable %r has no level %r (levels: %s)"
                               % (text(lib.causa_scm_name(self._h, v)), x,
                                  ", ".join(self.levels(v))))
            return float(k)
        return float(x)

    def ace(self, treatment, outcome, a, b, n=100000, seed=None, level=None, do=None,
            shift=None, draw=None):
        """E[outcome | do(treatment = a)] - E[outcome | do(treatment = b)] by Monte Carlo
        with common random numbers; returns ACE(ace, se, mean_a, mean_b, se_a, se_b, n).
        A discrete treatment takes level names (or codes); for a discrete outcome, `level`
        gives the effect on P(outcome = level) (default: on the codes). do, shift and draw
        (as in sample) are held in both arms."""
        t, y = self.index(treatment), self.index(outcome)
        opt = causa_ace_options()
        lib.causa_ace_options_init(ctypes.byref(opt))
        opt.n = int(n)
        if level is not None:
            opt.outcome_level = int(self._value(y, level))
        keep = []
        arr, k = _interventions(self, do, shift, draw=draw, keep=keep)
        opt.base = _query(seed, arr, k)
        res = causa_ace_result()
        _check(self._ctx, lib.causa_scm_ace(self._ctx._p, self._h, t, self._value(t, a),
                                            self._value(t, b), y, ctypes.byref(opt),
                                            ctypes.byref(res)))
        return ACE(res.ace, res.se, res.mean_a, res.mean_b, res.se_a, res.se_b, res.n)

    def __repr__(self):
        if self.closed:
            return "<causa.SCM closed>"
        return "<causa.SCM %d nodes>" % len(self)


def read_scm(path, ctx=None):
    """Reads a model file or a BIF network; see SCM.read."""
    return SCM.read(path, ctx=ctx)

