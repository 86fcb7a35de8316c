"""fihris_build.py - the cffi description of libfihris that the package is built from.

The declarations below are the part of include/fihris/fihris.h that the
package uses.  They are compiled against the installed header (cffi's API
mode, out of line): every struct ends in "...;", so the C compiler places
the fields and cffi takes their offsets and sizes from it, and a declared
type that disagrees with the header is a compile error.  The writer's
notices come back through a callback defined in Python (extern "Python",
_index.py).  The library and its header are found with pkg-config
(fihris.pc, installed by `cmake --install`); the extension records the
library's directory as its run path, so an install outside the loader's
default directories works without LD_LIBRARY_PATH.
"""

import shlex
import subprocess

from cffi import FFI

CDEF = """
typedef enum {
    FH_OK, FH_ERR_NOMEM, FH_ERR_IO, FH_ERR_INVALID, FH_ERR_NOT_FOUND, FH_ERR_LOCKED,
    FH_ERR_CORRUPT, FH_ERR_MODIFIED, FH_ERR_UNSUPPORTED, FH_ERR_INTERNAL, FH_ERR_UNAVAILABLE,
    ...
} fh_status;

typedef struct fh_error {
    fh_status status;
    char message[...];
    ...;
} fh_error;

const char *fh_status_name(fh_status status);

typedef struct fh_buf {
    char *data;
    size_t len;
    ...;
} fh_buf;

void fh_buf_free(fh_buf *b);

/* writer.h */
typedef struct fh_writer fh_writer;

typedef struct {
    size_t added, replaced, unchanged;
    size_t dropped_terms;
    size_t deleted;
    ...;
} fh_writer_counts;

typedef enum { FH_NOTICE_WARNING, FH_NOTICE_SKIPPED, FH_NOTICE_FAILED, ... } fh_notice_kind;
typedef void (*fh_writer_notice_fn)(void *ctx, fh_notice_kind kind, const char *path,
                                    size_t line, const char *message);

typedef struct {
    unsigned batch_docs;
    size_t batch_bytes;
    int names;
    fh_writer_notice_fn notice;
    void *notice_ctx;
    ...;
} fh_writer_opts;

/* the writer's notices, to the Index that opened it (_index.py) */
extern "Python" void fihris_writer_notice(void *ctx, fh_notice_kind kind, const char *path,
                                          size_t line, const char *message);

void fh_writer_opts_init(fh_writer_opts *opts);
fh_status fh_writer_open(const char *path, const fh_writer_opts *opts, fh_writer **out,
                         fh_error *err);
fh_status fh_writer_put_fields(fh_writer *w, const char *id, const char *title,
                               const char *body, const char *url, const char *date,
                               const char *source, const char *lang, fh_error *err);
fh_status fh_writer_put_json(fh_writer *w, const char *json, size_t len, fh_error *err);
fh_status fh_writer_delete(fh_writer *w, const char *id, int *found, fh_error *err);
fh_status fh_writer_commit(fh_writer *w, fh_error *err);
fh_writer_counts fh_writer_get_counts(const fh_writer *w);
void fh_writer_close(fh_writer *w);

/* stored.h */
typedef struct {
    char *id, *title, *body, *url, *date, *source, *lang, *path;
    size_t title_len, body_len;
    char *extra;
    size_t extra_len;
    ...;
} fh_stored;

void fh_stored_free(fh_stored *s);

/* search.h */
typedef struct fh_searcher fh_searcher;

fh_status fh_searcher_open(const char *db_path, fh_searcher **out, fh_error *err);
void fh_searcher_close(fh_searcher *s);
fh_status fh_searcher_refresh(fh_searcher *s, fh_error *err);
fh_status fh_searcher_doc_count(fh_searcher *s, uint32_t *out, fh_error *err);
fh_status fh_searcher_document(fh_searcher *s, const char *id, fh_stored *out, fh_error *err);
fh_status fh_searcher_complete(fh_searcher *s, const char *text, size_t len, size_t max,
                               fh_buf *out, size_t *count, fh_error *err);
int fh_searcher_index_outdated(fh_searcher *s);

#define FH_COMPLETE_SCAN ...
#define FH_SEARCH_MAX_COUNT ...
#define FH_SEARCH_MAX_QUERY_BYTES ...

typedef enum { FH_MARK_NONE, FH_MARK_PLAIN, FH_MARK_ANSI, FH_MARK_HTML, ... } fh_mark_style;

typedef struct {
    const char *query;
    size_t query_len;
    uint32_t offset;
    uint32_t count;
    fh_mark_style marks;
    size_t snippet_words;
    int snippets;
    int names;
    int explain;
    int sort_by_date;
    int facets;
    int suggest;
    double time_limit_ms;
    ...;
} fh_search_request;

void fh_search_request_init(fh_search_request *req);

typedef enum { FH_HOW_EXACT, FH_HOW_STEM, FH_HOW_SPELLING, FH_HOW_SCRIPT, ... } fh_how;

const char *fh_how_name(fh_how how);

typedef struct {
    size_t word;
    fh_how how;
    double weight;
    char *terms;
    ...;
} fh_why;

typedef struct {
    unsigned rank;
    double score;
    char *id, *title, *title_marked, *snippet;
    char *url, *date, *source, *lang;
    fh_why *why;
    size_t nwhy;
    ...;
} fh_hit;

typedef struct {
    char *value;
    uint32_t count;
    ...;
} fh_facet_value;

typedef enum { FH_FACET_SOURCE, FH_FACET_LANG, FH_FACET_YEAR, FH_FACETS, ... } fh_facet_kind;

typedef struct {
    fh_facet_value *values;
    size_t n;
    ...;
} fh_facet;

const char *fh_facet_name(fh_facet_kind f);

typedef struct {
    fh_hit *hits;
    size_t nhits;
    uint32_t estimated;
    int exact_total;
    int time_limited;
    size_t prefix_words;
    size_t prefix_kept;
    double elapsed_ms;
    int matched_any;
    char *parsed;
    char *notes;
    char *suggestion;
    int counted;
    fh_facet facets[...];
    char **missing_shards;
    size_t nmissing;
    ...;
} fh_search_result;

fh_status fh_search(fh_searcher *s, const fh_search_request *req, fh_search_result *out,
                    fh_error *err);
void fh_search_result_free(fh_search_result *r);
size_t fh_search_result_word_count(const fh_search_result *r);
const char *fh_search_result_word(const fh_search_result *r, size_t i);
"""

