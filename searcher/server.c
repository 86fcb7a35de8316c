/*
 * server.c - the HTTP API and page on libmicrohttpd (see server.h).
 *
 * libmicrohttpd gives each connection a thread, which answers at once what
 * needs no database (the page, errors of path, method and size); the rest
 * waits, its connection's thread blocked, in one queue for a pool of worker
 * threads.  Each worker opens its own reader the first time it needs one (a
 * thread-specific fh_searcher, closed when the thread ends), so no Xapian
 * object is ever shared.  (A connection is never suspended: libmicrohttpd
 * 0.9.75 reads a resumed connection before answering it, and closes one
 * whose client has shut down its sending side without a reply.)
 *
 * A watchdog thread closes the connections that have not sent a whole
 * request in time (header_timeout_s): libmicrohttpd's own timeout counts
 * from the last byte received, which a client sending a byte a second
 * never reaches.
 *
 * Writes are judged from their headers (method, key, type, length), and
 * once the body is whole handed by the connection's thread to writes.h
 * (one writer in a thread of its own, the calls of a moment in one commit),
 * which it waits for: the workers keep answering searches meanwhile.  The
 * path of a request is kept as sent (the URI log callback runs before
 * libmicrohttpd decodes it), so that a document id to delete is decoded
 * here, a NUL byte (%00) refused rather than cutting it short.
 *
 * The settings a reload changes (live_settings) are read under a
 * read-write lock, once per request as its headers arrive: a request keeps
 * them to its reply, whatever reload comes meanwhile.  Every reply is
 * counted in the server's metrics (atomics) and logged (reqlog.h) by the
 * thread that sends it.
 */
#include "fihris/server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fihris/cache.h"
#include "fihris/clock.h"
#include "fihris/metrics.h"
#include "fihris/output.h"
#include "fihris/reqlog.h"
#include "fihris/search.h"
#include "fihris/utf8.h"
#include "fihris/writes.h"

extern const char fh_web_page[], fh_web_script[], fh_web_style[];
extern const size_t fh_web_page_len, fh_web_script_len, fh_web_style_len;

struct request;
struct watched;

/* Requests waiting for a worker, first come first served. */
typedef struct {
    struct request *head, *tail;
} queue;

/* Searches that may cost far more than most (prefixes, long queries,
 * explanations) wait in a lane of their own, which at most all workers but
 * one serve at a time: a flood of them slows one another, never the
 * quick requests, which the remaining worker keeps answering. */
enum { LANE_QUICK, LANE_HEAVY, LANES };

/* The settings a reload may change (fh_server_reload), under live_lock:
 * each request takes what it needs of them once, as its headers arrive,
 * and keeps it to its reply. */
typedef struct {
    fh_key admin_key, search_key, metrics_key;
    unsigned time_limit_ms;
    size_t max_body_bytes;
    int cache_on;          /* answers are kept and reused */
    char **origins;        /* owned copies */
    size_t norigins;
    int quiet, log_json;
} live_settings;

struct fh_server {
    fh_server_opts opts;   /* as started: what a reload changes is in live */
    pthread_rwlock_t live_lock;
    live_settings live;
    fh_metrics metrics;
    struct MHD_Daemon *daemon;
    pthread_key_t reader; /* this thread's fh_searcher */
    fh_cache *cache;
    uint16_t port;
    pthread_t *workers;
    unsigned nworkers;
    pthread_mutex_t lock; /* guards what follows */
    pthread_cond_t ready; /* a request was queued or a heavy one answered, or
                           * stopping was set */
    pthread_cond_t sent;  /* a worker's reply has gone */
    queue lanes[LANES];
    unsigned heavy_running, heavy_cap; /* workers on heavy requests, and how many may be */
    int stopping;
    size_t unsent;        /* replies made by workers, not yet sent */
    pthread_t watchdog;
    int watchdog_running;
    pthread_mutex_t watch_lock; /* guards what follows */
    pthread_cond_t watch_stop;
    struct watched *watching;   /* every open connection */
    int watch_stopping;
    fh_writes *writes;          /* with an admin key: the database's writer */
    unsigned writes_open;       /* writes received or under way (under lock) */
    size_t write_bytes;         /* ... the bytes of body they hold a place for */
};

void fh_server_opts_init(fh_server_opts *o)
{
    memset(o, 0, sizeof *o);
    o->address = "127.0.0.1";
    o->port = 8080;
    /* Searching is CPU work: a thread per processor answers as many
     * requests as more threads would, with a shorter tail (a request waits
     * behind fewer others sharing its processor). */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = cpus < 2 ? 2 : cpus > 64 ? 64 : (unsigned)cpus;
    o->max_connections = 256;
    o->idle_timeout_s = 30;
    o->header_timeout_s = 5;
    o->max_per_client = 64;
    o->time_limit_ms = 500;
    o->cache_bytes = 64u << 20;
    o->max_body_bytes = 4u << 20;
    o->commit_interval_ms = 500;
    o->write_nice = 10;
    fh_remote_opts_init(&o->remote);
}

/* ---- responses ---- */

typedef struct {
    unsigned status;
    char *body;          /* owned */
    const char *type;    /* content type */
    const char *allow;   /* Allow header for 405, or NULL */
    const char *cache;   /* X-Fihris-Cache: "hit", "miss", or NULL */
    char *why;           /* owned: for the log, the internal reason of a 5xx,
                          * why a key was refused, what a write did */
    const char *header, *value; /* one more header (WWW-Authenticate,
                                 * Retry-After), or NULL */
    int has_hits;        /* a search's answer: hits is its total, for the log */
    uint32_t hits;
} reply;

static reply json_reply(unsigned status, char *body)
{
    return (reply){status, body, "application/json; charset=utf-8", NULL, NULL, NULL, NULL, NULL,
                   0, 0};
}

/* {"error": message}: messages here are for users, never internal ones. */
static reply error_reply(unsigned status, const char *message)
{
    json_t *o = json_pack("{s:s}", "error", message);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return json_reply(status, body);
}

/* r with the reason the log gives for it (never sent to the client). */
static reply because(reply r, const char *why)
{
    r.why = why ? strdup(why) : NULL;
    return r;
}

/* The request's Origin when it is one of those live allows (live_lock
 * held), or NULL. */
static const char *origin_allowed(const live_settings *live, struct MHD_Connection *c)
{
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    for (size_t i = 0; origin && i < live->norigins; i++)
        if (strcmp(origin, live->origins[i]) == 0)
            return origin;
    return NULL;
}

