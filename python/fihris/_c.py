"""_c.py - what the rest of the package shares about calling libfihris:
the compiled module (ffi, lib), text to and from C, raising the error a
call reports, and Handle, a C object used by one call at a time.

cffi releases the GIL during every call into the library, so other Python
threads run while one searches or commits."""

import contextlib
import os
import threading

from . import _errors
from ._fihris import ffi, lib

_BY_STATUS = {
    lib.FH_ERR_NOMEM: _errors.NoMemory,
    lib.FH_ERR_IO: _errors.IOFailure,
    lib.FH_ERR_INVALID: _errors.Invalid,
    lib.FH_ERR_NOT_FOUND: _errors.NotFound,
    lib.FH_ERR_LOCKED: _errors.Locked,
    lib.FH_ERR_CORRUPT: _errors.Corrupt,
    lib.FH_ERR_MODIFIED: _errors.Modified,
    lib.FH_ERR_UNSUPPORTED: _errors.Unsupported,
    lib.FH_ERR_INTERNAL: _errors.Internal,
    lib.FH_ERR_UNAVAILABLE: _errors.Unavailable,
}


def new_error():
    """An fh_error for one call."""
    return ffi.new("fh_error *")


def error(status, err):
    """The exception for a call that returned status and wrote err."""
    cls = _BY_STATUS.get(status, _errors.Error)
    message = ffi.string(err.message).decode("utf-8", "replace")
    return cls(message or text(lib.fh_status_name(status)), text(lib.fh_status_name(status)))


def check(status, err):
    """Raise the call's error unless it succeeded."""
    if status != lib.FH_OK:
        raise error(status, err)


def text(ptr, size=None):
    """A C string (size bytes of it, when given) as str; None for NULL."""
    if ptr == ffi.NULL:
        return None
    raw = ffi.string(ptr) if size is None else ffi.unpack(ptr, size)
    return raw.decode("utf-8", "replace")


def encode(value, what):
    """A str as UTF-8 for C: Invalid, naming what, for a value that is not
    a str or that C would not see whole (a NUL inside, a lone surrogate)."""
    if not isinstance(value, str):
        raise _errors.Invalid("%s is %s, not a string" % (what, type(value).__name__))
    if "\0" in value:
        raise _errors.Invalid("%s holds a NUL character" % what)
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise _errors.Invalid("%s is not valid Unicode (it holds a lone surrogate)" % what) \
            from None


def path_bytes(path):
    """A database path (str, bytes or os.PathLike) for C."""
    raw = os.fsencode(path)
    if b"\0" in raw:
        raise _errors.Invalid("the path holds a NUL character")
    return raw


class Handle:
    """A C object and the function that closes it: calls run one at a time
    (a second thread waits for the first), close() runs once, and the
    object is closed when garbage-collected if it was not before."""

    def __init__(self, ptr, close, what):
        self._ptr = ffi.gc(ptr, close)
        self._lock = threading.Lock()
        self._what = what

    @contextlib.contextmanager
    def use(self):
        """The C pointer, for the duration of one call."""
        with self._lock:
            if self._ptr is None:
                raise _errors.Invalid("the %s is closed" % self._what)
            yield self._ptr

    def close(self):
        with self._lock:
            if self._ptr is not None:
                ffi.release(self._ptr)
                self._ptr = None

    @property
    def closed(self):
        return self._ptr is None
