"""Graphs: causa_graph (DAGs, CPDAGs, PDAGs, MAGs, PAGs, ADMGs), their algorithms, their
file formats, comparison with a true graph, and networkx conversion.

    g = causa.Graph(["A", "B", "C"])
    g.add_edge("A", "B")                 # A --> B
    g.add_edge("B", "C", "o->")
    g.edges                              # [Edge(a='A', b='B', mark_a='-', mark_b='>'), ...]
    g = causa.read_graph("truth.dot")    # or Graph.read(...)
    g.cpdag().count_dags()

Nodes are named; every method takes a node as its name (str) or its index (int). Marks are
the strings '-' (tail), '>' (arrowhead) and 'o' (circle); an edge is written as its glyph,
the marks at its left and right ends: '-->', '<--', '---', '<->', 'o->', '<-o', 'o-o',
'--o', 'o--'. A pair carries at most one edge, except that an ADMG may carry a "bow" (a
directed and a bidirected edge together): Graph.edges lists both.

Library failures raise causa.Error with the library's message (a cycle named node by node,
a file position for a parse error...).
"""

import collections
import ctypes
import math

from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint64

from . import _lib
from ._lib import cpath, cstr, lib, text
from .context import Object, _Owner, _resolve
from .errors import _check

__all__ = ["Edge", "Graph", "random_dag", "read_graph", "read_graph_string"]

# ---- C declarations (include/causa/graph.h) ----

graph_p = ctypes.c_void_p


class causa_edge(Structure):
    _fields_ = [("a", c_int64), ("b", c_int64), ("mark_a", c_int), ("mark_b", c_int)]


NETYPES = 10


class causa_graph_metrics(Structure):
    _fields_ = [
        ("shd", c_int64), ("shd_pcalg", c_int64), ("shd_causallearn", c_int64),
        ("adj_tp", c_int64), ("adj_fp", c_int64), ("adj_fn", c_int64),
        ("adj_precision", c_double), ("adj_recall", c_double), ("adj_f1", c_double),
        ("arrow_tp", c_int64), ("arrow_fp", c_int64), ("arrow_fn", c_int64),
        ("arrow_precision", c_double), ("arrow_recall", c_double), ("arrow_f1", c_double),
        ("confusion", (c_int64 * NETYPES) * NETYPES),
    ]


class causa_graph_io_options(Structure):
    _fields_ = [("format", c_int), ("matrix", c_int), ("edge_labels", c_int)]


