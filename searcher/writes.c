/*
 * writes.c - documents written over HTTP by a thread of their own, the
 * calls of a moment committed together (see writes.h).
 *
 * A call is a job that the connection's thread queues and waits for.  The
 * writing thread, once the interval since its last commit is over, takes
 * the jobs queued (a group), applies them one after another, commits them
 * together and marks each done with how it went; the calls that come
 * meanwhile are queued once the group is done (the thread holds the lock
 * throughout), for the next.  A commit holds whole calls only: a
 * call that fails part way closes the writer, dropping its changes and
 * those of the group's calls before it.  The thread runs at a lower
 * priority (a higher nice value) than the threads that answer searches, so
 * that a commit makes way for a search rather than the other way round.
 *
 * The mutex guards the queue and the writer; the writing thread holds it
 * from taking a group to marking it done, and lets it go while it waits.
 */
#include "fihris/writes.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "fihris/buf.h"
#include "fihris/clock.h"
#include "fihris/paths.h"
#include "fihris/reader.h"
#include "fihris/writer.h"

/* What the call under way has done, beyond the writer's counts. */
typedef struct {
    int by_index;       /* positions are "index" (from 0), else "line" */
    json_t *failures, *warnings;
    size_t failed, not_found;
    fh_status fatal;    /* a failure that ends the call (in *err) */
    fh_error *err;
} call;

typedef enum { JOB_PUT, JOB_DELETE_ONE, JOB_DELETE_LIST } job_kind;

/* A call, queued by the connection's thread, which waits until it is done. */
typedef struct job {
    struct job *next;
    job_kind kind;
    fh_write_format format; /* JOB_PUT: text[0..len), at most max_docs */
    const char *text;
    size_t len, max_docs;
    const char *id;         /* JOB_DELETE_ONE */
    const json_t *ids;      /* JOB_DELETE_LIST */
    fh_write_report *out;   /* filled when st is FH_OK */
    int done;
    fh_status st;
    fh_error err;
} job;

struct fh_writes {
    char *path;
    unsigned interval_ms;
    int nice;
    pthread_mutex_t lock;  /* guards all that follows */
    pthread_cond_t queued; /* a job was queued, or the end asked */
    pthread_cond_t done;   /* jobs were done */
    job *queue, **queue_end;
    int hurry;             /* commit what comes without waiting (stopping) */
    int carried;           /* calls were left over by the last group's cap */
    int stopping;
    pthread_t thread;
    fh_writer *writer;     /* NULL until opened, and after a failure */
    int in_call;           /* a call is under way: notices go to it */
    call call;
    double last_commit_ms; /* when the last commit ended (fh_clock_ms) */
    atomic_ullong commits; /* how many were made (read without the lock) */
    atomic_uint waiting;   /* calls queued or under way (the same) */
};

/* ---- the database and its writer ---- */

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Writing over HTTP takes one database: not a sharded one, a cluster
 * description or a build left unfinished (a file DB, or DB.shards). */
