/*
 * snippet.c - choosing and marking up the best passage (see snippet.h).
 */
#include "fihris/snippet.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/spans.h"
#include "fihris/terms.h"
#include "fihris/utf8.h"

enum { FIRST_PIECE = 1024 };

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The end of the piece of text starting at `at`: the first white space at
 * least step bytes on (no word spans white space), or the end. */
static size_t piece_end(const char *text, size_t at, size_t len, size_t step)
{
    if (len - at <= step)
        return len;
    size_t end = at + step;
    while (end < len && !is_space_byte((unsigned char)text[end]))
        end++;
    return end;
}

typedef struct {
    size_t start, end; /* original bytes */
    int word;          /* matched query word, or -1 */
} span;

typedef struct {
    const fh_parsed_query *q;
    span *spans;
    size_t n, cap;
    size_t window;   /* words in the passage */
    size_t wanted;   /* query words that can match (not excluded) */
    size_t enough;   /* once n reaches this (0: not yet), the rest need not be read */
    size_t base;     /* offset in the text of the piece being analyzed */
    int failed, stopped;
    int cut;         /* the text goes on past the last span */
} collect_ctx;

static size_t words_wanted(const fh_parsed_query *q)
{
    size_t n = 0;
    for (size_t i = 0; i < q->nwords; i++)
        n += !(q->words[i].flags & FH_WORD_EXCLUDED);
    return n;
}

/* Whether the window of spans ending at the last one holds every wanted word. */
static int window_has_all(const collect_ctx *c)
{
    unsigned char seen[FH_QUERY_MAX_WORDS] = {0};
    size_t distinct = 0;
    for (size_t k = c->n, left = c->window; k > 0 && left > 0; k--, left--) {
        int word = c->spans[k - 1].word;
        if (word >= 0 && !seen[word]) {
            seen[word] = 1;
            distinct++;
        }
    }
    return distinct == c->wanted;
}

/* The first window holding every wanted word scores as high as any can on
 * distinct words: reading on only to fill a passage around it keeps long
 * documents cheap. */
static void note_progress(collect_ctx *c)
{
    if (c->enough == 0 && c->spans[c->n - 1].word >= 0 && window_has_all(c))
        c->enough = c->n + c->window;
}

/* Adds the word at [start, end) matching query word `word` (-1: none);
 * 1 when the passage is complete and reading can stop.  One span per word
 * position: words from one original character (ﷺ) share a span, and so do
 * the pieces of a compound (`inside`: a token that may lie within the
 * previous one), where a matching piece alone is marked. */
static int add_span(collect_ctx *c, size_t start, size_t end, int word, int inside)
{
    span *last = c->n > 0 ? &c->spans[c->n - 1] : NULL;
    if (last && start <= last->start) {
        if (end > last->end)
            last->end = end;
        if (last->word < 0) {
            last->word = word;
            note_progress(c);
        }
        return 0;
    }
    if (last && inside && start < last->end) {
        if (last->word < 0 && word >= 0) {
            *last = (span){start, end, word};
            note_progress(c);
        }
        return 0;
    }
    if (c->enough && c->n >= c->enough) {
        c->cut = c->stopped = 1;
        return 1;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        span *s = realloc(c->spans, cap * sizeof *s);
        if (s == NULL) {
            c->failed = 1;
            return 1;
        }
        c->spans = s;
        c->cap = cap;
    }
    c->spans[c->n++] = (span){start, end, word};
    note_progress(c);
    return 0;
}

static int on_piece_token(const fh_token *tok, void *ctx)
{
    collect_ctx *c = ctx;
    return add_span(c, c->base + tok->start, c->base + tok->end, fh_query_match_token(c->q, tok),
                    (tok->flags & (FH_TOKEN_VARIANT | FH_TOKEN_PART)) != 0);
}

/* Score of the window spans[i..i+w): distinct words first, then matches. */
static long window_score(const span *s, size_t i, size_t w)
{
    long matches = 0, distinct = 0;
    unsigned char seen[FH_QUERY_MAX_WORDS] = {0};
    for (size_t k = i; k < i + w; k++) {
        if (s[k].word < 0)
            continue;
        matches++;
        if (!seen[s[k].word]) {
            seen[s[k].word] = 1;
            distinct++;
        }
    }
    return distinct * 1000 + matches;
}

