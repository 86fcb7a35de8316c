/*
 * config.c - reading searchd's configuration file (see config.h).
 */
#include "fihris/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* The index of the key named [k, k + n) among keys, or -1. */
static long find_key(const fh_config_key *keys, size_t nkeys, const char *k, size_t n)
{
    for (size_t i = 0; i < nkeys; i++)
        if (strlen(keys[i].name) == n && memcmp(keys[i].name, k, n) == 0)
            return (long)i;
    return -1;
}

typedef struct {
    const char *name;          /* the file, for messages */
    const fh_config_key *keys;
    size_t nkeys;
    unsigned *set_on;          /* the line each key was first set on (0: not yet) */
    fh_config_set set;
    void *ctx;
    char *value;               /* room for the longest value */
} parser;

/* One line, [p, end) without its line break; lineno counts from 1. */
static fh_status parse_line(parser *ps, unsigned lineno, const char *p, const char *end,
                            fh_error *err)
{
    while (p < end && blank(*p))
        p++;
    while (end > p && blank(end[-1]))
        end--;
    if (p == end || *p == '#')
        return FH_OK;
    const char *k = p;
    while (p < end && key_char(*p))
        p++;
    size_t klen = (size_t)(p - k);
    while (p < end && blank(*p))
        p++;
    if (klen == 0 || p == end || *p != '=')
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s:%u: not a setting: write `key = value` (a comment starts "
                            "with #)", ps->name, lineno);
    p++;
    while (p < end && blank(*p))
        p++;
    long i = find_key(ps->keys, ps->nkeys, k, klen);
    if (i < 0)
        return fh_error_set(err, FH_ERR_INVALID, "%s:%u: unknown key \"%.*s\"", ps->name,
                            lineno, (int)klen, k);
    const char *key = ps->keys[i].name;
    if (p == end)
        return fh_error_set(err, FH_ERR_INVALID, "%s:%u: %s: no value", ps->name, lineno, key);
    if (ps->set_on[i] && !ps->keys[i].repeatable)
        return fh_error_set(err, FH_ERR_INVALID, "%s:%u: %s: already set on line %u",
                            ps->name, lineno, key, ps->set_on[i]);
    if (ps->set_on[i] == 0)
        ps->set_on[i] = lineno;
    memcpy(ps->value, p, (size_t)(end - p));
    ps->value[end - p] = '\0';
    fh_error why;
    fh_error_clear(&why);
    fh_status st = ps->set(ps->ctx, key, ps->value, &why);
    if (st != FH_OK)
        return fh_error_set(err, st, "%s:%u: %s: %s", ps->name, lineno, key,
                            why.message[0] ? why.message : "bad value");
    return FH_OK;
}

fh_status fh_config_parse(const char *name, const char *text, size_t len,
                          const fh_config_key *keys, size_t nkeys, fh_config_set set, void *ctx,
                          fh_error *err)
{
    if (len > FH_CONFIG_MAX_BYTES)
        return fh_error_set(err, FH_ERR_INVALID, "%s: larger than %u KB", name,
                            FH_CONFIG_MAX_BYTES / 1024);
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        unsigned lineno = 1;
        for (const char *q = text; q < nul; q++)
            lineno += *q == '\n';
        return fh_error_set(err, FH_ERR_INVALID, "%s:%u: holds a NUL byte", name, lineno);
    }
    parser ps = {name, keys, nkeys, calloc(nkeys ? nkeys : 1, sizeof(unsigned)), set, ctx,
                 malloc(len + 1)};
    fh_status st = ps.set_on && ps.value ? FH_OK
                                         : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    unsigned lineno = 0;
    for (const char *p = text, *end = text + len; st == FH_OK && p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (eol == NULL)
            eol = end;
        if (eol > p && eol[-1] == '\r')
            eol--;
        st = parse_line(&ps, ++lineno, p, eol, err);
        p = next;
    }
    free(ps.set_on);
    free(ps.value);
    return st;
}

/* The file's content into *text (malloc'ed), its length in *len. */
static fh_status read_file(const char *file, char **text, size_t *len, fh_error *err)
{
    *len = 0;
    *text = NULL;
    /* O_NONBLOCK: a FIFO named as the file is refused, not waited on */
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return fh_error_set(err, FH_ERR_IO, "cannot read %s: %s", file, strerror(errno));
    struct stat sb;
    fh_status st = FH_OK;
    if (fstat(fd, &sb) != 0)
        st = fh_error_set(err, FH_ERR_IO, "cannot read %s: %s", file, strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        st = fh_error_set(err, FH_ERR_INVALID, "%s: not a regular file", file);
    else if ((*text = malloc(FH_CONFIG_MAX_BYTES + 1)) == NULL)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    while (st == FH_OK && *len <= FH_CONFIG_MAX_BYTES) {
        ssize_t n = read(fd, *text + *len, FH_CONFIG_MAX_BYTES + 1 - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            st = fh_error_set(err, FH_ERR_IO, "cannot read %s: %s", file, strerror(errno));
        if (n <= 0)
            break;
        *len += (size_t)n;
    }
    close(fd);
    return st;
}

fh_status fh_config_read(const char *file, const fh_config_key *keys, size_t nkeys,
                         fh_config_set set, void *ctx, fh_error *err)
{
    char *text;
    size_t len;
    fh_status st = read_file(file, &text, &len, err);
    if (st == FH_OK)
        st = fh_config_parse(file, text, len, keys, nkeys, set, ctx, err);
    free(text);
    return st;
}