NO_FIHRIS = """pkg-config cannot find fihris (fihris.pc): install Fihris first
(cmake --install build, README.md "Install"); for a prefix that pkg-config
does not search, set PKG_CONFIG_PATH=PREFIX/lib/pkgconfig.
pkg-config said: """


def pkg_config(*args):
    """The words pkg-config prints for fihris with these options."""
    try:
        run = subprocess.run(["pkg-config", *args, "fihris"], capture_output=True, text=True)
    except FileNotFoundError:
        raise SystemExit("pkg-config is not installed (Debian: apt-get install pkg-config)")
    if run.returncode != 0:
        raise SystemExit(NO_FIHRIS + (run.stderr.strip() or "nothing"))
    return shlex.split(run.stdout)


def build_options():
    """set_source's compiler and linker options, from fihris.pc."""
    opts = {"include_dirs": [], "library_dirs": [], "libraries": [],
            "extra_compile_args": ["-Werror=incompatible-pointer-types"],
            "extra_link_args": []}
    for word in pkg_config("--cflags"):
        if word.startswith("-I"):
            opts["include_dirs"].append(word[2:])
        else:
            opts["extra_compile_args"].append(word)
    for word in pkg_config("--libs"):
        if word.startswith("-L"):
            opts["library_dirs"].append(word[2:])
        elif word.startswith("-l"):
            opts["libraries"].append(word[2:])
        else:
            opts["extra_link_args"].append(word)
    libdir = pkg_config("--variable=libdir")
    if libdir:
        opts["extra_link_args"].append("-Wl,-rpath," + libdir[0])
    return opts


ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source("fihris._fihris", "#include <fihris/fihris.h>", **build_options())

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
