/*
 * test_query.c - a read query: its words and their roles, its fields as
 * filters (date ranges to the day), and when it may fall back to any word.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testfs.h"
#include "fihris/clock.h"
#include "fihris/query.h"
#include "fihris/terms.h"

static fh_analyzer *an;

static int parse(const char *text, fh_parsed_query *q)
{
    fh_error err;
    fh_status st = fh_query_parse(an, text, strlen(text), q, &err);
    CHECK_MSG(st == FH_OK, "%s: %s", text, err.message);
    return st == FH_OK;
}

/* date:value reads as the range [lo, hi] ("" for an open end). */
static void date_range(const char *value, const char *lo, const char *hi)
{
    char text[80];
    fh_parsed_query q;
    snprintf(text, sizeof text, "date:%s", value);
    if (!parse(text, &q))
        return;
    CHECK_MSG(q.root->kind == FH_QN_FILTER && q.root->term == NULL, "%s: not a date filter", text);
    CHECK_MSG(strcmp(q.root->date_lo, lo) == 0 && strcmp(q.root->date_hi, hi) == 0,
              "%s: [%s, %s], want [%s, %s]", text, q.root->date_lo, q.root->date_hi, lo, hi);
    fh_parsed_query_free(&q);
}

static void refused(const char *text, const char *want)
{
    fh_parsed_query q;
    fh_error err;
    fh_status st = fh_query_parse(an, text, strlen(text), &q, &err);
    CHECK_MSG(st == FH_ERR_INVALID, "%s: status %d", text, (int)st);
    if (st == FH_OK)
        fh_parsed_query_free(&q);
    else
        CHECK_MSG(strstr(err.message, want) && !strchr(err.message, '\n'),
                  "%s: message \"%s\" lacks \"%s\"", text, err.message, want);
}

static void dates(void)
{
    date_range("2025", "20250000", "20259999");
    date_range("2025-06", "20250600", "20250699");
    date_range("2025-06-15", "20250615", "20250615");
    date_range("2025-06..2025-08", "20250600", "20250899");
    date_range("2024..", "20240000", "");
    date_range("..2024-12", "", "20241299");
    date_range(">2025", "20260000", "");
    date_range(">2025-01-31", "20250132", ""); /* after the 31st: February, day known or not */
    date_range(">=2025-01-01", "20250101", "");
    date_range("<2025", "", "20249999");
    date_range("<2025-06", "", "20250599");
    date_range("<=2025-06", "", "20250699");
    refused("date:2025-13", "not a date");
    refused("date:2025-06-32", "not a date");
    refused("date:soon", "not a date");
    refused("date:25", "not a date");
    refused("date:2025-08..2025-06", "not a date");
    refused("date:..", "not a date");
    refused("date:>9999", "not a date"); /* no date after the last */
    refused("date:<0000", "not a date");
    refused("date:\"2025\nxx\"", "not a date"); /* one line, whatever was typed */
}

static void filter_term(const char *text, const char *term)
{
    fh_parsed_query q;
    if (!parse(text, &q))
        return;
    CHECK_MSG(q.root->kind == FH_QN_FILTER && q.root->term && strcmp(q.root->term, term) == 0,
              "%s: term %s, want %s", text, q.root->term ? q.root->term : "(none)", term);
    fh_parsed_query_free(&q);
}

static void fields(void)
{
    filter_term("source:Reuters", FH_PREFIX_SOURCE "reuters");
    filter_term("source:\"BBC Arabic\"", FH_PREFIX_SOURCE "bbc arabic");
    filter_term("lang:AR", FH_PREFIX_LANG "ar");
    filter_term("lang:arabic", FH_PREFIX_LANG "ar");
    filter_term("lang:العربية", FH_PREFIX_LANG "ar");
    filter_term("lang:english", FH_PREFIX_LANG "en");
    filter_term("id:Doc-1", FH_PREFIX_ID "Doc-1"); /* ids keep their case */
    fh_parsed_query q;
    if (parse("title:\"Scale AI\"", &q)) {
        CHECK(q.root->kind == FH_QN_WORDS && q.root->phrase && q.nwords == 2);
        CHECK(q.words[0].flags & FH_WORD_TITLE);
        CHECK(q.words[0].nstems == 0); /* the index keeps no title stems */
        fh_parsed_query_free(&q);
    }
}

