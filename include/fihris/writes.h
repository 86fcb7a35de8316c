/*
 * writes.h - documents written over HTTP (searchd's write endpoints,
 * server.h): one writer on the database (writer.h), the calls applied one
 * after another, and each call's changes committed before it returns, in a
 * Xapian transaction it may share with other calls but never splits: a
 * search sees all of a call or none of it.
 *
 * A commit has a cost of its own, whatever it holds (each B-tree block the
 * documents' terms touch is written again, the files synced), so commits
 * are at least an interval apart: the calls that come meanwhile
 * wait, and are applied and committed together (a call after a quiet
 * interval at once).  That work is done by a thread of its own, started by
 * fh_writes_new, at a nice value above searchd's (Linux gives each thread
 * its own): searches come first, writes use what CPU is left.  When a call fails in a
 * way that closes the writer, the calls of its group applied before it fail
 * with it, saying so; the others are written.
 *
 * Documents are read by the JSONL reader (reader.h), as the indexer reads a
 * .jsonl file: the same fields, the same checks, the same notices.  A
 * document that cannot be used is reported, with its line or position, and
 * the rest of the call goes on; so is one that would take the commit past
 * FH_MAX_COMMIT_TERMS (writer.h), which bounds the memory of a commit.  The
 * calls already pending are committed before a call is applied whenever
 * their terms, with twice what its text usually gives, would pass that
 * bound: a call is refused a document for the others' sake only when its
 * text gives unusually many terms.
 *
 * The writer, once open, is held until fh_writes_close, and with it the
 * database's write lock: an indexer started meanwhile is refused.  A call
 * that fails otherwise than on one document (a full disk, a commit that
 * failed, memory) closes it, dropping every change pending (its own, and
 * those of the calls of its commit applied before it), and the next call
 * opens it again.
 */
#ifndef FIHRIS_WRITES_H
#define FIHRIS_WRITES_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_writes fh_writes;

typedef enum {
    FH_WRITE_JSON, /* a JSON array of documents, or one document */
    FH_WRITE_JSONL /* one document a line */
} fh_write_format;

/* What one call did.  json is the answer to send (owned, free() it):
 *   {"added": N, "replaced": N, "unchanged": N, "deleted": N,
 *    "not_found": N, "failed": N,
 *    "failures": [{"line": L | "index": I, "id": ID?, "reason": R}, ...],
 *    "warnings": [{"line": L | "index": I, "reason": R}, ...]}
 * line: of a JSONL text (from 1); index: in a JSON array (from 0), or of an
 * id to delete; a warning about the whole text has neither. */
typedef struct {
    size_t added, replaced, unchanged, deleted, not_found, failed;
    char *json;
} fh_write_report;

/* A writer for the database at db_path, a directory (created when absent,
 * with its parent directories), committing at most once every interval_ms
 * (0: as soon as a call comes), in a thread whose nice value is the
 * caller's raised by nice (at most 19; 0: the caller's): FH_ERR_UNSUPPORTED for a sharded database, a cluster
 * description or a build left unfinished.  The writer is opened by
 * fh_writes_take or by the first call.  The calls below may come from any
 * number of threads at once. */
fh_status fh_writes_new(const char *db_path, unsigned interval_ms, int nice, fh_writes **out,
                        fh_error *err);

/* Open the writer if it is not open: FH_ERR_LOCKED while another process
 * writes the database. */
fh_status fh_writes_take(fh_writes *w, fh_error *err);

/* Add or replace the documents of text[0..len), at most max_docs of them.
 * FH_OK: committed, *out filled.  FH_ERR_INVALID when the text is not JSON
 * (reader.h), FH_ERR_TOO_LARGE for more than max_docs documents: nothing
 * written, err says why.  Otherwise (FH_ERR_LOCKED included) nothing
 * written either. */
fh_status fh_writes_put(fh_writes *w, fh_write_format format, const char *text, size_t len,
                        size_t max_docs, fh_write_report *out, fh_error *err);

/* Delete the documents whose ids text[0..len) lists: a JSON array of ids,
 * or an object {"ids": [...]}; at most max_ids.  Statuses as
 * fh_writes_put's; an id that is not a non-empty string is a failure. */
fh_status fh_writes_delete_json(fh_writes *w, const char *text, size_t len, size_t max_ids,
                                fh_write_report *out, fh_error *err);

/* Delete the document with this id (out->not_found says whether it was
 * absent). */
fh_status fh_writes_delete(fh_writes *w, const char *id, fh_write_report *out, fh_error *err);

void fh_write_report_free(fh_write_report *r);

/* How many commits the calls have taken so far, and how many calls are
 * queued or under way now (neither waits for the writer). */
uint64_t fh_writes_commits(fh_writes *w);
unsigned fh_writes_waiting(fh_writes *w);

/* From now on, commit the calls queued and those to come without waiting
 * for the interval (searchd stopping: the calls waiting are answered). */
void fh_writes_hurry(fh_writes *w);

/* Do the calls queued, then close the writer and end its thread; no call
 * may come meanwhile or after. */
void fh_writes_close(fh_writes *w);

#ifdef __cplusplus
}
#endif

#endif
