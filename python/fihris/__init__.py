"""fihris - full-text search for text that mixes Arabic and English, over
libfihris (docs/python.md).

    import fihris
    with fihris.Index("news.db") as index:          # commits at the end of the block
        index.add([{"id": "a1", "title": "ميتا", "body": "أعلن مارك زوكربيرغ ..."}])
    with fihris.Searcher("news.db") as searcher:
        for hit in searcher.search("Zuckerberg"):
            print(hit.rank, hit.id, hit.snippet)

Index writes a database, Searcher reads it; failures raise fihris.Error
(a subclass for each kind: NotFound, Locked, Invalid, ...) with the
library's message.  An Index or a Searcher runs one call at a time: calls
from several threads wait for each other (open one per thread to work in
parallel); the GIL is released while the library works.
"""

from ._errors import (Corrupt, Error, Internal, Invalid, IOFailure, Locked, Modified, NoMemory,
                      NotFound, Unavailable, Unsupported)
from ._index import FIELDS, AddResult, Failure, Index, Notice
from ._search import (COLUMNS, MAX_COUNT, MAX_OFFSET, MAX_QUERY_BYTES, Hit, Hits, Result, Searcher,
                      Why)

__version__ = "0.1.0"

for _cls in (Error, NoMemory, IOFailure, Invalid, NotFound, Locked, Corrupt, Modified, Unsupported,
             Internal, Unavailable, Index, Searcher, Result, Hit, Why, Hits, AddResult, Failure,
             Notice):
    _cls.__module__ = __name__  # fihris.Invalid, not fihris._errors.Invalid
del _cls

__all__ = ["Index", "Searcher", "Result", "Hit", "Why", "Hits", "AddResult", "Failure", "Notice",
           "Error", "NoMemory", "IOFailure", "Invalid", "NotFound", "Locked", "Corrupt",
           "Modified", "Unsupported", "Internal", "Unavailable", "FIELDS", "MAX_COUNT",
           "MAX_OFFSET", "MAX_QUERY_BYTES", "COLUMNS"]
