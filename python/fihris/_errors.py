"""_errors.py - the exceptions: fihris.Error, and one subclass for each way
a call of libfihris fails (its fh_status), carrying the library's message."""


class Error(Exception):
    """A Fihris call failed.  str() is the library's one-line message;
    status names the kind of failure as fh_status_name does ("locked",
    "not found", ...)."""

    status = "error"

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NoMemory(Error):
    """Memory ran out (FH_ERR_NOMEM)."""

    status = "out of memory"


class IOFailure(Error):
    """A file or directory could not be read or written (FH_ERR_IO)."""

    status = "input/output error"


class Invalid(Error, ValueError):
    """A bad argument, document or query (FH_ERR_INVALID), or an object
    used after close().  A document refused by Index.add also says where it
    was: position (from 0 in what add was given) and id (None when it has
    none); warnings lists the Notice of the documents add kept before it."""

    status = "invalid input"
    position = None
    id = None
    warnings = ()


class NotFound(Error):
    """The database does not exist (FH_ERR_NOT_FOUND)."""

    status = "not found"


class Locked(Error):
    """Another writer holds the database (FH_ERR_LOCKED)."""

    status = "locked"


class Corrupt(Error):
    """The database cannot be read (FH_ERR_CORRUPT)."""

    status = "corrupt"


class Modified(Error):
    """The database changed under a reader: refresh() and search again
    (FH_ERR_MODIFIED)."""

    status = "modified"


class Unsupported(Error):
    """Input of a kind Fihris does not handle (FH_ERR_UNSUPPORTED)."""

    status = "unsupported"


class Internal(Error):
    """A library failed in an unexpected way (FH_ERR_INTERNAL)."""

    status = "internal error"


class Unavailable(Error):
    """A shard server could not be reached in time (FH_ERR_UNAVAILABLE)."""

    status = "unavailable"
