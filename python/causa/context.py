"""Context: the Python face of causa_ctx, and the base class of every wrapped C object.

Threading rule (from causa.h): one context, and every object made with it, must be used by
one thread at a time. The package therefore keeps one *default* context per thread
(threading.local), created on first use; functions that take ctx=None use the calling
thread's default. Calls into the library release the GIL, so threads with their own
contexts really run in parallel.

Lifetime: the C library requires every object to be freed before its context. Objects
keep their Context alive, and the Context counts the C handles still allocated: it frees
causa_ctx only once that count is zero, whatever order Python's garbage collector chooses.
"""

import ctypes
import threading
import weakref

from . import _lib
from ._lib import lib
from .errors import _check

_UINT64_MAX = 2**64 - 1


class Context:
    """A causa context: worker-thread count, random seed, last error, memory accounting.

    Context(threads=1, seed=1). threads=0 means all cores. Results never depend on the
    thread count. Use it as a context manager, or call close(); closing a context closes
    every object made with it.
    """

    def __init__(self, threads=1, seed=1):
        self._ptr = None
        self._nlive = 0          # C handles made with this context and not yet freed
        self._closing = False    # close() was called: free causa_ctx when _nlive hits 0
        self._objects = weakref.WeakSet()  # the wrappers, so close() can close them
        cfg = _lib.causa_ctx_config()
        lib.causa_ctx_config_init(ctypes.byref(cfg))
        cfg.seed = _check_seed(seed)
        ptr = _lib.ctx_p()
        _check(None, lib.causa_ctx_new(ctypes.byref(cfg), ctypes.byref(ptr)))
        self._ptr = ptr
        if threads != 1:
            try:
                self.threads = threads  # the library validates it, with a message
            except BaseException:
                self.close()
                raise

    @property
    def _p(self):
        """The causa_ctx pointer to pass to the library; ValueError once closed."""
        if self._ptr is None or self._closing:
            raise ValueError("causa: operation on a closed Context")
        return self._ptr

    @property
    def threads(self):
        """Worker threads used inside a call (>= 1); set 0 for all cores."""
        return lib.causa_ctx_threads(self._p)

    @threads.setter
    def threads(self, n):
        _check(self, lib.causa_ctx_set_threads(self._p, int(n)))

    @property
    def seed(self):
        """Default seed of the random streams (0 .. 2**64 - 1)."""
        return lib.causa_ctx_seed(self._p)

    @seed.setter
    def seed(self, value):
        lib.causa_ctx_set_seed(self._p, _check_seed(value))

    @property
    def bytes_in_use(self):
        """Bytes currently allocated by causa through this context."""
        return lib.causa_ctx_bytes_in_use(self._p)

    @property
    def peak_bytes(self):
        """Largest bytes_in_use seen since the context was made."""
        return lib.causa_ctx_peak_bytes(self._p)

    @property
    def closed(self):
        return self._ptr is None or self._closing

    def close(self):
        """Closes every object made with this context, then the context itself.

        Idempotent. Memory still referenced by a NumPy view (Dataset.to_numpy(copy=False))
        is freed when the last such view goes away.
        """
        if self._ptr is None or self._closing:
            return
        for obj in list(self._objects):
            obj.close()
        self._closing = True
        self._maybe_free()

    def __del__(self):
        # Never closes the objects: any that still exist hold this context, so this runs
        # either after them or inside a garbage-collected cycle with them, where their own
        # finalizers release them and the last one frees the context.
        if getattr(self, "_ptr", None) is not None:
            self._closing = True
            self._maybe_free()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        if self.closed:
            return "<causa.Context closed>"
        return "<causa.Context threads=%d seed=%d>" % (self.threads, self.seed)

    # ---- bookkeeping used by Object and _Owner ----

    def _adopt(self, obj):
        self._objects.add(obj)

    def _maybe_free(self):
        if self._closing and self._nlive == 0 and self._ptr is not None:
            ptr, self._ptr = self._ptr, None
            lib.causa_ctx_free(ptr)


def _check_seed(seed):
    seed = int(seed)
    if not 0 <= seed <= _UINT64_MAX:
        raise ValueError("causa: seed must be in 0 .. 2**64 - 1, got %d" % seed)
    return seed


# ---- the per-thread default context ----

_local = threading.local()


def default_context():
    """The calling thread's default Context (made on first use, threads=1, seed=1)."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None or ctx.closed:
        ctx = _local.ctx = Context()
    return ctx


def _resolve(ctx):
    """The context a call should use: ctx itself, or the thread's default."""
    if ctx is None:
        return default_context()
    if not isinstance(ctx, Context):
        raise TypeError("causa: ctx must be a causa.Context, not %s" % type(ctx).__name__)
    return ctx


# ---- wrapped C objects ----


class _Owner:
    """Owns one C handle; frees it (with its free function) when garbage.

    Kept apart from the public wrapper so that NumPy views of the handle's memory can hold
    the handle alive after the wrapper is closed or dropped.
    """

    __slots__ = ("ptr", "ctx", "free", "__weakref__")

    def __init__(self, ctx, ptr, free):
        self.ptr, self.ctx, self.free = ptr, ctx, free
        ctx._nlive += 1

    def __del__(self):
        ptr, self.ptr = self.ptr, None
        if ptr:
            self.free(ptr)
            self.ctx._nlive -= 1
            self.ctx._maybe_free()


class Object:
    """Base of the classes that wrap a C handle (Dataset now; Graph, SCM later).

    A subclass sets _free to the name of its causa_X_free function and builds instances
    with _wrap(ctx, ptr). Inside methods, self._h is the handle to pass to the library
    (it raises ValueError once the object is closed) and self._ctx its Context.
    """

    _free = None  # name of the C free function, e.g. "causa_dataset_free"

    @classmethod
    def _wrap(cls, ctx, ptr):
        obj = cls.__new__(cls)
        obj._ctx = ctx
        obj._owner = _Owner(ctx, ptr, getattr(lib, cls._free))
        ctx._adopt(obj)
        return obj

    @property
    def _h(self):
        owner = getattr(self, "_owner", None)
        if owner is None:
            raise ValueError("causa: operation on a closed %s" % type(self).__name__)
        return owner.ptr

    @property
    def closed(self):
        return getattr(self, "_owner", None) is None

    def close(self):
        """Frees the C object now (idempotent); later use raises ValueError."""
        self._owner = None  # _Owner.__del__ frees it unless a NumPy view still holds it

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
