/*
 * searchd.c - the `searchd` command: serve a Fihris database over HTTP (the
 * JSON API and the search page of server.h) until SIGTERM or SIGINT, and
 * take documents over HTTP when it has an admin key (keys.h).
 *
 * Its settings come from a configuration file (--config FILE, config.h),
 * whose keys are the long options, and from the command line, which
 * overrides the file.  SIGHUP reads both again, and the key files: what a
 * reload may change is taken at once (fh_server_reload), what needs a
 * restart is said in the log, and a reload that fails keeps every setting.
 * The signals are blocked in every thread and taken by sigwait() in the
 * main thread, which reloads or stops there: no code runs in a signal
 * handler.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "fihris/config.h"
#include "fihris/paths.h"
#include "fihris/reqlog.h"
#include "fihris/server.h"

enum { MAX_ORIGINS = 16 };

/* What an option takes. */
typedef enum { FLAG, NUMBER, MEGABYTES, PATH, ORIGIN, LISTEN, LOG_FORMAT, KEY } kind;

typedef struct {
    const char *name; /* the long option less its dashes: the key in the file */
    kind kind;
    unsigned lo, hi;  /* NUMBER, MEGABYTES */
    int restart;      /* a reload cannot change it */
} option;

static const option OPTIONS[] = {
    {"db", PATH, 0, 0, 1},
    {"listen", LISTEN, 0, 0, 1},
    {"threads", NUMBER, 1, 256, 1},
    {"max-connections", NUMBER, 1, 100000, 1},
    {"max-per-client", NUMBER, 0, 100000, 1},
    {"header-timeout", NUMBER, 1, 3600, 1},
    {"cache-mb", MEGABYTES, 0, 65536, 0},
    {"time-limit", NUMBER, 1, 600000, 0},
    {"cors-origin", ORIGIN, 0, 0, 0},
    {"allow-partial", FLAG, 0, 0, 1},
    {"shard-timeout", NUMBER, 1, 600000, 1},
    {"quiet", FLAG, 0, 0, 0},
    {"log-format", LOG_FORMAT, 0, 0, 0},
    {"admin-key-file", PATH, 0, 0, 0},
    {"search-key-file", PATH, 0, 0, 0},
    {"metrics-key-file", PATH, 0, 0, 0},
    {"max-body-mb", MEGABYTES, 1, 64, 0},
    {"commit-interval", NUMBER, 0, 60000, 1},
    {"write-nice", NUMBER, 0, 19, 1},
    /* refused, saying where a key goes instead */
    {"admin-key", KEY, 0, 0, 0},
    {"search-key", KEY, 0, 0, 0},
    {"metrics-key", KEY, 0, 0, 0},
};
enum { NOPTIONS = sizeof OPTIONS / sizeof OPTIONS[0] };

/* Every setting; the strings are owned. */
typedef struct {
    fh_server_opts server;
    char *db, *address, *admin_key_file, *search_key_file, *metrics_key_file;
    char *origins[MAX_ORIGINS];
    unsigned shard_timeout_ms; /* 0: the default */
    const char *dir;   /* relative paths are from here (a configuration file's
                        * directory), or NULL (the working directory) */
    int from_command_line, origins_from_command_line;
    fh_buf db_path;    /* the database, resolved (fh_db_path) */
} options;

static void options_init(options *o)
{
    memset(o, 0, sizeof *o);
    fh_server_opts_init(&o->server);
}

static void options_free(options *o)
{
    free(o->db);
    free(o->address);
    free(o->admin_key_file);
    free(o->search_key_file);
    free(o->metrics_key_file);
    for (size_t i = 0; i < o->server.ncors_origins; i++)
        free(o->origins[i]);
    fh_buf_free(&o->db_path);
    explicit_bzero(o, sizeof *o); /* the keys */
}

