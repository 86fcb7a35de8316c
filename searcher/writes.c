/*
 * writes.c - documents written over HTTP, one call at a time, each call one
 * commit (see writes.h).
 */
#include "fihris/writes.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fihris/buf.h"
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

struct fh_writes {
    char *path;
    pthread_mutex_t lock; /* one call at a time; guards what follows */
    fh_writer *writer;    /* NULL until opened, and after a failure */
    int in_call;          /* a call is under way: notices go to it */
    call call;
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

fh_status fh_writes_new(const char *db_path, fh_writes **out, fh_error *err)
{
    fh_status st = check_layout(db_path, err);
    if (st == FH_OK)
        st = fh_make_parent_dirs(db_path, err);
    if (st != FH_OK)
        return st;
    fh_writes *w = calloc(1, sizeof *w);
    if (w == NULL || (w->path = strdup(db_path)) == NULL ||
        pthread_mutex_init(&w->lock, NULL) != 0) {
        if (w)
            free(w->path);
        free(w);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    *out = w;
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

/* After a failure: the changes of the call are dropped with the writer. */
static void drop_writer(fh_writes *w)
{
    fh_writer_close(w->writer);
    w->writer = NULL;
}

void fh_writes_close(fh_writes *w)
{
    if (w == NULL)
        return;
    drop_writer(w);
    pthread_mutex_destroy(&w->lock);
    free(w->path);
    free(w);
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

/* ---- calls ---- */

/* Take the lock and the writer, and begin a call; on failure the lock is
 * released. */
static fh_status begin(fh_writes *w, int by_index, fh_write_report *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&w->lock);
    call *c = &w->call;
    memset(c, 0, sizeof *c);
    c->by_index = by_index;
    c->err = err;
    fh_status st = take_locked(w, err);
    if (st == FH_OK && ((c->failures = json_array()) == NULL ||
                        (c->warnings = json_array()) == NULL))
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (st != FH_OK) {
        json_decref(c->failures);
        json_decref(c->warnings);
        pthread_mutex_unlock(&w->lock);
        return st;
    }
    w->in_call = 1;
    return FH_OK;
}

/* End the call, whose work came to st: committed and reported when st is
 * FH_OK, dropped otherwise; the lock released. */
static fh_status finish(fh_writes *w, fh_status st, const fh_writer_counts *before,
                        fh_write_report *out, fh_error *err)
{
    call *c = &w->call;
    if (st == FH_OK && c->fatal != FH_OK)
        st = c->fatal;
    /* text refused whole by the reader: no document was stored */
    int untouched = st == FH_ERR_INVALID || st == FH_ERR_TOO_LARGE;
    if (st == FH_OK)
        st = fh_writer_commit(w->writer, err);
    if (st == FH_OK) {
        fh_writer_counts after = fh_writer_get_counts(w->writer);
        out->added = after.added - before->added;
        out->replaced = after.replaced - before->replaced;
        out->unchanged = after.unchanged - before->unchanged;
        out->deleted = after.deleted - before->deleted;
        out->not_found = c->not_found;
        out->failed = c->failed;
        if ((out->json = report_json(c, out)) == NULL)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory"); /* yet committed */
    } else if (!untouched) {
        /* what the call changed may be pending in the writer: dropped */
        drop_writer(w);
    }
    w->in_call = 0;
    json_decref(c->failures);
    json_decref(c->warnings);
    pthread_mutex_unlock(&w->lock);
    return st;
}

fh_status fh_writes_put(fh_writes *w, fh_write_format format, const char *text, size_t len,
                        size_t max_docs, fh_write_report *out, fh_error *err)
{
    fh_status st = begin(w, format == FH_WRITE_JSON, out, err);
    if (st != FH_OK)
        return st;
    fh_writer_counts before = fh_writer_get_counts(w->writer);
    fh_reader_sink sink = {on_document, on_notice, w};
    /* The reader sends nothing when it fails: no document is pending. */
    st = format == FH_WRITE_JSONL ? fh_read_jsonl_text(text, len, max_docs, &sink, err)
                                  : fh_read_json_text(text, len, max_docs, &sink, err);
    return finish(w, st, &before, out, err);
}

/* Delete id, counting it as deleted or not found. */
static fh_status delete_one(fh_writes *w, const char *id, fh_error *err)
{
    int found = 0;
    fh_status st = fh_writer_delete(w->writer, id, &found, err);
    if (st == FH_OK && !found)
        w->call.not_found++;
    return st;
}

fh_status fh_writes_delete(fh_writes *w, const char *id, fh_write_report *out, fh_error *err)
{
    fh_status st = begin(w, 1, out, err);
    if (st != FH_OK)
        return st;
    fh_writer_counts before = fh_writer_get_counts(w->writer);
    st = delete_one(w, id, err);
    return finish(w, st, &before, out, err);
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
    if (ids && (st = begin(w, 1, out, err)) == FH_OK) {
        fh_writer_counts before = fh_writer_get_counts(w->writer);
        for (size_t i = 0; st == FH_OK && w->call.fatal == FH_OK && i < json_array_size(ids);
             i++) {
            json_t *id = json_array_get(ids, i);
            if (json_is_string(id) && json_string_length(id) > 0)
                st = delete_one(w, json_string_value(id), err);
            else
                failure(&w->call, i + 1, NULL, "not an id (a non-empty string)");
        }
        st = finish(w, st, &before, out, err);
    }
    json_decref(root);
    return st;
}

void fh_write_report_free(fh_write_report *r)
{
    free(r->json);
    r->json = NULL;
}
