/*
 * cache.c - the answer cache (see cache.h): a chained hash table whose
 * entries also form a recency list, most recent at the head.
 *
 * Invariants: every entry is in exactly one bucket chain and in the recency
 * list; `used` is the sum of the entries' sizes and stays <= max_bytes once
 * a put returns.
 */
#include "fihris/cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/hash.h"

typedef struct entry {
    struct entry *newer, *older; /* recency list */
    struct entry *chain;         /* next in the bucket */
    uint64_t hash;
    size_t size;                 /* bytes counted against the budget */
    char *state, *answer;        /* in the same block, after key */
    char key[];
} entry;

struct fh_cache {
    pthread_mutex_t lock;
    entry **buckets;
    size_t nbuckets;             /* a power of two */
    size_t count, used, max_bytes;
    entry *newest, *oldest;
    size_t hits, lookups;
};

enum { FIRST_BUCKETS = 256 };

fh_status fh_cache_new(size_t max_bytes, fh_cache **out, fh_error *err)
{
    fh_cache *c = calloc(1, sizeof *c);
    if (c)
        c->buckets = calloc(FIRST_BUCKETS, sizeof *c->buckets);
    if (c == NULL || c->buckets == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
        if (c)
            free(c->buckets);
        free(c);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    c->nbuckets = FIRST_BUCKETS;
    c->max_bytes = max_bytes;
    *out = c;
    return FH_OK;
}

void fh_cache_free(fh_cache *c)
{
    if (c == NULL)
        return;
    for (entry *e = c->newest, *next; e; e = next) {
        next = e->older;
        free(e);
    }
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static entry **slot_of(fh_cache *c, const char *key, uint64_t hash)
{
    entry **p = &c->buckets[hash & (c->nbuckets - 1)];
    while (*p && ((*p)->hash != hash || strcmp((*p)->key, key) != 0))
        p = &(*p)->chain;
    return p;
}

static void unlink_recency(fh_cache *c, entry *e)
{
    *(e->newer ? &e->newer->older : &c->newest) = e->older;
    *(e->older ? &e->older->newer : &c->oldest) = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(fh_cache *c, entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    *(c->newest ? &c->newest->newer : &c->oldest) = e;
    c->newest = e;
}

/* Take e out of the table and free it; *slot is where e is chained. */
static void drop(fh_cache *c, entry **slot)
{
    entry *e = *slot;
    *slot = e->chain;
    unlink_recency(c, e);
    c->count--;
    c->used -= e->size;
    free(e);
}

/* Twice the buckets once there are more entries than buckets; when memory
 * is short the table just stays as it is, only slower. */
static void maybe_grow(fh_cache *c)
{
    if (c->count <= c->nbuckets)
        return;
    size_t n = c->nbuckets * 2;
    entry **b = calloc(n, sizeof *b);
    if (b == NULL)
        return;
    for (size_t i = 0; i < c->nbuckets; i++) {
        for (entry *e = c->buckets[i], *next; e; e = next) {
            next = e->chain;
            e->chain = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

char *fh_cache_get(fh_cache *c, const char *key, const char *state)
{
    uint64_t hash = fh_hash64(FH_HASH_SEED, key, strlen(key));
    char *copy = NULL;
    pthread_mutex_lock(&c->lock);
    c->lookups++;
    entry **slot = slot_of(c, key, hash);
    if (*slot && strcmp((*slot)->state, state) != 0) {
        drop(c, slot); /* computed from a state the database has left */
    } else if (*slot) {
        entry *e = *slot;
        unlink_recency(c, e);
        push_newest(c, e);
        if ((copy = strdup(e->answer)) != NULL)
            c->hits++;
    }
    pthread_mutex_unlock(&c->lock);
    return copy;
}

static entry *new_entry(const char *key, const char *state, const char *answer, uint64_t hash)
{
    size_t k = strlen(key) + 1, s = strlen(state) + 1, a = strlen(answer) + 1;
    entry *e = malloc(sizeof *e + k + s + a);
    if (e == NULL)
        return NULL;
    memset(e, 0, sizeof *e);
    e->hash = hash;
    e->size = sizeof *e + k + s + a;
    memcpy(e->key, key, k);
    e->state = memcpy(e->key + k, state, s);
    e->answer = memcpy(e->state + s, answer, a);
    return e;
}

void fh_cache_put(fh_cache *c, const char *key, const char *state, const char *answer)
{
    uint64_t hash = fh_hash64(FH_HASH_SEED, key, strlen(key));
    entry *e = new_entry(key, state, answer, hash);
    if (e == NULL)
        return;
    pthread_mutex_lock(&c->lock);
    if (e->size > c->max_bytes / 8) {
        pthread_mutex_unlock(&c->lock);
        free(e);
        return;
    }
    entry **slot = slot_of(c, key, hash);
    if (*slot)
        drop(c, slot);
    while (c->used + e->size > c->max_bytes && c->oldest)
        drop(c, slot_of(c, c->oldest->key, c->oldest->hash));
    slot = slot_of(c, key, hash); /* the chain may have changed */
    e->chain = *slot;
    *slot = e;
    push_newest(c, e);
    c->count++;
    c->used += e->size;
    maybe_grow(c);
    pthread_mutex_unlock(&c->lock);
}

void fh_cache_stats(fh_cache *c, size_t *hits, size_t *lookups)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *lookups = c->lookups;
    pthread_mutex_unlock(&c->lock);
}

void fh_cache_set_limit(fh_cache *c, size_t max_bytes)
{
    pthread_mutex_lock(&c->lock);
    c->max_bytes = max_bytes;
    while (c->used > c->max_bytes && c->oldest)
        drop(c, slot_of(c, c->oldest->key, c->oldest->hash));
    pthread_mutex_unlock(&c->lock);
}

size_t fh_cache_limit(fh_cache *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = c->max_bytes;
    pthread_mutex_unlock(&c->lock);
    return n;
}