static void usage(FILE *out)
{
    fputs("usage: searchd [-d DB] [--listen ADDRESS:PORT] [--config FILE] [options]\n"
          "\n"
          "Serve a Fihris database over HTTP: a search page at / and a JSON API\n"
          "(/api/search, /api/suggest, /api/doc/ID, /healthz, /metrics); with an admin\n"
          "key, take documents too (POST /api/documents, DELETE /api/documents/ID, POST\n"
          "/api/documents/delete). Stops on Ctrl-C or SIGTERM; SIGHUP reloads the\n"
          "configuration file and the keys.\n"
          "\n"
          "      --config FILE    read the settings from FILE: a line `key = value` each,\n"
          "                       the keys being the long options below (cors-origin may\n"
          "                       repeat; quiet and allow-partial take true or false); the\n"
          "                       command line overrides it\n"
          "  -d, --db DB          database (default: $FIHRIS_DB, else ~/.local/share/fihris/db)\n"
          "      --listen A:P     address and port (default 127.0.0.1:8080; port 0: any free\n"
          "                       one; [::1]:8080 for IPv6); only loopback unless given\n"
          "      --threads N      worker threads, each with its own reader (default: one\n"
          "                       per processor, at least 2)\n"
          "      --max-connections N   (default 256)\n"
          "      --max-per-client N    connections of one client address (default 64;\n"
          "                       0: any number, e.g. behind a proxy on this machine)\n"
          "      --header-timeout S    a request not received whole S seconds after its\n"
          "                       connection opened, or after the last reply on it,\n"
          "                       closes the connection (default 5)\n"
          "      --cache-mb N     memory for answers kept for reuse, dropped when the\n"
          "                       database changes (default 64; 0: no cache)\n"
          "      --time-limit MS  a search ends this long after it began, with the best\n"
          "                       hits of what it examined, flagged (default 500)\n"
          "      --cors-origin O  let the web origin O (https://example.org) call the API;\n"
          "                       may be given several times (at most 16)\n"
          "      --allow-partial  over a cluster of shards (-d STUB): answer from the\n"
          "                       shards that can be reached, naming the others in\n"
          "                       \"missing_shards\", instead of failing with 503\n"
          "      --shard-timeout MS  a shard server silent this long is unavailable\n"
          "                       (default 10000; connecting: at most 2000)\n"
          "      --quiet          no request log on standard error\n"
          "      --log-format F   text (default) or json: one JSON object a line\n"
          "\n"
          "Keys, sent as \"Authorization: Bearer KEY\", are read from a file, the\n"
          "environment or systemd's credentials, never from the command line or the\n"
          "configuration file. A key file holds one key of 16 to 4096 printable ASCII\n"
          "characters (openssl rand -hex 32); its group and others may neither read nor\n"
          "write it (chmod 600).\n"
          "      --admin-key-file FILE  the key that writes need (else $FIHRIS_ADMIN_KEY,\n"
          "                       else the credential admin-key); without one, writes are\n"
          "                       refused. With one, searchd holds the database's write\n"
          "                       lock until it stops (creating the database when\n"
          "                       absent): the indexer is refused meanwhile\n"
          "      --search-key-file FILE  the key that /api/search, /api/suggest and\n"
          "                       /api/doc need, or the admin key (else\n"
          "                       $FIHRIS_SEARCH_KEY, else the credential search-key);\n"
          "                       without one they are open. The page and /healthz are\n"
          "                       always open\n"
          "      --metrics-key-file FILE  a key that opens /metrics and nothing else (else\n"
          "                       $FIHRIS_METRICS_KEY, else the credential metrics-key).\n"
          "                       /metrics takes any key of searchd's, and needs one when\n"
          "                       there is a search key or a metrics key\n"
          "      --max-body-mb N  a write's body (default 4, at most 64); a write takes at\n"
          "                       most 1000 documents or ids; at most 16 writes, holding\n"
          "                       at most 4 bodies of the most allowed, are taken at once\n"
          "      --commit-interval MS  writes answer once committed, and commits are at\n"
          "                       least MS apart: the writes that come meanwhile are\n"
          "                       committed together (default 500; 0: each at once)\n"
          "      --write-nice N   writes are applied and committed by a thread of their\n"
          "                       own, its nice value searchd's raised by N: below the\n"
          "                       searches (default 10; 0 to 19)\n"
          "  -h, --help           this help\n",
          out);
}