/* A line of the server's own in the log (reqlog.h), unless it is quiet. */
__attribute__((format(printf, 2, 3))) static void note(fh_server *srv, const char *fmt, ...)
{
    pthread_rwlock_rdlock(&srv->live_lock);
    int quiet = srv->live.quiet, json = srv->live.log_json;
    pthread_rwlock_unlock(&srv->live_lock);
    if (quiet)
        return;
    char message[FH_ERROR_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    fh_buf line = FH_BUF_INIT;
    if (fh_log_note(json, message, &line) == FH_OK)
        fwrite(line.data, 1, line.len, stderr);
    fh_buf_free(&line);
}

/* The page runs its own script and style only (no inline script, style
 * or event handler attribute) and, by Trusted Types, no innerHTML; it
 * fetches from searchd only.  Nothing else searchd sends is a document: it
 * may load nothing. */
static const char PAGE_POLICY[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'";
static const char OTHER_POLICY[] = "default-src 'none'; frame-ancestors 'none'";

/* No answer may be framed or sniffed into another type, and none passes
 * a Referer on: the page's address, so a result's link, carries the query. */
static void add_security_headers(struct MHD_Response *resp, const char *type)
{
    int page = strncmp(type, "text/html", 9) == 0;
    MHD_add_response_header(resp, "Content-Security-Policy", page ? PAGE_POLICY : OTHER_POLICY);
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
}

/* Send r on c; origin: the request's Origin when it may call the API. */
static enum MHD_Result send_reply(struct MHD_Connection *c, reply r, const char *origin)
{
    if (r.body == NULL) /* out of memory building the reply */
        r = (reply){500, NULL, "application/json; charset=utf-8", NULL, NULL, NULL, NULL, NULL,
                    0, 0};
    static const char failed[] = "{\"error\":\"internal error\"}";
    struct MHD_Response *resp =
        r.body ? MHD_create_response_from_buffer(strlen(r.body), r.body, MHD_RESPMEM_MUST_FREE)
               : MHD_create_response_from_buffer(sizeof failed - 1, (void *)failed,
                                                 MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        free(r.body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r.type);
    add_security_headers(resp, r.type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r.allow)
        MHD_add_response_header(resp, "Allow", r.allow);
    if (r.cache)
        MHD_add_response_header(resp, "X-Fihris-Cache", r.cache);
    if (r.header)
        MHD_add_response_header(resp, r.header, r.value);
    if (origin) {
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
        MHD_add_response_header(resp, "Vary", "Origin");
    }
    enum MHD_Result ok = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* ---- the reader of this thread ---- */

static void close_reader(void *s)
{
    fh_searcher_close(s);
}

/* This thread's reader, up to date; NULL when the database cannot be read,
 * with *err saying why (which shard is down is for the operator's log,
 * never for the client). */
static fh_searcher *reader_of_thread(fh_server *srv, fh_error *err)
{
    fh_searcher *s = pthread_getspecific(srv->reader);
    if (s && fh_searcher_refresh(s, err) == FH_OK)
        return s;
    fh_searcher_close(s);
    s = NULL;
    if (fh_searcher_open_remote(srv->opts.db_path, &srv->opts.remote, &s, err) != FH_OK)
        s = NULL;
    pthread_setspecific(srv->reader, s);
    return s;
}

static reply unavailable(const fh_error *err)
{
    return because(error_reply(503, "the database is not available"), err->message);
}

/* ---- the answer cache ---- */

/* An answer is kept as "HITS\n" (its total, or "-" for none) then its
 * body, so that the log of an answer reused still gives its hits. */

/* The answer kept for key from the state s sees, as a reply; otherwise 0,
 * with that state left in *state for remember() (none when the cache is
 * off: on is 0). */
static int cached(fh_server *srv, int on, fh_searcher *s, const char *key, fh_buf *state,
                  reply *out)
{
    fh_error err;
    if (!on || fh_searcher_state(s, state, &err) != FH_OK || state->len == 0 ||
        fh_buf_append_char(state, '\0') != FH_OK) {
        state->len = 0; /* no state known: nothing kept, nothing reused */
        return 0;
    }
    char *kept = fh_cache_get(srv->cache, key, state->data);
    char *body = kept ? strchr(kept, '\n') : NULL;
    if (body == NULL) {
        free(kept);
        return 0;
    }
    reply r = json_reply(200, kept);
    r.has_hits = kept[0] != '-';
    r.hits = r.has_hits ? (uint32_t)strtoul(kept, NULL, 10) : 0;
    memmove(kept, body + 1, strlen(body + 1) + 1);
    r.cache = "hit";
    *out = r;
    return 1;
}

static reply remember(fh_server *srv, const char *key, const fh_buf *state, reply r)
{
    if (state->len && r.status == 200 && r.body) {
        fh_buf kept = FH_BUF_INIT;
        fh_status st = r.has_hits ? fh_buf_printf(&kept, "%u\n", (unsigned)r.hits)
                                  : fh_buf_append_str(&kept, "-\n");
        if (st == FH_OK && fh_buf_append_str(&kept, r.body) == FH_OK)
            fh_cache_put(srv->cache, key, state->data, kept.data);
        fh_buf_free(&kept);
        r.cache = "miss";
    }
    return r;
}

/* ---- requests ---- */

/* What a request may change. */
enum { WRITE_NONE, WRITE_PUT, WRITE_DELETE_ONE, WRITE_DELETE_LIST };

/* Whose key a request carries. */
enum { KEY_NONE, KEY_WRONG, KEY_METRICS, KEY_SEARCH, KEY_ADMIN };

/* One request, from its headers to its reply.  The connection's thread
 * copies what the request asks (URL, method, arguments) before handing it
 * to a worker, so that a worker never touches the connection. */
typedef struct request {
    double started;
    size_t body_bytes;
    struct MHD_Connection *conn;
    char client[INET6_ADDRSTRLEN]; /* its address, for the log */
    char *raw_path;        /* the path as sent, percent-encoded (or NULL) */
    char *url, *method;    /* url: the path, decoded by libmicrohttpd */
    int begun;             /* its headers were seen */
    int key;               /* KEY_... */
    /* the settings of the moment its headers arrived (live_settings) */
    int search_key_set, metrics_key_set, cache_on, quiet, log_json;
    const char *origin;    /* its Origin header, when allowed (the connection's) */
    unsigned time_limit_ms;
    size_t max_body_bytes;
    int write;             /* WRITE_... */
    int wrote;             /* a write was done: written holds what it did */
    size_t written[FH_WRITTEN_KINDS];
    fh_write_format format;
    fh_buf body;           /* a write's body, kept while keep_body */
    int keep_body;
    int refused;           /* r was decided from the headers: the body is dropped */
    int holds_write;       /* counted in writes_open */
    size_t write_bytes;    /* counted in the server's write_bytes */
    char **args;           /* name, value, name, value ...; values may be NULL */
    size_t nargs, url_len; /* url_len: the URL with its arguments */
    int nul_in_args;       /* an argument holds a NUL byte */
    reply r;
    int answered;          /* r is the reply: send it */
    int lane;              /* LANE_QUICK or LANE_HEAVY */
    pthread_cond_t done;   /* answered was set (by a worker) */
    struct request *next;  /* in the queue of the workers */
} request;

static request *request_new(void)
{
    request *rq = calloc(1, sizeof *rq);
    if (rq && pthread_cond_init(&rq->done, NULL) != 0) {
        free(rq);
        rq = NULL;
    }
    return rq;
}

static void request_free(request *rq)
{
    for (size_t i = 0; i < 2 * rq->nargs; i++)
        free(rq->args[i]);
    free(rq->args);
    free(rq->raw_path);
    fh_buf_free(&rq->body);
    free(rq->url);
    free(rq->method);
    free(rq->r.body);
    free(rq->r.why);
    pthread_cond_destroy(&rq->done);
    free(rq);
}

static char *copy_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Arguments come with their decoded lengths: a NUL byte (%00) would
 * otherwise cut a value short without a word. */
static enum MHD_Result copy_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                size_t key_len, const char *value, size_t value_len)
{
    request *rq = cls;
    (void)kind;
    if (strlen(key) != key_len || (value && strlen(value) != value_len))
        rq->nul_in_args = 1;
    rq->url_len += 1 + key_len + (value ? 1 + value_len : 0); /* ?key=value or &key */
    char **grown = realloc(rq->args, 2 * (rq->nargs + 1) * sizeof *grown);
    if (grown == NULL)
        return MHD_NO;
    rq->args = grown;
    rq->args[2 * rq->nargs] = strdup(key);
    rq->args[2 * rq->nargs + 1] = copy_or_null(value);
    rq->nargs++;
    return MHD_YES;
}

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *a = info ? info->client_addr : NULL;
    const void *bytes = a == NULL                ? NULL
                        : a->sa_family == AF_INET ? (const void *)&((const struct sockaddr_in *)a)->sin_addr
                        : a->sa_family == AF_INET6
                            ? (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr
                            : NULL;
    if (bytes == NULL || inet_ntop(a->sa_family, bytes, out, (socklen_t)size) == NULL)
        snprintf(out, size, "-");
}

/* Copy what the request asks; 0 when out of memory. */
static int take_request(request *rq, struct MHD_Connection *c, const char *url,
                        const char *method)
{
    rq->conn = c;
    client_address(c, rq->client, sizeof rq->client);
    rq->url = strdup(url);
    rq->method = strdup(method);
    rq->url_len = strlen(url);
    int n = MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, copy_arg, rq);
    if (rq->url == NULL || rq->method == NULL || n < 0 || (size_t)n != rq->nargs)
        return 0;
    for (size_t i = 0; i < rq->nargs; i++)
        if (rq->args[2 * i] == NULL)
            return 0;
    return 1;
}

/* ---- parameters ---- */

/* The first value of argument name ("" for a bare name), or NULL. */
static const char *arg(const request *rq, const char *name)
{
    for (size_t i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[2 * i], name) == 0)
            return rq->args[2 * i + 1] ? rq->args[2 * i + 1] : "";
    return NULL;
}

/* An optional whole number in [lo, hi]; *out keeps its default when absent. */
static int number_arg(const request *c, const char *name, unsigned lo, unsigned hi,
                      unsigned *out)
{
    const char *v = arg(c, name);
    if (v == NULL)
        return 1;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || n < lo || n > hi)
        return 0;
    *out = (unsigned)n;
    return 1;
}

static int flag_arg(const request *c, const char *name, int *out)
{
    const char *v = arg(c, name);
    if (v == NULL)
        return 1;
    int yes = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
    if (!yes && strcmp(v, "0") != 0 && strcmp(v, "false") != 0)
        return 0;
    *out = yes;
    return 1;
}

