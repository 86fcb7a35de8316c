/* Unit tests for the Xapian shim (db.h), run against databases in a temporary
 * directory that is removed at the end. */
#include "check.h"
#include "testfs.h"
#include "fihris/clock.h"
#include "fihris/db.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOT_DATE 0

typedef struct {
    const char *id, *text, *date, *data;
} test_doc;

/* Four small documents whose statistics the search checks rely on. */
static const test_doc DOCS[] = {
    {"Q1", "the quick brown fox", "2020", "one"},
    {"Q2", "quick fox jumps over the lazy dog", "2021", "two"},
    {"Q3", "brown dog sleeps", "2022", "three"},
    {"Q4", "lazy brown cat", "2019", "four"},
};
#define NDOCS (sizeof DOCS / sizeof DOCS[0])


static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void join(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Words of text become postings at positions 1, 2, ... */
static fh_doc *make_doc(const test_doc *t)
{
    fh_doc *doc = fh_doc_new();
    CHECK(doc != NULL);
    uint32_t pos = 1;
    for (const char *p = t->text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            CHECK_INT(fh_doc_add_posting(doc, p, n, pos++, 1, NULL), FH_OK);
        p += n + (p[n] == ' ');
    }
    CHECK_INT(fh_doc_add_boolean(doc, t->id, strlen(t->id), NULL), FH_OK);
    CHECK_INT(fh_doc_add_boolean(doc, "Lxx", 3, NULL), FH_OK);
    CHECK_INT(fh_doc_set_value(doc, SLOT_DATE, t->date, strlen(t->date), NULL), FH_OK);
    CHECK_INT(fh_doc_set_data(doc, t->data, strlen(t->data), NULL), FH_OK);
    return doc;
}

static void add_docs(fh_db *db, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        fh_doc *doc = make_doc(&DOCS[i]);
        CHECK_INT(fh_db_replace(db, DOCS[i].id, doc, NULL), FH_OK);
        fh_doc_free(doc);
    }
}

static void build_db(const char *path, size_t from, size_t to)
{
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &db, NULL), FH_OK);
    add_docs(db, from, to);
    CHECK_INT(fh_db_commit(db, NULL), FH_OK);
    fh_db_close(db);
}

static uint32_t doc_count(fh_db *db)
{
    uint32_t n = 12345;
    CHECK_INT(fh_db_doc_count(db, &n, NULL), FH_OK);
    return n;
}

static uint32_t term_freq(fh_db *db, const char *term)
{
    uint32_t n = 12345;
    CHECK_INT(fh_db_term_freq(db, term, strlen(term), &n, NULL), FH_OK);
    return n;
}

static fh_query *term_at(const char *t, uint32_t pos)
{
    fh_query *q = NULL;
    CHECK_INT(fh_query_term(t, strlen(t), 1, pos, &q, NULL), FH_OK);
    return q;
}

static fh_query *term(const char *t)
{
    return term_at(t, 0);
}

/* Combine and free the subqueries: keeps the tests short. */
static fh_query *combine(fh_query_op op, unsigned window, size_t n, fh_query **subs)
{
    fh_query *q = NULL;
    CHECK_INT(fh_query_combine(op, subs, n, window, &q, NULL), FH_OK);
    for (size_t i = 0; i < n; i++)
        fh_query_free(subs[i]);
    return q;
}

static fh_query *combine2(fh_query_op op, const char *a, const char *b)
{
    fh_query *subs[2] = {term(a), term(b)};
    return combine(op, 0, 2, subs);
}

static fh_mset *search_opts(fh_db *db, const fh_query *q, const fh_search_opts *o)
{
    fh_mset *m = NULL;
    fh_error err = {0};
    CHECK_MSG(fh_db_search(db, q, o, &m, &err) == FH_OK, "%s", err.message);
    return m;
}

static fh_mset *search(fh_db *db, const fh_query *q)
{
    fh_search_opts o;
    fh_search_opts_init(&o);
    return search_opts(db, q, &o);
}

/* The hits' data blobs joined with ',' in rank order, e.g. "one,two". */
static const char *hits(const fh_mset *m, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < fh_mset_size(m); i++) {
        size_t len;
        const char *d = fh_mset_data(m, i, &len);
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%.*s", i ? "," : "", (int)len, d);
    }
    return out;
}

/* Run q and compare the set of hits, in rank order; frees q. */
static void expect_hits(fh_db *db, fh_query *q, const char *want)
{
    char buf[256];
    fh_mset *m = search(db, q);
    CHECK_STR(hits(m, buf, sizeof buf), want);
    fh_mset_free(m);
    fh_query_free(q);
}

