/*
 * main.c - the `search` command: query a Fihris database from the shell,
 * one query from the arguments or many from a file (--batch).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "fihris/output.h"
#include "fihris/paths.h"
#include "fihris/search.h"
#include "fihris/utf8.h"

enum { EXIT_MATCHED = 0, EXIT_NO_MATCH = 1, EXIT_ERROR = 2 };

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_IDS, FORMAT_TSV } out_format;

typedef struct {
    const char *db;
    const char *batch;
    out_format format;
    int count_only;
    fh_search_request req;
    fh_buf query;
    int has_query; /* query text was given, if only an empty argument */
    fh_remote_opts remote;
} options;

static void usage(FILE *out)
{
    fputs("usage: search [-d DB] [-n N] [--offset K] [--format text|json|ids|tsv] QUERY...\n"
          "       search [-d DB] --count-only [--format text|json|tsv] QUERY...\n"
          "       search [-d DB] [options] --batch FILE|-\n"
          "\n"
          "Search a Fihris database. Every word must appear in a document (in any of\n"
          "its forms); when no document has them all, documents with any are shown.\n"
          "\n"
          "  a b, a AND b    both          a OR b         either\n"
          "  -a, NOT a       without a     +a             a, even when falling back\n"
          "  \"a b\"           phrase        a NEAR/5 b     within 5 words\n"
          "  zucker*         prefix        =word          this form only\n"
          "  ( )             grouping\n"
          "  title:word  source:NAME  lang:ar|en  id:ID\n"
          "  date:2025  date:2025-06..2025-08  date:>=2025-01-01  date:<2024-12\n"
          "\n"
          "  -d, --db DB        database (default: $FIHRIS_DB, else ~/.local/share/fihris/db)\n"
          "  -n, --count N      number of results, 1 to 1000 (default 10)\n"
          "      --offset K     skip the first K results\n"
          "      --format F     text (default), json, ids (one id a line) or tsv: a\n"
          "                     header line, then a line a hit of id, score, title,\n"
          "                     date, source separated by tabs (a tab, line feed,\n"
          "                     carriage return or backslash in a field is written\n"
          "                     \\t, \\n, \\r or \\\\; an absent date or source is empty)\n"
          "      --count-only   print only the number of documents that match: every\n"
          "                     plain word (no falling back to any), filters applied;\n"
          "                     exact, each match is counted (json: {query, count,\n"
          "                     exact, notes}); -n, --offset and --sort do not apply\n"
          "      --k1 X, --b X  BM25 parameters (default 1.2 and 0.75)\n"
          "      --explain      show each query word's forms (or why it is not searched\n"
          "                     as a name) and, for every hit, which index words it\n"
          "                     matched, how, and what each added\n"
          "      --sort S       relevance (default) or date (newest first)\n"
          "      --facets       count the matches by source, language and year\n"
          "      --no-names     match names only as written, not in other spellings\n"
          "                     or scripts (Zuckerberg finds زوكربيرغ unless given)\n"
          "      --batch FILE   one query per line (- for standard input; a blank line\n"
          "                     is skipped); each answer names its line, counting\n"
          "                     every line from 1: ids output is \"LINE<TAB>ID\", tsv\n"
          "                     has a first column \"line\", --count-only text output\n"
          "                     is \"LINE<TAB>COUNT\", json is one object a line with\n"
          "                     \"line\", and for a query that cannot be searched\n"
          "                     {\"line\", \"query\", \"error\"} (other formats say it\n"
          "                     on stderr only: \"search: line N: ...\")\n"
          "      --allow-partial  over a cluster of shards (-d STUB): answer from the\n"
          "                     shards that can be reached and say which are missing\n"
          "                     (text and json in their output; ids, tsv and counts\n"
          "                     on stderr), instead of failing\n"
          "      --shard-timeout MS  a shard server silent this long is unavailable\n"
          "                     (default 10000; connecting: at most 2000)\n"
          "  -h, --help         this help\n"
          "\n"
          "Exit status: 0 something matched, 1 nothing matched, 2 error. With --batch:\n"
          "2 when a line could not be searched (the others are still answered), else\n"
          "0 when a query matched, 1 when none did.\n",
          out);
}