/* A search request from the URL; 0 after filling *bad with the reply. */
static int read_search_args(const request *c, fh_search_request *req, reply *bad)
{
    const char *q = arg(c, "q"), *sort = arg(c, "sort");
    unsigned page = 1, size = 10;
    fh_search_request_init(req);
    req->marks = FH_MARK_HTML;
    req->time_limit_ms = c->time_limit_ms;
    if (q == NULL) /* q= with nothing to search for is a query: it finds nothing */
        *bad = error_reply(400, "give a query: q=...");
    else if (!number_arg(c, "page", 1, FH_SERVER_MAX_PAGE, &page))
        *bad = error_reply(400, "page must be a number from 1 to 1000");
    else if (!number_arg(c, "size", 1, FH_SERVER_MAX_PAGE_SIZE, &size))
        *bad = error_reply(400, "size must be a number from 1 to 100");
    else if (sort && strcmp(sort, "relevance") != 0 && strcmp(sort, "date") != 0)
        *bad = error_reply(400, "sort must be relevance or date");
    else if (!flag_arg(c, "facets", &req->facets))
        *bad = error_reply(400, "facets must be 0 or 1");
    else if (!flag_arg(c, "explain", &req->explain))
        *bad = error_reply(400, "explain must be 0 or 1");
    else {
        req->query = q;
        req->query_len = strlen(q);
        req->offset = (page - 1) * size;
        req->count = size;
        req->sort_by_date = sort && strcmp(sort, "date") == 0;
        return 1;
    }
    return 0;
}

/* ---- endpoints ---- */

static reply status_of(fh_status st, const fh_error *err)
{
    if (st == FH_ERR_INVALID)
        return error_reply(400, err->message); /* what the user typed, said plainly */
    if (st == FH_ERR_UNAVAILABLE)
        return unavailable(err);
    return because(error_reply(500, "internal error"), err->message);
}

/* The answer to req; *keep says whether it may be reused (an answer cut
 * short by the time limit is not one to keep). */
static reply run_search(const fh_server *srv, fh_searcher *s, fh_search_request *req, int *keep)
{
    *keep = 0;
    fh_buf query = FH_BUF_INIT;
    if (fh_utf8_repair(req->query, req->query_len, &query, NULL) != FH_OK)
        return because(error_reply(500, "internal error"), "out of memory");
    req->query = query.data;
    fh_search_result r;
    fh_error err;
    fh_status st = fh_search(s, req, &r, &err);
    char *body = NULL;
    uint32_t total = 0;
    if (st == FH_OK) {
        st = fh_result_json(req->query, &r, 0, &body, &err);
        /* neither a cut count nor an answer without some shards is kept */
        *keep = !r.time_limited && r.nmissing == 0;
        total = r.estimated;
        fh_search_result_free(&r);
    }
    fh_buf_free(&query);
    (void)srv;
    if (st != FH_OK)
        return status_of(st, &err);
    reply ok = json_reply(200, body);
    ok.has_hits = 1;
    ok.hits = total;
    return ok;
}

static reply api_search(fh_server *srv, const request *c)
{
    fh_search_request req;
    reply bad;
    if (!read_search_args(c, &req, &bad))
        return bad;
    fh_error err;
    fh_searcher *s = reader_of_thread(srv, &err);
    if (s == NULL)
        return unavailable(&err);
    fh_buf key = FH_BUF_INIT, state = FH_BUF_INIT;
    reply r;
    if (fh_buf_printf(&key, "search %u %u %d %d %d %s", req.offset, req.count,
                      req.sort_by_date, req.facets, req.explain, req.query) != FH_OK)
        r = because(error_reply(500, "internal error"), "out of memory");
    else if (!cached(srv, c->cache_on, s, key.data, &state, &r)) {
        int keep;
        r = run_search(srv, s, &req, &keep);
        if (keep)
            r = remember(srv, key.data, &state, r);
    }
    fh_buf_free(&key);
    fh_buf_free(&state);
    return r;
}

/* {"q": typed, "suggestions": [words completing its last word]} */
static reply completions(fh_searcher *s, const char *typed)
{
    fh_buf words = FH_BUF_INIT;
    size_t n = 0;
    fh_error err;
    fh_status st = fh_searcher_complete(s, typed, strlen(typed), FH_SERVER_MAX_SUGGESTIONS,
                                        &words, &n, &err);
    json_t *list = json_array();
    const char *w = words.data;
    for (size_t i = 0; st == FH_OK && list && i < n; i++, w += strlen(w) + 1)
        json_array_append_new(list, json_string(w));
    json_t *o = st == FH_OK ? json_pack("{s:s, s:o}", "q", typed, "suggestions", list) : NULL;
    if (o == NULL)
        json_decref(list);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    fh_buf_free(&words);
    return st == FH_OK ? json_reply(200, body) : status_of(st, &err);
}

static reply api_suggest(fh_server *srv, const request *c)
{
    const char *q = arg(c, "q");
    if (q == NULL)
        return error_reply(400, "give the text typed so far: q=...");
    if (strlen(q) > FH_SEARCH_MAX_QUERY_BYTES)
        return error_reply(400, "query too long");
    fh_error err;
    fh_searcher *s = reader_of_thread(srv, &err);
    if (s == NULL)
        return unavailable(&err);
    fh_buf typed = FH_BUF_INIT, key = FH_BUF_INIT, state = FH_BUF_INIT;
    reply r;
    if (fh_utf8_repair(q, strlen(q), &typed, NULL) != FH_OK ||
        fh_buf_printf(&key, "suggest %s", typed.data ? typed.data : "") != FH_OK)
        r = because(error_reply(500, "internal error"), "out of memory");
    else if (!cached(srv, c->cache_on, s, key.data, &state, &r))
        r = remember(srv, key.data, &state, completions(s, typed.data ? typed.data : ""));
    fh_buf_free(&typed);
    fh_buf_free(&key);
    fh_buf_free(&state);
    return r;
}

