/*
 * error.c - filling the caller-owned fh_error record.
 */
#include "fihris/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Cut at a UTF-8 character boundary so a truncated message stays valid. */
static void trim_partial_utf8(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

fh_status fh_error_set(fh_error *err, fh_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->message)
        trim_partial_utf8(err->message);
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
    }
    return "unknown";
}
