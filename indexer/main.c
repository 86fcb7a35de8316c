/*
 * main.c - the `indexer` command: index files and directories into a Fihris
 * database, or delete documents from it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "fihris/buf.h"
#include "fihris/clock.h"
#include "fihris/indexer.h"
#include "fihris/paths.h"

enum { EXIT_DOC_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* The one piece of process-wide state: a signal handler can only talk to
 * the program through a flag like this. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *out)
{
    fputs("usage: indexer [-d DB] [--batch N] [--no-progress] PATH...\n"
          "       indexer [-d DB] --delete ID...\n"
          "\n"
          "Index .txt, .md, .html and .jsonl files (directories recursively) into a\n"
          "Fihris database. Documents are identified by their JSONL id, else their\n"
          "absolute path (--delete also takes a relative one): indexing one again\n"
          "replaces it; unchanged documents are skipped.\n"
          "\n"
          "A PATH of - reads JSON Lines from standard input, as a .jsonl file is read\n"
          "(an id on every line; notices name it <stdin>; ./- is a file named -).\n"
          "JSONL fields other than id, title, body, url, date, source and lang are\n"
          "stored with the document as given (searchd's /api/doc returns them as\n"
          "\"extra\"), up to 64 KB of them a document.\n"
          "\n"
          "  -d, --db DB      database (default: $FIHRIS_DB, else ~/.local/share/fihris/db)\n"
          "      --batch N    commit every N changed documents (default 1000)\n"
          "  -j, --jobs N     writer threads when building a new database from 4 MB or\n"
          "                   more of input (default: one per CPU); updates use one\n"
          "      --shards N   make DB a new sharded database: N shard databases in\n"
          "                   DB.shards/ (each document in the one its id hashes to,\n"
          "                   in this run and every later one), DB a Xapian stub\n"
          "                   naming them, for serving with xapian-tcpsrv\n"
          "      --no-names   file no spellings of names: search then matches names\n"
          "                   only as written\n"
          "      --no-progress  no live progress line\n"
          "      --delete     remove the documents with the given ids\n"
          "      --wait S     when another process is writing the database (an indexer,\n"
          "                   or searchd taking writes, which holds it until it stops),\n"
          "                   try again for up to S seconds (default: fail at once)\n"
          "  -h, --help       this help\n"
          "\n"
          "Exit status: 0 done, 1 some documents failed, 2 error, 130 interrupted.\n",
          out);
}

typedef struct {
    const char *db;
    unsigned batch;
    unsigned jobs;
    unsigned shards;
    int progress;
    int names;
    int delete_mode;
    unsigned wait_s;
    const char **args;
    size_t nargs;
} options;

/* A positive whole number, or 0 when s is anything else. */
static unsigned positive(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v == 0 || v > 1000000)
        return 0;
    return (unsigned)v;
}

static int parse_args(int argc, char **argv, options *o)
{
    o->progress = isatty(STDERR_FILENO);
    o->names = 1;
    o->args = calloc((size_t)argc, sizeof *o->args);
    if (o->args == NULL)
        return -1;
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0')
            o->args[o->nargs++] = a;
        else if (strcmp(a, "--") == 0)
            only_args = 1;
        else if ((strcmp(a, "-d") == 0 || strcmp(a, "--db") == 0) && i + 1 < argc)
            o->db = argv[++i];
        else if (strcmp(a, "--batch") == 0 || strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0 ||
                 strcmp(a, "--shards") == 0 || strcmp(a, "--wait") == 0) {
            unsigned v = i + 1 < argc ? positive(argv[++i]) : 0;
            if (v == 0) {
                fprintf(stderr, "indexer: %s needs a positive number (see indexer --help)\n", a);
                return -1;
            }
            if (strcmp(a, "--batch") == 0)
                o->batch = v;
            else if (strcmp(a, "--shards") == 0)
                o->shards = v;
            else if (strcmp(a, "--wait") == 0)
                o->wait_s = v;
            else
                o->jobs = v;
        }
        else if (strcmp(a, "--no-progress") == 0)
            o->progress = 0;
        else if (strcmp(a, "--no-names") == 0)
            o->names = 0;
        else if (strcmp(a, "--delete") == 0)
            o->delete_mode = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return 1;
        else {
            fprintf(stderr, "indexer: unknown or incomplete option %s (see indexer --help)\n", a);
            return -1;
        }
    }
    size_t stdin_args = 0;
    for (size_t i = 0; i < o->nargs && !o->delete_mode; i++)
        stdin_args += strcmp(o->args[i], "-") == 0;
    if (stdin_args > 1) {
        fprintf(stderr, "indexer: - (standard input) can be read only once\n");
        return -1;
    }
    if (o->nargs == 0) {
        fprintf(stderr, "indexer: nothing to do: give files or directories to index "
                        "(see indexer --help)\n");
        return -1;
    }
    return 0;
}