static json_t *optional(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The extra fields of a document, the text of a JSON object as stored
 * (numbers as they were given, which parsing and writing again would
 * change: 0.1 becomes 0.10000000000000001), or "{}" when it has none. */
static const char *extra_text(const fh_stored *d, size_t *len)
{
    json_t *o = d->extra ? json_loadb(d->extra, d->extra_len, 0, NULL) : NULL;
    const int valid = json_is_object(o);
    json_decref(o);
    *len = valid ? d->extra_len : 2;
    return valid ? d->extra : "{}";
}

/* {"id", "title", "body", "url", "date", "source", "lang", "extra"}; NULL
 * without memory. */
static char *doc_json(const fh_stored *d)
{
    json_t *o = json_pack("{s:s, s:s%, s:s%, s:o, s:o, s:o, s:o}", "id", d->id, "title",
                          d->title, d->title_len, "body", d->body, d->body_len, "url",
                          optional(d->url), "date", optional(d->date), "source",
                          optional(d->source), "lang", optional(d->lang));
    char *head = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (head == NULL)
        return NULL;
    size_t len;
    const char *extra = extra_text(d, &len);
    fh_buf out = FH_BUF_INIT;
    /* head ends in '}': the extra fields go before it */
    const int ok = fh_buf_append(&out, head, strlen(head) - 1) == FH_OK &&
                   fh_buf_append_str(&out, ",\"extra\":") == FH_OK &&
                   fh_buf_append(&out, extra, len) == FH_OK && fh_buf_append_char(&out, '}') == FH_OK;
    free(head);
    char *text = ok ? fh_buf_steal(&out) : NULL;
    fh_buf_free(&out);
    return text;
}

static reply api_doc(fh_server *srv, const char *id)
{
    fh_error err;
    fh_searcher *s = reader_of_thread(srv, &err);
    if (s == NULL)
        return unavailable(&err);
    fh_stored d;
    fh_status st = fh_searcher_document(s, id, &d, &err);
    if (st == FH_ERR_NOT_FOUND)
        return error_reply(404, "no document with this id");
    if (st == FH_ERR_UNAVAILABLE)
        return unavailable(&err);
    if (st != FH_OK)
        return because(error_reply(500, "internal error"), err.message);
    char *body = doc_json(&d);
    fh_stored_free(&d);
    return json_reply(200, body);
}

/* 503 {"status": "unavailable", "error": message}, the details in the log. */
static reply unhealthy(const char *message, const char *why)
{
    json_t *o = json_pack("{s:s, s:s}", "status", "unavailable", "error", message);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return because(json_reply(503, body), why);
}

/* "shard X is unavailable, shard Y is unavailable" for the log. */
static reply shards_missing(fh_db *db)
{
    fh_buf why = FH_BUF_INIT;
    size_t n = fh_db_missing_count(db);
    for (size_t k = 0; k < n; k++)
        if (fh_buf_printf(&why, "%sshard %s is unavailable", k ? ", " : "", fh_db_missing(db, k)) !=
            FH_OK)
            break;
    reply r = unhealthy(n == 1 ? "a shard of the cluster cannot be reached"
                               : "shards of the cluster cannot be reached",
                        why.data ? why.data : "shards are unavailable");
    fh_buf_free(&why);
    return r;
}

/* The database as it is now on disk (the workers' readers may hold files
 * removed since, or have read only what was sound): opened afresh, every
 * shard of a cluster that can be reached counted (fh_db_missing names the
 * others), its tables read.  *db is to be closed whatever the status. */
static fh_status read_afresh(const fh_server *srv, fh_db **db, uint32_t *docs, fh_error *err)
{
    fh_remote_opts remote = srv->opts.remote;
    remote.allow_partial = 1; /* to name every shard down, not the first */
    uint32_t freq = 0;
    *db = NULL;
    fh_status st = fh_db_open_reader(srv->opts.db_path, &remote, db, err);
    if (st == FH_OK && (st = fh_db_doc_count(*db, docs, err)) == FH_OK)
        st = fh_db_term_freq(*db, "healthz", 7, &freq, err);
    return st;
}

static reply healthz(fh_server *srv)
{
    fh_db *db = NULL;
    uint32_t docs = 0;
    fh_error err;
    fh_status st = read_afresh(srv, &db, &docs, &err);
    reply bad = {0};
    if (st == FH_ERR_NOT_FOUND)
        bad = unhealthy("there is no database", err.message);
    else if (st != FH_OK)
        bad = unhealthy("the database cannot be read", err.message);
    else if (fh_db_missing_count(db) > 0)
        bad = shards_missing(db);
    fh_db_close(db);
    if (bad.status)
        return bad;
    size_t hits = 0, lookups = 0;
    if (srv->cache)
        fh_cache_stats(srv->cache, &hits, &lookups);
    json_t *o = json_pack("{s:s, s:I, s:{s:I, s:I}}", "status", "ok", "documents",
                          (json_int_t)docs, "cache", "hits", (json_int_t)hits, "lookups",
                          (json_int_t)lookups);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return json_reply(200, body);
}

/* GET /metrics: the counters (metrics.h), and the database read as
 * /healthz reads it. */
static reply metrics(fh_server *srv)
{
    fh_metrics_figures f = {0};
    fh_db *db = NULL;
    fh_buf state = FH_BUF_INIT, text = FH_BUF_INIT;
    fh_error err;
    if (read_afresh(srv, &db, &f.documents, &err) == FH_OK) {
        f.readable = 1;
        f.missing_shards = fh_db_missing_count(db);
        if (fh_db_state(db, &state, &err) == FH_OK && state.len &&
            fh_buf_append_char(&state, '\0') == FH_OK)
            f.has_revision = fh_metrics_revision(state.data, &f.revision);
    } else if (db) {
        f.missing_shards = fh_db_missing_count(db);
    }
    fh_db_close(db);
    fh_buf_free(&state);
    fh_cache_stats(srv->cache, &f.cache_hits, &f.cache_lookups);
    f.cache_limit = fh_cache_limit(srv->cache);
    if ((f.writes = srv->writes != NULL)) {
        f.commits = fh_writes_commits(srv->writes);
        f.writes_waiting = fh_writes_waiting(srv->writes);
    }
    if (fh_metrics_text(&srv->metrics, &f, &text) != FH_OK) {
        fh_buf_free(&text);
        return because(error_reply(500, "internal error"), "out of memory");
    }
    char *body = fh_buf_steal(&text);
    return (reply){200, body, "text/plain; version=0.0.4; charset=utf-8", NULL, NULL, NULL,
                   NULL, NULL, 0, 0};
}

/* The page and its files, compiled in (searcher/web/), at fixed paths. */
typedef struct {
    const char *path, *data;
    const size_t *len;
    const char *type;
} web_file;

static const web_file WEB_FILES[] = {
    {"/", fh_web_page, &fh_web_page_len, "text/html; charset=utf-8"},
    {"/app.js", fh_web_script, &fh_web_script_len, "text/javascript; charset=utf-8"},
    {"/app.css", fh_web_style, &fh_web_style_len, "text/css; charset=utf-8"},
};

static const web_file *web_file_at(const char *url)
{
    for (size_t i = 0; i < sizeof WEB_FILES / sizeof WEB_FILES[0]; i++)
        if (strcmp(url, WEB_FILES[i].path) == 0)
            return &WEB_FILES[i];
    return NULL;
}

static reply web_reply(const web_file *f)
{
    char *body = malloc(*f->len + 1);
    if (body) {
        memcpy(body, f->data, *f->len);
        body[*f->len] = '\0';
    }
    return (reply){200, body, f->type, NULL, NULL, NULL, NULL, NULL, 0, 0};
}

static enum MHD_Result answer(fh_server *srv, request *rq);

/* ---- keys ---- */

/* Whose key the request carries ("Authorization: Bearer KEY"), among the
 * keys of live (live_lock held); every key is compared, whichever matches. */
static int key_of(const live_settings *live, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return KEY_NONE;
    const char *k = h + 7;
    while (*k == ' ')
        k++;
    if (*k == '\0')
        return KEY_NONE;
    int admin = fh_key_matches(&live->admin_key, k, strlen(k));
    int search = fh_key_matches(&live->search_key, k, strlen(k));
    int metrics = fh_key_matches(&live->metrics_key, k, strlen(k));
    return admin ? KEY_ADMIN : search ? KEY_SEARCH : metrics ? KEY_METRICS : KEY_WRONG;
}

/* What rq takes of the settings of the moment: the key it carries, the
 * limits, the log. */
static void take_settings(fh_server *srv, request *rq, struct MHD_Connection *c)
{
    pthread_rwlock_rdlock(&srv->live_lock);
    const live_settings *live = &srv->live;
    if (live->admin_key.set || live->search_key.set || live->metrics_key.set)
        rq->key = key_of(live, c);
    rq->search_key_set = live->search_key.set;
    rq->metrics_key_set = live->metrics_key.set;
    rq->cache_on = live->cache_on;
    rq->quiet = live->quiet;
    rq->log_json = live->log_json;
    rq->time_limit_ms = live->time_limit_ms;
    rq->max_body_bytes = live->max_body_bytes;
    rq->origin = origin_allowed(live, c);
    pthread_rwlock_unlock(&srv->live_lock);
}

/* 401 for no key, 403 for another; the log says which, never the key. */
static reply key_refused(int key)
{
    if (key == KEY_NONE) {
        reply r = because(error_reply(401, "this needs a key: send Authorization: Bearer KEY"),
                          "no key");
        r.header = "WWW-Authenticate";
        r.value = "Bearer realm=\"fihris\"";
        return r;
    }
    if (key == KEY_SEARCH)
        return because(error_reply(403, "this key allows searching, not writing"),
                       "the search key, for a write");
    if (key == KEY_METRICS)
        return because(error_reply(403, "this key allows reading the metrics only"),
                       "the metrics key, for another path");
    return because(error_reply(403, "wrong key"), "wrong key");
}

static const char DOC_PREFIX[] = "/api/doc/";

/* Whether rq may read: the paths a search key guards need it, or the
 * admin key, when there is one; /metrics needs any key of searchd's when
 * there is a search key or a metrics key. */
static int may_read(const request *rq)
{
    const char *url = rq->url;
    if (strcmp(url, "/metrics") == 0)
        return !(rq->search_key_set || rq->metrics_key_set) || rq->key == KEY_METRICS ||
               rq->key == KEY_SEARCH || rq->key == KEY_ADMIN;
    int guarded = strcmp(url, "/api/search") == 0 || strcmp(url, "/api/suggest") == 0 ||
                  strncmp(url, DOC_PREFIX, sizeof DOC_PREFIX - 1) == 0;
    return !guarded || !rq->search_key_set || rq->key == KEY_SEARCH || rq->key == KEY_ADMIN;
}

/* ---- writes ---- */

static const char DOCUMENTS[] = "/api/documents";
static const char DOCUMENTS_PREFIX[] = "/api/documents/";

/* What the path and method of rq would change (WRITE_NONE: not a write
 * path).  /api/documents/delete is the list of ids to delete (POST) or the
 * document "delete" (DELETE). */
static int write_kind(const request *rq)
{
    const char *url = rq->url;
    if (strcmp(url, DOCUMENTS) == 0)
        return WRITE_PUT;
    if (strcmp(url, "/api/documents/delete") == 0 && strcmp(rq->method, "DELETE") != 0)
        return WRITE_DELETE_LIST;
    if (strncmp(url, DOCUMENTS_PREFIX, sizeof DOCUMENTS_PREFIX - 1) == 0)
        return WRITE_DELETE_ONE;
    return WRITE_NONE;
}

/* 405 unless the method is the one of the write; Allow says which are. */
static int wrong_method(const request *rq, reply *out)
{
    const char *want = rq->write == WRITE_DELETE_ONE ? "DELETE" : "POST";
    if (strcmp(rq->method, want) == 0)
        return 0;
    int list = strcmp(rq->url, "/api/documents/delete") == 0;
    *out = error_reply(405, list ? "only POST (ids in the body) or DELETE (the document "
                                   "\"delete\") is allowed"
                            : rq->write == WRITE_PUT ? "only POST is allowed"
                                                     : "only DELETE is allowed");
    out->allow = list ? "POST, DELETE" : want;
    return 1;
}

/* The format of a write's body from its Content-Type (JSON only for a list
 * of ids); 0 for another type or a charset other than UTF-8. */
static int body_format(const request *rq, const char *type, fh_write_format *out)
{
    if (type == NULL)
        return 0;
    size_t n = strcspn(type, "; \t");
    const char *params = type + n;
    if (n == strlen("application/json") && strncasecmp(type, "application/json", n) == 0)
        *out = FH_WRITE_JSON;
    else if (rq->write == WRITE_PUT && n == strlen("application/x-ndjson") &&
             strncasecmp(type, "application/x-ndjson", n) == 0)
        *out = FH_WRITE_JSONL;
    else
        return 0;
    for (const char *p = params; *p; p++)
        if (strncasecmp(p, "charset=", 8) == 0) {
            const char *v = p + 8 + (p[8] == '"');
            size_t len = strcspn(v, "\"; \t");
            return (len == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
                   (len == 4 && strncasecmp(v, "utf8", 4) == 0);
        }
    return 1;
}

/* The Content-Length of the request, or 0 when it gives none, or gives
 * one beside a Transfer-Encoding (which libmicrohttpd follows instead). */
static unsigned long long declared_length(struct MHD_Connection *c)
{
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))
        return 0;
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    return v ? strtoull(v, NULL, 10) : 0;
}

