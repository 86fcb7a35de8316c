/*
 * test_docdata.c - stored fields: what is encoded decodes to the same
 * fields, databases written in the older JSON form still read, and damaged
 * data is refused without reading past its end.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fihris/docdata.h"

static void same(const char *field, const char *got, const char *want)
{
    if (want == NULL)
        CHECK_MSG(got == NULL, "%s: got \"%s\", want absent", field, got);
    else
        CHECK_MSG(got && strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", field,
                  got ? got : "(absent)", want);
}

static void round_trip(const fh_docdata *d)
{
    fh_buf data = FH_BUF_INIT;
    fh_error err;
    CHECK_INT(fh_docdata_encode(d, &data, &err), FH_OK);
    fh_stored s;
    CHECK_INT(fh_docdata_decode(data.data, data.len, &s, &err), FH_OK);
    same("id", s.id, d->id);
    same("title", s.title, d->title ? d->title : "");
    same("body", s.body, d->body ? d->body : "");
    CHECK_INT(s.title_len, d->title ? d->title_len : 0);
    CHECK_INT(s.body_len, d->body ? d->body_len : 0);
    same("url", s.url, d->url);
    same("date", s.date, d->date);
    same("source", s.source, d->source);
    same("lang", s.lang, d->lang);
    same("path", s.path, d->path);
    /* spans are bytes: NUL and 0xFF included */
    CHECK((s.title_spans == NULL) == (d->title_spans == NULL));
    CHECK((s.body_spans == NULL) == (d->body_spans == NULL));
    CHECK_INT(s.title_spans_len, d->title_spans_len);
    CHECK_INT(s.body_spans_len, d->body_spans_len);
    if (d->body_spans)
        CHECK(memcmp(s.body_spans, d->body_spans, d->body_spans_len) == 0);
    if (d->title_spans)
        CHECK(memcmp(s.title_spans, d->title_spans, d->title_spans_len) == 0);
    CHECK((s.extra == NULL) == (d->extra == NULL));
    if (d->extra)
        CHECK(s.extra_len == d->extra_len && memcmp(s.extra, d->extra, d->extra_len) == 0);
    fh_stored_free(&s);
    fh_buf_free(&data);
}

static void round_trips(void)
{
    const char *title = "مارك زوكربيرغ يعرض خطته";
    const char *body = "سر الصفقة المليارية التي جذبت أندرو تولوش إلى عالم Meta.";
    round_trip(&(fh_docdata){"a1", title, strlen(title), body, strlen(body),
                             "https://example.org/a1", "2025-08-29", "Reuters", "ar",
                             "corpus/a1.txt", NULL, NULL, 0, 0, NULL, 0});
    round_trip(&(fh_docdata){"a2", NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0});
    round_trip(&(fh_docdata){"a3", title, strlen(title), body, strlen(body), NULL, NULL, NULL,
                             NULL, NULL, "\x01\x00\xff", "", 3, 0, NULL, 0});
    round_trip(&(fh_docdata){"", "", 0, "", 0, "", NULL, "", NULL, NULL, NULL, NULL, 0, 0, NULL, 0});
    /* bodies whose lengths take two and three bytes to write */
    for (size_t n = 100; n <= 200000; n *= 10) {
        char *big = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            big[i] = (char)('a' + i % 26);
        big[n] = '\0';
        round_trip(&(fh_docdata){"big", big, n, big, n, NULL, NULL, NULL, NULL, NULL, big, big, n, n, NULL, 0});
        free(big);
    }
}

static void older_json(void)
{
    const char *json = "{\"id\":\"a1\",\"title\":\"\\u0645\\u0627\\u0631\\u0643\","
                       "\"body\":\"line\\none\",\"date\":\"2025-08-29\",\"lang\":\"ar\"}";
    fh_stored s;
    fh_error err;
    CHECK_INT(fh_docdata_decode(json, strlen(json), &s, &err), FH_OK);
    same("id", s.id, "a1");
    same("title", s.title, "مارك");
    same("body", s.body, "line\none");
    same("date", s.date, "2025-08-29");
    same("url", s.url, NULL);
    fh_stored_free(&s);
}

