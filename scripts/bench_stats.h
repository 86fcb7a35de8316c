/*
 * bench_stats.h - the latency figures the benchmark programs print: sorting
 * timings and reading percentiles off them the same way in each.
 */
#ifndef FIHRIS_BENCH_STATS_H
#define FIHRIS_BENCH_STATS_H

#include <stddef.h>
#include <stdlib.h>

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sort ms[0, n) in place, for bench_percentile and the maximum ms[n - 1]. */
static inline void bench_sort(double *ms, size_t n)
{
    qsort(ms, n, sizeof *ms, bench_cmp_double);
}

/* Nearest-rank percentile (p in 1..100) of n > 0 sorted values. */
static inline double bench_percentile(const double *sorted, size_t n, unsigned p)
{
    size_t rank = (p * n + 99) / 100;
    return sorted[rank < 1 ? 0 : rank - 1];
}

#endif