static fh_status check_layout(const char *path, fh_error *err)
{
    struct stat sb;
    fh_buf shards = FH_BUF_INIT;
    if (fh_buf_printf(&shards, "%s.shards", path) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    int sharded = is_dir(shards.data);
    fh_buf_free(&shards);
    if (sharded || (lstat(path, &sb) == 0 && !S_ISDIR(sb.st_mode)))
        return fh_error_set(err, FH_ERR_UNSUPPORTED,
                            "%s is not one database (a sharded database, a cluster description "
                            "or a build left unfinished): writing over HTTP takes one",
                            path);
    return FH_OK;
}

static void on_notice(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                      const char *message);

/* Open the writer unless it is open (w->lock held). */
static fh_status take_locked(fh_writes *w, fh_error *err)
{
    if (w->writer)
        return FH_OK;
    fh_writer_opts wo = {0};
    wo.names = 1;
    wo.commit_when_asked = 1;
    wo.notice = on_notice;
    wo.notice_ctx = w;
    return fh_writer_open(w->path, &wo, &w->writer, err);
}

fh_status fh_writes_take(fh_writes *w, fh_error *err)
{
    pthread_mutex_lock(&w->lock);
    fh_status st = take_locked(w, err);
    pthread_mutex_unlock(&w->lock);
    return st;
}

/* After a failure: the changes pending are dropped with the writer. */
static void drop_writer(fh_writes *w)
{
    fh_writer_close(w->writer);
    w->writer = NULL;
}

/* ---- what a call reports ---- */

/* {"line": L} or {"index": L - 1} (line 0: about no one document), with
 * id when known, and reason. */
static void note(call *c, json_t *list, size_t line, const char *id, const char *reason)
{
    json_t *o = json_object();
    int ok = o != NULL;
    if (ok && line)
        ok = json_object_set_new(o, c->by_index ? "index" : "line",
                                 json_integer((json_int_t)(line - c->by_index))) == 0;
    if (ok && id)
        ok = json_object_set_new(o, "id", json_string(id)) == 0;
    if (ok)
        ok = json_object_set_new(o, "reason", json_string(reason)) == 0;
    if (!ok || json_array_append_new(list, o) != 0) {
        if (ok)
            o = NULL; /* json_array_append_new took it */
        json_decref(o);
        c->fatal = fh_error_set(c->err, FH_ERR_NOMEM, "out of memory");
    }
}

static void failure(call *c, size_t line, const char *id, const char *reason)
{
    c->failed++;
    note(c, c->failures, line, id, reason);
}

/* Notices of the reader and of the writer; those of no call (opening the
 * writer) have no one to be told. */
static void on_notice(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                      const char *message)
{
    fh_writes *w = ctx;
    (void)path;
    if (!w->in_call)
        return;
    if (kind == FH_NOTICE_FAILED)
        failure(&w->call, line, NULL, message);
    else
        note(&w->call, w->call.warnings, line, NULL, message);
}

static int on_document(void *ctx, const fh_document *d)
{
    fh_writes *w = ctx;
    call *c = &w->call;
    fh_error err;
    fh_status st = fh_writer_put(w->writer, d, &err);
    if (st == FH_ERR_INVALID || st == FH_ERR_TOO_LARGE) /* this document, not the call */
        failure(c, d->line, d->id, err.message);
    else if (st != FH_OK)
        c->fatal = fh_error_set(c->err, st, "%s", err.message);
    return c->fatal != FH_OK;
}

static char *report_json(const call *c, const fh_write_report *r)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:O, s:O}", "added",
                          (json_int_t)r->added, "replaced", (json_int_t)r->replaced,
                          "unchanged", (json_int_t)r->unchanged, "deleted",
                          (json_int_t)r->deleted, "not_found", (json_int_t)r->not_found,
                          "failed", (json_int_t)r->failed, "failures", c->failures,
                          "warnings", c->warnings);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return body;
}

/* ---- one call, in the writing thread ---- */

/* Delete id, counting it as deleted or not found. */
static fh_status delete_one(fh_writes *w, const char *id, fh_error *err)
{
    int found = 0;
    fh_status st = fh_writer_delete(w->writer, id, &found, err);
    if (st == FH_OK && !found)
        w->call.not_found++;
    return st;
}

/* Make the changes j asks in the writer. */
static fh_status change(fh_writes *w, const job *j, fh_error *err)
{
    if (j->kind == JOB_DELETE_ONE)
        return delete_one(w, j->id, err);
    if (j->kind == JOB_DELETE_LIST) {
        fh_status st = FH_OK;
        for (size_t i = 0; st == FH_OK && w->call.fatal == FH_OK && i < json_array_size(j->ids);
             i++) {
            const json_t *id = json_array_get(j->ids, i);
            if (json_is_string(id) && json_string_length(id) > 0)
                st = delete_one(w, json_string_value(id), err);
            else
                failure(&w->call, i + 1, NULL, "not an id (a non-empty string)");
        }
        return st;
    }
    fh_reader_sink sink = {on_document, on_notice, w};
    /* The reader sends nothing when it fails: no document is pending. */
    return j->format == FH_WRITE_JSONL
               ? fh_read_jsonl_text(j->text, j->len, j->max_docs, &sink, err)
               : fh_read_json_text(j->text, j->len, j->max_docs, &sink, err);
}

