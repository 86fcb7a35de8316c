/*
 * error.h - status codes and the error record every Fihris call reports into.
 *
 * Convention used across the project: a function that can fail returns an
 * fh_status and, on failure, writes a one-line human-readable message into an
 * fh_error owned by the caller.  The error may be NULL when the caller does not
 * want the message.  Messages never contain stack traces and are always valid,
 * NUL-terminated UTF-8 truncated to FH_ERROR_MAX bytes.
 */
#ifndef FIHRIS_ERROR_H
#define FIHRIS_ERROR_H

#include <stddef.h>

#include "fihris/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FH_OK = 0,
    FH_ERR_NOMEM,       /* allocation failed */
    FH_ERR_IO,          /* a file or directory could not be read or written */
    FH_ERR_INVALID,     /* bad argument or malformed input */
    FH_ERR_NOT_FOUND,   /* database, document or file does not exist */
    FH_ERR_LOCKED,      /* another writer holds the database lock */
    FH_ERR_CORRUPT,     /* the database cannot be read */
    FH_ERR_MODIFIED,    /* the database changed under a reader; reopen and retry */
    FH_ERR_UNSUPPORTED, /* input of a kind Fihris does not handle */
    FH_ERR_INTERNAL,    /* a library failed in an unexpected way */
    FH_ERR_UNAVAILABLE, /* a shard server could not be reached in time */
    FH_ERR_TOO_LARGE    /* input beyond a limit (more documents than allowed) */
} fh_status;

#define FH_ERROR_MAX 512

typedef struct fh_error {
    fh_status status;
    char message[FH_ERROR_MAX];
} fh_error;

/* Record status and a printf-style message; returns status so that callers
 * can write `return fh_error_set(err, FH_ERR_IO, "cannot open %s", path);`. */
FH_API fh_status fh_error_set(fh_error *err, fh_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reset to FH_OK with an empty message. */
FH_API void fh_error_clear(fh_error *err);

/* A short English name for a status ("locked", "not found", ...). */
FH_API const char *fh_status_name(fh_status status);

#ifdef __cplusplus
}
#endif

#endif
