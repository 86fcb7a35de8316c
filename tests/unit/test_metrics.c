/*
 * Unit tests for metrics.c: the revision read from a database state, and
 * the text of the counters: requests by endpoint and status, the latency
 * buckets counted up to +Inf, the writes, the database's figures.
 */
#include <stdlib.h>

#include "check.h"
#include "fihris/metrics.h"

static void revisions(void)
{
    uint64_t r = 7;
    CHECK_INT(fh_metrics_revision("1f2e-uuid:42", &r), 1);
    CHECK_INT(r, 42);
    CHECK_INT(fh_metrics_revision("a:3;b:4;", &r), 1);
    CHECK_INT(r, 7);
    CHECK_INT(fh_metrics_revision("", &r), 0);
    CHECK_INT(fh_metrics_revision(NULL, &r), 0);
}

static void has_line(const char *text, const char *line)
{
    char want[256];
    snprintf(want, sizeof want, "\n%s\n", line);
    CHECK_MSG(strstr(text, want) != NULL, "no line \"%s\" in:\n%s", line, text);
}

static void text(void)
{
    fh_metrics *m = malloc(sizeof *m);
    CHECK(m != NULL);
    if (m == NULL)
        return;
    fh_metrics_init(m);
    fh_metrics_request(m, FH_EP_SEARCH, 200, 0.0005);
    fh_metrics_request(m, FH_EP_SEARCH, 200, 0.3);
    fh_metrics_request(m, FH_EP_SEARCH, 503, 60);
    fh_metrics_request(m, FH_EP_OTHER, 404, 0);
    fh_metrics_written(m, FH_WRITTEN_ADDED, 3);
    fh_metrics_reload(m, 0);
    fh_metrics_figures f = {1, 12, 1, 5, 0, 4, 10, 1 << 20, 1, 7, 3};
    fh_buf out = FH_BUF_INIT;
    CHECK_INT(fh_metrics_text(m, &f, &out), FH_OK);
    const char *t = out.data ? out.data : "";
    has_line(t, "fihris_http_requests_total{endpoint=\"search\",code=\"200\"} 2");
    has_line(t, "fihris_http_requests_total{endpoint=\"search\",code=\"503\"} 1");
    has_line(t, "fihris_http_requests_total{endpoint=\"other\",code=\"404\"} 1");
    has_line(t, "fihris_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"0.001\"} 1");
    has_line(t, "fihris_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"0.25\"} 1");
    has_line(t, "fihris_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"0.5\"} 2");
    has_line(t, "fihris_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"10\"} 2");
    has_line(t, "fihris_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"+Inf\"} 3");
    has_line(t, "fihris_http_request_duration_seconds_count{endpoint=\"search\"} 3");
    has_line(t, "fihris_http_request_duration_seconds_sum{endpoint=\"search\"} 60.300500");
    has_line(t, "# TYPE fihris_http_request_duration_seconds histogram");
    has_line(t, "fihris_write_documents_total{result=\"added\"} 3");
    has_line(t, "fihris_write_documents_total{result=\"failed\"} 0");
    has_line(t, "fihris_config_reloads_total{result=\"failed\"} 1");
    has_line(t, "fihris_documents 12");
    has_line(t, "fihris_index_revision 5");
    has_line(t, "fihris_database_up 1");
    has_line(t, "fihris_cache_hits_total 4");
    has_line(t, "fihris_cache_misses_total 6");
    has_line(t, "fihris_cache_limit_bytes 1048576");
    has_line(t, "fihris_write_commits_total 7");
    has_line(t, "fihris_writes_waiting 3");
    CHECK(strstr(t, "endpoint=\"doc\"") == NULL); /* nothing asked: no series */
    fh_buf_reset(&out);
    f.missing_shards = 2; /* a cluster with shards down is not up */
    CHECK_INT(fh_metrics_text(m, &f, &out), FH_OK);
    has_line(out.data, "fihris_database_up 0");
    has_line(out.data, "fihris_missing_shards 2");
    fh_buf_reset(&out);
    f.readable = 0; /* no database: neither documents nor revision */
    f.writes = 0;   /* writing disabled: no commits told */
    CHECK_INT(fh_metrics_text(m, &f, &out), FH_OK);
    CHECK(strstr(out.data, "fihris_write_commits_total") == NULL);
    CHECK(strstr(out.data, "fihris_documents ") == NULL);
    CHECK(strstr(out.data, "fihris_index_revision ") == NULL);
    fh_buf_free(&out);
    free(m);
}

int main(void)
{
    revisions();
    text();
    return check_result();
}
