/*
 * test_snippet.c - the passage shown for a hit: around the words matched
 * (by exact form or stem), cut at words, marked, and "…" wherever the text
 * goes on, however long the text.  Every passage is made both ways, by
 * analyzing the text and from the tokens the indexer stores (spans.h), and
 * the two must be the same.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fihris/snippet.h"
#include "fihris/terms.h"

static fh_analyzer *an;

/* filler(n): n words that match nothing, each followed by a space. */
static void filler(fh_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fh_buf_append_str(b, i % 2 ? "نص " : "filler ");
}

/* The stored tokens of text, as the indexer makes them. */
static void spans_of(const char *text, size_t len, fh_spans_writer *sw)
{
    fh_error err;
    fh_doc *doc = fh_doc_new();
    *sw = (fh_spans_writer){FH_BUF_INIT, 0, 0};
    CHECK_INT(fh_index_text(an, doc, FH_ZONE_BODY, text, len, 0, NULL, NULL, sw, &err), FH_OK);
    fh_doc_free(doc);
}

static char *stored_snippet(const fh_parsed_query *q, const char *text, size_t len, size_t words)
{
    fh_spans_writer sw;
    spans_of(text, len, &sw);
    fh_word_keys keys;
    fh_word_keys_of(q, &keys);
    CHECK(keys.usable);
    fh_buf out = FH_BUF_INIT;
    fh_error err;
    CHECK_INT(fh_snippet_stored(q, &keys, text, len, sw.out.data ? sw.out.data : "", sw.out.len,
                                words, FH_MARK_PLAIN, &out, &err),
              FH_OK);
    fh_spans_writer_free(&sw);
    fh_word_keys_free(&keys);
    fh_buf_append_char(&out, '\0');
    return fh_buf_steal(&out);
}

static char *snippet_of(const char *query, const char *text, size_t len, size_t words)
{
    fh_parsed_query q;
    fh_error err;
    CHECK_INT(fh_query_parse(an, query, strlen(query), &q, &err), FH_OK);
    fh_buf out = FH_BUF_INIT;
    CHECK_INT(fh_snippet(an, &q, text, len, words, FH_MARK_PLAIN, &out, &err), FH_OK);
    fh_buf_append_char(&out, '\0');
    char *stored = stored_snippet(&q, text, len, words);
    CHECK_MSG(strcmp(stored, out.data) == 0, "query %s: analyzed \"%.300s\", stored \"%.300s\"",
              query, out.data, stored);
    free(stored);
    fh_parsed_query_free(&q);
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

/* Tokens that share a position or a character: compounds and their
 * pieces, dagger-alef spellings, a proclitic glued to a Latin word, a
 * possessive, several words from one character. */
static void shared_positions(void)
{
    static const struct {
        const char *query, *text, *want;
    } cases[] = {
        /* the first piece shares the whole's position: the whole is marked */
        {"gpt", "OpenAI released GPT-4 today.", "OpenAI released **GPT-4** today"},
        {"gpt-4", "OpenAI released GPT-4 today.", "OpenAI released **GPT-4** today"},
        {"4", "OpenAI released GPT-4 today.", "OpenAI released GPT-**4** today"},
        {"ذلك", "قال ذَٰلِكَ الكتاب", "قال **ذَٰلِكَ** الكتاب"},
        {"deepmind", "انضم وDeepMind إلى", "انضم و**DeepMind** إلى"},
        {"zuckerberg", "Mark Zuckerberg's plan", "Mark **Zuckerberg's** plan"},
        {"محمد", "قال محمد ﷺ ثم", "قال **محمد** ﷺ ثم"},
        {"الله", "قال محمد ﷺ ثم", "قال محمد **ﷺ** ثم"},
        {"mail", "write to a@b.org by e-mail", "write to a@b.org by e-**mail**"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = snippet_of(cases[i].query, cases[i].text, strlen(cases[i].text), 30);
        CHECK_MSG(strcmp(s, cases[i].want) == 0, "%s: got \"%s\"", cases[i].query, s);
        free(s);
    }
}

/* Stored tokens that do not fit the text are refused, never read past it. */
static void damaged_spans(void)
{
    const char *text = "Andrew Tulloch joined Meta.";
    fh_spans_writer sw;
    spans_of(text, strlen(text), &sw);
    fh_parsed_query q;
    fh_error err;
    CHECK_INT(fh_query_parse(an, "meta", 4, &q, &err), FH_OK);
    fh_word_keys keys;
    fh_word_keys_of(&q, &keys);
    /* every prefix cut inside a token, and the whole against a shorter text */
    for (size_t n = 1; n < sw.out.len; n++) {
        char *cut = malloc(n); /* exactly n bytes: ASan sees any overread */
        memcpy(cut, sw.out.data, n);
        fh_buf out = FH_BUF_INIT;
        fh_status st = fh_snippet_stored(&q, &keys, text, strlen(text), cut, n, 30,
                                         FH_MARK_PLAIN, &out, &err);
        CHECK_MSG(st == FH_OK || st == FH_ERR_CORRUPT, "prefix %zu: status %d", n, (int)st);
        fh_buf_free(&out);
        free(cut);
    }
    fh_buf out = FH_BUF_INIT;
    CHECK_INT(fh_snippet_stored(&q, &keys, text, 10, sw.out.data, sw.out.len, 30, FH_MARK_PLAIN,
                                &out, &err),
              FH_ERR_CORRUPT);
    fh_buf_free(&out);
    fh_word_keys_free(&keys);
    fh_parsed_query_free(&q);
    fh_spans_writer_free(&sw);
}

/* A query of many words (more keys than a scan would take: 50 words, each
 * with its form and stem) is matched from the stored tokens as from the
 * analyzed text, a token matching two words counting as the first. */
static void many_words(void)
{
    fh_buf q = FH_BUF_INIT, text = FH_BUF_INIT;
    fh_buf_append_str(&q, "running runs");
    for (int i = 0; i < 48; i++)
        fh_buf_printf(&q, " vord%c%c", 'a' + i / 26, 'a' + i % 26);
    fh_buf_append_str(&text, "Nothing here. ");
    filler(&text, 40);
    fh_buf_append_str(&text, " He runs and vordah, then vordbp. ");
    filler(&text, 40);
    char *s = snippet_of(q.data, text.data, text.len, 12);
    CHECK_MSG(strstr(s, "He **runs** and **vordah**, then **vordbp**") != NULL, "%.300s", s);
    free(s);
    fh_buf_free(&q);
    fh_buf_free(&text);
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
    shared_positions();
    damaged_spans();
    many_words();
    fh_analyzer_free(an);
    return check_result();
}
