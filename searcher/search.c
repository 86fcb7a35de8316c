/*
 * search.c - running a search and turning Xapian's hits into displayable
 * results (see search.h).
 */
#include "fihris/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/analyze.h"
#include "fihris/clock.h"
#include "fihris/db.h"
#include "fihris/docdata.h"
#include "fihris/lexicon.h"
#include "fihris/namekey.h"
#include "fihris/query.h"
#include "fihris/snippet.h"
#include "fihris/spellings.h"
#include "fihris/suggest.h"
#include "fihris/terms.h"

struct fh_searcher {
    fh_db *db;
    fh_analyzer *an;
    fh_spelling_memo *names; /* what words of past queries came to ... */
    fh_buf state;            /* ... in this state of the database */
};

/* Counts up to this many matches are exact, not estimated: what a user sees
 * for a typical query ("5 results") is then true, at a small cost. */
enum { TITLE_WORDS = 20, EXACT_COUNT_UPTO = 100 };

/* The time one search may take (fh_search_request.time_limit_ms), and
 * whether it left something out to keep to it.  Reading the query against
 * the index (prefixes, names) has the first half, so that the match always
 * has time; the match, the explanations, the fallback and the suggestion
 * stop at the deadline.  Passages are made for every hit: from the stored
 * tokens, a lookup per token, they cost little however long the query. */
typedef struct {
    double read_by;  /* fh_clock_ms() times; 0: no limit */
    double deadline;
    int cut;
} search_clock;

static search_clock clock_of(const fh_search_request *req, double start)
{
    search_clock c = {0, 0, 0};
    if (req->time_limit_ms > 0) {
        c.read_by = start + req->time_limit_ms / 2;
        c.deadline = start + req->time_limit_ms;
    }
    return c;
}

/* Whether the deadline has passed: what is left to do is then left out,
 * and the answer says so. */
static int past_deadline(search_clock *c)
{
    if (c->deadline <= 0 || fh_clock_ms() < c->deadline)
        return 0;
    c->cut = 1;
    return 1;
}

fh_status fh_searcher_open(const char *db_path, fh_searcher **out, fh_error *err)
{
    return fh_searcher_open_remote(db_path, NULL, out, err);
}

