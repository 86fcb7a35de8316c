/*
 * metrics.c - searchd's counters and their Prometheus text (see metrics.h).
 */
#include "fihris/metrics.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const ENDPOINT_NAMES[FH_ENDPOINTS] = {
    "page", "search", "suggest", "doc", "healthz", "metrics", "documents", "delete", "other"};

static const double BOUNDS[FH_METRICS_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                  0.25,  0.5,    1,     2.5,  5,     10};

static const char *const WRITTEN_NAMES[FH_WRITTEN_KINDS] = {
    "added", "replaced", "unchanged", "deleted", "not_found", "failed"};

const char *fh_endpoint_name(fh_endpoint e)
{
    return e < FH_ENDPOINTS ? ENDPOINT_NAMES[e] : "other";
}

void fh_metrics_init(fh_metrics *m)
{
    memset(m, 0, sizeof *m); /* a zeroed atomic integer is 0 on every platform that matters */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    m->started = (double)now.tv_sec + (double)(now.tv_nsec / 1000000) / 1e3;
}

static void add(atomic_ullong *x, unsigned long long n)
{
    atomic_fetch_add_explicit(x, n, memory_order_relaxed);
}

static unsigned long long get(const atomic_ullong *x)
{
    return atomic_load_explicit((atomic_ullong *)x, memory_order_relaxed);
}

void fh_metrics_request(fh_metrics *m, fh_endpoint e, unsigned status, double seconds)
{
    if (e >= FH_ENDPOINTS)
        e = FH_EP_OTHER;
    if (status >= 100 && status < 600)
        add(&m->requests[e][status - 100], 1);
    if (seconds < 0)
        seconds = 0;
    size_t b = 0;
    while (b < FH_METRICS_BUCKETS && seconds > BOUNDS[b])
        b++;
    add(&m->latency[e][b], 1);
    add(&m->micros[e], (unsigned long long)(seconds * 1e6 + 0.5));
}

void fh_metrics_written(fh_metrics *m, int kind, size_t n)
{
    if (kind >= 0 && kind < FH_WRITTEN_KINDS && n)
        add(&m->written[kind], n);
}

void fh_metrics_reload(fh_metrics *m, int ok)
{
    add(ok ? &m->reloads_ok : &m->reloads_failed, 1);
}

int fh_metrics_revision(const char *state, uint64_t *out)
{
    uint64_t sum = 0;
    int any = 0;
    for (const char *p = state; p && *p;) {
        const char *end = p + strcspn(p, ";");
        const char *colon = NULL;
        for (const char *q = p; q < end; q++)
            if (*q == ':')
                colon = q;
        if (colon) {
            sum += strtoull(colon + 1, NULL, 10);
            any = 1;
        }
        p = *end ? end + 1 : end;
    }
    *out = sum;
    return any;
}

/* The text being written, and whether all of it was. */
typedef struct {
    fh_buf *buf;
    fh_status st;
} text;

/* One line (or a few), appended while nothing has failed. */
__attribute__((format(printf, 2, 3))) static void say(text *t, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (t->st == FH_OK)
        t->st = n < 0 || (size_t)n >= sizeof line ? FH_ERR_INTERNAL
                                                   : fh_buf_append(t->buf, line, (size_t)n);
}

