/*
 * reader.h - turning files into documents (implemented in indexer/reader.c,
 * read_markdown.c, read_html.c, read_jsonl.c and walk.c).
 *
 * A reader knows file formats, nothing about indexes.  It hands each
 * document it finds to a sink callback, and tells the sink about everything
 * it repaired, skipped or could not read, so that the indexer can count and
 * report it.  Everything a reader passes to the sink is valid UTF-8 (invalid
 * sequences are replaced by U+FFFD, with a warning) and is only valid during
 * the callback.
 *
 * Formats, chosen by file name extension (case-insensitive):
 *   .txt .md .markdown  title = first non-empty line (Markdown markup removed),
 *                        body = the rest
 *   .html .htm          title = <title> (else the first <h1>), body = the visible
 *                        text; script, style, noscript and template dropped
 *   .jsonl              one JSON object per line: "id" and "body" required
 *                        strings; "title" optional (empty when absent); "url",
 *                        "date" (ISO 8601), "source", "lang" optional strings;
 *                        any other field is kept as given (extra)
 * The path "-" is standard input, read as JSONL whatever its kind (a pipe,
 * a terminal, a file) and named "<stdin>" in notices and documents.
 * For whole files the id is the path, with invalid UTF-8 replaced by U+FFFD
 * (and a warning).  A file of a byte order mark and white space is empty.
 * HTML is read in the charset it declares (or UTF-16 after a byte order
 * mark); when libxml2 cannot decode it so, as UTF-8, with one warning.
 * UTF-32 HTML is skipped.
 * Anything else is skipped (FH_NOTICE_SKIPPED, "unsupported file type").
 */
#ifndef FIHRIS_READER_H
#define FIHRIS_READER_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/error.h"
#include "fihris/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whole files larger than this are skipped (JSONL is streamed and has no
 * file limit, but a single line may not exceed it either). */
#define FH_READER_MAX_BYTES (64u * 1024u * 1024u)

/* The extra fields of a JSONL document (those beyond id, title, body, url,
 * date, source and lang) are kept, in their order, while their JSON text
 * stays within this many bytes; the fields past it are dropped, with a
 * warning. */
#define FH_READER_MAX_EXTRA_BYTES (64u * 1024u)

/* The path that names standard input, and the name notices give it. */
#define FH_READER_STDIN "-"
#define FH_READER_STDIN_NAME "<stdin>"

typedef struct {
    const char *id;     /* JSONL "id", else the file path as given */
    const char *title;  /* may be empty, never NULL */
    const char *body;   /* never NULL */
    size_t title_len, body_len;
    const char *url;    /* NULL when absent */
    const char *date;   /* normalized "YYYY-MM-DD", "YYYY-MM" or "YYYY"; NULL when absent */
    const char *source; /* NULL when absent */
    const char *lang;   /* NULL when absent */
    const char *path;   /* the file it came from, as given (file system bytes) */
    size_t line;        /* JSONL line number (1-based); 0 for whole files */
    const char *extra;  /* JSONL: the other fields, the text of a JSON object
                         * (at most FH_READER_MAX_EXTRA_BYTES); NULL when none */
    size_t extra_len;
} fh_document;

typedef enum {
    FH_NOTICE_WARNING, /* document kept, something repaired or dropped (bad date, bad UTF-8) */
    FH_NOTICE_SKIPPED, /* file deliberately not indexed: unsupported type, empty, binary, too large */
    FH_NOTICE_FAILED   /* a document that should have been read could not be: unreadable
                          file, malformed JSON line, missing required field */
} fh_notice_kind;

typedef struct {
    /* Return non-zero to stop reading (e.g. on interrupt); the reader then
     * returns FH_OK without reading further. */
    int (*document)(void *ctx, const fh_document *doc);
    /* path and a one-line message; line is 0 when not about a line. */
    void (*notice)(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                   const char *message);
    void *ctx;
} fh_reader_sink;

/* Read one file.  Problems with the file are reported through the sink and
 * are not errors; the return status is non-OK only when reading cannot go
 * on at all (out of memory) or the sink asked to stop (FH_OK then too). */
FH_API fh_status fh_read_file(const char *path, const fh_reader_sink *sink, fh_error *err);

/* JSON documents held in memory (what searchd is sent over HTTP), each
 * object read, checked and normalized as a line of a .jsonl file is, with
 * the same notices; documents and notices have no path (NULL), and their
 * line is the JSONL line, or the position of the element in the array (from
 * 1).  At most max_docs documents: more (lines not blank, or elements) fail
 * with FH_ERR_TOO_LARGE before any is read.  Text that is not JSON at all
 * fails with FH_ERR_INVALID, saying why: a JSONL text none of whose lines is
 * JSON (the sink has then had only the notices of its lines), or a JSON
 * text that does not parse, or parses to neither an array nor an object
 * (then nothing was read).  A document the sink asks to stop at ends the
 * reading with FH_OK. */
FH_API fh_status fh_read_jsonl_text(const char *data, size_t len, size_t max_docs,
                                    const fh_reader_sink *sink, fh_error *err);
/* A JSON array of document objects, or one document object. */
FH_API fh_status fh_read_json_text(const char *data, size_t len, size_t max_docs,
                                   const fh_reader_sink *sink, fh_error *err);

/* True when the extension of path names a supported format. */
FH_API int fh_reader_supports(const char *path);

/* The files under the given paths: files as given (whatever their type) and,
 * for directories, every regular file below them, recursively, in sorted
 * order, without following symbolic links to directories; "-" as given
 * (standard input, its size when it is a file, else 0).  Paths that do not
 * exist are reported through sink->notice as FH_NOTICE_FAILED.  *total_bytes
 * receives the sum of file sizes (for progress estimates). */
typedef struct {
    char **paths;
    uint64_t *sizes;
    size_t count;
    uint64_t total_bytes;
} fh_file_list;

FH_API fh_status fh_collect_files(const char *const *paths, size_t n, const fh_reader_sink *sink,
                                  fh_file_list *out, fh_error *err);
FH_API void fh_file_list_free(fh_file_list *list);

#ifdef __cplusplus
}
#endif

#endif
