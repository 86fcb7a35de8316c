/*
 * bench_query.c - warm query latency: opens a database once, runs every query
 * of a file (one per line) once to warm the caches, then times each fh_search
 * call (the same code path as the `search` command, with its defaults: 10 hits
 * with snippets) over --runs passes and prints mean, p50, p99 and max in ms.
 * With --cold, only the first pass is timed: each query meets caches that
 * hold nothing of its words (the name spellings looked up once and kept).
 * Used by scripts/bench and scripts/name-eval.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/clock.h"
#include "fihris/search.h"

#include "bench_stats.h"

#define PROG "fihris-bench-query"

typedef struct {
    char **items;
    size_t n, cap;
} query_list;

static void usage(void)
{
    fprintf(stderr, "usage: " PROG " DB QUERIES_FILE [--runs N] [--cold] [--no-snippets] [--no-names]\n");
}

static int push_query(query_list *q, const char *text, size_t len)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        char **items = realloc(q->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        q->items = items;
        q->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    q->items[q->n++] = copy;
    return 0;
}

static void free_queries(query_list *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->items[i]);
    free(q->items);
}

/* Reads the non-empty lines of path; returns 0 on success. */
static int read_queries(const char *path, query_list *q)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, PROG ": cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n > 0 && push_query(q, line, (size_t)n) != 0) {
            fprintf(stderr, PROG ": out of memory\n");
            rc = -1;
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && q->n == 0) {
        fprintf(stderr, PROG ": no queries in %s\n", path);
        rc = -1;
    }
    return rc;
}

/* Runs one query; stores its latency in *ms.  Returns 0 on success. */
static int run_query(fh_searcher *s, const char *text, int snippets, int names, double *ms)
{
    fh_search_request req;
    fh_search_request_init(&req);
    req.query = text;
    req.query_len = strlen(text);
    req.snippets = snippets;
    req.names = names;
    fh_search_result r;
    fh_error err;
    double t0 = fh_clock_ms();
    fh_status st = fh_search(s, &req, &r, &err);
    *ms = fh_clock_ms() - t0;
    if (st != FH_OK) {
        fprintf(stderr, PROG ": query \"%s\": %s\n", text, err.message);
        return -1;
    }
    fh_search_result_free(&r);
    return 0;
}

static void report(double *ms, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ms[i];
    bench_sort(ms, n);
    double mean = sum / (double)n;
    printf("queries: %zu timed, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms, "
           "%.0f queries/s\n",
           n, mean, bench_percentile(ms, n, 50), bench_percentile(ms, n, 99), ms[n - 1],
           sum > 0 ? (double)n / (sum / 1e3) : 0.0);
}

/* Warm-up pass, then runs timed passes (none when cold: the first pass is
 * the one timed); returns 0 on success. */
static int bench(fh_searcher *s, const query_list *q, unsigned runs, int cold, int snippets,
                 int names)
{
    double *ms = malloc(q->n * runs * sizeof *ms);
    if (ms == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < q->n; i++)
        rc = run_query(s, q->items[i], snippets, names, &ms[i]);
    size_t k = cold ? q->n : 0;
    for (unsigned r = 0; rc == 0 && !cold && r < runs; r++)
        for (size_t i = 0; rc == 0 && i < q->n; i++)
            rc = run_query(s, q->items[i], snippets, names, &ms[k++]);
    if (rc == 0)
        report(ms, k);
    free(ms);
    return rc;
}

/* Parses the arguments; returns 0 on success. */
static int parse_args(int argc, char **argv, const char **db, const char **file, unsigned *runs,
                      int *cold, int *snippets, int *names)
{
    *db = *file = NULL;
    *runs = 1;
    *cold = 0;
    *snippets = 1;
    *names = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cold") == 0) {
            *cold = 1;
        } else if (strcmp(argv[i], "--no-names") == 0) {
            *names = 0;
        } else if (strcmp(argv[i], "--no-snippets") == 0) {
            *snippets = 0;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 10000)
                return -1;
            *runs = (unsigned)v;
        } else if (argv[i][0] == '-') {
            return -1;
        } else if (*db == NULL) {
            *db = argv[i];
        } else if (*file == NULL) {
            *file = argv[i];
        } else {
            return -1;
        }
    }
    return *db && *file ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *db, *file;
    unsigned runs;
    int cold, snippets, names;
    if (parse_args(argc, argv, &db, &file, &runs, &cold, &snippets, &names) != 0) {
        usage();
        return 2;
    }
    query_list q = {0};
    if (read_queries(file, &q) != 0)
        return 2;
    fh_searcher *s;
    fh_error err;
    if (fh_searcher_open(db, &s, &err) != FH_OK) {
        fprintf(stderr, PROG ": cannot open the database %s: %s\n", db, err.message);
        free_queries(&q);
        return 2;
    }
    int rc = bench(s, &q, runs, cold, snippets, names);
    fh_searcher_close(s);
    free_queries(&q);
    return rc == 0 ? 0 : 2;
}
