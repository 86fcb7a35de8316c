/*
 * config.h - searchd's configuration file (searchd --config FILE): one
 * setting a line, read strictly.
 *
 *   # a comment: a line whose first character other than a space or a tab
 *   # is '#'; blank lines are skipped too
 *   listen = 127.0.0.1:8080
 *   cors-origin = https://news.example
 *   cors-origin = https://www.news.example
 *
 * A setting is `key = value`: the key, lower-case letters, digits and
 * dashes, then '=', then the value, which runs to the end of the line
 * (spaces and tabs around the key, the '=' and the value are dropped; there
 * is no quoting, and a '#' after a value is part of it).  Lines may end in
 * LF or CR LF.  A key the caller does not know, a line that is not a
 * setting, a setting without a value, a key given twice (unless the caller
 * says it may repeat), a NUL byte, and a file larger than FH_CONFIG_MAX_BYTES
 * are errors; every message starts with "FILE:LINE: " (or "FILE: " for the
 * file as a whole).
 *
 * What a key means, and which values it takes, is the caller's: each
 * setting is handed to its callback in the file's order, and the message
 * of an error the callback returns is given the same prefix.
 */
#ifndef FIHRIS_CONFIG_H
#define FIHRIS_CONFIG_H

#include <stddef.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_CONFIG_MAX_BYTES (64u * 1024u)

typedef struct {
    const char *name; /* the key as written in the file */
    int repeatable;   /* may be set on several lines (each line handed over) */
} fh_config_key;

/* Take one setting (key is one of the keys given; value is NUL-terminated,
 * valid during the call only).  Anything but FH_OK stops the reading; err's
 * message says what is wrong with the value, without file or line. */
typedef fh_status (*fh_config_set)(void *ctx, const char *key, const char *value, fh_error *err);

/* Read the settings of text[0..len), named name in messages. */
fh_status fh_config_parse(const char *name, const char *text, size_t len,
                          const fh_config_key *keys, size_t nkeys, fh_config_set set, void *ctx,
                          fh_error *err);

/* Read the file (a regular file, at most FH_CONFIG_MAX_BYTES) and parse it:
 * FH_ERR_IO when it cannot be read, FH_ERR_INVALID for what it holds (or
 * the callback's status). */
fh_status fh_config_read(const char *file, const fh_config_key *keys, size_t nkeys,
                         fh_config_set set, void *ctx, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
