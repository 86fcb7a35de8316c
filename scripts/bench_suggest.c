/*
 * bench_suggest.c - cost and hit rate of spelling suggestions: picks words
 * the index holds often (half Arabic, half English, with a fixed seed so
 * runs compare), misspells each by deleting, swapping, replacing or adding
 * one letter, then times fh_suggest_word on every misspelling (after one
 * warm-up pass) and counts how often it gives back the word misspelled.
 * Prints mean, p50, p99 and max in ms, and the hit rate.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/clock.h"
#include "fihris/db.h"
#include "fihris/suggest.h"
#include "fihris/utf8.h"

#include "bench_stats.h"

#define PROG "fihris-bench-suggest"

enum {
    MAX_LETTERS = 24,
    VOCAB_MAX = 4000000, /* terms read to pick words from */
    MAX_TRIES = 50       /* misspellings tried per word before giving it up */
};

typedef enum { ENGLISH, ARABIC } lang;

typedef struct {
    const char *db;
    size_t words;
    uint32_t min_docs, pick_docs;
    unsigned runs;
    uint64_t seed;
    int show;
} options;

/* One misspelling and the word it came from. */
typedef struct {
    char typo[MAX_LETTERS * 4 + 8];
    char word[MAX_LETTERS * 4 + 8];
    lang lang;
} sample;

typedef struct {
    char **items;
    size_t n, cap;
} word_list;

static const uint32_t ARABIC_LETTERS[] = {
    0x0621, 0x0624, 0x0626, 0x0627, 0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E,
    0x062F, 0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x0637, 0x0638, 0x0639,
    0x063A, 0x0641, 0x0642, 0x0643, 0x0644, 0x0645, 0x0646, 0x0647, 0x0648, 0x064A,
};
#define N_ARABIC (sizeof ARABIC_LETTERS / sizeof ARABIC_LETTERS[0])

static void usage(void)
{
    fprintf(stderr, "usage: " PROG " DB [--words N] [--min-docs N] [--pick-docs N] [--runs N]"
                    " [--seed N] [--show]\n");
}

/* xorshift64*: the bench's own generator, so picks do not depend on libc. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ULL;
}

static size_t random_below(uint64_t *state, size_t n)
{
    return (size_t)(next_random(state) % n);
}

static int is_arabic_letter(uint32_t c)
{
    for (size_t i = 0; i < N_ARABIC; i++)
        if (ARABIC_LETTERS[i] == c)
            return 1;
    return 0;
}

/* Decode a term of 4..MAX_LETTERS letters of one language into cp. */
static int decode(const char *s, uint32_t *cp, size_t *n, lang *l)
{
    size_t len = strlen(s), k = 0;
    int arabic = 0, latin = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += fh_utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (k == MAX_LETTERS)
            return 0;
        arabic |= is_arabic_letter(c);
        latin |= c >= 'a' && c <= 'z';
        if (!is_arabic_letter(c) && !(c >= 'a' && c <= 'z'))
            return 0;
        cp[k++] = c;
    }
    *n = k;
    *l = arabic ? ARABIC : ENGLISH;
    return k >= 4 && !(arabic && latin);
}

static void encode(const uint32_t *cp, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += fh_utf8_encode(cp[i], out + len);
    out[len] = '\0';
}

static uint32_t random_letter(uint64_t *rng, lang l)
{
    if (l == ARABIC)
        return ARABIC_LETTERS[random_below(rng, N_ARABIC)];
    return 'a' + (uint32_t)random_below(rng, 26);
}

/* One random edit of cp[0..n) into out; returns the new length. */
static size_t misspell(uint64_t *rng, const uint32_t *cp, size_t n, lang l, uint32_t *out)
{
    size_t at = random_below(rng, n);
    memcpy(out, cp, n * sizeof *cp);
    switch (random_below(rng, 4)) {
    case 0: /* a letter left out */
        memmove(out + at, out + at + 1, (n - at - 1) * sizeof *out);
        return n - 1;
    case 1: /* two letters swapped */
        at = at + 1 < n ? at : at - 1;
        out[at] = cp[at + 1];
        out[at + 1] = cp[at];
        return n;
    case 2: /* a wrong letter */
        out[at] = random_letter(rng, l);
        return n;
    default: /* a letter too many */
        memmove(out + at + 1, out + at, (n - at) * sizeof *out);
        out[at] = random_letter(rng, l);
        return n + 1;
    }
}

