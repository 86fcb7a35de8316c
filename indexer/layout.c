/*
 * layout.c - single databases, parallel builds in shards, and their lock
 * (see layout.h).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fihris/layout.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "fihris/db.h"


/* a + suffix, or NULL when out of memory */
static char *path_with(const char *a, const char *suffix)
{
    fh_buf buf = FH_BUF_INIT;
    if (fh_buf_printf(&buf, "%s%s", a, suffix) != FH_OK) {
        fh_buf_free(&buf);
        return NULL;
    }
    return fh_buf_steal(&buf);
}

/* dir/k, or NULL when out of memory */
static char *shard_path(const char *dir, size_t k)
{
    char name[32];
    snprintf(name, sizeof name, "/%zu", k);
    return path_with(dir, name);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Take DB.shards/lock without waiting. */
static fh_status take_lock(fh_layout *l, fh_error *err)
{
    char *lock = path_with(l->shard_dir, "/lock");
    if (lock == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    l->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    free(lock);
    if (l->lock_fd < 0)
        return fh_error_set(err, FH_ERR_IO, "cannot lock %s: %s", l->db, strerror(errno));
    if (flock(l->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        close(l->lock_fd);
        l->lock_fd = -1;
        return fh_error_set(err, FH_ERR_LOCKED,
                            "database is locked: another indexer is writing %s", l->db);
    }
    return FH_OK;
}

static size_t count_shards(const char *dir)
{
    size_t n = 0;
    for (; n < FH_MAX_SHARDS; n++) {
        char *p = shard_path(dir, n);
        int there = p && is_dir(p);
        free(p);
        if (!there)
            break;
    }
    return n;
}

static fh_status name_shards(fh_layout *l, size_t n, fh_error *err)
{
    if ((l->shards = calloc(n, sizeof *l->shards)) == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (; l->nshards < n; l->nshards++)
        if ((l->shards[l->nshards] = shard_path(l->shard_dir, l->nshards)) == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    return FH_OK;
}

/* DB.shards/sharded marks a database whose shards are kept. */
static int is_sharded(const fh_layout *l)
{
    char *mark = path_with(l->shard_dir, "/sharded");
    int there = mark && exists(mark);
    free(mark);
    return there;
}

static fh_status mark_sharded(fh_layout *l, fh_error *err)
{
    char *mark = path_with(l->shard_dir, "/sharded");
    FILE *f = mark ? fopen(mark, "w") : NULL;
    int ok = f && fclose(f) == 0;
    free(mark);
    l->sharded = 1;
    return ok ? FH_OK : fh_error_set(err, FH_ERR_IO, "cannot write %s.shards: %s", l->db,
                                     strerror(errno));
}

/* A sharded database: its shards, as many as it was made with. */
static fh_status open_sharded(fh_layout *l, size_t keep_shards, fh_error *err)
{
    fh_status st = take_lock(l, err);
    if (st != FH_OK)
        return st;
    size_t n = count_shards(l->shard_dir);
    if (n == 0)
        return fh_error_set(err, FH_ERR_CORRUPT, "%s: a sharded database without shards", l->db);
    if (keep_shards && keep_shards != n)
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s has %zu shards, not %zu: documents are routed by their number",
                            l->db, n, keep_shards);
    l->sharded = 1;
    return name_shards(l, n, err);
}

/* DB.shards exists: resume the build, or clean up after a finished merge. */
static fh_status resume(fh_layout *l, size_t want_shards, size_t keep_shards, fh_error *err)
{
    if (is_sharded(l))
        return open_sharded(l, keep_shards, err);
    if (keep_shards)
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s is a database whose build was interrupted: finish it without "
                            "--shards first", l->db);
    fh_status st = take_lock(l, err);
    if (st != FH_OK)
        return st;
    if (is_dir(l->db)) {
        remove_tree(l->shard_dir); /* the merge had finished: db is complete */
        return FH_OK;
    }
    size_t n = count_shards(l->shard_dir); /* their number fixes the routing */
    return name_shards(l, n ? n : want_shards, err);
}

static fh_status start_build(fh_layout *l, size_t want_shards, int keep, fh_error *err)
{
    if (mkdir(l->shard_dir, 0777) != 0 && errno != EEXIST)
        return fh_error_set(err, FH_ERR_IO, "cannot create %s: %s", l->shard_dir, strerror(errno));
    fh_status st = take_lock(l, err);
    if (st == FH_OK && keep)
        st = mark_sharded(l, err);
    if (st == FH_OK)
        st = name_shards(l, want_shards > FH_MAX_SHARDS ? FH_MAX_SHARDS : want_shards, err);
    return st;
}

fh_status fh_layout_open(const char *db, size_t want_shards, size_t keep_shards, fh_layout *out,
                         fh_error *err)
{
    memset(out, 0, sizeof *out);
    out->lock_fd = -1;
    out->db = strdup(db);
    out->shard_dir = path_with(db, ".shards");
    if (out->db == NULL || out->shard_dir == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (is_dir(out->shard_dir))
        return resume(out, want_shards, keep_shards, err);
    if (exists(db) && !is_dir(db))
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s exists and is not a Fihris database directory", db);
    if (keep_shards && exists(db))
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s exists as one database: --shards makes a new database", db);
    if (keep_shards > FH_MAX_SHARDS)
        return fh_error_set(err, FH_ERR_INVALID, "at most %d shards", FH_MAX_SHARDS);
    if (keep_shards)
        return start_build(out, keep_shards, 1, err);
    if (!exists(db) && want_shards > 1)
        return start_build(out, want_shards, 0, err);
    return FH_OK;
}

char *fh_layout_names_path(const fh_layout *l)
{
    return path_with(l->shard_dir, "/names");
}

fh_status fh_layout_publish(const fh_layout *l, fh_error *err)
{
    const char *base = strrchr(l->db, '/');
    base = base ? base + 1 : l->db;
    char *tmp = path_with(l->db, ".stub-tmp");
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    int bad = f == NULL;
    for (size_t i = 0; f && i < l->nshards; i++)
        fprintf(f, "auto %s.shards/%zu\n", base, i);
    if (f && fclose(f) != 0)
        bad = 1;
    if (!bad && rename(tmp, l->db) != 0)
        bad = 1;
    if (bad) {
        fh_error_set(err, FH_ERR_IO, "cannot write %s: %s", l->db, strerror(errno));
        if (tmp)
            unlink(tmp); /* a disk full leaves no half-written stub behind */
    }
    free(tmp);
    return bad ? FH_ERR_IO : FH_OK;
}

fh_status fh_layout_merge(fh_layout *l, fh_error *err)
{
    char *tmp = path_with(l->db, ".compacting");
    if (tmp == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    remove_tree(tmp);
    fh_status st = fh_db_compact((const char *const *)l->shards, l->nshards, tmp, err);
    if (st != FH_OK) {
        /* Most likely the disk is full: what the merge wrote would keep
         * every later run from finding the room to merge. */
        remove_tree(tmp);
        char why[FH_ERROR_MAX];
        snprintf(why, sizeof why, "%s", err->message);
        fh_error_set(err, st, "%s; removed the unfinished %s: the shards are kept, run the "
                     "indexer again to merge them", why, tmp);
    }
    /* A crash between these two steps leaves DB.shards: the next run
     * finds the shards and merges them again. */
    if (st == FH_OK && (unlink(l->db) != 0 || rename(tmp, l->db) != 0))
        st = fh_error_set(err, FH_ERR_IO, "cannot move the merged database to %s: %s", l->db,
                          strerror(errno));
    if (st == FH_OK)
        remove_tree(l->shard_dir);
    free(tmp);
    return st;
}

void fh_layout_close(fh_layout *l)
{
    if (l->lock_fd >= 0)
        close(l->lock_fd);
    for (size_t i = 0; i < l->nshards; i++)
        free(l->shards[i]);
    free(l->shards);
    free(l->shard_dir);
    free(l->db);
    memset(l, 0, sizeof *l);
    l->lock_fd = -1;
}