_P = POINTER
_ctx = _lib.ctx_p
_i64p = _P(c_int64)
_SIGNATURES = {
    "causa_graph_kind_name": (c_char_p, [c_int]),
    "causa_graph_kind_from_name": (c_int, [c_char_p]),
    "causa_graph_new": (c_int, [_ctx, c_int64, _P(c_char_p), _P(graph_p)]),
    "causa_graph_copy": (c_int, [_ctx, graph_p, _P(graph_p)]),
    "causa_graph_free": (None, [graph_p]),
    "causa_graph_nnodes": (c_int64, [graph_p]),
    "causa_graph_nedges": (c_int64, [graph_p]),
    "causa_graph_name": (c_char_p, [graph_p, c_int64]),
    "causa_graph_find": (c_int64, [graph_p, c_char_p]),
    "causa_graph_add_node": (c_int, [_ctx, graph_p, c_char_p, _i64p]),
    "causa_graph_set_node_flags": (c_int, [_ctx, graph_p, c_int64, c_int]),
    "causa_graph_node_flags": (c_int, [graph_p, c_int64]),
    "causa_graph_add_edge": (c_int, [_ctx, graph_p, c_int64, c_int64, c_int, c_int]),
    "causa_graph_remove_edge": (c_int, [_ctx, graph_p, c_int64, c_int64]),
    "causa_graph_set_marks": (c_int, [_ctx, graph_p, c_int64, c_int64, c_int, c_int]),
    "causa_graph_edge": (c_int, [graph_p, c_int64, c_int64, _P(c_int), _P(c_int)]),
    "causa_graph_edges": (None, [graph_p, _P(causa_edge)]),
    "causa_graph_set_edge_label": (c_int, [_ctx, graph_p, c_int64, c_int64, c_char_p]),
    "causa_graph_edge_label": (c_char_p, [graph_p, c_int64, c_int64]),
    "causa_graph_kind": (c_int, [graph_p]),
    "causa_graph_set_kind": (c_int, [_ctx, graph_p, c_int]),
    "causa_graph_infer_kind": (c_int, [_ctx, graph_p, _P(c_int)]),
    "causa_graph_topological_order": (c_int, [_ctx, graph_p, _i64p]),
    "causa_graph_separated": (c_int, [_ctx, graph_p, _i64p, c_int64, _i64p, c_int64, _i64p,
                                      c_int64, _P(c_int)]),
    "causa_graph_cpdag": (c_int, [_ctx, graph_p, _P(graph_p)]),
    "causa_graph_meek": (c_int, [_ctx, graph_p]),
    "causa_graph_dag_extension": (c_int, [_ctx, graph_p, _P(graph_p)]),
    "causa_graph_count_dags": (c_int, [_ctx, graph_p, _P(c_double), _P(c_double)]),
    "causa_graph_compare": (c_int, [_ctx, graph_p, graph_p, _P(causa_graph_metrics)]),
    "causa_edge_type_name": (c_char_p, [c_int]),
    "causa_graph_random_dag": (c_int, [_ctx, c_int64, c_double, c_uint64, _P(graph_p)]),
    "causa_matrix_convention_from_name": (c_int, [c_char_p]),
    "causa_graph_format_from_name": (c_int, [c_char_p]),
    "causa_graph_io_options_init": (None, [_P(causa_graph_io_options)]),
    "causa_graph_read": (c_int, [_ctx, c_char_p, _P(causa_graph_io_options), _P(graph_p)]),
    "causa_graph_read_buffer": (c_int, [_ctx, c_char_p, c_char_p, c_size_t,
                                        _P(causa_graph_io_options), _P(graph_p)]),
    "causa_graph_write": (c_int, [_ctx, graph_p, c_char_p, _P(causa_graph_io_options)]),
    "causa_graph_write_buffer": (c_int, [_ctx, graph_p, c_int, _P(causa_graph_io_options),
                                         _P(ctypes.c_void_p), _P(c_size_t)]),
    "causa_free": (None, [_ctx, ctypes.c_void_p]),
}
# Traversal functions share one shape: (ctx, g, v, out, count) or, for sets,
# (ctx, g, set, n, out, count).
for _name in ("parents", "children", "neighbors", "spouses", "adjacents"):
    _SIGNATURES["causa_graph_" + _name] = (c_int, [_ctx, graph_p, c_int64, _i64p, _i64p])
for _name in ("ancestors", "descendants"):
    _SIGNATURES["causa_graph_" + _name] = (c_int, [_ctx, graph_p, _i64p, c_int64, _i64p, _i64p])

for _name, (_res, _args) in _SIGNATURES.items():
    _fn = getattr(lib, _name, None)  # an older library lacks some: calling them fails later
    if _fn is not None:
        _fn.restype, _fn.argtypes = _res, _args

# ---- marks, glyphs, kinds ----

TAIL, ARROW, CIRCLE = 1, 2, 3
LATENT, SELECTION = 1, 2
_MARK_CHAR = {TAIL: "-", ARROW: ">", CIRCLE: "o"}
_CHAR_MARK = {"-": TAIL, ">": ARROW, "<": ARROW, "o": CIRCLE}


def _glyph(ma, mb):
    left = {TAIL: "-", ARROW: "<", CIRCLE: "o"}[ma]
    return left + "-" + {TAIL: "-", ARROW: ">", CIRCLE: "o"}[mb]


