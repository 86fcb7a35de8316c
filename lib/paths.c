/*
 * paths.c - the default database location (see paths.h).
 */
#include "fihris/paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

fh_status fh_db_path(const char *explicit_path, fh_buf *out, fh_error *err)
{
    fh_buf_reset(out);
    const char *env = getenv("FIHRIS_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    fh_status st;
    if (explicit_path && *explicit_path)
        st = fh_buf_append_str(out, explicit_path);
    else if (env && *env)
        st = fh_buf_append_str(out, env);
    else if (xdg && *xdg == '/')
        st = fh_buf_printf(out, "%s/fihris/db", xdg);
    else if (home && *home)
        st = fh_buf_printf(out, "%s/.local/share/fihris/db", home);
    else
        return fh_error_set(err, FH_ERR_INVALID,
                            "no database given: use -d PATH or set FIHRIS_DB (HOME is not set)");
    return st == FH_OK ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

/* Append component c (len n) to out, which holds an absolute path. */
static fh_status push_component(fh_buf *out, const char *c, size_t n)
{
    if (n == 0 || (n == 1 && c[0] == '.'))
        return FH_OK;
    if (n == 2 && c[0] == '.' && c[1] == '.') {
        while (out->len > 1 && out->data[out->len - 1] != '/')
            out->len--;
        if (out->len > 1)
            out->len--; /* the slash, unless it is the root */
        out->data[out->len] = '\0';
        return FH_OK;
    }
    if (out->len > 1 && fh_buf_append_char(out, '/') != FH_OK)
        return FH_ERR_NOMEM;
    return fh_buf_append(out, c, n);
}

fh_status fh_absolute_path(const char *path, fh_buf *out, fh_error *err)
{
    fh_buf_reset(out);
    fh_buf joined = FH_BUF_INIT;
    fh_status st = FH_OK;
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (cwd == NULL)
            return fh_error_set(err, FH_ERR_IO, "cannot read the working directory: %s",
                                strerror(errno));
        st = fh_buf_printf(&joined, "%s/", cwd);
        free(cwd);
    }
    if (st == FH_OK)
        st = fh_buf_append_str(&joined, path);
    if (st == FH_OK)
        st = fh_buf_append_char(out, '/');
    for (const char *p = joined.data; st == FH_OK && p && *p;) {
        size_t n = strcspn(p, "/");
        st = push_component(out, p, n);
        p += n;
        while (*p == '/')
            p++;
    }
    fh_buf_free(&joined);
    return st == FH_OK ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

fh_status fh_make_parent_dirs(const char *path, fh_error *err)
{
    size_t n = strlen(path);
    char *dir = malloc(n + 1);
    if (dir == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    fh_status st = FH_OK;
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p && st == FH_OK; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST)
                st = fh_error_set(err, FH_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
            *p = '/';
        }
        if (st == FH_OK && mkdir(dir, 0777) != 0 && errno != EEXIST)
            st = fh_error_set(err, FH_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
    }
    free(dir);
    return st;
}