static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static int parse_count(const char *s, uint32_t *out)
{
    double v;
    if (!parse_number(s, &v) || v < 0 || v > 4e9 || v != (double)(uint32_t)v)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

static int parse_format(const char *s, out_format *f)
{
    if (strcmp(s, "text") == 0)
        *f = FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *f = FORMAT_JSON;
    else if (strcmp(s, "ids") == 0)
        *f = FORMAT_IDS;
    else if (strcmp(s, "tsv") == 0)
        *f = FORMAT_TSV;
    else
        return 0;
    return 1;
}

static int parse_sort(const char *s, int *by_date)
{
    if (strcmp(s, "relevance") != 0 && strcmp(s, "date") != 0)
        return 0;
    *by_date = strcmp(s, "date") == 0;
    return 1;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_option(int argc, char **argv, int *i, options *o)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    int ok = 1;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
        return 1;
    if (strcmp(a, "--no-names") == 0) {
        o->req.names = 0;
        return 0;
    }
    if (strcmp(a, "--explain") == 0) {
        o->req.explain = 1;
        return 0;
    }
    if (strcmp(a, "--facets") == 0) {
        o->req.facets = 1;
        return 0;
    }
    if (strcmp(a, "--count-only") == 0) {
        o->count_only = 1;
        return 0;
    }
    if (strcmp(a, "--allow-partial") == 0) {
        o->remote.allow_partial = 1;
        return 0;
    }
    if (v == NULL)
        ok = 0;
    else if (strcmp(a, "-d") == 0 || strcmp(a, "--db") == 0)
        o->db = v;
    else if (strcmp(a, "-n") == 0 || strcmp(a, "--count") == 0)
        ok = parse_count(v, &o->req.count) && o->req.count > 0;
    else if (strcmp(a, "--offset") == 0)
        ok = parse_count(v, &o->req.offset);
    else if (strcmp(a, "--shard-timeout") == 0) {
        uint32_t ms = 0;
        ok = parse_count(v, &ms) && ms > 0;
        fh_remote_opts_timeout(&o->remote, ms);
    }
    else if (strcmp(a, "--format") == 0)
        ok = parse_format(v, &o->format);
    else if (strcmp(a, "--k1") == 0)
        ok = parse_number(v, &o->req.k1);
    else if (strcmp(a, "--b") == 0)
        ok = parse_number(v, &o->req.b);
    else if (strcmp(a, "--batch") == 0)
        o->batch = v;
    else if (strcmp(a, "--sort") == 0)
        ok = parse_sort(v, &o->req.sort_by_date);
    else {
        fprintf(stderr, "search: unknown option %s (see search --help)\n", a);
        return -1;
    }
    if (!ok) {
        fprintf(stderr, "search: %s needs a valid value (see search --help)\n", a);
        return -1;
    }
    (*i)++;
    return 0;
}

/* --long options and the short ones; anything else is query text, so that
 * `search ماسك -Tesla` excludes Tesla. */
static int is_option(const char *a)
{
    return (a[0] == '-' && a[1] == '-' && a[2] != '\0') ||
           (a[0] == '-' && strchr("dnh", a[1]) && a[1] != '\0' && a[2] == '\0');
}

static int parse_args(int argc, char **argv, options *o)
{
    int only_words = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_words && strcmp(a, "--") == 0) {
            only_words = 1;
        } else if (!only_words && is_option(a)) {
            int r = parse_option(argc, argv, &i, o);
            if (r != 0)
                return r;
        } else {
            if (o->has_query && fh_buf_append_char(&o->query, ' ') != FH_OK)
                return -1;
            o->has_query = 1;
            if (fh_buf_append_str(&o->query, a) != FH_OK)
                return -1;
        }
    }
    if (o->batch == NULL && !o->has_query) {
        fputs("search: no query: give words to search for (see search --help)\n", stderr);
        return -1;
    }
    if (o->batch && o->has_query) {
        fputs("search: give either a query or --batch, not both\n", stderr);
        return -1;
    }
    return 0;
}

static fh_mark_style marks_for(out_format f)
{
    if (f == FORMAT_JSON)
        return FH_MARK_HTML;
    if (f != FORMAT_TEXT)
        return FH_MARK_PLAIN;
    return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL ? FH_MARK_ANSI : FH_MARK_PLAIN;
}

