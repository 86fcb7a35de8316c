/*
 * indexer.c - an indexing run: walking the input, reading documents, handing
 * them to one writer or to a pool of shard writers, and reporting progress
 * and problems (see indexer.h).
 */
#include "fihris/indexer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "fihris/clock.h"
#include "fihris/cluster.h"
#include "fihris/db.h"
#include "fihris/layout.h"
#include "fihris/lexicon.h"
#include "fihris/paths.h"
#include "fihris/pool.h"
#include "fihris/terms.h"
#include "fihris/utf8.h"
#include "fihris/writer.h"

enum { PROGRESS_INTERVAL_MS = 200, LOCK_RETRY_MS = 200 };

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
    int stopped; /* reading stopped on an interrupt */
    double lock_since; /* when the database was first found locked, or 0 */
    fh_buf id, id_utf8;
    fh_error *err;
    /* Notices come from the reader and from shard writers' threads: one at
     * a time on the log and in the counts. */
    pthread_mutex_t log_mu;
} run;

void fh_index_opts_init(fh_index_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->batch_docs = 1000;
    opts->batch_bytes = 32u * 1024u * 1024u;
    opts->jobs = 1;
    opts->names = 1;
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
    double t = fh_clock_ms() / 1e3;
    if (!force && (t - r->last_draw) * 1000 < PROGRESS_INTERVAL_MS)
        return;
    r->last_draw = t;
    /* Shard writers lag behind the reader by their queues: count what they did. */
    uint64_t read = r->done_bytes + (r->file_bytes < r->file_size ? r->file_bytes : r->file_size);
    uint64_t done = r->pool ? fh_pool_done_bytes(r->pool) : read;
    if (done > r->total_bytes)
        done = r->total_bytes;
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

/* One reason for many notices: "invalid JSON: ..." on two lines is
 * "invalid JSON"; "file too large (70 MB, ...)" is "file too large"; "3
 * invalid UTF-8 sequences replaced" is "invalid UTF-8 sequences replaced". */
static const char *reason_start(const char *msg)
{
    const char *p = msg;
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
    /* a file name may hold anything but '/' and NUL, line breaks included */
    char shown[4096];
    snprintf(shown, sizeof shown, "%s", path);
    fh_utf8_scrub(shown);
    fh_utf8_one_line(shown);
    pthread_mutex_lock(&r->log_mu);
    clear_progress(r);
    if (line)
        fprintf(log_of(r), "indexer: %s: %s:%zu: %s\n", kind_name(kind), shown, line, message);
    else
        fprintf(log_of(r), "indexer: %s: %s: %s\n", kind_name(kind), shown, message);
    count_reason(r->stats, kind, message);
    if (kind == FH_NOTICE_WARNING)
        r->stats->warnings++;
    else if (kind == FH_NOTICE_SKIPPED)
        r->stats->skipped++;
    else
        r->stats->failed++;
    pthread_mutex_unlock(&r->log_mu);
}

/* ---- reading ---- */

static int interrupted(const run *r)
{
    return r->opts->interrupted && *r->opts->interrupted;
}

/* Whether to open again a database found locked (st): not past
 * opts->lock_wait_s since it first was, after a pause. */
static int wait_for_lock(run *r, fh_status st)
{
    if (st != FH_ERR_LOCKED || r->opts->lock_wait_s == 0 || interrupted(r))
        return 0;
    double now = fh_clock_ms();
    if (r->lock_since == 0)
        r->lock_since = now;
    if (now - r->lock_since >= 1000.0 * r->opts->lock_wait_s)
        return 0;
    struct timespec pause = {0, LOCK_RETRY_MS * 1000000L};
    nanosleep(&pause, NULL);
    return 1;
}

/* A file's document id is its absolute path (see fh_absolute_path); notices
 * keep the path as the user wrote it. */
static fh_status with_file_id(run *r, const fh_document *d, fh_document *out)
{
    *out = *d;
    if (d->line != 0) /* a JSON Lines document: its own id */
        return FH_OK;
    fh_status st = fh_absolute_path(d->path, &r->id, r->err);
    if (st == FH_OK) {
        fh_buf_reset(&r->id_utf8);
        if (fh_utf8_repair(r->id.data, r->id.len, &r->id_utf8, NULL) != FH_OK)
            return fh_error_set(r->err, FH_ERR_NOMEM, "out of memory");
        out->id = r->id_utf8.data;
    }
    return st;
}

static int on_document(void *ctx, const fh_document *given)
{
    run *r = ctx;
    if (interrupted(r))
        return 1;
    fh_document doc;
    if ((r->fatal = with_file_id(r, given, &doc)) != FH_OK)
        return 1;
    const fh_document *d = &doc;
    r->fatal = r->pool ? fh_pool_put(r->pool, d, r->err) : fh_writer_put(r->writer, d, r->err);
    if (r->fatal == FH_ERR_INVALID) {
        /* this document is bad, not the run */
        on_notice(r, FH_NOTICE_FAILED, d->path, d->line, r->err->message);
        r->fatal = FH_OK;
    }
    r->docs_read++;
    r->file_bytes += d->title_len + d->body_len;
    pthread_mutex_lock(&r->log_mu);
    draw_progress(r, 0);
    pthread_mutex_unlock(&r->log_mu);
    return r->fatal != FH_OK;
}

static void index_files(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    for (size_t i = 0; i < files->count && r->fatal == FH_OK; i++) {
        if ((r->stopped = interrupted(r)))
            break;
        r->file_bytes = 0;
        r->file_size = files->sizes[i];
        fh_status st = fh_read_file(files->paths[i], sink, r->err);
        if (st != FH_OK && r->fatal == FH_OK)
            r->fatal = st;
        r->stopped = interrupted(r);
        if (r->fatal != FH_OK || r->stopped) {
            r->done_bytes += r->file_bytes < r->file_size ? r->file_bytes : r->file_size;
            break;
        }
        r->done_bytes += files->sizes[i];
        r->file_bytes = r->file_size = 0;
        r->stats->files++;
    }
    r->stats->bytes = r->done_bytes;
}

/* ---- the run ---- */

static void add_counts(fh_index_stats *s, fh_writer_counts c)
{
    s->added += c.added;
    s->replaced += c.replaced;
    s->unchanged += c.unchanged;
    s->dropped_terms += c.dropped_terms;
}

/* What every writer of the run, single or shard, is told. */
static fh_writer_opts writer_opts(run *r)
{
    const fh_index_opts *o = r->opts;
    return (fh_writer_opts){o->batch_docs, o->batch_bytes, o->names, on_notice, r, 0};
}

static fh_status run_single(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    fh_writer_opts wo = writer_opts(r);
    fh_status st;
    while ((st = fh_writer_open(r->opts->db_path, &wo, &r->writer, r->err)) != FH_OK &&
           wait_for_lock(r, st))
        ;
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

/* The name spellings of every shard, gathered in DB.shards/names for the
 * clients of remote shards (the remote backend serves no synonyms). */
static fh_status collect_names(const fh_layout *layout, fh_error *err)
{
    char *path = fh_layout_names_path(layout);
    if (path == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_db *names = NULL;
    fh_status st = fh_db_open(path, FH_DB_WRITE, &names, err);
    for (size_t k = 0; st == FH_OK && k < layout->nshards; k++) {
        fh_db *shard = NULL;
        st = fh_db_open(layout->shards[k], FH_DB_READ, &shard, err);
        if (st == FH_OK)
            st = fh_db_copy_synonyms(names, shard, FH_PREFIX_NAMEKEY, err);
        fh_db_close(shard);
    }
    if (st == FH_OK)
        st = fh_db_commit(names, err);
    fh_db_close(names);
    free(path);
    return st;
}

static fh_status run_parallel(run *r, fh_layout *layout, const fh_file_list *files,
                              const fh_reader_sink *sink)
{
    fh_writer_opts wo = writer_opts(r);
    fh_status st = fh_pool_start((const char *const *)layout->shards, layout->nshards, &wo,
                                 r->opts->interrupted, &r->pool, r->err);
    if (st == FH_OK)
        st = fh_layout_publish(layout, r->err);
    if (st != FH_OK) {
        if (r->pool) {
            fh_writer_counts ignored;
            fh_pool_finish(r->pool, 1, &ignored, NULL);
            r->pool = NULL;
        }
        return st;
    }
    index_files(r, files, sink);
    fh_writer_counts c;
    fh_error pool_err;
    /* On interrupt, what is still queued is dropped: the next run reads it again. */
    fh_status pst = fh_pool_finish(r->pool, r->stopped, &c, r->fatal == FH_OK ? r->err : &pool_err);
    r->pool = NULL;
    r->stopped = r->stopped || interrupted(r); /* perhaps while the queues drained */
    add_counts(r->stats, c);
    st = r->fatal != FH_OK ? r->fatal : pst;
    /* A sharded database keeps its shards; an interrupted build keeps its
     * stub and shards, and the next run resumes. */
    if (st == FH_OK && layout->sharded)
        st = collect_names(layout, r->err);
    else if (st == FH_OK && !r->stopped)
        st = fh_layout_merge(layout, r->err);
    return st;
}

static size_t wanted_shards(const fh_index_opts *opts, uint64_t total_bytes)
{
    return opts->jobs > 1 && total_bytes >= PARALLEL_MIN_BYTES ? opts->jobs : 1;
}

static fh_status run_files(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    fh_layout layout;
    fh_status st;
    while ((st = fh_layout_open(r->opts->db_path, wanted_shards(r->opts, files->total_bytes),
                                r->opts->shards, &layout, r->err)) != FH_OK &&
           wait_for_lock(r, st))
        fh_layout_close(&layout);
    if (st == FH_OK)
        st = layout.nshards ? run_parallel(r, &layout, files, sink) : run_single(r, files, sink);
    fh_layout_close(&layout);
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
    r.start = fh_clock_ms() / 1e3;
    pthread_mutex_init(&r.log_mu, NULL);
    fh_reader_sink sink = {on_document, on_notice, &r};
    fh_file_list files = {0};
    fh_status st = fh_make_parent_dirs(opts->db_path, err);
    if (st == FH_OK)
        st = fh_collect_files(paths, n, &sink, &files, err);
    r.total_bytes = files.total_bytes;
    if (st == FH_OK)
        st = run_files(&r, &files, &sink);
    draw_progress(&r, 1);
    clear_progress(&r);
    stats->interrupted = r.stopped;
    stats->seconds = fh_clock_ms() / 1e3 - r.start;
    fh_file_list_free(&files);
    fh_buf_free(&r.id);
    fh_buf_free(&r.id_utf8);
    pthread_mutex_destroy(&r.log_mu);
    return st;
}

/* A long id in a database made before hashed id terms were marked: under
 * its former term (terms.h). */
static fh_status delete_legacy(fh_db *db, const char *id, fh_buf *term, int *found, fh_error *err)
{
    fh_status st = fh_find_legacy_id(db, id, term, found, err);
    return st == FH_OK && *found ? fh_db_delete(db, term->data, found, err) : st;
}

static fh_status delete_id(fh_db *db, const char *id, fh_buf *term, int *found, fh_error *err)
{
    fh_status st = fh_term_id(id, term) == FH_OK
                       ? fh_db_delete(db, term->data, found, err)
                       : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    return st == FH_OK && !*found ? delete_legacy(db, id, term, found, err) : st;
}

/* The database that holds id: one shard of a sharded database. */
static fh_db *holder(fh_db *const *dbs, size_t n, const char *id)
{
    return dbs[n > 1 ? fh_shard_of(id, n) : 0];
}

/* An id as given ("a1", or a file's absolute path) or, failing that, as the
 * absolute form of a relative path (corpus/a.txt), in the database (or the
 * shard) that holds it. */
static fh_status delete_one(fh_db *const *dbs, size_t n, const char *id, fh_buf *term,
                            int *found, fh_error *err)
{
    fh_status st = delete_id(holder(dbs, n, id), id, term, found, err);
    if (st != FH_OK || *found || id[0] == '/')
        return st;
    fh_buf abs = FH_BUF_INIT;
    st = fh_absolute_path(id, &abs, err);
    if (st == FH_OK)
        st = delete_id(holder(dbs, n, abs.data), abs.data, term, found, err);
    fh_buf_free(&abs);
    return st;
}

static fh_status delete_in(fh_db *const *dbs, size_t n, const char *const *ids, size_t nids,
                           size_t *deleted, size_t *missing, fh_error *err)
{
    fh_buf term = FH_BUF_INIT;
    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && i < nids; i++) {
        int found = 0;
        st = delete_one(dbs, n, ids[i], &term, &found, err);
        if (found)
            (*deleted)++;
        else
            (*missing)++;
    }
    for (size_t k = 0; st == FH_OK && k < n; k++)
        st = fh_db_commit(dbs[k], err);
    fh_buf_free(&term);
    return st;
}

/* Deleting through a cluster description: each shard by its line. */
static fh_status delete_in_cluster(const char *path, const char *const *ids, size_t n,
                                   size_t *deleted, size_t *missing, fh_error *err)
{
    fh_cluster c;
    fh_status st = fh_cluster_read(path, &c, err);
    if (st != FH_OK)
        return st;
    fh_db *dbs[FH_MAX_SHARDS] = {NULL};
    if (c.n > FH_MAX_SHARDS)
        st = fh_error_set(err, FH_ERR_INVALID, "%s: more than %d shards", path, FH_MAX_SHARDS);
    for (size_t k = 0; st == FH_OK && k < c.n; k++)
        st = fh_db_open_shard_writer(&c.shards[k], NULL, &dbs[k], err);
    if (st == FH_OK)
        st = delete_in(dbs, c.n, ids, n, deleted, missing, err);
    for (size_t k = 0; k < c.n && k < FH_MAX_SHARDS; k++)
        fh_db_close(dbs[k]);
    fh_cluster_free(&c);
    return st;
}

/* A cluster description: a file that is not the stub of a database being
 * built or sharded here (those have DB.shards next to them). */
static int is_cluster_description(const char *path)
{
    fh_buf shards = FH_BUF_INIT;
    struct stat sb;
    int here = fh_buf_printf(&shards, "%s.shards", path) == FH_OK && stat(shards.data, &sb) == 0;
    fh_buf_free(&shards);
    return !here && fh_cluster_is_stub(path);
}

fh_status fh_delete_documents(const char *db_path, const char *const *ids, size_t n,
                              size_t *deleted, size_t *missing, fh_error *err)
{
    *deleted = *missing = 0;
    if (is_cluster_description(db_path))
        return delete_in_cluster(db_path, ids, n, deleted, missing, err);
    fh_layout layout;
    fh_status st = fh_layout_open(db_path, 1, 0, &layout, err);
    if (st == FH_OK && layout.nshards > 0 && !layout.sharded)
        st = fh_error_set(err, FH_ERR_INVALID,
                          "%s is a new database whose build was interrupted: run the indexer "
                          "on it again to finish the build first", db_path);
    size_t ndbs = layout.sharded ? layout.nshards : 1;
    fh_db *dbs[FH_MAX_SHARDS] = {NULL};
    for (size_t k = 0; st == FH_OK && k < ndbs; k++)
        st = fh_db_open(layout.sharded ? layout.shards[k] : db_path, FH_DB_UPDATE, &dbs[k], err);
    if (st == FH_OK)
        st = delete_in(dbs, ndbs, ids, n, deleted, missing, err);
    for (size_t k = 0; k < ndbs; k++)
        fh_db_close(dbs[k]);
    fh_layout_close(&layout);
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
