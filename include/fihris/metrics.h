/*
 * metrics.h - what searchd counts, and GET /metrics, the Prometheus text
 * exposition format (version 0.0.4) of it:
 *
 *   fihris_http_requests_total{endpoint, code}       counter
 *   fihris_http_request_duration_seconds{endpoint}   histogram (le buckets,
 *                                                    _sum, _count)
 *   fihris_cache_hits_total, fihris_cache_misses_total  counters
 *   fihris_cache_limit_bytes                         gauge (--cache-mb)
 *   fihris_database_up                               gauge: 1 when the database
 *                                                    (every shard) can be read
 *   fihris_documents                                 gauge: documents in the index
 *                                                    (of a cluster: in the shards
 *                                                    that can be reached)
 *   fihris_index_revision                            gauge: the revision of the
 *                                                    database (over a cluster: the
 *                                                    sum of its shards'), which
 *                                                    every commit raises
 *   fihris_missing_shards                            gauge: shards of a cluster
 *                                                    that cannot be reached
 *   fihris_write_documents_total{result}             counter: added, replaced,
 *                                                    unchanged, deleted,
 *                                                    not_found, failed
 *   fihris_write_commits_total                       counter: commits of the
 *                                                    writes (when enabled)
 *   fihris_writes_waiting                            gauge: writes queued for
 *                                                    their commit, or under way
 *   fihris_config_reloads_total{result}              counter: ok, failed
 *   process_start_time_seconds                       gauge (Unix time)
 *
 * endpoint is one of a fixed few (fh_endpoint_name), so that a client's
 * paths never make new series; a request counts once its reply is made.
 * The counters are atomics: any thread counts, and reads, without a lock.
 * The struct lives in its owner (searchd's server); nothing here is global.
 */
#ifndef FIHRIS_METRICS_H
#define FIHRIS_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "fihris/buf.h"
#include "fihris/error.h"

typedef enum {
    FH_EP_PAGE,     /* /, /app.js, /app.css */
    FH_EP_SEARCH,   /* /api/search */
    FH_EP_SUGGEST,  /* /api/suggest */
    FH_EP_DOC,      /* /api/doc/ID */
    FH_EP_HEALTHZ,  /* /healthz */
    FH_EP_METRICS,  /* /metrics */
    FH_EP_PUT,      /* /api/documents */
    FH_EP_DELETE,   /* /api/documents/ID, /api/documents/delete */
    FH_EP_OTHER,    /* any other path */
    FH_ENDPOINTS
} fh_endpoint;

/* "page", "search", "suggest", "doc", "healthz", "metrics", "documents",
 * "delete", "other". */
const char *fh_endpoint_name(fh_endpoint e);

/* The upper bounds of the latency buckets, in seconds: 1 ms to 10 s. */
#define FH_METRICS_BUCKETS 13

enum { FH_WRITTEN_ADDED, FH_WRITTEN_REPLACED, FH_WRITTEN_UNCHANGED, FH_WRITTEN_DELETED,
       FH_WRITTEN_NOT_FOUND, FH_WRITTEN_FAILED, FH_WRITTEN_KINDS };

typedef struct {
    atomic_ullong requests[FH_ENDPOINTS][500];                   /* by status 100..599 */
    atomic_ullong latency[FH_ENDPOINTS][FH_METRICS_BUCKETS + 1]; /* each bucket alone; the
                                                                  * last: above every bound */
    atomic_ullong micros[FH_ENDPOINTS];                          /* the time of all */
    atomic_ullong written[FH_WRITTEN_KINDS];
    atomic_ullong reloads_ok, reloads_failed;
    double started; /* Unix time of fh_metrics_init */
} fh_metrics;

/* What /metrics reads of the database and the cache when it is asked. */
typedef struct {
    int readable;            /* the database was opened and counted (a cluster's:
                              * its shards that can be reached) */
    uint32_t documents;
    int has_revision;        /* the database told its revision (a remote shard
                              * tells none) */
    uint64_t revision;
    size_t missing_shards;
    size_t cache_hits, cache_lookups, cache_limit;
    int writes;              /* writing is enabled: commits is told */
    uint64_t commits;        /* commits of the writes over HTTP */
    unsigned writes_waiting; /* writes queued or under way */
} fh_metrics_figures;

void fh_metrics_init(fh_metrics *m);
/* A request to endpoint e answered with status after seconds. */
void fh_metrics_request(fh_metrics *m, fh_endpoint e, unsigned status, double seconds);
/* Documents a write did: n more of kind (FH_WRITTEN_...). */
void fh_metrics_written(fh_metrics *m, int kind, size_t n);
void fh_metrics_reload(fh_metrics *m, int ok);

/* The revision in a state of fh_db_state ("UUID:REV", or "UUID:REV;" for
 * each shard of a cluster: the sum); 0 when state holds none. */
int fh_metrics_revision(const char *state, uint64_t *out);

/* The exposition text of m and f, appended to out. */
fh_status fh_metrics_text(const fh_metrics *m, const fh_metrics_figures *f, fh_buf *out);

#endif
