/*
 * writer.c - turning reader documents into Xapian documents and storing
 * them in one database, batch by batch (see writer.h).
 */
#include "fihris/writer.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"
#include "fihris/db.h"
#include "fihris/docdata.h"
#include "fihris/hash.h"
#include "fihris/terms.h"
#include "fihris/utf8.h"

enum {
    LARGE_BUFFER_BYTES = 1024 * 1024,
    /* name spellings are filed once a run (Xapian rewrites a synonym key's
     * whole list each commit that adds to it), or when this many bytes of
     * them wait */
    NAMES_FLUSH_BYTES = 16 * 1024 * 1024,
    DEFAULT_BATCH_DOCS = 1000,
    DEFAULT_BATCH_BYTES = 32 * 1024 * 1024
};

/* The room a commit is asked to find free: the index takes about four
 * times the text it holds (stored text, positions, terms), and rewritten
 * blocks take more. */
#define ROOM_PER_TEXT_BYTE 6u
#define ROOM_MIN_BYTES (4u * 1024 * 1024)

struct fh_writer {
    fh_db *db;
    fh_analyzer *an;
    fh_lexicon *lex; /* NULL when names are off */
    fh_buf id_term, digest, stored, scratch, path;
    int started_empty; /* nothing to look up: every document is new */
    int commit_when_asked;
    unsigned batch_docs, pending_docs; /* pending: changed documents */
    size_t batch_bytes, pending_bytes;
    size_t pending_terms; /* terms of the documents pending, each counted once per document */
    fh_writer_counts counts;
    fh_writer_notice_fn notice;
    void *notice_ctx;
};

/* A run killed before it filed its names left documents committed, which
 * the next run skips as unchanged, with their names unfiled: they are filed
 * again from the index's vocabulary. */
static fh_status file_unfiled_names(fh_writer *w, const char *path, fh_error *err)
{
    fh_buf flag = FH_BUF_INIT;
    fh_status st = fh_db_get_metadata(w->db, FH_METADATA_NAMES_PENDING, &flag, err);
    int pending = st == FH_OK && flag.len > 0;
    fh_buf_free(&flag);
    if (st != FH_OK || !pending)
        return st;
    if (w->notice)
        w->notice(w->notice_ctx, FH_NOTICE_WARNING, path, 0,
                  "an earlier run stopped before filing its name spellings: filing them now");
    st = fh_lexicon_note_vocabulary(w->lex, w->db, w->an, err);
    if (st == FH_OK)
        st = fh_lexicon_flush(w->lex, w->db, err);
    if (st == FH_OK)
        st = fh_db_set_metadata(w->db, FH_METADATA_NAMES_PENDING, "", err);
    if (st == FH_OK)
        st = fh_db_commit(w->db, err);
    return st;
}

void fh_writer_opts_init(fh_writer_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->batch_docs = DEFAULT_BATCH_DOCS;
    opts->batch_bytes = DEFAULT_BATCH_BYTES;
    opts->names = 1;
}

fh_status fh_writer_open(const char *path, const fh_writer_opts *opts, fh_writer **out,
                         fh_error *err)
{
    fh_writer_opts defaults;
    if (opts == NULL) {
        fh_writer_opts_init(&defaults);
        opts = &defaults;
    }
    fh_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    w->commit_when_asked = opts->commit_when_asked;
    w->batch_docs = opts->commit_when_asked ? UINT_MAX : opts->batch_docs ? opts->batch_docs : 1;
    w->batch_bytes = opts->commit_when_asked ? SIZE_MAX : opts->batch_bytes ? opts->batch_bytes : 1;
    w->notice = opts->notice;
    w->notice_ctx = opts->notice_ctx;
    fh_status st = fh_db_open(path, FH_DB_WRITE, &w->db, err);
    uint32_t docs = 0;
    if (st == FH_OK)
        st = fh_db_doc_count(w->db, &docs, err);
    w->started_empty = docs == 0 && !opts->commit_when_asked;
    if (st == FH_OK)
        st = fh_analyzer_new(&w->an, err);
    if (st == FH_OK && opts->names)
        st = fh_lexicon_new(&w->lex, err);
    if (st == FH_OK && w->lex)
        st = file_unfiled_names(w, path, err);
    if (st != FH_OK) {
        fh_writer_close(w);
        return st;
    }
    *out = w;
    return FH_OK;
}

