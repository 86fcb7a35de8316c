/*
 * lexicon.c - filing name spellings under their keys, and finding them
 * again (see lexicon.h).
 */
#include "fihris/lexicon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/hash.h"
#include "fihris/utf8.h"
#include "fihris/namekey.h"
#include "fihris/terms.h"

/* A name may end like an Arabic suffix (بوتين, ماكرون, نابليون): the
 * stemmer may take off up to three letters and the word still be a name. */
enum { MIN_ARABIC_BYTES = 8, SHORT_NAME_BYTES = 6 /* three letters */, MAX_SUFFIX_BYTES = 6,
       SEEN_SLOTS = 1 << 18 };

/* The endings the stemmer takes off names (موراتي, ماكرون, بوتين, لندن,
 * غولدمان, نيتشه, سنغافورة, نابليون, نيوتن); not the verb and pronoun
 * suffixes of ordinary words (يتوبوا, أمهاتهم, دمرناهم). */
static int name_ending(const char *end, size_t len)
{
    static const char *const endings[] = {
        "\xD9\x8A", "\xD9\x87", "\xD8\xA9", "\xD9\x86",                     /* ي ه ة ن */
        "\xD8\xA7\xD9\x86", "\xD9\x88\xD9\x86", "\xD9\x8A\xD9\x86",           /* ان ون ين */
        "\xD8\xAA\xD9\x86", "\xD9\x8A\xD9\x88\xD9\x86",                     /* تن يون */
    };
    if (len == 0)
        return 1;
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++)
        if (strlen(endings[i]) == len && memcmp(end, endings[i], len) == 0)
            return 1;
    return 0;
}

/* Whether an Arabic word ends in a verb or pronoun suffix that the stemmer
 * may leave on (ليتوبوا, أمهاتهم): وا after a consonant letter (not the
 * اوا of أوتاوا), هم كم هن تم هما كما. */
static int verb_or_pronoun_suffix(const char *w, size_t len)
{
    static const char *const suffixes[] = {
        "\xD9\x87\xD9\x85", "\xD9\x83\xD9\x85", "\xD9\x87\xD9\x86", /* هم كم هن */
        "\xD8\xAA\xD9\x85",                                     /* تم */
        "\xD9\x87\xD9\x85\xD8\xA7", "\xD9\x83\xD9\x85\xD8\xA7",           /* هما كما */
    };
    static const char WAW_ALEF[] = "\xD9\x88\xD8\xA7";          /* وا */
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t n = strlen(suffixes[i]);
        if (len >= n + MIN_ARABIC_BYTES - 2 && memcmp(w + len - n, suffixes[i], n) == 0)
            return 1;
    }
    if (len < MIN_ARABIC_BYTES || memcmp(w + len - 4, WAW_ALEF, 4) != 0)
        return 0;
    const char *before = w + len - 6; /* the letter before وا (two bytes) */
    return !(memcmp(before, "\xD8\xA7", 2) == 0 || memcmp(before, "\xD9\x88", 2) == 0 ||
             memcmp(before, "\xD9\x8A", 2) == 0);                 /* ا و ي */
}

/* Whether an Arabic word writes a long vowel (ا و ي ى): a three-letter
 * foreign name does (كوك, آبل, كيا), a bare triliteral root (كتب) does not. */
static int has_long_vowel(const char *w, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        if (memcmp(w + i, "\xD8\xA7", 2) == 0 || memcmp(w + i, "\xD9\x88", 2) == 0 ||
            memcmp(w + i, "\xD9\x8A", 2) == 0 || memcmp(w + i, "\xD9\x89", 2) == 0)
            return 1;
    return 0;
}

/* The letter at w (two bytes) with its hamza seat as the stemmer writes it
 * (فائقة, فايق): ئ as ي, ؤ as و. */
static unsigned stem_letter(const char *w)
{
    unsigned c = (unsigned char)w[0] << 8 | (unsigned char)w[1];
    return c == 0xD8A6 ? 0xD98A : c == 0xD8A4 ? 0xD988 : c;
}