static void refused(const char *data, size_t len, const char *what)
{
    fh_stored s;
    fh_error err;
    fh_status st = fh_docdata_decode(data, len, &s, &err);
    CHECK_MSG(st == FH_ERR_CORRUPT, "%s: status %d", what, (int)st);
    if (st == FH_OK)
        fh_stored_free(&s);
}

static void damaged(void)
{
    refused("", 0, "empty");
    refused("x", 1, "unknown format");
    refused("{\"id\":", 6, "cut JSON");
    refused("{\"title\":\"t\"}", 13, "JSON without an id");
    refused("\x01", 1, "no id");
    refused("\x01\x80", 2, "a length cut short");
    refused("\x01\x05" "ab", 4, "a field longer than the data");
    refused("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11, "a length past 64 bits");

    /* Every prefix of a real record either decodes (cut between fields:
     * those fields are absent) or is refused; none reads past its end. */
    const char *body = "نص المقال";
    fh_buf data = FH_BUF_INIT;
    CHECK_INT(fh_docdata_encode(&(fh_docdata){"a1", "t", 1, body, strlen(body), "u", "d", "s",
                                              "ar", "p", "\x02", "\x01\x02\x03", 1, 3,
                                              "{\"k\":1}", 7},
                                &data, NULL),
              FH_OK);
    for (size_t n = 0; n < data.len; n++) {
        char *cut = malloc(n ? n : 1); /* exactly n bytes: ASan sees any overread */
        memcpy(cut, data.data, n);
        fh_stored s;
        fh_status st = fh_docdata_decode(cut, n, &s, NULL);
        CHECK_MSG(st == FH_OK || st == FH_ERR_CORRUPT, "prefix %zu: status %d", n, (int)st);
        if (st == FH_OK) {
            CHECK(s.id && strcmp(s.id, "a1") == 0);
            fh_stored_free(&s);
        }
        free(cut);
    }
    fh_buf_free(&data);
}

static void invalid_utf8(void)
{
    fh_buf data = FH_BUF_INIT;
    fh_error err;
    CHECK_INT(fh_docdata_encode(&(fh_docdata){"a1", "bad \xff title", 11, "", 0, NULL, NULL,
                                              NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0},
                                &data, &err),
              FH_ERR_INVALID);
    CHECK(strstr(err.message, "UTF-8") != NULL);
    fh_buf_reset(&data);
    CHECK_INT(fh_docdata_encode(&(fh_docdata){"a1", "", 0, "", 0, NULL, NULL, NULL, NULL, NULL,
                                              NULL, NULL, 0, 0, "{\"k\":\"\xff\"}", 8},
                                &data, &err),
              FH_ERR_INVALID);
    fh_buf_free(&data);
}

/* The extra fields' JSON comes back as stored; a document without them is
 * stored as versions before them stored it, and what they stored reads
 * with no extra fields. */
static void extra_fields(void)
{
    const char *extra = "{\"author\":\"سارة\",\"tags\":[\"a\",{\"b\":1}]}";
    fh_docdata d = {"a1", "t", 1, "b", 1, NULL, NULL, NULL, NULL, NULL, "", "", 0, 0,
                    extra, strlen(extra)};
    round_trip(&d);
    fh_buf with = FH_BUF_INIT, without = FH_BUF_INIT;
    fh_error err;
    CHECK_INT(fh_docdata_encode(&d, &with, &err), FH_OK);
    fh_stored s;
    CHECK_INT(fh_docdata_decode(with.data, with.len, &s, &err), FH_OK);
    CHECK_INT(s.extra_len, strlen(extra));
    fh_stored_free(&s);
    d.extra = NULL;
    d.extra_len = 0;
    CHECK_INT(fh_docdata_encode(&d, &without, &err), FH_OK);
    /* the same bytes but the last field: "\x01" + 10 fields, then extra */
    CHECK(without.len < with.len && memcmp(with.data, without.data, without.len) == 0);
    CHECK_INT(fh_docdata_decode(without.data, without.len, &s, &err), FH_OK);
    CHECK(s.extra == NULL && s.extra_len == 0);
    same("title", s.title, "t");
    fh_stored_free(&s);
    fh_buf_free(&with);
    fh_buf_free(&without);
}

int main(void)
{
    round_trips();
    older_json();
    damaged();
    invalid_utf8();
    extra_fields();
    return check_result();
}
