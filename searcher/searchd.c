/*
 * searchd.c - the `searchd` command: serve a Fihris database over HTTP (the
 * JSON API and the search page of server.h) until SIGTERM or SIGINT, and
 * take documents over HTTP when it has an admin key (keys.h).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/buf.h"
#include "fihris/paths.h"
#include "fihris/server.h"

enum { MAX_ORIGINS = 16 };

typedef struct {
    const char *db;
    fh_server_opts server;
    const char *origins[MAX_ORIGINS];
    fh_buf address; /* --listen's address part */
    const char *admin_key_file, *search_key_file;
} options;

static void usage(FILE *out)
{
    fputs("usage: searchd [-d DB] [--listen ADDRESS:PORT] [options]\n"
          "\n"
          "Serve a Fihris database over HTTP: a search page at / and a JSON API\n"
          "(/api/search, /api/suggest, /api/doc/ID, /healthz); with an admin key, take\n"
          "documents too (POST /api/documents, DELETE /api/documents/ID, POST\n"
          "/api/documents/delete). Stops on Ctrl-C or SIGTERM.\n"
          "\n"
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
          "                       may be given several times\n"
          "      --allow-partial  over a cluster of shards (-d STUB): answer from the\n"
          "                       shards that can be reached, naming the others in\n"
          "                       \"missing_shards\", instead of failing with 503\n"
          "      --shard-timeout MS  a shard server silent this long is unavailable\n"
          "                       (default 10000; connecting: at most 2000)\n"
          "      --quiet          no request log on standard error\n"
          "\n"
          "Keys, sent as \"Authorization: Bearer KEY\", are read from a file or the\n"
          "environment, never from the command line. A key file holds one key of 16 to\n"
          "4096 printable ASCII characters (openssl rand -hex 32); its group and others\n"
          "may neither read nor write it (chmod 600).\n"
          "      --admin-key-file FILE  the key that writes need (else $FIHRIS_ADMIN_KEY);\n"
          "                       without one, writes are refused. With one, searchd\n"
          "                       holds the database's write lock until it stops\n"
          "                       (creating the database when absent): the indexer is\n"
          "                       refused meanwhile\n"
          "      --search-key-file FILE  the key that /api/search, /api/suggest and\n"
          "                       /api/doc need, or the admin key (else\n"
          "                       $FIHRIS_SEARCH_KEY); without one they are open. The\n"
          "                       page and /healthz are always open\n"
          "      --max-body-mb N  a write's body (default 4, at most 64); a write takes at\n"
          "                       most 1000 documents or ids, and at most 4 run at once\n"
          "  -h, --help           this help\n",
          out);
}

static int parse_unsigned(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v < lo || v > hi)
        return 0;
    *out = (unsigned)v;
    return 1;
}

/* ADDRESS:PORT, [IPV6]:PORT or :PORT (loopback). */
static int parse_listen(const char *v, options *o)
{
    const char *colon = strrchr(v, ':');
    unsigned port;
    if (colon == NULL || !parse_unsigned(colon + 1, 0, 65535, &port))
        return 0;
    const char *a = v, *b = colon;
    if (*a == '[' && b > a && b[-1] == ']')
        a++, b--;
    fh_buf_reset(&o->address);
    if (b > a && (fh_buf_append(&o->address, a, (size_t)(b - a)) != FH_OK ||
                  fh_buf_append_char(&o->address, '\0') != FH_OK))
        return 0;
    o->server.address = b > a ? o->address.data : "127.0.0.1";
    o->server.port = (uint16_t)port;
    return 1;
}

static int parse_option(const char *a, const char *v, options *o)
{
    if (v == NULL)
        return 0;
    if (strcmp(a, "-d") == 0 || strcmp(a, "--db") == 0)
        o->db = v;
    else if (strcmp(a, "--listen") == 0)
        return parse_listen(v, o);
    else if (strcmp(a, "--threads") == 0)
        return parse_unsigned(v, 1, 256, &o->server.threads);
    else if (strcmp(a, "--max-connections") == 0)
        return parse_unsigned(v, 1, 100000, &o->server.max_connections);
    else if (strcmp(a, "--max-per-client") == 0)
        return parse_unsigned(v, 0, 100000, &o->server.max_per_client);
    else if (strcmp(a, "--header-timeout") == 0)
        return parse_unsigned(v, 1, 3600, &o->server.header_timeout_s);
    else if (strcmp(a, "--cache-mb") == 0) {
        unsigned mb;
        if (!parse_unsigned(v, 0, 65536, &mb))
            return 0;
        o->server.cache_bytes = (size_t)mb << 20;
    } else if (strcmp(a, "--shard-timeout") == 0) {
        unsigned ms;
        if (!parse_unsigned(v, 1, 600000, &ms))
            return 0;
        fh_remote_opts_timeout(&o->server.remote, ms);
    } else if (strcmp(a, "--time-limit") == 0)
        return parse_unsigned(v, 1, 600000, &o->server.time_limit_ms);
    else if (strcmp(a, "--cors-origin") == 0 && o->server.ncors_origins < MAX_ORIGINS)
        o->origins[o->server.ncors_origins++] = v;
    else if (strcmp(a, "--admin-key-file") == 0)
        o->admin_key_file = v;
    else if (strcmp(a, "--search-key-file") == 0)
        o->search_key_file = v;
    else if (strcmp(a, "--max-body-mb") == 0) {
        unsigned mb;
        if (!parse_unsigned(v, 1, 64, &mb))
            return 0;
        o->server.max_body_bytes = (size_t)mb << 20;
    } else
        return 0;
    return 1;
}

