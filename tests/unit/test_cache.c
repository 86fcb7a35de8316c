/*
 * test_cache.c - the answer cache: an answer comes back only for its key and
 * database state, the least recently used go first when room runs out, the
 * budget holds (and may be changed), and threads may share it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fihris/cache.h"

static void expect(fh_cache *c, const char *key, const char *state, const char *want)
{
    char *got = fh_cache_get(c, key, state);
    if (want == NULL)
        CHECK_MSG(got == NULL, "%s@%s: got \"%s\", want nothing", key, state, got);
    else
        CHECK_MSG(got && strcmp(got, want) == 0, "%s@%s: got \"%s\", want \"%s\"", key, state,
                  got ? got : "(nothing)", want);
    free(got);
}

static void keys_and_states(void)
{
    fh_cache *c = NULL;
    CHECK_INT(fh_cache_new(1 << 20, &c, NULL), FH_OK);
    expect(c, "search 0 10 0 0 meta", "u:1", NULL);
    fh_cache_put(c, "search 0 10 0 0 meta", "u:1", "{\"total\":3}");
    fh_cache_put(c, "suggest zu", "u:1", "[\"zuckerberg\"]");
    expect(c, "search 0 10 0 0 meta", "u:1", "{\"total\":3}");
    expect(c, "suggest zu", "u:1", "[\"zuckerberg\"]");
    expect(c, "search 0 10 0 0 met", "u:1", NULL);
    /* after a commit the old answer is gone, even for the old state */
    expect(c, "search 0 10 0 0 meta", "u:2", NULL);
    expect(c, "search 0 10 0 0 meta", "u:1", NULL);
    fh_cache_put(c, "suggest zu", "u:2", "[]"); /* replaces */
    expect(c, "suggest zu", "u:2", "[]");
    size_t hits, lookups;
    fh_cache_stats(c, &hits, &lookups);
    CHECK_INT(hits, 3);
    CHECK_INT(lookups, 7);
    fh_cache_free(c);
}

/* Room for a few answers: the oldest unused go first; a read counts as use. */
static void least_recently_used(void)
{
    fh_cache *c = NULL;
    char answer[200];
    memset(answer, 'x', sizeof answer - 1);
    answer[sizeof answer - 1] = '\0';
    CHECK_INT(fh_cache_new(2400, &c, NULL), FH_OK); /* about 9 answers */
    char key[32];
    for (int i = 0; i < 6; i++) {
        snprintf(key, sizeof key, "k%d", i);
        fh_cache_put(c, key, "s", answer);
    }
    expect(c, "k0", "s", answer); /* k0 is now the most recent */
    for (int i = 6; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        fh_cache_put(c, key, "s", answer);
        if (i < 9)
            expect(c, "k0", "s", answer);
    }
    expect(c, "k1", "s", NULL);
    expect(c, "k39", "s", answer);
    int kept = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        char *got = fh_cache_get(c, key, "s");
        kept += got != NULL;
        free(got);
    }
    /* each answer costs over 200 bytes: no more than 2400 / 200 fit */
    CHECK_MSG(kept >= 6 && kept < 12, "%d answers kept in 2400 bytes", kept);
    /* an answer over an eighth of the room is not kept */
    char big[320];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    fh_cache_put(c, "big", "s", big);
    expect(c, "big", "s", NULL);
    fh_cache_free(c);

    CHECK_INT(fh_cache_new(0, &c, NULL), FH_OK); /* keeps nothing */
    fh_cache_put(c, "k", "s", "a");
    expect(c, "k", "s", NULL);
    fh_cache_free(c);
}

enum { THREADS = 4, ROUNDS = 20000, KEYS = 500 };

/* Each answer names its key: a thread never reads another key's answer. */
static void *hammer(void *arg)
{
    fh_cache *c = arg;
    long bad = 0;
    char key[32], answer[48];
    for (int i = 0; i < ROUNDS; i++) {
        int k = (i * 7919) % KEYS;
        snprintf(key, sizeof key, "key%d", k);
        snprintf(answer, sizeof answer, "answer to key%d", k);
        char *got = fh_cache_get(c, key, "s");
        if (got == NULL)
            fh_cache_put(c, key, "s", answer);
        else
            bad += strcmp(got, answer) != 0;
        free(got);
    }
    return (void *)bad;
}

static void shared_by_threads(void)
{
    fh_cache *c = NULL;
    CHECK_INT(fh_cache_new(64 * 1024, &c, NULL), FH_OK); /* smaller than the keys: evictions */
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, hammer, c);
    for (int i = 0; i < THREADS; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        CHECK_MSG(bad == NULL, "thread %d read %ld wrong answers", i, (long)bad);
    }
    size_t hits, lookups;
    fh_cache_stats(c, &hits, &lookups);
    CHECK_INT(lookups, THREADS * ROUNDS);
    CHECK(hits > 0 && hits < lookups);
    fh_cache_free(c);
}

/* A budget changed while answers are kept: the least recently used go
 * until the rest fit; none is kept under a budget of 0, and a budget given
 * back keeps answers again. */
static void limit_changed(void)
{
    fh_cache *c = NULL;
    CHECK_INT(fh_cache_new(1 << 20, &c, NULL), FH_OK);
    char answer[1000];
    memset(answer, 'a', sizeof answer - 1);
    answer[sizeof answer - 1] = '\0';
    for (int i = 0; i < 8; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        fh_cache_put(c, key, "s", answer);
    }
    free(fh_cache_get(c, "k0", "s")); /* k0 the most recently used: k1 goes first */
    fh_cache_set_limit(c, 2 * (sizeof answer + 200));
    CHECK_INT(fh_cache_limit(c), 2 * (sizeof answer + 200));
    expect(c, "k1", "s", NULL);
    expect(c, "k0", "s", answer);
    fh_cache_set_limit(c, 0);
    expect(c, "k0", "s", NULL);
    fh_cache_put(c, "k9", "s", "x");
    expect(c, "k9", "s", NULL);
    fh_cache_set_limit(c, 1 << 20);
    fh_cache_put(c, "k9", "s", "x");
    expect(c, "k9", "s", "x");
    fh_cache_free(c);
}

int main(void)
{
    keys_and_states();
    least_recently_used();
    limit_changed();
    shared_by_threads();
    return check_result();
}