static reply too_large(const request *rq)
{
    char msg[96];
    snprintf(msg, sizeof msg, "the body is over %zu MB: send the documents in several calls",
             rq->max_body_bytes >> 20);
    return error_reply(413, msg);
}

/* A slot among the FH_SERVER_MAX_WRITES writes at once, whose bodies
 * (as declared, or the most allowed when not) may take together
 * FH_SERVER_WRITE_BODIES bodies of the most allowed; 0 when none is free. */
static int take_write_slot(fh_server *srv, request *rq, unsigned long long declared)
{
    size_t bytes = rq->write == WRITE_DELETE_ONE ? 0
                   : declared > 0                ? (size_t)declared
                                                 : rq->max_body_bytes;
    pthread_mutex_lock(&srv->lock);
    /* stopping: the writes received are waited for, so no more are */
    rq->holds_write = !srv->stopping && srv->writes_open < FH_SERVER_MAX_WRITES &&
                      srv->write_bytes + bytes <= FH_SERVER_WRITE_BODIES * rq->max_body_bytes;
    if (rq->holds_write) {
        srv->writes_open++;
        srv->write_bytes += bytes;
        rq->write_bytes = bytes;
    }
    pthread_mutex_unlock(&srv->lock);
    return rq->holds_write;
}

/* The reply to a write decided from its headers, or status 0 when its body
 * is to be read and the write done. */
static reply write_verdict(fh_server *srv, request *rq, struct MHD_Connection *c)
{
    reply r = {0};
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (wrong_method(rq, &r))
        return r;
    if (srv->writes == NULL)
        return because(error_reply(403, "writing is disabled: start searchd with "
                                        "--admin-key-file FILE, or FIHRIS_ADMIN_KEY in its "
                                        "environment, to enable it"),
                       "writing is disabled (no admin key)");
    if (rq->key != KEY_ADMIN)
        return key_refused(rq->key);
    if (rq->write != WRITE_DELETE_ONE && !body_format(rq, type, &rq->format))
        return error_reply(415, rq->write == WRITE_PUT
                                    ? "send Content-Type: application/json (an array of "
                                      "documents) or application/x-ndjson (JSONL), in UTF-8"
                                    : "send Content-Type: application/json");
    unsigned long long declared = declared_length(c);
    if (declared > rq->max_body_bytes)
        return too_large(rq);
    if (!take_write_slot(srv, rq, declared)) {
        r = because(error_reply(503, "too many writes at once: try again in a moment"),
                    "as many writes at once as allowed");
        r.header = "Retry-After";
        r.value = "1";
    }
    return r;
}

/* The part of a write's body just received: kept, or counted and dropped. */
static void take_body(request *rq, const char *data, size_t n)
{
    rq->body_bytes += n;
    if (!rq->keep_body)
        return;
    if (rq->body.len + n > rq->max_body_bytes) { /* a body of unknown length */
        rq->r = too_large(rq);
        rq->refused = 1;
    } else if (fh_buf_append(&rq->body, data, n) != FH_OK) {
        rq->r = because(error_reply(500, "internal error"), "out of memory");
        rq->refused = 1;
    }
    if (rq->refused) {
        rq->keep_body = 0;
        fh_buf_free(&rq->body);
    }
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* The path as sent, percent-decoded into out (NUL-terminated); 0 for a
 * malformed escape or a NUL byte. */
static int decode_path(const char *raw, fh_buf *out)
{
    for (const char *p = raw; *p; p++) {
        char c = *p;
        if (c == '%') {
            int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
            if (lo < 0 || (hi | lo) == 0)
                return 0;
            c = (char)(hi * 16 + lo);
            p += 2;
        }
        if (fh_buf_append_char(out, c) != FH_OK)
            return 0;
    }
    return fh_buf_append_char(out, '\0') == FH_OK;
}

/* The document id after prefix in the path as sent, decoded into id; 0
 * (with the reply in *bad) when there is none or it cannot be read. */
static int id_in_path(const request *rq, const char *prefix, fh_buf *id, reply *bad)
{
    fh_buf path = FH_BUF_INIT;
    size_t n = strlen(prefix);
    int ok = rq->raw_path && decode_path(rq->raw_path, &path) && strlen(path.data) == path.len - 1;
    if (!ok) {
        *bad = error_reply(400, "the document id holds a NUL byte (%00) or a bad escape");
    } else if (strncmp(path.data, prefix, n) != 0 || path.data[n] == '\0') {
        char msg[64];
        snprintf(msg, sizeof msg, "give a document id: %sID", prefix);
        *bad = error_reply(404, msg);
        ok = 0;
    } else if (fh_buf_append_str(id, path.data + n) != FH_OK) {
        *bad = because(error_reply(500, "internal error"), "out of memory");
        ok = 0;
    }
    fh_buf_free(&path);
    return ok;
}

/* What the log says of a write done. */
static char *write_summary(const fh_write_report *w)
{
    fh_buf b = FH_BUF_INIT;
    fh_buf_printf(&b, "%zu added, %zu replaced, %zu unchanged, %zu deleted, %zu not found, "
                      "%zu failed", w->added, w->replaced, w->unchanged, w->deleted,
                  w->not_found, w->failed);
    return fh_buf_steal(&b);
}

/* The reply to a write that came to st. */
static reply written(fh_status st, fh_write_report *w, const fh_error *err, int one)
{
    reply r;
    if (st == FH_OK && one && w->not_found) {
        r = error_reply(404, "no document with this id");
        fh_write_report_free(w);
        return r;
    }
    if (st == FH_OK) {
        r = json_reply(200, w->json);
        r.why = write_summary(w);
        w->json = NULL;
        return r;
    }
    if (st == FH_ERR_INVALID)
        return error_reply(400, err->message);
    if (st == FH_ERR_TOO_LARGE) {
        char msg[FH_ERROR_MAX + 64];
        snprintf(msg, sizeof msg, "%s: send them in several calls", err->message);
        return error_reply(413, msg);
    }
    if (st == FH_ERR_LOCKED) {
        r = because(error_reply(503, "another process is writing the database: try again "
                                     "once it is done"),
                    err->message);
        r.header = "Retry-After";
        r.value = "5";
        return r;
    }
    /* the writer's check for room before a commit, or Xapian's ENOSPC */
    if (strstr(err->message, "No space left on device"))
        return because(error_reply(507, "not committed: the database's disk is full"),
                       err->message);
    return because(error_reply(500, "internal error"), err->message);
}

/* What a write did, for the metrics and the log. */
static void count_written(fh_server *srv, request *rq, const fh_write_report *w)
{
    const size_t n[FH_WRITTEN_KINDS] = {w->added, w->replaced, w->unchanged,
                                        w->deleted, w->not_found, w->failed};
    for (int k = 0; k < FH_WRITTEN_KINDS; k++) {
        fh_metrics_written(&srv->metrics, k, n[k]);
        rq->written[k] = n[k];
    }
    rq->wrote = 1;
}

/* Do the write rq asks, its body whole. */
static reply do_write(fh_server *srv, request *rq)
{
    if (rq->write == WRITE_DELETE_ONE && rq->body_bytes > 0)
        return error_reply(413, "this request takes no body");
    pthread_mutex_lock(&srv->lock);
    int stopping = srv->stopping;
    pthread_mutex_unlock(&srv->lock);
    if (stopping)
        return because(error_reply(503, "the server is stopping"), "stopping");
    const char *text = rq->body.data ? rq->body.data : "";
    fh_write_report w;
    fh_error err;
    fh_status st;
    if (rq->write == WRITE_PUT)
        st = fh_writes_put(srv->writes, rq->format, text, rq->body.len,
                           FH_SERVER_MAX_WRITE_DOCS, &w, &err);
    else if (rq->write == WRITE_DELETE_LIST)
        st = fh_writes_delete_json(srv->writes, text, rq->body.len, FH_SERVER_MAX_WRITE_DOCS,
                                   &w, &err);
    else {
        fh_buf id = FH_BUF_INIT;
        reply bad;
        if (!id_in_path(rq, DOCUMENTS_PREFIX, &id, &bad))
            return bad;
        st = fh_writes_delete(srv->writes, id.data, &w, &err);
        fh_buf_free(&id);
    }
    fh_buf_free(&rq->body);
    if (st == FH_OK)
        count_written(srv, rq, &w);
    return written(st, &w, &err, rq->write == WRITE_DELETE_ONE);
}

/* Whether a write refused from its headers is answered before its body is
 * read (libmicrohttpd then reads none of it, and closes the connection):
 * when the body is declared over the limit, or its client waits to be told
 * to send it (Expect: 100-continue).  Otherwise the body, whose length may
 * be unknown, is read and dropped, and the connection kept. */
static int refuse_at_once(const request *rq, struct MHD_Connection *c)
{
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
    return declared_length(c) > rq->max_body_bytes ||
           (expect && strcasecmp(expect, "100-continue") == 0);
}

/* What the handler does with a request once its headers are in: a write
 * may be refused from them (refuse_at_once says when the answer goes). */
static enum MHD_Result at_headers(fh_server *srv, request *rq, struct MHD_Connection *c)
{
    take_settings(srv, rq, c);
    rq->write = write_kind(rq);
    if (rq->write == WRITE_NONE)
        return MHD_YES;
    reply r = write_verdict(srv, rq, c);
    if (r.status == 0) {
        rq->keep_body = rq->write != WRITE_DELETE_ONE;
        if (rq->keep_body) /* room for the body announced (at most the limit) */
            fh_buf_reserve(&rq->body, (size_t)declared_length(c));
        return MHD_YES;
    }
    rq->r = r;
    rq->refused = 1;
    return refuse_at_once(rq, c) ? answer(srv, rq) : MHD_YES;
}

/* ---- routing ---- */

/* Requests answered at once by the connection's thread: those that read no
 * database (the page and its files, a wrong path or method, a request
 * too large, or without the key it needs). */
static int answered_at_once(const request *rq)
{
    const char *url = rq->url;
    return rq->body_bytes > 0 || rq->url_len > FH_SERVER_MAX_URL || !may_read(rq) ||
           rq->nargs > FH_SERVER_MAX_PARAMS || rq->nul_in_args || web_file_at(url) ||
           (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) ||
           !(strcmp(url, "/healthz") == 0 || strcmp(url, "/metrics") == 0 ||
             strcmp(url, "/api/search") == 0 ||
             strcmp(url, "/api/suggest") == 0 ||
             strncmp(url, DOC_PREFIX, sizeof DOC_PREFIX - 1) == 0);
}

static reply route(fh_server *srv, const request *rq)
{
    const char *url = rq->url;
    if (rq->body_bytes > 0)
        return error_reply(413, "requests take no body");
    if (rq->url_len > FH_SERVER_MAX_URL)
        return error_reply(414, "the URL is too long");
    if (rq->nargs > FH_SERVER_MAX_PARAMS)
        return error_reply(400, "too many parameters (at most 64)");
    if (rq->nul_in_args)
        return error_reply(400, "a parameter holds a NUL byte (%00)");
    int known = web_file_at(url) || strcmp(url, "/healthz") == 0 ||
                strcmp(url, "/metrics") == 0 || strcmp(url, "/api/search") == 0 ||
                strcmp(url, "/api/suggest") == 0 ||
                strncmp(url, DOC_PREFIX, sizeof DOC_PREFIX - 1) == 0;
    if (!known)
        return error_reply(404, "no such path");
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        reply r = error_reply(405, "only GET is allowed");
        r.allow = "GET, HEAD";
        return r;
    }
    if (!may_read(rq))
        return key_refused(rq->key);
    const web_file *file = web_file_at(url);
    if (file)
        return web_reply(file);
    if (strcmp(url, "/healthz") == 0)
        return healthz(srv);
    if (strcmp(url, "/metrics") == 0)
        return metrics(srv);
    if (strcmp(url, "/api/search") == 0)
        return api_search(srv, rq);
    if (strcmp(url, "/api/suggest") == 0)
        return api_suggest(srv, rq);
    fh_buf id = FH_BUF_INIT;
    reply r;
    if (id_in_path(rq, DOC_PREFIX, &id, &r))
        r = api_doc(srv, id.data);
    fh_buf_free(&id);
    return r;
}