/* Index of the hit whose data is `data`, or -1. */
static long find_hit(const fh_mset *m, const char *data)
{
    for (size_t i = 0; i < fh_mset_size(m); i++) {
        size_t len;
        const char *d = fh_mset_data(m, i, &len);
        if (len == strlen(data) && memcmp(d, data, len) == 0)
            return (long)i;
    }
    return -1;
}

static double weight_of(const fh_mset *m, const char *data)
{
    long i = find_hit(m, data);
    CHECK_MSG(i >= 0, "no hit %s", data);
    return i >= 0 ? fh_mset_weight(m, (size_t)i) : -1.0;
}

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

static void test_open_errors(const char *dir)
{
    char path[512];
    join(path, sizeof path, dir, "missing");
    fh_db *db = (fh_db *)1;
    fh_error err = {0};
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, &err), FH_ERR_NOT_FOUND);
    CHECK_INT(err.status, FH_ERR_NOT_FOUND);
    CHECK(db == NULL);
    CHECK_MSG(strstr(err.message, path) != NULL, "%s", err.message);
    CHECK(strchr(err.message, '\n') == NULL);
}

static void test_lock(const char *path)
{
    fh_db *w = NULL, *w2 = (fh_db *)1;
    fh_error err = {0};
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w2, &err), FH_ERR_LOCKED);
    CHECK(w2 == NULL);
    CHECK_MSG(strstr(err.message, "locked") != NULL, "%s", err.message);
    CHECK_MSG(strstr(err.message, path) != NULL, "%s", err.message);
    fh_db_close(w);
    /* The lock goes with the handle. */
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w2, NULL), FH_OK);
    fh_db_close(w2);
}

/* Closing a writer without fh_db_commit() must lose its changes. */
static void test_close_without_commit(const char *path)
{
    fh_db *w = NULL, *r = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    add_docs(w, 0, 2);
    CHECK_INT(doc_count(w), 2); /* the writer sees its own changes */
    fh_db_close(w);
    CHECK_INT(fh_db_open(path, FH_DB_READ, &r, NULL), FH_OK);
    CHECK_INT(doc_count(r), 0);
    fh_db_close(r);
}

static void test_get(fh_db *db)
{
    fh_buf b = FH_BUF_INIT;
    int found = -1;
    CHECK_INT(fh_db_get_value(db, "Q3", SLOT_DATE, &b, &found, NULL), FH_OK);
    CHECK_INT(found, 1);
    CHECK_STR(b.data, "2022");
    fh_buf_reset(&b);
    CHECK_INT(fh_db_get_data(db, "Q4", &b, &found, NULL), FH_OK);
    CHECK_INT(found, 1);
    CHECK_STR(b.data, "four");
    fh_buf_reset(&b);
    CHECK_INT(fh_db_get_data(db, "Qnone", &b, &found, NULL), FH_OK);
    CHECK_INT(found, 0);
    CHECK_INT(b.len, 0);
    CHECK_INT(fh_db_get_value(db, "Qnone", SLOT_DATE, &b, &found, NULL), FH_OK);
    CHECK_INT(found, 0);
    CHECK_INT(fh_db_get_metadata(db, "fihris.version", &b, NULL), FH_OK);
    CHECK_STR(b.data, "1");
    fh_buf_free(&b);
}

static void test_oversized_terms(fh_db *w)
{
    char big[FH_MAX_TERM_BYTES + 2];
    memset(big, 'x', sizeof big);
    fh_doc *doc = fh_doc_new();
    CHECK_INT(fh_doc_add_posting(doc, big, FH_MAX_TERM_BYTES + 1, 1, 1, NULL), FH_OK);
    CHECK_INT(fh_doc_add_term(doc, "", 0, 1, NULL), FH_OK);
    CHECK_INT(fh_doc_add_boolean(doc, big, sizeof big, NULL), FH_OK);
    CHECK_INT(fh_doc_dropped_terms(doc), 3);
    CHECK_INT(fh_doc_add_term(doc, big, FH_MAX_TERM_BYTES, 1, NULL), FH_OK); /* at the limit */
    CHECK_INT(fh_doc_add_posting(doc, "giraffe", 7, 2, 1, NULL), FH_OK);
    CHECK_INT(fh_doc_dropped_terms(doc), 3);
    CHECK_INT(fh_db_replace(w, "Qbig", doc, NULL), FH_OK);
    fh_doc_free(doc);
    CHECK_INT(term_freq(w, "giraffe"), 1);
    CHECK_INT(term_freq(w, "Qbig"), 1);
    int found = 0;
    CHECK_INT(fh_db_delete(w, "Qbig", &found, NULL), FH_OK);
    CHECK_INT(found, 1);
}