static const option *option_named(const char *name)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strcmp(OPTIONS[i].name, name) == 0)
            return &OPTIONS[i];
    return NULL;
}

static int parse_unsigned(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || *s == '+' || *s == ' ' || v < lo || v > hi)
        return 0;
    *out = (unsigned)v;
    return 1;
}

/* *slot = a copy of v, or of dir/v for a relative path from a file. */
static fh_status set_string(char **slot, const char *v, const char *dir, fh_error *err)
{
    fh_buf b = FH_BUF_INIT;
    fh_status st = FH_OK;
    if (dir && v[0] != '/')
        st = fh_buf_printf(&b, "%s/%s", dir, v);
    else
        st = fh_buf_append_str(&b, v);
    if (st != FH_OK) {
        fh_buf_free(&b);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    free(*slot);
    *slot = fh_buf_steal(&b);
    return FH_OK;
}

/* ADDRESS:PORT, [IPV6]:PORT or :PORT (loopback). */
static fh_status set_listen(options *o, const char *v, fh_error *err)
{
    const char *colon = strrchr(v, ':');
    unsigned port;
    if (colon == NULL || !parse_unsigned(colon + 1, 0, 65535, &port))
        return fh_error_set(err, FH_ERR_INVALID,
                            "give ADDRESS:PORT, [IPV6-ADDRESS]:PORT or :PORT (port 0 to 65535)");
    const char *a = v, *b = colon;
    if (*a == '[' && b > a && b[-1] == ']')
        a++, b--;
    char *address = b > a ? strndup(a, (size_t)(b - a)) : strdup("127.0.0.1");
    if (address == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    free(o->address);
    o->address = address;
    o->server.address = address;
    o->server.port = (uint16_t)port;
    return FH_OK;
}

static fh_status set_origin(options *o, const char *v, fh_error *err)
{
    if (o->from_command_line && !o->origins_from_command_line) {
        /* the command line's origins replace the file's */
        for (size_t i = 0; i < o->server.ncors_origins; i++)
            free(o->origins[i]);
        o->server.ncors_origins = 0;
        o->origins_from_command_line = 1;
    }
    if (o->server.ncors_origins == MAX_ORIGINS)
        return fh_error_set(err, FH_ERR_INVALID, "at most %d origins", MAX_ORIGINS);
    char *copy = strdup(v);
    if (copy == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    o->origins[o->server.ncors_origins++] = copy;
    return FH_OK;
}

/* A number of option opt, into the setting it is. */
static fh_status set_number(options *o, const option *opt, const char *v, fh_error *err)
{
    unsigned n;
    if (!parse_unsigned(v, opt->lo, opt->hi, &n))
        return fh_error_set(err, FH_ERR_INVALID, "give a whole number%s from %u to %u",
                            opt->kind == MEGABYTES ? " of megabytes" : "", opt->lo, opt->hi);
    const char *name = opt->name;
    fh_server_opts *s = &o->server;
    if (strcmp(name, "threads") == 0)
        s->threads = n;
    else if (strcmp(name, "max-connections") == 0)
        s->max_connections = n;
    else if (strcmp(name, "max-per-client") == 0)
        s->max_per_client = n;
    else if (strcmp(name, "header-timeout") == 0)
        s->header_timeout_s = n;
    else if (strcmp(name, "cache-mb") == 0)
        s->cache_bytes = (size_t)n << 20;
    else if (strcmp(name, "time-limit") == 0)
        s->time_limit_ms = n;
    else if (strcmp(name, "shard-timeout") == 0) {
        o->shard_timeout_ms = n;
        fh_remote_opts_timeout(&s->remote, n);
    } else if (strcmp(name, "max-body-mb") == 0)
        s->max_body_bytes = (size_t)n << 20;
    else if (strcmp(name, "commit-interval") == 0)
        s->commit_interval_ms = n;
    else if (strcmp(name, "write-nice") == 0)
        s->write_nice = (int)n;
    return FH_OK;
}

/* A flag's value in a file: true or false (yes, no). */
static fh_status set_flag(options *o, const option *opt, const char *v, fh_error *err)
{
    int on;
    if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
        on = 1;
    else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
        on = 0;
    else
        return fh_error_set(err, FH_ERR_INVALID, "give true or false");
    if (strcmp(opt->name, "quiet") == 0)
        o->server.quiet = on;
    else
        o->server.remote.allow_partial = on;
    return FH_OK;
}

static fh_status set_path(options *o, const option *opt, const char *v, fh_error *err)
{
    char **slot = strcmp(opt->name, "db") == 0               ? &o->db
                  : strcmp(opt->name, "admin-key-file") == 0  ? &o->admin_key_file
                  : strcmp(opt->name, "search-key-file") == 0 ? &o->search_key_file
                                                              : &o->metrics_key_file;
    return set_string(slot, v, o->dir, err);
}

/* Set the option named name (its long name less the dashes) to v. */
static fh_status set_option(void *ctx, const char *name, const char *v, fh_error *err)
{
    options *o = ctx;
    const option *opt = option_named(name);
    switch (opt ? opt->kind : KEY) {
    case FLAG:
        return set_flag(o, opt, v, err);
    case NUMBER:
    case MEGABYTES:
        return set_number(o, opt, v, err);
    case PATH:
        return set_path(o, opt, v, err);
    case ORIGIN:
        return set_origin(o, v, err);
    case LISTEN:
        return set_listen(o, v, err);
    case LOG_FORMAT:
        if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0)
            return fh_error_set(err, FH_ERR_INVALID, "give text or json");
        o->server.log_json = strcmp(v, "json") == 0;
        return FH_OK;
    case KEY:
        break;
    }
    return fh_error_set(err, FH_ERR_INVALID,
                        "a key is never written in the configuration file: put it in a file "
                        "of its own that only searchd's user may read (chmod 600) and give "
                        "%s-file = FILE", name);
}

/* The settings of the configuration file. */
static fh_status read_config(const char *file, options *o, fh_error *err)
{
    fh_config_key keys[NOPTIONS];
    for (size_t i = 0; i < NOPTIONS; i++)
        keys[i] = (fh_config_key){OPTIONS[i].name, OPTIONS[i].kind == ORIGIN};
    fh_buf dir = FH_BUF_INIT;
    const char *slash = strrchr(file, '/');
    fh_status st = slash ? fh_buf_append(&dir, file, slash > file ? (size_t)(slash - file) : 1)
                         : fh_buf_append_str(&dir, ".");
    if (st != FH_OK)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    o->dir = dir.data;
    if (st == FH_OK)
        st = fh_config_read(file, keys, NOPTIONS, set_option, o, err);
    o->dir = NULL;
    fh_buf_free(&dir);
    return st;
}

/* A key on the command line is refused: every user of the machine can
 * read it there (ps, /proc). */
static int key_on_command_line(const char *a)
{
    static const char *const keys[] = {"--admin-key", "--search-key", "--metrics-key"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t n = strlen(keys[i]);
        if (strncmp(a, keys[i], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
            fprintf(stderr, "searchd: keys are not taken on the command line, where other "
                            "users of the machine can read them: put the key in a file only "
                            "you can read and give %s-file FILE, or set FIHRIS_%s_KEY\n",
                    keys[i], i == 0 ? "ADMIN" : i == 1 ? "SEARCH" : "METRICS");
            return 1;
        }
    }
    return 0;
}

/* The command line's --config FILE, or NULL; 1 for --help; -1 (said why)
 * for a usage error. */
static int find_config(int argc, char **argv, const char **config)
{
    *config = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return 1;
        if (key_on_command_line(a))
            return -1;
        if (strcmp(a, "--config") != 0)
            continue;
        if (i + 1 == argc || *config) {
            fprintf(stderr, "searchd: --config: %s\n",
                    *config ? "given twice" : "give the configuration file");
            return -1;
        }
        *config = argv[++i];
    }
    return 0;
}

/* The settings of the command line, over those of o. */
static fh_status read_command_line(int argc, char **argv, options *o, fh_error *err)
{
    o->from_command_line = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--config") == 0) {
            i++;
            continue;
        }
        const char *name = strcmp(a, "-d") == 0 ? "db" : strncmp(a, "--", 2) == 0 ? a + 2 : "";
        const option *opt = option_named(name);
        if (opt == NULL || opt->kind == KEY)
            return fh_error_set(err, FH_ERR_INVALID, "%s: unknown option (see searchd --help)",
                                a);
        const char *v = opt->kind == FLAG ? "true" : i + 1 < argc ? argv[++i] : NULL;
        if (v == NULL)
            return fh_error_set(err, FH_ERR_INVALID, "%s: give its value (see searchd --help)",
                                a);
        fh_error why;
        if (set_option(o, name, v, &why) != FH_OK)
            return fh_error_set(err, why.status, "%s: %s", a, why.message);
    }
    return FH_OK;
}

