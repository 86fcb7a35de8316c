/*
 * db.h - the C face of the Xapian index (implemented in lib/xapian_shim.cpp).
 *
 * Every handle here is opaque and owned by whoever created it; each has a
 * matching _free/_close.  No C++ exception crosses this interface: every
 * function that talks to Xapian catches Xapian::Error, std::exception and
 * anything else, and reports it as an fh_status plus a message in the
 * caller's fh_error.  Handles are not thread-safe: use one fh_db per thread.
 *
 * Terms are byte strings (UTF-8 in practice).  Terms longer than
 * FH_MAX_TERM_BYTES are silently dropped by fh_doc_add_* (Xapian rejects
 * them), and fh_doc_dropped_terms() says how many were.
 */
#ifndef FIHRIS_DB_H
#define FIHRIS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/remote.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_MAX_TERM_BYTES 240

typedef struct fh_db fh_db;
typedef struct fh_doc fh_doc;
typedef struct fh_query fh_query;
typedef struct fh_mset fh_mset;

typedef enum {
    FH_DB_READ,   /* read-only; fails with FH_ERR_NOT_FOUND if absent */
    FH_DB_WRITE,  /* create if absent; FH_ERR_LOCKED if another writer holds it */
    FH_DB_UPDATE  /* as FH_DB_WRITE, but FH_ERR_NOT_FOUND if absent */
} fh_db_mode;

/* ---- databases ---- */

fh_status fh_db_open(const char *path, fh_db_mode mode, fh_db **out, fh_error *err);
/* Closing a writer commits nothing (a writer always works inside a
 * transaction): call fh_db_commit() first. */
void fh_db_close(fh_db *db);

/* Reading a cluster description: fh_remote_opts (remote.h). */

/* Open path for reading: one database, or (a file) a cluster description
 * whose shards are searched as one database, with BM25 statistics combined
 * across them.  fh_db_open(path, FH_DB_READ) does this with the default
 * remote options.  A shard that cannot be reached fails with
 * FH_ERR_UNAVAILABLE naming it, unless remote->allow_partial. */
fh_status fh_db_open_reader(const char *path, const fh_remote_opts *remote, fh_db **out,
                            fh_error *err);

/* A writer on one shard of a cluster description (struct fh_shard_spec of
 * cluster.h): its local database (FH_DB_UPDATE), or a xapian-tcpsrv started
 * with --writable (FH_ERR_UNSUPPORTED, saying so, for a read-only one). */
struct fh_shard_spec;
fh_status fh_db_open_shard_writer(const struct fh_shard_spec *shard, const fh_remote_opts *remote,
                                  fh_db **out, fh_error *err);

/* The shards left out by the last open, reopen or search (allow_partial):
 * how many, and the k-th's line of the description ("remote HOST:PORT"). */
size_t fh_db_missing_count(const fh_db *db);
const char *fh_db_missing(const fh_db *db, size_t k);
/* Readers: catch up with the latest committed state. */
fh_status fh_db_reopen(fh_db *db, fh_error *err);
/* An identity of the committed state the reader sees: its database's uuid
 * and revision, equal in every reader of that state and different after any
 * commit.  Appended to out; nothing is appended when the database cannot
 * tell (several databases at once). */
fh_status fh_db_state(fh_db *db, fh_buf *out, fh_error *err);
fh_status fh_db_commit(fh_db *db, fh_error *err);

/* FH_ERR_IO ("No space left on device") when the file system of db has
 * fewer than need bytes free.  Xapian 1.4 fails a commit that runs out of
 * space cleanly most of the time, but when it runs out while writing value
 * chunks it throws from a destructor during unwinding, which ends the
 * process (std::terminate): a writer asks first. */
fh_status fh_db_check_room(fh_db *db, uint64_t need, fh_error *err);
fh_status fh_db_doc_count(fh_db *db, uint32_t *out, fh_error *err);
/* Number of documents containing term (0 when absent). */
fh_status fh_db_term_freq(fh_db *db, const char *term, size_t len, uint32_t *out, fh_error *err);

