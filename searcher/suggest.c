/*
 * suggest.c - "did you mean" (see suggest.h): one-edit candidates generated
 * and looked up in the index, then, for long words, a bounded scan of the
 * index words sharing the word's first letters with a weighted
 * Damerau-Levenshtein distance that gives up as soon as it cannot win.
 */
#include "fihris/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/utf8.h"

enum {
    COST_EDIT = 2,     /* one ordinary edit, in half steps */
    COST_CONFUSED = 1, /* one Arabic letter written for a confusable one */
    FAR_COST = 4,      /* what the scan of long words accepts */
    SCAN_PREFIX = 2,   /* letters the scanned words share with the query word */
    SCAN_PREFIX_MAX = 4,
    SCAN_MAX_TERMS = 4000, /* index words read per prefix, to bound the cost */
    /* longest code point sequence compared; longer index words are skipped */
    MAX_CP = FH_SUGGEST_MAX_LETTERS + FAR_COST / COST_EDIT,
    NO_COST = 255
};

typedef enum { SCRIPT_NONE, SCRIPT_LATIN, SCRIPT_ARABIC } script;

typedef struct {
    uint32_t cp[MAX_CP];
    size_t n;
} word;

/* What the search in progress knows: the query word, the bar a candidate
 * must pass, and the best candidate so far (kept in the caller's buffer). */
typedef struct {
    fh_db *db;
    const word *w;
    script sc;
    uint32_t floor; /* fewest documents a candidate needs */
    fh_buf *best;
    unsigned best_cost; /* NO_COST while there is none */
    uint32_t best_docs;
    fh_error *err;
} hunt;

/* Letters a user can mean, per script: what normalization leaves, the
 * most frequent in text first, so that a budget of look-ups spends itself
 * on the likeliest edits. */
static const uint32_t LATIN_ALPHABET[] = {
    'e', 't', 'a', 'o', 'i', 'n', 's', 'h', 'r', 'd', 'l', 'c', 'u', 'm', 'w', 'f', 'g', 'y',
    'p', 'b', 'v', 'k', 'j', 'x', 'q', 'z',
    0xE9, 0xE8, 0xE0, 0xE1, 0xEA, 0xE7, 0xF1, 0xF3, 0xED, 0xFC, 0xF6, 0xE4, 0xE2, 0xEB, 0xEE,
    0xEF, 0xF4, 0xFA, 0xFB, /* é è à á ê ç ñ ó í ü ö ä â ë î ï ô ú û */
};

/* No آ أ إ ى: normalization folds them into ا and ي. */
static const uint32_t ARABIC_ALPHABET[] = {
    0x0627, 0x0644, 0x064A, 0x0645, 0x0648, 0x0646, 0x0647, 0x0631, 0x062A, 0x0628, 0x0639,
    0x062F, 0x0641, 0x0643, 0x0633, 0x0642, 0x062D, 0x062C, 0x0629, 0x0634, 0x0637, 0x0635,
    0x062E, 0x0632, 0x0630, 0x0636, 0x062B, 0x063A, 0x0638, 0x0621, 0x0626, 0x0624,
    /* ا ل ي م و ن ه ر ت ب ع د ف ك س ق ح ج ة ش ط ص خ ز ذ ض ث غ ظ ء ئ ؤ */
};

/* Pairs Arabic writers confuse, by sound or by shape. */
static const uint32_t CONFUSED[][2] = {
    {0x0636, 0x0638}, /* ض ظ */
    {0x0630, 0x0632}, /* ذ ز */
    {0x0633, 0x0635}, /* س ص */
    {0x062A, 0x0637}, /* ت ط */
    {0x0642, 0x0643}, /* ق ك */
    {0x062D, 0x0647}, /* ح ه */
    {0x0647, 0x0629}, /* ه ة */
    {0x062A, 0x0629}, /* ت ة */
    {0x0626, 0x064A}, /* ئ ي */
    {0x0624, 0x0648}, /* ؤ و */
    {0x0621, 0x0627}, /* ء ا */
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int is_latin_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) ||
           (c >= 0x0100 && c <= 0x024F) || (c >= 0x1E00 && c <= 0x1EFF);
}

/* Arabic letters only: no digits, marks, tatweel or punctuation. */
static int is_arabic_letter(uint32_t c)
{
    return (c >= 0x0620 && c <= 0x064A && c != 0x0640) || (c >= 0x066E && c <= 0x06D3) ||
           c == 0x06D5 || c == 0x06EE || c == 0x06EF || (c >= 0x06FA && c <= 0x06FF);
}

