/*
 * writer.h - one database's document writer: a document from a reader (or
 * given field by field) in, analyzed and stored (added, replaced, or left
 * alone when unchanged), or deleted, with commits in batches.
 *
 * A writer owns its database handle and its analyzer, so writers for
 * different databases (shards) can run in different threads; one writer must
 * not be used by two threads at once.
 */
#ifndef FIHRIS_WRITER_H
#define FIHRIS_WRITER_H

#include <stddef.h>

#include "fihris/error.h"
#include "fihris/export.h"
#include "fihris/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_writer fh_writer;

typedef struct {
    size_t added, replaced, unchanged;
    size_t deleted;       /* by fh_writer_delete */
    size_t dropped_terms; /* terms too long for the index */
} fh_writer_counts;

/* The most distinct terms one document is indexed with (each word gives
 * two or three: its form, its stem, a title or capital term): Xapian keeps
 * a few hundred bytes per term of a document until the commit that writes
 * it, so this bounds the memory a document of distinct words takes.  Past
 * it, words the document has not had before are left out of the index.
 * A batch is committed early rather than hold more terms than that. */
#define FH_MAX_DOC_TERMS 500000u
/* The most terms the documents of one commit may hold, with
 * commit_when_asked: twice what a batch of the indexer holds. */
#define FH_MAX_COMMIT_TERMS (2u * FH_MAX_DOC_TERMS)

/* Tells about a document (path, line as the reader gave them; a document
 * given by its fields or as JSON: its id, 0) that was indexed only in part;
 * called during the writer's calls, from the thread they run in. */
typedef void (*fh_writer_notice_fn)(void *ctx, fh_notice_kind kind, const char *path,
                                    size_t line, const char *message);

typedef struct {
    unsigned batch_docs; /* commit after this many changed documents ... */
    size_t batch_bytes;  /* ... or this many bytes of their text */
    /* File the spellings of names (the lexicon and the terms by which a
     * search finds a name in its other spellings and scripts); without
     * them a search matches names only as the documents write them. */
    int names;
    fh_writer_notice_fn notice; /* may be NULL */
    void *notice_ctx;
    /* Commit only in fh_writer_commit, never a batch early (batch_docs and
     * batch_bytes are not applied): every change between two commits is
     * seen by searches together or not at all.  A document that would take
     * the terms pending past FH_MAX_COMMIT_TERMS (one of the others pending
     * before it) is not stored: fh_writer_put fails with FH_ERR_TOO_LARGE,
     * so that memory stays bounded.  Every id is looked up, even in an
     * empty database, so that what a commit holds is counted right. */
    int commit_when_asked;
} fh_writer_opts;

/* The defaults: commits every 1000 changed documents or 32 MB of their
 * text, names filed, no notices. */
FH_API void fh_writer_opts_init(fh_writer_opts *opts);

/* Open (creating if needed) the database at path for writing; opts may be
 * NULL for the defaults.  FH_ERR_LOCKED when another writer holds the
 * database. */
FH_API fh_status fh_writer_open(const char *path, const fh_writer_opts *opts, fh_writer **out,
                                fh_error *err);

/* Store d unless the database already holds it unchanged (same id, same
 * content, same analysis version and names on or off alike).  d is as a
 * reader makes it: valid UTF-8, a normalized date; fh_writer_put_fields
 * checks what a program gives. */
FH_API fh_status fh_writer_put(fh_writer *w, const fh_document *d, fh_error *err);

/* Store the document with these fields, as fh_writer_put does, the fields
 * of a JSONL line (README.md): UTF-8 strings, id and body required, any
 * other NULL or "" when absent.  date is "YYYY", "YYYY-MM" or "YYYY-MM-DD";
 * a document whose title and body together exceed FH_READER_MAX_BYTES is
 * refused.  FH_ERR_INVALID, naming the field, for a field that breaks these
 * rules; the database is then as it was. */
FH_API fh_status fh_writer_put_fields(fh_writer *w, const char *id, const char *title,
                                      const char *body, const char *url, const char *date,
                                      const char *source, const char *lang, fh_error *err);

/* Store the document given as the text of a JSON object (len bytes), as
 * fh_writer_put does, read exactly as the indexer reads a line of a JSONL
 * file (reader.h, README.md): "id" and "body" strings required; "date" in
 * ISO 8601, a date-time too, kept as its date; the fields beyond the known
 * ones kept as extra while they fit in FH_READER_MAX_EXTRA_BYTES.  A text
 * that is not a JSON object, is longer than FH_READER_MAX_BYTES, or that the
 * reader refuses (malformed JSON, a required field missing) fails with
 * FH_ERR_INVALID and the reader's message; the database is then as it was.
 * What the reader repaired or dropped in a document it kept (a date it
 * cannot read, a known field that is not a string, extra fields past the
 * limit, invalid UTF-8) is told to the notice callback of fh_writer_opts
 * (FH_NOTICE_WARNING, path the document's id, line 0), during the call and
 * before the document is stored; without a callback it is not told. */
FH_API fh_status fh_writer_put_json(fh_writer *w, const char *json, size_t len, fh_error *err);

/* Remove the document with this id (as stored: a file's absolute path),
 * from the next commit on; *found (may be NULL) says whether there was one. */
FH_API fh_status fh_writer_delete(fh_writer *w, const char *id, int *found, fh_error *err);

/* Commit what is pending, the name spellings noted included: the commits of
 * full batches file them only when many wait (they are filed once a run),
 * and mark the database (FH_METADATA_NAMES_PENDING) meanwhile, so that a
 * writer opened after a killed run files the names of its documents again. */
FH_API fh_status fh_writer_commit(fh_writer *w, fh_error *err);

FH_API fh_writer_counts fh_writer_get_counts(const fh_writer *w);

/* The index terms of the documents changed since the last commit (each
 * document's counted once), which FH_MAX_COMMIT_TERMS bounds with
 * commit_when_asked. */
FH_API size_t fh_writer_pending_terms(const fh_writer *w);

/* Close without committing what is pending since the last commit. */
FH_API void fh_writer_close(fh_writer *w);

#ifdef __cplusplus
}
#endif

#endif