fh_status fh_searcher_open_remote(const char *db_path, const fh_remote_opts *remote,
                                  fh_searcher **out, fh_error *err)
{
    fh_searcher *s = calloc(1, sizeof *s);
    if (s == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = fh_db_open_reader(db_path, remote, &s->db, err);
    if (st == FH_OK)
        st = fh_analyzer_new(&s->an, err);
    if (st == FH_OK)
        st = fh_spelling_memo_new(&s->names, err);
    if (st == FH_OK)
        st = fh_db_state(s->db, &s->state, err);
    if (st != FH_OK) {
        fh_searcher_close(s);
        return st;
    }
    *out = s;
    return FH_OK;
}

fh_status fh_searcher_refresh(fh_searcher *s, fh_error *err)
{
    fh_buf now = FH_BUF_INIT;
    fh_status st = fh_db_reopen(s->db, err);
    if (st == FH_OK)
        st = fh_db_state(s->db, &now, err);
    /* another state, or one that cannot be told: names may have changed */
    if (st != FH_OK || now.len == 0 || now.len != s->state.len ||
        memcmp(now.data, s->state.data, now.len) != 0) {
        fh_spelling_memo_clear(s->names);
        fh_buf_free(&s->state);
        s->state = now;
        return st;
    }
    fh_buf_free(&now);
    return st;
}

fh_status fh_searcher_doc_count(fh_searcher *s, uint32_t *out, fh_error *err)
{
    return fh_db_doc_count(s->db, out, err);
}

fh_status fh_searcher_state(fh_searcher *s, fh_buf *out, fh_error *err)
{
    if (s->state.len && fh_buf_append(out, s->state.data, s->state.len) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    return FH_OK;
}

fh_status fh_searcher_document(fh_searcher *s, const char *id, fh_stored *out, fh_error *err)
{
    fh_buf term = FH_BUF_INIT, data = FH_BUF_INIT;
    int found = 0;
    memset(out, 0, sizeof *out);
    fh_status st = fh_term_id(id, &term) == FH_OK
                       ? fh_db_get_data(s->db, term.data, &data, &found, err)
                       : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (st == FH_OK && !found)
        st = fh_error_set(err, FH_ERR_NOT_FOUND, "no document with this id");
    if (st == FH_OK)
        st = fh_docdata_decode(data.data, data.len, out, err);
    fh_buf_free(&term);
    fh_buf_free(&data);
    return st;
}

static int take_last_form(const fh_token *tok, void *ctx)
{
    fh_buf *last = ctx;
    if (tok->flags & (FH_TOKEN_VARIANT | FH_TOKEN_PART))
        return 0;
    fh_buf_reset(last);
    return fh_buf_append(last, tok->form, tok->form_len) != FH_OK;
}

fh_status fh_searcher_complete(fh_searcher *s, const char *text, size_t len, size_t max,
                               fh_buf *out, size_t *count, fh_error *err)
{
    fh_buf last = FH_BUF_INIT;
    *count = 0;
    fh_status st = fh_analyze(s->an, text, len, take_last_form, &last, err);
    if (st == FH_OK && last.len > 0)
        st = fh_db_frequent_terms_with_prefix(s->db, last.data, last.len, FH_COMPLETE_SCAN, max,
                                              out, count, err);
    /* then, when the script typed offers few, names in the other script:
     * Zucker offers زوكربيرغ (a prefix its script completes well need not
     * pay for the look-ups) */
    size_t more = 0;
    if (st == FH_OK && last.len > 0 && *count < (max + 1) / 2)
        st = fh_lexicon_complete(s->db, last.data, last.len, max - *count, out, &more, err);
    *count += more;
    fh_buf_free(&last);
    return st;
}

int fh_searcher_index_outdated(fh_searcher *s)
{
    fh_buf version = FH_BUF_INIT;
    fh_error err;
    uint32_t docs = 0;
    int outdated = fh_db_doc_count(s->db, &docs, &err) == FH_OK && docs > 0 &&
                   fh_db_get_metadata(s->db, FH_METADATA_ANALYSIS, &version, &err) == FH_OK &&
                   strcmp(version.data ? version.data : "", FH_ANALYSIS_VERSION) != 0;
    fh_buf_free(&version);
    return outdated;
}

void fh_searcher_close(fh_searcher *s)
{
    if (s == NULL)
        return;
    fh_db_close(s->db);
    fh_analyzer_free(s->an);
    fh_spelling_memo_free(s->names);
    fh_buf_free(&s->state);
    free(s);
}

void fh_search_request_init(fh_search_request *req)
{
    memset(req, 0, sizeof *req);
    req->count = 10;
    req->k1 = 1.2;
    req->b = 0.75;
    req->marks = FH_MARK_PLAIN;
    req->snippet_words = 30;
    req->snippets = 1;
    req->names = 1;
    req->suggest = 1;
    req->fallback = 1;
}

static const unsigned FACET_SLOTS[FH_FACETS] = {FH_SLOT_SOURCE, FH_SLOT_LANG, FH_SLOT_YEAR};

const char *fh_facet_name(fh_facet_kind f)
{
    static const char *const names[FH_FACETS] = {"source", "lang", "year"};
    return (unsigned)f < FH_FACETS ? names[f] : "?";
}

static void ranking_opts(const fh_search_request *req, fh_search_opts *opts)
{
    fh_search_opts_init(opts);
    opts->bm25_k1 = req->k1;
    opts->bm25_b = req->b;
    opts->time_limit_s = req->time_limit_ms / 1000.0;
}

static fh_status describe(const fh_query *q, char **tree, fh_error *err)
{
    fh_buf desc = FH_BUF_INIT;
    fh_status st = fh_query_describe(q, &desc, err);
    free(*tree);
    *tree = st == FH_OK ? fh_buf_steal(&desc) : NULL;
    fh_buf_free(&desc);
    return st;
}

static fh_status search_opts(fh_searcher *s, const fh_search_request *req,
                             const search_clock *clk, fh_search_opts *opts, fh_error *err)
{
    ranking_opts(req, opts);
    opts->deadline_ms = clk->deadline;
    opts->offset = req->offset;
    opts->count = req->count;
    /* a hit's matching terms cost a pass over its term list: only the
     * explanations read them */
    opts->fetch_terms = req->explain;
    if (!req->snippets) {
        /* ids only: the id value is enough, no data blob to read and decode */
        opts->fetch_data = 0;
        opts->fetch_value_slot = FH_SLOT_ID;
    }
    opts->sort_value_slot = req->sort_by_date ? FH_SLOT_DATE : -1;
    opts->check_at_least = req->offset + req->count > EXACT_COUNT_UPTO ? req->offset + req->count
                                                                        : EXACT_COUNT_UPTO;
    if (!req->facets && !req->exact_total)
        return FH_OK;
    /* exact counts: every match is looked at */
    if (req->facets) {
        opts->count_slots = FACET_SLOTS;
        opts->ncount_slots = FH_FACETS;
    }
    return fh_db_doc_count(s->db, &opts->check_at_least, err);
}

/* Run pq; with tree, also describe the query (for explanations). */
static fh_status run_query(fh_searcher *s, const fh_parsed_query *pq, fh_match_mode mode,
                           const fh_search_request *req, search_clock *clk, fh_mset **out,
                           char **tree, fh_error *err)
{
    fh_query *q = NULL;
    fh_search_opts opts;
    fh_status st = search_opts(s, req, clk, &opts, err);
    if (st == FH_OK)
        st = fh_query_build(pq, mode, &q, err);
    if (st == FH_OK && tree)
        st = describe(q, tree, err);
    if (st == FH_OK)
        st = fh_db_search(s->db, q, &opts, out, err);
    if (st == FH_OK && fh_mset_time_limited(*out))
        clk->cut = 1;
    fh_query_free(q);
    return st;
}

/* An empty page may just lie beyond the last match: ask for the first. */
static fh_status matches_nothing(fh_searcher *s, const fh_parsed_query *pq,
                                 const fh_search_request *req, search_clock *clk,
                                 const fh_mset *page, int *none, fh_error *err)
{
    *none = fh_mset_size(page) == 0;
    if (!*none || req->offset == 0)
        return FH_OK;
    fh_search_request first = *req;
    first.offset = 0;
    first.count = 1;
    first.facets = 0;
    first.exact_total = 0;
    fh_mset *m = NULL;
    fh_status st = run_query(s, pq, FH_MATCH_ALL, &first, clk, &m, NULL, err);
    if (st == FH_OK)
        *none = fh_mset_size(m) == 0 && !fh_mset_time_limited(m);
    fh_mset_free(m);
    return st;
}

static fh_status fill_id_only(const fh_search_request *req, const fh_mset *m, size_t i,
                             fh_hit *hit, fh_error *err)
{
    size_t len;
    const char *id = fh_mset_value(m, i, &len);
    hit->rank = req->offset + (unsigned)i + 1;
    hit->score = fh_mset_weight(m, i);
    hit->id = malloc(len + 1);
    hit->title = calloc(1, 1);
    hit->title_marked = calloc(1, 1);
    hit->snippet = calloc(1, 1);
    if (!hit->id || !hit->title || !hit->title_marked || !hit->snippet)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    memcpy(hit->id, id, len);
    hit->id[len] = '\0';
    return FH_OK;
}

/* The passages of a hit: from the tokens the indexer stored when it can,
 * else by analyzing the text (databases written before tokens were stored,
 * long prefix expansions). */
static fh_status passages(fh_searcher *s, const fh_parsed_query *pq, const fh_word_keys *keys,
                          const fh_search_request *req, const fh_stored *d, fh_buf *snippet,
                          fh_buf *title, fh_error *err)
{
    if (keys->usable && d->body_spans && d->title_spans) {
        fh_status st = fh_snippet_stored(pq, keys, d->body, d->body_len, d->body_spans,
                                         d->body_spans_len, req->snippet_words, req->marks,
                                         snippet, err);
        if (st == FH_OK)
            st = fh_snippet_stored(pq, keys, d->title, d->title_len, d->title_spans,
                                   d->title_spans_len, TITLE_WORDS, req->marks, title, err);
        if (st != FH_ERR_CORRUPT)
            return st;
        fh_buf_reset(snippet);
        fh_buf_reset(title);
    }
    fh_status st =
        fh_snippet(s->an, pq, d->body, d->body_len, req->snippet_words, req->marks, snippet, err);
    if (st == FH_OK)
        st = fh_snippet(s->an, pq, d->title, d->title_len, TITLE_WORDS, req->marks, title, err);
    return st;
}

static fh_status fill_hit(fh_searcher *s, const fh_parsed_query *pq, const fh_word_keys *keys,
                          const fh_search_request *req, const fh_mset *m, size_t i, fh_hit *hit,
                          fh_error *err)
{
    if (!req->snippets)
        return fill_id_only(req, m, i, hit, err);
    size_t len;
    const char *data = fh_mset_data(m, i, &len);
    fh_stored d;
    fh_status st = fh_docdata_decode(data, len, &d, err);
    if (st != FH_OK)
        return st;
    fh_buf snippet = FH_BUF_INIT, title = FH_BUF_INIT;
    st = passages(s, pq, keys, req, &d, &snippet, &title, err);
    hit->rank = req->offset + (unsigned)i + 1;
    hit->score = fh_mset_weight(m, i);
    hit->snippet = fh_buf_steal(&snippet);
    hit->title_marked = fh_buf_steal(&title);
    hit->id = d.id;
    hit->title = d.title;
    hit->url = d.url;
    hit->date = d.date;
    hit->source = d.source;
    hit->lang = d.lang;
    free(d.body);
    free(d.path);
    free(d.title_spans);
    free(d.body_spans);
    free(d.extra);
    return st;
}

const char *fh_how_name(fh_how how)
{
    static const char *const names[] = {"exact", "stem", "other spelling", "other script"};
    return names[how];
}

/* The part's terms among the hit's matching terms, space separated (stems
 * bare, title words without their prefix); *other tells whether one is in
 * another script than the word. */
static char *matched_terms(const fh_query_word *w, fh_word_part part, const fh_mset *m,
                           size_t i, int *other)
{
    char *const *list = part == FH_PART_EXACT ? w->exact
                        : part == FH_PART_STEM ? w->stems : w->spellings;
    size_t n = part == FH_PART_EXACT ? w->nexact : part == FH_PART_STEM ? w->nstems : w->nspellings;
    const char *prefix = (w->flags & FH_WORD_TITLE) ? FH_PREFIX_TITLE : "";
    size_t plen = strlen(prefix);
    fh_buf out = FH_BUF_INIT;
    size_t skip = part == FH_PART_STEM ? strlen(FH_PREFIX_STEM) : 0;
    *other = 0;
    for (size_t k = 0; k < fh_mset_term_count(m, i); k++) {
        size_t len;
        const char *t = fh_mset_term(m, i, k, &len);
        if (len < plen || memcmp(t, prefix, plen) != 0)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (strlen(list[j]) != len - plen || memcmp(list[j], t + plen, len - plen) != 0)
                continue;
            if (out.len)
                fh_buf_append_char(&out, ' ');
            fh_buf_append(&out, list[j] + skip, strlen(list[j]) - skip);
            *other |= fh_name_script(list[j]) != w->script;
        }
    }
    return fh_buf_steal(&out);
}

static fh_status add_why(fh_hit *hit, fh_why why, fh_error *err)
{
    if (why.terms == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_why *grown = realloc(hit->why, (hit->nwhy + 1) * sizeof *grown);
    if (grown == NULL) {
        free(why.terms);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    hit->why = grown;
    hit->why[hit->nwhy++] = why;
    return FH_OK;
}

/* What each part of each query word adds to the hit's score. */
static fh_status explain_hit(fh_searcher *s, const fh_parsed_query *pq,
                             const fh_search_request *req, search_clock *clk, const fh_mset *m,
                             size_t i, fh_hit *hit, fh_error *err)
{
    fh_search_opts opts;
    ranking_opts(req, &opts);
    fh_buf id_term = FH_BUF_INIT;
    fh_status st = fh_term_id(hit->id, &id_term) == FH_OK
                       ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < pq->nwords && st == FH_OK && !past_deadline(clk); k++) {
        if (pq->words[k].flags & FH_WORD_EXCLUDED)
            continue;
        for (int part = FH_PART_EXACT; part <= FH_PART_SPELLINGS && st == FH_OK; part++) {
            fh_query *q = NULL;
            double weight = 0;
            st = fh_query_word_part(&pq->words[k], (fh_word_part)part, (uint32_t)k + 1, &q, err);
            if (st == FH_OK && q)
                st = fh_db_weight_in(s->db, q, id_term.data, &opts, &weight, err);
            fh_query_free(q);
            if (st != FH_OK || weight <= 0)
                continue;
            int other = 0;
            char *terms = matched_terms(&pq->words[k], (fh_word_part)part, m, i, &other);
            fh_how how = part == FH_PART_EXACT ? FH_HOW_EXACT : part == FH_PART_STEM
                             ? FH_HOW_STEM : other ? FH_HOW_SCRIPT : FH_HOW_SPELLING;
            st = add_why(hit, (fh_why){k, how, weight, terms}, err);
        }
    }
    fh_buf_free(&id_term);
    return st;
}

static fh_status collect_hits(fh_searcher *s, const fh_parsed_query *pq,
                              const fh_search_request *req, search_clock *clk, const fh_mset *m,
                              fh_search_result *out, fh_error *err)
{
    size_t n = fh_mset_size(m);
    out->estimated = fh_mset_estimated(m);
    out->time_limited = fh_mset_time_limited(m);
    /* a match the deadline stopped may report its bounds as equal: they
     * count the documents it examined, not those that match */
    out->exact_total = !out->time_limited && fh_mset_lower_bound(m) == fh_mset_upper_bound(m);
    if (n == 0)
        return FH_OK;
    out->hits = calloc(n, sizeof *out->hits);
    if (out->hits == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_word_keys keys;
    fh_word_keys_of(pq, &keys);
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        st = fill_hit(s, pq, &keys, req, m, i, &out->hits[i], err);
        out->nhits = i + 1;
        if (st == FH_OK && req->explain && !past_deadline(clk))
            st = explain_hit(s, pq, req, clk, m, i, &out->hits[i], err);
    }
    fh_word_keys_free(&keys);
    return st;
}

static fh_status check_request(const fh_search_request *req, fh_error *err)
{
    if (req->query_len > FH_SEARCH_MAX_QUERY_BYTES)
        return fh_error_set(err, FH_ERR_INVALID, "query too long (%zu bytes, limit %u)",
                            req->query_len, FH_SEARCH_MAX_QUERY_BYTES);
    if (req->count > FH_SEARCH_MAX_COUNT)
        return fh_error_set(err, FH_ERR_INVALID, "too many results asked for (%u, limit %u)",
                            req->count, FH_SEARCH_MAX_COUNT);
    if (!isfinite(req->k1) || !(req->k1 >= 0) || !(req->b >= 0 && req->b <= 1))
        return fh_error_set(err, FH_ERR_INVALID, "BM25 needs k1 >= 0 and 0 <= b <= 1");
    return FH_OK;
}

/* Read a query and find what its words stand for in the index, by `until`
 * (an fh_clock_ms() time, 0: no limit); *lim says what was left out. */
static fh_status prepare(fh_searcher *s, const fh_search_request *req, const char *text,
                         size_t len, double until, fh_parsed_query *pq, fh_query_limits *lim,
                         fh_error *err)
{
    fh_query_limits_init(lim);
    lim->until_ms = until;
    fh_status st = fh_query_parse(s->an, text, len, pq, err);
    if (st != FH_OK)
        return st;
    st = fh_query_expand_prefixes(pq, s->db, lim, err);
    if (st == FH_OK && req->names)
        st = fh_query_add_spellings(pq, s->db, s->an, s->names, lim, err);
    for (size_t i = 0; st == FH_OK && !req->names && i < pq->nwords; i++)
        if (pq->words[i].maybe_name)
            pq->words[i].name = FH_NAME_OFF;
    if (st != FH_OK)
        fh_parsed_query_free(pq);
    return st;
}

static fh_status collect_facets(const fh_mset *m, fh_search_result *out, fh_error *err)
{
    out->counted = 1;
    for (int f = 0; f < FH_FACETS; f++) {
        size_t n = fh_mset_count_size(m, (size_t)f);
        fh_facet *facet = &out->facets[f];
        facet->values = n ? calloc(n, sizeof *facet->values) : NULL;
        if (n && facet->values == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) {
            size_t len;
            const char *v = fh_mset_count_value(m, (size_t)f, k, &len, &facet->values[k].count);
            if ((facet->values[k].value = strndup(v, len)) == NULL)
                return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
            facet->n = k + 1;
        }
    }
    return FH_OK;
}

/* Prefixes past FH_PREFIX_BUDGET: the notes say how many words were searched. */
static fh_status note_budget(const fh_query_limits *lim, fh_parsed_query *pq, fh_error *err)
{
    fh_buf *notes = &pq->syntax.notes;
    if (lim->prefix_kept >= lim->prefix_words)
        return FH_OK;
    if ((notes->len && fh_buf_append_str(notes, "; ") != FH_OK) ||
        fh_buf_printf(notes, "the prefixes begin %zu index words: searched for the %zu most "
                             "frequent (type more letters before * for the others)",
                      lim->prefix_words, lim->prefix_kept) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    return FH_OK;
}

/* How the query was read: notes always, the tree with explain. */
static fh_status reading(const fh_search_request *req, const fh_parsed_query *pq,
                         fh_search_result *out, fh_error *err)
{
    const fh_buf *notes = &pq->syntax.notes;
    if (notes->len && (out->notes = strndup(notes->data, notes->len)) == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (!req->explain)
        return FH_OK;
    fh_buf tree = FH_BUF_INIT;
    if (fh_syntax_describe(&pq->syntax, req->query, &tree) != FH_OK ||
        (out->parsed = fh_buf_steal(&tree)) == NULL) {
        fh_buf_free(&tree);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    return FH_OK;
}

/* Every document when all words must match, else the any-word fallback. */
/* Every document when all words must match, else the any-word fallback
 * (not when the time is up: the first match may have stopped short). */
static fh_status match(fh_searcher *s, const fh_parsed_query *pq, const fh_search_request *req,
                       search_clock *clk, fh_search_result *out, fh_mset **m, fh_error *err)
{
    char **tree = req->explain ? &out->query_tree : NULL;
    fh_status st = run_query(s, pq, FH_MATCH_ALL, req, clk, m, tree, err);
    int none = 0;
    if (st == FH_OK && req->fallback && fh_mset_size(*m) == 0 && !fh_mset_time_limited(*m) &&
        fh_query_can_fall_back(pq) && !past_deadline(clk))
        st = matches_nothing(s, pq, req, clk, *m, &none, err);
    if (st == FH_OK && none && !past_deadline(clk)) {
        fh_mset_free(*m);
        *m = NULL;
        out->matched_any = 1;
        st = run_query(s, pq, FH_MATCH_ANY, req, clk, m, tree, err);
    }
    return st;
}

/* ---- did you mean ---- */

typedef struct {
    size_t a, b; /* the bytes of the query to replace */
    char *with;
} correction;

/* In how many documents a word is as written (by its exact forms: a stem
 * shared with the word meant, as open with OpenAI, is no evidence that the
 * word is spelled right; the corrected query must then find more anyway). */
static fh_status word_docs(fh_db *db, const fh_query_word *w, uint32_t *docs, fh_error *err)
{
    fh_status st = FH_OK;
    *docs = 0;
    for (size_t i = 0; i < w->nexact && st == FH_OK; i++) {
        uint32_t n = 0;
        st = fh_db_term_freq(db, w->exact[i], strlen(w->exact[i]), &n, err);
        *docs = n > *docs ? n : *docs;
    }
    return st;
}

static int earlier_first(const void *x, const void *y)
{
    const correction *a = x, *b = y;
    return (a->a > b->a) - (a->a < b->a);
}

/* How many documents text matches with every word (0 when it cannot be read). */
static fh_status count_all(fh_searcher *s, const fh_search_request *req, search_clock *clk,
                           const char *text, size_t len, uint32_t *n, fh_error *err)
{
    fh_search_request one = *req;
    one.offset = 0;
    one.count = 1;
    one.snippets = 0;
    one.facets = 0;
    one.exact_total = 0;
    fh_parsed_query pq;
    fh_query_limits lim;
    fh_mset *m = NULL;
    *n = 0;
    fh_status st = prepare(s, &one, text, len, clk->deadline, &pq, &lim, err);
    if (st == FH_ERR_INVALID)
        return FH_OK;
    if (st != FH_OK)
        return st;
    clk->cut |= lim.time_cut;
    st = run_query(s, &pq, FH_MATCH_ALL, &one, clk, &m, NULL, err);
    /* a count the deadline cut short proves nothing */
    *n = fh_mset_time_limited(m) ? 0 : fh_mset_estimated(m);
    fh_mset_free(m);
    fh_parsed_query_free(&pq);
    return st;
}

/* The query with fix[0, n) made: the bytes between corrections as typed. */
static char *corrected(const fh_search_request *req, correction *fix, size_t n)
{
    fh_buf text = FH_BUF_INIT;
    size_t at = 0;
    fh_status st = FH_OK;
    qsort(fix, n, sizeof *fix, earlier_first);
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        if (fix[i].a < at)
            continue; /* overlaps the one before */
        st = fh_buf_append(&text, req->query + at, fix[i].a - at);
        if (st == FH_OK)
            st = fh_buf_append_str(&text, fix[i].with);
        at = fix[i].b;
    }
    if (st == FH_OK)
        st = fh_buf_append(&text, req->query + at, req->query_len - at);
    if (st != FH_OK) {
        fh_buf_free(&text);
        return NULL;
    }
    return fh_buf_steal(&text);
}

/* A correction for each word that the index holds in few documents or none
 * (and that does not match as a name in another spelling). */
static fh_status find_corrections(fh_searcher *s, const fh_parsed_query *pq, search_clock *clk,
                                  correction *fix, size_t *n, fh_error *err)
{
    fh_buf cand = FH_BUF_INIT;
    fh_status st = FH_OK;
    *n = 0;
    for (size_t i = 0; i < pq->nwords && st == FH_OK && !past_deadline(clk); i++) {
        const fh_query_word *w = &pq->words[i];
        uint32_t docs = 0, cand_docs = 0;
        int same_span = *n > 0 && fix[*n - 1].a == w->a;
        if ((w->flags & (FH_WORD_EXCLUDED | FH_WORD_PREFIX)) || w->nspellings || same_span)
            continue;
        st = word_docs(s->db, w, &docs, err);
        if (st != FH_OK || docs >= FH_SUGGEST_BELOW)
            continue;
        st = fh_suggest_word(s->db, w->text, strlen(w->text), docs ? FH_SUGGEST_BELOW : 1, &cand,
                             &cand_docs, err);
        if (st != FH_OK || cand.len == 0)
            continue;
        if ((fix[*n].with = strndup(cand.data, cand.len)) == NULL)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        else
            fix[*n].a = w->a, fix[*n].b = w->b, (*n)++;
    }
    fh_buf_free(&cand);
    return st;
}

/* "Did you mean": the query with its rare words corrected, when it then
 * finds more documents with every word. */
static fh_status suggest(fh_searcher *s, const fh_search_request *req, const fh_parsed_query *pq,
                         search_clock *clk, fh_search_result *out, fh_error *err)
{
    correction *fix = calloc(pq->nwords ? pq->nwords : 1, sizeof *fix);
    size_t n = 0;
    if (fix == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = find_corrections(s, pq, clk, fix, &n, err);
    char *text = st == FH_OK && n > 0 ? corrected(req, fix, n) : NULL;
    uint32_t found = 0;
    if (st == FH_OK && n > 0 && text == NULL)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (text && !past_deadline(clk))
        st = count_all(s, req, clk, text, strlen(text), &found, err);
    if (st == FH_OK && found > (out->matched_any ? 0 : out->estimated)) {
        out->suggestion = text;
        text = NULL;
    }
    free(text);
    for (size_t i = 0; i < n; i++)
        free(fix[i].with);
    free(fix);
    return st;
}

/* The shards a partial search went without, for the user to know. */
static fh_status note_missing(const fh_db *db, fh_search_result *out, fh_error *err)
{
    size_t n = fh_db_missing_count(db);
    if (n == 0)
        return FH_OK;
    if ((out->missing_shards = calloc(n, sizeof *out->missing_shards)) == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (; out->nmissing < n; out->nmissing++)
        if ((out->missing_shards[out->nmissing] = strdup(fh_db_missing(db, out->nmissing))) ==
            NULL)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    return FH_OK;
}

/* The result keeps the words it explains (pq is left empty). */
static fh_status keep_words(fh_parsed_query *pq, fh_search_result *out, fh_error *err)
{
    if ((out->words = malloc(sizeof *out->words)) == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    *out->words = *pq;
    memset(pq, 0, sizeof *pq);
    return FH_OK;
}

fh_status fh_search(fh_searcher *s, const fh_search_request *req, fh_search_result *out,
                    fh_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = fh_clock_ms();
    search_clock clk = clock_of(req, t0);
    fh_status st = check_request(req, err);
    fh_parsed_query pq;
    fh_query_limits lim;
    if (st == FH_OK)
        st = prepare(s, req, req->query, req->query_len, clk.read_by, &pq, &lim, err);
    if (st != FH_OK)
        return st;
    clk.cut = lim.time_cut;
    st = note_budget(&lim, &pq, err);
    if (st != FH_OK) {
        fh_parsed_query_free(&pq);
        return st;
    }
    out->nwords = pq.nwords;
    out->prefix_words = lim.prefix_words;
    out->prefix_kept = lim.prefix_kept;
    fh_mset *m = NULL;
    st = reading(req, &pq, out, err);
    if (st == FH_OK)
        st = match(s, &pq, req, &clk, out, &m, err);
    if (st == FH_OK)
        st = collect_hits(s, &pq, req, &clk, m, out, err);
    if (st == FH_OK && req->facets)
        st = collect_facets(m, out, err);
    if (st == FH_OK)
        st = note_missing(s->db, out, err);
    fh_mset_free(m);
    if (st == FH_OK && req->suggest && (out->matched_any || out->estimated < FH_SUGGEST_BELOW) &&
        !past_deadline(&clk))
        st = suggest(s, req, &pq, &clk, out, err);
    out->time_limited = clk.cut;
    /* cut short before the match (words not looked up, searched as typed),
     * the query counted was not the one asked: its total is no exact one */
    out->exact_total = out->exact_total && !out->time_limited;
    if (st == FH_OK && req->explain)
        st = keep_words(&pq, out, err);
    fh_parsed_query_free(&pq);
    out->elapsed_ms = fh_clock_ms() - t0;
    if (st != FH_OK)
        fh_search_result_free(out); /* a failed search leaves nothing to free */
    return st;
}

void fh_search_result_free(fh_search_result *r)
{
    for (size_t i = 0; i < r->nhits; i++) {
        fh_hit *h = &r->hits[i];
        free(h->id);
        free(h->title);
        free(h->title_marked);
        free(h->snippet);
        free(h->url);
        free(h->date);
        free(h->source);
        free(h->lang);
        for (size_t k = 0; k < h->nwhy; k++)
            free(h->why[k].terms);
        free(h->why);
    }
    free(r->hits);
    for (size_t i = 0; i < r->nmissing; i++)
        free(r->missing_shards[i]);
    free(r->missing_shards);
    if (r->words)
        fh_parsed_query_free(r->words);
    free(r->words);
    free(r->query_tree);
    free(r->parsed);
    free(r->notes);
    free(r->suggestion);
    for (int f = 0; f < FH_FACETS; f++) {
        for (size_t k = 0; k < r->facets[f].n; k++)
            free(r->facets[f].values[k].value);
        free(r->facets[f].values);
    }
    memset(r, 0, sizeof *r);
}

size_t fh_search_result_word_count(const fh_search_result *r)
{
    return r->words ? r->words->nwords : 0;
}

const char *fh_search_result_word(const fh_search_result *r, size_t i)
{
    return i < fh_search_result_word_count(r) ? r->words->words[i].text : NULL;
}
