"""Arrays in and out of the library: optional NumPy, and causa_matrix views.

NumPy is used when it is installed and required only by the functions that produce or
need NumPy arrays; they call need_numpy(), which raises a clear ImportError otherwise.
Later modules (a covariance matrix in, samples out) use matrix_view() the same way.
"""

import ctypes

from . import _lib

try:
    import numpy as np
except ImportError:  # the package still reads, writes and describes data without it
    np = None

_DOUBLE = ctypes.sizeof(ctypes.c_double)


def need_numpy(what):
    """Returns the numpy module, or raises ImportError saying `what` needs it."""
    if np is None:
        raise ImportError("causa: %s needs NumPy, which is not installed "
                          "(apt install python3-numpy, or pip install numpy)" % what)
    return np


def matrix_view(obj):
    """A causa_matrix over a 2-D array of numbers, and the object that must stay alive.

    With NumPy, a float64 array in C order, Fortran order or any other strided layout
    (slices, transposes, negative steps) is passed without a copy: the view gets the
    array's own data pointer and strides. Other dtypes and array-likes are converted
    with numpy.asarray first. Without NumPy, a sequence of rows (or a 2-D memoryview)
    is copied into a C-order buffer.
    Returns (matrix, keepalive); the view is valid while keepalive is referenced.
    """
    if np is not None:
        a = np.asarray(obj, dtype=np.float64)
        if a.ndim != 2:
            raise ValueError("causa: expected a 2-D array, got %d dimension(s)" % a.ndim)
        if any(s % _DOUBLE for s in a.strides):  # e.g. a field of a structured array
            a = np.ascontiguousarray(a)
        m = _lib.causa_matrix(a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                              a.shape[0], a.shape[1],
                              a.strides[0] // _DOUBLE, a.strides[1] // _DOUBLE)
        return m, a
    rows = obj.tolist() if isinstance(obj, memoryview) else obj
    rows = [[float(x) for x in row] for row in rows]
    nrow = len(rows)
    ncol = len(rows[0]) if rows else 0
    if any(len(r) != ncol for r in rows):
        raise ValueError("causa: rows of different lengths")
    buf = (ctypes.c_double * max(nrow * ncol, 1))()
    for i, row in enumerate(rows):
        buf[i * ncol:(i + 1) * ncol] = row
    m = _lib.causa_matrix(ctypes.cast(buf, ctypes.POINTER(ctypes.c_double)), nrow, ncol,
                          ncol, 1)
    return m, buf


def doubles(ptr, n, keepalive=None):
    """A ctypes array of n doubles at ptr (no copy); keepalive rides along on it, so a
    NumPy array built on it keeps the owner of the memory alive."""
    buf = (ctypes.c_double * n).from_address(ctypes.addressof(ptr.contents))
    buf._causa_owner = keepalive
    return buf
