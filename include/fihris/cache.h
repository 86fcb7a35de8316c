/*
 * cache.h - answers kept for reuse: a byte-bounded, least-recently-used map
 * from a request to the reply it got, shared by the threads of searchd.
 *
 * A website's search box sees the same queries again and again (popular
 * searches, and every keystroke of a word many people type).  Each answer is
 * kept with the database state it was computed from (fh_db_state): a
 * lookup made from another state misses, so an answer never outlives the
 * commit that changed it.
 *
 * Thread-safe: one mutex around the map; the work under it is a hash lookup
 * and a copy.
 */
#ifndef FIHRIS_CACHE_H
#define FIHRIS_CACHE_H

#include <stddef.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_cache fh_cache;

/* A cache holding at most max_bytes of keys and answers (with their
 * bookkeeping).  max_bytes 0 gives a cache that keeps nothing. */
fh_status fh_cache_new(size_t max_bytes, fh_cache **out, fh_error *err);
void fh_cache_free(fh_cache *c);

/* A copy (malloc'ed, NUL-terminated, the caller's to free) of the answer
 * kept for key under state, or NULL. */
char *fh_cache_get(fh_cache *c, const char *key, const char *state);

/* Keep a copy of answer for key under state, replacing what key had;
 * least recently used answers go to make room.  An answer larger than an
 * eighth of the cache is not kept.  Out of memory: nothing is kept. */
void fh_cache_put(fh_cache *c, const char *key, const char *state, const char *answer);

/* Lookups that found an answer, and all lookups, since the cache was made. */
void fh_cache_stats(fh_cache *c, size_t *hits, size_t *lookups);
/* Change the budget (a configuration reloaded): the least recently used
 * answers go until the rest fit; 0 keeps nothing from now on. */
void fh_cache_set_limit(fh_cache *c, size_t max_bytes);
size_t fh_cache_limit(fh_cache *c);

#ifdef __cplusplus
}
#endif

#endif
