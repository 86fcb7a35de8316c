/*
 * output.h - search results as users and programs read them: text for
 * people, JSON for programs, bare ids for scripts.
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
 * it is exact), elapsed_ms, fallback, hits
 * [{rank, id, title, score, snippet, url, date, source, lang}].  pretty:
 * indented; otherwise a single line (for --batch). */
fh_status fh_print_json(FILE *out, const char *query, const fh_search_result *r, int pretty,
                        fh_error *err);

/* One id a line, best first; with line_no > 0, "line_no<TAB>id". */
void fh_print_ids(FILE *out, const fh_search_result *r, long line_no);

#ifdef __cplusplus
}
#endif

#endif
