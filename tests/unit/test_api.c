/*
 * test_api.c - libfihris as a program that embeds it sees it: linked with
 * the shared library and using only the public header.  Documents given by
 * their fields are checked as the JSONL reader checks them, documents given
 * as JSON read as it reads them (warnings told to the notice callback),
 * deleted by id, found, explained, read back and completed.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testfs.h"
#include "fihris/fihris.h"

static const char *const BODY1 = "أعلن مارك زوكربيرغ أن Meta ستستثمر في Scale AI.";
static const char *const BODY2 = "OpenAI released a new model; researchers tested it.";

static fh_writer *open_writer(const char *path)
{
    fh_writer *w = NULL;
    fh_error err;
    fh_status st = fh_writer_open(path, NULL, &w, &err); /* NULL: the defaults */
    CHECK_MSG(st == FH_OK, "%s", err.message);
    return w;
}

static void test_opts_defaults(void)
{
    fh_writer_opts o;
    memset(&o, 0xAB, sizeof o);
    fh_writer_opts_init(&o);
    CHECK_INT(o.batch_docs, 1000);
    CHECK_INT(o.batch_bytes, 32u * 1024u * 1024u);
    CHECK_INT(o.names, 1);
    CHECK(o.notice == NULL && o.notice_ctx == NULL);
}

/* A field that breaks the rules of a JSONL line is refused, naming it. */
static void refused(fh_writer *w, const char *id, const char *title, const char *body,
                    const char *date, const char *named)
{
    fh_error err;
    fh_status st = fh_writer_put_fields(w, id, title, body, NULL, date, NULL, NULL, &err);
    CHECK_INT(st, FH_ERR_INVALID);
    CHECK_MSG(st != FH_ERR_INVALID || strstr(err.message, named) != NULL,
              "message \"%s\" does not name %s", err.message, named);
}

static void test_put_fields(const char *path)
{
    fh_writer *w = open_writer(path);
    if (w == NULL)
        return;
    fh_error err;
    CHECK_INT(fh_writer_put_fields(w, "a1", "زوكربيرغ وScale AI", BODY1, "https://example.org/a1",
                                   "2025-08-29", "Reuters", "ar", &err),
              FH_OK);
    /* empty optional fields are absent, as in a JSONL line */
    CHECK_INT(fh_writer_put_fields(w, "b2", NULL, BODY2, "", "2024-02", "", "", &err), FH_OK);
    CHECK_INT(fh_writer_put_fields(w, "c3", "", "", NULL, "2024-02-29", NULL, NULL, &err), FH_OK);
    refused(w, NULL, "t", "b", NULL, "\"id\"");
    refused(w, "", "t", "b", NULL, "\"id\"");
    refused(w, "d4", "t", NULL, NULL, "\"body\"");
    refused(w, "d4", "bad \xC3", "b", NULL, "\"title\"");
    refused(w, "d4\xFF", "t", "b", NULL, "\"id\"");
    const char *bad_dates[] = {"2025-13", "2025-02-30", "2023-02-29", "yesterday",
                               "2025-8-29", "2025-08-29T10:00Z", "20250829"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++)
        refused(w, "d4", "t", "b", bad_dates[i], "\"date\"");
    /* the 64 MB of a JSONL line, title and body together */
    size_t half = FH_READER_MAX_BYTES / 2;
    char *title = malloc(half + 1), *body = malloc(half + 2);
    if (title && body) {
        memset(title, 'a', half);
        title[half] = '\0';
        memset(body, 'b', half + 1);
        body[half + 1] = '\0';
        refused(w, "d4", title, body, NULL, "exceed 64 MB");
    }
    free(title);
    free(body);
    CHECK_INT(fh_writer_commit(w, &err), FH_OK);
    fh_writer_counts c = fh_writer_get_counts(w);
    CHECK_INT(c.added, 3);
    fh_writer_close(w);
}

/* The notices a writer gives, one line each: "path|line|message". */
static void collect(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                    const char *message)
{
    fh_buf *b = ctx;
    CHECK_INT(kind, FH_NOTICE_WARNING);
    fh_buf_printf(b, "%s|%zu|%s\n", path ? path : "(null)", line, message);
}

/* The text of a JSON object refused with FH_ERR_INVALID, its message
 * holding said; no notice told. */
static void refused_json(fh_writer *w, const fh_buf *notices, const char *json,
                         const char *said)
{
    fh_error err;
    size_t before = notices->len;
    fh_status st = fh_writer_put_json(w, json, json ? strlen(json) : 0, &err);
    CHECK_INT(st, FH_ERR_INVALID);
    CHECK_MSG(st != FH_ERR_INVALID || strstr(err.message, said) != NULL,
              "message \"%s\" does not say %s", err.message, said);
    CHECK_INT(notices->len, before);
}

/* Extra fields too big to keep: one of 64 KB of text. */
static char *over_extra(void)
{
    size_t n = FH_READER_MAX_EXTRA_BYTES;
    char *json = malloc(n + 100);
    if (json == NULL)
        return NULL;
    int head = snprintf(json, 100, "{\"id\": \"j3\", \"body\": \"big\", \"blob\": \"");
    memset(json + head, 'x', n);
    strcpy(json + head + n, "\", \"small\": 1}");
    return json;
}

