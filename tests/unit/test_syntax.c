/*
 * test_syntax.c - the query language read into a tree: every operator and
 * field, and the best-effort readings of what users type by mistake.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fihris/syntax.h"

/* The query reads as want (fh_syntax_describe), with a note holding
 * want_note (NULL: no note at all). */
static void reads(const char *query, const char *want, const char *want_note)
{
    fh_syntax_tree t;
    fh_error err;
    fh_buf got = FH_BUF_INIT;
    fh_status st = fh_syntax_read(query, strlen(query), &t, &err);
    CHECK_MSG(st == FH_OK, "%s: %s", query, err.message);
    if (st != FH_OK)
        return;
    CHECK(fh_syntax_describe(&t, query, &got) == FH_OK && fh_buf_append_char(&got, 0) == FH_OK);
    CHECK_MSG(strcmp(got.data, want) == 0, "%s: got %s, want %s", query, got.data, want);
    const char *notes = t.notes.len ? t.notes.data : "";
    if (want_note == NULL)
        CHECK_MSG(t.notes.len == 0, "%s: unexpected note \"%.*s\"", query, (int)t.notes.len,
                  notes);
    else
        CHECK_MSG(t.notes.len > 0 && strstr(notes, want_note) != NULL,
                  "%s: note \"%.*s\" lacks \"%s\"", query, (int)t.notes.len, notes, want_note);
    fh_buf_free(&got);
    fh_syntax_free(&t);
}

/* The query is refused with a message holding want. */
static void refused(const char *query, size_t len, const char *want)
{
    fh_syntax_tree t;
    fh_error err;
    fh_status st = fh_syntax_read(query, len, &t, &err);
    CHECK_MSG(st == FH_ERR_INVALID, "%.*s: read, status %d", (int)len, query, (int)st);
    if (st == FH_OK)
        fh_syntax_free(&t);
    else
        CHECK_MSG(strstr(err.message, want) != NULL, "%.*s: message \"%s\" lacks \"%s\"",
                  (int)len, query, err.message, want);
}

static void operators(void)
{
    reads("زوكربيرغ Scale AI", "AND(word\"زوكربيرغ\", word\"Scale\", word\"AI\")", NULL);
    reads("ميتا AND OpenAI", "AND(word\"ميتا\", word\"OpenAI\")", NULL);
    reads("Meta OR ميتا", "OR(word\"Meta\", word\"ميتا\")", NULL);
    /* OR binds tighter than AND */
    reads("a b OR c", "AND(word\"a\", OR(word\"b\", word\"c\"))", NULL);
    reads("ماسك -Tesla", "AND_NOT(word\"ماسك\", word\"Tesla\")", NULL);
    reads("ماسك NOT Tesla NOT SpaceX",
          "AND_NOT(word\"ماسك\", word\"Tesla\", word\"SpaceX\")", NULL);
    reads("+ميتا OpenAI", "AND(+word\"ميتا\", word\"OpenAI\")", NULL);
    reads("(a AND b) c", "AND(AND(word\"a\", word\"b\"), word\"c\")", NULL);
    reads("+(a b) c", "AND(+AND(word\"a\", word\"b\"), word\"c\")", NULL);
    reads("(Meta OR ميتا) AND (OpenAI OR \"أوبن إيه آي\")",
          "AND(OR(word\"Meta\", word\"ميتا\"), OR(word\"OpenAI\", phrase\"أوبن إيه آي\"))", NULL);
    reads("a -(b OR c)", "AND_NOT(word\"a\", word\"b\", word\"c\")", NULL);
    reads("NOT NOT a", "word\"a\"", NULL);
    /* operators in lower case are words */
    reads("and or not", "AND(word\"and\", word\"or\", word\"not\")", NULL);
    /* a hyphen inside a word is part of it */
    reads("GPT-4", "word\"GPT-4\"", NULL);
}

static void phrases_and_near(void)
{
    reads("\"مختبرات الذكاء الفائق\"", "phrase\"مختبرات الذكاء الفائق\"", NULL);
    reads("«الذكاء الفائق» Meta", "AND(phrase\"الذكاء الفائق\", word\"Meta\")", NULL);
    reads("ميتا NEAR/5 زوكربيرغ", "NEAR/5(word\"ميتا\", word\"زوكربيرغ\")", NULL);
    reads("a NEAR b", "NEAR/10(word\"a\", word\"b\")", NULL);
    reads("a NEAR/3 b NEAR/3 c", "NEAR/3(word\"a\", word\"b\", word\"c\")", NULL);
    reads("a NEAR/5000 b", "NEAR/100(word\"a\", word\"b\")", "capped");
    reads("NEARBY", "word\"NEARBY\"", NULL);
}

