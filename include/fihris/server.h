/*
 * server.h - Fihris over HTTP: the JSON API and the search page that
 * `searchd` serves, on libmicrohttpd.
 *
 *   GET /                       the search page (the only file served)
 *   GET /api/search?q=&page=&size=&sort=relevance|date&facets=1&explain=1
 *                               what `search --format json` prints (one code
 *                               path), plus page and size
 *   GET /api/suggest?q=         index words completing the last word typed
 *   GET /api/doc/{id}           one document's stored fields: id, title, body,
 *                               url, date, source, lang, and extra, an object
 *                               of its other JSONL fields as given ({} if none)
 *   GET /healthz                status, document count, answer cache use
 *   GET /metrics                counters for Prometheus (metrics.h)
 *   POST /api/documents         add or replace documents: a JSON array of
 *                               them (Content-Type: application/json) or
 *                               JSONL (application/x-ndjson), the fields and
 *                               checks of the indexer's .jsonl files
 *   DELETE /api/documents/{id}  delete one document (404 when absent)
 *   POST /api/documents/delete  delete documents: a JSON array of ids, or
 *                               {"ids": [...]}
 *
 * A write answers once it is committed, 200 with what it did (writes.h:
 * counts, and each document that failed, with its line or index, and why):
 * a document that cannot be used fails alone, the rest of the call is
 * written, and a search sees all of a call or none of it.  Writes go through
 * one writer, in a thread of its own niced write_nice more, and commits
 * are at least commit_interval_ms apart: the calls that come meanwhile
 * wait, and are committed together (a call after a quiet moment at once).
 * The writer is opened at the start and held (with the database's write
 * lock, so an indexer is refused) until the server stops; while another
 * process holds the lock, writes get 503.
 *
 * Keys (keys.h): writes need the admin key, as "Authorization: Bearer KEY";
 * without an admin key writes are refused (403).  With a search key,
 * /api/search, /api/suggest and /api/doc need it or the admin key; the page,
 * its files and /healthz stay open.  /metrics takes any of the three keys
 * (admin, search, metrics), and needs one when there is a search key or a
 * metrics key; the metrics key opens nothing else.  A request without a key
 * gets 401 (and WWW-Authenticate: Bearer), one with a wrong key 403; the log
 * says which, and never holds a key.
 *
 * Errors are JSON {"error": message} with the status that says what went
 * wrong: 400 bad parameters (more than FH_SERVER_MAX_PARAMS, or one holding
 * a NUL byte) or a write's body that is not JSON, 401 and 403 (keys), 404
 * unknown document or path, 405 another method, 413 a body where none is
 * taken, or a write's body over max_body_bytes (answered from its
 * Content-Length before it is read) or with more than
 * FH_SERVER_MAX_WRITE_DOCS documents, 414 a long URL, 415 a write's body of
 * another type, 503 no database, or more writes at once than
 * FH_SERVER_MAX_WRITES and FH_SERVER_WRITE_BODIES allow (with
 * Retry-After), 507 a write not committed for lack of disk space; never a
 * path, a stack or a library message.
 * /healthz answers 503 {"status": "unavailable", "error": why} when the
 * database cannot be read or a shard of a cluster cannot be reached.  The
 * log line of a request (reqlog.h: text or JSON; time, client, method,
 * path without the query, status, time taken) gives the internal reason of
 * every 5xx, what a write did, and why a key was refused.
 *
 * A reload (fh_server_reload) changes the keys, time_limit_ms, cache_bytes,
 * cors_origins, max_body_bytes, quiet and log_json at once for the requests
 * that arrive after it; a request under way keeps the settings it began
 * with.  The rest of fh_server_opts is kept as started; so is whether
 * writes are enabled (with an admin key, or not).
 *
 * Hostile clients are bounded: a request must arrive whole (headers, and a
 * body if any) within header_timeout_s of its connection opening or of the
 * previous reply on it, else its connection is closed; one client address
 * holds at most max_per_client connections.  A write refused from its
 * headers (key, type, size) never has its body kept: it is answered at
 * once, its connection then closed, when its Content-Length is over the
 * limit or its client waits for "100 Continue"; otherwise its body is read
 * and dropped.
 *
 * Answers to searches and completions are kept in a cache shared by the
 * threads (cache.h), each with the database state it came from, so that a
 * commit makes every older answer miss; the X-Fihris-Cache header of a reply
 * says "hit" or "miss".
 *
 * Requests that read the database wait in one queue, first come first
 * served, for a pool of worker threads, each with its own reader of the
 * database (Xapian objects are not shared between threads), which catches
 * up with the commits (the indexer's, or its own writes') before each
 * request: the server keeps answering while the database is written, and
 * picks the changes up without a restart.  On stopping, the requests queued
 * are answered first; requests arriving meanwhile get 503.
 */
