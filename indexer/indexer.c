/*
 * indexer.c - an indexing run: walking the input, reading documents, handing
 * them to one writer or to a pool of shard writers, and reporting progress
 * and problems (see indexer.h).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fihris/indexer.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "fihris/db.h"
#include "fihris/paths.h"
#include "fihris/pool.h"
#include "fihris/terms.h"
#include "fihris/writer.h"

enum { PROGRESS_INTERVAL_MS = 200, MAX_JOBS = 64 };

/* Below this much input a parallel build costs more than it saves. */
#define PARALLEL_MIN_BYTES (4u * 1024u * 1024u)

typedef struct {
    const fh_index_opts *opts;
    fh_index_stats *stats;
    fh_writer *writer; /* one writer, or ... */
    fh_pool *pool;     /* ... shard writers */
    size_t docs_read;
    uint64_t done_bytes; /* bytes of the files already finished */
    uint64_t file_bytes; /* bytes of documents read from the current file */
    uint64_t file_size;
    uint64_t total_bytes;
    double start, last_draw;
    int progress_drawn;
    fh_status fatal;
    fh_error *err;
} run;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fh_index_opts_init(fh_index_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->batch_docs = 1000;
    opts->batch_bytes = 32u * 1024u * 1024u;
    opts->jobs = 1;
}

static FILE *log_of(const run *r)
{
    return r->opts->log ? r->opts->log : stderr;
}

/* ---- progress ---- */

static void clear_progress(run *r)
{
    if (r->progress_drawn)
        fputs("\r\033[K", log_of(r));
    r->progress_drawn = 0;
}

static void format_eta(char *out, size_t n, double secs)
{
    if (secs < 0 || secs > 360000)
        snprintf(out, n, "--:--");
    else
        snprintf(out, n, "%d:%02d", (int)secs / 60, (int)secs % 60);
}

static void draw_progress(run *r, int force)
{
    if (!r->opts->progress)
        return;
    double t = now();
    if (!force && (t - r->last_draw) * 1000 < PROGRESS_INTERVAL_MS)
        return;
    r->last_draw = t;
    uint64_t done = r->done_bytes + (r->file_bytes < r->file_size ? r->file_bytes : r->file_size);
    double secs = t - r->start, mb = done / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    char eta[16];
    format_eta(eta, sizeof eta, rate > 0 ? (r->total_bytes / 1e6 - mb) / rate : -1);
    fprintf(log_of(r), "\r\033[K%zu docs  %.1f/%.1f MB  %.1f MB/s  ETA %s", r->docs_read, mb,
            r->total_bytes / 1e6, rate, eta);
    fflush(log_of(r));
    r->progress_drawn = 1;
}

/* ---- reasons and notices ---- */

/* One reason for many notices: "line 7: invalid JSON: ..." and "line 9:
 * invalid JSON: ..." are both "invalid JSON"; "file too large (70 MB, ...)"
 * is "file too large"; "3 invalid UTF-8 sequences replaced" is "invalid
 * UTF-8 sequences replaced". */
static const char *reason_start(const char *msg)
{
    const char *p = msg;
    if (strncmp(p, "line ", 5) == 0) {
        p += 5;
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == ':')
            p++;
    }
    while (*p >= '0' && *p <= '9')
        p++;
    while (*p == ' ')
        p++;
    return *p ? p : msg;
}

static size_t reason_length(const char *msg)
{
    size_t n = strcspn(msg, ":(");
    while (n > 0 && msg[n - 1] == ' ')
        n--;
    return n ? n : strlen(msg);
}