static script script_of(uint32_t c)
{
    if (is_latin_letter(c))
        return SCRIPT_LATIN;
    return is_arabic_letter(c) ? SCRIPT_ARABIC : SCRIPT_NONE;
}

/* Decode s into w when it is valid UTF-8 made of at most max letters of
 * one script; returns that script, else SCRIPT_NONE. */
static script decode_word(const char *s, size_t len, size_t max, word *w)
{
    if (len == 0 || len > max * 4 || fh_utf8_find_invalid(s, len) != len)
        return SCRIPT_NONE;
    const unsigned char *u = (const unsigned char *)s;
    script sc = SCRIPT_NONE;
    w->n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += fh_utf8_decode(u + i, len - i, &c);
        script cs = script_of(c);
        if (cs == SCRIPT_NONE || (sc != SCRIPT_NONE && cs != sc) || w->n == max)
            return SCRIPT_NONE;
        sc = cs;
        w->cp[w->n++] = c;
    }
    return sc;
}

static int confused(uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < COUNT(CONFUSED); i++)
        if ((CONFUSED[i][0] == a && CONFUSED[i][1] == b) ||
            (CONFUSED[i][0] == b && CONFUSED[i][1] == a))
            return 1;
    return 0;
}

static unsigned sub_cost(uint32_t a, uint32_t b)
{
    if (a == b)
        return 0;
    return confused(a, b) ? COST_CONFUSED : COST_EDIT;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

/* Weighted optimal-string-alignment distance between a and b, or limit + 1
 * as soon as it must exceed limit.  A row whose every cell exceeds limit
 * ends the count: later cells only grow from it, and a swap reaching back
 * two rows costs no less than the substitution that bounds this row. */
static unsigned distance(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                         unsigned limit)
{
    unsigned rows[3][MAX_CP + 1];
    unsigned *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (unsigned)j * COST_EDIT;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i * COST_EDIT;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= m; j++) {
            unsigned v = min3(prev[j] + COST_EDIT, cur[j - 1] + COST_EDIT,
                              prev[j - 1] + sub_cost(a[i - 1], b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + COST_EDIT < v)
                v = before[j - 2] + COST_EDIT;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > limit)
            return limit + 1;
        unsigned *spare = before;
        before = prev;
        prev = cur;
        cur = spare;
    }
    return prev[m] <= limit ? prev[m] : limit + 1;
}

/* Better than the best so far: cheaper, then held more, then bytewise first. */
static int beats(const hunt *h, const char *s, size_t len, unsigned cost, uint32_t docs)
{
    if (cost != h->best_cost)
        return cost < h->best_cost;
    if (docs != h->best_docs)
        return docs > h->best_docs;
    size_t n = len < h->best->len ? len : h->best->len;
    int c = memcmp(s, h->best->data, n);
    return c < 0 || (c == 0 && len < h->best->len);
}

/* Weigh one candidate index word s[0..len) at the given cost. */
static fh_status offer(hunt *h, const char *s, size_t len, unsigned cost)
{
    if (len == 0 || (s[0] >= 'A' && s[0] <= 'Z') || cost > h->best_cost)
        return FH_OK; /* prefixed side terms are no words */
    uint32_t docs = 0;
    fh_status st = fh_db_term_freq(h->db, s, len, &docs, h->err);
    if (st != FH_OK || docs < h->floor || !beats(h, s, len, cost, docs))
        return st;
    fh_buf_reset(h->best);
    if (fh_buf_append(h->best, s, len) != FH_OK)
        return fh_error_set(h->err, FH_ERR_NOMEM, "out of memory suggesting a word");
    h->best_cost = cost;
    h->best_docs = docs;
    return FH_OK;
}

static const uint32_t *alphabet(script sc, size_t *n)
{
    if (sc == SCRIPT_ARABIC) {
        *n = COUNT(ARABIC_ALPHABET);
        return ARABIC_ALPHABET;
    }
    *n = COUNT(LATIN_ALPHABET);
    return LATIN_ALPHABET;
}

/* One edit of the query word, to look up: its text, cost and how likely
 * it is (0 likeliest; see try_one_edit). */
typedef struct {
    char s[(FH_SUGGEST_MAX_LETTERS + 1) * 4];
    unsigned char len, cost;
    unsigned short rank;
    unsigned order; /* as made: equal ranks keep it */
} edit;

typedef struct {
    edit *e;
    size_t n, cap;
} edits;