/* What the call did, from the writer's counts before and after it. */
static fh_status report(const call *c, const fh_writer_counts *before,
                        const fh_writer_counts *after, fh_write_report *out, fh_error *err)
{
    out->added = after->added - before->added;
    out->replaced = after->replaced - before->replaced;
    out->unchanged = after->unchanged - before->unchanged;
    out->deleted = after->deleted - before->deleted;
    out->not_found = c->not_found;
    out->failed = c->failed;
    out->json = report_json(c, out);
    return out->json ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

/* Apply j in the writer (opened if need be) and make its report: FH_OK
 * when its changes are pending.  Otherwise j->err says why, and the writer
 * is closed (*dropped set) unless nothing of j was written. */
static fh_status apply(fh_writes *w, job *j, int *dropped)
{
    call *c = &w->call;
    *c = (call){.by_index = j->kind != JOB_PUT || j->format == FH_WRITE_JSON, .err = &j->err};
    *dropped = 0;
    fh_status st = take_locked(w, &j->err);
    if (st != FH_OK)
        return st;
    if ((c->failures = json_array()) == NULL || (c->warnings = json_array()) == NULL)
        st = fh_error_set(&j->err, FH_ERR_NOMEM, "out of memory");
    fh_writer_counts before = fh_writer_get_counts(w->writer);
    if (st == FH_OK) {
        w->in_call = 1;
        st = change(w, j, &j->err);
        w->in_call = 0;
    }
    if (st == FH_OK && c->fatal != FH_OK)
        st = c->fatal;
    fh_writer_counts after = fh_writer_get_counts(w->writer);
    if (st == FH_OK)
        st = report(c, &before, &after, j->out, &j->err);
    /* a text the reader refused whole stored nothing */
    if (st != FH_OK && st != FH_ERR_INVALID && st != FH_ERR_TOO_LARGE) {
        drop_writer(w);
        *dropped = 1;
    }
    json_decref(c->failures);
    json_decref(c->warnings);
    return st;
}

/* ---- groups, in the writing thread ---- */

/* A group holds at most this much text (and a call of more alone). */
#define GROUP_BYTES (4u << 20)
/* Index terms a byte of text may give, at most, as far as the pending
 * calls are committed early for the next (FH_MAX_COMMIT_TERMS bounds a
 * commit, writer.h): twice what news text gives. */
#define TERMS_A_BYTE 0.5

static size_t job_bytes(const job *j)
{
    return j->kind == JOB_PUT ? j->len : j->kind == JOB_DELETE_ONE ? strlen(j->id) : 64;
}

/* Take a group off the queue: its first job, and the next ones while their
 * text stays within GROUP_BYTES. */
static job *take_group(fh_writes *w)
{
    job *group = w->queue, **end = &group->next;
    size_t bytes = job_bytes(group);
    while (*end && bytes + job_bytes(*end) <= GROUP_BYTES) {
        bytes += job_bytes(*end);
        end = &(*end)->next;
    }
    w->queue = *end;
    if (w->queue == NULL)
        w->queue_end = &w->queue;
    *end = NULL;
    w->carried = w->queue != NULL; /* they have waited already: no interval for them */
    return group;
}

/* The jobs from first up to stop whose changes were pending fail: why. */
static void fail_pending(job *first, const job *stop, fh_status st, const fh_error *why)
{
    for (job *j = first; j != stop; j = j->next)
        if (j->st == FH_OK) {
            fh_write_report_free(j->out);
            j->st = st;
            j->err = *why;
        }
}

/* Commit the changes of the jobs from first up to stop, if any of them has
 * some pending. */
static void commit_pending(fh_writes *w, job *first, const job *stop)
{
    int any = 0;
    for (const job *j = first; j != stop; j = j->next)
        any |= j->st == FH_OK;
    if (!any)
        return;
    fh_error err;
    fh_status st = fh_writer_commit(w->writer, &err);
    w->last_commit_ms = fh_clock_ms();
    if (st == FH_OK) {
        atomic_fetch_add(&w->commits, 1);
    } else {
        drop_writer(w);
        fail_pending(first, stop, st, &err);
    }
}

/* Whether the changes pending leave j too little room under
 * FH_MAX_COMMIT_TERMS. */
static int crowded(const fh_writes *w, const job *j)
{
    size_t pending = w->writer ? fh_writer_pending_terms(w->writer) : 0;
    return pending > 0 &&
           (double)pending + TERMS_A_BYTE * (double)job_bytes(j) > (double)FH_MAX_COMMIT_TERMS;
}

/* Apply the jobs of the group and commit them: in one commit, unless the
 * terms of some would crowd the next out. */
static void run_group(fh_writes *w, job *group)
{
    job *pending = group; /* the jobs from here on may have changes pending */
    for (job *j = group; j; j = j->next) {
        if (j != pending && crowded(w, j)) {
            commit_pending(w, pending, j);
            pending = j;
        }
        int dropped;
        j->st = apply(w, j, &dropped);
        if (dropped) {
            fh_error why;
            fh_error_set(&why, j->err.status,
                         "not committed: a write sent at the same time failed: %s",
                         j->err.message);
            fail_pending(pending, j, why.status, &why);
            pending = j->next;
        }
    }
    commit_pending(w, pending, NULL);
}

/* Raise the nice value of the calling thread alone by nice (to 19 at
 * most): on Linux a thread has a nice value of its own (elsewhere the
 * whole process would be lowered, so it is not done). */
static void lower_priority(int nice)
{
#ifdef __linux__
    if (nice <= 0)
        return;
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    if (now == -1 && errno != 0)
        now = 0;
    int want = now + nice > 19 ? 19 : now + nice;
    (void)setpriority(PRIO_PROCESS, 0, want); /* at worst, writes run as searches do */
#else
    (void)nice;
#endif
}

static struct timespec timespec_of_ms(double ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1e3);
    ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1e3) * 1e6);
    if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
        ts.tv_nsec = 0;
    return ts;
}

