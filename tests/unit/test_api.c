/*
 * test_api.c - libfihris as a program that embeds it sees it: linked with
 * the shared library and using only the public header.  Documents given by
 * their fields are checked as the JSONL reader checks them, deleted by id,
 * found, explained, read back and completed.
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