static fh_status add_edit(edits *all, const uint32_t *cp, size_t n, unsigned cost,
                          unsigned rank)
{
    if (all->n == all->cap) {
        size_t cap = all->cap ? all->cap * 2 : 512;
        edit *grown = realloc(all->e, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        all->e = grown;
        all->cap = cap;
    }
    edit *e = &all->e[all->n];
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += fh_utf8_encode(cp[i], e->s + len);
    e->len = (unsigned char)len;
    e->cost = (unsigned char)cost;
    e->rank = (unsigned short)rank;
    e->order = (unsigned)all->n++;
    return FH_OK;
}

/* Each letter left out (of a doubled letter, once), and two neighbours
 * swapped: rank 0. */
static fh_status deletions_and_swaps(const word *w, edits *all)
{
    uint32_t c[MAX_CP];
    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && i < w->n; i++) {
        if (i > 0 && w->cp[i] == w->cp[i - 1])
            continue;
        memcpy(c, w->cp, i * sizeof *c);
        memcpy(c + i, w->cp + i + 1, (w->n - i - 1) * sizeof *c);
        st = add_edit(all, c, w->n - 1, COST_EDIT, 0);
    }
    for (size_t i = 0; st == FH_OK && i + 1 < w->n; i++) {
        if (w->cp[i] == w->cp[i + 1])
            continue;
        memcpy(c, w->cp, w->n * sizeof *c);
        c[i] = w->cp[i + 1];
        c[i + 1] = w->cp[i];
        st = add_edit(all, c, w->n, COST_EDIT, 0);
    }
    return st;
}

/* The letter a Latin letter with a diacritic is written without (é: e),
 * else the letter itself. */
static uint32_t bare_latin(uint32_t c)
{
    static const struct {
        uint32_t lo, hi;
        char bare;
    } ranges[] = {{0xE0, 0xE4, 'a'}, {0xE7, 0xE7, 'c'}, {0xE8, 0xEB, 'e'}, {0xEC, 0xEF, 'i'},
                  {0xF1, 0xF1, 'n'}, {0xF2, 0xF6, 'o'}, {0xF9, 0xFC, 'u'}};
    for (size_t i = 0; i < COUNT(ranges); i++)
        if (c >= ranges[i].lo && c <= ranges[i].hi)
            return (uint32_t)ranges[i].bare;
    return c;
}

/* Whether writing b for a is a slip users make all the time: a confused
 * Arabic letter, or a Latin letter with or without its diacritic. */
static int near_letter(uint32_t a, uint32_t b)
{
    return confused(a, b) || (a != b && bare_latin(a) == bare_latin(b));
}

/* Each letter replaced by every other (a near one at rank 0, else the rank
 * of the letter put in, plus one), and every letter put in at each place
 * (next to itself, once; a hamza, often left out, at rank 0). */
static fh_status substitutions_and_insertions(const word *w, script sc, edits *all)
{
    size_t na;
    const uint32_t *abc = alphabet(sc, &na);
    uint32_t c[MAX_CP];
    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && i <= w->n; i++) {
        for (size_t k = 0; st == FH_OK && k < na; k++) {
            if (i < w->n && abc[k] != w->cp[i]) {
                memcpy(c, w->cp, w->n * sizeof *c);
                c[i] = abc[k];
                st = add_edit(all, c, w->n, sub_cost(w->cp[i], abc[k]),
                              near_letter(w->cp[i], abc[k]) ? 0 : (unsigned)k + 1);
            }
            if (st == FH_OK && !(i > 0 && abc[k] == w->cp[i - 1])) {
                memcpy(c, w->cp, i * sizeof *c);
                c[i] = abc[k];
                memcpy(c + i + 1, w->cp + i, (w->n - i) * sizeof *c);
                st = add_edit(all, c, w->n + 1, COST_EDIT, abc[k] == 0x0621 ? 0 : (unsigned)k + 1);
            }
        }
    }
    return st;
}