void fh_writer_close(fh_writer *w)
{
    if (w == NULL)
        return;
    fh_analyzer_free(w->an);
    fh_lexicon_free(w->lex);
    fh_db_close(w->db);
    fh_buf_free(&w->id_term);
    fh_buf_free(&w->digest);
    fh_buf_free(&w->stored);
    fh_buf_free(&w->scratch);
    fh_buf_free(&w->path);
    free(w);
}

fh_writer_counts fh_writer_get_counts(const fh_writer *w)
{
    return w->counts;
}

size_t fh_writer_pending_terms(const fh_writer *w)
{
    return w->pending_terms;
}

/* Hash a field and a separator, so that ("ab","c") and ("a","bc") differ. */
static uint64_t hash_field(uint64_t h, const char *s, size_t n)
{
    static const unsigned char separator = 0xFF;
    return fh_hash64(fh_hash64(h, s, n), &separator, 1);
}

/* Names off changes the digest (and names on leaves the digests of earlier
 * versions as they were), so that switching names on or off indexes every
 * document again instead of skipping it as unchanged. */
static void compute_digest(const fh_document *d, int names, fh_buf *out)
{
    uint64_t h = FH_HASH_SEED;
    const char *fields[] = {FH_ANALYSIS_VERSION, d->id, d->url, d->date, d->source, d->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        h = hash_field(h, fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) : 0);
    h = hash_field(h, d->title, d->title_len);
    h = hash_field(h, d->body, d->body_len);
    /* only when present: the digests of documents without extra fields
     * stay those of the versions that kept none */
    if (d->extra)
        h = hash_field(h, d->extra, d->extra_len);
    if (!names)
        h = hash_field(h, "no-names", strlen("no-names"));
    fh_buf_reset(out);
    fh_buf_printf(out, "%016llx", (unsigned long long)h);
}

/* A filter term, and with slot >= 0 the value as given too, to count
 * matches by it and show them as the documents name them ("BBC Arabic"). */