/* The key file for a key: file when given; else, when the environment
 * variable env is not set and systemd passed the credential (LoadCredential=),
 * $CREDENTIALS_DIRECTORY/credential; else NULL (env, or no key).  path
 * holds what is returned. */
static const char *key_file(const char *file, const char *env, const char *credential,
                            fh_buf *path)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    if (file || getenv(env) || dir == NULL || *dir == '\0')
        return file;
    fh_buf_reset(path);
    if (fh_buf_printf(path, "%s/%s", dir, credential) != FH_OK || access(path->data, F_OK) != 0)
        return NULL;
    return path->data;
}

/* The keys, from their files, the environment or the credentials. */
static fh_status load_keys(options *o, fh_error *err)
{
    fh_buf path = FH_BUF_INIT;
    fh_server_opts *s = &o->server;
    fh_status st = fh_key_load(key_file(o->admin_key_file, "FIHRIS_ADMIN_KEY", "admin-key", &path),
                               "FIHRIS_ADMIN_KEY", &s->admin_key, err);
    if (st == FH_OK)
        st = fh_key_load(key_file(o->search_key_file, "FIHRIS_SEARCH_KEY", "search-key", &path),
                         "FIHRIS_SEARCH_KEY", &s->search_key, err);
    if (st == FH_OK)
        st = fh_key_load(
            key_file(o->metrics_key_file, "FIHRIS_METRICS_KEY", "metrics-key", &path),
            "FIHRIS_METRICS_KEY", &s->metrics_key, err);
    fh_buf_free(&path);
    return st;
}

