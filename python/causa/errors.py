"""causa.Error: every non-zero status code of the library becomes one.

The library returns a CAUSA_E* code and keeps the specific message on the context
(causa_errmsg). _check() turns that pair into an exception and then clears the context's
error, so a failure never leaks into the message of a later call.
"""

from ._lib import lib, text

# The status codes of include/causa/core.h. Numbers are never reused by the library.
OK = 0
ENOMEM = 1
EINVAL = 2
EMISUSE = 3
EDATA = 4
ESINGULAR = 5
ENOCONV = 6
ECYCLE = 7
ENOTIDENT = 8
EIO = 9
EPARSE = 10
EINTERRUPTED = 11
EINTERNAL = 12
EUNSUPPORTED = 13
ENOTFOUND = 14
ERANGE = 15

# code -> name ('EPARSE'), built from the constants above.
NAMES = {v: k for k, v in globals().items() if k.isupper() and isinstance(v, int)}


class Error(Exception):
    """A failure reported by libcausa.

    Attributes:
        code: the CAUSA_E* status (an int; compare with causa.errors.EPARSE etc.).
        name: its name without the prefix, e.g. 'EPARSE'.
        message: the library's specific message (causa_errmsg), e.g.
            "data/x.csv:3:7: expected 11 fields, found 10".
    """

    def __init__(self, code, message=""):
        # args = (code, message) keeps the exception picklable.
        super().__init__(code, message)
        self.code = int(code)
        self.name = NAMES.get(self.code, "E%d" % self.code)
        # An empty message (no context to hold one) falls back to the static text.
        self.message = message or text(lib.causa_strerror(self.code))

    def __str__(self):
        return self.message

    def __repr__(self):
        return "causa.Error(%s, %r)" % (self.name, self.message)


def _check(ctx, rc):
    """Raises Error if rc is not CAUSA_OK; ctx is a Context (or None if there is none)."""
    if rc == OK:
        return
    message = ""
    if ctx is not None:
        handle = ctx._p
        message = text(lib.causa_errmsg(handle))
        lib.causa_clear_error(handle)
    raise Error(rc, message)