#ifndef FIHRIS_SERVER_H
#define FIHRIS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/db.h"
#include "fihris/error.h"
#include "fihris/keys.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *db_path;
    const char *address;        /* an IPv4 or IPv6 address to listen on */
    uint16_t port;              /* 0: any free port (see fh_server_port) */
    unsigned threads;           /* worker threads (default: one per processor, >= 2) */
    unsigned max_connections;
    unsigned idle_timeout_s;    /* a connection idle this long is closed */
    unsigned header_timeout_s;  /* a request not received whole this long
                                 * after its connection opened (or the last
                                 * reply on it) closes the connection */
    unsigned max_per_client;    /* connections of one client address; 0: any */
    unsigned time_limit_ms;     /* a search's counting stops after this (see
                                 * fh_search_request.time_limit_ms) */
    size_t cache_bytes;         /* answers of /api/search and /api/suggest kept
                                 * for reuse (cache.h); 0: none */
    const char *const *cors_origins; /* origins allowed to call the API, or none */
    size_t ncors_origins;
    int quiet;                  /* no request log on stderr */
    int log_json;               /* the log's lines are JSON (reqlog.h) */
    fh_key admin_key;           /* writes need it; unset: writes refused */
    fh_key search_key;          /* reads need it (or admin_key); unset: open */
    fh_key metrics_key;         /* /metrics takes it (or another key) */
    size_t max_body_bytes;      /* a write's body (default 4 MB) */
    unsigned commit_interval_ms; /* commits at least this far apart, the
                                 * writes of the moment together (default
                                 * 500; writes.h) */
    int write_nice;             /* writes run this much nicer than searches
                                 * (default 10) */
    fh_remote_opts remote;      /* over a cluster description: timeouts, and
                                 * whether to answer without a shard (db.h) */
} fh_server_opts;

void fh_server_opts_init(fh_server_opts *o);

/* Limits on a request. */
#define FH_SERVER_MAX_URL 4096u
#define FH_SERVER_MAX_PARAMS 64u
#define FH_SERVER_MAX_PAGE_SIZE 100u
#define FH_SERVER_MAX_PAGE 1000u
#define FH_SERVER_MAX_SUGGESTIONS 10u
/* A search with more words than this, or asking for hits past the first
 * FH_SERVER_QUICK_HITS, or with a prefix, explanations or facets, waits in
 * the lane of heavy requests, which all workers but one serve at most. */
#define FH_SERVER_QUICK_WORDS 8u
#define FH_SERVER_QUICK_HITS 100u
/* Documents (or ids to delete) of one write. */
#define FH_SERVER_MAX_WRITE_DOCS 1000u
/* Writes received or under way at once, each holding its body (or waiting
 * for the commit that holds it); their bodies, as declared (the most
 * allowed when not), hold at most FH_SERVER_WRITE_BODIES times
 * max_body_bytes. */
#define FH_SERVER_MAX_WRITES 16u
#define FH_SERVER_WRITE_BODIES 4u

typedef struct fh_server fh_server;

/* Listen and serve until fh_server_stop.  FH_ERR_INVALID for a bad address,
 * FH_ERR_IO when the port cannot be bound.  A missing database is no error:
 * requests get 503 until it appears (with an admin key it is created).  With
 * an admin key, FH_ERR_UNSUPPORTED when the database is not one that can be
 * written over HTTP (writes.h); another process writing it is no error:
 * writes get 503 until it is done. */
fh_status fh_server_start(const fh_server_opts *o, fh_server **out, fh_error *err);
uint16_t fh_server_port(const fh_server *s);
/* Take o's settings that a reload may change (see above; the strings of o
 * are copied).  With writes enabled and no admin key in o, the admin key
 * is kept; with writes disabled, o's admin key is not taken.  FH_ERR_NOMEM
 * leaves every setting as it was.  Counted in the metrics, as is a reload
 * that failed before it (fh_server_reload_failed). */
fh_status fh_server_reload(fh_server *s, const fh_server_opts *o, fh_error *err);
void fh_server_reload_failed(fh_server *s);
/* Stop listening, finish the requests under way, free everything. */
void fh_server_stop(fh_server *s);

#ifdef __cplusplus
}
#endif

#endif