/* Past its limit a document takes no new term, but the terms it holds
 * still gain wdf; the terms given before the limit was set stay. */
static void test_term_limit(fh_db *w)
{
    fh_doc *doc = fh_doc_new();
    CHECK_INT(fh_doc_add_boolean(doc, "Qlimited", 8, NULL), FH_OK);
    fh_doc_limit_terms(doc, 3);
    static const char *const words[] = {"alpha", "beta", "alpha", "gamma", "delta", "beta",
                                        "epsilon"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        CHECK_INT(fh_doc_add_posting(doc, words[i], strlen(words[i]), (uint32_t)i + 1, 1, NULL),
                  FH_OK);
    CHECK_INT(fh_doc_add_term(doc, "Zdelta", 6, 1, NULL), FH_OK);
    CHECK_INT(fh_doc_add_boolean(doc, "XCdelta", 7, NULL), FH_OK);
    CHECK_INT(fh_doc_refused_terms(doc), 4);
    CHECK_INT(fh_doc_term_count(doc), 4);
    CHECK_INT(fh_db_replace(w, "Qlimited", doc, NULL), FH_OK);
    fh_doc_free(doc);
    CHECK_INT(term_freq(w, "alpha"), 1);
    CHECK_INT(term_freq(w, "gamma"), 1);
    CHECK_INT(term_freq(w, "delta"), 0);
    CHECK_INT(term_freq(w, "Zdelta"), 0);
    int found = 0;
    CHECK_INT(fh_db_delete(w, "Qlimited", &found, NULL), FH_OK);
    CHECK_INT(found, 1);
}

/* The shim adds a missing id term itself, to a copy of the document. */
static void test_replace_without_id(fh_db *w)
{
    fh_doc *doc = fh_doc_new();
    CHECK_INT(fh_doc_add_term(doc, "zebra", 5, 1, NULL), FH_OK);
    CHECK_INT(fh_db_replace(w, "Qz1", doc, NULL), FH_OK);
    CHECK_INT(fh_db_replace(w, "Qz2", doc, NULL), FH_OK);
    fh_doc_free(doc);
    CHECK_INT(term_freq(w, "Qz1"), 1); /* the caller's doc did not gain Qz1 */
    CHECK_INT(term_freq(w, "Qz2"), 1);
    CHECK_INT(term_freq(w, "zebra"), 2);
    int found = 0;
    CHECK_INT(fh_db_delete(w, "Qz1", &found, NULL), FH_OK);
    CHECK_INT(fh_db_delete(w, "Qz2", &found, NULL), FH_OK);
}

static void test_write(const char *path)
{
    fh_db *w = NULL;
    fh_error err = {0};
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    add_docs(w, 0, NDOCS);
    CHECK_INT(fh_db_set_metadata(w, "fihris.version", "1", NULL), FH_OK);
    CHECK_INT(doc_count(w), NDOCS);

    /* Replacing by id keeps one document per id. */
    fh_doc *doc = make_doc(&DOCS[1]);
    CHECK_INT(fh_db_replace(w, "Q2", doc, NULL), FH_OK);
    fh_doc_free(doc);
    CHECK_INT(doc_count(w), NDOCS);
    CHECK_INT(term_freq(w, "quick"), 2);
    CHECK_INT(term_freq(w, "nosuchterm"), 0);

    test_oversized_terms(w);
    test_term_limit(w);
    test_replace_without_id(w);

    /* Delete reports whether there was a document. */
    int found = -1;
    fh_doc *extra = fh_doc_new();
    CHECK_INT(fh_doc_add_boolean(extra, "Qextra", 6, NULL), FH_OK);
    CHECK_INT(fh_db_replace(w, "Qextra", extra, NULL), FH_OK);
    fh_doc_free(extra);
    CHECK_INT(doc_count(w), NDOCS + 1);
    CHECK_INT(fh_db_delete(w, "Qextra", &found, NULL), FH_OK);
    CHECK_INT(found, 1);
    CHECK_INT(fh_db_delete(w, "Qextra", &found, NULL), FH_OK);
    CHECK_INT(found, 0);
    CHECK_INT(doc_count(w), NDOCS);
    CHECK_INT(fh_db_commit(w, &err), FH_OK);

    /* A reader sees the commit while the writer is still open. */
    fh_db *r = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &r, NULL), FH_OK);
    CHECK_INT(doc_count(r), NDOCS);
    test_get(r);
    doc = fh_doc_new();
    CHECK_INT(fh_db_replace(r, "Q9", doc, &err), FH_ERR_INVALID);
    CHECK_INT(fh_db_commit(r, NULL), FH_ERR_INVALID);
    fh_doc_free(doc);

    /* Later commits reach an open reader only after reopen. */
    fh_doc *late = fh_doc_new();
    CHECK_INT(fh_doc_add_term(late, "late", 4, 1, NULL), FH_OK);
    CHECK_INT(fh_db_replace(w, "Qlate", late, NULL), FH_OK);
    fh_doc_free(late);
    CHECK_INT(fh_db_commit(w, NULL), FH_OK);
    CHECK_INT(doc_count(r), NDOCS);
    CHECK_INT(fh_db_reopen(r, NULL), FH_OK);
    CHECK_INT(doc_count(r), NDOCS + 1);
    CHECK_INT(fh_db_delete(w, "Qlate", &found, NULL), FH_OK);
    CHECK_INT(fh_db_commit(w, NULL), FH_OK);
    fh_db_close(r);
    fh_db_close(w);
}