static void family(text *out, const char *name, const char *type, const char *help)
{
    say(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void requests_text(const fh_metrics *m, text *out)
{
    family(out, "fihris_http_requests_total", "counter",
           "HTTP requests answered, by endpoint and status code.");
    for (int e = 0; e < FH_ENDPOINTS; e++)
        for (unsigned s = 0; s < 500; s++) {
            unsigned long long n = get(&m->requests[e][s]);
            if (n)
                say(out, "fihris_http_requests_total{endpoint=\"%s\",code=\"%u\"} %llu\n",
                              ENDPOINT_NAMES[e], s + 100, n);
        }
}

static void latency_text(const fh_metrics *m, text *out)
{
    static const char name[] = "fihris_http_request_duration_seconds";
    family(out, name, "histogram", "Time from a request's first line to its reply, by endpoint.");
    for (int e = 0; e < FH_ENDPOINTS; e++) {
        unsigned long long total = 0;
        for (int b = 0; b <= FH_METRICS_BUCKETS; b++)
            total += get(&m->latency[e][b]);
        if (total == 0)
            continue;
        unsigned long long below = 0;
        for (int b = 0; b < FH_METRICS_BUCKETS; b++) {
            below += get(&m->latency[e][b]);
            say(out, "%s_bucket{endpoint=\"%s\",le=\"%g\"} %llu\n", name,
                          ENDPOINT_NAMES[e], BOUNDS[b], below);
        }
        /* counted from the same reads: +Inf is never below a bucket */
        below += get(&m->latency[e][FH_METRICS_BUCKETS]);
        say(out, "%s_bucket{endpoint=\"%s\",le=\"+Inf\"} %llu\n", name,
                      ENDPOINT_NAMES[e], below);
        say(out, "%s_sum{endpoint=\"%s\"} %.6f\n", name, ENDPOINT_NAMES[e],
                      (double)get(&m->micros[e]) / 1e6);
        say(out, "%s_count{endpoint=\"%s\"} %llu\n", name, ENDPOINT_NAMES[e], below);
    }
}

static void database_text(const fh_metrics_figures *f, text *out)
{
    family(out, "fihris_database_up", "gauge",
           "1 when the database, and every shard of a cluster, can be read.");
    say(out, "fihris_database_up %d\n", f->readable && f->missing_shards == 0);
    if (f->readable) {
        family(out, "fihris_documents", "gauge",
               "Documents in the index (of a cluster: in the shards that can be reached).");
        say(out, "fihris_documents %" PRIu32 "\n", f->documents);
    }
    if (f->readable && f->has_revision) {
        family(out, "fihris_index_revision", "gauge",
               "The database's revision (a cluster's: the sum of its shards'); every commit "
               "raises it.");
        say(out, "fihris_index_revision %" PRIu64 "\n", f->revision);
    }
    family(out, "fihris_missing_shards", "gauge",
           "Shards of the cluster that cannot be reached.");
    say(out, "fihris_missing_shards %zu\n", f->missing_shards);
}

static void other_text(const fh_metrics *m, const fh_metrics_figures *f, text *out)
{
    family(out, "fihris_cache_hits_total", "counter", "Answers taken from the answer cache.");
    say(out, "fihris_cache_hits_total %zu\n", f->cache_hits);
    family(out, "fihris_cache_misses_total", "counter",
           "Lookups in the answer cache that found no answer.");
    say(out, "fihris_cache_misses_total %zu\n",
                  f->cache_lookups > f->cache_hits ? f->cache_lookups - f->cache_hits : 0);
    family(out, "fihris_cache_limit_bytes", "gauge", "Memory the answer cache may use.");
    say(out, "fihris_cache_limit_bytes %zu\n", f->cache_limit);
    family(out, "fihris_write_documents_total", "counter",
           "Documents of the writes over HTTP, by what became of them.");
    for (int k = 0; k < FH_WRITTEN_KINDS; k++)
        say(out, "fihris_write_documents_total{result=\"%s\"} %llu\n", WRITTEN_NAMES[k],
                      get(&m->written[k]));
    if (f->writes) {
        family(out, "fihris_write_commits_total", "counter",
               "Commits of the writes over HTTP (the writes of a moment share one).");
        say(out, "fihris_write_commits_total %" PRIu64 "\n", f->commits);
        family(out, "fihris_writes_waiting", "gauge",
               "Writes over HTTP queued for their commit, or under way.");
        say(out, "fihris_writes_waiting %u\n", f->writes_waiting);
    }
    family(out, "fihris_config_reloads_total", "counter",
           "Reloads of the configuration (SIGHUP), by outcome.");
    say(out, "fihris_config_reloads_total{result=\"ok\"} %llu\n", get(&m->reloads_ok));
    say(out, "fihris_config_reloads_total{result=\"failed\"} %llu\n",
                  get(&m->reloads_failed));
    family(out, "process_start_time_seconds", "gauge",
           "When searchd started, in seconds since the Unix epoch.");
    say(out, "process_start_time_seconds %.3f\n", m->started);
}

fh_status fh_metrics_text(const fh_metrics *m, const fh_metrics_figures *f, fh_buf *out)
{
    text t = {out, FH_OK};
    requests_text(m, &t);
    latency_text(m, &t);
    database_text(f, &t);
    other_text(m, f, &t);
    return t.st;
}
