/*
 * pool.c - shard writers in threads, fed through bounded queues (see pool.h).
 */
#include "fihris/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/terms.h"

/* Enough queued text to keep a writer busy, little enough to bound memory. */
enum { QUEUE_MAX_BYTES = 4 * 1024 * 1024 };

typedef struct queued {
    struct queued *next;
    size_t bytes;
    fh_document d; /* its strings live in the same allocation */
} queued;

typedef struct {
    fh_writer *w;
    const volatile sig_atomic_t *interrupted;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    queued *head, *tail;
    size_t bytes;
    int closing;
    int discard; /* closing without indexing what is still queued */
    fh_status status;
    fh_error err;
    _Atomic uint64_t done_bytes;
} worker;

struct fh_pool {
    worker *workers;
    size_t n;
};

static size_t opt_len(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copy s (n bytes plus a NUL) to *at and advance; NULL stays NULL. */
static const char *put_string(char **at, const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    char *dst = *at;
    memcpy(dst, s, n);
    dst[n] = '\0';
    *at += n + 1;
    return dst;
}

static queued *copy_document(const fh_document *d)
{
    size_t strings = opt_len(d->id) + d->title_len + 1 + d->body_len + 1 + opt_len(d->url) +
                     opt_len(d->date) + opt_len(d->source) + opt_len(d->lang) + opt_len(d->path) +
                     (d->extra ? d->extra_len + 1 : 0);
    queued *q = malloc(sizeof *q + strings);
    if (q == NULL)
        return NULL;
    char *at = (char *)(q + 1);
    q->next = NULL;
    q->bytes = sizeof *q + strings;
    q->d = *d;
    q->d.id = put_string(&at, d->id, opt_len(d->id) - (d->id != NULL));
    q->d.title = put_string(&at, d->title, d->title_len);
    q->d.body = put_string(&at, d->body, d->body_len);
    q->d.url = put_string(&at, d->url, opt_len(d->url) - (d->url != NULL));
    q->d.date = put_string(&at, d->date, opt_len(d->date) - (d->date != NULL));
    q->d.source = put_string(&at, d->source, opt_len(d->source) - (d->source != NULL));
    q->d.lang = put_string(&at, d->lang, opt_len(d->lang) - (d->lang != NULL));
    q->d.path = put_string(&at, d->path, opt_len(d->path) - (d->path != NULL));
    q->d.extra = put_string(&at, d->extra, d->extra_len);
    return q;
}

static queued *take(worker *k)
{
    pthread_mutex_lock(&k->mu);
    while (k->head == NULL && !k->closing)
        pthread_cond_wait(&k->not_empty, &k->mu);
    int drop = k->discard || (k->interrupted && *k->interrupted);
    queued *q = drop ? NULL : k->head;
    if (q) {
        k->head = q->next;
        if (k->head == NULL)
            k->tail = NULL;
        k->bytes -= q->bytes;
        pthread_cond_signal(&k->not_full);
    }
    pthread_mutex_unlock(&k->mu);
    return q;
}

static void set_status(worker *k, fh_status st)
{
    pthread_mutex_lock(&k->mu);
    k->status = st;
    pthread_cond_broadcast(&k->not_full);
    pthread_mutex_unlock(&k->mu);
}

/* After a failure the queue is still drained, so the reader never waits on
 * a shard that stopped. */
static void *worker_main(void *arg)
{
    worker *k = arg;
    fh_status st = FH_OK;
    queued *q;
    while ((q = take(k)) != NULL) {
        if (st == FH_OK) {
            st = fh_writer_put(k->w, &q->d, &k->err);
            if (st != FH_OK)
                set_status(k, st);
        }
        atomic_fetch_add_explicit(&k->done_bytes, q->d.title_len + q->d.body_len,
                                  memory_order_relaxed);
        free(q);
    }
    if (st == FH_OK && (st = fh_writer_commit(k->w, &k->err)) != FH_OK)
        set_status(k, st);
    return NULL;
}

static fh_status start_worker(worker *k, const char *path, const fh_writer_opts *opts,
                              fh_error *err)
{
    fh_status st = fh_writer_open(path, opts, &k->w, err);
    if (st != FH_OK)
        return st;
    if (pthread_create(&k->thread, NULL, worker_main, k) != 0)
        return fh_error_set(err, FH_ERR_INTERNAL, "cannot start an indexing thread");
    k->started = 1;
    return FH_OK;
}

fh_status fh_pool_start(const char *const *paths, size_t n, const fh_writer_opts *opts,
                        const volatile sig_atomic_t *interrupted, fh_pool **out,
                        fh_error *err)
{
    fh_pool *p = calloc(1, sizeof *p);
    if (p == NULL || (p->workers = calloc(n, sizeof *p->workers)) == NULL) {
        free(p);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    p->n = n;
    /* All set up before any can fail, so that finishing never meets an
     * uninitialized mutex. */
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_init(&p->workers[i].mu, NULL);
        pthread_cond_init(&p->workers[i].not_empty, NULL);
        pthread_cond_init(&p->workers[i].not_full, NULL);
        p->workers[i].interrupted = interrupted;
    }
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++)
        st = start_worker(&p->workers[i], paths[i], opts, err);
    if (st != FH_OK) {
        fh_writer_counts ignored;
        fh_pool_finish(p, 1, &ignored, NULL);
        return st;
    }
    *out = p;
    return FH_OK;
}