/* ---- the workers ---- */

/* The number of words of q as far as costs go: runs of letters and digits
 * (any byte of a multi-byte character counts as one), split by ASCII
 * punctuation and space and by the Arabic comma and semicolon. */
static unsigned words_in(const char *q)
{
    unsigned n = 0;
    int in_word = 0;
    for (const unsigned char *p = (const unsigned char *)q; *p; p++) {
        int arabic_mark = p[0] == 0xD8 && (p[1] == 0x8C || p[1] == 0x9B); /* ، ؛ */
        int sep = arabic_mark || (*p < 0x80 && !((*p >= '0' && *p <= '9') ||
                                                 ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')));
        if (arabic_mark)
            p++;
        n += !sep && !in_word;
        in_word = !sep;
    }
    return n;
}

/* Whether rq may cost far more than most searches: a prefix (expanded to
 * up to FH_PREFIX_BUDGET words), more than FH_SERVER_QUICK_WORDS words,
 * explanations (a weight per word and hit), facets (every match counted) or
 * hits past the first FH_SERVER_QUICK_HITS.  Read from the URL alone, so
 * that the connection's thread decides before any work is done. */
static int heavy(const request *rq)
{
    if (strcmp(rq->url, "/api/search") != 0)
        return 0;
    int explain = 0, facets = 0;
    unsigned page = 1, size = 10;
    const char *q = arg(rq, "q");
    /* bad values get their 400 from a worker: quick to answer */
    flag_arg(rq, "explain", &explain);
    flag_arg(rq, "facets", &facets);
    number_arg(rq, "page", 1, FH_SERVER_MAX_PAGE, &page);
    number_arg(rq, "size", 1, FH_SERVER_MAX_PAGE_SIZE, &size);
    return explain || facets || (unsigned long)page * size > FH_SERVER_QUICK_HITS ||
           (q && (strchr(q, '*') || words_in(q) > FH_SERVER_QUICK_WORDS));
}

static void push(queue *qu, request *rq)
{
    rq->next = NULL;
    *(qu->tail ? &qu->tail->next : &qu->head) = rq;
    qu->tail = rq;
}

static request *pop(queue *qu)
{
    request *rq = qu->head;
    if (rq && (qu->head = rq->next) == NULL)
        qu->tail = NULL;
    return rq;
}

/* The next request a free worker may answer (srv->lock held): a quick one
 * first, else a heavy one while fewer than heavy_cap workers answer those. */
static request *take(fh_server *srv)
{
    request *rq = pop(&srv->lanes[LANE_QUICK]);
    if (rq == NULL && srv->heavy_running < srv->heavy_cap &&
        (rq = pop(&srv->lanes[LANE_HEAVY])) != NULL)
        srv->heavy_running++;
    return rq;
}

static int nothing_queued(const fh_server *srv)
{
    return srv->lanes[LANE_QUICK].head == NULL && srv->lanes[LANE_HEAVY].head == NULL;
}

/* Requests that read the database wait in their lane, first come first
 * served, for the worker threads: a request waits behind those of its lane
 * that came before it, never behind a slow one that happens to share its
 * thread. */
static void *work(void *cls)
{
    fh_server *srv = cls;
    for (;;) {
        pthread_mutex_lock(&srv->lock);
        request *rq;
        while ((rq = take(srv)) == NULL && !(srv->stopping && nothing_queued(srv)))
            pthread_cond_wait(&srv->ready, &srv->lock);
        pthread_mutex_unlock(&srv->lock);
        if (rq == NULL)
            return NULL; /* stopping, and nothing left to answer */
        reply r = route(srv, rq);
        pthread_mutex_lock(&srv->lock);
        rq->r = r;
        rq->answered = 1;
        srv->unsent++;
        if (rq->lane == LANE_HEAVY) {
            srv->heavy_running--;
            pthread_cond_broadcast(&srv->ready); /* a heavy one waiting may go */
        }
        pthread_cond_signal(&rq->done);
        pthread_mutex_unlock(&srv->lock);
    }
}

/* Queue rq for a worker and wait for its reply; 0 when the server is
 * stopping. */
static int hand_to_workers(fh_server *srv, request *rq)
{
    rq->lane = heavy(rq) ? LANE_HEAVY : LANE_QUICK;
    pthread_mutex_lock(&srv->lock);
    int open = !srv->stopping;
    if (open) {
        push(&srv->lanes[rq->lane], rq);
        /* every worker: the one woken must be one that may take it */
        pthread_cond_broadcast(&srv->ready);
        while (!rq->answered)
            pthread_cond_wait(&rq->done, &srv->lock);
    }
    pthread_mutex_unlock(&srv->lock);
    return open;
}

/* ---- connections and their deadline ---- */

/* An open connection, from libmicrohttpd's notice of its start to that of
 * its end (the socket is closed after it: while the entry is listed under
 * watch_lock, fd is this connection's). */
typedef struct watched {
    int fd;
    double since;   /* opened, or its last reply finished */
    int waiting;    /* for a whole request */
    int cut;        /* shut down by the watchdog */
    struct watched *prev, *next;
} watched;

static void on_connection(void *cls, struct MHD_Connection *c, void **context,
                          enum MHD_ConnectionNotificationCode code)
{
    fh_server *srv = cls;
    watched *w = *context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (info == NULL || (w = calloc(1, sizeof *w)) == NULL)
            return; /* not watched: only the idle timeout applies */
        w->fd = info->connect_fd;
        w->since = fh_clock_ms();
        w->waiting = 1;
        pthread_mutex_lock(&srv->watch_lock);
        w->next = srv->watching;
        if (w->next)
            w->next->prev = w;
        srv->watching = w;
        pthread_mutex_unlock(&srv->watch_lock);
        *context = w;
    } else if (w) {
        pthread_mutex_lock(&srv->watch_lock);
        *(w->prev ? &w->prev->next : &srv->watching) = w->next;
        if (w->next)
            w->next->prev = w->prev;
        pthread_mutex_unlock(&srv->watch_lock);
        free(w);
        *context = NULL;
    }
}

/* The connection c waits for a request (since now), or has one whole. */
static void set_waiting(fh_server *srv, struct MHD_Connection *c, int waiting)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    watched *w = info ? info->socket_context : NULL;
    if (w == NULL)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    w->waiting = waiting;
    w->since = fh_clock_ms();
    pthread_mutex_unlock(&srv->watch_lock);
}

