"""Data sets: causa_dataset, and reading/writing CSV and NumPy .npy files.

A Dataset holds n rows by p named columns, column-major in one block of doubles owned by
the library. A column is continuous, or discrete with integer codes 0..L-1 and L level
names (dataset.levels(j)[code] is the text of a code).

Copies and views:
  - to_numpy() returns a copy (Fortran order, writable, independent of the Dataset);
    to_numpy(copy=False) a read-only Fortran-order view of the library's block that keeps
    the memory alive even after the Dataset is closed or dropped.
  - column() returns a copy.
  - Dataset.from_numpy() passes the array to the library as a strided view (no copy on
    the Python side for float64 arrays, C or Fortran order); the library copies it.
"""

import array as _pyarray
import ctypes

from . import _array, _lib
from ._array import doubles, matrix_view, need_numpy
from ._lib import cpath, cstr, lib, text
from .context import Object, _resolve
from .errors import _check

__all__ = ["Dataset", "read_csv", "read_csv_string", "read_npy"]

_TYPE_NAMES = {_lib.CONTINUOUS: "continuous", _lib.DISCRETE: "discrete"}
_DATA_TYPES = {"mixed": _lib.DATA_MIXED, "continuous": _lib.DATA_CONTINUOUS,
               "discrete": _lib.DATA_DISCRETE}
_MISSING = {"error": _lib.MISSING_ERROR, "drop": _lib.MISSING_DROP}


class Dataset(Object):
    """n rows by p named columns; made by read_csv, read_npy or Dataset.from_numpy."""

    _free = "causa_dataset_free"

    def __init__(self, *args, **kwargs):
        raise TypeError("causa: make a Dataset with causa.read_csv, causa.read_npy or "
                        "causa.Dataset.from_numpy")

    @classmethod
    def from_numpy(cls, array, columns=None, ctx=None):
        """A continuous data set copied from a 2-D array (n x p).

        array: a NumPy array of any layout (float64 C- or Fortran-order arrays, slices and
        transposes pass as strided views without a Python-side copy), anything
        numpy.asarray accepts (a pandas DataFrame gives its column names too), or, without
        NumPy, a list of rows. columns: p distinct non-empty names (default X1..Xp).
        """
        if columns is None and hasattr(array, "columns"):  # a pandas DataFrame
            columns = [str(c) for c in array.columns]
        ctx = _resolve(ctx)
        m, keep = matrix_view(array)
        names = None
        if columns is not None:
            columns = list(columns)
            if len(columns) != m.ncol:
                raise ValueError("causa: %d column names for %d columns"
                                 % (len(columns), m.ncol))
            names = (ctypes.c_char_p * len(columns))(*[cstr(c) for c in columns])
        out = _lib.dataset_p()
        _check(ctx, lib.causa_dataset_from_matrix(ctx._p, ctypes.byref(m), names,
                                                  ctypes.byref(out)))
        del keep  # the library has copied the data
        return cls._wrap(ctx, out)

    # ---- shape and columns ----

    @property
    def shape(self):
        """(n, p): rows and columns."""
        h = self._h
        return (lib.causa_dataset_nrow(h), lib.causa_dataset_ncol(h))

    def __len__(self):
        return lib.causa_dataset_nrow(self._h)

    @property
    def columns(self):
        """The column names, in order."""
        h = self._h
        return [text(lib.causa_dataset_name(h, j)) for j in range(lib.causa_dataset_ncol(h))]

    @property
    def types(self):
        """Per column, 'continuous' or 'discrete'."""
        h = self._h
        return [_TYPE_NAMES[lib.causa_dataset_type(h, j)]
                for j in range(lib.causa_dataset_ncol(h))]

    @property
    def dropped_rows(self):
        """Rows dropped for missing values when the file was read (missing='drop')."""
        return lib.causa_dataset_dropped_rows(self._h)

    def index(self, col):
        """The index of a column given by name or by index (negative counts from the end).
        Raises KeyError for an unknown name, IndexError for an index out of range."""
        h = self._h
        if isinstance(col, str):
            j = lib.causa_dataset_find(h, cstr(col))
            if j < 0:
                raise KeyError("causa: no column named %r" % col)
            return j
        p = lib.causa_dataset_ncol(h)
        j = int(col)
        if j < 0:
            j += p
        if not 0 <= j < p:
            raise IndexError("causa: column index %d out of range for %d columns" % (col, p))
        return j

    def levels(self, col):
        """Level names of a discrete column (code k is levels[k]); [] if continuous."""
        h, j = self._h, self.index(col)
        return [text(lib.causa_dataset_level(h, j, k))
                for k in range(lib.causa_dataset_nlevels(h, j))]

    # ---- values ----

    def column(self, col):
        """A copy of one column (by name or index): a float64 NumPy array, or an
        array.array('d') when NumPy is not installed. Discrete columns hold codes."""
        h, j = self._h, self.index(col)
        n = lib.causa_dataset_nrow(h)
        raw = ctypes.string_at(lib.causa_dataset_column(h, j), n * 8) if n else b""
        if _array.np is None:
            out = _pyarray.array("d")
            out.frombytes(raw)
            return out
        return _array.np.frombuffer(raw, dtype=_array.np.float64).copy()

    def to_numpy(self, copy=True):
        """The data as an n x p float64 NumPy array in Fortran (column-major) order.

        copy=True (default): an independent, writable copy.
        copy=False: a read-only view of the library's memory, no copy; the view keeps
        that memory alive, even after close().
        Discrete columns hold their integer codes.
        """
        np = need_numpy("Dataset.to_numpy")
        n, p = self.shape
        if n * p == 0:
            return np.zeros((n, p), order="F")
        buf = doubles(lib.causa_dataset_data(self._h), n * p, keepalive=self._owner)
        view = np.frombuffer(buf, dtype=np.float64).reshape((p, n)).T  # F order, no copy
        if copy:
            return view.copy(order="F")
        view.flags.writeable = False  # the library's block: codes and levels must agree
        return view

    def summary(self):
        """Per column, a dict as `causa data info` shows it: name, type, nlevels, min, max,
        mean, sd (sample, n - 1) and missing (missing values seen when read)."""
        h, ctx = self._h, self._ctx
        s = _lib.causa_column_summary()
        out = []
        for j, name in enumerate(self.columns):
            _check(ctx, lib.causa_dataset_summary(ctx._p, h, j, ctypes.byref(s)))
            out.append({"name": name, "type": _TYPE_NAMES[s.type], "nlevels": s.nlevels,
                        "min": s.min, "max": s.max, "mean": s.mean, "sd": s.sd,
                        "missing": s.missing})
        return out

    # ---- output ----

    def write_csv(self, path):
        """Writes CSV (comma, header, level names for discrete columns), atomically; the
        numbers read back bit-exact."""
        _check(self._ctx, lib.causa_csv_write(self._ctx._p, self._h, cpath(path)))

    def write_npy(self, path):
        """Writes a NumPy .npy file (float64, Fortran order; discrete columns as codes)."""
        _check(self._ctx, lib.causa_npy_write(self._ctx._p, self._h, cpath(path)))

    def __repr__(self):
        if self.closed:
            return "<causa.Dataset closed>"
        n, p = self.shape
        names = self.columns
        shown = ", ".join(names[:8]) + (", ..." if p > 8 else "")
        ndisc = self.types.count("discrete")
        return "<causa.Dataset %d x %d [%s] %d continuous, %d discrete>" % (
            n, p, shown, p - ndisc, ndisc)