static size_t best_window(const span *s, size_t n, size_t w)
{
    if (n <= w)
        return 0;
    size_t best = 0;
    long best_score = -1;
    for (size_t k = 0; k < n; k++) {
        if (s[k].word < 0)
            continue;
        /* start a little before a match, so it has some context */
        size_t i = k > w / 4 ? k - w / 4 : 0;
        if (i + w > n)
            i = n - w;
        long score = window_score(s, i, w);
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

static const char *mark_open(fh_mark_style st)
{
    return st == FH_MARK_PLAIN ? "**" : st == FH_MARK_ANSI ? "\033[1m" : st == FH_MARK_HTML ? "<b>" : "";
}

static const char *mark_close(fh_mark_style st)
{
    return st == FH_MARK_PLAIN ? "**" : st == FH_MARK_ANSI ? "\033[0m" : st == FH_MARK_HTML ? "</b>" : "";
}


/* Copy text[a..b) with white space collapsed, controls dropped and, for
 * HTML, special characters escaped. */
static fh_status copy_text(fh_buf *out, const char *text, size_t a, size_t b, fh_mark_style st)
{
    fh_status r = FH_OK;
    for (size_t i = a; i < b && r == FH_OK; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_space_byte(c)) {
            if (out->len == 0 || out->data[out->len - 1] != ' ')
                r = fh_buf_append_char(out, ' ');
        } else if (c < 0x20 || c == 0x7F) {
            continue;
        } else if (st == FH_MARK_HTML && strchr("&<>\"'", c)) {
            r = fh_buf_append_str(out, c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                                       : c == '"' ? "&quot;" : "&#39;");
        } else {
            r = fh_buf_append_char(out, (char)c);
        }
    }
    return r;
}

static fh_status render(const char *text, const span *s, size_t i, size_t w, size_t n,
                        int cut, fh_mark_style st, fh_buf *out)
{
    fh_buf tmp = FH_BUF_INIT;
    fh_status r = i > 0 ? fh_buf_append_str(&tmp, "… ") : FH_OK;
    size_t at = s[i].start;
    for (size_t k = i; k < i + w && r == FH_OK; k++) {
        r = copy_text(&tmp, text, at, s[k].start, st);
        if (r == FH_OK && s[k].word >= 0)
            r = fh_buf_append_str(&tmp, mark_open(st));
        if (r == FH_OK)
            r = copy_text(&tmp, text, s[k].start, s[k].end, st);
        if (r == FH_OK && s[k].word >= 0)
            r = fh_buf_append_str(&tmp, mark_close(st));
        at = s[k].end;
    }
    if (r == FH_OK && (i + w < n || cut))
        r = fh_buf_append_str(&tmp, " …");
    if (r == FH_OK)
        r = fh_buf_append(out, tmp.data ? tmp.data : "", tmp.len);
    fh_buf_free(&tmp);
    return r;
}

/* The passage from the spans collected: appended to out. */
static fh_status finish(collect_ctx *c, const char *text, size_t max_words, fh_mark_style style,
                        fh_buf *out, fh_error *err)
{
    fh_status st = FH_OK;
    if (c->failed)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory building a snippet");
    if (st == FH_OK && c->n > 0 && max_words > 0) {
        size_t w = c->n < max_words ? c->n : max_words;
        size_t i = best_window(c->spans, c->n, w);
        if (render(text, c->spans, i, w, c->n, c->cut, style, out) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory building a snippet");
    }
    free(c->spans);
    return st;
}

/* The bytes text may be read up to; *cut when that leaves some out. */
static size_t scan_length(const char *text, size_t len, int *cut)
{
    *cut = len > FH_SNIPPET_SCAN_BYTES;
    if (!*cut)
        return len;
    len = FH_SNIPPET_SCAN_BYTES;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
        len--; /* never cut a character */
    return len;
}

fh_status fh_snippet(fh_analyzer *an, const fh_parsed_query *q, const char *text, size_t len,
                     size_t max_words, fh_mark_style style, fh_buf *out, fh_error *err)
{
    int cut;
    len = scan_length(text, len, &cut);
    collect_ctx c = {.q = q, .window = max_words, .wanted = words_wanted(q), .cut = cut};
    fh_status st = FH_OK;
    /* Pieces growing fourfold, so that a passage found early leaves the
     * rest of a long text unread (normalization included). */
    for (size_t at = 0, step = FIRST_PIECE; at < len && st == FH_OK && !c.stopped && !c.failed;
         step *= 4) {
        size_t end = piece_end(text, at, len, step);
        c.base = at;
        st = fh_analyze(an, text + at, end - at, on_piece_token, &c, err);
        at = end;
    }
    if (st != FH_OK) {
        free(c.spans);
        return st;
    }
    return finish(&c, text, max_words, style, out, err);
}

static int is_continuation(const char *text, size_t len, size_t at)
{
    return at < len && ((unsigned char)text[at] & 0xC0) == 0x80;
}

static int key_order(const fh_word_key *a, int is_stem, uint32_t key, int word)
{
    if (a->is_stem != is_stem)
        return a->is_stem < is_stem ? -1 : 1;
    if (a->key != key)
        return a->key < key ? -1 : 1;
    return (a->word > word) - (a->word < word);
}

/* The first query word whose form (or stem) has this key, or -1. */
static int find_key(const fh_word_keys *k, int is_stem, uint32_t key)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_order(&k->keys[mid], is_stem, key, -1) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k->n && k->keys[lo].is_stem == is_stem && k->keys[lo].key == key
               ? k->keys[lo].word : -1;
}

/* The query word a stored token matches, as fh_query_match_token would
 * tell from the token itself: the first in query order. */
static int key_match(const fh_word_keys *k, const fh_span *sp)
{
    int form = find_key(k, 0, sp->form_key);
    int stem = sp->has_stem ? find_key(k, 1, sp->stem_key) : -1;
    return form < 0 ? stem : stem < 0 || form < stem ? form : stem;
}

fh_status fh_snippet_stored(const fh_parsed_query *q, const fh_word_keys *keys, const char *text,
                            size_t len, const char *spans, size_t spans_len, size_t max_words,
                            fh_mark_style style, fh_buf *out, fh_error *err)
{
    int cut;
    len = scan_length(text, len, &cut);
    collect_ctx c = {.q = q, .window = max_words, .wanted = words_wanted(q), .cut = cut};
    fh_spans_reader r;
    fh_spans_reader_init(&r, spans, spans_len);
    fh_span sp;
    int got;
    while ((got = fh_spans_next(&r, &sp)) == 1) {
        if (sp.end > len || is_continuation(text, len, sp.start) ||
            is_continuation(text, len, sp.end)) {
            got = -1;
            break;
        }
        if (add_span(&c, sp.start, sp.end, key_match(keys, &sp), 1))
            break;
    }
    if (got < 0) {
        free(c.spans);
        return fh_error_set(err, FH_ERR_CORRUPT, "stored word spans do not fit the text");
    }
    return finish(&c, text, max_words, style, out, err);
}

/* ---- the keys of the query's words ---- */

static int by_key(const void *x, const void *y)
{
    const fh_word_key *a = x, *b = y;
    return key_order(a, b->is_stem, b->key, b->word);
}

static void add_keys(fh_word_keys *k, char *const *terms, size_t n, size_t skip, int word,
                     int is_stem)
{
    for (size_t t = 0; t < n; t++)
        k->keys[k->n++] = (fh_word_key){fh_span_key(terms[t] + skip, strlen(terms[t]) - skip),
                                        word, is_stem};
}

void fh_word_keys_of(const fh_parsed_query *q, fh_word_keys *out)
{
    size_t total = 0;
    for (size_t i = 0; i < q->nwords; i++)
        total += q->words[i].nexact + q->words[i].nspellings + q->words[i].nstems;
    out->n = 0;
    out->keys = malloc((total ? total : 1) * sizeof *out->keys);
    out->usable = out->keys != NULL;
    for (size_t i = 0; i < q->nwords && out->usable; i++) {
        const fh_query_word *w = &q->words[i];
        if (w->flags & FH_WORD_EXCLUDED)
            continue;
        add_keys(out, w->exact, w->nexact, 0, (int)i, 0);
        add_keys(out, w->spellings, w->nspellings, 0, (int)i, 0);
        add_keys(out, w->stems, w->nstems, strlen(FH_PREFIX_STEM), (int)i, 1);
    }
    if (out->usable)
        qsort(out->keys, out->n, sizeof *out->keys, by_key);
}

void fh_word_keys_free(fh_word_keys *k)
{
    free(k->keys);
    memset(k, 0, sizeof *k);
}