static void count_reason(fh_index_stats *s, fh_notice_kind kind, const char *msg)
{
    msg = reason_start(msg);
    size_t n = reason_length(msg);
    for (size_t i = 0; i < s->nreasons; i++) {
        fh_reason *x = &s->reasons[i];
        if (x->kind == kind && strlen(x->reason) == n && memcmp(x->reason, msg, n) == 0) {
            x->count++;
            return;
        }
    }
    fh_reason *grown = realloc(s->reasons, (s->nreasons + 1) * sizeof *grown);
    if (grown == NULL)
        return;
    s->reasons = grown;
    char *text = malloc(n + 1);
    if (text == NULL)
        return;
    memcpy(text, msg, n);
    text[n] = '\0';
    s->reasons[s->nreasons++] = (fh_reason){kind, text, 1};
}

static const char *kind_name(fh_notice_kind kind)
{
    return kind == FH_NOTICE_WARNING ? "warning" : kind == FH_NOTICE_SKIPPED ? "skipped" : "failed";
}

static void on_notice(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                      const char *message)
{
    run *r = ctx;
    clear_progress(r);
    if (line)
        fprintf(log_of(r), "indexer: %s: %s:%zu: %s\n", kind_name(kind), path, line, message);
    else
        fprintf(log_of(r), "indexer: %s: %s: %s\n", kind_name(kind), path, message);
    count_reason(r->stats, kind, message);
    if (kind == FH_NOTICE_WARNING)
        r->stats->warnings++;
    else if (kind == FH_NOTICE_SKIPPED)
        r->stats->skipped++;
    else
        r->stats->failed++;
}

/* ---- reading ---- */

static int interrupted(const run *r)
{
    return r->opts->interrupted && *r->opts->interrupted;
}

static int on_document(void *ctx, const fh_document *d)
{
    run *r = ctx;
    if (interrupted(r))
        return 1;
    r->fatal = r->pool ? fh_pool_put(r->pool, d, r->err) : fh_writer_put(r->writer, d, r->err);
    r->docs_read++;
    r->file_bytes += d->title_len + d->body_len;
    draw_progress(r, 0);
    return r->fatal != FH_OK;
}

static void index_files(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    for (size_t i = 0; i < files->count && r->fatal == FH_OK && !interrupted(r); i++) {
        r->file_bytes = 0;
        r->file_size = files->sizes[i];
        fh_status st = fh_read_file(files->paths[i], sink, r->err);
        if (st != FH_OK && r->fatal == FH_OK)
            r->fatal = st;
        if (r->fatal != FH_OK || interrupted(r)) {
            r->done_bytes += r->file_bytes < r->file_size ? r->file_bytes : r->file_size;
            break;
        }
        r->done_bytes += files->sizes[i];
        r->stats->files++;
    }
    r->stats->bytes = r->done_bytes;
}

/* ---- database layout ---- */

static char *joined(const char *a, const char *b)
{
    fh_buf buf = FH_BUF_INIT;
    if (fh_buf_append_str(&buf, a) != FH_OK || fh_buf_append_str(&buf, b) != FH_OK) {
        fh_buf_free(&buf);
        return NULL;
    }
    return fh_buf_steal(&buf);
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

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Shard paths of a parallel build: DB.shards/0 .. n-1 */
typedef struct {
    char *dir;
    char **paths;
    size_t n;
} shard_set;

static void shard_set_free(shard_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->paths[i]);
    free(s->paths);
    free(s->dir);
    memset(s, 0, sizeof *s);
}

/* How many shards an interrupted build left (their count fixes the routing). */
static size_t existing_shards(const char *dir)
{
    size_t n = 0;
    char name[32];
    for (;; n++) {
        snprintf(name, sizeof name, "/%zu", n);
        char *p = joined(dir, name);
        int there = p && exists(p);
        free(p);
        if (!there)
            return n;
    }
}