/* Add or replace the document carrying the unique term id_term (added to a
 * copy of doc when doc lacks it). */
fh_status fh_db_replace(fh_db *db, const char *id_term, fh_doc *doc, fh_error *err);
/* Delete the document carrying id_term; *found tells whether there was one. */
fh_status fh_db_delete(fh_db *db, const char *id_term, int *found, fh_error *err);

/* Fetch value `slot` (appended to out) of the document carrying id_term.
 * *found is 0 when no document carries the term. */
fh_status fh_db_get_value(fh_db *db, const char *id_term, unsigned slot, fh_buf *out,
                          int *found, fh_error *err);
/* Same for the document's data blob. */
fh_status fh_db_get_data(fh_db *db, const char *id_term, fh_buf *out, int *found,
                         fh_error *err);

/* User metadata (key/value strings stored with the database). */
fh_status fh_db_get_metadata(fh_db *db, const char *key, fh_buf *out, fh_error *err);
fh_status fh_db_set_metadata(fh_db *db, const char *key, const char *value, fh_error *err);

/* Xapian's synonym table: words filed under a key, kept by compaction.
 * Fihris files spellings of names under their name keys (lexicon.h). */
fh_status fh_db_add_synonym(fh_db *db, const char *key, const char *word, fh_error *err);
/* The words filed under key, appended to out as NUL-terminated strings one
 * after another; *count receives how many. */
fh_status fh_db_synonyms(fh_db *db, const char *key, fh_buf *out, size_t *count, fh_error *err);
/* The keys of the synonym table that begin with prefix, in byte order: at
 * most max, appended to out as NUL-terminated strings, *count of them;
 * *more is 1 when further keys were left out. */
fh_status fh_db_synonym_keys_with_prefix(fh_db *db, const char *prefix, size_t max, fh_buf *out,
                                         size_t *count, int *more, fh_error *err);

/* The want terms beginning with prefix[0..len) that the most documents
 * hold, most first (equals in byte order), among the first scan terms in
 * byte order: appended to out as NUL-terminated strings, *count of them.
 * Each term's document count comes with it from the term list, so scanning
 * costs no lookup per term. */
fh_status fh_db_frequent_terms_with_prefix(fh_db *db, const char *prefix, size_t len,
                                           size_t scan, size_t want, fh_buf *out,
                                           size_t *count, fh_error *err);
/* The index terms that begin with prefix[0..len), in bytewise order: at most
 * max of them, appended to out as NUL-terminated strings one after another
 * (as fh_db_synonyms does); *count receives how many, and *more is 1 when
 * further terms with the prefix were left out, else 0.  Every kind of term
 * is listed, prefixed side terms (Z..., S..., Q...) included when the prefix
 * allows them; an empty prefix lists the vocabulary from its start.  Used
 * for prefix queries (Zucker*) and for spelling suggestions: max bounds the
 * cost, as a common prefix can hold a large part of the vocabulary. */
fh_status fh_db_terms_with_prefix(fh_db *db, const char *prefix, size_t len, size_t max,
                                  fh_buf *out, size_t *count, int *more, fh_error *err);

/* The same, and each term's document count appended to docs as a uint32_t
 * (in the same order, *count of them), from the term list at no extra
 * lookup: prefix queries keep the most frequent words of a long expansion. */
fh_status fh_db_terms_with_prefix_docs(fh_db *db, const char *prefix, size_t len, size_t max,
                                       fh_buf *out, fh_buf *docs, size_t *count, int *more,
                                       fh_error *err);

/* Merge the databases at srcs[0..n) into a new database at dest (which must
 * not exist), as Xapian's compactor does.  Used to combine shards written in
 * parallel.  The sources must hold disjoint documents. */