static void check_terms(const fh_mset *m, const char *data, const char *t0, const char *t1)
{
    long i = find_hit(m, data);
    CHECK_MSG(i >= 0, "no hit %s", data);
    if (i < 0)
        return;
    size_t want = t1 ? 2 : 1, len;
    CHECK_INT(fh_mset_term_count(m, (size_t)i), want);
    CHECK_STR(fh_mset_term(m, (size_t)i, 0, &len), t0);
    if (t1)
        CHECK_STR(fh_mset_term(m, (size_t)i, 1, &len), t1);
    CHECK(fh_mset_term(m, (size_t)i, want, &len) == NULL);
}

static void test_boolean_ops(fh_db *db)
{
    fh_query *q = combine2(FH_Q_AND, "quick", "fox");
    fh_mset *m = search(db, q);
    CHECK_INT(fh_mset_size(m), 2);
    CHECK(find_hit(m, "one") >= 0 && find_hit(m, "two") >= 0);
    /* Xapian orders matching terms by query position, then bytewise: with
     * no positions given, that is alphabetical. */
    check_terms(m, "one", "fox", "quick");
    fh_mset_free(m);
    fh_query_free(q);

    /* With positions, matching terms follow the query, not the document. */
    fh_query *ordered[2] = {term_at("sleeps", 1), term_at("brown", 2)};
    q = combine(FH_Q_OR, 0, 2, ordered);
    m = search(db, q);
    CHECK_INT(fh_mset_size(m), 3);
    check_terms(m, "three", "sleeps", "brown");
    check_terms(m, "one", "brown", NULL);
    fh_mset_free(m);
    fh_query_free(q);

    expect_hits(db, combine2(FH_Q_OR, "cat", "nosuch"), "four");
    expect_hits(db, combine2(FH_Q_AND, "cat", "nosuch"), "");
    fh_query *not3[3] = {term("brown"), term("dog"), term("cat")};
    expect_hits(db, combine(FH_Q_AND_NOT, 0, 3, not3), "one");
    /* FILTER needs every filter to match... */
    fh_query *filt3[3] = {term("brown"), term("lazy"), term("cat")};
    expect_hits(db, combine(FH_Q_FILTER, 0, 3, filt3), "four");
    fh_query *filt2[3] = {term("brown"), term("lazy"), term("fox")};
    expect_hits(db, combine(FH_Q_FILTER, 0, 3, filt2), "");
    /* ...and no query at all matches nothing. */
    expect_hits(db, combine(FH_Q_OR, 0, 0, NULL), "");
    fh_query *empty = NULL;
    CHECK_INT(fh_query_term("", 0, 1, 0, &empty, NULL), FH_OK);
    expect_hits(db, empty, "");
}

