/*
 * check.h - the few assertion macros the unit tests use.
 *
 * A failed check prints file:line and the values involved, and the test
 * carries on so one run shows every failure; main() returns check_result().
 */
#ifndef FIHRIS_CHECK_H
#define FIHRIS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

#define CHECK_MSG(cond, ...)                                                         \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

#define CHECK_STR(got, want)                                                          \
    do {                                                                              \
        const char *g_ = (got), *w_ = (want);                                         \
        if (g_ == NULL || strcmp(g_, w_) != 0) {                                      \
            fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
                    #got, g_ ? g_ : "(null)", w_);                                    \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

#define CHECK_INT(got, want)                                                            \
    do {                                                                                \
        long long g_ = (long long)(got), w_ = (long long)(want);                        \
        if (g_ != w_) {                                                                 \
            fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, \
                    g_, w_);                                                            \
            check_failures++;                                                           \
        }                                                                               \
    } while (0)

static inline int check_result(void)
{
    if (check_failures)
        fprintf(stderr, "%d check(s) failed\n", check_failures);
    return check_failures ? 1 : 0;
}

#endif