static void words(void)
{
    fh_parsed_query q;
    if (parse("=الباحثين زوكر* \"مختبر* الذكاء\" -Tesla", &q)) {
        CHECK(q.nwords == 5);
        CHECK(q.words[0].flags == FH_WORD_EXACT_ONLY && q.words[0].nstems == 0 &&
              !q.words[0].maybe_name);
        CHECK(q.words[1].flags == FH_WORD_PREFIX && q.words[1].nstems == 0);
        CHECK(q.words[2].flags == (FH_WORD_EXACT_ONLY | FH_WORD_PREFIX)); /* asked for in a phrase */
        CHECK(q.words[3].flags == FH_WORD_EXACT_ONLY);
        CHECK(q.words[4].flags == FH_WORD_EXCLUDED && q.words[4].nstems == 1);
        CHECK(q.root->kind == FH_QN_AND_NOT && q.root->nkids == 2);
        /* each word knows the bytes it came from, to correct it in place */
        CHECK(q.words[4].b - q.words[4].a == 5 && memcmp("=الباحثين زوكر* \"مختبر* الذكاء\" -Tesla" +
                                                       q.words[4].a, "Tesla", 5) == 0);
        fh_parsed_query_free(&q);
    }
    if (parse("!!! ...", &q)) { /* punctuation only: nothing to match, a note */
        CHECK(q.root == NULL && q.nwords == 0 && q.syntax.notes.len > 0);
        fh_parsed_query_free(&q);
    }
    refused("!!! -Tesla", "only excludes");
    /* in a phrase a compound counts by its parts, which hold its positions */
    if (parse("\"Ching-Yao Chuang\" Ching-Yao", &q)) {
        CHECK(q.nwords == 4 && strcmp(q.words[0].text, "ching") == 0 &&
              strcmp(q.words[1].text, "yao") == 0 && strcmp(q.words[3].text, "ching-yao") == 0);
        fh_parsed_query_free(&q);
    }
    /* a language named as documents and users name it */
    filter_term("lang:ar-EG", FH_PREFIX_LANG "ar");
}

/* Queries with no word to search for read as matching nothing, with a
 * note, however they are written; a query excluding words is refused. */
static void nothing_to_search(void)
{
    static const char *const nothing[] = {
        "", " ", "*", "**", "*****", "()", "(())", "+", "-", "- -", "-+", "- +", "OR", "AND",
        "NOT", "NOT ...", "\"", "\"\"", "\" \"", "=", "(", ")", "NEAR", "title:", "!?.,;:",
        "ـــ", "\u064E\u064F\u0650", "«»", "- -...",
    };
    for (size_t i = 0; i < sizeof nothing / sizeof *nothing; i++) {
        fh_parsed_query q;
        if (!parse(nothing[i], &q))
            continue;
        CHECK_MSG(q.root == NULL && q.nwords == 0 && q.syntax.notes.data &&
                      strstr(q.syntax.notes.data, "no word to search for"),
                  "[%s] reads as something", nothing[i]);
        fh_parsed_query_free(&q);
    }
    refused("-Tesla", "only excludes");
    refused("NOT (a OR b)", "only excludes");
    refused("... -Tesla", "only excludes");
    refused("ميتا (-Tesla)", "only excludes");
}

static int falls_back(const char *text)
{
    fh_parsed_query q;
    if (!parse(text, &q))
        return -1;
    int yes = fh_query_can_fall_back(&q);
    fh_parsed_query_free(&q);
    return yes;
}

static void fallback(void)
{
    CHECK(falls_back("ميتا OpenAI") == 1);
    CHECK(falls_back("ميتا OpenAI -Tesla") == 1);
    CHECK(falls_back("ميتا AND OpenAI") == 0);  /* the user asked for both */
    CHECK(falls_back("+ميتا OpenAI") == 0);     /* one part left to be optional */
    CHECK(falls_back("+ميتا OpenAI Google") == 1);
    CHECK(falls_back("ميتا source:reuters") == 0); /* filters always hold */
    CHECK(falls_back("ميتا OR OpenAI") == 0);
    CHECK(falls_back("Meta،OpenAI") == 1);     /* one typed word, two index words */
}