/* A key on the command line is refused: every user of the machine can
 * read it there (ps, /proc). */
static int key_on_command_line(const char *a)
{
    if (strcmp(a, "--admin-key") != 0 && strcmp(a, "--search-key") != 0 &&
        strncmp(a, "--admin-key=", 12) != 0 && strncmp(a, "--search-key=", 13) != 0)
        return 0;
    fprintf(stderr, "searchd: keys are not taken on the command line, where other users of "
                    "the machine can read them: put the key in a file only you can read and "
                    "give %s-file FILE, or set %s\n",
            strncmp(a, "--admin", 7) == 0 ? "--admin-key" : "--search-key",
            strncmp(a, "--admin", 7) == 0 ? "FIHRIS_ADMIN_KEY" : "FIHRIS_SEARCH_KEY");
    return 1;
}

/* The keys, from their files or the environment; a later reload of the
 * configuration calls this again.  0 after saying what is wrong. */
static int load_keys(options *o)
{
    fh_error err;
    if (fh_key_load(o->admin_key_file, "FIHRIS_ADMIN_KEY", &o->server.admin_key, &err) != FH_OK ||
        fh_key_load(o->search_key_file, "FIHRIS_SEARCH_KEY", &o->server.search_key, &err) !=
            FH_OK) {
        fprintf(stderr, "searchd: %s\n", err.message);
        return 0;
    }
    return 1;
}

/* 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return 1;
        if (strcmp(a, "--quiet") == 0) {
            o->server.quiet = 1;
            continue;
        }
        if (strcmp(a, "--allow-partial") == 0) {
            o->server.remote.allow_partial = 1;
            continue;
        }
        if (key_on_command_line(a))
            return -1;
        if (!parse_option(a, i + 1 < argc ? argv[i + 1] : NULL, o)) {
            fprintf(stderr, "searchd: %s: unknown option or bad value (see searchd --help)\n", a);
            return -1;
        }
        i++;
    }
    o->server.cors_origins = o->origins;
    return load_keys(o) ? 0 : -1;
}

/* Block SIGINT and SIGTERM in every thread, then wait for one here: the
 * server's threads are never interrupted, and stopping happens in order. */
static int serve_until_signal(const options *o, const char *db_path)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    fh_server_opts so = o->server;
    so.db_path = db_path;
    fh_server *srv = NULL;
    fh_error err;
    if (fh_server_start(&so, &srv, &err) != FH_OK) {
        fprintf(stderr, "searchd: %s\n", err.message);
        return 2;
    }
    fprintf(stderr, "searchd: serving %s%s at http://%s%s%s:%u/\n", db_path,
            so.admin_key.set ? " (writes enabled)" : "",
            strchr(so.address, ':') ? "[" : "", so.address, strchr(so.address, ':') ? "]" : "",
            (unsigned)fh_server_port(srv));
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "searchd: stopping (%s)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    fh_server_stop(srv);
    return 0;
}

int main(int argc, char **argv)
{
    options o = {0};
    fh_server_opts_init(&o.server);
    int r = parse_args(argc, argv, &o);
    if (r != 0) {
        if (r > 0)
            usage(stdout);
        fh_buf_free(&o.address);
        return r > 0 ? 0 : 2;
    }
    fh_buf path = FH_BUF_INIT;
    fh_error err;
    int code = 2;
    if (fh_db_path(o.db, &path, &err) != FH_OK)
        fprintf(stderr, "searchd: %s\n", err.message);
    else
        code = serve_until_signal(&o, path.data);
    fh_buf_free(&path);
    fh_buf_free(&o.address);
    return code;
}
