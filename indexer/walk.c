/*
 * walk.c - listing the files to read (fh_collect_files, see reader.h):
 * files as given and, below directories, every regular file in sorted
 * order, without following symbolic links to directories, so that a link
 * cycle cannot loop.  Hidden entries (names starting with '.') are left out.
 */
#include "fihris/reader.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "reader_int.h"

typedef struct {
    fh_file_list *list;
    size_t cap;
    const fh_reader_sink *sink;
} collector;

static fh_status list_add(collector *c, const char *path, uint64_t size)
{
    fh_file_list *l = c->list;
    if (l->count == c->cap) {
        const size_t cap = c->cap ? c->cap * 2 : 64;
        char **paths = realloc(l->paths, cap * sizeof *paths);
        if (paths == NULL)
            return FH_ERR_NOMEM;
        l->paths = paths;
        uint64_t *sizes = realloc(l->sizes, cap * sizeof *sizes);
        if (sizes == NULL)
            return FH_ERR_NOMEM;
        l->sizes = sizes;
        c->cap = cap;
    }
    const size_t n = strlen(path);
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    memcpy(copy, path, n + 1);
    l->paths[l->count] = copy;
    l->sizes[l->count] = size;
    l->count++;
    l->total_bytes += size;
    return FH_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Directory entry names, as they are read. */
typedef struct {
    char **names;
    size_t n, cap;
} name_list;

static fh_status names_add(name_list *l, const char *name)
{
    if (l->n == l->cap) {
        const size_t cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->names, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        l->names = grown;
        l->cap = cap;
    }
    const size_t len = strlen(name);
    if ((l->names[l->n] = malloc(len + 1)) == NULL)
        return FH_ERR_NOMEM;
    memcpy(l->names[l->n++], name, len + 1);
    return FH_OK;
}

/* The visible entry names of dir, sorted.  The directory is closed before
 * returning, so deep trees never hold more than one descriptor. */
static fh_status dir_names(collector *c, const char *dir, char ***names_out, size_t *count)
{
    *names_out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        rd_notify_errno(c->sink, FH_NOTICE_FAILED, dir, errno);
        return FH_OK;
    }
    name_list l = {NULL, 0, 0};
    fh_status st = FH_OK;
    const struct dirent *e;
    errno = 0;
    while (st == FH_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') /* hidden, and "." and ".." */
            continue;
        st = names_add(&l, e->d_name);
        errno = 0; /* readdir reports its errors only through errno */
    }
    if (st == FH_OK && errno != 0)
        rd_notify_errno(c->sink, FH_NOTICE_FAILED, dir, errno);
    closedir(d);
    if (st != FH_OK) {
        free_names(l.names, l.n);
        return st;
    }
    if (l.n > 1)
        qsort(l.names, l.n, sizeof *l.names, compare_names);
    *names_out = l.names;
    *count = l.n;
    return FH_OK;
}

static fh_status walk_dir(collector *c, const char *dir);

/* One directory entry: directories are walked, regular files and links to
 * regular files listed; links to directories are not followed, so link
 * cycles cannot loop. */
static fh_status walk_entry(collector *c, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        rd_notify_errno(c->sink, FH_NOTICE_FAILED, path, errno);
        return FH_OK;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(c, path);
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            rd_notify(c->sink, FH_NOTICE_SKIPPED, path, 0, "broken symbolic link");
            return FH_OK;
        }
    }
    if (S_ISREG(st.st_mode))
        return list_add(c, path, (uint64_t)st.st_size);
    return FH_OK;
}

static fh_status walk_dir(collector *c, const char *dir)
{
    char **names;
    size_t n;
    fh_status st = dir_names(c, dir, &names, &n);
    const size_t dir_len = strlen(dir);
    const int slash = dir_len > 0 && dir[dir_len - 1] == '/';
    fh_buf path = FH_BUF_INIT;
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        fh_buf_reset(&path);
        st = fh_buf_printf(&path, "%s%s%s", dir, slash ? "" : "/", names[i]);
        if (st == FH_OK)
            st = walk_entry(c, path.data);
    }
    fh_buf_free(&path);
    free_names(names, n);
    return st;
}

/* What standard input holds when it is a file (for progress and the
 * choice of a parallel build); 0 when it is a pipe or a terminal. */
static uint64_t stdin_size(void)
{
    struct stat sb;
    if (fstat(STDIN_FILENO, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    const off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
    return at >= 0 && at < sb.st_size ? (uint64_t)(sb.st_size - at) : 0;
}

fh_status fh_collect_files(const char *const *paths, size_t n, const fh_reader_sink *sink,
                           fh_file_list *out, fh_error *err)
{
    if (out == NULL || (paths == NULL && n > 0))
        return fh_error_set(err, FH_ERR_INVALID, "fh_collect_files: paths and out are required");
    memset(out, 0, sizeof *out);
    collector c = {.list = out, .sink = sink};
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        struct stat sb;
        if (strcmp(paths[i], FH_READER_STDIN) == 0)
            st = list_add(&c, paths[i], stdin_size());
        else if (stat(paths[i], &sb) != 0)
            rd_notify_errno(sink, FH_NOTICE_FAILED, paths[i], errno);
        else if (S_ISDIR(sb.st_mode))
            st = walk_dir(&c, paths[i]);
        else
            st = list_add(&c, paths[i], (uint64_t)sb.st_size);
    }
    if (st != FH_OK) {
        fh_file_list_free(out);
        return fh_error_set(err, st, "out of memory while listing files");
    }
    return FH_OK;
}

void fh_file_list_free(fh_file_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    free(list->sizes);
    memset(list, 0, sizeof *list);
}
