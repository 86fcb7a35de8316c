/*
 * snippet.h - the best passage of a document for a query, with the words
 * that matched highlighted.
 *
 * The passage is cut from the ORIGINAL text at word boundaries, so it keeps
 * the document's spelling and diacritics, stays valid UTF-8 and keeps the
 * logical order of mixed-direction text.  Matching uses the same analysis as
 * the index (a word matches by exact form or by stem).  Runs of white space
 * are shown as one space; control characters are dropped.
 */
#ifndef FIHRIS_SNIPPET_H
#define FIHRIS_SNIPPET_H

#include <stddef.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/query.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FH_MARK_NONE,  /* plain text, no marks */
    FH_MARK_PLAIN, /* **word** */
    FH_MARK_ANSI,  /* bold on a terminal */
    FH_MARK_HTML   /* text HTML-escaped, matches in <b>...</b> */
} fh_mark_style;

/* The passage of at most max_words words around the densest cluster of
 * matches (the start of the text when nothing matches), appended to out.
 * "…" marks a cut.  Reading stops a passage past the first place where
 * every query word appears (a later passage is not looked for), and at
 * FH_SNIPPET_SCAN_BYTES of text. */
#define FH_SNIPPET_SCAN_BYTES (512u * 1024u)

fh_status fh_snippet(fh_analyzer *an, const fh_parsed_query *q, const char *text, size_t len,
                     size_t max_words, fh_mark_style style, fh_buf *out, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
