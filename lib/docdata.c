/*
 * docdata.c - the stored fields of a document, in their binary form (see
 * docdata.h), and the JSON form of older databases.
 */
#include "fihris/docdata.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/utf8.h"

/* Fields in their stored order; new fields go at the end. */
enum { F_ID, F_TITLE, F_BODY, F_URL, F_DATE, F_SOURCE, F_LANG, F_PATH,
       F_TITLE_SPANS, F_BODY_SPANS, F_EXTRA, NFIELDS };
/* Fields before this one are UTF-8 text, and so is the extra fields' JSON;
 * the spans are bytes. */
enum { NTEXT = F_TITLE_SPANS };

static int is_text(int f)
{
    return f < NTEXT || f == F_EXTRA;
}

static fh_status put_field(fh_buf *out, const char *s, size_t len)
{
    /* len + 1: 0 says "absent" */
    fh_status st = fh_buf_append_varint(out, s ? (uint64_t)len + 1 : 0);
    return st == FH_OK && s && len ? fh_buf_append(out, s, len) : st;
}

fh_status fh_docdata_encode(const fh_docdata *d, fh_buf *out, fh_error *err)
{
    const char *v[NFIELDS] = {d->id, d->title ? d->title : "", d->body ? d->body : "", d->url,
                              d->date, d->source, d->lang, d->path, d->title_spans,
                              d->body_spans, d->extra};
    size_t len[NFIELDS];
    for (int f = 0; f < NTEXT; f++)
        len[f] = v[f] ? strlen(v[f]) : 0;
    len[F_TITLE] = d->title ? d->title_len : 0;
    len[F_BODY] = d->body ? d->body_len : 0;
    len[F_TITLE_SPANS] = d->title_spans_len;
    len[F_BODY_SPANS] = d->body_spans_len;
    len[F_EXTRA] = d->extra ? d->extra_len : 0;
    for (int f = 0; f < NFIELDS; f++)
        if (is_text(f) && v[f] && fh_utf8_find_invalid(v[f], len[f]) != len[f])
            return fh_error_set(err, FH_ERR_INVALID, "cannot store document %s: invalid UTF-8",
                                d->id ? d->id : "");
    /* the last field is left out when absent: the data is then what
     * versions before it wrote */
    const int n = d->extra ? NFIELDS : F_EXTRA;
    fh_status st = fh_buf_append_char(out, FH_DOCDATA_FORMAT);
    for (int f = 0; f < n && st == FH_OK; f++)
        st = put_field(out, v[f], len[f]);
    return st == FH_OK ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

/* ---- decoding ---- */

/* n bytes exactly: a stored field may hold NUL bytes, where strndup stops. */
static char *copy_of(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static char **field_slot(fh_stored *out, int f, size_t **len)
{
    char **slots[NFIELDS] = {&out->id,   &out->title,  &out->body,        &out->url,
                             &out->date, &out->source, &out->lang,        &out->path,
                             &out->title_spans,        &out->body_spans,
                             &out->extra};
    size_t *lens[NFIELDS] = {NULL, &out->title_len, &out->body_len, NULL, NULL, NULL, NULL,
                             NULL, &out->title_spans_len, &out->body_spans_len, &out->extra_len};
    *len = lens[f];
    return slots[f];
}

/* One field at *p (advanced past it): 1 present, 0 absent, -1 malformed. */
static int get_field(const unsigned char **p, const unsigned char *end, const char **s,
                     size_t *n)
{
    uint64_t x;
    if (fh_varint_read(p, end, &x) != 0)
        return -1;
    if (x == 0)
        return 0;
    if (x - 1 > (uint64_t)(end - *p))
        return -1;
    *s = (const char *)*p;
    *n = (size_t)(x - 1);
    *p += *n;
    return 1;
}

static fh_status decode_binary(const char *data, size_t len, fh_stored *out)
{
    const unsigned char *p = (const unsigned char *)data + 1, *end = p + len - 1;
    /* fields past the ones known here come from a later version: skipped */
    for (int f = 0; f < NFIELDS && p < end; f++) {
        const char *s;
        size_t n, *lenp;
        int r = get_field(&p, end, &s, &n);
        if (r < 0)
            return FH_ERR_CORRUPT;
        char **slot = field_slot(out, f, &lenp);
        if (r == 0)
            continue;
        if ((*slot = copy_of(s, n)) == NULL)
            return FH_ERR_NOMEM;
        if (lenp)
            *lenp = n;
    }
    return FH_OK;
}

/* Databases written before the binary format hold a JSON object. */
static char *dup_field(json_t *obj, const char *key, size_t *len)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return NULL;
    size_t n = json_string_length(v);
    if (len)
        *len = n;
    return copy_of(json_string_value(v), n);
}

static fh_status decode_json(const char *data, size_t len, fh_stored *out)
{
    static const char *const keys[NTEXT] = {"id", "title", "body", "url",
                                            "date", "source", "lang", "path"};
    json_t *obj = json_loadb(data, len, JSON_ALLOW_NUL, NULL);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return FH_ERR_CORRUPT;
    }
    for (int f = 0; f < NTEXT; f++) {
        size_t *lenp;
        char **slot = field_slot(out, f, &lenp);
        *slot = dup_field(obj, keys[f], lenp);
    }
    json_decref(obj);
    return FH_OK;
}

fh_status fh_docdata_decode(const char *data, size_t len, fh_stored *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    fh_status st = FH_ERR_CORRUPT;
    if (len > 0 && data[0] == FH_DOCDATA_FORMAT)
        st = decode_binary(data, len, out);
    else if (len > 0 && data[0] == '{')
        st = decode_json(data, len, out);
    if (st == FH_OK && out->title == NULL)
        out->title = calloc(1, 1);
    if (st == FH_OK && out->body == NULL)
        out->body = calloc(1, 1);
    if (st == FH_OK && (out->title == NULL || out->body == NULL))
        st = FH_ERR_NOMEM;
    if (st == FH_OK && out->id == NULL)
        st = FH_ERR_CORRUPT;
    if (st != FH_OK)
        fh_stored_free(out);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(err, st, "out of memory");
    return st == FH_OK ? FH_OK : fh_error_set(err, st, "stored document is not valid");
}

void fh_stored_free(fh_stored *s)
{
    free(s->id);
    free(s->title);
    free(s->body);
    free(s->url);
    free(s->date);
    free(s->source);
    free(s->lang);
    free(s->path);
    free(s->title_spans);
    free(s->body_spans);
    free(s->extra);
    memset(s, 0, sizeof *s);
}