fh_status fh_pool_put(fh_pool *p, const fh_document *d, fh_error *err)
{
    worker *k = &p->workers[fh_shard_of(d->id, p->n)];
    queued *q = copy_document(d);
    if (q == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    pthread_mutex_lock(&k->mu);
    while (k->bytes > QUEUE_MAX_BYTES && k->status == FH_OK)
        pthread_cond_wait(&k->not_full, &k->mu);
    fh_status st = k->status;
    if (st == FH_OK) {
        if (k->tail)
            k->tail->next = q;
        else
            k->head = q;
        k->tail = q;
        k->bytes += q->bytes;
        q = NULL;
        pthread_cond_signal(&k->not_empty);
    }
    pthread_mutex_unlock(&k->mu);
    free(q);
    if (st != FH_OK && err)
        *err = k->err;
    return st;
}

uint64_t fh_pool_done_bytes(const fh_pool *p)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < p->n; i++)
        sum += atomic_load_explicit(&p->workers[i].done_bytes, memory_order_relaxed);
    return sum;
}

static void free_queue(worker *k)
{
    while (k->head) {
        queued *next = k->head->next;
        free(k->head);
        k->head = next;
    }
    k->tail = NULL;
}

static void stop_worker(worker *k, int discard)
{
    pthread_mutex_lock(&k->mu);
    k->closing = 1;
    k->discard = discard;
    pthread_cond_broadcast(&k->not_empty);
    pthread_mutex_unlock(&k->mu);
    if (k->started)
        pthread_join(k->thread, NULL);
    free_queue(k);
    pthread_mutex_destroy(&k->mu);
    pthread_cond_destroy(&k->not_empty);
    pthread_cond_destroy(&k->not_full);
}

fh_status fh_pool_finish(fh_pool *p, int discard, fh_writer_counts *total, fh_error *err)
{
    fh_status first = FH_OK;
    memset(total, 0, sizeof *total);
    for (size_t i = 0; i < p->n; i++) {
        worker *k = &p->workers[i];
        stop_worker(k, discard);
        if (k->w) {
            fh_writer_counts c = fh_writer_get_counts(k->w);
            total->added += c.added;
            total->replaced += c.replaced;
            total->unchanged += c.unchanged;
            total->dropped_terms += c.dropped_terms;
        }
        if (k->status != FH_OK && first == FH_OK) {
            first = k->status;
            if (err)
                *err = k->err;
        }
        fh_writer_close(k->w);
    }
    free(p->workers);
    free(p);
    return first;
}