/* Shut down the connections waiting past the deadline; how many. */
static unsigned cut_late(fh_server *srv)
{
    double deadline = fh_clock_ms() - 1000.0 * srv->opts.header_timeout_s;
    unsigned n = 0;
    pthread_mutex_lock(&srv->watch_lock);
    for (watched *w = srv->watching; w; w = w->next)
        if (w->waiting && !w->cut && w->since < deadline) {
            /* its thread sees the end of the stream and closes it */
            shutdown(w->fd, SHUT_RDWR);
            w->cut = 1;
            n++;
        }
    pthread_mutex_unlock(&srv->watch_lock);
    return n;
}

static void *watch(void *cls)
{
    fh_server *srv = cls;
    /* a tenth of the timeout: a connection is cut at most 10% late */
    long long step_ns = 100000000LL * srv->opts.header_timeout_s;
    pthread_mutex_lock(&srv->watch_lock);
    while (!srv->watch_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)(step_ns % 1000000000LL);
        until.tv_sec += (time_t)(step_ns / 1000000000LL) + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&srv->watch_stop, &srv->watch_lock, &until);
        if (srv->watch_stopping)
            break;
        pthread_mutex_unlock(&srv->watch_lock);
        unsigned n = cut_late(srv);
        if (n)
            note(srv, "closed %u connection%s with no whole request after %u s", n,
                 n == 1 ? "" : "s", srv->opts.header_timeout_s);
        pthread_mutex_lock(&srv->watch_lock);
    }
    pthread_mutex_unlock(&srv->watch_lock);
    return NULL;
}

/* ---- the handler ---- */

/* The endpoint rq counts under (metrics.h). */
static fh_endpoint endpoint_of(const request *rq)
{
    static const struct {
        const char *path;
        fh_endpoint e;
    } fixed[] = {{"/", FH_EP_PAGE},           {"/app.js", FH_EP_PAGE},
                 {"/app.css", FH_EP_PAGE},    {"/api/search", FH_EP_SEARCH},
                 {"/api/suggest", FH_EP_SUGGEST}, {"/healthz", FH_EP_HEALTHZ},
                 {"/metrics", FH_EP_METRICS}, {DOCUMENTS, FH_EP_PUT}};
    const char *url = rq->url ? rq->url : "";
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(url, fixed[i].path) == 0)
            return fixed[i].e;
    if (strncmp(url, DOC_PREFIX, sizeof DOC_PREFIX - 1) == 0)
        return FH_EP_DOC;
    if (strncmp(url, DOCUMENTS_PREFIX, sizeof DOCUMENTS_PREFIX - 1) == 0)
        return FH_EP_DELETE;
    return FH_EP_OTHER;
}

/* The "error" of a JSON error body, for the log; NULL if none. */
static char *error_message(const char *body)
{
    json_t *o = body ? json_loads(body, 0, NULL) : NULL;
    const char *m = json_string_value(json_object_get(o, "error"));
    char *copy = m ? strdup(m) : NULL;
    json_decref(o);
    return copy;
}

/* The log line of rq answered with r (status, as sent), made before the
 * reply is handed over. */
static void log_line(const request *rq, const reply *r, unsigned status, const char *why,
                     fh_buf *line)
{
    char *message = status >= 400 && why == NULL ? error_message(r->body) : NULL;
    fh_log_entry e = {rq->client, rq->method ? rq->method : "-", rq->url ? rq->url : "-",
                      status, fh_clock_ms() - rq->started, r->body ? strlen(r->body) : 0,
                      r->cache, r->has_hits ? (long long)r->hits : -1, why, message,
                      rq->wrote ? rq->written : NULL};
    if ((rq->log_json ? fh_log_json(&e, line) : fh_log_text(&e, line)) != FH_OK)
        line->len = 0;
    free(message);
}

/* Send the reply, count it, and log it. */
static enum MHD_Result answer(fh_server *srv, request *rq)
{
    reply r = rq->r;
    rq->r.body = NULL; /* send_reply takes it */
    unsigned status = r.body ? r.status : 500;
    const char *why = r.body ? r.why : "out of memory";
    fh_buf line = FH_BUF_INIT;
    if (!rq->quiet)
        log_line(rq, &r, status, why, &line);
    fh_metrics_request(&srv->metrics, endpoint_of(rq), status,
                       (fh_clock_ms() - rq->started) / 1e3);
    enum MHD_Result ok = send_reply(rq->conn, r, rq->origin);
    if (line.len)
        fwrite(line.data, 1, line.len, stderr);
    fh_buf_free(&line);
    return ok;
}

