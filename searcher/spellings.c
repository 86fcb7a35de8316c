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

/* Whether the Latin word t sounds the same as the Arabic word a: read as a
 * foreign name's spelling (fh_name_sounds_same), or with arabic_name as an
 * Arabic name too (fh_name_arabic_sounds_same). */
static int sounds_as(const char *a, const char *t, int arabic_name)
{
    return arabic_name ? fh_name_arabic_sounds_same(a, strlen(a), t, strlen(t))
                       : fh_name_sounds_same(a, strlen(a), FH_SCRIPT_ARABIC, t, strlen(t),
                                             FH_SCRIPT_LATIN);
}

/* Whether one of the n spellings in found is a Latin one that sounds the
 * same as the Arabic word a (sounds_as). */
static int latin_twin(const char *a, const fh_buf *found, size_t n, int arabic_name)
{
    const char *s = found->data;
    for (size_t i = 0; i < n; i++, s += strlen(s) + 1)
        if (fh_name_script(s) == FH_SCRIPT_LATIN && sounds_as(a, s, arabic_name))
            return 1;
    return 0;
}

/* A Latin twin vouches for a frequent Arabic word when it is held by at
 * least this share of as many documents: the name written in both scripts
 * (زوكربيرغ, Zuckerberg), not a common word that happens to sound like a
 * rare name (ومن, Ayman). */
enum { VOUCHING_SHARE = 10 };

/* Whether the Arabic word a, held by df documents, frequent, may be a name
 * all the same: a Latin spelling found that sounds the same and is held by
 * a tenth as many documents or more (the index writes it as a name in Latin
 * letters too), or a skeleton too long for an ordinary word. */
static fh_status vouched_as_name(fh_db *db, const char *a, uint32_t df, const fh_buf *found,
                                 size_t n, int *yes, fh_error *err)
{
    *yes = fh_name_skeleton_length(a, strlen(a), FH_SCRIPT_ARABIC) >= FH_NAME_LONG_SKELETON;
    const char *s = found->data;
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && !*yes && st == FH_OK; i++, s += strlen(s) + 1) {
        uint32_t latin_df = 0;
        if (fh_name_script(s) != FH_SCRIPT_LATIN ||
            !fh_name_arabic_sounds_same(a, strlen(a), s, strlen(s)))
            continue;
        st = fh_db_term_freq(db, s, strlen(s), &latin_df, err);
        *yes = st == FH_OK && (uint64_t)latin_df * VOUCHING_SHARE >= df;
    }
    return st;
}

/* Whether the candidate s (df documents), found for w, is the name the
 * query word is: a Latin spelling (found only when mostly capitalized), an
 * Arabic one that sounds the same as a Latin word w is, or one vouched for
 * (see above). */
static fh_status candidate_vouched(fh_db *db, const fh_query_word *w, const char *s, uint32_t df,
                                   const fh_buf *found, size_t n, int *yes, fh_error *err)
{
    *yes = 1;
    if (fh_name_script(s) == FH_SCRIPT_LATIN ||
        (w->script == FH_SCRIPT_LATIN &&
         fh_name_sounds_same(w->text, strlen(w->text), FH_SCRIPT_LATIN, s, strlen(s),
                             FH_SCRIPT_ARABIC)))
        return FH_OK;
    return vouched_as_name(db, s, df, found, n, yes, err);
}

/* Spellings found in the lexicon that documents still hold (the lexicon
 * keeps words of deleted documents), not inflected, and rare enough for
 * names unless vouched for.  An Arabic spelling whose stem ordinary words
 * share (دارون, دار) still counts when a Latin spelling found sounds the
 * same and it is the query word's own spelling with other proclitics, long
 * vowels or g letters: نصرين is no other spelling of نسرين, even though
 * Nisrin sounds like both. */