/* Wait for jobs, and for the interval since the last commit to be over
 * (w->lock held): 0 when the thread is to end. */
static int wait_for_group(fh_writes *w)
{
    for (;;) {
        if (w->queue == NULL) {
            if (w->stopping)
                return 0;
            pthread_cond_wait(&w->queued, &w->lock);
            continue;
        }
        double due = w->last_commit_ms + (double)w->interval_ms;
        if (w->hurry || w->stopping || w->carried || fh_clock_ms() >= due)
            return 1;
        struct timespec until = timespec_of_ms(due);
        (void)pthread_cond_timedwait(&w->queued, &w->lock, &until); /* either way, look again */
    }
}

static void *writing_thread(void *arg)
{
    fh_writes *w = arg;
    lower_priority(w->nice);
    pthread_mutex_lock(&w->lock);
    while (wait_for_group(w)) {
        job *group = take_group(w);
        run_group(w, group);
        for (job *j = group; j; j = j->next)
            j->done = 1;
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* ---- the writer's life ---- */

/* A condition variable timed by the monotonic clock, as fh_clock_ms. */
static int cond_init_monotonic(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
    return rc;
}

static void writes_free(fh_writes *w)
{
    if (w)
        free(w->path);
    free(w);
}

fh_status fh_writes_new(const char *db_path, unsigned interval_ms, int nice, fh_writes **out,
                        fh_error *err)
{
    fh_status st = check_layout(db_path, err);
    if (st == FH_OK)
        st = fh_make_parent_dirs(db_path, err);
    if (st != FH_OK)
        return st;
    fh_writes *w = calloc(1, sizeof *w);
    if (w == NULL || (w->path = strdup(db_path)) == NULL) {
        writes_free(w);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    w->interval_ms = interval_ms;
    w->nice = nice;
    w->queue_end = &w->queue;
    w->last_commit_ms = -1e18; /* the first call is committed at once */
    int made = 0; /* of the mutex and the two condition variables */
    if (pthread_mutex_init(&w->lock, NULL) == 0 && ++made && cond_init_monotonic(&w->queued) == 0 &&
        ++made && pthread_cond_init(&w->done, NULL) == 0 && ++made &&
        pthread_create(&w->thread, NULL, writing_thread, w) == 0) {
        *out = w;
        return FH_OK;
    }
    if (made > 2)
        pthread_cond_destroy(&w->done);
    if (made > 1)
        pthread_cond_destroy(&w->queued);
    if (made > 0)
        pthread_mutex_destroy(&w->lock);
    writes_free(w);
    return fh_error_set(err, FH_ERR_IO, "cannot start the thread that writes");
}

/* Set *flag, a field of w, and wake the writing thread to look at it. */
static void tell_thread(fh_writes *w, int *flag)
{
    pthread_mutex_lock(&w->lock);
    *flag = 1;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->lock);
}

void fh_writes_hurry(fh_writes *w)
{
    if (w)
        tell_thread(w, &w->hurry);
}

void fh_writes_close(fh_writes *w)
{
    if (w == NULL)
        return;
    tell_thread(w, &w->stopping);
    pthread_join(w->thread, NULL);
    drop_writer(w);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->queued);
    pthread_mutex_destroy(&w->lock);
    writes_free(w);
}

/* ---- calls, in the connection's thread ---- */

/* Queue j and wait until it is done. */
static fh_status run_job(fh_writes *w, job *j, fh_write_report *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    j->out = out;
    atomic_fetch_add(&w->waiting, 1);
    pthread_mutex_lock(&w->lock);
    *w->queue_end = j;
    w->queue_end = &j->next;
    pthread_cond_signal(&w->queued);
    while (!j->done)
        pthread_cond_wait(&w->done, &w->lock);
    pthread_mutex_unlock(&w->lock);
    atomic_fetch_sub(&w->waiting, 1);
    if (j->st != FH_OK)
        *err = j->err;
    return j->st;
}

fh_status fh_writes_put(fh_writes *w, fh_write_format format, const char *text, size_t len,
                        size_t max_docs, fh_write_report *out, fh_error *err)
{
    job j = {.kind = JOB_PUT, .format = format, .text = text, .len = len, .max_docs = max_docs};
    return run_job(w, &j, out, err);
}

fh_status fh_writes_delete(fh_writes *w, const char *id, fh_write_report *out, fh_error *err)
{
    job j = {.kind = JOB_DELETE_ONE, .id = id};
    return run_job(w, &j, out, err);
}

/* The array of ids of a delete's text, or NULL with err saying why (the
 * root is the caller's to free). */
static json_t *ids_of(const char *text, size_t len, size_t max_ids, json_t **root,
                      fh_status *st, fh_error *err)
{
    json_error_t jerr;
    *root = json_loadb(text, len, 0, &jerr);
    json_t *ids = json_is_object(*root) ? json_object_get(*root, "ids") : *root;
    if (*root == NULL)
        *st = fh_error_set(err, FH_ERR_INVALID, "not JSON: %s (line %d, column %d)", jerr.text,
                           jerr.line, jerr.column);
    else if (!json_is_array(ids))
        *st = fh_error_set(err, FH_ERR_INVALID,
                           "give the ids as a JSON array, or as an object {\"ids\": [...]}");
    else if (json_array_size(ids) > max_ids)
        *st = fh_error_set(err, FH_ERR_TOO_LARGE, "more than %zu ids", max_ids);
    else
        return ids;
    return NULL;
}

fh_status fh_writes_delete_json(fh_writes *w, const char *text, size_t len, size_t max_ids,
                                fh_write_report *out, fh_error *err)
{
    json_t *root = NULL;
    fh_status st = FH_OK;
    json_t *ids = ids_of(text, len, max_ids, &root, &st, err);
    if (ids) {
        job j = {.kind = JOB_DELETE_LIST, .ids = ids};
        st = run_job(w, &j, out, err);
    } else {
        memset(out, 0, sizeof *out);
    }
    json_decref(root);
    return st;
}

uint64_t fh_writes_commits(fh_writes *w)
{
    return atomic_load(&w->commits);
}

unsigned fh_writes_waiting(fh_writes *w)
{
    return atomic_load(&w->waiting);
}

void fh_write_report_free(fh_write_report *r)
{
    free(r->json);
    r->json = NULL;
}
