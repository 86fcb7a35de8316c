/*
 * snippet.c - choosing and marking up the best passage (see snippet.h).
 */
#include "fihris/snippet.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/utf8.h"

typedef struct {
    size_t start, end; /* original bytes */
    int word;          /* matched query word, or -1 */
} span;

typedef struct {
    const fh_parsed_query *q;
    span *spans;
    size_t n, cap;
    int failed;
} collect_ctx;

/* One span per word position: variants and compound parts share the span
 * of the token that opened the position. */
static int on_token(const fh_token *tok, void *ctx)
{
    collect_ctx *c = ctx;
    int word = fh_query_match_token(c->q, tok);
    if (c->n > 0 && tok->start <= c->spans[c->n - 1].start) {
        /* several words from one original character (ﷺ): one span */
        span *last = &c->spans[c->n - 1];
        if (tok->end > last->end)
            last->end = tok->end;
        if (last->word < 0)
            last->word = word;
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
        }
        return 0;
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

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
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
                        fh_mark_style st, fh_buf *out)
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
    if (r == FH_OK && i + w < n)
        r = fh_buf_append_str(&tmp, " …");
    if (r == FH_OK)
        r = fh_buf_append(out, tmp.data ? tmp.data : "", tmp.len);
    fh_buf_free(&tmp);
    return r;
}

fh_status fh_snippet(fh_analyzer *an, const fh_parsed_query *q, const char *text, size_t len,
                     size_t max_words, fh_mark_style style, fh_buf *out, fh_error *err)
{
    if (len > FH_SNIPPET_SCAN_BYTES) {
        len = FH_SNIPPET_SCAN_BYTES;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* never cut a character */
    }
    collect_ctx c = {q, NULL, 0, 0, 0};
    fh_status st = fh_analyze(an, text, len, on_token, &c, err);
    if (st == FH_OK && c.failed)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory building a snippet");
    if (st == FH_OK && c.n > 0 && max_words > 0) {
        size_t w = c.n < max_words ? c.n : max_words;
        size_t i = best_window(c.spans, c.n, w);
        if (render(text, c.spans, i, w, c.n, style, out) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory building a snippet");
    }
    free(c.spans);
    return st;
}
