/*
 * query.c - query words from analyzed text, and the Xapian query over them
 * (see query.h).
 */
#include "fihris/query.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/buf.h"
#include "fihris/lexicon.h"
#include "fihris/namekey.h"
#include "fihris/terms.h"

typedef struct {
    fh_parsed_query *q;
    fh_buf term;
    fh_status status;
} parse_ctx;

static int has_term(char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return 1;
    return 0;
}

static fh_status add_term(char ***list, size_t *n, const char *s, size_t len)
{
    if (has_term(*list, *n, s, len))
        return FH_OK;
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (grown == NULL)
        return FH_ERR_NOMEM;
    *list = grown;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    grown[(*n)++] = copy;
    return FH_OK;
}

static fh_status start_word(fh_parsed_query *q, const fh_token *tok)
{
    fh_query_word *grown = realloc(q->words, (q->nwords + 1) * sizeof *grown);
    if (grown == NULL)
        return FH_ERR_NOMEM;
    q->words = grown;
    fh_query_word *w = &q->words[q->nwords++];
    memset(w, 0, sizeof *w);
    w->text = malloc(tok->form_len + 1);
    if (w->text == NULL)
        return FH_ERR_NOMEM;
    memcpy(w->text, tok->form, tok->form_len);
    w->text[tok->form_len] = '\0';
    return FH_OK;
}

static fh_status add_token_terms(parse_ctx *c, const fh_token *tok)
{
    fh_query_word *w = &c->q->words[c->q->nwords - 1];
    fh_status st = fh_term_exact(tok, &c->term);
    if (st == FH_OK)
        st = add_term(&w->exact, &w->nexact, c->term.data, c->term.len);
    if (st == FH_OK && fh_term_stem(tok, &c->term) == FH_OK)
        st = add_term(&w->stems, &w->nstems, c->term.data, c->term.len);
    return st;
}

static int on_query_token(const fh_token *tok, void *ctx)
{
    parse_ctx *c = ctx;
    /* A compound is searched whole; its parts would only dilute it. */
    if (tok->flags & FH_TOKEN_PART)
        return 0;
    int new_word = !(tok->flags & FH_TOKEN_VARIANT) || c->q->nwords == 0;
    if (new_word && c->q->nwords == FH_QUERY_MAX_WORDS) {
        c->status = FH_ERR_INVALID;
        return 1;
    }
    if (new_word)
        c->status = start_word(c->q, tok);
    if (new_word && c->status == FH_OK) {
        fh_query_word *w = &c->q->words[c->q->nwords - 1];
        w->script = tok->script;
        /* users type names in lower case: any Latin word may be one */
        w->maybe_name = tok->script == FH_SCRIPT_LATIN ? tok->stem != NULL
                                                       : fh_token_is_name_like(tok);
    }
    if (c->status == FH_OK)
        c->status = add_token_terms(c, tok);
    return c->status != FH_OK;
}