/* o's pointers into itself, set again once o has moved. */
static void options_settle(options *o)
{
    o->server.db_path = o->db_path.data;
    o->server.cors_origins = (const char *const *)o->origins;
}

/* Every setting, from the file then the command line, the keys loaded and
 * the database's path resolved. */
static fh_status read_settings(int argc, char **argv, const char *config, options *o,
                               fh_error *err)
{
    fh_status st = config ? read_config(config, o, err) : FH_OK;
    if (st == FH_OK)
        st = read_command_line(argc, argv, o, err);
    if (st == FH_OK)
        st = load_keys(o, err);
    if (st == FH_OK)
        st = fh_db_path(o->db, &o->db_path, err);
    options_settle(o);
    return st;
}

/* ---- serving and reloading ---- */

typedef struct {
    int argc;
    char **argv;
    const char *config;  /* --config FILE, or NULL */
    options started;     /* what the server was started with (it uses its
                          * strings: the database's path, the address) */
    options latest;      /* the settings of the last reload */
    int reloaded;        /* latest holds them */
    fh_server *srv;
} running;

static const options *current(const running *r)
{
    return r->reloaded ? &r->latest : &r->started;
}

/* A line of searchd's own in the log, as the current settings write it. */
__attribute__((format(printf, 2, 3))) static void say(const running *r, const char *fmt, ...)
{
    char message[2 * FH_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    fh_buf line = FH_BUF_INIT;
    if (fh_log_note(current(r)->server.log_json, message, &line) == FH_OK)
        fwrite(line.data, 1, line.len, stderr);
    fh_buf_free(&line);
}

static int same_key(const fh_key *a, const fh_key *b)
{
    return a->set == b->set && (!a->set || (a->len == b->len && memcmp(a->text, b->text, a->len) == 0));
}

static int same_origins(const options *a, const options *b)
{
    if (a->server.ncors_origins != b->server.ncors_origins)
        return 0;
    for (size_t i = 0; i < a->server.ncors_origins; i++)
        if (strcmp(a->origins[i], b->origins[i]) != 0)
            return 0;
    return 1;
}

/* Whether option opt has the same value in a and b. */
static int same(const option *opt, const options *a, const options *b)
{
    const fh_server_opts *x = &a->server, *y = &b->server;
    const char *n = opt->name;
    if (strcmp(n, "db") == 0)
        return strcmp(a->db_path.data, b->db_path.data) == 0;
    if (strcmp(n, "listen") == 0)
        return strcmp(x->address, y->address) == 0 && x->port == y->port;
    if (strcmp(n, "threads") == 0)
        return x->threads == y->threads;
    if (strcmp(n, "max-connections") == 0)
        return x->max_connections == y->max_connections;
    if (strcmp(n, "max-per-client") == 0)
        return x->max_per_client == y->max_per_client;
    if (strcmp(n, "header-timeout") == 0)
        return x->header_timeout_s == y->header_timeout_s;
    if (strcmp(n, "allow-partial") == 0)
        return x->remote.allow_partial == y->remote.allow_partial;
    if (strcmp(n, "shard-timeout") == 0)
        return a->shard_timeout_ms == b->shard_timeout_ms;
    if (strcmp(n, "cache-mb") == 0)
        return x->cache_bytes == y->cache_bytes;
    if (strcmp(n, "time-limit") == 0)
        return x->time_limit_ms == y->time_limit_ms;
    if (strcmp(n, "cors-origin") == 0)
        return same_origins(a, b);
    if (strcmp(n, "quiet") == 0)
        return x->quiet == y->quiet;
    if (strcmp(n, "log-format") == 0)
        return x->log_json == y->log_json;
    if (strcmp(n, "max-body-mb") == 0)
        return x->max_body_bytes == y->max_body_bytes;
    if (strcmp(n, "commit-interval") == 0)
        return x->commit_interval_ms == y->commit_interval_ms;
    if (strcmp(n, "write-nice") == 0)
        return x->write_nice == y->write_nice;
    if (strcmp(n, "admin-key") == 0)
        return same_key(&x->admin_key, &y->admin_key);
    if (strcmp(n, "search-key") == 0)
        return same_key(&x->search_key, &y->search_key);
    if (strcmp(n, "metrics-key") == 0)
        return same_key(&x->metrics_key, &y->metrics_key);
    return 1; /* the key files: their keys are compared */
}

/* Say which settings of next need a restart to take effect. */
static void say_restart_needed(const running *r, const options *next)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (OPTIONS[i].restart && !same(&OPTIONS[i], &r->started, next))
            say(r, "reload: %s was changed, which takes effect when searchd restarts: it keeps "
                   "its value until then", OPTIONS[i].name);
    int had = r->started.server.admin_key.set, has = next->server.admin_key.set;
    if (!had && has)
        say(r, "reload: an admin key enables writes when searchd starts: writes stay "
               "disabled until it restarts");
    else if (had && !has)
        say(r, "reload: no admin key is given: writes stay enabled, with the admin key loaded "
               "before, until searchd restarts");
}

