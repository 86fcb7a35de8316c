"""_search.py - fihris.Searcher: searching a database (fh_searcher) with the
query language of `search`, one page of hits (Result) or all of them page by
page (Hits); stored documents; completions.

A Searcher sees the database as committed when it was opened or last
refreshed.  The C structs a search returns are copied into Python objects
and freed before search() returns."""

import dataclasses
import json

from . import _errors
from ._c import Handle, check, encode, ffi, lib, new_error, path_bytes, text

MAX_COUNT = lib.FH_SEARCH_MAX_COUNT
MAX_OFFSET = 4000000000  # as `search --offset`; the database numbers documents in 32 bits
MAX_QUERY_BYTES = lib.FH_SEARCH_MAX_QUERY_BYTES

_MARKS = {"plain": lib.FH_MARK_PLAIN, "html": lib.FH_MARK_HTML, "ansi": lib.FH_MARK_ANSI,
          "none": lib.FH_MARK_NONE}
_SORTS = ("relevance", "date")
COLUMNS = ("rank", "id", "score", "title", "snippet", "url", "date", "source", "lang")


@dataclasses.dataclass(frozen=True)
class Why:
    """One reason a hit matched: the query word, how it met the document
    ("exact", "stem", "other spelling", "other script"), the index words it
    matched, and what it added to the score."""

    word: str
    how: str
    terms: list
    weight: float


@dataclasses.dataclass(frozen=True)
class Hit:
    """One hit.  title_marked and snippet mark the matched words as the
    search asked (marks); url, date, source, lang are None when the
    document has none; with snippets=False only rank, id and score are set.
    why: with explain=True, the reasons it matched (list of Why)."""

    rank: int
    id: str
    score: float
    title: str = None
    title_marked: str = None
    snippet: str = None
    url: str = None
    date: str = None
    source: str = None
    lang: str = None
    why: list = None


def _frame(hits):
    """hits as a pandas DataFrame: a row a hit, the columns of COLUMNS (and
    why, when the hits have it)."""
    try:
        import pandas
    except ImportError:
        raise ImportError("to_pandas needs pandas (Debian: apt-get install python3-pandas)") \
            from None
    hits = list(hits)
    columns = list(COLUMNS) + (["why"] if any(h.why is not None for h in hits) else [])
    return pandas.DataFrame([[getattr(h, c) for c in columns] for h in hits], columns=columns)


class Result:
    """One page of hits and what the search says about all its matches.

    hits: list of Hit (also len(result), result[i], iteration); total: the
    number of matches, estimated unless exact; matched_any: no document had
    every word, these have any; suggestion: the query with unknown words
    corrected (or None); notes: how the query was read otherwise than typed
    (or None); facets: with facets=True, {"source": {value: count, ...},
    "lang": ..., "year": ...}, most frequent first, else None; words and
    parsed: with explain=True, the query words as analyzed and the query as
    read; time_limited: the time limit cut the search short;
    prefixes_limited: some words that a prefix* begins were left out;
    missing_shards: the shards of a cluster that did not answer."""

    def __init__(self, query, r, explain, snippets):
        self.query = query
        self.total = r.estimated
        self.exact = bool(r.exact_total)
        self.matched_any = bool(r.matched_any)
        self.time_limited = bool(r.time_limited)
        self.prefixes_limited = r.prefix_kept < r.prefix_words
        self.elapsed_ms = r.elapsed_ms
        self.notes = text(r.notes)
        self.suggestion = text(r.suggestion)
        self.parsed = text(r.parsed) if explain else None
        self.words = ([text(lib.fh_search_result_word(r, i))
                       for i in range(lib.fh_search_result_word_count(r))] if explain else None)
        self.facets = _facets(r) if r.counted else None
        self.missing_shards = [text(r.missing_shards[i]) for i in range(r.nmissing)]
        self.hits = [_hit(r.hits[i], self.words, snippets) for i in range(r.nhits)]

    def __len__(self):
        return len(self.hits)

    def __iter__(self):
        return iter(self.hits)

    def __getitem__(self, i):
        return self.hits[i]

    def __repr__(self):
        return "<fihris.Result %r: %d hit(s) of %s%d>" % (
            self.query, len(self.hits), "" if self.exact else "about ", self.total)

    def to_pandas(self):
        """The hits as a pandas DataFrame (pandas must be installed)."""
        return _frame(self.hits)


def _facets(r):
    return {text(lib.fh_facet_name(k)): {text(v.value): v.count
                                         for v in r.facets[k].values[0:r.facets[k].n]}
            for k in range(lib.FH_FACETS)}


