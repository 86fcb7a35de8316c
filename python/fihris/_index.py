"""_index.py - fihris.Index: writing a database (fh_writer): documents
given as dicts added or replaced, deleted by id, committed.

Nothing written is visible to searches, nor durable, before a commit;
close() does not commit (the library commits full batches on its own, every
1000 changed documents or 32 MB of their text).  Used as a context
manager, an Index commits when the block ends normally and closes either
way."""

import dataclasses
import datetime
from collections.abc import Mapping

from . import _errors
from ._c import Handle, check, encode, error, lib, ffi, new_error, path_bytes

FIELDS = ("id", "title", "body", "url", "date", "source", "lang")


@dataclasses.dataclass(frozen=True)
class Failure:
    """A document that Index.add refused (with on_error="skip")."""

    position: int  # from 0, in what add was given
    id: object     # its "id", None when it has none
    message: str


@dataclasses.dataclass(frozen=True)
class AddResult:
    """What one Index.add did: documents added (new ids), replaced,
    unchanged (already stored alike, left alone), refused (failed, with
    on_error="skip"), and terms left out of documents too varied to index
    whole (their text is stored whole)."""

    added: int
    replaced: int
    unchanged: int
    failed: list
    dropped_terms: int = 0


def _date(value):
    """A datetime.date as YYYY-MM-DD; anything else as given."""
    if isinstance(value, datetime.date):
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    return value


def _fields(doc):
    """The arguments of fh_writer_put_fields for doc, or Invalid."""
    if not isinstance(doc, Mapping):
        raise _errors.Invalid("a document is a dict of fields, not %s" % type(doc).__name__)
    for key in doc:
        if key not in FIELDS:
            raise _errors.Invalid('unknown field "%s" (a document has %s)'
                                  % (key, ", ".join(FIELDS)))
    args = []
    for name in FIELDS:
        value = _date(doc.get(name)) if name == "date" else doc.get(name)
        args.append(ffi.NULL if value is None else encode(value, 'field "%s"' % name))
    return args


def _refused(position, doc, message):
    """The Invalid of a document add refused."""
    doc_id = doc.get("id") if isinstance(doc, Mapping) else None
    e = _errors.Invalid("%s (at position %d)" % (message, position))
    e.position, e.id = position, doc_id
    return e


class Index:
    """The database at path, open for writing (created when there is none).

    names=False files no spellings of names: searches then match names only
    as the documents write them.  One Index at a time holds a database: a
    second one, here or in another process (the indexer), raises Locked.
    Calls from several threads run one at a time."""

    def __init__(self, path, *, names=True):
        opts = ffi.new("fh_writer_opts *")
        lib.fh_writer_opts_init(opts)
        opts.names = 1 if names else 0
        out = ffi.new("fh_writer **")
        err = new_error()
        check(lib.fh_writer_open(path_bytes(path), opts, out, err), err)
        self._h = Handle(out[0], lib.fh_writer_close, "Index")

    def add(self, docs, *, on_error="raise"):
        """Add documents, replacing those with the same id: an iterable of
        dicts (or one dict) with the fields of a JSONL line, "id" and "body"
        required, "title", "url", "date" (YYYY, YYYY-MM or YYYY-MM-DD, or a
        datetime.date), "source", "lang" optional (None or "" when absent),
        every value a str.  A document that breaks these rules, or names
        another field, is refused: on_error="raise" raises Invalid (its
        position and id say which; the documents before it are added),
        on_error="skip" goes on and lists it in the result's failed.
        Returns an AddResult.  In an Index opened on an empty database, an
        id given twice counts as added twice (the second replaces the
        first)."""
        if on_error not in ("raise", "skip"):
            raise _errors.Invalid('on_error is "raise" or "skip", not %r' % (on_error,))
        if isinstance(docs, Mapping):
            docs = (docs,)
        elif isinstance(docs, (str, bytes)):
            raise _errors.Invalid("add takes documents (dicts), not a string")
        before = self._counts()
        failed = []
        for position, doc in enumerate(docs):
            message = self._put(doc)
            if message is None:
                continue
            refused = _refused(position, doc, message)
            if on_error == "raise":
                raise refused
            failed.append(Failure(refused.position, refused.id, message))
        after = self._counts()
        return AddResult(added=after.added - before.added,
                         replaced=after.replaced - before.replaced,
                         unchanged=after.unchanged - before.unchanged,
                         failed=failed,
                         dropped_terms=after.dropped_terms - before.dropped_terms)

    def _put(self, doc):
        """Store doc: None, or the message saying why it is refused."""
        try:
            args = _fields(doc)
        except _errors.Invalid as e:
            doc_id = doc.get("id") if isinstance(doc, Mapping) else None
            return ('document "%.40s": %s' % (doc_id, e)) if isinstance(doc_id, str) else str(e)
        err = new_error()
        with self._h.use() as w:
            status = lib.fh_writer_put_fields(w, *args, err)
        if status == lib.FH_ERR_INVALID:
            return str(error(status, err))
        check(status, err)
        return None

    def delete(self, ids):
        """Delete the documents with these ids (an iterable of str, or one
        str), from the next commit on; returns how many there were."""
        if isinstance(ids, str):
            ids = (ids,)
        found = ffi.new("int *")
        deleted = 0
        for doc_id in ids:
            raw = encode(doc_id, "an id")
            err = new_error()
            with self._h.use() as w:
                check(lib.fh_writer_delete(w, raw, found, err), err)
            deleted += found[0]
        return deleted

    def commit(self):
        """Make what was written since the last commit visible to searches
        and durable."""
        err = new_error()
        with self._h.use() as w:
            check(lib.fh_writer_commit(w, err), err)

    def close(self):
        """Close without committing what is pending; closing again does nothing."""
        self._h.close()

    @property
    def closed(self):
        return self._h.closed

    def _counts(self):
        with self._h.use() as w:
            return lib.fh_writer_get_counts(w)

    @property
    def counts(self):
        """Since the Index was opened: documents added, replaced, unchanged,
        deleted, and terms dropped (a dict)."""
        c = self._counts()
        return {"added": c.added, "replaced": c.replaced, "unchanged": c.unchanged,
                "deleted": c.deleted, "dropped_terms": c.dropped_terms}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.close()
        return False
