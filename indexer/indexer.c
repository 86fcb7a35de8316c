/*
 * indexer.c - the indexing run: files -> documents -> analyzed Xapian
 * documents, committed in batches (see indexer.h).
 */
#include "fihris/indexer.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"
#include "fihris/db.h"
#include "fihris/docdata.h"
#include "fihris/paths.h"
#include "fihris/terms.h"

enum { PROGRESS_INTERVAL_MS = 200 };

typedef struct {
    const fh_index_opts *opts;
    fh_index_stats *stats;
    fh_db *db;
    fh_analyzer *an;
    fh_buf id_term, digest, stored, scratch;
    unsigned pending_docs;
    size_t pending_bytes;
    uint64_t done_bytes;     /* bytes of the files already finished */
    uint64_t file_bytes;     /* bytes of documents read from the current file */
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
    opts->batch_docs = 2000;
    opts->batch_bytes = 32u * 1024u * 1024u;
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
    const fh_index_stats *s = r->stats;
    fprintf(log_of(r), "\r\033[K%zu docs  %.1f/%.1f MB  %.1f MB/s  ETA %s",
            s->added + s->replaced + s->unchanged, mb, r->total_bytes / 1e6, rate, eta);
    fflush(log_of(r));
    r->progress_drawn = 1;
}

/* ---- reasons and notices ---- */

/* "file too large (70 MB, limit 64 MB)" and "file too large (80 MB...)" are
 * one reason: keep the text before any detail. */
static size_t reason_length(const char *msg)
{
    size_t n = strcspn(msg, ":(0123456789");
    while (n > 0 && msg[n - 1] == ' ')
        n--;
    return n ? n : strlen(msg);
}

static void count_reason(fh_index_stats *s, fh_notice_kind kind, const char *msg)
{
    size_t n = reason_length(msg);
    for (size_t i = 0; i < s->nreasons; i++) {
        fh_reason *x = &s->reasons[i];
        if (x->kind == kind && strlen(x->reason) == n && memcmp(x->reason, msg, n) == 0) {
            x->count++;
            return;
        }
    }
    fh_reason *grown = realloc(s->reasons, (s->nreasons + 1) * sizeof *grown);
    char *text = malloc(n + 1);
    if (grown == NULL || text == NULL) {
        free(text);
        if (grown)
            s->reasons = grown;
        return;
    }
    memcpy(text, msg, n);
    text[n] = '\0';
    s->reasons = grown;
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

/* ---- building documents ---- */

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    /* a separator, so that ("ab","c") and ("a","bc") differ */
    h ^= 0xFF;
    return h * 0x100000001b3ULL;
}

static void compute_digest(const fh_document *d, fh_buf *out)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const char *fields[] = {FH_ANALYSIS_VERSION, d->id, d->url, d->date, d->source, d->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        h = fnv1a(h, fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) : 0);
    h = fnv1a(h, d->title, d->title_len);
    h = fnv1a(h, d->body, d->body_len);
    fh_buf_reset(out);
    fh_buf_printf(out, "%016llx", (unsigned long long)h);
}