/* Weights of `other` relative to those of the plain term query "brown". */
static void test_weights(fh_db *db)
{
    fh_query *brown = term("brown");
    fh_mset *base = search(db, brown);
    CHECK_INT(fh_mset_size(base), 3);
    /* Equal length and wdf tie; ties rank by docid. */
    char buf[256];
    CHECK_STR(hits(base, buf, sizeof buf), "three,four,one");
    CHECK(weight_of(base, "three") > weight_of(base, "one"));

    /* A filter every document passes changes no weight. */
    fh_query *filt[2] = {brown, term("Lxx")};
    fh_query *q = NULL;
    CHECK_INT(fh_query_combine(FH_Q_FILTER, filt, 2, 0, &q, NULL), FH_OK);
    fh_query_free(filt[1]);
    fh_mset *m = search(db, q);
    CHECK_INT(fh_mset_size(m), 3);
    for (size_t i = 0; i < NDOCS; i++)
        if (find_hit(base, DOCS[i].data) >= 0)
            CHECK(near(weight_of(m, DOCS[i].data), weight_of(base, DOCS[i].data)));
    fh_mset_free(m);
    fh_query_free(q);

    fh_query *maybe[2] = {brown, term("lazy")};
    CHECK_INT(fh_query_combine(FH_Q_AND_MAYBE, maybe, 2, 0, &q, NULL), FH_OK);
    fh_query_free(maybe[1]);
    m = search(db, q);
    CHECK_STR(hits(m, buf, sizeof buf), "four,three,one");
    CHECK(weight_of(m, "four") > weight_of(base, "four"));
    CHECK(near(weight_of(m, "one"), weight_of(base, "one")));
    fh_mset_free(m);
    fh_query_free(q);

    CHECK_INT(fh_query_scale(brown, 2.5, &q, NULL), FH_OK);
    m = search(db, q);
    CHECK_INT(fh_mset_size(m), 3);
    CHECK(near(weight_of(m, "one"), 2.5 * weight_of(base, "one")));
    CHECK(near(weight_of(m, "four"), 2.5 * weight_of(base, "four")));
    fh_mset_free(m);
    fh_query_free(q);
    CHECK_INT(fh_query_scale(brown, -1, &q, NULL), FH_ERR_INVALID);

    fh_mset_free(base);
    fh_query_free(brown);
}

static void test_positional(fh_db *db)
{
    expect_hits(db, combine2(FH_Q_PHRASE, "brown", "fox"), "one");
    expect_hits(db, combine2(FH_Q_PHRASE, "fox", "brown"), "");
    expect_hits(db, combine2(FH_Q_PHRASE, "quick", "fox"), "two");
    fh_query *near2[2] = {term("fox"), term("quick")};
    expect_hits(db, combine(FH_Q_NEAR, 2, 2, near2), "two");
    fh_query *near3[2] = {term("fox"), term("quick")};
    fh_query *q = combine(FH_Q_NEAR, 3, 2, near3);
    fh_mset *m = search(db, q);
    CHECK_INT(fh_mset_size(m), 2);
    check_terms(m, "one", "fox", "quick");
    fh_mset_free(m);
    fh_query_free(q);

    fh_buf b = FH_BUF_INIT;
    CHECK_INT(fh_query_term("brown", 5, 1, 3, &q, NULL), FH_OK);
    CHECK_INT(fh_query_describe(q, &b, NULL), FH_OK);
    CHECK_MSG(b.data && strstr(b.data, "brown@3"), "%s", b.data ? b.data : "(null)");
    fh_query_free(q);
    fh_buf_free(&b);
}

static fh_query *range(const char *lo, const char *hi)
{
    fh_query *q = NULL;
    CHECK_INT(fh_query_value_range(SLOT_DATE, lo, hi, &q, NULL), FH_OK);
    return q;
}

static void test_values_and_sort(fh_db *db)
{
    expect_hits(db, range("2020", "2021"), "one,two");
    expect_hits(db, range("2021", NULL), "two,three");
    expect_hits(db, range(NULL, "2019"), "four");
    expect_hits(db, range(NULL, NULL), "one,two,three,four");

    fh_query *all = NULL;
    CHECK_INT(fh_query_match_all(&all, NULL), FH_OK);
    fh_search_opts o;
    fh_search_opts_init(&o);
    CHECK(o.bm25_k1 == 1.2 && o.bm25_b == 0.75 && o.count == 10 && o.sort_value_slot == -1);
    o.sort_value_slot = SLOT_DATE;
    char buf[256];
    fh_mset *m = search_opts(db, all, &o);
    CHECK_STR(hits(m, buf, sizeof buf), "three,two,one,four");
    CHECK_INT(fh_mset_estimated(m), NDOCS);
    CHECK_INT(fh_mset_lower_bound(m), NDOCS);
    CHECK_INT(fh_mset_upper_bound(m), NDOCS);
    fh_mset_free(m);

    /* Paging keeps the totals. */
    o.offset = 1;
    o.count = 2;
    o.check_at_least = NDOCS;
    m = search_opts(db, all, &o);
    CHECK_STR(hits(m, buf, sizeof buf), "two,one");
    CHECK_INT(fh_mset_estimated(m), NDOCS);
    CHECK(fh_mset_data(m, 2, NULL) == NULL);
    CHECK(fh_mset_weight(m, 2) == 0.0);
    fh_mset_free(m);
    fh_query_free(all);
}

/* A match past its time limit still returns the right hits, and says it
 * was limited; without a limit it never does. */