/* A query that could not be searched: on stderr, and in a JSON batch as
 * the line's answer too. */
static void report_failure(const options *o, long line_no, const char *query, const char *message)
{
    fh_error err;
    if (line_no > 0)
        fprintf(stderr, "search: line %ld: %s\n", line_no, message);
    else
        fprintf(stderr, "search: %s\n", message);
    if (o->format == FORMAT_JSON && line_no > 0 &&
        fh_print_json_error(stdout, line_no, query, message, &err) != FH_OK)
        fprintf(stderr, "search: %s\n", err.message);
}

/* The shards a partial search left out, on stderr for the outputs that
 * have no place for them (text says so in its output, JSON in
 * missing_shards); in a batch once, not again for every line, unless they
 * change.  said holds what was said last. */
static void say_missing(const options *o, const fh_search_result *r, fh_buf *said)
{
    if (o->format == FORMAT_JSON || (o->format == FORMAT_TEXT && !o->count_only))
        return;
    fh_buf now = FH_BUF_INIT;
    for (size_t k = 0; k < r->nmissing; k++)
        if (fh_buf_printf(&now, "%s\n", r->missing_shards[k]) != FH_OK)
            break;
    if (now.len && (now.len != said->len || memcmp(now.data, said->data, now.len) != 0))
        for (size_t k = 0; k < r->nmissing; k++)
            fprintf(stderr, "search: partial results: shard %s is unavailable\n",
                    r->missing_shards[k]);
    fh_buf_free(said);
    *said = now;
}

static fh_status print_count(const options *o, const fh_search_result *r, long line_no,
                             fh_error *err)
{
    if (o->format == FORMAT_JSON)
        return fh_print_json_count(stdout, line_no, o->req.query, r, err);
    if (line_no > 0)
        printf("%ld\t", line_no);
    printf("%u\n", r->estimated);
    return FH_OK;
}

static fh_status print_result(const options *o, const fh_search_result *r, long line_no,
                              fh_error *err)
{
    const char *query = o->req.query;
    if (o->count_only)
        return print_count(o, r, line_no, err);
    switch (o->format) {
    case FORMAT_IDS:
        fh_print_ids(stdout, r, line_no);
        break;
    case FORMAT_TSV:
        fh_print_tsv(stdout, r, line_no);
        break;
    case FORMAT_JSON:
        return line_no > 0 ? fh_print_json_line(stdout, line_no, query, r, err)
                           : fh_print_json(stdout, query, r, 1, err);
    case FORMAT_TEXT:
        if (line_no > 0)
            printf("== %ld: %s\n", line_no, query);
        fh_print_text(stdout, query, r);
        break;
    }
    return FH_OK;
}

/* Run one query and print it; returns 1 when it matched, 0 when not, -1 on
 * error.  said: the missing shards said so far (say_missing). */
static int run_one(fh_searcher *s, options *o, const char *text, size_t len, long line_no,
                   fh_buf *said)
{
    fh_buf query = FH_BUF_INIT;
    fh_error err;
    if (fh_utf8_repair(text, len, &query, NULL) != FH_OK)
        return -1;
    o->req.query = query.data ? query.data : "";
    o->req.query_len = query.len;
    fh_search_result r;
    int rc = -1;
    if (fh_search(s, &o->req, &r, &err) != FH_OK) {
        report_failure(o, line_no, o->req.query, err.message);
    } else {
        rc = (o->count_only ? r.estimated : r.nhits) > 0;
        say_missing(o, &r, said);
        if (print_result(o, &r, line_no, &err) != FH_OK) {
            fprintf(stderr, "search: %s\n", err.message);
            rc = -1;
        }
        fh_search_result_free(&r);
    }
    fh_buf_free(&query);
    return rc;
}

