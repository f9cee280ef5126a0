"""Loading libcausa.so and declaring the C functions the package calls.

Everything that touches ctypes signatures lives here, so the rest of the package reads
like ordinary Python. The structs mirror include/causa/*.h field by field: same order,
same C types. If a header struct changes, change its twin here.

The library is found in this order:
  1. the path in the environment variable CAUSA_LIB;
  2. ../../build/libcausa.so relative to this package (a source checkout after `make`);
  3. the installed library, through ctypes.util.find_library('causa').

A function the loaded library lacks (an older build) is left undeclared; calling it raises
AttributeError naming the symbol, and every other function keeps working.
"""

import ctypes
import ctypes.util
import os

from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int, c_int64,
                    c_size_t, c_uint64, c_void_p)

# ---- structs (include/causa/core.h, include/causa/data.h) ----


class causa_ctx_config(Structure):
    _fields_ = [
        ("alloc", c_void_p),      # causa_alloc_fn; the package always leaves it NULL
        ("alloc_ud", c_void_p),
        ("threads", c_int),
        ("seed", c_uint64),
    ]


class causa_matrix(Structure):
    """A borrowed strided view: element (i, j) is data[i * rs + j * cs]."""
    _fields_ = [
        ("data", POINTER(c_double)),
        ("nrow", c_int64),
        ("ncol", c_int64),
        ("rs", c_int64),
        ("cs", c_int64),
    ]


class causa_csv_options(Structure):
    _fields_ = [
        ("header", c_int),
        ("delimiter", c_char),
        ("data_type", c_int),
        ("max_levels", c_int64),
        ("missing", c_int),
        ("missing_marker", c_char_p),
        ("quote", c_char),
    ]


class causa_column_summary(Structure):
    _fields_ = [
        ("type", c_int),
        ("nlevels", c_int64),
        ("missing", c_int64),
        ("min", c_double),
        ("max", c_double),
        ("mean", c_double),
        ("sd", c_double),
    ]


# ---- constants (enums of the headers) ----
CONTINUOUS, DISCRETE = 0, 1
DATA_MIXED, DATA_CONTINUOUS, DATA_DISCRETE = 0, 1, 2
MISSING_ERROR, MISSING_DROP = 0, 1

# Opaque handles travel as void pointers; the Python wrappers never look inside them.
ctx_p = c_void_p
dataset_p = c_void_p

# ---- signatures: name -> (restype, argtypes) ----
# A fallible function returns c_int (a CAUSA_E* code), which errors.check() turns into an
# exception. Pointer results of borrowed strings are c_char_p (ctypes copies them to bytes).
_P = POINTER
_SIGNATURES = {
    # core.h: status, version, context
    "causa_strerror": (c_char_p, [c_int]),
    "causa_version": (c_char_p, []),
    "causa_ctx_config_init": (None, [_P(causa_ctx_config)]),
    "causa_ctx_new": (c_int, [_P(causa_ctx_config), _P(ctx_p)]),
    "causa_ctx_free": (None, [ctx_p]),
    "causa_errmsg": (c_char_p, [ctx_p]),
    "causa_errcode": (c_int, [ctx_p]),
    "causa_clear_error": (None, [ctx_p]),
    "causa_ctx_set_threads": (c_int, [ctx_p, c_int]),
    "causa_ctx_threads": (c_int, [ctx_p]),
    "causa_ctx_set_seed": (None, [ctx_p, c_uint64]),
    "causa_ctx_seed": (c_uint64, [ctx_p]),
    "causa_ctx_bytes_in_use": (c_size_t, [ctx_p]),
    "causa_ctx_peak_bytes": (c_size_t, [ctx_p]),
    "causa_ncores": (c_int, []),
    # data.h: data sets
    "causa_dataset_new": (c_int, [ctx_p, c_int64, c_int64, _P(dataset_p)]),
    "causa_dataset_from_matrix": (c_int, [ctx_p, _P(causa_matrix), _P(c_char_p),
                                          _P(dataset_p)]),
    "causa_dataset_free": (None, [dataset_p]),
    "causa_dataset_nrow": (c_int64, [dataset_p]),
    "causa_dataset_ncol": (c_int64, [dataset_p]),
    "causa_dataset_name": (c_char_p, [dataset_p, c_int64]),
    "causa_dataset_find": (c_int64, [dataset_p, c_char_p]),
    "causa_dataset_type": (c_int, [dataset_p, c_int64]),
    "causa_dataset_nlevels": (c_int64, [dataset_p, c_int64]),
    "causa_dataset_level": (c_char_p, [dataset_p, c_int64, c_int64]),
    "causa_dataset_column": (_P(c_double), [dataset_p, c_int64]),
    "causa_dataset_data": (_P(c_double), [dataset_p]),
    "causa_dataset_summary": (c_int, [ctx_p, dataset_p, c_int64, _P(causa_column_summary)]),
    "causa_dataset_dropped_rows": (c_int64, [dataset_p]),
    # data.h: CSV and .npy
    "causa_csv_options_init": (None, [_P(causa_csv_options)]),
    "causa_csv_read": (c_int, [ctx_p, c_char_p, _P(causa_csv_options), _P(dataset_p)]),
    "causa_csv_read_buffer": (c_int, [ctx_p, c_char_p, c_char_p, c_size_t,
                                      _P(causa_csv_options), _P(dataset_p)]),
    "causa_csv_write": (c_int, [ctx_p, dataset_p, c_char_p]),
    "causa_npy_read": (c_int, [ctx_p, c_char_p, _P(dataset_p)]),
    "causa_npy_write": (c_int, [ctx_p, dataset_p, c_char_p]),
}


def _candidates():
    """Paths to try, in order (see the module docstring)."""
    env = os.environ.get("CAUSA_LIB")
    if env:
        # An explicit choice is the only candidate: silently falling back to another
        # build would make test results lie.
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, os.pardir, os.pardir, "build", "libcausa.so")]
    installed = ctypes.util.find_library("causa")
    if installed:
        found.append(installed)
    return found


def _load():
    errors = []
    for path in _candidates():
        # Relative names from find_library ("libcausa.so.0") are resolved by the loader.
        if os.sep in path and not os.path.exists(path):
            errors.append("%s: no such file" % path)
            continue
        try:
            return ctypes.CDLL(path)  # CDLL releases the GIL during every call
        except OSError as e:
            errors.append(str(e))
    raise ImportError("causa: cannot load libcausa.so (set CAUSA_LIB to its path, or build it "
                      "with `make`): " + "; ".join(errors or ["not found"]))


def _declare(lib):
    for name, (restype, argtypes) in _SIGNATURES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            continue  # an older library: calling lib.<name> raises AttributeError later
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


lib = _declare(_load())


def text(b):
    """Decodes a C string from the library (None stays None)."""
    return None if b is None else b.decode("utf-8", "replace")


def cstr(s):
    """Encodes a Python str (or bytes) for the library."""
    return s if isinstance(s, bytes) else str(s).encode("utf-8")


def cpath(path):
    """Encodes a file name (str, bytes or os.PathLike) the way the OS expects it."""
    return os.fsencode(path)