/* Add to `to` (writable) every synonym of `from` whose key begins with prefix. */
fh_status fh_db_copy_synonyms(fh_db *to, fh_db *from, const char *prefix, fh_error *err);
fh_status fh_db_compact(const char *const *srcs, size_t n, const char *dest, fh_error *err);

/* ---- documents under construction ---- */

fh_doc *fh_doc_new(void); /* NULL on allocation failure */
void fh_doc_free(fh_doc *doc);
/* Term at a position (positional index), raising its wdf by wdf_inc. */
fh_status fh_doc_add_posting(fh_doc *doc, const char *term, size_t len, uint32_t pos,
                             unsigned wdf_inc, fh_error *err);
/* Term without position, raising its wdf by wdf_inc. */
fh_status fh_doc_add_term(fh_doc *doc, const char *term, size_t len, unsigned wdf_inc,
                          fh_error *err);
/* Filter term: wdf 0, so it matches but neither scores nor lengthens. */
fh_status fh_doc_add_boolean(fh_doc *doc, const char *term, size_t len, fh_error *err);
fh_status fh_doc_set_value(fh_doc *doc, unsigned slot, const char *data, size_t len,
                           fh_error *err);
/* The document's stored data (docdata.h): kept beside the document as the
 * database's metadata under FH_STORED_KEY_PREFIX + its id term, uncompressed,
 * written and deleted with it in one transaction (Xapian's own document
 * data is deflated with zlib on every write and inflated on every read).
 * fh_mset_data and fh_db_get_data read it back, or the document data of a
 * database written before. */
fh_status fh_doc_set_data(fh_doc *doc, const char *data, size_t len, fh_error *err);
#define FH_STORED_KEY_PREFIX "stored:"
size_t fh_doc_dropped_terms(const fh_doc *doc);
/* At most max_terms distinct terms (0: no limit, the default): once the
 * document holds that many, a new term is refused (a term it holds already
 * still gains wdf and positions), and fh_doc_refused_terms() counts how
 * many were.  Xapian keeps a few hundred bytes per term of a document until
 * the commit that writes it, so this is what bounds a document's memory. */
void fh_doc_limit_terms(fh_doc *doc, size_t max_terms);
/* How many distinct terms the document holds. */
size_t fh_doc_term_count(const fh_doc *doc);
size_t fh_doc_refused_terms(const fh_doc *doc);

/* ---- queries ----
 * A query is an immutable tree.  Constructors copy what they need: the
 * caller still owns (and must free) every query it passed in. */

typedef enum {
    FH_Q_AND,
    FH_Q_OR,
    FH_Q_AND_NOT,   /* first subquery minus the union of the others */
    FH_Q_AND_MAYBE, /* first subquery must match; the others only add score */
    FH_Q_FILTER,    /* first scores; the others must match but add nothing */
    FH_Q_PHRASE,    /* subqueries in order, within `window` positions */
    FH_Q_NEAR       /* subqueries in any order, within `window` positions */
} fh_query_op;

/* An empty term matches nothing (Xapian would read it as "every document"). */
fh_status fh_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos,
                        fh_query **out, fh_error *err);
fh_status fh_query_combine(fh_query_op op, fh_query *const *subs, size_t n, unsigned window,
                           fh_query **out, fh_error *err);
fh_status fh_query_scale(const fh_query *q, double factor, fh_query **out, fh_error *err);
/* Every document (used for pure filters). */
fh_status fh_query_match_all(fh_query **out, fh_error *err);
/* Documents with a value in [lo, hi] in slot (either bound may be NULL). */
fh_status fh_query_value_range(unsigned slot, const char *lo, const char *hi, fh_query **out,
                               fh_error *err);
/* Xapian's own description of the tree, for explanations and debugging. */
fh_status fh_query_describe(const fh_query *q, fh_buf *out, fh_error *err);
void fh_query_free(fh_query *q);