static fh_status add_live_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an,
                                    const fh_buf *found, size_t n, uint32_t docs, fh_error *err)
{
    const char *s = found->data;
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++, s += strlen(s) + 1) {
        uint32_t df = 0;
        int inflects = 0, vouched = 1;
        size_t len = strlen(s);
        st = fh_db_term_freq(db, s, len, &df, err);
        if (st == FH_OK && df > common_above(docs))
            st = candidate_vouched(db, w, s, df, found, n, &vouched, err);
        if (st != FH_OK || df == 0 || !vouched || fh_term_list_has(w->exact, w->nexact, s, len))
            continue;
        if (w->script != FH_SCRIPT_LATIN &&
            !(latin_twin(s, found, n, 0) &&
              fh_name_one_arabic_spelling_any_g(w->text, strlen(w->text), s, len)))
            st = candidate_inflected(db, an, s, df, &inflects, err);
        if (st == FH_OK && !inflects &&
            fh_term_list_add(&w->spellings, &w->nspellings, s, len) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    return st;
}

/* What the index says of a query word: how many documents hold it and its
 * stem, whether most write it (Latin) with a capital. */
typedef struct {
    uint32_t df, stem_df;
    int capitalized;
} word_facts;

static fh_status word_facts_of(const fh_query_word *w, fh_db *db, word_facts *f, fh_error *err)
{
    *f = (word_facts){0, 0, 1};
    fh_status st = fh_db_term_freq(db, w->text, strlen(w->text), &f->df, err);
    if (st == FH_OK && f->df > 0 && w->script == FH_SCRIPT_ARABIC && w->nstems > 0)
        st = fh_db_term_freq(db, w->stems[0], strlen(w->stems[0]), &f->stem_df, err);
    if (st == FH_OK && f->df > 0 && w->script == FH_SCRIPT_LATIN)
        st = fh_lexicon_capitalized(db, w->text, strlen(w->text), &f->capitalized, err);
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
    int twin = latin_twin(w->text, found, *n, 0);
    const char *s = found->data;
    for (size_t i = 0; i < *n && twin; i++, s += strlen(s) + 1) {
        if (fh_name_script(s) == FH_SCRIPT_LATIN
                ? !sounds_as(w->text, s, 0)
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

/* The verdict on an Arabic word from what the lexicon found (n spellings,
 * filed: the word is filed itself, strong: more than a loose likeness). */
static fh_status arabic_verdict(fh_db *db, fh_query_word *w, const word_facts *f,
                                uint32_t docs, const fh_buf *found, size_t n, int filed,
                                int strong, fh_error *err)
{
    int vouched = 1;
    fh_status st = FH_OK;
    /* Arabic words resemble each other by the thousand: a loose likeness is
     * no evidence that an Arabic word is a name. */
    if (n > 0 && !strong)
        w->name = FH_NAME_LOOSE;
    else if (f->df > 0 && !filed)
        w->name = FH_NAME_LOWER;
    /* A frequent word is a name when the index vouches for it (زوكربيرغ in
     * most documents of an archive about him); ومن and كان are not. */
    else if (f->df > common_above(docs) &&
             ((st = vouched_as_name(db, w->text, f->df, found, n, &vouched, err)) != FH_OK ||
              !vouched))
        w->name = FH_NAME_COMMON;
    else
        w->name = FH_NAME_YES;
    return st;
}

/* Whether a Latin spelling among the word's spellings sounds the same as
 * the Arabic word: the name it is, written in Latin letters (مهدي, Mehdi). */
static int has_latin_twin(const fh_query_word *w)
{
    for (size_t i = 0; i < w->nspellings; i++)
        if (fh_name_script(w->spellings[i]) == FH_SCRIPT_LATIN &&
            fh_name_arabic_sounds_same(w->text, strlen(w->text), w->spellings[i],
                                       strlen(w->spellings[i])))
            return 1;
    return 0;
}

static void drop_stems(fh_query_word *w)
{
    fh_term_list_free(w->stems, w->nstems);
    w->stems = NULL;
    w->nstems = 0;
}

/* Keep of the *n spellings in found the Latin ones that sound the same as
 * the Arabic word. */
static void keep_latin_twins(const fh_query_word *w, fh_buf *found, size_t *n)
{
    size_t at = 0, kept = 0;
    const char *s = found->data;
    for (size_t i = 0; i < *n; i++, s += strlen(s) + 1) {
        size_t len = strlen(s);
        if (fh_name_script(s) != FH_SCRIPT_LATIN ||
            !fh_name_arabic_sounds_same(w->text, strlen(w->text), s, len))
            continue;
        memmove(found->data + at, s, len + 1);
        at += len + 1;
        kept++;
    }
    found->len = at;
    if (found->data != NULL)
        found->data[at] = '\0';
    *n = kept;
}

/* An Arabic word not like a name (short, or with an ordinary word's suffix)
 * that no document holds may still be one (عمر, عرفات): it matches the
 * Latin spellings that sound the same, and keeps its verdict otherwise. */
static fh_status add_unlikely_name_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an,
                                            uint32_t docs, fh_buf *found, fh_error *err)
{
    size_t n = 0;
    int filed, strong;
    fh_status st = fh_db_term_freq(db, w->text, strlen(w->text), &w->name_df, err);
    if (st != FH_OK || w->name_df > 0)
        return st;
    st = fh_lexicon_spellings(db, w->text, strlen(w->text), w->script, 1, found, &n, &filed,
                              &strong, err);
    if (st != FH_OK)
        return st;
    keep_latin_twins(w, found, &n);
    if (n == 0)
        return FH_OK;
    /* the stem of a short name finds other words (عمر, عمران) */
    if (w->name == FH_NAME_SHORT)
        drop_stems(w);
    w->name = FH_NAME_YES;
    return add_live_spellings(w, db, an, found, n, docs, err);
}

/* Whether the Arabic spelling s is one of the Arabic word a: a with other
 * proclitics, long vowels or g letters, or a spelling close to a Latin twin
 * of a (one of found that sounds the same as a) with a skeleton long enough
 * to tell a name (لموتسارت for موزارت, Mozart; not يضل for عادل, Adel). */
static int arabic_spelling_of(const char *a, const char *s, const fh_buf *found, size_t n)
{
    if (fh_name_one_arabic_spelling_any_g(a, strlen(a), s, strlen(s)))
        return 1;
    if (fh_name_skeleton_length(s, strlen(s), FH_SCRIPT_ARABIC) < 4)
        return 0;
    const char *t = found->data;
    for (size_t i = 0; i < n; i++, t += strlen(t) + 1)
        if (fh_name_script(t) == FH_SCRIPT_LATIN &&
            fh_name_arabic_sounds_same(a, strlen(a), t, strlen(t)) &&
            fh_name_close(t, strlen(t), FH_SCRIPT_LATIN, s, strlen(s), FH_SCRIPT_ARABIC))
            return 1;
    return 0;
}

/* A name the index holds only in Latin letters (an Arabic word no document
 * holds, with a Latin twin) keeps of the Arabic words found only its own
 * spellings (arabic_spelling_of): the others merely share its consonants
 * (عادل: يضل). */
static void keep_own_arabic_spellings(const fh_query_word *w, fh_buf *found, size_t *n)
{
    if (!latin_twin(w->text, found, *n, 1))
        return;
    fh_buf kept = FH_BUF_INIT;
    size_t nkept = 0;
    const char *s = found->data;
    for (size_t i = 0; i < *n; i++, s += strlen(s) + 1) {
        if (fh_name_script(s) == FH_SCRIPT_ARABIC && !arabic_spelling_of(w->text, s, found, *n))
            continue;
        if (fh_buf_append(&kept, s, strlen(s) + 1) != FH_OK) {
            fh_buf_free(&kept);
            return; /* out of memory: all of them, as before */
        }
        nkept++;
    }
    fh_buf_free(found);
    *found = kept;
    *n = nkept;
}

static fh_status add_word_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an,
                                    uint32_t docs, fh_buf *found, fh_error *err)
{
    if (w->name != FH_NAME_YES) {
        fh_buf_reset(found);
        return add_unlikely_name_spellings(w, db, an, docs, found, err);
    }
    size_t n = 0;
    int filed = 0, strong = 0;
    word_facts f;
    fh_buf_reset(found);
    fh_status st = word_facts_of(w, db, &f, err);
    w->name_df = f.df;
    w->name_stem_df = f.stem_df;
    /* a word written in lower case needs no lexicon look-up */
    if (st != FH_OK || !f.capitalized) {
        w->name = FH_NAME_LOWER;
        return st;
    }
    /* An Arabic name may share its stem with ordinary words (ماكرون and
     * ماكرين): a Latin spelling that sounds the same is evidence enough. */
    int inflects = w->script == FH_SCRIPT_ARABIC && f.df > 0 && inflected_df(f.df, f.stem_df);
    /* a name no Arabic document holds, read as an Arabic name, may be found
     * in Latin letters that write its short vowels (محمد, Mohamed) */
    int arabic_name = w->script == FH_SCRIPT_ARABIC && f.df == 0;
    st = fh_lexicon_spellings(db, w->text, strlen(w->text), w->script, arabic_name, found, &n,
                              &filed, &strong, err);
    if (st == FH_OK && inflects)
        st = keep_same_sounding(w, found, &n, err);
    if (st != FH_OK)
        return st;
    if (w->script == FH_SCRIPT_ARABIC && f.df == 0)
        keep_own_arabic_spellings(w, found, &n);
    if (w->script != FH_SCRIPT_ARABIC)
        w->name = f.df > 0 && !filed ? FH_NAME_LOWER : FH_NAME_YES;
    else if (inflects && n == 0)
        w->name = FH_NAME_INFLECTED;
    else
        st = arabic_verdict(db, w, &f, docs, found, n, filed, strong, err);
    if (st == FH_OK && w->name == FH_NAME_YES)
        st = add_live_spellings(w, db, an, found, n, docs, err);
    /* A name whose stem ordinary words share was cut where it has no
     * suffix: its stem finds only those words (ماكرون, مكر); so is a name
     * the index holds only in Latin letters (مهدي, مهد; Mehdi). */
    if (st == FH_OK && w->script == FH_SCRIPT_ARABIC && w->nspellings > 0 &&
        (inflects || (f.df == 0 && has_latin_twin(w))))
        drop_stems(w);
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
        r[i].distance = fh_name_query_distance(w->text, strlen(w->text), w->script, s,
                                               strlen(s), fh_name_script(s), w->name_df == 0);
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
 * whether its stems were dropped, and the verdict with its figures. */
typedef struct {
    char *key;       /* flags, script and text: see memo_key */
    char *spellings; /* NUL-terminated, one after another */
    size_t n, nclosest;
    int dropped_stems;
    fh_name_verdict name;
    uint32_t df, stem_df;
} memo_entry;

enum { MEMO_SLOTS = 4096 }; /* a power of two; half full, the memo starts afresh */

/* The slots filled are listed, so that clearing touches only them: a
 * process that answers one query and exits must not walk (and fault in)
 * the whole table to free a few entries. */
struct fh_spelling_memo {
    memo_entry slots[MEMO_SLOTS];
    uint16_t filled[MEMO_SLOTS / 2];
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
    for (size_t i = 0; i < m->used; i++) {
        memo_entry *e = &m->slots[m->filled[i]];
        free(e->key);
        free(e->spellings);
        *e = (memo_entry){0};
    }
    m->used = 0;
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
        w->name = e->name;
        w->name_df = e->df;
        w->name_stem_df = e->stem_df;
        if (e->dropped_stems)
            drop_stems(w);
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
    *e = (memo_entry){k,           fh_buf_steal(&all), w->nspellings, w->nclosest, dropped_stems,
                      w->name,     w->name_df,         w->name_stem_df};
    m->filled[m->used++] = (uint16_t)(e - m->slots);
}

/* ---- a query's words ---- */

static fh_status word_spellings(fh_query_word *w, fh_db *db, fh_analyzer *an, uint32_t docs,
                                fh_buf *found, fh_error *err)
{
    fh_status st = add_word_spellings(w, db, an, docs, found, err);
    return st == FH_OK ? rank_spellings(w, err) : st;
}

/* Whether the time for looking words up has run out (and say so). */
static int out_of_time(fh_query_limits *lim, fh_query_word *w)
{
    if (lim == NULL || lim->until_ms <= 0 || fh_clock_ms() < lim->until_ms)
        return 0;
    lim->time_cut = 1;
    w->name = FH_NAME_TIME;
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
            if (!out_of_time(lim, w))
                st = word_spellings(w, db, an, docs, &found, err);
            continue;
        }
        if (memo_key(w, &key) != FH_OK) {
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
            break;
        }
        int known = 0;
        st = memo_recall(memo_slot(memo, key.data), w, &known, err);
        if (st != FH_OK || known || out_of_time(lim, w))
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