static fh_status add_filter(fh_doc *doc, fh_buf *term, const char *prefix, const char *value,
                            size_t len, fh_error *err)
{
    fh_buf_reset(term);
    if (fh_buf_append_str(term, prefix) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < len; i++) {
        char c = value[i];
        if (fh_buf_append_char(term, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    return fh_doc_add_boolean(doc, term->data, term->len, err);
}

/* Filters and the sortable date value ("YYYYMMDD", unknown parts 00). */
static fh_status add_metadata(fh_doc *doc, const fh_document *d, fh_buf *term, fh_error *err)
{
    fh_status st = FH_OK;
    if (d->source)
        st = add_filter(doc, term, FH_PREFIX_SOURCE, d->source, strlen(d->source), err);
    if (st == FH_OK && d->lang)
        st = add_filter(doc, term, FH_PREFIX_LANG, d->lang, strlen(d->lang), err);
    if (st != FH_OK || d->date == NULL || strlen(d->date) < 4)
        return st;
    char digits[9] = "00000000";
    size_t k = 0;
    for (const char *p = d->date; *p && k < 8; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    st = add_filter(doc, term, FH_PREFIX_YEAR, digits, 4, err);
    if (st == FH_OK && k >= 6)
        st = add_filter(doc, term, FH_PREFIX_MONTH, digits, 6, err);
    if (st == FH_OK && k >= 8)
        st = add_filter(doc, term, FH_PREFIX_DAY, digits, 8, err);
    if (st == FH_OK)
        st = fh_doc_set_value(doc, FH_SLOT_DATE, digits, 8, err);
    return st;
}

static fh_status fill_doc(run *r, fh_doc *doc, const fh_document *d)
{
    uint32_t next = 0;
    fh_status st = fh_index_text(r->an, doc, FH_FIELD_TITLE, d->title, d->title_len, 0, &next, r->err);
    if (st == FH_OK)
        st = fh_index_text(r->an, doc, FH_FIELD_BODY, d->body, d->body_len, next + FH_BODY_POS_GAP,
                           NULL, r->err);
    if (st == FH_OK)
        st = fh_doc_add_boolean(doc, r->id_term.data, r->id_term.len, r->err);
    if (st == FH_OK)
        st = add_metadata(doc, d, &r->scratch, r->err);
    if (st == FH_OK)
        st = fh_doc_set_value(doc, FH_SLOT_DIGEST, r->digest.data, r->digest.len, r->err);
    fh_docdata data = {d->id, d->title, d->title_len, d->body, d->body_len,
                       d->url, d->date, d->source, d->lang, d->path};
    fh_buf_reset(&r->stored);
    if (st == FH_OK)
        st = fh_docdata_encode(&data, &r->stored, r->err);
    if (st == FH_OK)
        st = fh_doc_set_data(doc, r->stored.data, r->stored.len, r->err);
    return st;
}

/* ---- writing ---- */

static fh_status commit_batch(run *r)
{
    if (r->pending_docs == 0)
        return FH_OK;
    fh_status st = fh_db_commit(r->db, r->err);
    r->pending_docs = 0;
    r->pending_bytes = 0;
    return st;
}

static fh_status store_document(run *r, const fh_document *d, int exists)
{
    fh_doc *doc = fh_doc_new();
    if (doc == NULL)
        return fh_error_set(r->err, FH_ERR_NOMEM, "out of memory");
    fh_status st = fill_doc(r, doc, d);
    if (st == FH_OK)
        st = fh_db_replace(r->db, r->id_term.data, doc, r->err);
    if (st == FH_OK) {
        r->stats->dropped_terms += fh_doc_dropped_terms(doc);
        if (exists)
            r->stats->replaced++;
        else
            r->stats->added++;
        r->pending_docs++;
        r->pending_bytes += d->title_len + d->body_len;
    }
    fh_doc_free(doc);
    if (st == FH_OK && (r->pending_docs >= r->opts->batch_docs ||
                        r->pending_bytes >= r->opts->batch_bytes))
        st = commit_batch(r);
    return st;
}

static fh_status index_document(run *r, const fh_document *d)
{
    if (fh_term_id(d->id, &r->id_term) != FH_OK)
        return fh_error_set(r->err, FH_ERR_NOMEM, "out of memory");
    compute_digest(d, &r->digest);
    fh_buf_reset(&r->scratch);
    int exists = 0;
    fh_status st = fh_db_get_value(r->db, r->id_term.data, FH_SLOT_DIGEST, &r->scratch, &exists,
                                   r->err);
    if (st != FH_OK)
        return st;
    if (exists && r->scratch.len == r->digest.len &&
        memcmp(r->scratch.data, r->digest.data, r->digest.len) == 0) {
        r->stats->unchanged++;
        return FH_OK;
    }
    return store_document(r, d, exists);
}

static int on_document(void *ctx, const fh_document *d)
{
    run *r = ctx;
    if (r->opts->interrupted && *r->opts->interrupted)
        return 1;
    r->fatal = index_document(r, d);
    r->file_bytes += d->title_len + d->body_len;
    draw_progress(r, 0);
    return r->fatal != FH_OK;
}

static fh_status index_files(run *r, const fh_file_list *files, const fh_reader_sink *sink)
{
    for (size_t i = 0; i < files->count && r->fatal == FH_OK; i++) {
        if (r->opts->interrupted && *r->opts->interrupted)
            break;
        r->file_bytes = 0;
        r->file_size = files->sizes[i];
        fh_status st = fh_read_file(files->paths[i], sink, r->err);
        if (st != FH_OK && r->fatal == FH_OK)
            r->fatal = st;
        r->done_bytes += files->sizes[i];
        r->stats->files++;
    }
    r->stats->bytes = r->done_bytes;
    return r->fatal;
}

static fh_status open_run(run *r, fh_error *err)
{
    fh_status st = fh_make_parent_dirs(r->opts->db_path, err);
    if (st == FH_OK)
        st = fh_db_open(r->opts->db_path, FH_DB_WRITE, &r->db, err);
    if (st == FH_OK)
        st = fh_analyzer_new(&r->an, err);
    return st;
}

static void close_run(run *r)
{
    fh_analyzer_free(r->an);
    fh_db_close(r->db);
    fh_buf_free(&r->id_term);
    fh_buf_free(&r->digest);
    fh_buf_free(&r->stored);
    fh_buf_free(&r->scratch);
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
    fh_status st = open_run(&r, err);
    if (st == FH_OK)
        st = fh_collect_files(paths, n, &sink, &files, err);
    r.total_bytes = files.total_bytes;
    if (st == FH_OK)
        st = index_files(&r, &files, &sink);
    /* Whatever happened, keep what was indexed so far. */
    if (r.db) {
        fh_error commit_err;
        fh_status cst = commit_batch(&r);
        if (st == FH_OK)
            st = cst;
        else if (cst != FH_OK)
            fh_error_set(&commit_err, cst, "commit failed");
    }
    draw_progress(&r, 1);
    clear_progress(&r);
    stats->interrupted = opts->interrupted && *opts->interrupted;
    stats->seconds = now() - r.start;
    fh_file_list_free(&files);
    close_run(&r);
    return st;
}

fh_status fh_delete_documents(const char *db_path, const char *const *ids, size_t n,
                              size_t *deleted, size_t *missing, fh_error *err)
{
    *deleted = *missing = 0;
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