/* The settings a reload changed, "time-limit, search-key" ("" if none);
 * writes: whether they are enabled (the admin key is taken only then). */
static void changed(const options *before, const options *next, int writes, fh_buf *out)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const option *opt = &OPTIONS[i];
        if (opt->restart || opt->kind == PATH || same(opt, before, next))
            continue;
        if (strcmp(opt->name, "admin-key") == 0 && (!writes || !next->server.admin_key.set))
            continue; /* not taken (said by say_restart_needed) */
        fh_buf_printf(out, "%s%s", out->len ? ", " : "", opt->name);
    }
}

/* SIGHUP: read the settings again and take what may change now. */
static void reload(running *r)
{
    options next;
    options_init(&next);
    say(r, "reloading%s%s", r->config ? " " : "", r->config ? r->config : "");
    fh_error err;
    if (read_settings(r->argc, r->argv, r->config, &next, &err) != FH_OK) {
        say(r, "reload failed: %s: the settings stay as they were", err.message);
        fh_server_reload_failed(r->srv);
        options_free(&next);
        return;
    }
    say_restart_needed(r, &next);
    if (fh_server_reload(r->srv, &next.server, &err) != FH_OK) {
        say(r, "reload failed: %s: the settings stay as they were", err.message);
        options_free(&next);
        return;
    }
    fh_buf what = FH_BUF_INIT;
    changed(current(r), &next, r->started.server.admin_key.set, &what);
    if (r->reloaded)
        options_free(&r->latest);
    r->latest = next;
    options_settle(&r->latest);
    r->reloaded = 1;
    say(r, "reloaded: %s", what.len ? what.data : "nothing changed");
    fh_buf_free(&what);
}

