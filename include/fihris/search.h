/*
 * search.h - one search, from query text to ranked hits with snippets: the
 * code path that the `search` command (and any server) shares.
 *
 * The query is read in the query language (README.md, "Query syntax").
 * Plain words must all appear in a document (each word by any of its
 * forms); when no document holds them all, the search falls back to ranked
 * matching of any of them and says so (matched_any).  Ranking is Xapian's BM25, or the date.
 * A query that finds few documents because of a word the index does not
 * hold gets a spelling suggestion.
 */
#ifndef FIHRIS_SEARCH_H
#define FIHRIS_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/export.h"
#include "fihris/remote.h"
#include "fihris/stored.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_searcher fh_searcher;
struct fh_parsed_query; /* the query as analyzed: internal */

/* Open db_path read-only.  FH_ERR_NOT_FOUND when there is no database. */
FH_API fh_status fh_searcher_open(const char *db_path, fh_searcher **out, fh_error *err);
/* The same, with these options for the remote shards of a cluster
 * description (remote.h); remote may be NULL for the defaults. */
FH_API fh_status fh_searcher_open_remote(const char *db_path, const fh_remote_opts *remote,
                                         fh_searcher **out, fh_error *err);
FH_API void fh_searcher_close(fh_searcher *s);

/* Catch up with what the indexer committed since the database was opened
 * (a long-running server calls it before each request; cheap when nothing
 * changed). */
FH_API fh_status fh_searcher_refresh(fh_searcher *s, fh_error *err);

FH_API fh_status fh_searcher_doc_count(fh_searcher *s, uint32_t *out, fh_error *err);

/* The committed state the searcher sees (fh_db_state, as of its opening or
 * last refresh), appended to out: answers computed from equal states are
 * equal.  Nothing is appended when the database cannot tell. */
FH_API fh_status fh_searcher_state(fh_searcher *s, fh_buf *out, fh_error *err);

/* The stored fields of the document with this id; FH_ERR_NOT_FOUND when
 * there is none.  Free *out with fh_stored_free. */
FH_API fh_status fh_searcher_document(fh_searcher *s, const char *id, fh_stored *out,
                                      fh_error *err);

/* Index words that complete the last word of text (as the analyzer reads
 * it), the most frequent first, then, when they are fewer than half of max,
 * names in the other script that begin as it sounds (Zucker: زوكربيرغ),
 * at most max in all:
 * appended to out as NUL-terminated strings, *count of them.  At most
 * FH_COMPLETE_SCAN words in byte order are weighed, which bounds what a
 * one-letter prefix costs (searchd keeps the answers for reuse). */
#define FH_COMPLETE_SCAN 20000u
FH_API fh_status fh_searcher_complete(fh_searcher *s, const char *text, size_t len, size_t max,
                                      fh_buf *out, size_t *count, fh_error *err);

/* Whether the index was written by another version of the analysis (terms
 * and name keys made differently): its documents are then found less well
 * until the indexer runs again over them. */
FH_API int fh_searcher_index_outdated(fh_searcher *s);

/* How a search marks the words that matched. */
typedef enum {
    FH_MARK_NONE,  /* plain text, no marks */
    FH_MARK_PLAIN, /* **word** */
    FH_MARK_ANSI,  /* bold on a terminal */
    FH_MARK_HTML   /* text HTML-escaped, matches in <b>...</b> */
} fh_mark_style;

typedef struct {
    const char *query;
    size_t query_len;
    uint32_t offset;      /* first rank to return (0-based) */
    uint32_t count;       /* hits wanted */
    double k1, b;         /* BM25 parameters */
    fh_mark_style marks;  /* highlighting in snippet and title_marked */
    size_t snippet_words; /* passage length in words */
    int snippets;         /* 0: hits carry only rank, score and id (fast: for ids output) */
    int names;            /* 1: words that may be names also match their other spellings */
    int explain;          /* 1: say why each hit matched (fh_hit.why, result words) */
    int sort_by_date;     /* 1: newest first (undated last), relevance between equals */
    int facets;           /* 1: count the matches by source, language and year */
    int suggest;          /* 1: a spelling suggestion when few documents match */
    int fallback;         /* 1: when no document holds every word, match any (default) */
    int exact_total;      /* 1: count every match, so that the total is exact (as
                           * facets do; costs a look at each match) */
    double time_limit_ms; /* > 0: the whole search ends about this long after it
                           * begins, with what it has (see fh_search_result.time_limited) */
} fh_search_request;