/* The error of a run, and for a database another process writes, what to
 * do. */
static void report_error(fh_status st, const fh_error *err, const options *o)
{
    fprintf(stderr, "indexer: %s\n", err->message);
    if (st == FH_ERR_LOCKED)
        fprintf(stderr, "indexer: %s: wait until it is done (--wait S tries again for S "
                        "seconds), or stop it; searchd taking writes holds the database until "
                        "it stops: send it the documents instead (POST /api/documents, "
                        "DELETE /api/documents/ID)\n",
                o->wait_s ? "still locked after --wait" : "nothing was written");
}

static int run_delete(const char *db, const options *o)
{
    size_t deleted, missing;
    fh_error err;
    double until = fh_clock_ms() + 1000.0 * o->wait_s;
    fh_status st;
    /* nothing is deleted by a run that finds the database locked */
    while ((st = fh_delete_documents(db, o->args, o->nargs, &deleted, &missing, &err)) ==
               FH_ERR_LOCKED &&
           fh_clock_ms() < until)
        nanosleep(&(struct timespec){0, 200000000L}, NULL);
    if (st != FH_OK) {
        report_error(st, &err, o);
        return EXIT_USAGE;
    }
    printf("%zu deleted, %zu not found\n", deleted, missing);
    return 0;
}

static int run_index(const char *db, const options *o)
{
    fh_index_opts opts;
    fh_index_opts_init(&opts);
    opts.db_path = db;
    opts.progress = o->progress;
    opts.names = o->names;
    opts.interrupted = &interrupted;
    if (o->batch)
        opts.batch_docs = o->batch;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    opts.jobs = o->jobs ? o->jobs : cpus > 0 ? (unsigned)cpus : 1;
    opts.shards = o->shards;
    opts.lock_wait_s = o->wait_s;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C stops at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    fh_index_stats stats;
    fh_error err;
    fh_status st = fh_index_paths(&opts, o->args, o->nargs, &stats, &err);
    if (st != FH_OK)
        report_error(st, &err, o);
    if (st == FH_OK || stats.files > 0)
        fh_index_stats_print(&stats, stdout);
    int code = st != FH_OK ? EXIT_USAGE
               : stats.interrupted ? EXIT_INTERRUPTED
               : stats.failed ? EXIT_DOC_FAILED : 0;
    fh_index_stats_free(&stats);
    return code;
}

int main(int argc, char **argv)
{
    options o = {0};
    int r = parse_args(argc, argv, &o);
    if (r != 0) {
        if (r > 0)
            usage(stdout);
        free(o.args);
        return r > 0 ? 0 : EXIT_USAGE;
    }
    xmlInitParser(); /* once, before any reader runs */
    fh_buf db = FH_BUF_INIT;
    fh_error err;
    int code;
    if (fh_db_path(o.db, &db, &err) != FH_OK) {
        fprintf(stderr, "indexer: %s\n", err.message);
        code = EXIT_USAGE;
    } else {
        code = o.delete_mode ? run_delete(db.data, &o) : run_index(db.data, &o);
    }
    fh_buf_free(&db);
    free(o.args);
    xmlCleanupParser();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "indexer: cannot write the summary: %s\n", strerror(errno));
        code = code ? code : EXIT_USAGE;
    }
    return code;
}