/* Serve until SIGTERM or SIGINT (blocked in every thread, and waited for
 * here), reloading on SIGHUP. */
static int serve(running *r, const sigset_t *signals)
{
    fh_error err;
    const fh_server_opts *so = &r->started.server;
    if (fh_server_start(so, &r->srv, &err) != FH_OK) {
        say(r, "%s", err.message);
        return 2;
    }
    say(r, "serving %s%s at http://%s%s%s:%u/", so->db_path,
        so->admin_key.set ? " (writes enabled)" : "", strchr(so->address, ':') ? "[" : "",
        so->address, strchr(so->address, ':') ? "]" : "", (unsigned)fh_server_port(r->srv));
    for (;;) {
        int sig = 0;
        if (sigwait(signals, &sig) != 0)
            continue;
        if (sig != SIGHUP) {
            say(r, "stopping (%s)", sig == SIGTERM ? "SIGTERM" : "SIGINT");
            break;
        }
        reload(r);
    }
    fh_server_stop(r->srv);
    return 0;
}

int main(int argc, char **argv)
{
    /* Blocked from the start, in every thread to come: a SIGHUP before the
     * server runs waits for it rather than ending the process. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    running r = {.argc = argc, .argv = argv};
    int found = find_config(argc, argv, &r.config);
    if (found != 0) {
        if (found > 0)
            usage(stdout);
        return found > 0 ? 0 : 2;
    }
    options_init(&r.started);
    fh_error err;
    int code = 2;
    if (read_settings(argc, argv, r.config, &r.started, &err) == FH_OK)
        code = serve(&r, &signals);
    else
        fprintf(stderr, "searchd: %s\n", err.message);
    options_free(&r.started);
    if (r.reloaded)
        options_free(&r.latest);
    return code;
}