# ---- reading ----


def _csv_options(header, delimiter, data_type, max_levels, missing, missing_marker, quote):
    """Fills a causa_csv_options from keyword arguments, checking their values."""
    opt = _lib.causa_csv_options()
    lib.causa_csv_options_init(ctypes.byref(opt))
    opt.header = 1 if header else 0
    if delimiter is not None:
        opt.delimiter = _one_char("delimiter", delimiter)
    if data_type not in _DATA_TYPES:
        raise ValueError("causa: data_type must be one of %s, got %r"
                         % (", ".join(_DATA_TYPES), data_type))
    opt.data_type = _DATA_TYPES[data_type]
    opt.max_levels = int(max_levels)
    if missing not in _MISSING:
        raise ValueError("causa: missing must be 'error' or 'drop', got %r" % (missing,))
    opt.missing = _MISSING[missing]
    if missing_marker is not None:
        opt.missing_marker = cstr(missing_marker)  # the struct keeps the bytes alive
    opt.quote = _one_char("quote", quote)
    return opt


def _one_char(what, c):
    b = cstr(c)
    if len(b) != 1:
        raise ValueError("causa: %s must be one ASCII character, got %r" % (what, c))
    return b


def read_csv(path, header=True, delimiter=None, data_type="mixed", max_levels=0,
             missing="error", missing_marker=None, quote='"', ctx=None):
    """Reads a CSV file into a Dataset ("-" reads standard input).

    header: the first line holds the names (else X1..Xp). delimiter: None detects among
    ',', tab, ';' and whitespace; ' ' means runs of spaces/tabs. data_type: 'mixed' (a
    column with text becomes discrete), 'continuous' or 'discrete'. max_levels: in mixed
    data, an integer-valued column with at most this many distinct values becomes
    discrete (0: never). missing: 'error' (any missing value fails) or 'drop' (rows with
    one are dropped; see Dataset.dropped_rows); "", NA, NaN and ? are missing, and so is
    missing_marker if given. quote: the quote character.
    Raises causa.Error: EIO if the file cannot be read, EPARSE with file:line:column
    for malformed text, ERANGE for a number that overflows.
    """
    ctx = _resolve(ctx)
    opt = _csv_options(header, delimiter, data_type, max_levels, missing, missing_marker,
                       quote)
    out = _lib.dataset_p()
    _check(ctx, lib.causa_csv_read(ctx._p, cpath(path), ctypes.byref(opt),
                                   ctypes.byref(out)))
    return Dataset._wrap(ctx, out)


def read_csv_string(data, name="<string>", header=True, delimiter=None, data_type="mixed",
                    max_levels=0, missing="error", missing_marker=None, quote='"',
                    ctx=None):
    """Like read_csv, from CSV text in memory (str or bytes); `name` is used in messages."""
    ctx = _resolve(ctx)
    opt = _csv_options(header, delimiter, data_type, max_levels, missing, missing_marker,
                       quote)
    buf = cstr(data)
    out = _lib.dataset_p()
    _check(ctx, lib.causa_csv_read_buffer(ctx._p, cstr(name), buf, len(buf),
                                          ctypes.byref(opt), ctypes.byref(out)))
    return Dataset._wrap(ctx, out)


def read_npy(path, ctx=None):
    """Reads a NumPy .npy file (float64, 2-D, C or Fortran order, either byte order) into
    a continuous Dataset with columns X1..Xp. NumPy itself is not needed."""
    ctx = _resolve(ctx)
    out = _lib.dataset_p()
    _check(ctx, lib.causa_npy_read(ctx._p, cpath(path), ctypes.byref(out)))
    return Dataset._wrap(ctx, out)
