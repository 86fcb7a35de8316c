/*
 * output.h - search results as users and programs read them: text for
 * people, JSON for programs, bare ids and TSV for scripts.
 */
#ifndef FIHRIS_OUTPUT_H
#define FIHRIS_OUTPUT_H

#include <stdio.h>

#include "fihris/error.h"
#include "fihris/search.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ranked hits with title, score, id and snippet.  The title and snippet are
 * printed as the search marked them (see fh_search_request.marks). */
void fh_print_text(FILE *out, const char *query, const fh_search_result *r);

/* One JSON object: query, total (Xapian's estimate; total_exact says whether
 * it is exact), elapsed_ms, fallback ("any-word" or null), notes (how the
 * query was read otherwise than typed, or null), suggestion (or null),
 * facets {source, lang, year: [{value, count}]} when counted, hits
 * [{rank, id, title, score, snippet, url, date, source, lang}]; with
 * explain also parsed, query_tree, words and each hit's why.  pretty:
 * indented; otherwise a single line (for --batch). */
fh_status fh_print_json(FILE *out, const char *query, const fh_search_result *r, int pretty,
                        fh_error *err);

/* The same JSON object as a string (the caller frees it): what a server
 * answers is what `search --format json` prints. */
fh_status fh_result_json(const char *query, const fh_search_result *r, int pretty, char **out,
                         fh_error *err);

/* The object fh_print_json prints, on one line, with "line": line_no
 * first: a line of `search --batch` output. */
fh_status fh_print_json_line(FILE *out, long line_no, const char *query,
                             const fh_search_result *r, fh_error *err);

/* {"line": line_no, "query": query, "error": message}: a query that could
 * not be searched (no "line" when line_no <= 0, then indented). */
fh_status fh_print_json_error(FILE *out, long line_no, const char *query, const char *message,
                              fh_error *err);

/* {"line": line_no, "query", "count", "exact", "notes"} and, when shards
 * were left out, "missing_shards": the count of matches alone (count is the
 * result's total, exact says whether it is exact; no "line" when line_no
 * <= 0, then indented). */
fh_status fh_print_json_count(FILE *out, long line_no, const char *query,
                              const fh_search_result *r, fh_error *err);

/* One id a line, best first; with line_no > 0, "line_no<TAB>id". */
void fh_print_ids(FILE *out, const fh_search_result *r, long line_no);

/* Tab-separated values, one hit a row, best first: id, score, title (as
 * stored, unmarked), date, source (empty when absent), after line_no when
 * line_no > 0.  A tab, line feed, carriage return or backslash inside a
 * field is written as the two characters \t, \n, \r or \\.  The header
 * row names the columns: "id score title date source", "line" first for
 * a batch, "count" alone for counts. */
void fh_print_tsv(FILE *out, const fh_search_result *r, long line_no);
void fh_print_tsv_header(FILE *out, int batch, int count_only);

#ifdef __cplusplus
}
#endif

#endif