/* How many of the word's expansions begin with prefix. */
static size_t count_begin(const fh_query_word *w, const char *prefix)
{
    size_t n = 0;
    for (size_t i = 0; i < w->nexact; i++)
        n += strncmp(w->exact[i], prefix, strlen(prefix)) == 0;
    return n;
}

/* All the prefixes of a query expand to FH_PREFIX_BUDGET words at most: the
 * most frequent, each prefix keeping its most frequent one at least.  ka*
 * words are in 3 documents, kb* in 2, kc* and kd* in 1. */
static void prefix_budget(void)
{
    enum { EACH = 450, FEW = 5 };
    char dir[] = "/tmp/fihris-test-query-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/db", dir);
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &db, NULL), FH_OK);
    for (int d = 0; d < 3 && db; d++) {
        fh_doc *doc = fh_doc_new();
        char t[16];
        for (int k = 0; k < EACH; k++) {
            for (int g = 0; g < 3; g++) {
                snprintf(t, sizeof t, "k%c%03d", "abc"[g], k);
                if (d < 3 - g)
                    CHECK_INT(fh_doc_add_term(doc, t, strlen(t), 1, NULL), FH_OK);
            }
            snprintf(t, sizeof t, "kd%03d", k);
            if (d == 0 && k < FEW)
                CHECK_INT(fh_doc_add_term(doc, t, strlen(t), 1, NULL), FH_OK);
        }
        snprintf(t, sizeof t, "Qd%d", d);
        CHECK_INT(fh_db_replace(db, t, doc, NULL), FH_OK);
        fh_doc_free(doc);
    }
    CHECK_INT(fh_db_commit(db, NULL), FH_OK);
    fh_db_close(db);
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);

    fh_parsed_query q;
    fh_query_limits lim;
    fh_error err;
    fh_query_limits_init(&lim);
    if (db && parse("kd* OR ka* OR kc* OR kb*", &q)) {
        CHECK_INT(fh_query_expand_prefixes(&q, db, &lim, &err), FH_OK);
        CHECK_INT(lim.prefix_words, 3 * EACH + FEW);
        CHECK_INT(lim.prefix_kept, FH_PREFIX_BUDGET);
        size_t total = 0;
        for (size_t i = 0; i < q.nwords; i++)
            total += q.words[i].nexact;
        CHECK_INT(total, FH_PREFIX_BUDGET);
        CHECK_INT(count_begin(&q.words[0], "kd"), 1);
        CHECK_INT(count_begin(&q.words[1], "ka"), EACH);
        CHECK_INT(count_begin(&q.words[2], "kc"), FH_PREFIX_BUDGET - 2 * EACH - 1);
        CHECK_INT(count_begin(&q.words[3], "kb"), EACH);
        CHECK_STR(q.words[1].exact[0], "ka000"); /* most frequent first, then bytewise */
        fh_parsed_query_free(&q);
    }
    /* within the budget nothing is left out */
    fh_query_limits_init(&lim);
    if (db && parse("ka* kd*", &q)) {
        CHECK_INT(fh_query_expand_prefixes(&q, db, &lim, &err), FH_OK);
        CHECK_INT(lim.prefix_words, EACH + FEW);
        CHECK_INT(lim.prefix_kept, EACH + FEW);
        CHECK_INT(q.words[0].nexact + q.words[1].nexact, EACH + FEW);
        fh_parsed_query_free(&q);
    }
    /* out of time: prefixes are searched as typed, and the limits say so */
    fh_query_limits_init(&lim);
    lim.until_ms = fh_clock_ms() - 1;
    if (db && parse("ka*", &q)) {
        CHECK_INT(fh_query_expand_prefixes(&q, db, &lim, &err), FH_OK);
        CHECK(lim.time_cut);
        CHECK(q.words[0].nexact == 1 && strcmp(q.words[0].exact[0], "ka") == 0);
        fh_parsed_query_free(&q);
    }
    fh_db_close(db);
    check_remove_tree(dir);
}

int main(void)
{
    fh_error err;
    if (fh_analyzer_new(&an, &err) != FH_OK) {
        fprintf(stderr, "analyzer: %s\n", err.message);
        return 1;
    }
    dates();
    fields();
    words();
    fallback();
    nothing_to_search();
    prefix_budget();
    fh_analyzer_free(an);
    return check_result();
}