static void test_time_limit(fh_db *db)
{
    fh_query *q = combine2(FH_Q_OR, "brown", "dog");
    fh_search_opts o;
    fh_search_opts_init(&o);
    o.check_at_least = NDOCS;
    char unlimited[256], limited[256];
    fh_mset *m = search_opts(db, q, &o);
    hits(m, unlimited, sizeof unlimited);
    CHECK(!fh_mset_time_limited(m));
    fh_mset_free(m);
    o.time_limit_s = 1e-9; /* over before the match starts */
    m = search_opts(db, q, &o);
    CHECK_STR(hits(m, limited, sizeof limited), unlimited);
    CHECK(fh_mset_time_limited(m));
    fh_mset_free(m);
    fh_query_free(q);
}

/* Time limits that expire while a match ends, over and over.  Xapian's own
 * limit sets its flag from a timer thread that can outlive the match, and
 * wrote into the stack of whatever ran next: a crash now and then on a
 * loaded machine.  Every limited search must give the unlimited hits. */
static void test_time_limit_races(const char *path)
{
    enum { NTIMED = 3000, ROUNDS = 1500 };
    fh_db *w = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    for (int i = 0; i < NTIMED; i++) {
        char id[32], text[64];
        snprintf(id, sizeof id, "Q%d", i);
        snprintf(text, sizeof text, "w%d w%d w%d common", i % 7, i % 11, i % 13);
        test_doc t = {id, text, "2020", id};
        fh_doc *doc = make_doc(&t);
        CHECK_INT(fh_db_replace(w, id, doc, NULL), FH_OK);
        fh_doc_free(doc);
    }
    CHECK_INT(fh_db_commit(w, NULL), FH_OK);
    fh_db_close(w);

    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);
    fh_query *q = combine2(FH_Q_OR, "w3", "common");
    fh_search_opts o;
    fh_search_opts_init(&o);
    o.check_at_least = NTIMED;
    char want[256], got[256];
    fh_mset *m = search_opts(db, q, &o);
    hits(m, want, sizeof want);
    fh_mset_free(m);
    /* limits from 0 to about twice what one match takes */
    double t0 = now_s();
    for (int i = 0; i < 20; i++)
        fh_mset_free(search_opts(db, q, &o));
    double match_s = (now_s() - t0) / 20;
    for (int i = 0; i < ROUNDS; i++) {
        o.time_limit_s = match_s * (double)(i % 41) / 20.0 + 1e-9;
        m = search_opts(db, q, &o);
        CHECK_STR(hits(m, got, sizeof got), want);
        fh_mset_free(m);
    }
    fh_query_free(q);
    fh_db_close(db);
}

/* A deadline stops the match itself where it is: the hits are the best of
 * the documents examined (the first few dozen, when it has passed before the
 * match begins), and the match says it was stopped.  The best document is
 * the last one added. */
static void test_deadline(const char *path)
{
    enum { MANY = 2000 };
    fh_db *w = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    for (unsigned i = 1; i <= MANY; i++) {
        char id[16], data[16];
        snprintf(id, sizeof id, "Q%u", i);
        snprintf(data, sizeof data, "%u", i);
        fh_doc *doc = fh_doc_new();
        CHECK_INT(fh_doc_add_term(doc, "word", 4, i == MANY ? 10 : 1, NULL), FH_OK);
        CHECK_INT(fh_doc_add_boolean(doc, id, strlen(id), NULL), FH_OK);
        CHECK_INT(fh_doc_set_data(doc, data, strlen(data), NULL), FH_OK);
        CHECK_INT(fh_db_replace(w, id, doc, NULL), FH_OK);
        fh_doc_free(doc);
    }
    CHECK_INT(fh_db_commit(w, NULL), FH_OK);
    fh_db_close(w);

    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);
    fh_query *q = term("word");
    fh_search_opts o;
    fh_search_opts_init(&o);
    o.count = 3;
    char buf[64];
    fh_mset *m = search_opts(db, q, &o);
    CHECK_STR(hits(m, buf, sizeof buf), "2000,1,2");
    CHECK(!fh_mset_time_limited(m));
    fh_mset_free(m);

    o.deadline_ms = fh_clock_ms() + 600000; /* far off: no difference */
    m = search_opts(db, q, &o);
    CHECK_STR(hits(m, buf, sizeof buf), "2000,1,2");
    CHECK(!fh_mset_time_limited(m));
    fh_mset_free(m);

    o.deadline_ms = fh_clock_ms() - 1; /* passed before the match begins */
    m = search_opts(db, q, &o);
    CHECK_STR(hits(m, buf, sizeof buf), "1,2,3");
    CHECK(fh_mset_time_limited(m));
    fh_mset_free(m);
    fh_query_free(q);
    fh_db_close(db);
}

