/*
 * keys.c - reading searchd's keys and comparing them (see keys.h).
 */
#include "fihris/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for the longest key and the line breaks after it. */
#define KEY_FILE_BYTES (FH_KEY_MAX_BYTES + 64u)

/* The key text[0..len) less the line breaks ending it, checked; where
 * names the file or the variable. */
static fh_status take_key(const char *text, size_t len, const char *where, fh_key *key,
                          fh_error *err)
{
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len == 0)
        return fh_error_set(err, FH_ERR_INVALID, "%s holds no key", where);
    if (len > FH_KEY_MAX_BYTES)
        return fh_error_set(err, FH_ERR_INVALID, "the key in %s is longer than %u bytes", where,
                            FH_KEY_MAX_BYTES);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x21 || (unsigned char)text[i] > 0x7E)
            return fh_error_set(err, FH_ERR_INVALID,
                                "the key in %s holds a space, a line break or a character "
                                "other than printable ASCII", where);
    if (len < FH_KEY_MIN_BYTES)
        return fh_error_set(err, FH_ERR_INVALID,
                            "the key in %s is shorter than %u characters (make one with "
                            "`openssl rand -hex 32`)", where, FH_KEY_MIN_BYTES);
    key->set = 1;
    key->len = len;
    memcpy(key->text, text, len);
    return FH_OK;
}

/* The file's content into buf (KEY_FILE_BYTES), once it is known to be a
 * regular file that only its owner may read or write. */
static fh_status read_key_file(const char *file, char *buf, size_t *len, fh_error *err)
{
    /* O_NONBLOCK: a FIFO named as the key file is refused, not waited on */
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return fh_error_set(err, FH_ERR_IO, "cannot read the key file %s: %s", file,
                            strerror(errno));
    struct stat sb;
    fh_status st = FH_OK;
    *len = 0;
    if (fstat(fd, &sb) != 0)
        st = fh_error_set(err, FH_ERR_IO, "cannot read the key file %s: %s", file,
                          strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        st = fh_error_set(err, FH_ERR_INVALID, "the key file %s is not a regular file", file);
    else if (sb.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))
        st = fh_error_set(err, FH_ERR_INVALID,
                          "the key file %s may be read or written by others (mode %04o): "
                          "chmod 600 %s", file, (unsigned)(sb.st_mode & 07777), file);
    while (st == FH_OK && *len < KEY_FILE_BYTES) {
        ssize_t n = read(fd, buf + *len, KEY_FILE_BYTES - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            st = fh_error_set(err, FH_ERR_IO, "cannot read the key file %s: %s", file,
                              strerror(errno));
        if (n <= 0)
            break;
        *len += (size_t)n;
    }
    close(fd);
    if (st == FH_OK && *len == KEY_FILE_BYTES)
        st = fh_error_set(err, FH_ERR_INVALID, "the key in the key file %s is longer than %u "
                          "bytes", file, FH_KEY_MAX_BYTES);
    return st;
}

fh_status fh_key_load(const char *file, const char *env, fh_key *key, fh_error *err)
{
    fh_key loaded = {0};
    fh_status st = FH_OK;
    char where[FH_ERROR_MAX / 2];
    if (file) {
        char *buf = malloc(KEY_FILE_BYTES);
        size_t len = 0;
        if (buf == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        snprintf(where, sizeof where, "the key file %s", file);
        st = read_key_file(file, buf, &len, err);
        if (st == FH_OK)
            st = take_key(buf, len, where, &loaded, err);
        explicit_bzero(buf, KEY_FILE_BYTES);
        free(buf);
    } else if (env && getenv(env)) {
        const char *v = getenv(env);
        snprintf(where, sizeof where, "the environment variable %s", env);
        st = take_key(v, strlen(v), where, &loaded, err);
    }
    if (st == FH_OK)
        *key = loaded;
    explicit_bzero(&loaded, sizeof loaded);
    return st;
}

int fh_key_matches(const fh_key *key, const char *given, size_t len)
{
    if (!key->set)
        return 0;
    /* Every byte given is compared, with the key's bytes in turn (the key
     * repeated as often as needed), and the lengths too, with no branch on
     * what they hold: the time depends on len alone, which the client knows. */
    volatile unsigned diff = len != key->len;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)key->text[i % key->len];
    return diff == 0;
}
