"""_index.py - fihris.Index: writing a database (fh_writer): documents
given as dicts, sent to the library as JSON, added or replaced, deleted by
id, committed.

Nothing written is visible to searches, nor durable, before a commit;
close() does not commit (the library commits full batches on its own, every
1000 changed documents or 32 MB of their text).  Used as a context
manager, an Index commits when the block ends normally and closes either
way."""

import dataclasses
import datetime
import json
import re
from collections.abc import Mapping

from . import _errors
from ._c import Handle, check, encode, error, lib, ffi, new_error, path_bytes, text

FIELDS = ("id", "title", "body", "url", "date", "source", "lang")

# a NUL character in JSON text: an escape not itself escaped
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
# digits enough for an integer that 64 bits may not hold
_LONG_NUMBER = re.compile(r"\d{19}")


@dataclasses.dataclass(frozen=True)
class Failure:
    """A document that Index.add refused (with on_error="skip")."""

    position: int  # from 0, in what add was given
    id: object     # its "id", None when it has none
    message: str


@dataclasses.dataclass(frozen=True)
class Notice:
    """What Index.add repaired or dropped in a document it kept: a date it
    cannot read, extra fields over 64 KB, terms left out of the index."""

    position: int  # from 0, in what add was given
    id: str
    message: str


@dataclasses.dataclass(frozen=True)
class AddResult:
    """What one Index.add did: documents added (new ids), replaced,
    unchanged (already stored alike, left alone), refused (failed, with
    on_error="skip"), terms left out of documents too varied to index
    whole (their text is stored whole), and warnings (list of Notice) about
    documents kept in part."""

    added: int
    replaced: int
    unchanged: int
    failed: list
    dropped_terms: int = 0
    warnings: list = dataclasses.field(default_factory=list)


@ffi.def_extern()
def fihris_writer_notice(ctx, kind, path, line, message):
    """The writer's notices, to the list of its Index (notice_ctx)."""
    ffi.from_handle(ctx).append(text(message))


def _date(value):
    """A datetime.date as YYYY-MM-DD; anything else as given."""
    if isinstance(value, datetime.date):
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    return value


def _shown(name):
    """name (a str) as a message may quote it: at most 40 characters, a NUL
    or a lone surrogate escaped."""
    return name[:40].encode("utf-8", "backslashreplace").decode("utf-8").replace("\0", "\\0")


def _too_big(value):
    """value holds an integer that 64 bits do not hold (as the library
    reads JSON)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return not -2 ** 63 <= value < 2 ** 63
    if isinstance(value, Mapping):
        return any(_too_big(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_too_big(v) for v in value)
    return False


def _dumps(value, what):
    """value as compact JSON text, or Invalid saying why JSON cannot carry it."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except RecursionError:
        raise _errors.Invalid("%s is nested too deeply for JSON" % what) from None
    except ValueError as e:
        if "float" in str(e):
            raise _errors.Invalid("%s holds NaN or an infinity, which JSON cannot carry"
                                  % what) from None
        raise _errors.Invalid("%s cannot be written as JSON: %s" % (what, e)) from None
    except TypeError as e:
        raise _errors.Invalid("%s cannot be written as JSON: %s" % (what, e)) from None


def _member(name, value):
    """"name":value as UTF-8 JSON text, or Invalid saying why it cannot be
    (a known field is a str, or None when absent; the library's JSON has no
    NUL character and no integer beyond 64 bits)."""
    what = 'field "%s"' % _shown(name)
    if name in FIELDS and value is not None:
        value = _date(value) if name == "date" else value
        if not isinstance(value, str):
            raise _errors.Invalid("%s is %s, not a string" % (what, type(value).__name__))
    member = json.dumps(name, ensure_ascii=False) + ":" + _dumps(value, what)
    if _NUL.search(member):
        raise _errors.Invalid("%s holds a NUL character" % what)
    if _LONG_NUMBER.search(member) and _too_big(value):
        raise _errors.Invalid("%s holds an integer that does not fit in 64 bits" % what)
    try:
        return member.encode("utf-8")
    except UnicodeEncodeError:
        raise _errors.Invalid("%s is not valid Unicode (it holds a lone surrogate)" % what) \
            from None


