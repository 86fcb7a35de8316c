/*
 * cluster.c - reading a cluster description (see cluster.h).
 */
#include "fihris/cluster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fihris/buf.h"

int fh_cluster_is_stub(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* target relative to the folder of the file at stub, unless absolute. */
static char *resolve(const char *stub, const char *target)
{
    const char *slash = strrchr(stub, '/');
    fh_buf b = FH_BUF_INIT;
    fh_status st = FH_OK;
    if (target[0] != '/' && slash)
        st = fh_buf_append(&b, stub, (size_t)(slash - stub) + 1);
    if (st == FH_OK)
        st = fh_buf_append_str(&b, target);
    if (st == FH_OK)
        st = fh_buf_append_char(&b, '\0');
    if (st != FH_OK) {
        fh_buf_free(&b);
        return NULL;
    }
    return fh_buf_steal(&b);
}

static fh_status add_shard(fh_cluster *c, fh_shard_spec spec, fh_error *err)
{
    fh_shard_spec *more = realloc(c->shards, (c->n + 1) * sizeof *more);
    if (more == NULL) {
        free(spec.path);
        free(spec.host);
        free(spec.label);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    c->shards = more;
    c->shards[c->n++] = spec;
    return FH_OK;
}

/* "HOST:PORT" (the port after the last colon, 1 to 65535). */
static int split_host_port(const char *s, char **host, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s || colon[1] == '\0')
        return -1;
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (errno || *end || p == 0 || p > 65535)
        return -1;
    *port = (unsigned)p;
    *host = strndup(s, (size_t)(colon - s));
    return *host ? 0 : -1;
}

/* Split "WORD REST" in place: *rest is what follows the word and its
 * blanks, trailing blanks and the line end dropped. */
static char *split_word(char *line, char **rest)
{
    line[strcspn(line, "\r\n")] = '\0';
    size_t end = strlen(line);
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        line[--end] = '\0';
    char *word = line + strspn(line, " \t");
    char *after = word + strcspn(word, " \t");
    *rest = after + strspn(after, " \t");
    *after = '\0';
    return word;
}

static fh_status read_names(fh_cluster *c, const char *stub, const char *path, size_t lineno,
                            fh_error *err)
{
    if (*path == '\0')
        return fh_error_set(err, FH_ERR_INVALID, "%s line %zu: want #fihris names PATH", stub,
                            lineno);
    free(c->names);
    c->names = resolve(stub, path);
    return c->names ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

static fh_status read_shard(fh_cluster *c, const char *stub, const char *word, const char *arg,
                            size_t lineno, fh_error *err)
{
    fh_shard_spec spec = {0, NULL, NULL, 0, NULL};
    if ((strcmp(word, "auto") == 0 || strcmp(word, "glass") == 0) && *arg) {
        if ((spec.path = resolve(stub, arg)) == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    } else if (strcmp(word, "remote") == 0 && *arg && *arg != ':') {
        spec.remote = 1;
        if (split_host_port(arg, &spec.host, &spec.port) != 0)
            return fh_error_set(err, FH_ERR_INVALID, "%s line %zu: want remote HOST:PORT", stub,
                                lineno);
    } else {
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s line %zu: want auto PATH or remote HOST:PORT, not \"%.80s\"",
                            stub, lineno, word);
    }
    fh_buf label = FH_BUF_INIT;
    if (fh_buf_printf(&label, "%s %s", word, arg) != FH_OK) {
        free(spec.path);
        free(spec.host);
        fh_buf_free(&label);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    spec.label = fh_buf_steal(&label);
    return add_shard(c, spec, err);
}

static fh_status read_line(fh_cluster *c, const char *stub, char *line, size_t lineno,
                           fh_error *err)
{
    char *rest;
    const char *word = split_word(line, &rest);
    if (strcmp(word, "#fihris") == 0) {
        char *path;
        const char *what = split_word(rest, &path);
        if (strcmp(what, "names") == 0)
            return read_names(c, stub, path, lineno, err);
        return FH_OK;
    }
    if (*word == '\0' || *word == '#')
        return FH_OK;
    return read_shard(c, stub, word, rest, lineno, err);
}

fh_status fh_cluster_read(const char *path, fh_cluster *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return fh_error_set(err, errno == ENOENT ? FH_ERR_NOT_FOUND : FH_ERR_IO,
                            "cannot read %s: %s", path, strerror(errno));
    char line[4096];
    fh_status st = FH_OK;
    for (size_t lineno = 1; st == FH_OK && fgets(line, sizeof line, f); lineno++)
        st = read_line(out, path, line, lineno, err);
    fclose(f);
    if (st == FH_OK && out->n == 0)
        st = fh_error_set(err, FH_ERR_INVALID, "%s names no database", path);
    if (st != FH_OK)
        fh_cluster_free(out);
    return st;
}

void fh_cluster_free(fh_cluster *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->shards[i].path);
        free(c->shards[i].host);
        free(c->shards[i].label);
    }
    free(c->shards);
    free(c->names);
    memset(c, 0, sizeof *c);
}
