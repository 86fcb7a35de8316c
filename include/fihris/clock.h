/*
 * clock.h - elapsed time, for what the programs report (search times,
 * indexing rates, benchmarks): a monotonic clock, never the wall clock,
 * which may jump.
 */
#ifndef FIHRIS_CLOCK_H
#define FIHRIS_CLOCK_H

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double fh_clock_ms(void);

#ifdef __cplusplus
}
#endif

#endif
