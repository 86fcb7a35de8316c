/*
 * bench_analyze.c - analysis-only throughput: runs the analyzer over a file's
 * lines (each line one text, as JSON Lines bodies are) on one core and
 * prints MB/s and tokens/s.  Used by scripts/bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/analyze.h"
#include "fihris/clock.h"

static int count_token(const fh_token *tok, void *ctx)
{
    (void)tok;
    (*(size_t *)ctx)++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fihris-bench-analyze FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    fh_analyzer *an;
    fh_error err;
    if (fh_analyzer_new(&an, &err) != FH_OK) {
        fprintf(stderr, "fihris-bench-analyze: %s\n", err.message);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0, tokens = 0, bytes = 0;
    ssize_t n;
    double t0 = fh_clock_ms() / 1e3;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (fh_analyze(an, line, (size_t)n, count_token, &tokens, &err) != FH_OK) {
            fprintf(stderr, "fihris-bench-analyze: %s\n", err.message);
            return 1;
        }
        bytes += (size_t)n;
    }
    double secs = fh_clock_ms() / 1e3 - t0;
    printf("analysis: %.1f MB in %.2f s = %.1f MB/s, %.0f tokens/s (one core)\n", bytes / 1e6,
           secs, bytes / 1e6 / secs, tokens / secs);
    free(line);
    fclose(f);
    fh_analyzer_free(an);
    return 0;
}