static int by_rank(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Bytewise, so that look-ups walk the index in order (a cursor that moves
 * a little costs less than one that jumps). */
static int by_bytes(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Every edit of one letter: the FH_SUGGEST_LOOKUPS likeliest (deletions,
 * swaps and confusions, then substitutions and insertions of the most
 * frequent letters first) are looked up, in byte order. */
static fh_status try_one_edit(hunt *h)
{
    edits all = {NULL, 0, 0};
    fh_status st = deletions_and_swaps(h->w, &all);
    if (st == FH_OK)
        st = substitutions_and_insertions(h->w, h->sc, &all);
    if (st != FH_OK) {
        free(all.e);
        return fh_error_set(h->err, FH_ERR_NOMEM, "out of memory suggesting a word");
    }
    qsort(all.e, all.n, sizeof *all.e, by_rank);
    size_t n = all.n < FH_SUGGEST_LOOKUPS ? all.n : FH_SUGGEST_LOOKUPS;
    qsort(all.e, n, sizeof *all.e, by_bytes);
    for (size_t i = 0; i < n && st == FH_OK; i++)
        if (i == 0 || by_bytes(&all.e[i], &all.e[i - 1]) != 0 || all.e[i].cost < all.e[i - 1].cost)
            st = offer(h, all.e[i].s, all.e[i].len, all.e[i].cost);
    free(all.e);
    return st;
}

/* The index words beginning with the word's first letters, into list: the
 * prefix grows while it holds more words than one read may take. */
static fh_status list_neighbours(hunt *h, fh_buf *list, size_t *count)
{
    char prefix[SCAN_PREFIX_MAX * 4];
    size_t plen = 0, letters = 0;
    int more = 1;
    fh_status st = FH_OK;
    while (st == FH_OK && more && letters < SCAN_PREFIX_MAX && letters + 1 < h->w->n) {
        plen += fh_utf8_encode(h->w->cp[letters++], prefix + plen);
        if (letters < SCAN_PREFIX)
            continue;
        fh_buf_reset(list);
        st = fh_db_terms_with_prefix(h->db, prefix, plen, SCAN_MAX_TERMS, list, count, &more,
                                     h->err);
    }
    return st;
}

/* Compare one listed index word with the query word and offer it when it
 * is close enough to compete. */
static fh_status weigh_neighbour(hunt *h, const char *s, size_t len)
{
    word cand;
    const unsigned limit = h->best_cost < FAR_COST ? h->best_cost : FAR_COST;
    if (decode_word(s, len, MAX_CP, &cand) != h->sc)
        return FH_OK;
    size_t gap = cand.n > h->w->n ? cand.n - h->w->n : h->w->n - cand.n;
    if (gap * COST_EDIT > limit)
        return FH_OK;
    unsigned d = distance(h->w->cp, h->w->n, cand.cp, cand.n, limit);
    return d == 0 || d > limit ? FH_OK : offer(h, s, len, d);
}

static fh_status try_far(hunt *h)
{
    fh_buf list = FH_BUF_INIT;
    size_t count = 0;
    fh_status st = list_neighbours(h, &list, &count);
    const char *p = list.data;
    for (size_t i = 0; st == FH_OK && i < count; i++) {
        size_t len = strlen(p);
        st = weigh_neighbour(h, p, len);
        p += len + 1;
    }
    fh_buf_free(&list);
    return st;
}

/* Leave out empty, as a C string, with no count. */
static fh_status none(fh_buf *out, uint32_t *docs, fh_error *err)
{
    fh_buf_reset(out);
    *docs = 0;
    if (fh_buf_append(out, "", 0) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory suggesting a word");
    return FH_OK;
}

fh_status fh_suggest_word(fh_db *db, const char *form, size_t len, uint32_t min_docs,
                          fh_buf *out, uint32_t *docs, fh_error *err)
{
    if (db == NULL || out == NULL || docs == NULL || (form == NULL && len > 0))
        return fh_error_set(err, FH_ERR_INVALID, "fh_suggest_word: NULL argument");
    fh_status st = none(out, docs, err);
    word w;
    const script sc = st == FH_OK ? decode_word(form, len, FH_SUGGEST_MAX_LETTERS, &w)
                                  : SCRIPT_NONE;
    if (sc == SCRIPT_NONE || w.n < FH_SUGGEST_MIN_LETTERS)
        return st;
    uint32_t own = 0;
    st = fh_db_term_freq(db, form, len, &own, err);
    if (st != FH_OK || own >= min_docs)
        return st;
    /* own < min_docs here, so min_docs documents are also more than own. */
    hunt h = {db, &w, sc, min_docs, out, NO_COST, 0, err};
    st = try_one_edit(&h);
    if (st == FH_OK && w.n >= FH_SUGGEST_FAR_LETTERS)
        st = try_far(&h);
    if (st != FH_OK) {
        none(out, docs, NULL);
        return st;
    }
    *docs = h.best_docs;
    return FH_OK;
}
