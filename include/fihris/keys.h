/*
 * keys.h - the keys searchd asks of its clients (server.h), as
 * "Authorization: Bearer KEY": read from a file or from the environment,
 * never from the command line (which every user of the machine can read),
 * and compared in a time that depends on what the client sent alone: how
 * long a comparison takes tells nothing of the key, neither its bytes nor
 * its length.
 *
 * A key is what its file or variable holds, less the line breaks (CR, LF)
 * that end it: FH_KEY_MIN_BYTES to FH_KEY_MAX_BYTES of printable ASCII
 * without spaces (`openssl rand -hex 32` makes one).  A key file must be a
 * regular file that its group and others may neither read nor write (chmod
 * 600): one that they may is refused, as is an empty or short key.  Loading
 * again (a configuration reloaded) replaces a key only when the new one is
 * sound.
 */
#ifndef FIHRIS_KEYS_H
#define FIHRIS_KEYS_H

#include <stddef.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_KEY_MIN_BYTES 16u
#define FH_KEY_MAX_BYTES 4096u

typedef struct {
    int set; /* 0: no key (the rest unused) */
    size_t len;
    char text[FH_KEY_MAX_BYTES];
} fh_key;

/* The key in file when file is not NULL, else the one in the environment
 * variable env when it is set, else none (key->set = 0).  FH_ERR_IO when the
 * file cannot be read, FH_ERR_INVALID for a file or a key refused; messages
 * name the file or the variable and say what to do, never quote the key.
 * *key is left as it was on failure. */
fh_status fh_key_load(const char *file, const char *env, fh_key *key, fh_error *err);

/* Whether given[0..len) is the key (0 when no key is set). */
int fh_key_matches(const fh_key *key, const char *given, size_t len);

#ifdef __cplusplus
}
#endif

#endif
