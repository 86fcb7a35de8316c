/*
 * test_snippet.c - the passage shown for a hit: around the words matched
 * (by exact form or stem), cut at words, marked, and "…" wherever the text
 * goes on, however long the text.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fihris/snippet.h"

static fh_analyzer *an;

/* filler(n): n words that match nothing, each followed by a space. */
static void filler(fh_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fh_buf_append_str(b, i % 2 ? "نص " : "filler ");
}

static char *snippet_of(const char *query, const char *text, size_t len, size_t words)
{
    fh_parsed_query q;
    fh_error err;
    CHECK_INT(fh_query_parse(an, query, strlen(query), &q, &err), FH_OK);
    fh_buf out = FH_BUF_INIT;
    CHECK_INT(fh_snippet(an, &q, text, len, words, FH_MARK_PLAIN, &out, &err), FH_OK);
    fh_parsed_query_free(&q);
    fh_buf_append_char(&out, '\0');
    return fh_buf_steal(&out);
}

static int ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n >= m && strcmp(s + n - m, end) == 0;
}

static void short_text(void)
{
    const char *text = "Andrew Tulloch joined Meta.";
    char *s = snippet_of("meta", text, strlen(text), 30);
    CHECK_STR(s, "Andrew Tulloch joined **Meta**");
    free(s);
    s = snippet_of("joining", text, strlen(text), 30); /* by stem */
    CHECK_STR(s, "Andrew Tulloch **joined** Meta");
    free(s);
}

/* A match early in a long text: the passage around it, "…" after it. */
static void long_text(void)
{
    fh_buf b = FH_BUF_INIT;
    filler(&b, 50);
    fh_buf_append_str(&b, "زوكربيرغ ");
    filler(&b, 200000);
    char *s = snippet_of("زوكربيرغ", b.data, b.len, 10);
    CHECK_MSG(strncmp(s, "… ", strlen("… ")) == 0 && ends_with(s, " …"), "%.200s", s);
    CHECK_MSG(strstr(s, "**زوكربيرغ**") != NULL, "%.200s", s);
    free(s);
    fh_buf_free(&b);
}

/* The passage holding every query word wins over earlier ones holding one,
 * wherever the pieces of the text are cut. */
static void every_word(void)
{
    fh_buf b = FH_BUF_INIT;
    fh_buf_append_str(&b, "Meta ");
    filler(&b, 3000);
    fh_buf_append_str(&b, "Meta hired Tulloch ");
    filler(&b, 3000);
    fh_buf_append_str(&b, "Tulloch");
    char *s = snippet_of("meta tulloch", b.data, b.len, 8);
    CHECK_MSG(strstr(s, "**Meta** hired **Tulloch**") != NULL, "%.300s", s);
    free(s);
    fh_buf_free(&b);

    /* the last word of a long text: no "…" after it */
    fh_buf e = FH_BUF_INIT;
    filler(&e, 5000);
    fh_buf_append_str(&e, "Tulloch");
    s = snippet_of("tulloch", e.data, e.len, 8);
    CHECK_MSG(ends_with(s, " **Tulloch**") && strncmp(s, "… ", strlen("… ")) == 0, "%.300s", s);
    free(s);
    fh_buf_free(&e);
}

int main(void)
{
    fh_error err;
    if (fh_analyzer_new(&an, &err) != FH_OK) {
        fprintf(stderr, "analyzer: %s\n", err.message);
        return 1;
    }
    short_text();
    long_text();
    every_word();
    fh_analyzer_free(an);
    return check_result();
}
