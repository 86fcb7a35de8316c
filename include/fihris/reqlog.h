/*
 * reqlog.h - the line searchd logs for each request (server.h), as text or
 * as JSON, always one line whatever the request holds.
 *
 * Text (the default):
 *   2026-01-05T09:30:00.123Z 127.0.0.1 GET /api/search 200 1.4 ms (cached)
 *   2026-01-05T09:30:01.002Z 127.0.0.1 POST /api/documents 401 0.1 ms: no key
 * time, client, method, path, status, time taken, "(cached)" for an answer
 * reused, and after ": " the reason (of a 5xx, a key refused, what a write
 * did).
 *
 * JSON, one object a line, its members in this order:
 *   {"time": "2026-01-05T09:30:00.123Z", "client": "127.0.0.1",
 *    "method": "GET", "path": "/api/search", "status": 200, "ms": 1.42,
 *    "bytes": 5120, "cache": "hit", "hits": 14}
 * cache: "hit" or "miss", for an answer that may be reused; hits: the
 * matches of a search (its "total"); error: for a status of 400 or more,
 * the reason (as the text line gives it, else the message the client got);
 * written: what a write did ({"added": N, "replaced": N, "unchanged": N,
 * "deleted": N, "not_found": N, "failed": N}).
 *
 * time is RFC 3339, UTC, in milliseconds.  The path is the request's path
 * without its query string: the words people search for are theirs, and no
 * line holds them.  Neither form holds a key (a key is never handed here).
 * Control characters (C0, DEL, C1), the line and paragraph separators
 * (U+2028, U+2029) and ill-formed UTF-8 in the method, the path or the
 * reason are written as the four characters \xNN, so a client's path can
 * never start a line of its own; JSON then escapes '"' and '\' as JSON does.
 */
#ifndef FIHRIS_REQLOG_H
#define FIHRIS_REQLOG_H

#include <stddef.h>

#include "fihris/buf.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *client, *method, *path;
    unsigned status;
    double ms;              /* from the request's first line to its reply */
    size_t bytes;           /* of the reply's body */
    const char *cache;      /* "hit", "miss" or NULL */
    long long hits;         /* a search's matches, or -1 */
    const char *why;        /* the reason the text line gives, or NULL */
    const char *message;    /* the error message the client got, or NULL */
    const size_t *written;  /* a write's added, replaced, unchanged, deleted,
                             * not_found and failed, or NULL */
} fh_log_entry;

/* The line of e (ending in '\n'), appended to out. */
fh_status fh_log_text(const fh_log_entry *e, fh_buf *out);
fh_status fh_log_json(const fh_log_entry *e, fh_buf *out);

/* A line of searchd's own (started, stopping, reloaded ...), appended to
 * out: "searchd: MESSAGE", or with json {"time": ..., "message": MESSAGE},
 * so that with the JSON log every line of it is JSON.  The message is made
 * printable as a path is. */
fh_status fh_log_note(int json, const char *message, fh_buf *out);

/* The time now, as 2026-01-05T09:30:00.123Z (size: 32 bytes or more). */
void fh_log_time(char *out, size_t size);

/* s with the characters above written as \xNN, appended to out. */
fh_status fh_log_printable(fh_buf *out, const char *s);

#ifdef __cplusplus
}
#endif

#endif