/* A request begins: its path as sent, before libmicrohttpd decodes it. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    request *rq = request_new();
    (void)cls, (void)c;
    if (rq) {
        rq->started = fh_clock_ms();
        rq->raw_path = strndup(uri, strcspn(uri, "?"));
    }
    return rq;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
    fh_server *srv = cls;
    request *rq = *state;
    (void)version;
    if (rq == NULL) { /* on_uri was short of memory */
        if ((rq = request_new()) == NULL)
            return MHD_NO;
        rq->started = fh_clock_ms();
        *state = rq;
    }
    if (!rq->begun) { /* the headers: wait for the body, if any */
        rq->begun = 1;
        if (!take_request(rq, c, url, method))
            return MHD_NO;
        return at_headers(srv, rq, c);
    }
    if (*upload_size > 0) { /* kept for a write; otherwise counted, not kept */
        take_body(rq, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    set_waiting(srv, c, 0); /* the request is whole */
    if (rq->refused)
        ; /* its reply is made */
    else if (rq->write)
        rq->r = do_write(srv, rq);
    else if (answered_at_once(rq))
        rq->r = route(srv, rq);
    else if (!hand_to_workers(srv, rq)) /* which waits for the reply */
        rq->r = error_reply(503, "the server is stopping");
    return answer(srv, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    fh_server *srv = cls;
    request *rq = *state;
    (void)why;
    set_waiting(srv, c, 1); /* for the next request on this connection */
    if (rq && (rq->answered || rq->holds_write)) {
        pthread_mutex_lock(&srv->lock);
        if (rq->answered) {
            srv->unsent--;
            pthread_cond_broadcast(&srv->sent);
        }
        srv->writes_open -= rq->holds_write;
        srv->write_bytes -= rq->write_bytes;
        if (rq->holds_write)
            pthread_cond_broadcast(&srv->sent);
        pthread_mutex_unlock(&srv->lock);
    }
    if (rq)
        request_free(rq);
    *state = NULL;
}

/* ---- starting and stopping ---- */

static fh_status bind_address(const fh_server_opts *o, struct sockaddr_storage *addr,
                              unsigned *flags, fh_error *err)
{
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    if (inet_pton(AF_INET, o->address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(o->port);
        return FH_OK;
    }
    if (inet_pton(AF_INET6, o->address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(o->port);
        *flags |= MHD_USE_IPv6;
        return FH_OK;
    }
    return fh_error_set(err, FH_ERR_INVALID, "not an IP address: %s", o->address);
}

/* The workers finish what is queued, then end (their readers close). */
static void stop_workers(fh_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    srv->stopping = 1;
    pthread_cond_broadcast(&srv->ready);
    pthread_mutex_unlock(&srv->lock);
    for (unsigned i = 0; i < srv->nworkers; i++)
        pthread_join(srv->workers[i], NULL);
    srv->nworkers = 0;
}

/* Start the watchdog of the connections' deadlines (none: no deadline). */
static int start_watchdog(fh_server *srv)
{
    if (srv->opts.header_timeout_s == 0)
        return 1;
    srv->watchdog_running = pthread_create(&srv->watchdog, NULL, watch, srv) == 0;
    return srv->watchdog_running;
}

static void stop_watchdog(fh_server *srv)
{
    if (!srv->watchdog_running)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    srv->watch_stopping = 1;
    pthread_cond_signal(&srv->watch_stop);
    pthread_mutex_unlock(&srv->watch_lock);
    pthread_join(srv->watchdog, NULL);
    srv->watchdog_running = 0;
}

/* The settings of o a reload may change, into *live (origins copied). */
static fh_status live_from(const fh_server_opts *o, live_settings *live, fh_error *err)
{
    memset(live, 0, sizeof *live);
    live->admin_key = o->admin_key;
    live->search_key = o->search_key;
    live->metrics_key = o->metrics_key;
    live->time_limit_ms = o->time_limit_ms;
    live->max_body_bytes = o->max_body_bytes;
    live->cache_on = o->cache_bytes > 0;
    live->quiet = o->quiet;
    live->log_json = o->log_json;
    live->origins = calloc(o->ncors_origins ? o->ncors_origins : 1, sizeof *live->origins);
    for (size_t i = 0; live->origins && i < o->ncors_origins; i++, live->norigins++)
        if ((live->origins[i] = strdup(o->cors_origins[i])) == NULL)
            break;
    if (live->origins && live->norigins == o->ncors_origins)
        return FH_OK;
    return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
}

static void free_live(live_settings *live)
{
    for (size_t i = 0; i < live->norigins; i++)
        free(live->origins[i]);
    free(live->origins);
    explicit_bzero(live, sizeof *live);
}

static void free_server(fh_server *srv)
{
    stop_watchdog(srv);
    free_live(&srv->live);
    pthread_rwlock_destroy(&srv->live_lock);
    pthread_mutex_destroy(&srv->watch_lock);
    pthread_cond_destroy(&srv->watch_stop);
    pthread_key_delete(srv->reader);
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->ready);
    pthread_cond_destroy(&srv->sent);
    fh_cache_free(srv->cache);
    fh_writes_close(srv->writes);
    free(srv->workers);
    free(srv);
}

/* Everything but the daemon: cache, reader key, queue and workers. */
static fh_status new_server(const fh_server_opts *o, fh_server **out, fh_error *err)
{
    fh_server *srv = calloc(1, sizeof *srv);
    if (srv == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    srv->opts = *o;
    /* the keys are kept in live alone, which a reload changes */
    explicit_bzero(&srv->opts.admin_key, sizeof srv->opts.admin_key);
    explicit_bzero(&srv->opts.search_key, sizeof srv->opts.search_key);
    explicit_bzero(&srv->opts.metrics_key, sizeof srv->opts.metrics_key);
    srv->opts.cors_origins = NULL;
    srv->opts.ncors_origins = 0;
    fh_metrics_init(&srv->metrics);
    unsigned n = o->threads ? o->threads : 1;
    srv->heavy_cap = n > 1 ? n - 1 : 1;
    /* the cache is made even when it is to keep nothing: a reload may give
     * it room */
    int ok = (srv->workers = calloc(n, sizeof *srv->workers)) != NULL &&
             live_from(o, &srv->live, err) == FH_OK &&
             pthread_rwlock_init(&srv->live_lock, NULL) == 0 &&
             fh_cache_new(o->cache_bytes, &srv->cache, err) == FH_OK &&
             pthread_key_create(&srv->reader, close_reader) == 0 &&
             pthread_mutex_init(&srv->lock, NULL) == 0 && pthread_cond_init(&srv->ready, NULL) == 0 &&
             pthread_cond_init(&srv->sent, NULL) == 0 &&
             pthread_mutex_init(&srv->watch_lock, NULL) == 0 &&
             pthread_cond_init(&srv->watch_stop, NULL) == 0 && start_watchdog(srv);
    while (ok && srv->nworkers < n &&
           pthread_create(&srv->workers[srv->nworkers], NULL, work, srv) == 0)
        srv->nworkers++;
    if (!ok || srv->nworkers < n) {
        stop_workers(srv);
        free_server(srv);
        return fh_error_set(err, FH_ERR_NOMEM, "cannot start the worker threads");
    }
    *out = srv;
    return FH_OK;
}

/* The memory of a connection holds its request (line and headers) and
 * every argument of the URL as libmicrohttpd parses them, some 64 bytes
 * each: enough for a URL of FH_SERVER_MAX_URL bytes made of "&&&...", so
 * that any URL up to that length is answered, not dropped (libmicrohttpd
 * touches only the pages it uses). */
#define CONNECTION_MEMORY (80 * FH_SERVER_MAX_URL)

/* The database's writer, taken at once: an indexer started later is
 * refused.  One running now is waited for by the writes (503 meanwhile). */
static fh_status start_writes(fh_server *srv, fh_error *err)
{
    const fh_server_opts *o = &srv->opts;
    fh_status st =
        fh_writes_new(o->db_path, o->commit_interval_ms, o->write_nice, &srv->writes, err);
    if (st != FH_OK)
        return st;
    fh_error why;
    st = fh_writes_take(srv->writes, &why);
    if (st == FH_ERR_LOCKED)
        note(srv, "%s: writes get 503 until it is done", why.message);
    if (st == FH_ERR_LOCKED)
        return FH_OK;
    if (st != FH_OK)
        fh_error_set(err, st, "%s", why.message);
    return st;
}

fh_status fh_server_start(const fh_server_opts *o, fh_server **out, fh_error *err)
{
    struct sockaddr_storage addr;
    /* a thread per connection, which waits for a worker to search */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    fh_server *srv = NULL;
    fh_status st = bind_address(o, &addr, &flags, err);
    if (st == FH_OK)
        st = new_server(o, &srv, err);
    if (st != FH_OK)
        return st;
    if (o->admin_key.set && (st = start_writes(srv, err)) != FH_OK) {
        stop_workers(srv);
        free_server(srv);
        return st;
    }
    srv->daemon = MHD_start_daemon(
        flags, o->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->idle_timeout_s,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->max_per_client,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        srv, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        stop_workers(srv);
        free_server(srv);
        return fh_error_set(err, FH_ERR_IO, "cannot listen on %s port %u (in use?)", o->address,
                            (unsigned)o->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : o->port;
    *out = srv;
    return FH_OK;
}

uint16_t fh_server_port(const fh_server *s)
{
    return s->port;
}

fh_status fh_server_reload(fh_server *s, const fh_server_opts *o, fh_error *err)
{
    live_settings next;
    if (live_from(o, &next, err) != FH_OK) {
        free_live(&next);
        fh_metrics_reload(&s->metrics, 0);
        return FH_ERR_NOMEM;
    }
    if (s->writes == NULL) /* writes stay disabled until a restart */
        explicit_bzero(&next.admin_key, sizeof next.admin_key);
    pthread_rwlock_wrlock(&s->live_lock);
    if (s->writes && !next.admin_key.set) /* writes stay enabled, with their key */
        next.admin_key = s->live.admin_key;
    live_settings old = s->live;
    s->live = next;
    pthread_rwlock_unlock(&s->live_lock);
    fh_cache_set_limit(s->cache, o->cache_bytes);
    free_live(&old);
    explicit_bzero(&next, sizeof next);
    fh_metrics_reload(&s->metrics, 1);
    return FH_OK;
}

void fh_server_reload_failed(fh_server *s)
{
    fh_metrics_reload(&s->metrics, 0);
}

/* Wait until the replies the workers made have gone (a second at most),
 * and the writes received have been answered (WRITES_DONE_S at most: a
 * write waiting for its commit gets it, fh_writes_hurry). */
#define WRITES_DONE_S 30
static void wait_until_sent(fh_server *srv)
{
    struct timespec replies, writes;
    clock_gettime(CLOCK_REALTIME, &replies);
    writes = replies;
    replies.tv_sec += 1;
    writes.tv_sec += WRITES_DONE_S;
    pthread_mutex_lock(&srv->lock);
    while (srv->unsent > 0 && pthread_cond_timedwait(&srv->sent, &srv->lock, &replies) == 0)
        ;
    while (srv->writes_open > 0 && pthread_cond_timedwait(&srv->sent, &srv->lock, &writes) == 0)
        ;
    pthread_mutex_unlock(&srv->lock);
}

void fh_server_stop(fh_server *s)
{
    if (s == NULL)
        return;
    /* The workers answer all that is queued (new requests get 503), and
     * the writes waiting for a commit get it now, before the daemon stops
     * (it joins the connections' threads). */
    fh_writes_hurry(s->writes);
    stop_workers(s);
    wait_until_sent(s);
    MHD_stop_daemon(s->daemon);
    free_server(s);
}