/* Whether the Arabic stem is the form's letters at end - len, hamza seats aside. */
static int stem_ends_at(const char *end, const char *stem, size_t len)
{
    const char *w = end - len;
    for (size_t i = 0; i + 1 < len; i += 2)
        if (stem_letter(w + i) != stem_letter(stem + i))
            return 0;
    return len % 2 == 0;
}

fh_name_like fh_token_name_like(const fh_token *tok)
{
    if (tok->stem == NULL || (tok->flags & FH_TOKEN_COMPOUND))
        return FH_NAME_LIKE_NOT_A_WORD;
    if (tok->script == FH_SCRIPT_LATIN)
        return (tok->flags & FH_TOKEN_CAPITALIZED) ? FH_NAME_LIKE_YES : FH_NAME_LIKE_LOWER;
    if (tok->script != FH_SCRIPT_ARABIC)
        return FH_NAME_LIKE_NOT_A_WORD;
    if (tok->form_len < SHORT_NAME_BYTES ||
        (tok->form_len == SHORT_NAME_BYTES && !has_long_vowel(tok->form, tok->form_len)))
        return FH_NAME_LIKE_SHORT;
    if (verb_or_pronoun_suffix(tok->form, tok->form_len))
        return FH_NAME_LIKE_SUFFIX;
    /* Only proclitics, and a name's ending (the ي of موراتي, the يون of
     * نابليون, which the stemmer reads as suffixes), were taken off. */
    for (size_t cut = 0; cut <= MAX_SUFFIX_BYTES; cut += 2) {
        if (tok->stem_len + cut > tok->form_len)
            break;
        const char *end = tok->form + tok->form_len - cut;
        if (stem_ends_at(end, tok->stem, tok->stem_len))
            return name_ending(end, cut) ? FH_NAME_LIKE_YES : FH_NAME_LIKE_SUFFIX;
    }
    return FH_NAME_LIKE_SUFFIX;
}

int fh_token_is_name_like(const fh_token *tok)
{
    return fh_token_name_like(tok) == FH_NAME_LIKE_YES;
}

/* Words seen are remembered by hash only: a collision costs one word's
 * filing, which the next document holding it makes up for. */
struct fh_lexicon {
    uint64_t *seen;  /* open addressing, 0 = empty */
    size_t nseen;
    fh_buf pending;  /* key\0word\0 pairs to file */
};