static const char *const J1 =
    "{\"id\": \"j1\", \"title\": \"خبر\", \"body\": \"نص الخبر عن Scale AI\", "
    "\"date\": \"2025-08-29T22:30:00+03:00\", \"tags\": [\"أخبار\", "
    "{\"n\": 1.5, \"deep\": [true, null, -2]}], \"meta\": {\"كاتب\": \"سارة\"}}";
static const char *const J1_EXTRA =
    "{\"tags\":[\"أخبار\",{\"n\":1.5,\"deep\":[true,null,-2]}],\"meta\":{\"كاتب\":\"سارة\"}}";

/* Documents as the text of a JSON object, read as a JSONL line is. */
static void test_put_json(const char *path)
{
    fh_buf notices = FH_BUF_INIT;
    fh_writer_opts o;
    fh_writer_opts_init(&o);
    o.notice = collect;
    o.notice_ctx = &notices;
    fh_writer *w = NULL;
    fh_error err;
    CHECK_INT(fh_writer_open(path, &o, &w, &err), FH_OK);
    if (w == NULL)
        return;
    CHECK_INT(fh_writer_put_json(w, J1, strlen(J1), &err), FH_OK);
    CHECK_INT(notices.len, 0);
    /* kept, with what the reader dropped told: a date it cannot read */
    const char *j2 = "\xEF\xBB\xBF {\"id\": \"j2\", \"body\": \"b\", \"date\": \"2025-13\"}";
    CHECK_INT(fh_writer_put_json(w, j2, strlen(j2), &err), FH_OK);
    CHECK_STR(notices.data ? notices.data : "", "j2|0|invalid date \"2025-13\"; ignored\n");
    fh_buf_reset(&notices);
    char *j3 = over_extra();
    if (j3) {
        CHECK_INT(fh_writer_put_json(w, j3, strlen(j3), &err), FH_OK);
        CHECK_STR(notices.data ? notices.data : "",
                  "j3|0|extra fields over 64 KB dropped (1: \"blob\")\n");
    }
    free(j3);
    fh_buf_reset(&notices);
    refused_json(w, &notices, "{\"id\": \"j4\", \"date\": \"x\"}", "missing string field \"body\"");
    refused_json(w, &notices, "{\"id\": \"\", \"body\": \"b\"}", "field \"id\" is empty");
    refused_json(w, &notices, "{\"id\": 4, \"body\": \"b\"}", "missing string field \"id\"");
    refused_json(w, &notices, "{\"id\": \"j4\", \"body\": ", "not JSON");
    refused_json(w, &notices, "[{\"id\": \"j4\", \"body\": \"b\"}]", "not a JSON object");
    refused_json(w, &notices, "\"j4\"", "not a JSON object");
    refused_json(w, &notices, " ", "not a JSON object");
    refused_json(w, &notices, NULL, "not a JSON object");
    size_t big = FH_READER_MAX_BYTES + 1;
    char *huge = malloc(big + 1);
    if (huge) {
        memset(huge, ' ', big);
        huge[0] = '{';
        huge[big] = '\0';
        refused_json(w, &notices, huge, "too long (over 64 MB of JSON text)");
    }
    free(huge);
    CHECK_INT(fh_writer_commit(w, &err), FH_OK);
    CHECK_INT(fh_writer_get_counts(w).added, 3);
    fh_writer_close(w);
    fh_buf_free(&notices);
    /* the same text again is left alone */
    if ((w = open_writer(path)) == NULL)
        return;
    CHECK_INT(fh_writer_put_json(w, J1, strlen(J1), &err), FH_OK);
    CHECK_INT(fh_writer_get_counts(w).unchanged, 1);
    fh_writer_close(w);
}

/* What test_put_json stored, read back. */
static void test_json_stored(const char *path)
{
    fh_searcher *s = NULL;
    fh_error err;
    CHECK_INT(fh_searcher_open(path, &s, &err), FH_OK);
    if (s == NULL)
        return;
    fh_stored d;
    CHECK_INT(fh_searcher_document(s, "j1", &d, &err), FH_OK);
    CHECK_STR(d.title, "خبر");
    CHECK_STR(d.date, "2025-08-29"); /* the day it names, the offset not applied */
    CHECK(d.extra != NULL && d.extra_len == strlen(J1_EXTRA));
    CHECK_STR(d.extra ? d.extra : "", J1_EXTRA);
    fh_stored_free(&d);
    CHECK_INT(fh_searcher_document(s, "j2", &d, &err), FH_OK);
    CHECK(d.date == NULL && d.extra == NULL && d.path == NULL);
    fh_stored_free(&d);
    CHECK_INT(fh_searcher_document(s, "j3", &d, &err), FH_OK);
    CHECK_STR(d.extra ? d.extra : "", "{\"small\":1}");
    fh_stored_free(&d);
    fh_searcher_close(s);
}