static void fields_and_words(void)
{
    reads("title:ميتا", "title\"ميتا\"", NULL);
    reads("Source:reuters lang:ar", "AND(source\"reuters\", lang\"ar\")", NULL);
    reads("id:000_article", "id\"000_article\"", NULL);
    reads("date:2025-06..2025-08 ميتا", "AND(date\"2025-06..2025-08\", word\"ميتا\")", NULL);
    reads("date:>2025-01-01", "date\">2025-01-01\"", NULL);
    reads("title: \"Scale AI\"", "title\"Scale AI\"", NULL);
    reads("title: Meta", "title\"Meta\"", NULL);
    reads("http://example.com", "word\"http://example.com\"", NULL);
    reads("زوكر* Zucker*", "AND(word\"زوكر\"*, word\"Zucker\"*)", NULL);
    reads("=ميتا", "=word\"ميتا\"", NULL);
}

static void best_effort(void)
{
    reads("\"Scale AI", "phrase\"Scale AI\"", "unbalanced quote");
    reads("(Meta OR ميتا", "OR(word\"Meta\", word\"ميتا\")", "unbalanced (");
    reads("Meta) ميتا", "AND(word\"Meta\", word\"ميتا\")", "unbalanced )");
    reads("OR Meta", "word\"Meta\"", "OR with nothing before");
    reads("Meta OR", "word\"Meta\"", "OR with nothing after");
    reads("Meta NOT", "word\"Meta\"", "NOT or - with nothing after");
    reads("Meta AND", "word\"Meta\"", NULL);
    reads("title: Meta title:", "title\"Meta\"", "field with no value");
    reads("* Meta", "word\"Meta\"", "lone *");
    reads("Meta ()", "word\"Meta\"", NULL);
    /* direction marks and controls separate words as spaces do */
    reads("\xE2\x80\x8FMeta\xE2\x80\x8E\xE2\x81\xA7ميتا\xE2\x81\xA9",
          "AND(word\"Meta\", word\"ميتا\")", NULL);
}

static void refusals(void)
{
    /* nothing to search for reads as an empty tree (it matches nothing) */
    reads("", "", NULL);
    reads("   ", "", NULL);
    reads("AND OR NOT", "", "OR with nothing before");
    reads("**", "", "lone *");
    reads("(())", "", NULL);
    reads("- -", "AND(word\"-\", word\"-\")", NULL); /* words of no letter */
    reads("\"\"", "phrase\"\"", NULL); /* a phrase of no word: the analysis finds none */
    /* only exclusions: an empty AND wanted; the analysis refuses them if
     * they hold a word (query.c) */
    reads("-Tesla", "AND_NOT(AND(), word\"Tesla\")", NULL);
    reads("NOT (a OR b)", "AND_NOT(AND(), word\"a\", word\"b\")", NULL);
    char deep[200];
    memset(deep, '(', 100);
    memcpy(deep + 100, "a", 2);
    refused(deep, strlen(deep), "nested deeper");
}

/* Nothing a user can type crashes or hangs the reader: long and odd
 * inputs end, read or refused. */
static void robustness(void)
{
    const char *pieces[] = {"(", ")", "\"", "AND ", "OR ", "NOT ", "-", "+", "*", "=",
                            "title:", "NEAR/2 ", "ميتا ", "\xFF", "\xD9", " ", "«"};
    size_t npieces = sizeof pieces / sizeof pieces[0];
    char q[10001];
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        size_t len = 0, want = (size_t)(round % 50) * 20 + 1;
        while (len < want) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % npieces];
            size_t n = strlen(piece);
            if (len + n >= sizeof q)
                break;
            memcpy(q + len, piece, n);
            len += n;
        }
        fh_syntax_tree t;
        fh_error err;
        fh_status st = fh_syntax_read(q, len, &t, &err);
        CHECK_MSG(st == FH_OK || st == FH_ERR_INVALID, "round %d: status %d", round, (int)st);
        if (st == FH_OK)
            fh_syntax_free(&t);
    }
    memset(q, 'a', 10000);
    fh_syntax_tree t;
    fh_error err;
    CHECK(fh_syntax_read(q, 10000, &t, &err) == FH_OK);
    fh_syntax_free(&t);
}

/* The root's flags after reading query. */
static unsigned root_flags(const char *query)
{
    fh_syntax_tree t;
    fh_error err;
    if (fh_syntax_read(query, strlen(query), &t, &err) != FH_OK)
        return ~0u;
    unsigned flags = t.root->flags;
    fh_syntax_free(&t);
    return flags;
}

/* An AND the user wrote is strict (no any-word fallback); one between
 * plain words is not; +part is required. */
static void strict_and_required(void)
{
    CHECK(root_flags("ميتا AND OpenAI") & FH_SYN_STRICT);
    CHECK(!(root_flags("ميتا OpenAI") & FH_SYN_STRICT));
    CHECK(root_flags("+ميتا") & FH_SYN_REQUIRED);
    CHECK(!(root_flags("ميتا") & FH_SYN_REQUIRED));
    /* a minus before a digit is a sign, not NOT */
    reads("-2025", "word\"-2025\"", NULL);
    reads("Meta NOT 2025", "AND_NOT(word\"Meta\", word\"2025\")", NULL);
}

int main(void)
{
    operators();
    strict_and_required();
    phrases_and_near();
    fields_and_words();
    best_effort();
    refusals();
    robustness();
    return check_result();
}