static int push_word(word_list *w, const char *s)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        char **items = realloc(w->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        w->items = items;
        w->cap = cap;
    }
    w->items[w->n] = strdup(s);
    return w->items[w->n] ? (int)(w->n++, 0) : -1;
}

static void free_words(word_list *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->items[i]);
    free(w->items);
}

/* The index words of one language held by at least pick_docs documents. */
static int collect_words(fh_db *db, uint32_t pick_docs, word_list *by_lang)
{
    fh_buf terms = FH_BUF_INIT;
    size_t count = 0;
    int more = 0;
    fh_error err;
    if (fh_db_terms_with_prefix(db, "", 0, VOCAB_MAX, &terms, &count, &more, &err) != FH_OK) {
        fprintf(stderr, PROG ": cannot list the vocabulary: %s\n", err.message);
        return -1;
    }
    const char *p = terms.data;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; p += strlen(p) + 1, i++) {
        uint32_t cp[MAX_LETTERS], docs = 0;
        size_t n;
        lang l;
        if (!decode(p, cp, &n, &l))
            continue;
        rc = fh_db_term_freq(db, p, strlen(p), &docs, &err) == FH_OK ? 0 : -1;
        if (rc == 0 && docs >= pick_docs)
            rc = push_word(&by_lang[l], p);
    }
    fh_buf_free(&terms);
    return rc;
}

/* A misspelling of word the index holds in fewer than min_docs documents:
 * the case suggestions are for.  Returns 0 on success. */
static int make_sample(fh_db *db, uint64_t *rng, const char *word, uint32_t min_docs,
                       sample *s)
{
    uint32_t cp[MAX_LETTERS], typo[MAX_LETTERS + 1];
    size_t n;
    lang l;
    if (!decode(word, cp, &n, &l))
        return -1;
    for (int t = 0; t < MAX_TRIES; t++) {
        size_t m = misspell(rng, cp, n, l, typo);
        encode(typo, m, s->typo);
        uint32_t docs = 0;
        if (strcmp(s->typo, word) != 0 &&
            fh_db_term_freq(db, s->typo, strlen(s->typo), &docs, NULL) == FH_OK &&
            docs < min_docs) {
            snprintf(s->word, sizeof s->word, "%s", word);
            s->lang = l;
            return 0;
        }
    }
    return -1;
}

/* Half the samples from each language, words drawn at random. */
static size_t make_samples(fh_db *db, const options *o, const word_list *by_lang,
                           sample *out)
{
    uint64_t rng = o->seed ? o->seed : 1;
    size_t k = 0;
    for (size_t i = 0; k < o->words && i < o->words * 4; i++) {
        const word_list *w = &by_lang[k % 2 ? ARABIC : ENGLISH];
        if (w->n == 0)
            w = &by_lang[k % 2 ? ENGLISH : ARABIC];
        if (w->n == 0)
            break;
        if (make_sample(db, &rng, w->items[random_below(&rng, w->n)], o->min_docs, &out[k]) == 0)
            k++;
    }
    return k;
}

typedef struct {
    size_t hits[2], others[2], nones[2], total[2];
} tally;

/* Times one suggestion; returns 0 on success. */
static int run_one(fh_db *db, const sample *s, uint32_t min_docs, fh_buf *out, double *ms,
                   tally *t, int show)
{
    uint32_t docs = 0;
    fh_error err;
    double t0 = fh_clock_ms();
    fh_status st = fh_suggest_word(db, s->typo, strlen(s->typo), min_docs, out, &docs, &err);
    *ms = fh_clock_ms() - t0;
    if (st != FH_OK) {
        fprintf(stderr, PROG ": suggesting for \"%s\": %s\n", s->typo, err.message);
        return -1;
    }
    if (t != NULL) {
        t->total[s->lang]++;
        if (strcmp(out->data, s->word) == 0)
            t->hits[s->lang]++;
        else if (out->len > 0)
            t->others[s->lang]++;
        else
            t->nones[s->lang]++;
    }
    if (show)
        printf("%s -> %s (%s, %u documents, %.3f ms)\n", s->typo, out->len ? out->data : "-",
               s->word, (unsigned)docs, *ms);
    return 0;
}

