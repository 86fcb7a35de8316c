/*
 * snippet.c - choosing and marking up the best passage (see snippet.h).
 */
#include "fihris/snippet.h"

#include <stdlib.h>
#include <string.h>

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

/* One span per word position: variants and compound parts share the span
 * of the token that opened the position. */
static int on_piece_token(const fh_token *piece_tok, void *ctx)
{
    collect_ctx *c = ctx;
    fh_token at = *piece_tok;
    const fh_token *tok = &at;
    at.start += c->base;
    at.end += c->base;
    int word = fh_query_match_token(c->q, tok);
    if (c->n > 0 && tok->start <= c->spans[c->n - 1].start) {
        /* several words from one original character (ﷺ): one span */
        span *last = &c->spans[c->n - 1];
        if (tok->end > last->end)
            last->end = tok->end;
        if (last->word < 0) {
            last->word = word;
            note_progress(c);
        }
        return 0;
    }
    if (c->n > 0 && (tok->flags & (FH_TOKEN_VARIANT | FH_TOKEN_PART)) &&
        tok->start < c->spans[c->n - 1].end) {
        span *last = &c->spans[c->n - 1];
        if (last->word < 0 && word >= 0) {
            last->word = word;
            /* a part matched: mark only the part, not the whole compound */
            last->start = tok->start;
            last->end = tok->end;
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
    c->spans[c->n++] = (span){tok->start, tok->end, word};
    note_progress(c);
    return 0;
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

fh_status fh_snippet(fh_analyzer *an, const fh_parsed_query *q, const char *text, size_t len,
                     size_t max_words, fh_mark_style style, fh_buf *out, fh_error *err)
{
    int cut = 0;
    if (len > FH_SNIPPET_SCAN_BYTES) {
        len = FH_SNIPPET_SCAN_BYTES;
        cut = 1;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* never cut a character */
    }
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
    if (st == FH_OK && c.failed)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory building a snippet");
    if (st == FH_OK && c.n > 0 && max_words > 0) {
        size_t w = c.n < max_words ? c.n : max_words;
        size_t i = best_window(c.spans, c.n, w);
        if (render(text, c.spans, i, w, c.n, c.cut, style, out) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory building a snippet");
    }
    free(c.spans);
    return st;
}