static void test_search(const char *path)
{
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);
    test_boolean_ops(db);
    test_weights(db);
    test_positional(db);
    test_values_and_sort(db);
    test_time_limit(db);
    fh_db_close(db);
}

/* Same hits with the same weights, whatever the ranks. */
static void same_results(fh_db *a, fh_db *b)
{
    fh_query *subs[4] = {term("brown"), term("fox"), term("lazy"), term("quick")};
    fh_query *q = combine(FH_Q_OR, 0, 4, subs);
    fh_mset *ma = search(a, q), *mb = search(b, q);
    CHECK_INT(fh_mset_size(ma), NDOCS);
    CHECK_INT(fh_mset_size(mb), NDOCS);
    for (size_t i = 0; i < NDOCS; i++)
        CHECK_MSG(near(weight_of(ma, DOCS[i].data), weight_of(mb, DOCS[i].data)), "%s: %g vs %g",
                  DOCS[i].data, weight_of(ma, DOCS[i].data), weight_of(mb, DOCS[i].data));
    fh_mset_free(ma);
    fh_mset_free(mb);
    fh_query_free(q);
}

static void test_compact(const char *dir)
{
    char a[512], b[512], single[512], merged[512], missing[512];
    join(a, sizeof a, dir, "shard-a");
    join(b, sizeof b, dir, "shard-b");
    join(single, sizeof single, dir, "single");
    join(merged, sizeof merged, dir, "merged");
    join(missing, sizeof missing, dir, "missing");
    build_db(a, 0, 2);
    build_db(b, 2, NDOCS);
    build_db(single, 0, NDOCS);

    const char *srcs[2] = {a, b};
    fh_error err = {0};
    CHECK_INT(fh_db_compact(srcs, 2, single, &err), FH_ERR_INVALID);
    const char *bad[2] = {a, missing};
    CHECK_INT(fh_db_compact(bad, 2, merged, &err), FH_ERR_NOT_FOUND);
    CHECK_MSG(strstr(err.message, missing) != NULL, "%s", err.message);
    CHECK_INT(fh_db_compact(srcs, 2, merged, &err), FH_OK);

    fh_db *m = NULL, *s = NULL;
    CHECK_INT(fh_db_open(merged, FH_DB_READ, &m, &err), FH_OK);
    CHECK_INT(fh_db_open(single, FH_DB_READ, &s, NULL), FH_OK);
    CHECK_INT(doc_count(m), NDOCS);
    for (size_t i = 0; i < NDOCS; i++)
        CHECK_INT(term_freq(m, DOCS[i].id), 1);
    same_results(m, s);
    fh_db_close(m);
    fh_db_close(s);
}

/* The metadata under key, as a string ("" when there is none). */
static void check_metadata(fh_db *db, const char *key, const char *want)
{
    fh_buf b = FH_BUF_INIT;
    CHECK_INT(fh_db_get_metadata(db, key, &b, NULL), FH_OK);
    CHECK_MSG(strcmp(b.data ? b.data : "", want) == 0, "metadata %s: \"%s\", want \"%s\"",
              key, b.data ? b.data : "", want);
    fh_buf_free(&b);
}

/* A document's stored data is kept as metadata beside it, replaced and
 * deleted with it, and read back by id and with hits. */
