/*
 * reqlog.c - searchd's request log lines, text and JSON (see reqlog.h).
 */
#include "fihris/reqlog.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fihris/utf8.h"

void fh_log_time(char *out, size_t size)
{
    struct timespec now;
    struct tm t;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &t);
    size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &t);
    snprintf(out + n, size - n, ".%03ldZ", now.tv_nsec / 1000000L);
}

fh_status fh_log_printable(fh_buf *out, const char *s)
{
    const size_t len = strlen(s);
    fh_status st = FH_OK;
    for (size_t i = 0; i < len && st == FH_OK;) {
        uint32_t cp;
        size_t n = fh_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        int shown = fh_utf8_find_invalid(s + i, n) == n && cp >= 0x20 &&
                    !(cp >= 0x7f && cp <= 0x9f) && cp != 0x2028 && cp != 0x2029;
        if (shown)
            st = fh_buf_append(out, s + i, n);
        else
            for (size_t k = 0; k < n && st == FH_OK; k++)
                st = fh_buf_printf(out, "\\x%02x", (unsigned char)s[i + k]);
        i += n;
    }
    return st;
}

fh_status fh_log_text(const fh_log_entry *e, fh_buf *out)
{
    char when[40];
    fh_log_time(when, sizeof when);
    fh_status st = fh_buf_printf(out, "%s %s ", when, e->client);
    if (st == FH_OK && (st = fh_log_printable(out, e->method)) == FH_OK &&
        (st = fh_buf_append_char(out, ' ')) == FH_OK &&
        (st = fh_log_printable(out, e->path)) == FH_OK)
        st = fh_buf_printf(out, " %u %.1f ms%s", e->status, e->ms,
                           e->cache && strcmp(e->cache, "hit") == 0 ? " (cached)" : "");
    if (st == FH_OK && (e->status >= 500 || e->why) &&
        (st = fh_buf_append_str(out, ": ")) == FH_OK)
        st = fh_log_printable(out, e->why ? e->why : "unknown");
    return st == FH_OK ? fh_buf_append_char(out, '\n') : st;
}

/* A JSON string of s made printable; NULL without memory. */
static json_t *printable_string(const char *s)
{
    fh_buf b = FH_BUF_INIT;
    json_t *j = NULL;
    if (fh_log_printable(&b, s) == FH_OK)
        j = json_stringn(b.data ? b.data : "", b.len);
    fh_buf_free(&b);
    return j;
}

/* {"added": N, ...} of a write. */
static json_t *written_object(const size_t *w)
{
    static const char *const names[] = {"added", "replaced", "unchanged",
                                        "deleted", "not_found", "failed"};
    json_t *o = json_object();
    for (size_t k = 0; o && k < sizeof names / sizeof names[0]; k++)
        if (json_object_set_new(o, names[k], json_integer((json_int_t)w[k])) != 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* Set key to v in o (taking v); 0 when v is NULL or memory ran short. */
static int put(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

fh_status fh_log_json(const fh_log_entry *e, fh_buf *out)
{
    char when[40];
    fh_log_time(when, sizeof when);
    json_t *o = json_object();
    const char *error = e->why ? e->why : e->message ? e->message : "unknown";
    int ok = o && put(o, "time", json_string(when)) &&
             put(o, "client", printable_string(e->client)) &&
             put(o, "method", printable_string(e->method)) &&
             put(o, "path", printable_string(e->path)) &&
             put(o, "status", json_integer(e->status)) &&
             put(o, "ms", json_real((double)(long long)(e->ms * 100 + 0.5) / 100)) &&
             put(o, "bytes", json_integer((json_int_t)e->bytes)) &&
             (!e->cache || put(o, "cache", json_string(e->cache))) &&
             (e->hits < 0 || put(o, "hits", json_integer(e->hits))) &&
             (e->status < 400 || put(o, "error", printable_string(error))) &&
             (!e->written || put(o, "written", written_object(e->written)));
    char *line = ok ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(o);
    fh_status st = line ? fh_buf_append_str(out, line) : FH_ERR_NOMEM;
    free(line);
    return st == FH_OK ? fh_buf_append_char(out, '\n') : st;
}

fh_status fh_log_note(int json, const char *message, fh_buf *out)
{
    fh_status st;
    if (!json) {
        st = fh_buf_append_str(out, "searchd: ");
        if (st == FH_OK)
            st = fh_log_printable(out, message);
        return st == FH_OK ? fh_buf_append_char(out, '\n') : st;
    }
    char when[40];
    fh_log_time(when, sizeof when);
    json_t *o = json_object();
    int ok = o && put(o, "time", json_string(when)) &&
             put(o, "message", printable_string(message));
    char *line = ok ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    st = line ? fh_buf_append_str(out, line) : FH_ERR_NOMEM;
    free(line);
    return st == FH_OK ? fh_buf_append_char(out, '\n') : st;
}
