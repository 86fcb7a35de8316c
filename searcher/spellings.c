/*
 * spellings.c - the other spellings and scripts of the query words that may
 * be names, found in the index's name lexicon (see spellings.h).
 */
#include "fihris/spellings.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/buf.h"
#include "fihris/clock.h"
#include "fihris/hash.h"
#include "fihris/lexicon.h"
#include "fihris/namekey.h"
#include "fihris/terms.h"

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
            fh_term_list_has(w->exact, w->nexact, s, strlen(s)))
            continue;
        if (w->script != FH_SCRIPT_LATIN && !latin_twin(s, found, n))
            st = candidate_inflected(db, an, s, df, &inflects, err);
        if (st == FH_OK && !inflects &&
            fh_term_list_add(&w->spellings, &w->nspellings, s, strlen(s)) != FH_OK)
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
        fh_term_list_free(w->stems, w->nstems);
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

/* ---- the memo ---- */

/* What a word came to: its spellings in order, how many are the closest,
 * and whether its stems were dropped. */
typedef struct {
    char *key;       /* flags, script and text: see memo_key */
    char *spellings; /* NUL-terminated, one after another */
    size_t n, nclosest;
    int dropped_stems;
} memo_entry;

enum { MEMO_SLOTS = 4096 }; /* a power of two; full, the memo starts afresh */

struct fh_spelling_memo {
    memo_entry slots[MEMO_SLOTS];
    size_t used;
};

fh_status fh_spelling_memo_new(fh_spelling_memo **out, fh_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

void fh_spelling_memo_clear(fh_spelling_memo *m)
{
    if (m == NULL || m->used == 0)
        return; /* cheap: a reader whose state cannot be told clears it each time */
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        free(m->slots[i].key);
        free(m->slots[i].spellings);
    }
    memset(m, 0, sizeof *m);
}

void fh_spelling_memo_free(fh_spelling_memo *m)
{
    fh_spelling_memo_clear(m);
    free(m);
}

static fh_status memo_key(const fh_query_word *w, fh_buf *key)
{
    fh_buf_reset(key);
    return fh_buf_printf(key, "%u %d %s", w->flags, (int)w->script, w->text);
}

/* The slot of key: its entry, or the empty slot where it would go. */
static memo_entry *memo_slot(fh_spelling_memo *m, const char *key)
{
    size_t i = fh_hash64(FH_HASH_SEED, key, strlen(key)) & (MEMO_SLOTS - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (MEMO_SLOTS - 1);
    return &m->slots[i];
}

/* Give w what the memo kept for it; *found says whether it had it. */
static fh_status memo_recall(const memo_entry *e, fh_query_word *w, int *found, fh_error *err)
{
    *found = e->key != NULL;
    const char *s = e->spellings;
    for (size_t i = 0; *found && i < e->n; i++, s += strlen(s) + 1)
        if (fh_term_list_add(&w->spellings, &w->nspellings, s, strlen(s)) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (*found) {
        w->nclosest = e->nclosest;
        if (e->dropped_stems) {
            fh_term_list_free(w->stems, w->nstems);
            w->stems = NULL;
            w->nstems = 0;
        }
    }
    return FH_OK;
}

/* Keep what w came to; out of memory, the memo just keeps nothing. */
static void memo_keep(fh_spelling_memo *m, const char *key, const fh_query_word *w,
                      int dropped_stems)
{
    if (m->used >= MEMO_SLOTS / 2)
        fh_spelling_memo_clear(m);
    memo_entry *e = memo_slot(m, key);
    fh_buf all = FH_BUF_INIT;
    for (size_t i = 0; i < w->nspellings; i++)
        if (fh_buf_append(&all, w->spellings[i], strlen(w->spellings[i]) + 1) != FH_OK) {
            fh_buf_free(&all);
            return;
        }
    char *k = strdup(key);
    if (k == NULL) {
        fh_buf_free(&all);
        return;
    }
    *e = (memo_entry){k, fh_buf_steal(&all), w->nspellings, w->nclosest, dropped_stems};
    m->used++;
}

/* ---- a query's words ---- */

static fh_status word_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an, uint32_t docs,
                                fh_buf *found, fh_error *err)
{
    fh_status st = add_word_spellings(w, db, an, docs, found, err);
    return st == FH_OK ? rank_spellings(w, err) : st;
}

/* Whether the time for looking words up has run out (and say so). */
static int out_of_time(fh_query_limits *lim)
{
    if (lim == NULL || lim->until_ms <= 0 || fh_clock_ms() < lim->until_ms)
        return 0;
    lim->time_cut = 1;
    return 1;
}

fh_status fh_query_add_spellings(fh_parsed_query *q, fh_db *db, fh_analyzer *an,
                                 fh_spelling_memo *memo, fh_query_limits *lim, fh_error *err)
{
    fh_buf found = FH_BUF_INIT, key = FH_BUF_INIT;
    uint32_t docs = 0;
    fh_status st = fh_db_doc_count(db, &docs, err);
    for (size_t i = 0; i < q->nwords && st == FH_OK; i++) {
        fh_query_word *w = &q->words[i];
        if (!w->maybe_name)
            continue;
        if (memo == NULL) {
            if (!out_of_time(lim))
                st = word_spellings(w, db, an, docs, &found, err);
            continue;
        }
        if (memo_key(w, &key) != FH_OK) {
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
            break;
        }
        int known = 0;
        st = memo_recall(memo_slot(memo, key.data), w, &known, err);
        if (st != FH_OK || known || out_of_time(lim))
            continue;
        size_t stems = w->nstems;
        st = word_spellings(w, db, an, docs, &found, err);
        if (st == FH_OK)
            memo_keep(memo, key.data, w, stems > 0 && w->nstems == 0);
    }
    fh_buf_free(&found);
    fh_buf_free(&key);
    return st;
}

