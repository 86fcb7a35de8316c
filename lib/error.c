/*
 * error.c - filling the caller-owned fh_error record.
 */
#include "fihris/error.h"
#include "fihris/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

fh_status fh_error_set(fh_error *err, fh_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* paths in messages are file system bytes, and truncation may cut a
     * character: the message itself must stay valid UTF-8 */
    fh_utf8_scrub(err->message);
    fh_utf8_one_line(err->message);
    return status;
}

void fh_error_clear(fh_error *err)
{
    if (err == NULL)
        return;
    err->status = FH_OK;
    err->message[0] = '\0';
}

const char *fh_status_name(fh_status status)
{
    switch (status) {
    case FH_OK: return "ok";
    case FH_ERR_NOMEM: return "out of memory";
    case FH_ERR_IO: return "input/output error";
    case FH_ERR_INVALID: return "invalid input";
    case FH_ERR_NOT_FOUND: return "not found";
    case FH_ERR_LOCKED: return "locked";
    case FH_ERR_CORRUPT: return "corrupt";
    case FH_ERR_MODIFIED: return "modified";
    case FH_ERR_UNSUPPORTED: return "unsupported";
    case FH_ERR_INTERNAL: return "internal error";
    case FH_ERR_UNAVAILABLE: return "unavailable";
    case FH_ERR_TOO_LARGE: return "too large";
    }
    return "unknown";
}
