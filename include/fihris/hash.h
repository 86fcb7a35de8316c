/*
 * hash.h - FNV-1a, the one hash Fihris uses where a value must be stable
 * across runs and machines (document ids to shards, long id terms, content
 * digests) and for in-memory tables.
 */
#ifndef FIHRIS_HASH_H
#define FIHRIS_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FH_HASH_SEED 0xcbf29ce484222325ULL

/* Continue the hash h over data[0..len); start with FH_HASH_SEED. */
uint64_t fh_hash64(uint64_t h, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
