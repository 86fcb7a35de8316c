/*
 * pool.h - parallel indexing: documents routed by a stable hash of their id
 * (fh_shard_of) to one of N shard writers, each running in its own thread.
 *
 * The same id always reaches the same shard, so a document indexed again
 * replaces itself instead of appearing twice.  fh_pool_put copies the
 * document and blocks while that shard's queue is full.
 */
#ifndef FIHRIS_POOL_H
#define FIHRIS_POOL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "fihris/error.h"
#include "fihris/reader.h"
#include "fihris/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_pool fh_pool;

/* Open a writer (with opts) on each of paths[0..n) and start its thread.
 * Once *interrupted (may be NULL) is set, writers drop what is still queued. */
fh_status fh_pool_start(const char *const *paths, size_t n, const fh_writer_opts *opts,
                        const volatile sig_atomic_t *interrupted, fh_pool **out,
                        fh_error *err);

/* Queue d for its shard.  Fails (with that shard's error) once a shard failed. */
fh_status fh_pool_put(fh_pool *p, const fh_document *d, fh_error *err);

/* Bytes of document text the writers have finished with so far (safe to
 * call from the thread that feeds the pool, for progress reports). */
uint64_t fh_pool_done_bytes(const fh_pool *p);

/* Let every shard finish its queue (or, with discard, drop what is still
 * queued) and commit, stop the threads, add up the counts into *total and
 * free the pool.  Returns the first shard error. */
fh_status fh_pool_finish(fh_pool *p, int discard, fh_writer_counts *total, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
