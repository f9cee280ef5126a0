"""causa: causal models at C speed. Python binding (ctypes over libcausa.so).

    import causa
    ds = causa.read_csv("data/sachs.csv")
    x = ds.to_numpy()          # n x p float64 copy

Each module mirrors one section of the C header (causa/data.h -> causa.data); the
top level re-exports the public names. Library failures raise causa.Error (code, name,
message). See docs/PYTHON.md.
"""

from . import errors
from ._lib import lib as _libcausa, text as _text
from .context import Context, default_context
from .data import Dataset, read_csv, read_csv_string, read_npy
from .errors import Error

# The version of this package; the tests check it matches the library's.
__version__ = "0.1.0"

__all__ = ["Context", "Dataset", "Error", "default_context", "errors", "ncores",
           "read_csv", "read_csv_string", "read_npy", "version"]


def version():
    """The version of the loaded libcausa, "MAJOR.MINOR.PATCH"."""
    return _text(_libcausa.causa_version())


def ncores():
    """Number of cores available to this process (what threads=0 uses)."""
    return _libcausa.causa_ncores()


from .graph import Edge, Graph, random_dag, read_graph, read_graph_string  # noqa: E402

__all__ += ["Edge", "Graph", "random_dag", "read_graph", "read_graph_string"]

from .scm import ACE, SCM, read_scm  # noqa: E402

__all__ += ["ACE", "SCM", "read_scm"]

from .fit import FitReport, fit, simulate, simulate_var  # noqa: E402

__all__ += ["FitReport", "fit", "simulate", "simulate_var"]

from .discover import discover  # noqa: E402

__all__ += ["discover"]