def _json(doc):
    """doc as the UTF-8 text of a JSON object for fh_writer_put_json, or Invalid."""
    if not isinstance(doc, Mapping):
        raise _errors.Invalid("a document is a dict of fields, not %s" % type(doc).__name__)
    members = []
    for name, value in doc.items():
        if not isinstance(name, str):
            raise _errors.Invalid("a field's name is a string, not %s (%r)"
                                  % (type(name).__name__, name))
        members.append(_member(name, value))
    return b"{" + b",".join(members) + b"}"


def _named(doc, message):
    """message about doc, naming it when it has an id."""
    doc_id = doc.get("id") if isinstance(doc, Mapping) else None
    return ('document "%s": %s' % (_shown(doc_id), message)) if isinstance(doc_id, str) \
        else message


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
        # the writer's notices, while a call of add() stores a document
        self._notices = []
        self._notice_ctx = ffi.new_handle(self._notices)
        opts.notice = lib.fihris_writer_notice
        opts.notice_ctx = self._notice_ctx
        out = ffi.new("fh_writer **")
        err = new_error()
        check(lib.fh_writer_open(path_bytes(path), opts, out, err), err)
        self._h = Handle(out[0], lib.fh_writer_close, "Index")

    def add(self, docs, *, on_error="raise"):
        """Add documents, replacing those with the same id: an iterable of
        dicts (or one dict), each read as the indexer reads a JSONL line:
        "id" and "body" required, "title", "url", "date", "source", "lang"
        optional (None or "" when absent), each a str; "date" in ISO 8601
        ("2025-06-12", "2025-06", "2025", "2025-06-12T09:30:00+03:00", kept
        as the date), or a datetime.date.  Every other field is stored with
        the document as extra (any value JSON carries; 64 KB of it at most)
        and comes back from Searcher.document under "extra".  A document
        that breaks these rules is refused: on_error="raise" raises Invalid
        (its position and id say which; the documents before it are added),
        on_error="skip" goes on and lists it in the result's failed.  What
        was dropped from a document kept (a date that cannot be read, extra
        fields past 64 KB) is listed in the result's warnings (and in the
        warnings of the Invalid raised).  Returns an AddResult.  In an
        Index opened on an empty database, an id given twice counts as
        added twice (the second replaces the first)."""
        if on_error not in ("raise", "skip"):
            raise _errors.Invalid('on_error is "raise" or "skip", not %r' % (on_error,))
        if isinstance(docs, Mapping):
            docs = (docs,)
        elif isinstance(docs, (str, bytes)):
            raise _errors.Invalid("add takes documents (dicts), not a string")
        before = self._counts()
        failed, warnings = [], []
        for position, doc in enumerate(docs):
            message, notices = self._put(doc)
            warnings.extend(Notice(position, doc["id"], m) for m in notices)
            if message is None:
                continue
            refused = _refused(position, doc, message)
            if on_error == "raise":
                refused.warnings = warnings
                raise refused
            failed.append(Failure(refused.position, refused.id, message))
        after = self._counts()
        return AddResult(added=after.added - before.added,
                         replaced=after.replaced - before.replaced,
                         unchanged=after.unchanged - before.unchanged,
                         failed=failed,
                         dropped_terms=after.dropped_terms - before.dropped_terms,
                         warnings=warnings)

    def _put(self, doc):
        """Store doc: (None, the writer's notices about it), or (the message
        saying why it is refused, [])."""
        try:
            raw = _json(doc)
        except _errors.Invalid as e:
            return _named(doc, str(e)), []
        err = new_error()
        with self._h.use() as w:
            self._notices.clear()
            status = lib.fh_writer_put_json(w, raw, len(raw), err)
            notices = list(self._notices)
        if status == lib.FH_ERR_INVALID:
            return _named(doc, str(error(status, err))), []
        check(status, err)
        return None, notices

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