static void report(double *ms, size_t n, const tally *t)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ms[i];
    bench_sort(ms, n);
    printf("suggestions: %zu timed, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", n,
           sum / (double)n, bench_percentile(ms, n, 50), bench_percentile(ms, n, 99), ms[n - 1]);
    static const char *const names[2] = {"english", "arabic"};
    for (int l = 0; l < 2; l++) {
        size_t total = t->total[l] ? t->total[l] : 1;
        printf("%-8s %zu misspellings: %zu right (%.1f%%), %zu another word, %zu none\n",
               names[l], t->total[l], t->hits[l], 100.0 * (double)t->hits[l] / (double)total,
               t->others[l], t->nones[l]);
    }
    size_t all = t->total[0] + t->total[1], right = t->hits[0] + t->hits[1];
    printf("all      %zu misspellings: %zu right (%.1f%%)\n", all, right,
           all ? 100.0 * (double)right / (double)all : 0.0);
}

/* A warm-up pass, then timed passes; returns 0 on success. */
static int bench(fh_db *db, const sample *s, size_t n, const options *o)
{
    double *ms = malloc(n * o->runs * sizeof *ms);
    fh_buf out = FH_BUF_INIT;
    tally t;
    memset(&t, 0, sizeof t);
    int rc = ms ? 0 : -1;
    double dummy;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = run_one(db, &s[i], o->min_docs, &out, &dummy, NULL, 0);
    size_t k = 0;
    for (unsigned r = 0; rc == 0 && r < o->runs; r++)
        for (size_t i = 0; rc == 0 && i < n; i++, k++)
            rc = run_one(db, &s[i], o->min_docs, &out, &ms[k], r == 0 ? &t : NULL,
                         o->show && r == 0);
    if (rc == 0)
        report(ms, k, &t);
    fh_buf_free(&out);
    free(ms);
    return rc;
}

static int parse_number(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Sets the numeric option name to value; returns 0 on success. */
static int set_number(options *o, const char *name, const char *value)
{
    unsigned long v = 0;
    if (strcmp(name, "--words") == 0 && parse_number(value, 1, 100000, &v) == 0)
        o->words = v;
    else if (strcmp(name, "--min-docs") == 0 && parse_number(value, 0, 1000000, &v) == 0)
        o->min_docs = (uint32_t)v;
    else if (strcmp(name, "--pick-docs") == 0 && parse_number(value, 0, 1000000, &v) == 0)
        o->pick_docs = (uint32_t)v;
    else if (strcmp(name, "--runs") == 0 && parse_number(value, 1, 1000, &v) == 0)
        o->runs = (unsigned)v;
    else if (strcmp(name, "--seed") == 0 && parse_number(value, 0, (unsigned long)-1, &v) == 0)
        o->seed = v;
    else
        return -1;
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){NULL, 200, 3, 20, 1, 42, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--show") == 0)
            o->show = 1;
        else if (a[0] == '-' && (i + 1 >= argc || set_number(o, a, argv[++i]) != 0))
            return -1;
        else if (a[0] != '-' && o->db == NULL)
            o->db = a;
        else if (a[0] != '-')
            return -1;
    }
    return o->db ? 0 : -1;
}

static int run(fh_db *db, const options *o)
{
    word_list by_lang[2];
    memset(by_lang, 0, sizeof by_lang);
    sample *s = malloc(o->words * sizeof *s);
    int rc = s ? collect_words(db, o->pick_docs, by_lang) : -1;
    size_t n = rc == 0 ? make_samples(db, o, by_lang, s) : 0;
    if (rc == 0 && n == 0) {
        fprintf(stderr, PROG ": no words held by %u documents to misspell\n",
                (unsigned)o->pick_docs);
        rc = -1;
    }
    if (rc == 0) {
        printf("picked from %zu english and %zu arabic words held by %u+ documents; "
               "min_docs %u\n",
               by_lang[ENGLISH].n, by_lang[ARABIC].n, (unsigned)o->pick_docs,
               (unsigned)o->min_docs);
        rc = bench(db, s, n, o);
    }
    free_words(&by_lang[0]);
    free_words(&by_lang[1]);
    free(s);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_args(argc, argv, &o) != 0) {
        usage();
        return 2;
    }
    fh_db *db;
    fh_error err;
    if (fh_db_open(o.db, FH_DB_READ, &db, &err) != FH_OK) {
        fprintf(stderr, PROG ": cannot open the database %s: %s\n", o.db, err.message);
        return 2;
    }
    int rc = run(db, &o);
    fh_db_close(db);
    return rc == 0 ? 0 : 2;
}