fh_status fh_lexicon_new(fh_lexicon **out, fh_error *err)
{
    fh_lexicon *lex = calloc(1, sizeof *lex);
    if (lex == NULL || (lex->seen = calloc(SEEN_SLOTS, sizeof *lex->seen)) == NULL) {
        free(lex);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    *out = lex;
    return FH_OK;
}

void fh_lexicon_free(fh_lexicon *lex)
{
    if (lex == NULL)
        return;
    free(lex->seen);
    fh_buf_free(&lex->pending);
    free(lex);
}

/* Mark the word seen; 1 when it was new.  A full table starts over. */
static int first_sighting(fh_lexicon *lex, const char *w, size_t len)
{
    uint64_t h = fh_hash64(FH_HASH_SEED, w, len);
    h = h ? h : 1;
    if (lex->nseen >= SEEN_SLOTS / 2) {
        memset(lex->seen, 0, SEEN_SLOTS * sizeof *lex->seen);
        lex->nseen = 0;
    }
    size_t i = (size_t)h & (SEEN_SLOTS - 1);
    while (lex->seen[i] != 0) {
        if (lex->seen[i] == h)
            return 0;
        i = (i + 1) & (SEEN_SLOTS - 1);
    }
    lex->seen[i] = h;
    lex->nseen++;
    return 1;
}

fh_status fh_lexicon_note(fh_lexicon *lex, const fh_token *tok)
{
    if (!fh_token_is_name_like(tok) || !first_sighting(lex, tok->form, tok->form_len))
        return FH_OK;
    fh_namekeys keys;
    fh_name_keys(tok->form, tok->form_len, tok->script, &keys);
    for (size_t i = 0; i < keys.n; i++) {
        if (fh_buf_append_str(&lex->pending, FH_PREFIX_NAMEKEY) != FH_OK ||
            fh_buf_append(&lex->pending, keys.key[i], strlen(keys.key[i]) + 1) != FH_OK ||
            fh_buf_append(&lex->pending, tok->form, tok->form_len) != FH_OK ||
            fh_buf_append_char(&lex->pending, '\0') != FH_OK)
            return FH_ERR_NOMEM;
    }
    return FH_OK;
}

size_t fh_lexicon_pending_bytes(const fh_lexicon *lex)
{
    return lex->pending.len;
}

/* ---- filing the whole vocabulary again ---- */

/* The Latin words some document writes with a capital where no sentence
 * begins: the XC terms (terms.h). */
static fh_status note_capitalized(fh_lexicon *lex, fh_db *db, fh_error *err)
{
    fh_buf terms = FH_BUF_INIT;
    size_t n = 0;
    int more = 0;
    const size_t plen = strlen(FH_PREFIX_CAPITAL);
    fh_status st = fh_db_terms_with_prefix(db, FH_PREFIX_CAPITAL, plen, SIZE_MAX, &terms, &n,
                                           &more, err);
    const char *t = terms.data;
    for (size_t i = 0; st == FH_OK && i < n; i++, t += strlen(t) + 1) {
        const char *form = t + plen;
        fh_token tok = {0};
        tok.form = form;
        tok.form_len = strlen(form);
        tok.stem = form; /* name-likeness asks only that there be one */
        tok.stem_len = tok.form_len;
        tok.script = FH_SCRIPT_LATIN;
        tok.flags = FH_TOKEN_CAPITALIZED;
        if (fh_lexicon_note(lex, &tok) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    fh_buf_free(&terms);
    return st;
}

static int note_token(const fh_token *tok, void *ctx)
{
    return fh_lexicon_note(ctx, tok) != FH_OK;
}

/* The Arabic words of the vocabulary (their UTF-8 lead bytes are D8 to
 * DB), analyzed again to tell the name-like ones. */
static fh_status note_arabic(fh_lexicon *lex, fh_db *db, fh_analyzer *an, fh_error *err)
{
    fh_buf terms = FH_BUF_INIT;
    fh_status st = FH_OK;
    for (unsigned char lead = 0xD8; st == FH_OK && lead <= 0xDB; lead++) {
        size_t n = 0;
        int more = 0;
        const char prefix[1] = {(char)lead};
        fh_buf_reset(&terms);
        st = fh_db_terms_with_prefix(db, prefix, 1, SIZE_MAX, &terms, &n, &more, err);
        const char *t = terms.data;
        for (size_t i = 0; st == FH_OK && i < n; i++, t += strlen(t) + 1)
            st = fh_analyze(an, t, strlen(t), note_token, lex, err);
    }
    fh_buf_free(&terms);
    return st;
}

fh_status fh_lexicon_note_vocabulary(fh_lexicon *lex, fh_db *db, fh_analyzer *an, fh_error *err)
{
    fh_status st = note_capitalized(lex, db, err);
    return st == FH_OK ? note_arabic(lex, db, an, err) : st;
}

fh_status fh_lexicon_flush(fh_lexicon *lex, fh_db *db, fh_error *err)
{
    fh_status st = FH_OK;
    for (size_t at = 0; at < lex->pending.len && st == FH_OK;) {
        const char *key = lex->pending.data + at;
        const char *word = key + strlen(key) + 1;
        st = fh_db_add_synonym(db, key, word, err);
        at = (size_t)(word - lex->pending.data) + strlen(word) + 1;
    }
    if (st == FH_OK)
        fh_buf_reset(&lex->pending);
    return st;
}

static int listed(const fh_buf *list, size_t count, const char *w)
{
    const char *p = list->data;
    for (size_t i = 0; i < count; i++, p += strlen(p) + 1)
        if (strcmp(p, w) == 0)
            return 1;
    return 0;
}

/* Add the close candidates among the words filed under one key. */
/* Which candidates filed under a key are taken: a one-class key (علي, Ohio)
 * files ordinary words by the hundred, and serves only to find an Arabic
 * name no Arabic document holds in Latin letters (and to tell whether the
 * word itself is filed). */
typedef enum { TAKE_ALL, TAKE_LATIN, TAKE_NONE } take_mode;

static take_mode taken_from(const char *key, int arabic_name)
{
    return strlen(key) > 1 ? TAKE_ALL : arabic_name ? TAKE_LATIN : TAKE_NONE;
}

/* Candidates found close to a word: their spellings (NUL-separated) and
 * their distances from it (doubles, in the same order), each computed once. */
typedef struct {
    fh_buf text, dist;
    size_t n;
} found_list;

static double distance_at(const found_list *f, size_t i)
{
    double d;
    memcpy(&d, f->dist.data + i * sizeof d, sizeof d);
    return d;
}

static fh_status found_add(found_list *f, const char *c, size_t len, double d)
{
    if (fh_buf_append(&f->text, c, len + 1) != FH_OK ||
        fh_buf_append(&f->dist, (const char *)&d, sizeof d) != FH_OK)
        return FH_ERR_NOMEM;
    f->n++;
    return FH_OK;
}

static void found_free(found_list *f)
{
    fh_buf_free(&f->text);
    fh_buf_free(&f->dist);
}

static fh_status take_close(const char *word, size_t len, fh_script script, int arabic_name,
                            take_mode take, const fh_buf *cands, size_t ncands, found_list *out,
                            size_t *budget, int *filed)
{
    const char *c = cands->data;
    for (size_t i = 0; i < ncands; i++, c += strlen(c) + 1) {
        size_t clen = strlen(c);
        if (clen == len && memcmp(c, word, len) == 0) {
            *filed = 1;
            continue;
        }
        if (take == TAKE_NONE || (take == TAKE_LATIN && fh_name_script(c) != FH_SCRIPT_LATIN) ||
            *budget == 0 || listed(&out->text, out->n, c))
            continue;
        (*budget)--;
        int close = 0;
        double d = fh_name_query_compare(word, len, script, c, clen, fh_name_script(c),
                                         arabic_name, &close);
        if (!close && !(script == FH_SCRIPT_ARABIC && fh_name_script(c) == FH_SCRIPT_ARABIC &&
                        fh_name_vowels_reordered(word, len, c, clen)))
            continue;
        if (found_add(out, c, clen, d) != FH_OK)
            return FH_ERR_NOMEM;
    }
    return FH_OK;
}

fh_status fh_lexicon_capitalized(fh_db *db, const char *word, size_t len, int *mostly,
                                 fh_error *err)
{
    fh_buf term = FH_BUF_INIT;
    uint32_t df = 0, capital_df = 0;
    *mostly = 0;
    fh_status st = fh_term_capital(word, len, &term) == FH_OK
                       ? fh_db_term_freq(db, word, len, &df, err)
                       : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (st == FH_OK)
        st = fh_db_term_freq(db, term.data, term.len, &capital_df, err);
    *mostly = st == FH_OK && df > 0 && 2 * (uint64_t)capital_df >= df;
    fh_buf_free(&term);
    return st;
}

/* Drop from list the Latin words the documents mostly write in lower case:
 * ordinary words (Peace at the start of a quotation), not names. */
static fh_status drop_lower_case(fh_db *db, found_list *list, fh_error *err)
{
    found_list kept = {FH_BUF_INIT, FH_BUF_INIT, 0};
    fh_status st = FH_OK;
    const char *c = list->text.data;
    for (size_t i = 0; i < list->n && st == FH_OK; i++, c += strlen(c) + 1) {
        int name = 1;
        if (fh_name_script(c) == FH_SCRIPT_LATIN)
            st = fh_lexicon_capitalized(db, c, strlen(c), &name, err);
        if (st == FH_OK && name && found_add(&kept, c, strlen(c), distance_at(list, i)) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    if (st == FH_OK) {
        found_free(list);
        *list = kept;
    } else {
        found_free(&kept);
    }
    return st;
}

/* Whether c is one of the count Arabic spellings in list with other
 * proclitics, long vowels or g letters. */
static int same_spelling_as_one_of(const char *c, const fh_buf *list, size_t count)
{
    const char *k = list->data;
    for (size_t i = 0; i < count; i++, k += strlen(k) + 1)
        if (fh_name_one_arabic_spelling_any_g(c, strlen(c), k, strlen(k)))
            return 1;
    return 0;
}

/* Keep the spellings in list (count of them) within the margin of the
 * closest in their script, and the Arabic ones that are one of them with
 * other proclitics, long vowels or g letters (غوغل kept, لغوغل and جوجل too)
 * or the word itself with other proclitics or long vowels, appended to out;
 * say whether the evidence is strong. */
static fh_status keep_closest(const char *word, size_t len, fh_script script, int arabic_name,
                              const found_list *found, fh_buf *out, size_t *kept, int *strong)
{
    const fh_buf *list = &found->text;
    const size_t count = found->n;
    /* the closest in each script: spellings across scripts differ more */
    double best[2] = {1e9, 1e9};
    const char *c = list->data;
    for (size_t i = 0; i < count; i++, c += strlen(c) + 1) {
        double d = distance_at(found, i);
        int latin = fh_name_script(c) == FH_SCRIPT_LATIN;
        best[latin] = d < best[latin] ? d : best[latin];
        /* another script, or another spelling that is more than the same
         * word with other proclitics (وأمر for لأمر is no evidence) */
        *strong |= fh_name_script(c) != script ||
                   (d <= 0.1 && !(script == FH_SCRIPT_ARABIC &&
                                  fh_name_same_core(word, len, c, strlen(c))));
    }
    *strong |= fh_name_skeleton_length(word, len, script) >= FH_NAME_LONG_SKELETON;
    size_t closest = 0;
    c = list->data;
    for (size_t i = 0; i < count; i++, c += strlen(c) + 1) {
        int latin = fh_name_script(c) == FH_SCRIPT_LATIN;
        if (distance_at(found, i) >
            best[latin] + (arabic_name && latin ? FH_ARABIC_NAME_MARGIN : FH_SPELLING_MARGIN))
            continue;
        if (fh_buf_append(out, c, strlen(c) + 1) != FH_OK)
            return FH_ERR_NOMEM;
        closest++;
    }
    *kept = closest;
    c = list->data;
    for (size_t i = 0; i < count; i++, c += strlen(c) + 1) {
        if (listed(out, *kept, c) || !(same_spelling_as_one_of(c, out, closest) ||
                                       fh_name_one_arabic_spelling(word, len, c, strlen(c))))
            continue;
        if (fh_buf_append(out, c, strlen(c) + 1) != FH_OK)
            return FH_ERR_NOMEM;
        (*kept)++;
    }
    return FH_OK;
}

static fh_status spellings_of(fh_db *db, const char *word, size_t len, fh_script script,
                              int arabic_name, fh_buf *out, size_t *count, int *filed,
                              int *strong, fh_error *err);

/* Two Arabic spellings of a name that read differently (موزارت, موتسارت)
 * meet through a Latin spelling that sounds the same as the word (Mozart):
 * append the Arabic spellings kept for each such Latin one in out. */
static fh_status add_through_latin(fh_db *db, const char *word, size_t len, int arabic_name,
                                   fh_buf *out, size_t *count, fh_error *err)
{
    fh_buf more = FH_BUF_INIT;
    fh_status st = FH_OK;
    const size_t n = *count;
    size_t at = 0; /* an offset: out grows, and may move, as spellings are added */
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        const char *latin = out->data + at;
        size_t llen = strlen(latin), nmore = 0;
        int filed, strong;
        at += llen + 1;
        if (fh_name_script(latin) != FH_SCRIPT_LATIN ||
            !(arabic_name ? fh_name_arabic_sounds_same(word, len, latin, llen)
                          : fh_name_sounds_same(word, len, FH_SCRIPT_ARABIC, latin, llen,
                                                FH_SCRIPT_LATIN)))
            continue;
        fh_buf_reset(&more);
        st = spellings_of(db, latin, llen, FH_SCRIPT_LATIN, 0, &more, &nmore, &filed, &strong,
                          err);
        for (const char *a = more.data; st == FH_OK && nmore-- > 0; a += strlen(a) + 1) {
            if (fh_name_script(a) != FH_SCRIPT_ARABIC || listed(out, *count, a) ||
                (strlen(a) == len && memcmp(a, word, len) == 0))
                continue;
            if (fh_buf_append(out, a, strlen(a) + 1) != FH_OK)
                st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
            else
                (*count)++;
        }
    }
    fh_buf_free(&more);
    return st;
}

fh_status fh_lexicon_spellings(fh_db *db, const char *word, size_t len, fh_script script,
                               int arabic_name, fh_buf *out, size_t *count, int *filed,
                               int *strong, fh_error *err)
{
    fh_status st = spellings_of(db, word, len, script, arabic_name, out, count, filed, strong, err);
    if (st == FH_OK && script == FH_SCRIPT_ARABIC)
        st = add_through_latin(db, word, len, arabic_name, out, count, err);
    return st;
}

static fh_status spellings_of(fh_db *db, const char *word, size_t len, fh_script script,
                              int arabic_name, fh_buf *out, size_t *count, int *filed,
                              int *strong, fh_error *err)
{
    *count = 0;
    *filed = 0;
    *strong = 0;
    found_list all = {FH_BUF_INIT, FH_BUF_INIT, 0};
    size_t budget = FH_LEXICON_COMPARED;
    fh_namekeys keys;
    fh_name_keys(word, len, script, &keys);
    fh_buf cands = FH_BUF_INIT, key = FH_BUF_INIT;
    fh_status st = FH_OK;
    for (size_t i = 0; i < keys.n && st == FH_OK; i++) {
        size_t ncands = 0;
        fh_buf_reset(&cands);
        fh_buf_reset(&key);
        if (fh_buf_printf(&key, "%s%s", FH_PREFIX_NAMEKEY, keys.key[i]) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        if (st == FH_OK)
            st = fh_db_synonyms(db, key.data, &cands, &ncands, err);
        if (st == FH_OK &&
            take_close(word, len, script, arabic_name, taken_from(keys.key[i], arabic_name),
                       &cands, ncands, &all, &budget, filed) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    if (st == FH_OK)
        st = drop_lower_case(db, &all, err);
    if (st == FH_OK &&
        keep_closest(word, len, script, arabic_name, &all, out, count, strong) != FH_OK)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    found_free(&all);
    fh_buf_free(&cands);
    fh_buf_free(&key);
    return st;
}

/* ---- completions across scripts ---- */

enum { COMPLETE_KEYS = 64, COMPLETE_MIN_LETTERS = 3, COMPLETE_MIN_CUT = 2 };

/* A completion begins as the prefix sounds with its proclitics, if any
 * (Zuck offers no السوق: ال, سوق), within a distance that grows with the
 * prefix as the distance between spellings of a name does. */
static double complete_max_distance(size_t letters)
{
    return letters < 6 ? 0.2 : 0.35;
}

/* How far the word c, in the other script, begins from the prefix
 * (fh_name_begins_like); limit when no beginning of it is close. */
static double begins_like(const char *prefix, size_t len, fh_script script, const char *c,
                          double limit)
{
    int close = 0;
    double d = fh_name_begins_like(prefix, len, script, c, strlen(c), fh_name_script(c), &close);
    return close && d < limit ? d : limit;
}

typedef struct {
    const char *word;
    double distance;
    uint32_t docs;
} completion;

/* The closest first, then the most frequent, then in byte order. */
static int by_closeness(const void *a, const void *b)
{
    const completion *x = a, *y = b;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    if (x->docs != y->docs)
        return x->docs < y->docs ? 1 : -1;
    return strcmp(x->word, y->word);
}

/* Append to words (NUL-separated, *n of them) the words in the other script
 * filed under the keys in keys (NUL-separated, nkeys) that begin as the
 * prefix sounds, once each. */
static fh_status gather_completions(fh_db *db, const char *prefix, size_t len, fh_script script,
                                    double limit, const fh_buf *keys, size_t nkeys,
                                    fh_buf *words, size_t *n, fh_error *err)
{
    fh_buf cands = FH_BUF_INIT;
    fh_status st = FH_OK;
    const char *k = keys->data;
    for (size_t i = 0; i < nkeys && st == FH_OK; i++, k += strlen(k) + 1) {
        size_t ncands = 0;
        fh_buf_reset(&cands);
        st = fh_db_synonyms(db, k, &cands, &ncands, err);
        const char *c = cands.data;
        for (size_t j = 0; st == FH_OK && j < ncands; j++, c += strlen(c) + 1) {
            if (fh_name_script(c) == script || listed(words, *n, c) ||
                begins_like(prefix, len, script, c, limit) >= limit)
                continue;
            if (fh_buf_append(words, c, strlen(c) + 1) != FH_OK)
                st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
            (*n)++;
        }
    }
    fh_buf_free(&cands);
    return st;
}

/* The keys of the synonym table that begin with the prefix's name keys, at
 * most COMPLETE_KEYS in all. */
static fh_status keys_begun(fh_db *db, const char *prefix, size_t len, fh_script script,
                            fh_buf *keys, size_t *nkeys, fh_error *err)
{
    fh_namekeys own;
    fh_name_keys(prefix, len, script, &own);
    fh_buf start = FH_BUF_INIT;
    fh_status st = FH_OK;
    for (size_t i = 0; i < own.n && st == FH_OK && *nkeys < COMPLETE_KEYS; i++) {
        size_t got = 0;
        int more = 0;
        fh_buf_reset(&start);
        if (strlen(own.key[i]) < FH_NAMEKEY_MIN_CLASSES)
            continue; /* a one-class key begins half the lexicon */
        if (fh_buf_printf(&start, "%s%s", FH_PREFIX_NAMEKEY, own.key[i]) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        else
            st = fh_db_synonym_keys_with_prefix(db, start.data, COMPLETE_KEYS - *nkeys, keys,
                                                &got, &more, err);
        *nkeys += got;
    }
    fh_buf_free(&start);
    return st;
}

fh_status fh_lexicon_complete(fh_db *db, const char *prefix, size_t len, size_t want,
                              fh_buf *out, size_t *count, fh_error *err)
{
    *count = 0;
    fh_script script = fh_name_script(prefix);
    const size_t letters = fh_utf8_count(prefix, len);
    if (want == 0 || letters < COMPLETE_MIN_LETTERS)
        return FH_OK;
    fh_buf keys = FH_BUF_INIT, words = FH_BUF_INIT;
    size_t nkeys = 0, nwords = 0;
    fh_status st = keys_begun(db, prefix, len, script, &keys, &nkeys, err);
    if (st == FH_OK)
        st = gather_completions(db, prefix, len, script, complete_max_distance(letters), &keys,
                                nkeys, &words, &nwords, err);
    completion *c = st == FH_OK && nwords ? calloc(nwords, sizeof *c) : NULL;
    if (st == FH_OK && nwords && c == NULL)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    const char *w = words.data;
    for (size_t i = 0; st == FH_OK && i < nwords; i++, w += strlen(w) + 1) {
        c[i].word = w;
        c[i].distance = begins_like(prefix, len, script, w, complete_max_distance(letters));
        st = fh_db_term_freq(db, w, strlen(w), &c[i].docs, err);
    }
    if (st == FH_OK && nwords)
        qsort(c, nwords, sizeof *c, by_closeness);
    for (size_t i = 0; st == FH_OK && i < nwords && *count < want && c[i].docs > 0; i++) {
        if (fh_buf_append(out, c[i].word, strlen(c[i].word) + 1) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        (*count)++;
    }
    free(c);
    fh_buf_free(&keys);
    fh_buf_free(&words);
    return st;
}