def _parse_glyph(kind):
    """'-->' -> (TAIL, ARROW); ValueError for anything else."""
    if (not isinstance(kind, str) or len(kind) != 3 or kind[1] != "-"
            or kind[0] not in "-<o" or kind[2] not in "->o"):
        raise ValueError("causa: edge kind must be one of '-->', '<--', '---', '<->', 'o->', "
                         "'<-o', 'o-o', '--o', 'o--'; got %r" % (kind,))
    return _CHAR_MARK[kind[0]], _CHAR_MARK[kind[2]]


class Edge(collections.namedtuple("Edge", "a b mark_a mark_b")):
    """One edge: node names a and b, and the marks at a's end and at b's end ('-', '>',
    'o'). str(edge) is "A --> B"; edge.kind the glyph "-->"."""

    __slots__ = ()

    @property
    def kind(self):
        return _glyph(_CHAR_MARK[self.mark_a], _CHAR_MARK[self.mark_b])

    def __str__(self):
        return "%s %s %s" % (self.a, self.kind, self.b)


_KINDS = ("mixed", "dag", "pdag", "cpdag", "mag", "pag", "admg")


def _format_code(fmt):
    if fmt is None:
        return 0  # CAUSA_FORMAT_AUTO
    code = lib.causa_graph_format_from_name(cstr(fmt))
    if code < 0:
        raise ValueError("causa: unknown graph format %r (dot, json, tetrad, bnlearn, dagitty, "
                         "matrix, bif, svg, png, pdf)" % (fmt,))
    return code


def _io_options(format=None, matrix=None, edge_labels=True):
    opt = causa_graph_io_options()
    lib.causa_graph_io_options_init(ctypes.byref(opt))
    opt.format = _format_code(format)
    if matrix is not None:
        code = lib.causa_matrix_convention_from_name(cstr(matrix))
        if code <= 0:
            raise ValueError("causa: unknown adjacency-matrix convention %r (pcalg-cpdag, "
                             "pcalg-pag, causal-learn, lingam, from-to)" % (matrix,))
        opt.matrix = code
    opt.edge_labels = 1 if edge_labels else 0
    return opt


# ---- the Graph class ----