static fh_status add_filter(fh_doc *doc, fh_buf *term, const char *prefix, const char *value,
                            size_t len, int slot, fh_error *err)
{
    if (fh_term_filter(prefix, value, len, term) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = fh_doc_add_boolean(doc, term->data, term->len, err);
    if (st == FH_OK && slot >= 0)
        st = fh_doc_set_value(doc, (unsigned)slot, value, len, err);
    return st;
}

/* Filters and the sortable date value ("YYYYMMDD", unknown parts 00). */
static fh_status add_metadata(fh_doc *doc, const fh_document *d, const char *lang, fh_buf *term,
                              fh_error *err)
{
    fh_status st = FH_OK;
    if (d->source)
        st = add_filter(doc, term, FH_PREFIX_SOURCE, d->source, strlen(d->source),
                        FH_SLOT_SOURCE, err);
    fh_buf code = FH_BUF_INIT;
    if (st == FH_OK && lang && fh_lang_code(lang, strlen(lang), &code) != FH_OK)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (st == FH_OK && lang)
        st = add_filter(doc, term, FH_PREFIX_LANG, code.data, code.len, FH_SLOT_LANG, err);
    fh_buf_free(&code);
    if (st != FH_OK || d->date == NULL || strlen(d->date) < 4)
        return st;
    char digits[9] = "00000000";
    size_t k = 0;
    for (const char *p = d->date; *p && k < 8; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    st = add_filter(doc, term, FH_PREFIX_YEAR, digits, 4, FH_SLOT_YEAR, err);
    if (st == FH_OK && k >= 6)
        st = add_filter(doc, term, FH_PREFIX_MONTH, digits, 6, -1, err);
    if (st == FH_OK && k >= 8)
        st = add_filter(doc, term, FH_PREFIX_DAY, digits, 8, -1, err);
    if (st == FH_OK)
        st = fh_doc_set_value(doc, FH_SLOT_DATE, digits, 8, err);
    return st;
}

/* A buffer that held a huge document is not kept for the next one. */
static void release_large(fh_buf *b)
{
    if (b->cap > LARGE_BUFFER_BYTES)
        fh_buf_free(b);
}

/* The stored fields, with where each word lies for snippets. */
static fh_status store_fields(fh_writer *w, fh_doc *doc, const fh_document *d, const char *lang,
                              const fh_spans_writer *title, const fh_spans_writer *body,
                              fh_error *err)
{
    /* the path is file system bytes; stored fields are UTF-8 */
    fh_buf_reset(&w->path);
    if (d->path && fh_utf8_repair(d->path, strlen(d->path), &w->path, NULL) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    /* "" rather than NULL: spans stored, for a text without words */
    fh_docdata data = {d->id, d->title, d->title_len, d->body, d->body_len,
                       d->url, d->date, d->source, lang, d->path ? w->path.data : NULL,
                       title->out.data ? title->out.data : "",
                       body->out.data ? body->out.data : "",
                       title->out.len, body->out.len, d->extra, d->extra_len};
    fh_buf_reset(&w->stored);
    fh_status st = fh_docdata_encode(&data, &w->stored, err);
    if (st == FH_OK)
        st = fh_doc_set_data(doc, w->stored.data, w->stored.len, err);
    release_large(&w->stored); /* the document has its own copy */
    return st;
}

/* The id and filter terms first, so that the limit on a document's terms
 * never refuses them. */
static fh_status fill_doc(fh_writer *w, fh_doc *doc, const fh_document *d, fh_error *err)
{
    uint32_t next = 0;
    fh_spans_writer title = {FH_BUF_INIT, 0, 0}, body = {FH_BUF_INIT, 0, 0};
    fh_status st = fh_doc_add_boolean(doc, w->id_term.data, w->id_term.len, err);
    /* a document that does not give its language gets the one it is written in */
    const char *lang = d->lang ? d->lang : fh_guess_lang(d->body, d->body_len);
    if (st == FH_OK)
        st = add_metadata(doc, d, lang, &w->scratch, err);
    fh_doc_limit_terms(doc, FH_MAX_DOC_TERMS);
    if (st == FH_OK)
        st = fh_index_text(w->an, doc, FH_ZONE_TITLE, d->title, d->title_len, 0, &next,
                           w->lex, &title, err);
    if (st == FH_OK)
        st = fh_index_text(w->an, doc, FH_ZONE_BODY, d->body, d->body_len,
                           next + FH_BODY_POS_GAP, NULL, w->lex, &body, err);
    if (st == FH_OK)
        st = fh_doc_set_value(doc, FH_SLOT_DIGEST, w->digest.data, w->digest.len, err);
    if (st == FH_OK)
        st = fh_doc_set_value(doc, FH_SLOT_ID, d->id, strlen(d->id), err);
    if (st == FH_OK)
        st = store_fields(w, doc, d, lang, &title, &body, err);
    fh_spans_writer_free(&title);
    fh_spans_writer_free(&body);
    return st;
}

/* File the names noted (all of them when last, else only when many wait),
 * or say in the commit that some wait. */
static fh_status file_names(fh_writer *w, int last, fh_error *err)
{
    if (w->lex == NULL)
        return FH_OK;
    if (!last && fh_lexicon_pending_bytes(w->lex) < NAMES_FLUSH_BYTES)
        return fh_lexicon_pending_bytes(w->lex) == 0
                   ? FH_OK
                   : fh_db_set_metadata(w->db, FH_METADATA_NAMES_PENDING, "1", err);
    fh_status st = fh_lexicon_flush(w->lex, w->db, err);
    return st == FH_OK ? fh_db_set_metadata(w->db, FH_METADATA_NAMES_PENDING, "", err) : st;
}

/* Commit the documents pending, and with the last commit of a run the name
 * spellings noted. */
static fh_status commit_batch(fh_writer *w, int last, fh_error *err)
{
    int names_wait = w->lex && fh_lexicon_pending_bytes(w->lex) > 0;
    if (w->pending_docs == 0 && !(last && names_wait))
        return FH_OK;
    uint64_t need = (uint64_t)w->pending_bytes * ROOM_PER_TEXT_BYTE + ROOM_MIN_BYTES +
                    (w->lex ? 2 * (uint64_t)fh_lexicon_pending_bytes(w->lex) : 0);
    fh_status st = fh_db_check_room(w->db, need, err);
    if (st == FH_OK)
        st = file_names(w, last, err);
    if (st == FH_OK)
        st = fh_db_set_metadata(w->db, FH_METADATA_ANALYSIS, FH_ANALYSIS_VERSION, err);
    if (st == FH_OK)
        st = fh_db_commit(w->db, err);
    w->pending_docs = 0;
    w->pending_bytes = 0;
    w->pending_terms = 0;
    return st;
}

fh_status fh_writer_commit(fh_writer *w, fh_error *err)
{
    return commit_batch(w, 1, err);
}

/* A document whose words outnumber the terms it may hold. */
static void warn_refused(const fh_writer *w, const fh_document *d, size_t refused)
{
    if (w->notice == NULL)
        return;
    char msg[160];
    snprintf(msg, sizeof msg,
             "more than %u distinct terms: %zu later terms left out of the index "
             "(its stored text is whole)",
             (unsigned)FH_MAX_DOC_TERMS, refused);
    w->notice(w->notice_ctx, FH_NOTICE_WARNING, d->path ? d->path : d->id, d->line, msg);
}

static fh_status store(fh_writer *w, const fh_document *d, int exists, fh_error *err)
{
    fh_doc *doc = fh_doc_new();
    if (doc == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = fill_doc(w, doc, d, err);
    /* Xapian holds every term of the batch until the commit: a document
     * that would take them past FH_MAX_DOC_TERMS goes into the next batch. */
    size_t terms = fh_doc_term_count(doc);
    if (st == FH_OK && w->commit_when_asked && w->pending_terms > 0 &&
        w->pending_terms + terms > FH_MAX_COMMIT_TERMS)
        st = fh_error_set(err, FH_ERR_TOO_LARGE,
                          "its %zu index terms and the %zu of the documents before it are more "
                          "than one commit takes (%u): send it in another call",
                          terms, w->pending_terms, FH_MAX_COMMIT_TERMS);
    else if (st == FH_OK && !w->commit_when_asked && w->pending_docs > 0 &&
             w->pending_terms + terms > FH_MAX_DOC_TERMS)
        st = commit_batch(w, 0, err);
    if (st == FH_OK)
        st = fh_db_replace(w->db, w->id_term.data, doc, err);
    if (st == FH_OK) {
        w->counts.dropped_terms += fh_doc_dropped_terms(doc);
        if (exists)
            w->counts.replaced++;
        else
            w->counts.added++;
        w->pending_docs++;
        w->pending_bytes += d->title_len + d->body_len;
        w->pending_terms += terms;
    }
    if (st == FH_OK && fh_doc_refused_terms(doc))
        warn_refused(w, d, fh_doc_refused_terms(doc));
    fh_doc_free(doc);
    if (st == FH_OK && (w->pending_docs >= w->batch_docs || w->pending_bytes >= w->batch_bytes))
        st = commit_batch(w, 0, err);
    return st;
}

/* A database made before hashed id terms were marked may hold a long id's
 * document under its former term (terms.h): it goes, so that indexing it
 * again replaces it. */
static fh_status drop_legacy(fh_writer *w, const char *id, int *exists, fh_error *err)
{
    fh_buf term = FH_BUF_INIT;
    int found = 0;
    fh_status st = fh_find_legacy_id(w->db, id, &term, &found, err);
    if (st == FH_OK && found)
        st = fh_db_delete(w->db, term.data, exists, err);
    fh_buf_free(&term);
    return st;
}

fh_status fh_writer_put(fh_writer *w, const fh_document *d, fh_error *err)
{
    if (fh_term_id(d->id, &w->id_term) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    compute_digest(d, w->lex != NULL, &w->digest);
    fh_buf_reset(&w->scratch);
    int exists = 0;
    /* An id seen twice in one run into an empty database is still replaced
     * (by id term), only counted as added twice. */
    fh_status st = w->started_empty ? FH_OK
                                    : fh_db_get_value(w->db, w->id_term.data, FH_SLOT_DIGEST,
                                                      &w->scratch, &exists, err);
    if (st == FH_OK && !exists && !w->started_empty)
        st = drop_legacy(w, d->id, &exists, err);
    if (st != FH_OK)
        return st;
    if (exists && w->scratch.len == w->digest.len &&
        memcmp(w->scratch.data, w->digest.data, w->digest.len) == 0) {
        w->counts.unchanged++;
        return FH_OK;
    }
    return store(w, d, exists, err);
}

/* ---- documents given by their fields ---- */

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real month and day: the form the
 * readers give a date in. */
static int normalized_date(const char *s)
{
    size_t len = strlen(s);
    int year, month = 1, day = 1;
    if ((len != 4 && len != 7 && len != 10) || !digits(s, 4, &year))
        return 0;
    if (len >= 7 && (s[4] != '-' || !digits(s + 5, 2, &month) || month < 1 || month > 12))
        return 0;
    return len < 10 || (s[7] == '-' && digits(s + 8, 2, &day) && day >= 1 &&
                        day <= days_in_month(year, month));
}

/* A field given is valid UTF-8. */
static fh_status check_utf8(const char *name, const char *value, fh_error *err)
{
    if (value != NULL && fh_utf8_find_invalid(value, strlen(value)) < strlen(value))
        return fh_error_set(err, FH_ERR_INVALID, "field \"%s\" is not valid UTF-8", name);
    return FH_OK;
}

/* An optional field: NULL when absent or empty, as the JSONL reader has it. */
static const char *optional(const char *value)
{
    return value != NULL && *value != '\0' ? value : NULL;
}

static fh_status check_fields(const fh_document *d, fh_error *err)
{
    const char *names[] = {"id", "title", "body", "url", "date", "source", "lang"};
    const char *values[] = {d->id, d->title, d->body, d->url, d->date, d->source, d->lang};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (check_utf8(names[i], values[i], err) != FH_OK)
            return FH_ERR_INVALID;
    if (d->id == NULL || *d->id == '\0')
        return fh_error_set(err, FH_ERR_INVALID, "field \"id\" is missing or empty");
    if (d->body == NULL)
        return fh_error_set(err, FH_ERR_INVALID, "document \"%.40s\": field \"body\" is missing",
                            d->id);
    if (d->date && !normalized_date(d->date))
        return fh_error_set(err, FH_ERR_INVALID,
                            "document \"%.40s\": field \"date\" is \"%.40s\", not YYYY, "
                            "YYYY-MM or YYYY-MM-DD", d->id, d->date);
    if (d->title_len + d->body_len > FH_READER_MAX_BYTES)
        return fh_error_set(err, FH_ERR_INVALID,
                            "document \"%.40s\": title and body exceed %u MB", d->id,
                            FH_READER_MAX_BYTES / (1024u * 1024u));
    return FH_OK;
}

fh_status fh_writer_put_fields(fh_writer *w, const char *id, const char *title,
                               const char *body, const char *url, const char *date,
                               const char *source, const char *lang, fh_error *err)
{
    fh_document d = {.id = id,
                     .title = title ? title : "",
                     .body = body,
                     .title_len = title ? strlen(title) : 0,
                     .body_len = body ? strlen(body) : 0,
                     .url = optional(url),
                     .date = optional(date),
                     .source = optional(source),
                     .lang = optional(lang)};
    fh_status st = check_fields(&d, err);
    return st == FH_OK ? fh_writer_put(w, &d, err) : st;
}

/* ---- documents given as JSON ---- */

/* Where fh_writer_put_json's document stands as the reader reads it. */
typedef struct {
    fh_writer *w;
    fh_buf warnings; /* the reader's, each ending in NUL: told once the id is known */
    fh_status st;    /* FH_ERR_INVALID when the reader refused it, else fh_writer_put's */
    fh_error *err;
} json_put;

static void json_notice(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                        const char *message)
{
    json_put *p = ctx;
    (void)path;
    (void)line;
    if (p->st != FH_OK)
        return;
    if (kind == FH_NOTICE_FAILED)
        p->st = fh_error_set(p->err, FH_ERR_INVALID, "%s", message);
    else if (fh_buf_append(&p->warnings, message, strlen(message) + 1) != FH_OK)
        p->st = fh_error_set(p->err, FH_ERR_NOMEM, "out of memory");
}

/* The document read: its warnings told, then stored as one given by its
 * fields is (no path, line 0). */
static int json_document(void *ctx, const fh_document *d)
{
    json_put *p = ctx;
    const fh_writer *w = p->w;
    if (p->st != FH_OK)
        return 1;
    for (size_t at = 0; w->notice && at < p->warnings.len;
         at += strlen(p->warnings.data + at) + 1)
        w->notice(w->notice_ctx, FH_NOTICE_WARNING, d->id, 0, p->warnings.data + at);
    fh_document doc = *d;
    doc.path = NULL;
    doc.line = 0;
    p->st = fh_writer_put(p->w, &doc, p->err);
    return 1;
}

/* The text of a JSON object: '{' after white space (and a byte order mark,
 * which the reader skips). */
static int object_text(const char *json, size_t len)
{
    size_t i = len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
        i++;
    return i < len && json[i] == '{';
}

fh_status fh_writer_put_json(fh_writer *w, const char *json, size_t len, fh_error *err)
{
    if (json == NULL || !object_text(json, len))
        return fh_error_set(err, FH_ERR_INVALID,
                            "not a JSON object (a document is one: {\"id\": ..., \"body\": ...})");
    if (len > FH_READER_MAX_BYTES)
        return fh_error_set(err, FH_ERR_INVALID, "document too long (over %u MB of JSON text)",
                            FH_READER_MAX_BYTES / (1024u * 1024u));
    json_put p = {.w = w, .warnings = FH_BUF_INIT, .st = FH_OK, .err = err};
    const fh_reader_sink sink = {json_document, json_notice, &p};
    fh_status st = fh_read_json_text(json, len, 1, &sink, err);
    if (st == FH_OK)
        st = p.st;
    fh_buf_free(&p.warnings);
    return st;
}

fh_status fh_writer_delete(fh_writer *w, const char *id, int *found, fh_error *err)
{
    int gone = 0;
    if (found)
        *found = 0;
    if (id == NULL || *id == '\0')
        return fh_error_set(err, FH_ERR_INVALID, "no id to delete");
    fh_status st = fh_term_id(id, &w->id_term) == FH_OK
                       ? fh_db_delete(w->db, w->id_term.data, &gone, err)
                       : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (st == FH_OK && !gone)
        st = drop_legacy(w, id, &gone, err);
    if (found)
        *found = gone;
    if (st != FH_OK || !gone)
        return st;
    w->counts.deleted++;
    w->pending_docs++;
    return w->pending_docs >= w->batch_docs ? commit_batch(w, 0, err) : FH_OK;
}
