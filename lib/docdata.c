/*
 * docdata.c - JSON encoding of stored document fields (see docdata.h).
 */
#include "fihris/docdata.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int set_string(json_t *obj, const char *key, const char *s, size_t len)
{
    if (s == NULL)
        return 0;
    json_t *v = json_stringn(s, len);
    return v == NULL || json_object_set_new(obj, key, v) != 0;
}

fh_status fh_docdata_encode(const fh_docdata *d, fh_buf *out, fh_error *err)
{
    json_t *obj = json_object();
    if (obj == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    const char *title = d->title ? d->title : "";
    const char *body = d->body ? d->body : "";
    int bad = set_string(obj, "id", d->id, d->id ? strlen(d->id) : 0) ||
              set_string(obj, "title", title, d->title ? d->title_len : 0) ||
              set_string(obj, "body", body, d->body ? d->body_len : 0);
    const char *keys[] = {"url", "date", "source", "lang", "path"};
    const char *vals[] = {d->url, d->date, d->source, d->lang, d->path};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !bad; i++)
        bad = set_string(obj, keys[i], vals[i], vals[i] ? strlen(vals[i]) : 0);
    char *text = bad ? NULL : json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (text == NULL)
        return fh_error_set(err, FH_ERR_INVALID, "cannot encode document %s (invalid UTF-8?)",
                            d->id ? d->id : "");
    fh_status st = fh_buf_append_str(out, text);
    free(text);
    return st == FH_OK ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

static char *dup_field(json_t *obj, const char *key, size_t *len)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return NULL;
    size_t n = json_string_length(v);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, json_string_value(v), n);
        s[n] = '\0';
        if (len)
            *len = n;
    }
    return s;
}

fh_status fh_docdata_decode(const char *data, size_t len, fh_stored *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *obj = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return fh_error_set(err, FH_ERR_CORRUPT, "stored document is not valid: %s", jerr.text);
    }
    out->id = dup_field(obj, "id", NULL);
    out->title = dup_field(obj, "title", &out->title_len);
    out->body = dup_field(obj, "body", &out->body_len);
    out->url = dup_field(obj, "url", NULL);
    out->date = dup_field(obj, "date", NULL);
    out->source = dup_field(obj, "source", NULL);
    out->lang = dup_field(obj, "lang", NULL);
    out->path = dup_field(obj, "path", NULL);
    json_decref(obj);
    if (out->title == NULL)
        out->title = calloc(1, 1);
    if (out->body == NULL)
        out->body = calloc(1, 1);
    if (out->id == NULL || out->title == NULL || out->body == NULL) {
        fh_stored_free(out);
        return fh_error_set(err, FH_ERR_CORRUPT, "stored document lacks an id");
    }
    return FH_OK;
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
    memset(s, 0, sizeof *s);
}
