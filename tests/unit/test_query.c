/*
 * test_query.c - a read query: its words and their roles, its fields as
 * filters (date ranges to the day), and when it may fall back to any word.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
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
    fh_analyzer_free(an);
    return check_result();
}