def _hit(h, words, snippets):
    if not snippets:
        return Hit(rank=h.rank, id=text(h.id), score=h.score)
    why = None
    if words is not None:
        why = [Why(word=words[y.word] if y.word < len(words) else None,
                   how=text(lib.fh_how_name(y.how)),
                   terms=(text(y.terms) or "").split(), weight=y.weight)
               for y in h.why[0:h.nwhy]]
    return Hit(rank=h.rank, id=text(h.id), score=h.score, title=text(h.title),
               title_marked=text(h.title_marked), snippet=text(h.snippet), url=text(h.url),
               date=text(h.date), source=text(h.source), lang=text(h.lang), why=why)


def _extra(raw, doc_id):
    """The extra fields stored with a document (the text of a JSON object)
    as a dict; Corrupt when they do not read as one."""
    try:
        extra = json.loads(raw)
    except ValueError:
        extra = None
    if not isinstance(extra, dict):
        raise _errors.Corrupt('the extra fields stored with "%.40s" are not a JSON object'
                              % doc_id)
    return extra


def _count(value, what, most):
    """value as an int from 0 to most, or Invalid."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _errors.Invalid("%s is a number, not %s" % (what, type(value).__name__))
    if not 0 <= value <= most:
        raise _errors.Invalid("%s must be from 0 to %d, not %d" % (what, most, value))
    return value


class Hits:
    """Every hit of a query, best first (or newest, sort="date"), searched
    batch hits at a time as they are read: an iterator of Hit.  The first
    batch is searched at once (a bad query raises there); total and exact
    are its.  Pages after it come from the same Searcher: refreshing it
    meanwhile, or a writer committing so much that the database changes
    under it (Modified), breaks the sequence."""

    def __init__(self, searcher, query, batch, options):
        self._searcher = searcher
        self._query = query
        self._batch = _count(batch, "batch", MAX_COUNT)
        if self._batch == 0:
            raise _errors.Invalid("batch must be from 1 to %d, not 0" % MAX_COUNT)
        self._options = options
        first = searcher.search(query, n=self._batch, **options)
        self.total, self.exact = first.total, first.exact
        self._page = iter(first.hits)
        self._next_offset = len(first.hits) if len(first.hits) == self._batch else None

    def __iter__(self):
        return self

    def __next__(self):
        hit = next(self._page, None)
        while hit is None:
            if self._next_offset is None or self._next_offset > MAX_OFFSET:
                raise StopIteration
            page = self._searcher.search(self._query, n=self._batch, offset=self._next_offset,
                                         suggest=False, **self._options)
            got = len(page.hits)
            self._next_offset = self._next_offset + got if got == self._batch else None
            self._page = iter(page.hits)
            hit = next(self._page, None)
        return hit

    def to_pandas(self):
        """The hits not read yet as a pandas DataFrame (pandas must be installed)."""
        return _frame(self)


class Searcher:
    """The database at path (or a cluster description), open for reading.
    NotFound when there is none.  Calls from several threads run one at a
    time: for searches in parallel, open a Searcher per thread."""

    def __init__(self, path):
        out = ffi.new("fh_searcher **")
        err = new_error()
        check(lib.fh_searcher_open(path_bytes(path), out, err), err)
        self._h = Handle(out[0], lib.fh_searcher_close, "Searcher")

    def search(self, query, n=10, offset=0, *, explain=False, facets=False, sort="relevance",
               marks="plain", snippets=True, snippet_words=30, names=True, suggest=True,
               time_limit_ms=0):
        """Run query (the query language of `search`, README.md "Query
        syntax"): the hits ranked offset+1 to offset+n (n at most 1000: see
        iter_hits for more), as a Result.

        explain: say why each hit matched (Hit.why); facets: count every
        match by source, language and year (Result.facets); sort:
        "relevance" (BM25) or "date" (newest first); marks: how snippets
        mark the matched words, "plain" (**word**), "html" (escaped, <b>),
        "ansi", "none"; snippets=False: hits with rank, id and score only
        (faster); snippet_words: a passage's length; names: match names in
        their other spellings and scripts; suggest: a spelling suggestion
        when few documents match; time_limit_ms > 0: end the search about
        then, with what it has (Result.time_limited).  Invalid for a query
        that cannot be searched, with the reason."""
        raw = encode(query, "the query")
        req = ffi.new("fh_search_request *")
        lib.fh_search_request_init(req)
        buf = ffi.new("char[]", raw)
        req.query, req.query_len = buf, len(raw)
        if isinstance(n, int) and n > MAX_COUNT:
            raise _errors.Invalid("n must be from 0 to %d, not %d: iter_hits reads every hit"
                                  % (MAX_COUNT, n))
        req.count = _count(n, "n", MAX_COUNT)
        req.offset = _count(offset, "offset", MAX_OFFSET)
        if sort not in _SORTS:
            raise _errors.Invalid('sort is "relevance" or "date", not %r' % (sort,))
        if marks not in _MARKS:
            raise _errors.Invalid("marks is one of %s, not %r" % (", ".join(_MARKS), marks))
        req.sort_by_date = sort == "date"
        req.marks = _MARKS[marks]
        req.snippet_words = _count(snippet_words, "snippet_words", 1000)
        req.time_limit_ms = self._time_limit(time_limit_ms)
        req.explain, req.facets, req.snippets = bool(explain), bool(facets), bool(snippets)
        req.names, req.suggest = bool(names), bool(suggest)
        out = ffi.new("fh_search_result *")
        err = new_error()
        with self._h.use() as s:
            check(lib.fh_search(s, req, out, err), err)
        try:
            return Result(query, out, bool(explain), bool(snippets))
        finally:
            lib.fh_search_result_free(out)

    @staticmethod
    def _time_limit(ms):
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not 0 <= ms < float("inf"):
            raise _errors.Invalid("time_limit_ms is a number of milliseconds >= 0, not %r" % (ms,))
        return ms

    def iter_hits(self, query, *, batch=1000, sort="relevance", marks="plain", snippets=True,
                  snippet_words=30, names=True):
        """Every hit of query, without paging by hand: an iterator of Hit
        (Hits) that searches batch hits at a time (at most 1000) as it is
        read, with no time limit.  The options are those of search()."""
        return Hits(self, query, batch, {"sort": sort, "marks": marks, "snippets": snippets,
                                         "snippet_words": snippet_words, "names": names})

    def document(self, id):
        """The stored fields of the document with this id, as a dict with
        the fields it has ("id", "title", "body", "url", "date", "source",
        "lang"; "path" for a file the indexer read; "extra", a dict of the
        fields beyond these that Index.add or a JSONL line gave), or None
        when there is none.  A document comes back as Index.add took it,
        its date as YYYY[-MM[-DD]]."""
        raw = encode(id, "the id")
        out = ffi.new("fh_stored *")
        err = new_error()
        with self._h.use() as s:
            status = lib.fh_searcher_document(s, raw, out, err)
        if status == lib.FH_ERR_NOT_FOUND:
            return None
        check(status, err)
        try:
            fields = {"id": text(out.id), "title": text(out.title, out.title_len),
                      "body": text(out.body, out.body_len), "url": text(out.url),
                      "date": text(out.date), "source": text(out.source), "lang": text(out.lang),
                      "path": text(out.path)}
            extra = text(out.extra, out.extra_len)
        finally:
            lib.fh_stored_free(out)
        doc = {k: v for k, v in fields.items() if v is not None and (v or k == "body")}
        if extra is not None:
            doc["extra"] = _extra(extra, id)
        return doc

    def complete(self, prefix, n=10):
        """Index words that complete the last word of prefix, the most
        frequent first, then names in the other script: at most n (a list
        of str)."""
        raw = encode(prefix, "the prefix")
        n = _count(n, "n", lib.FH_COMPLETE_SCAN)
        buf = ffi.new("fh_buf *")
        count = ffi.new("size_t *")
        err = new_error()
        try:
            with self._h.use() as s:
                check(lib.fh_searcher_complete(s, raw, len(raw), n, buf, count, err), err)
            words = ffi.unpack(buf.data, buf.len).split(b"\0") if count[0] else []
            return [w.decode("utf-8", "replace") for w in words[:count[0]]]
        finally:
            lib.fh_buf_free(buf)

    def doc_count(self):
        """How many documents the database holds."""
        out = ffi.new("uint32_t *")
        err = new_error()
        with self._h.use() as s:
            check(lib.fh_searcher_doc_count(s, out, err), err)
        return out[0]

    def refresh(self):
        """Catch up with what writers committed since the Searcher was
        opened or last refreshed."""
        err = new_error()
        with self._h.use() as s:
            check(lib.fh_searcher_refresh(s, err), err)

    def close(self):
        """Close; closing again does nothing."""
        self._h.close()

    @property
    def closed(self):
        return self._h.closed

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False
