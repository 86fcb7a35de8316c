/*
 * indexer.h - adding, replacing and deleting documents in a Fihris database.
 *
 * A document's identity is its id (the JSONL "id", else its path).  Indexing
 * an id again replaces its document; a document whose content digest has not
 * changed since the last run is left alone ("unchanged").  Changes are
 * committed in batches, so an interrupted run leaves a database holding every
 * batch committed before it, and the next run completes the work.  Problems
 * with individual files are counted and reported, never fatal.
 *
 * A new database is built by `jobs` writers in parallel, each into its own
 * shard under DB.shards/, while DB is a Xapian stub file listing the shards
 * (so the database can be searched, and survives a crash, during the build);
 * at the end the shards are compacted into one database at DB.  A run that
 * finds such a stub finishes the interrupted build.  An existing database is
 * updated by one writer.  A sharded database (opts.shards, layout.h) keeps
 * its shards, each document in the shard its id hashes to, for all runs.
 */
#ifndef FIHRIS_INDEXER_H
#define FIHRIS_INDEXER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fihris/error.h"
#include "fihris/export.h"
#include "fihris/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *db_path;
    unsigned batch_docs;  /* commit after this many changed documents */
    size_t batch_bytes;   /* ... or this many bytes of changed text */
    unsigned jobs;        /* writer threads for a new database (1: no parallelism) */
    unsigned shards;      /* > 0: a sharded database of this many shards (layout.h) */
    int names;            /* file name spellings (see fh_writer_opts; default 1) */
    int progress;         /* draw a live progress line on `log` */
    FILE *log;            /* notices and progress (stderr when NULL) */
    unsigned lock_wait_s; /* a database another process writes: try again for
                           * this long before failing with FH_ERR_LOCKED */
    /* Set asynchronously (by a signal handler) to stop after committing. */
    const volatile sig_atomic_t *interrupted;
} fh_index_opts;

FH_API void fh_index_opts_init(fh_index_opts *opts);

typedef struct {
    fh_notice_kind kind;
    char *reason;
    size_t count;
} fh_reason;

typedef struct {
    size_t files, added, replaced, unchanged, skipped, failed, warnings;
    size_t dropped_terms; /* terms too long for the index */
    uint64_t bytes;       /* bytes of input read */
    double seconds;
    int interrupted;
    fh_reason *reasons;   /* why files or documents were skipped, failed or repaired */
    size_t nreasons;
} fh_index_stats;

/* Index the files under paths into opts->db_path (created if absent). */
FH_API fh_status fh_index_paths(const fh_index_opts *opts, const char *const *paths, size_t n,
                                fh_index_stats *stats, fh_error *err);

/* Remove the documents with the given ids; counts those found and missing.
 * db_path may be a sharded database or a cluster description (cluster.h)
 * whose shards are local or served by xapian-tcpsrv --writable. */
FH_API fh_status fh_delete_documents(const char *db_path, const char *const *ids, size_t n,
                                     size_t *deleted, size_t *missing, fh_error *err);

/* The summary a user reads at the end of a run. */
FH_API void fh_index_stats_print(const fh_index_stats *stats, FILE *out);
FH_API void fh_index_stats_free(fh_index_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