fh_status fh_query_parse(fh_analyzer *an, const char *text, size_t len, fh_parsed_query *out,
                         fh_error *err)
{
    memset(out, 0, sizeof *out);
    parse_ctx c = {out, FH_BUF_INIT, FH_OK};
    fh_status st = fh_analyze(an, text, len, on_query_token, &c, err);
    fh_buf_free(&c.term);
    if (st == FH_OK && c.status == FH_ERR_INVALID)
        st = fh_error_set(err, FH_ERR_INVALID, "the query has more than %d words",
                          FH_QUERY_MAX_WORDS);
    else if (st == FH_OK && c.status != FH_OK)
        st = fh_error_set(err, c.status, "out of memory parsing the query");
    if (st != FH_OK)
        fh_parsed_query_free(out);
    return st;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void fh_parsed_query_free(fh_parsed_query *q)
{
    for (size_t i = 0; i < q->nwords; i++) {
        free(q->words[i].text);
        free_list(q->words[i].exact, q->words[i].nexact);
        free_list(q->words[i].stems, q->words[i].nstems);
        free_list(q->words[i].spellings, q->words[i].nspellings);
    }
    free(q->words);
    memset(q, 0, sizeof *q);
}

static void free_queries(fh_query **qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fh_query_free(qs[i]);
}

/* SYNONYM over terms (a single term stays a plain term). */
static fh_status synonym_of(char *const *terms, size_t n, uint32_t pos, fh_query **out,
                            fh_error *err)
{
    if (n == 1)
        return fh_query_term(terms[0], strlen(terms[0]), 1, pos, out, err);
    fh_query **subs = calloc(n, sizeof *subs);
    if (subs == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++)
        st = fh_query_term(terms[i], strlen(terms[i]), 1, pos, &subs[i], err);
    if (st == FH_OK)
        st = fh_query_combine(FH_Q_SYNONYM, subs, n, 0, out, err);
    free_queries(subs, n);
    free(subs);
    return st;
}

fh_status fh_query_word_part(const fh_query_word *w, fh_word_part part, uint32_t pos,
                             fh_query **out, fh_error *err)
{
    *out = NULL;
    if (part == FH_PART_EXACT)
        return synonym_of(w->exact, w->nexact, pos, out, err);
    if (part == FH_PART_STEM)
        return w->nstems ? synonym_of(w->stems, w->nstems, pos, out, err) : FH_OK;
    if (w->nspellings == 0)
        return FH_OK;
    fh_query *group = NULL, *closest = NULL, *parts[2] = {NULL, NULL};
    fh_status st = synonym_of(w->spellings, w->nspellings, pos, &group, err);
    if (st == FH_OK)
        st = fh_query_scale(group, FH_SPELLING_WEIGHT, &parts[0], err);
    if (st == FH_OK && w->nclosest > 0 && w->nclosest < w->nspellings)
        st = synonym_of(w->spellings, w->nclosest, pos, &closest, err);
    if (st == FH_OK && closest)
        st = fh_query_scale(closest, FH_CLOSEST_WEIGHT, &parts[1], err);
    if (st == FH_OK && parts[1])
        st = fh_query_combine(FH_Q_OR, parts, 2, 0, out, err);
    else if (st == FH_OK)
        *out = parts[0], parts[0] = NULL;
    fh_query_free(group);
    fh_query_free(closest);
    free_queries(parts, 2);
    return st;
}

/* OR(exact forms, stems, other spellings): each part present scores. */
static fh_status word_query(const fh_query_word *w, uint32_t pos, fh_query **out, fh_error *err)
{
    fh_query *parts[3] = {NULL, NULL, NULL};
    size_t n = 0;
    fh_status st = FH_OK;
    for (int part = FH_PART_EXACT; part <= FH_PART_SPELLINGS && st == FH_OK; part++) {
        st = fh_query_word_part(w, (fh_word_part)part, pos, &parts[n], err);
        if (parts[n])
            n++;
    }
    if (st == FH_OK && n == 1) {
        *out = parts[0];
        return FH_OK;
    }
    if (st == FH_OK)
        st = fh_query_combine(FH_Q_OR, parts, n, 0, out, err);
    free_queries(parts, n);
    return st;
}

fh_status fh_query_build(const fh_parsed_query *q, fh_match_mode mode, fh_query **out,
                         fh_error *err)
{
    if (q->nwords == 0)
        return fh_query_combine(FH_Q_OR, NULL, 0, 0, out, err);
    fh_query **subs = calloc(q->nwords, sizeof *subs);
    if (subs == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = FH_OK;
    for (size_t i = 0; i < q->nwords && st == FH_OK; i++)
        st = word_query(&q->words[i], (uint32_t)i + 1, &subs[i], err);
    if (st == FH_OK)
        st = fh_query_combine(mode == FH_MATCH_ALL ? FH_Q_AND : FH_Q_OR, subs, q->nwords, 0, out,
                              err);
    free_queries(subs, q->nwords);
    free(subs);
    return st;
}

/* A word in more documents than this is a common word, not a name. */
static uint32_t common_above(uint32_t docs)
{
    return docs / 20 > 10 ? docs / 20 : 10;
}

/* Names take no Arabic inflections: a word whose stem is found in many
 * more documents than the word itself has other forms in use, and is an
 * ordinary word. */
static int inflected_df(uint32_t df, uint32_t stem_df)
{
    return stem_df > df + df / 2 + 1;
}

typedef struct {
    fh_buf stem;
} first_stem;

static int take_first_stem(const fh_token *tok, void *ctx)
{
    first_stem *f = ctx;
    if (tok->stem) {
        fh_buf_reset(&f->stem);
        if (fh_buf_append_str(&f->stem, FH_PREFIX_STEM) != FH_OK ||
            fh_buf_append(&f->stem, tok->stem, tok->stem_len) != FH_OK)
            fh_buf_reset(&f->stem);
    }
    return 1;
}

/* Is the Arabic candidate (df documents) an inflected ordinary word? */
static fh_status candidate_inflected(fh_db *db, fh_analyzer *an, const char *c, uint32_t df,
                                     int *yes, fh_error *err)
{
    *yes = 0;
    if (an == NULL || fh_name_script(c) != FH_SCRIPT_ARABIC)
        return FH_OK;
    first_stem f = {FH_BUF_INIT};
    uint32_t stem_df = 0;
    fh_status st = fh_analyze(an, c, strlen(c), take_first_stem, &f, err);
    if (st == FH_OK && f.stem.len > 0)
        st = fh_db_term_freq(db, f.stem.data, f.stem.len, &stem_df, err);
    *yes = st == FH_OK && f.stem.len > 0 && inflected_df(df, stem_df);
    fh_buf_free(&f.stem);
    return st;
}

/* Whether one of the n spellings in found is a Latin one that sounds the
 * same as the Arabic word a (fh_name_sounds_same). */
static int latin_twin(const char *a, const fh_buf *found, size_t n)
{
    const char *s = found->data;
    for (size_t i = 0; i < n; i++, s += strlen(s) + 1)
        if (fh_name_script(s) == FH_SCRIPT_LATIN &&
            fh_name_sounds_same(a, strlen(a), FH_SCRIPT_ARABIC, s, strlen(s), FH_SCRIPT_LATIN))
            return 1;
    return 0;
}

/* Spellings found in the lexicon that documents still hold (the lexicon
 * keeps words of deleted documents), rare enough for names and not
 * inflected: an Arabic spelling whose stem ordinary words share (دارون,
 * دار) still counts when a Latin spelling found sounds the same. */
static fh_status add_live_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an,
                                    const fh_buf *found, size_t n, uint32_t docs, fh_error *err)
{
    const char *s = found->data;
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++, s += strlen(s) + 1) {
        uint32_t df = 0;
        int inflects = 0;
        st = fh_db_term_freq(db, s, strlen(s), &df, err);
        if (st != FH_OK || df == 0 || df > common_above(docs) ||
            has_term(w->exact, w->nexact, s, strlen(s)))
            continue;
        if (w->script != FH_SCRIPT_LATIN && !latin_twin(s, found, n))
            st = candidate_inflected(db, an, s, df, &inflects, err);
        if (st == FH_OK && !inflects &&
            add_term(&w->spellings, &w->nspellings, s, strlen(s)) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    return st;
}

/* Is the Arabic query word an inflected ordinary word (see inflected_df)? */
static fh_status inflected(const fh_query_word *w, fh_db *db, uint32_t df, int *yes,
                           fh_error *err)
{
    uint32_t stem_df = 0;
    *yes = 0;
    if (w->script != FH_SCRIPT_ARABIC || w->nstems == 0 || df == 0)
        return FH_OK;
    fh_status st = fh_db_term_freq(db, w->stems[0], strlen(w->stems[0]), &stem_df, err);
    *yes = inflected_df(df, stem_df);
    return st;
}

/* A word the documents hold but do not write as a name (an Arabic word not
 * filed, a Latin word mostly in lower case), hold too often, or inflect, is
 * an ordinary word. */
enum { ORDINARY_COMMON = 1, ORDINARY_LOWER = 2, ORDINARY_INFLECTED = 4 };

static fh_status ordinary_word(const fh_query_word *w, fh_db *db, int filed, uint32_t docs,
                               int *ordinary, fh_error *err)
{
    uint32_t df = 0;
    int inflects = 0, capitalized = 1;
    fh_status st = fh_db_term_freq(db, w->text, strlen(w->text), &df, err);
    if (st == FH_OK)
        st = inflected(w, db, df, &inflects, err);
    if (st == FH_OK && df > 0 && w->script == FH_SCRIPT_LATIN)
        st = fh_lexicon_capitalized(db, w->text, strlen(w->text), &capitalized, err);
    *ordinary = (df > common_above(docs) ? ORDINARY_COMMON : 0) |
                (df > 0 && (!filed || !capitalized) ? ORDINARY_LOWER : 0) |
                (inflects ? ORDINARY_INFLECTED : 0);
    return st;
}

/* Keep of the *n spellings in found only the Latin ones that sound the same
 * as the Arabic word (fh_name_sounds_same) and, when there is one, the
 * word's other Arabic spellings (fh_name_one_arabic_spelling). */
static fh_status keep_same_sounding(const fh_query_word *w, fh_buf *found, size_t *n,
                                    fh_error *err)
{
    fh_buf kept = FH_BUF_INIT;
    size_t nkept = 0;
    int twin = latin_twin(w->text, found, *n);
    const char *s = found->data;
    for (size_t i = 0; i < *n && twin; i++, s += strlen(s) + 1) {
        if (fh_name_script(s) == FH_SCRIPT_LATIN
                ? !fh_name_sounds_same(w->text, strlen(w->text), w->script, s, strlen(s),
                                       FH_SCRIPT_LATIN)
                : !fh_name_one_arabic_spelling(w->text, strlen(w->text), s, strlen(s)))
            continue;
        if (fh_buf_append(&kept, s, strlen(s) + 1) != FH_OK) {
            fh_buf_free(&kept);
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        }
        nkept++;
    }
    fh_buf_free(found);
    *found = kept;
    *n = nkept;
    return FH_OK;
}

static fh_status add_word_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an,
                                    uint32_t docs, fh_buf *found, fh_error *err)
{
    size_t n = 0;
    int filed = 0, ordinary = 0, strong = 0;
    fh_buf_reset(found);
    /* common words are the most frequent in queries: rule them out first,
     * before any lexicon look-up */
    fh_status st = ordinary_word(w, db, 1, docs, &ordinary, err);
    /* An Arabic name may share its stem with ordinary words (ماكرون and
     * ماكرين): a Latin spelling that sounds the same is evidence enough. */
    int inflected_only = ordinary == ORDINARY_INFLECTED && w->script == FH_SCRIPT_ARABIC;
    if (st == FH_OK && (!ordinary || inflected_only))
        st = fh_lexicon_spellings(db, w->text, strlen(w->text), w->script, found, &n, &filed,
                                  &strong, err);
    if (st == FH_OK && inflected_only)
        st = keep_same_sounding(w, found, &n, err);
    /* Arabic words resemble each other by the thousand: a loose likeness is
     * no evidence that an Arabic word is a name. */
    if (w->script == FH_SCRIPT_ARABIC && !strong)
        n = 0;
    if (st == FH_OK && n > 0)
        st = ordinary_word(w, db, filed, docs, &ordinary, err);
    if (st == FH_OK && n > 0 && (!ordinary || (inflected_only && ordinary == ORDINARY_INFLECTED)))
        st = add_live_spellings(w, db, an, found, n, docs, err);
    /* A name whose stem ordinary words share was cut where it has no
     * suffix: its stem finds only those words (ماكرون, مكر). */
    if (st == FH_OK && inflected_only && w->nspellings > 0) {
        free_list(w->stems, w->nstems);
        w->stems = NULL;
        w->nstems = 0;
    }
    return st;
}

typedef struct {
    char *text;
    double distance;
    int closest;
} ranked_spelling;

static int by_closeness(const void *a, const void *b)
{
    const ranked_spelling *x = a, *y = b;
    if (x->closest != y->closest)
        return y->closest - x->closest;
    return (x->distance > y->distance) - (x->distance < y->distance);
}

/* Order the word's spellings closest first and count the closest. */
static fh_status rank_spellings(fh_query_word *w, fh_error *err)
{
    if (w->nspellings < 2) {
        w->nclosest = w->nspellings;
        return FH_OK;
    }
    ranked_spelling *r = calloc(w->nspellings, sizeof *r);
    if (r == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    double best[2] = {1e9, 1e9};
    for (size_t i = 0; i < w->nspellings; i++) {
        const char *s = w->spellings[i];
        int latin = fh_name_script(s) == FH_SCRIPT_LATIN;
        r[i].text = w->spellings[i];
        r[i].distance = fh_name_distance(w->text, strlen(w->text), w->script, s, strlen(s),
                                         fh_name_script(s));
        best[latin] = r[i].distance < best[latin] ? r[i].distance : best[latin];
    }
    w->nclosest = 0;
    for (size_t i = 0; i < w->nspellings; i++) {
        r[i].closest = r[i].distance <= (best[0] < best[1] ? best[0] : best[1]) + FH_CLOSEST_MARGIN;
        w->nclosest += (size_t)r[i].closest;
    }
    qsort(r, w->nspellings, sizeof *r, by_closeness);
    for (size_t i = 0; i < w->nspellings; i++)
        w->spellings[i] = r[i].text;
    free(r);
    return FH_OK;
}

fh_status fh_query_add_spellings(fh_parsed_query *q, fh_db *db, fh_analyzer *an, fh_error *err)
{
    fh_buf found = FH_BUF_INIT;
    uint32_t docs = 0;
    fh_status st = fh_db_doc_count(db, &docs, err);
    for (size_t i = 0; i < q->nwords && st == FH_OK; i++)
        if (q->words[i].maybe_name && (st = add_word_spellings(&q->words[i], db, an, docs,
                                                               &found, err)) == FH_OK)
            st = rank_spellings(&q->words[i], err);
    fh_buf_free(&found);
    return st;
}

int fh_query_match_token(const fh_parsed_query *q, const fh_token *tok)
{
    for (size_t i = 0; i < q->nwords; i++) {
        const fh_query_word *w = &q->words[i];
        if (has_term(w->exact, w->nexact, tok->form, tok->form_len) ||
            has_term(w->spellings, w->nspellings, tok->form, tok->form_len))
            return (int)i;
        for (size_t k = 0; tok->stem && k < w->nstems; k++) {
            const char *s = w->stems[k] + strlen(FH_PREFIX_STEM);
            if (strlen(s) == tok->stem_len && memcmp(s, tok->stem, tok->stem_len) == 0)
                return (int)i;
        }
    }
    return -1;
}