static void test_delete(const char *path)
{
    fh_writer *w = open_writer(path);
    if (w == NULL)
        return;
    fh_error err;
    /* the same document again is left alone */
    CHECK_INT(fh_writer_put_fields(w, "c3", NULL, "", NULL, "2024-02-29", NULL, NULL, &err), FH_OK);
    CHECK_INT(fh_writer_get_counts(w).unchanged, 1);
    int found = -1;
    CHECK_INT(fh_writer_delete(w, "c3", &found, &err), FH_OK);
    CHECK_INT(found, 1);
    CHECK_INT(fh_writer_delete(w, "nothing", &found, &err), FH_OK);
    CHECK_INT(found, 0);
    CHECK_INT(fh_writer_delete(w, "", &found, &err), FH_ERR_INVALID);
    /* added and deleted before any commit */
    CHECK_INT(fh_writer_put_fields(w, "e5", "", "temporary", NULL, NULL, NULL, NULL, &err), FH_OK);
    CHECK_INT(fh_writer_delete(w, "e5", &found, &err), FH_OK);
    CHECK_INT(found, 1);
    CHECK_INT(fh_writer_commit(w, &err), FH_OK);
    CHECK_INT(fh_writer_get_counts(w).deleted, 2);
    fh_writer_close(w);
}

static void test_search(fh_searcher *s)
{
    uint32_t docs = 0;
    fh_error err;
    CHECK_INT(fh_searcher_doc_count(s, &docs, &err), FH_OK);
    CHECK_INT(docs, 2); /* a1 and b2: c3 and e5 deleted */
    fh_search_request req;
    fh_search_request_init(&req);
    req.query = "زوكربيرغ";
    req.query_len = strlen(req.query);
    req.marks = FH_MARK_HTML;
    req.explain = 1;
    req.facets = 1;
    fh_search_result r;
    CHECK_INT(fh_search(s, &req, &r, &err), FH_OK);
    CHECK_INT(r.nhits, 1);
    if (r.nhits == 1) {
        CHECK_STR(r.hits[0].id, "a1");
        CHECK_STR(r.hits[0].url, "https://example.org/a1");
        CHECK_STR(r.hits[0].date, "2025-08-29");
        CHECK_STR(r.hits[0].source, "Reuters");
        CHECK_STR(r.hits[0].lang, "ar");
        CHECK(strstr(r.hits[0].snippet, "<b>زوكربيرغ</b>") != NULL);
        CHECK(r.hits[0].nwhy > 0);
        for (size_t k = 0; k < r.hits[0].nwhy; k++)
            CHECK(fh_search_result_word(&r, r.hits[0].why[k].word) != NULL);
    }
    CHECK_INT(fh_search_result_word_count(&r), 1);
    CHECK_STR(fh_search_result_word(&r, 0), "زوكربيرغ");
    CHECK(fh_search_result_word(&r, 1) == NULL);
    CHECK(r.counted && r.facets[FH_FACET_SOURCE].n == 1);
    fh_search_result_free(&r);

    req.query = "research";
    req.query_len = strlen(req.query);
    req.explain = 0;
    CHECK_INT(fh_search(s, &req, &r, &err), FH_OK);
    CHECK(r.nhits == 1 && strcmp(r.hits[0].id, "b2") == 0);
    CHECK(r.nhits == 1 && r.hits[0].url == NULL && r.hits[0].source == NULL);
    CHECK_INT(fh_search_result_word_count(&r), 0); /* words are kept with explain only */
    CHECK(fh_search_result_word(&r, 0) == NULL);
    fh_search_result_free(&r);
}

static void test_stored_and_complete(fh_searcher *s)
{
    fh_stored d;
    fh_error err;
    CHECK_INT(fh_searcher_document(s, "b2", &d, &err), FH_OK);
    CHECK_STR(d.body, BODY2);
    CHECK_STR(d.title, "");
    CHECK_STR(d.date, "2024-02");
    CHECK(d.url == NULL && d.source == NULL && d.path == NULL);
    CHECK_STR(d.lang, "en"); /* none given: the one it is written in */
    fh_stored_free(&d);
    CHECK_INT(fh_searcher_document(s, "c3", &d, &err), FH_ERR_NOT_FOUND);

    fh_buf words = FH_BUF_INIT;
    size_t n = 0;
    CHECK_INT(fh_searcher_complete(s, "resea", 5, 5, &words, &n, &err), FH_OK);
    CHECK(n >= 1);
    if (n >= 1)
        CHECK_STR(words.data, "researchers");
    fh_buf_free(&words);
}

int main(void)
{
    char dir[] = "/tmp/fihris-test-api-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/db", dir);
    test_opts_defaults();
    test_put_fields(path);
    test_delete(path);
    char json_path[600];
    snprintf(json_path, sizeof json_path, "%s/json", dir);
    test_put_json(json_path);
    test_json_stored(json_path);
    fh_searcher *s = NULL;
    fh_error err;
    CHECK_INT(fh_searcher_open(path, &s, &err), FH_OK);
    if (s != NULL) {
        test_search(s);
        test_stored_and_complete(s);
        fh_searcher_close(s);
    }
    check_remove_tree(dir);
    return check_result();
}