static void test_stored(const char *path)
{
    fh_db *w = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    const char *versions[] = {"first text", "second text"};
    for (size_t v = 0; v < 2; v++) {
        fh_doc *doc = fh_doc_new();
        CHECK_INT(fh_doc_add_term(doc, "kept", 4, 1, NULL), FH_OK);
        CHECK_INT(fh_doc_set_data(doc, versions[v], strlen(versions[v]), NULL), FH_OK);
        CHECK_INT(fh_db_replace(w, "Qkept", doc, NULL), FH_OK);
        fh_doc_free(doc);
        CHECK_INT(fh_db_commit(w, NULL), FH_OK);
        check_metadata(w, FH_STORED_KEY_PREFIX "Qkept", versions[v]);
    }
    fh_db *r = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &r, NULL), FH_OK);
    fh_buf b = FH_BUF_INIT;
    int found = 0;
    CHECK_INT(fh_db_get_data(r, "Qkept", &b, &found, NULL), FH_OK);
    CHECK(found && b.data && strcmp(b.data, "second text") == 0);
    fh_query *q = NULL;
    CHECK_INT(fh_query_term("kept", 4, 1, 1, &q, NULL), FH_OK);
    fh_search_opts o;
    fh_search_opts_init(&o);
    fh_mset *m = NULL;
    CHECK_INT(fh_db_search(r, q, &o, &m, NULL), FH_OK);
    size_t len = 0;
    CHECK(m && fh_mset_size(m) == 1 && strcmp(fh_mset_data(m, 0, &len), "second text") == 0);
    fh_mset_free(m);
    fh_query_free(q);
    /* Deleted, the document takes its data along, uncommitted changes
     * staying out of sight of readers. */
    CHECK_INT(fh_db_delete(w, "Qkept", &found, NULL), FH_OK);
    check_metadata(r, FH_STORED_KEY_PREFIX "Qkept", "second text");
    CHECK_INT(fh_db_commit(w, NULL), FH_OK);
    CHECK_INT(fh_db_reopen(r, NULL), FH_OK);
    check_metadata(r, FH_STORED_KEY_PREFIX "Qkept", "");
    fh_buf_reset(&b);
    CHECK_INT(fh_db_get_data(r, "Qkept", &b, &found, NULL), FH_OK);
    CHECK_INT(found, 0);
    fh_buf_free(&b);
    fh_db_close(r);
    fh_db_close(w);
}

/* Replace documents Q0..Qn-1 with data "d<i>-r<round>" and commit. */
static void write_round(fh_db *w, int n, int round)
{
    for (int i = 0; i < n; i++) {
        char id[32], data[32];
        snprintf(id, sizeof id, "Q%d", i);
        snprintf(data, sizeof data, "d%d-r%d", i, round);
        fh_doc *doc = fh_doc_new();
        CHECK_INT(fh_doc_add_term(doc, "common", 6, 1, NULL), FH_OK);
        CHECK_INT(fh_doc_add_boolean(doc, id, strlen(id), NULL), FH_OK);
        CHECK_INT(fh_doc_set_data(doc, data, strlen(data), NULL), FH_OK);
        CHECK_INT(fh_db_replace(w, id, doc, NULL), FH_OK);
        fh_doc_free(doc);
    }
    CHECK_INT(fh_db_commit(w, NULL), FH_OK);
}

/* Readers whose snapshot the writer has since overwritten still get an
 * answer, from the latest revision: the shim reopens and retries.  With
 * fewer documents everything a reader needs is cached when it opens and
 * Xapian never throws DatabaseModifiedError. */
static void test_concurrent_commits(const char *path)
{
    enum { N = 600, ROUNDS = 3 };
    fh_db *w = NULL, *r1 = NULL, *r2 = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &w, NULL), FH_OK);
    write_round(w, N, 0);
    CHECK_INT(fh_db_open(path, FH_DB_READ, &r1, NULL), FH_OK);
    CHECK_INT(fh_db_open(path, FH_DB_READ, &r2, NULL), FH_OK);
    for (int round = 1; round <= ROUNDS; round++)
        write_round(w, N, round);

    fh_query *q = term("common");
    fh_mset *m = NULL;
    fh_error err = {0};
    CHECK_MSG(fh_db_search(r1, q, NULL, &m, &err) == FH_OK, "%s", err.message);
    CHECK_INT(fh_mset_size(m), 10);
    size_t len = 0;
    const char *d = fh_mset_data(m, 0, &len);
    CHECK_MSG(d && len > 3 && memcmp(d + len - 3, "-r3", 3) == 0, "%.*s", (int)len, d);
    fh_mset_free(m);
    fh_query_free(q);

    fh_buf buf = FH_BUF_INIT;
    int found = 0;
    CHECK_MSG(fh_db_get_data(r2, "Q2", &buf, &found, &err) == FH_OK, "%s", err.message);
    CHECK_INT(found, 1);
    CHECK_STR(buf.data, "d2-r3");
    fh_buf_free(&buf);
    fh_db_close(r1);
    fh_db_close(r2);
    fh_db_close(w);
}

int main(void)
{
    char dir[] = "/tmp/fihris-test-db-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char path[512];
    test_open_errors(dir);
    join(path, sizeof path, dir, "nocommit");
    test_close_without_commit(path);
    join(path, sizeof path, dir, "main");
    test_lock(path);
    test_write(path);
    test_search(path);
    test_compact(dir);
    join(path, sizeof path, dir, "stored");
    test_stored(path);
    join(path, sizeof path, dir, "busy");
    test_concurrent_commits(path);
    join(path, sizeof path, dir, "timed");
    test_time_limit_races(path);
    join(path, sizeof path, dir, "many");
    test_deadline(path);
    check_remove_tree(dir);
    return check_result();
}