/* ---- searching ---- */

typedef struct {
    double bm25_k1;          /* Xapian's BM25Weight k1 (default 1.2) */
    double bm25_b;           /* BM25 b (default 0.75) */
    uint32_t offset;         /* first rank to return */
    uint32_t count;          /* at most this many hits */
    uint32_t check_at_least; /* for exact totals; 0 = Xapian's estimate */
    int sort_value_slot;     /* -1: by relevance; else by this value, descending */
    int fetch_data;          /* copy each hit's data blob (default 1) */
    int fetch_terms;         /* copy each hit's matching terms (default 1; none past
                              * deadline_ms) */
    int fetch_value_slot;    /* >= 0: copy this value of each hit (default -1) */
    const unsigned *count_slots; /* count the values of these slots among the matches */
    size_t ncount_slots;         /* (exact when check_at_least reaches every match) */
    double time_limit_s;     /* > 0: past this, stop checking matches beyond the hits
                              * asked for (check_at_least is dropped): the hits stay
                              * right, totals and counts become estimates */
    double deadline_ms;      /* > 0: the fh_clock_ms() time (clock.h) at which the match
                              * itself stops where it is: the hits are then the best of
                              * the documents examined so far (at least the first few
                              * dozen), in docid order, totals and counts estimates.
                              * Neither limit reaches remote shards: their request
                              * timeout (fh_remote_opts) bounds them. */
} fh_search_opts;

void fh_search_opts_init(fh_search_opts *opts);

/* Run q.  The hits' data and matched terms are fetched before returning, so
 * the mset stays valid even if the database is modified afterwards; a reader
 * that meets a concurrent modification reopens and retries by itself. */
fh_status fh_db_search(fh_db *db, const fh_query *q, const fh_search_opts *opts,
                       fh_mset **out, fh_error *err);
/* The weight q gives the document carrying id_term (0 when q does not match
 * it), with the ranking of opts: how much one part of a query contributes to
 * a hit's score, for explanations. */
fh_status fh_db_weight_in(fh_db *db, const fh_query *q, const char *id_term,
                          const fh_search_opts *opts, double *weight, fh_error *err);

size_t fh_mset_size(const fh_mset *m);
/* Xapian's estimate of the total number of matches (and its bounds). */
uint32_t fh_mset_estimated(const fh_mset *m);
uint32_t fh_mset_lower_bound(const fh_mset *m);
uint32_t fh_mset_upper_bound(const fh_mset *m);
/* 1 when the match ran past opts.time_limit_s (its totals are estimates) or
 * was stopped by opts.deadline_ms. */
int fh_mset_time_limited(const fh_mset *m);
double fh_mset_weight(const fh_mset *m, size_t i);
/* Value fetch_value_slot of hit i ("" when not fetched); valid until fh_mset_free. */
const char *fh_mset_value(const fh_mset *m, size_t i, size_t *len);
/* Document data blob of hit i ("" when not fetched); valid until fh_mset_free. */
const char *fh_mset_data(const fh_mset *m, size_t i, size_t *len);
/* Number of query terms hit i contains, and the k-th of them (Xapian's
 * matching terms, ordered by the query positions given to fh_query_term,
 * then bytewise); valid until fh_mset_free. */
size_t fh_mset_term_count(const fh_mset *m, size_t i);
const char *fh_mset_term(const fh_mset *m, size_t i, size_t k, size_t *len);
/* The values of opts.count_slots[slot_index] among the matches, each with
 * the number of matches holding it, most frequent first (then bytewise):
 * how many there are, and the k-th; valid until fh_mset_free. */
size_t fh_mset_count_size(const fh_mset *m, size_t slot_index);
const char *fh_mset_count_value(const fh_mset *m, size_t slot_index, size_t k, size_t *len,
                                uint32_t *count);
void fh_mset_free(fh_mset *m);

#ifdef __cplusplus
}
#endif

#endif