static fh_status make_shard_set(const char *db, size_t jobs, shard_set *s, fh_error *err)
{
    memset(s, 0, sizeof *s);
    s->dir = joined(db, ".shards");
    if (s->dir == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    size_t have = existing_shards(s->dir);
    size_t n = have ? have : jobs;
    if (mkdir(s->dir, 0777) != 0 && errno != EEXIST)
        return fh_error_set(err, FH_ERR_IO, "cannot create %s: %s", s->dir, strerror(errno));
    if ((s->paths = calloc(n, sizeof *s->paths)) == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (; s->n < n; s->n++) {
        char name[32];
        snprintf(name, sizeof name, "/%zu", s->n);
        if ((s->paths[s->n] = joined(s->dir, name)) == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    return FH_OK;
}

/* DB as a Xapian stub file naming the shards, relative to its directory. */
static fh_status write_stub(const char *db, const shard_set *s, fh_error *err)
{
    const char *base = strrchr(db, '/');
    base = base ? base + 1 : db;
    char *tmp = joined(db, ".stub-tmp");
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    if (f == NULL) {
        free(tmp);
        return fh_error_set(err, FH_ERR_IO, "cannot write %s: %s", db, strerror(errno));
    }
    for (size_t i = 0; i < s->n; i++)
        fprintf(f, "auto %s.shards/%zu\n", base, i);
    int bad = fclose(f) != 0 || rename(tmp, db) != 0;
    free(tmp);
    return bad ? fh_error_set(err, FH_ERR_IO, "cannot write %s: %s", db, strerror(errno)) : FH_OK;
}

/* Compact the shards into one database and put it in place of the stub. */
static fh_status merge_shards(const char *db, shard_set *s, fh_error *err)
{
    char *tmp = joined(db, ".compacting");
    if (tmp == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    remove_tree(tmp);
    fh_status st = fh_db_compact((const char *const *)s->paths, s->n, tmp, err);
    if (st == FH_OK && (unlink(db) != 0 || rename(tmp, db) != 0))
        st = fh_error_set(err, FH_ERR_IO, "cannot move the merged database to %s: %s", db,
                          strerror(errno));
    if (st == FH_OK)
        remove_tree(s->dir);
    free(tmp);
    return st;
}

static int wants_parallel(const fh_index_opts *opts, uint64_t total_bytes)
{
    const char *db = opts->db_path;
    if (is_regular_file(db))
        return 1; /* an interrupted parallel build */
    return opts->jobs > 1 && !exists(db) && total_bytes >= PARALLEL_MIN_BYTES;
}

/* ---- the run ---- */

static void add_counts(fh_index_stats *s, fh_writer_counts c)
{
    s->added += c.added;
    s->replaced += c.replaced;
    s->unchanged += c.unchanged;
    s->dropped_terms += c.dropped_terms;
}

static fh_status run_single(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    const fh_index_opts *o = r->opts;
    fh_status st = fh_writer_open(o->db_path, o->batch_docs, o->batch_bytes, &r->writer, r->err);
    if (st != FH_OK)
        return st;
    index_files(r, files, sink);
    /* Whatever happened, keep what was indexed so far. */
    fh_error commit_err;
    fh_status cst = fh_writer_commit(r->writer, r->fatal == FH_OK ? r->err : &commit_err);
    add_counts(r->stats, fh_writer_get_counts(r->writer));
    fh_writer_close(r->writer);
    r->writer = NULL;
    return r->fatal != FH_OK ? r->fatal : cst;
}

static fh_status run_parallel(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    const fh_index_opts *o = r->opts;
    shard_set shards;
    fh_status st = make_shard_set(o->db_path, o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs, &shards,
                                  r->err);
    if (st == FH_OK)
        st = fh_pool_start((const char *const *)shards.paths, shards.n, o->batch_docs,
                           o->batch_bytes, &r->pool, r->err);
    if (st == FH_OK)
        st = write_stub(o->db_path, &shards, r->err);
    if (st == FH_OK) {
        index_files(r, files, sink);
        fh_writer_counts c;
        fh_error pool_err;
        /* On interrupt, what is still queued is dropped: the next run reads it again. */
        fh_status pst = fh_pool_finish(r->pool, interrupted(r), &c,
                                       r->fatal == FH_OK ? r->err : &pool_err);
        r->pool = NULL;
        add_counts(r->stats, c);
        st = r->fatal != FH_OK ? r->fatal : pst;
    } else if (r->pool) {
        fh_writer_counts ignored;
        fh_pool_finish(r->pool, 1, &ignored, NULL);
        r->pool = NULL;
    }
    /* An interrupted build keeps its stub and shards: the next run resumes. */
    if (st == FH_OK && !interrupted(r))
        st = merge_shards(o->db_path, &shards, r->err);
    shard_set_free(&shards);
    return st;
}

fh_status fh_index_paths(const fh_index_opts *opts, const char *const *paths, size_t n,
                         fh_index_stats *stats, fh_error *err)
{
    memset(stats, 0, sizeof *stats);
    run r = {0};
    r.opts = opts;
    r.stats = stats;
    r.err = err;
    r.start = now();
    fh_reader_sink sink = {on_document, on_notice, &r};
    fh_file_list files = {0};
    fh_status st = fh_make_parent_dirs(opts->db_path, err);
    if (st == FH_OK)
        st = fh_collect_files(paths, n, &sink, &files, err);
    r.total_bytes = files.total_bytes;
    if (st == FH_OK)
        st = wants_parallel(opts, files.total_bytes) ? run_parallel(&r, &files, &sink)
                                                     : run_single(&r, &files, &sink);
    draw_progress(&r, 1);
    clear_progress(&r);
    stats->interrupted = interrupted(&r);
    stats->seconds = now() - r.start;
    fh_file_list_free(&files);
    return st;
}

fh_status fh_delete_documents(const char *db_path, const char *const *ids, size_t n,
                              size_t *deleted, size_t *missing, fh_error *err)
{
    *deleted = *missing = 0;
    if (is_regular_file(db_path))
        return fh_error_set(err, FH_ERR_INVALID,
                            "%s is a new database still being built (or a build that was "
                            "interrupted): let the indexer finish, or run it again, then delete",
                            db_path);
    fh_db *db = NULL;
    fh_buf term = FH_BUF_INIT;
    fh_status st = fh_db_open(db_path, FH_DB_WRITE, &db, err);
    for (size_t i = 0; st == FH_OK && i < n; i++) {
        int found = 0;
        if (fh_term_id(ids[i], &term) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        else
            st = fh_db_delete(db, term.data, &found, err);
        if (found)
            (*deleted)++;
        else
            (*missing)++;
    }
    if (st == FH_OK)
        st = fh_db_commit(db, err);
    fh_db_close(db);
    fh_buf_free(&term);
    return st;
}

void fh_index_stats_print(const fh_index_stats *s, FILE *out)
{
    fprintf(out, "%s%zu files, %.1f MB in %.2f s: %zu added, %zu replaced, %zu unchanged, "
                 "%zu skipped, %zu failed",
            s->interrupted ? "interrupted after " : "", s->files, s->bytes / 1e6, s->seconds,
            s->added, s->replaced, s->unchanged, s->skipped, s->failed);
    if (s->warnings)
        fprintf(out, ", %zu warnings", s->warnings);
    if (s->dropped_terms)
        fprintf(out, ", %zu oversized terms dropped", s->dropped_terms);
    fputc('\n', out);
    for (size_t i = 0; i < s->nreasons; i++)
        fprintf(out, "  %s: %s (%zu)\n", kind_name(s->reasons[i].kind), s->reasons[i].reason,
                s->reasons[i].count);
    if (s->interrupted)
        fputs("  run the same command again to finish: committed documents are kept\n", out);
}

void fh_index_stats_free(fh_index_stats *s)
{
    for (size_t i = 0; i < s->nreasons; i++)
        free(s->reasons[i].reason);
    free(s->reasons);
    s->reasons = NULL;
    s->nreasons = 0;
}