FH_API void fh_search_request_init(fh_search_request *req);

/* Limits that keep a single request cheap. */
#define FH_SEARCH_MAX_COUNT 1000u
#define FH_SEARCH_MAX_QUERY_BYTES 10000u

/* How a query word met a document. */
typedef enum { FH_HOW_EXACT, FH_HOW_STEM, FH_HOW_SPELLING, FH_HOW_SCRIPT } fh_how;

FH_API const char *fh_how_name(fh_how how); /* "exact", "stem", "other spelling", "other script" */

/* One reason a hit matched: a part of a query word, the index words of the
 * hit that it matched, and what it added to the hit's score. */
typedef struct {
    size_t word;   /* index into the result's query words */
    fh_how how;
    double weight;
    char *terms;   /* the matched index words, space separated */
} fh_why;

/* A hit's strings are owned by the fh_search_result holding it and freed by
 * fh_search_result_free. */
typedef struct {
    unsigned rank;  /* 1-based */
    double score;
    char *id, *title, *title_marked, *snippet;
    char *url, *date, *source, *lang; /* NULL when absent */
    fh_why *why;    /* with explain: why it matched */
    size_t nwhy;
} fh_hit;

/* The matches counted by one of their values, most frequent first. */
typedef struct {
    char *value;
    uint32_t count;
} fh_facet_value;

typedef enum { FH_FACET_SOURCE, FH_FACET_LANG, FH_FACET_YEAR, FH_FACETS } fh_facet_kind;

typedef struct {
    fh_facet_value *values;
    size_t n;
} fh_facet;

FH_API const char *fh_facet_name(fh_facet_kind f); /* "source", "lang", "year" */

/* Fewer matches than this (or none with every word) ask for a spelling suggestion. */
#define FH_SUGGEST_BELOW 3

typedef struct {
    fh_hit *hits;
    size_t nhits;
    uint32_t estimated;   /* Xapian's estimate of all matches */
    int exact_total;      /* the estimate is the exact count */
    int time_limited;     /* the time limit cut the search short: the hits are the
                           * best of the documents examined, the total and facets
                           * estimates; words looked up late may have matched as
                           * typed only (no other spellings, a prefix as a whole
                           * word), and explanations, the any-word fallback or the
                           * suggestion may be missing */
    size_t prefix_words;  /* the index words the query's prefixes begin ... */
    size_t prefix_kept;   /* ... and those searched for: fewer past the budget of
                           * all prefixes (README.md, "Query syntax") */
    double elapsed_ms;
    int matched_any;      /* no document had every word: any-word results */
    size_t nwords;        /* query words after analysis (0: nothing searchable) */
    struct fh_parsed_query *words; /* with explain: the query words and their forms
                                    * (fh_search_result_word); else NULL */
    char *query_tree;      /* with explain: Xapian's description of the query */
    char *parsed;          /* with explain: the query as read (syntax.h) */
    char *notes;           /* what was read otherwise than typed, or NULL */
    char *suggestion;      /* the query with unknown words corrected, when that finds
                            * more, or NULL */
    int counted;           /* facets were counted (over every match: exact unless
                            * time_limited) */
    fh_facet facets[FH_FACETS];
    char **missing_shards; /* the shards a partial search left out (their lines of
                            * the cluster description), nmissing of them */
    size_t nmissing;
} fh_search_result;

/* Run a search; free *out with fh_search_result_free.  On failure *out
 * holds nothing to free. */
FH_API fh_status fh_search(fh_searcher *s, const fh_search_request *req, fh_search_result *out,
                           fh_error *err);
FH_API void fh_search_result_free(fh_search_result *r);

/* With explain: how many words the query was read into, and the text of
 * the i-th as analyzed (NULL past the last), which fh_why.word indexes. */
FH_API size_t fh_search_result_word_count(const fh_search_result *r);
FH_API const char *fh_search_result_word(const fh_search_result *r, size_t i);

#ifdef __cplusplus
}
#endif

#endif