static int run_batch(fh_searcher *s, options *o)
{
    FILE *in = strcmp(o->batch, "-") == 0 ? stdin : fopen(o->batch, "r");
    if (in == NULL) {
        fprintf(stderr, "search: cannot read %s: %s\n", o->batch, strerror(errno));
        return EXIT_ERROR;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long line_no = 0;
    int any = 0, failed = 0;
    fh_buf said = FH_BUF_INIT;
    while ((n = getline(&line, &cap, in)) >= 0) {
        line_no++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        for (ssize_t i = 0; i < n; i++)
            if (line[i] == '\0')
                line[i] = ' '; /* a query is text: a NUL would cut it short */
        if (strspn(line, " \t\v\f") == (size_t)n)
            continue; /* a blank line asks nothing */
        int rc = run_one(s, o, line, (size_t)n, line_no, &said);
        any |= rc > 0;
        failed |= rc < 0;
    }
    if (ferror(in)) {
        fprintf(stderr, "search: cannot read %s: %s\n", o->batch, strerror(errno));
        failed = 1;
    }
    free(line);
    fh_buf_free(&said);
    if (in != stdin)
        fclose(in);
    return failed ? EXIT_ERROR : any ? EXIT_MATCHED : EXIT_NO_MATCH;
}

static int open_searcher(const options *o, fh_searcher **s)
{
    fh_buf path = FH_BUF_INIT;
    fh_error err;
    fh_status st = fh_db_path(o->db, &path, &err);
    if (st == FH_OK)
        st = fh_searcher_open_remote(path.data, &o->remote, s, &err);
    if (st == FH_ERR_NOT_FOUND)
        fprintf(stderr, "search: no database at %s: index documents first (indexer -d %s DIR) "
                        "or point -d / FIHRIS_DB at one\n", path.data, path.data);
    else if (st != FH_OK)
        fprintf(stderr, "search: cannot open the database: %s\n", err.message);
    if (st == FH_OK && fh_searcher_index_outdated(*s))
        fprintf(stderr, "search: note: %s was indexed by another version of fihris; run the "
                        "indexer over its documents again to find them best\n", path.data);
    fh_buf_free(&path);
    return st == FH_OK ? 0 : -1;
}

/* Why these options cannot go together, or NULL. */
static const char *options_conflict(const options *o)
{
    if (o->count_only && (o->req.explain || o->req.facets))
        return "--count-only prints counts only: not with --explain or --facets";
    if (o->count_only && o->format == FORMAT_IDS)
        return "--count-only prints counts as text, json or tsv, not ids";
    if (o->req.explain && (o->format == FORMAT_IDS || o->format == FORMAT_TSV))
        return "--explain needs --format text or json";
    return NULL;
}

/* What the output asks of each search. */
static void set_request(options *o)
{
    fh_search_request *req = &o->req;
    req->marks = marks_for(o->format);
    req->snippets = o->format != FORMAT_IDS; /* tsv: the stored title, date, source */
    if (!o->count_only)
        return;
    /* one hit says whether anything matched; the count is the total */
    req->offset = 0;
    req->count = 1;
    req->snippets = 0;
    req->sort_by_date = 0;
    req->suggest = 0;
    req->fallback = 0;
    req->exact_total = 1;
}

int main(int argc, char **argv)
{
    options o = {0};
    fh_search_request_init(&o.req);
    fh_remote_opts_init(&o.remote);
    int r = parse_args(argc, argv, &o);
    if (r != 0) {
        if (r > 0)
            usage(stdout);
        fh_buf_free(&o.query);
        return r > 0 ? 0 : EXIT_ERROR;
    }
    const char *conflict = options_conflict(&o);
    if (conflict) {
        fprintf(stderr, "search: %s (see search --help)\n", conflict);
        fh_buf_free(&o.query);
        return EXIT_ERROR;
    }
    set_request(&o);
    fh_searcher *s = NULL;
    int code = EXIT_ERROR;
    if (open_searcher(&o, &s) == 0) {
        if (o.format == FORMAT_TSV)
            fh_print_tsv_header(stdout, o.batch != NULL, o.count_only);
        if (o.batch) {
            code = run_batch(s, &o);
        } else {
            fh_buf said = FH_BUF_INIT;
            int rc = run_one(s, &o, o.query.data, o.query.len, 0, &said);
            fh_buf_free(&said);
            code = rc < 0 ? EXIT_ERROR : rc ? EXIT_MATCHED : EXIT_NO_MATCH;
        }
    }
    fh_searcher_close(s);
    fh_buf_free(&o.query);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "search: cannot write the results: %s\n", strerror(errno));
        code = EXIT_ERROR;
    }
    return code;
}