class Graph(Object):
    """A graph of named nodes with a mark at each end of every edge.

    Graph(nodes, ctx=None): nodes is a number p (nodes X1..Xp) or a sequence of distinct
    non-empty names. Other ways to make one: Graph.read / causa.read_graph, Graph.from_string
    / causa.read_graph_string, Graph.from_networkx, causa.random_dag, and the methods that
    return new graphs (copy, cpdag, dag_extension, meek).
    """

    _free = "causa_graph_free"

    def __init__(self, nodes=0, ctx=None):
        ctx = _resolve(ctx)
        out = graph_p()
        if isinstance(nodes, int):
            _check(ctx, lib.causa_graph_new(ctx._p, nodes, None, ctypes.byref(out)))
        else:
            names = [cstr(n) for n in nodes]
            arr = (c_char_p * max(len(names), 1))(*names)
            _check(ctx, lib.causa_graph_new(ctx._p, len(names), arr, ctypes.byref(out)))
        self._adopt_handle(ctx, out)

    def _adopt_handle(self, ctx, ptr):
        # What Object._wrap does, for an instance made by __init__.
        self._ctx = ctx
        self._owner = _Owner(ctx, ptr, lib.causa_graph_free)
        ctx._adopt(self)

    # ---- reading and writing ----

    @classmethod
    def read(cls, path, format=None, matrix=None, ctx=None):
        """Reads a graph ("-" = standard input). format: None (from the extension, then the
        content), 'dot', 'json', 'tetrad', 'bnlearn', 'dagitty', 'matrix', 'bif'. matrix: the
        adjacency-matrix convention, required for 'matrix' (.csv): 'pcalg-cpdag',
        'pcalg-pag', 'causal-learn', 'lingam' or 'from-to' (it is never guessed)."""
        ctx = _resolve(ctx)
        opt = _io_options(format, matrix)
        out = graph_p()
        _check(ctx, lib.causa_graph_read(ctx._p, cpath(path), ctypes.byref(opt),
                                         ctypes.byref(out)))
        return cls._wrap(ctx, out)

    @classmethod
    def from_string(cls, data, format=None, matrix=None, name="<string>", ctx=None):
        """Like read, from text in memory (str or bytes); `name` is used in messages."""
        ctx = _resolve(ctx)
        opt = _io_options(format, matrix)
        buf = cstr(data)
        out = graph_p()
        _check(ctx, lib.causa_graph_read_buffer(ctx._p, cstr(name), buf, len(buf),
                                                ctypes.byref(opt), ctypes.byref(out)))
        return cls._wrap(ctx, out)

    def write(self, path, format=None, matrix=None, edge_labels=True):
        """Writes the graph atomically; format None: from the file's extension. Pictures
        ('svg', 'png', 'pdf') go through Graphviz's dot (causa.Error EUNSUPPORTED if it is
        missing)."""
        opt = _io_options(format, matrix, edge_labels)
        _check(self._ctx, lib.causa_graph_write(self._ctx._p, self._h, cpath(path),
                                                ctypes.byref(opt)))

    def to_string(self, format="dot", matrix=None, edge_labels=True):
        """The graph as text in a text format ('dot', 'json', 'tetrad', 'bnlearn', 'dagitty',
        'matrix' with a convention, 'bif')."""
        opt = _io_options(format, matrix, edge_labels)
        buf, n = ctypes.c_void_p(), c_size_t()
        _check(self._ctx, lib.causa_graph_write_buffer(self._ctx._p, self._h, opt.format,
                                                       ctypes.byref(opt), ctypes.byref(buf),
                                                       ctypes.byref(n)))
        try:
            return ctypes.string_at(buf, n.value).decode("utf-8") if n.value else ""
        finally:
            lib.causa_free(self._ctx._p, buf)

    # ---- nodes ----

    @property
    def nodes(self):
        """Node names, in index order."""
        h = self._h
        return [text(lib.causa_graph_name(h, v)) for v in range(lib.causa_graph_nnodes(h))]

    def __len__(self):
        return lib.causa_graph_nnodes(self._h)

    def __contains__(self, name):
        return isinstance(name, str) and lib.causa_graph_find(self._h, cstr(name)) >= 0

    def index(self, v):
        """The index of a node given by name or index (negative counts from the end).
        KeyError for an unknown name, IndexError for an index out of range."""
        h = self._h
        if isinstance(v, str):
            i = lib.causa_graph_find(h, cstr(v))
            if i < 0:
                raise KeyError("causa: no node named %r" % v)
            return i
        p = lib.causa_graph_nnodes(h)
        i = int(v)
        if i < 0:
            i += p
        if not 0 <= i < p:
            raise IndexError("causa: node index %d out of range for %d nodes" % (v, p))
        return i

    def name(self, v):
        return text(lib.causa_graph_name(self._h, self.index(v)))

    def add_node(self, name):
        """Appends a node (the name must be new); returns its index."""
        i = c_int64()
        _check(self._ctx, lib.causa_graph_add_node(self._ctx._p, self._h, cstr(name),
                                                   ctypes.byref(i)))
        return i.value

    def set_latent(self, v, latent=True):
        """Flags a node as latent (for latent projection) or clears the flag."""
        i = self.index(v)
        flags = lib.causa_graph_node_flags(self._h, i)
        flags = (flags | LATENT) if latent else (flags & ~LATENT)
        _check(self._ctx, lib.causa_graph_set_node_flags(self._ctx._p, self._h, i, flags))

    def is_latent(self, v):
        return bool(lib.causa_graph_node_flags(self._h, self.index(v)) & LATENT)

    # ---- edges ----

    def add_edge(self, a, b, kind="-->"):
        """Adds an edge between a and b; kind is its glyph read from a to b: '-->', '<--',
        '---', '<->', 'o->', '<-o', 'o-o', '--o', 'o--'. A second edge on a pair is an error
        unless the two form a bow (one directed, one bidirected)."""
        ma, mb = _parse_glyph(kind)
        _check(self._ctx, lib.causa_graph_add_edge(self._ctx._p, self._h, self.index(a),
                                                   self.index(b), ma, mb))

    def remove_edge(self, a, b):
        """Removes every edge between a and b (causa.Error ENOTFOUND if there is none)."""
        _check(self._ctx, lib.causa_graph_remove_edge(self._ctx._p, self._h, self.index(a),
                                                      self.index(b)))

    def set_edge(self, a, b, kind):
        """Replaces the marks of the edge between a and b (ENOTFOUND if there is none)."""
        ma, mb = _parse_glyph(kind)
        _check(self._ctx, lib.causa_graph_set_marks(self._ctx._p, self._h, self.index(a),
                                                    self.index(b), ma, mb))

    def edge(self, a, b):
        """The glyph of the edge between a and b read from a to b ('-->'...), or None. For a
        bow, its directed edge."""
        ma, mb = c_int(), c_int()
        n = lib.causa_graph_edge(self._h, self.index(a), self.index(b), ctypes.byref(ma),
                                 ctypes.byref(mb))
        return _glyph(ma.value, mb.value) if n else None

    def adjacent(self, a, b):
        return lib.causa_graph_edge(self._h, self.index(a), self.index(b), None, None) > 0

    @property
    def num_edges(self):
        """Number of edges (a bow counts as two)."""
        return lib.causa_graph_nedges(self._h)

    @property
    def edges(self):
        """Every edge as an Edge(a, b, mark_a, mark_b) of names and marks, a before b in
        index order; a bow gives two."""
        h = self._h
        n = lib.causa_graph_nedges(h)
        if n == 0:
            return []
        buf = (causa_edge * n)()
        lib.causa_graph_edges(h, buf)
        names = self.nodes
        return [Edge(names[e.a], names[e.b], _MARK_CHAR[e.mark_a], _MARK_CHAR[e.mark_b])
                for e in buf]

    def set_label(self, a, b, label):
        """Sets (or, with None, removes) the text label of the edge between a and b."""
        _check(self._ctx, lib.causa_graph_set_edge_label(
            self._ctx._p, self._h, self.index(a), self.index(b),
            None if label is None else cstr(label)))

    def label(self, a, b):
        return text(lib.causa_graph_edge_label(self._h, self.index(a), self.index(b)))

    # ---- kind ----

    @property
    def kind(self):
        """The declared kind: 'dag', 'cpdag', 'pdag', 'mag', 'pag', 'admg' or 'mixed'.
        Setting it checks the graph (causa.Error ECYCLE or EINVAL saying what is wrong)."""
        return _KINDS[lib.causa_graph_kind(self._h)]

    @kind.setter
    def kind(self, name):
        code = lib.causa_graph_kind_from_name(cstr(name))
        if code < 0:
            raise ValueError("causa: unknown graph kind %r (%s)" % (name, ", ".join(_KINDS)))
        _check(self._ctx, lib.causa_graph_set_kind(self._ctx._p, self._h, code))

    def infer_kind(self):
        """The strictest kind the graph satisfies (does not change the declared kind)."""
        k = c_int()
        _check(self._ctx, lib.causa_graph_infer_kind(self._ctx._p, self._h, ctypes.byref(k)))
        return _KINDS[k.value]

    # ---- traversal ----

    def _nodes_out(self, fn, *args):
        p = lib.causa_graph_nnodes(self._h)
        out = (c_int64 * max(p, 1))()
        count = c_int64()
        _check(self._ctx, fn(self._ctx._p, self._h, *args, out, ctypes.byref(count)))
        h = self._h
        return [text(lib.causa_graph_name(h, out[i])) for i in range(count.value)]

    def _set(self, nodes):
        if isinstance(nodes, (str, int)):
            nodes = [nodes]
        idx = [self.index(v) for v in nodes]
        return (c_int64 * max(len(idx), 1))(*idx), len(idx)

    def parents(self, v):
        """Names of the parents of v (w --> v), in index order."""
        return self._nodes_out(lib.causa_graph_parents, self.index(v))

    def children(self, v):
        return self._nodes_out(lib.causa_graph_children, self.index(v))

    def neighbors(self, v):
        """Undirected neighbours (v --- w)."""
        return self._nodes_out(lib.causa_graph_neighbors, self.index(v))

    def spouses(self, v):
        """Bidirected neighbours (v <-> w)."""
        return self._nodes_out(lib.causa_graph_spouses, self.index(v))

    def adjacents(self, v):
        """Every node adjacent to v."""
        return self._nodes_out(lib.causa_graph_adjacents, self.index(v))

    def ancestors(self, nodes):
        """Ancestors of a node or a set of nodes along directed edges, the set included."""
        arr, n = self._set(nodes)
        return self._nodes_out(lib.causa_graph_ancestors, arr, n)

    def descendants(self, nodes):
        arr, n = self._set(nodes)
        return self._nodes_out(lib.causa_graph_descendants, arr, n)

    def topological_order(self):
        """Node names in a topological order of the directed edges (ECYCLE names a cycle)."""
        p = lib.causa_graph_nnodes(self._h)
        out = (c_int64 * max(p, 1))()
        _check(self._ctx, lib.causa_graph_topological_order(self._ctx._p, self._h, out))
        names = self.nodes
        return [names[out[i]] for i in range(p)]

    def separated(self, x, y, given=()):
        """Are x and y d-separated (m-separated in a MAG or ADMG) given `given`? x, y and
        given are nodes or collections of nodes, pairwise disjoint."""
        ax, nx_ = self._set(x)
        ay, ny = self._set(y)
        az, nz = self._set(given)
        sep = c_int()
        _check(self._ctx, lib.causa_graph_separated(self._ctx._p, self._h, ax, nx_, ay, ny, az,
                                                    nz, ctypes.byref(sep)))
        return bool(sep.value)

    # ---- Markov equivalence ----

    def copy(self):
        out = graph_p()
        _check(self._ctx, lib.causa_graph_copy(self._ctx._p, self._h, ctypes.byref(out)))
        return Graph._wrap(self._ctx, out)

    def cpdag(self):
        """The CPDAG (essential graph) of this DAG, as a new Graph."""
        out = graph_p()
        _check(self._ctx, lib.causa_graph_cpdag(self._ctx._p, self._h, ctypes.byref(out)))
        return Graph._wrap(self._ctx, out)

    def meek(self):
        """A copy closed under Meek's rules (this graph is left as it is)."""
        g = self.copy()
        _check(self._ctx, lib.causa_graph_meek(self._ctx._p, g._h))
        return g

    def dag_extension(self):
        """A DAG in the Markov equivalence class of this CPDAG or PDAG (new Graph)."""
        out = graph_p()
        _check(self._ctx, lib.causa_graph_dag_extension(self._ctx._p, self._h,
                                                        ctypes.byref(out)))
        return Graph._wrap(self._ctx, out)

    def count_dags(self, log10=False):
        """Number of DAGs in the Markov equivalence class of this CPDAG: an int while the
        count is exact (below 2**53), else a float. log10=True returns log10 of the count
        instead (always available, also far beyond the range of a float)."""
        count, lg = c_double(), c_double()
        _check(self._ctx, lib.causa_graph_count_dags(self._ctx._p, self._h, ctypes.byref(count),
                                                     ctypes.byref(lg)))
        if log10:
            return lg.value
        c = count.value
        return int(c) if math.isfinite(c) and c < 2.0 ** 53 else c

    # ---- comparison ----

    def compare(self, truth):
        """This graph as an estimate of `truth` (nodes matched by name). A dict:
        shd, shd_pcalg, shd_causallearn (ints); adj_tp, adj_fp, adj_fn, arrow_tp, arrow_fp,
        arrow_fn (ints); adj_precision, adj_recall, adj_f1, arrow_precision, arrow_recall,
        arrow_f1 (floats, NaN when the denominator is 0); confusion: {(estimate type, true
        type): count} over every pair of nodes, types named 'none', '-->', '<--', '---',
        '<->', 'o->', '<-o', 'o-o', '--o', 'o--' (oriented by the truth's node order), zero
        cells left out. docs/ALGORITHMS.md ("Comparing graphs") defines each number."""
        if not isinstance(truth, Graph):
            raise TypeError("causa: compare() needs a causa.Graph, not %s"
                            % type(truth).__name__)
        m = causa_graph_metrics()
        _check(self._ctx, lib.causa_graph_compare(self._ctx._p, self._h, truth._h,
                                                  ctypes.byref(m)))
        out = {name: getattr(m, name) for name, _ in causa_graph_metrics._fields_
               if name != "confusion"}
        types = [text(lib.causa_edge_type_name(t)) for t in range(NETYPES)]
        out["confusion"] = {(types[i], types[j]): m.confusion[i][j]
                            for i in range(NETYPES) for j in range(NETYPES)
                            if m.confusion[i][j]}
        return out

    # ---- networkx ----

    @classmethod
    def from_networkx(cls, G, ctx=None):
        """A Graph from a networkx graph. Node names are str(node). Edges:
        a DiGraph's u -> v is u --> v; an undirected Graph's u - v is u --- v; in any graph
        (including the Multi* kinds, which to_networkx makes for non-DAGs) an edge with a
        'marks' attribute (mark at u, mark at v), e.g. ('o', '>'), gets those marks."""
        g = cls([str(v) for v in G.nodes], ctx=ctx)
        directed = G.is_directed()
        edges = G.edges(data=True)
        for u, v, data in edges:
            marks = data.get("marks")
            if marks is not None:
                kind = _glyph(_CHAR_MARK[marks[0]], _CHAR_MARK[marks[1]])
            else:
                kind = "-->" if directed else "---"
            g.add_edge(str(u), str(v), kind)
        return g

    def to_networkx(self):
        """A networkx graph with the same node names. If every edge is directed (a DAG, or
        any graph of --> edges): an nx.DiGraph with u -> v for u --> v. Otherwise an
        nx.MultiDiGraph with one arc per edge, from the edge's first node to its second in
        index order (as in Graph.edges), carrying attributes marks=(mark at source, mark at
        target) and kind (the glyph, e.g. 'o->'); a bow gives two arcs. from_networkx reads
        both back."""
        import networkx as nx
        edges = self.edges
        if all((e.mark_a, e.mark_b) in (("-", ">"), (">", "-")) for e in edges):
            G = nx.DiGraph()
            G.add_nodes_from(self.nodes)
            for e in edges:
                G.add_edge(*((e.a, e.b) if e.mark_b == ">" else (e.b, e.a)))
            return G
        G = nx.MultiDiGraph()
        G.add_nodes_from(self.nodes)
        for e in edges:
            G.add_edge(e.a, e.b, marks=(e.mark_a, e.mark_b), kind=e.kind)
        return G

    # ---- Python niceties ----

    def __repr__(self):
        if self.closed:
            return "<causa.Graph closed>"
        return "<causa.Graph %s: %d nodes, %d edges>" % (self.kind, len(self), self.num_edges)

    def __str__(self):
        if self.closed:
            return repr(self)
        return "\n".join(str(e) for e in self.edges)


# ---- module functions ----


def read_graph(path, format=None, matrix=None, ctx=None):
    """Reads a graph file; see Graph.read."""
    return Graph.read(path, format=format, matrix=matrix, ctx=ctx)


def read_graph_string(data, format=None, matrix=None, name="<string>", ctx=None):
    """Reads a graph from text; see Graph.from_string."""
    return Graph.from_string(data, format=format, matrix=matrix, name=name, ctx=ctx)


def random_dag(p, degree, seed=1, ctx=None):
    """A random DAG: Erdos-Renyi over a random causal order with the given expected degree
    (average number of neighbours); nodes X1..Xp. Same (p, degree, seed), same graph."""
    ctx = _resolve(ctx)
    out = graph_p()
    _check(ctx, lib.causa_graph_random_dag(ctx._p, int(p), float(degree), int(seed),
                                           ctypes.byref(out)))
    return Graph._wrap(ctx, out)
