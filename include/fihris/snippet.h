/*
 * snippet.h - the best passage of a document for a query, with the words
 * that matched highlighted.
 *
 * The passage is cut from the ORIGINAL text at word boundaries, so it keeps
 * the document's spelling and diacritics, stays valid UTF-8 and keeps the
 * logical order of mixed-direction text.  Matching uses the same analysis as
 * the index (a word matches by exact form or by stem): done again on the
 * text, or read from the tokens the indexer stored with it (spans.h), which
 * spares a search the analysis of every hit.  Runs of white space are shown
 * as one space; control characters are dropped.
 */
#ifndef FIHRIS_SNIPPET_H
#define FIHRIS_SNIPPET_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/query.h"
#include "fihris/search.h"
#include "fihris/spans.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The marks: fh_mark_style (search.h). */

/* The passage of at most max_words words around the densest cluster of
 * matches (the start of the text when nothing matches), appended to out.
 * "…" marks a cut.  Reading stops a passage past the first place where
 * every query word appears (a later passage is not looked for), and at
 * FH_SNIPPET_SCAN_BYTES of text. */
#define FH_SNIPPET_SCAN_BYTES FH_SPANS_TEXT_BYTES

fh_status fh_snippet(fh_analyzer *an, const fh_parsed_query *q, const char *text, size_t len,
                     size_t max_words, fh_mark_style style, fh_buf *out, fh_error *err);

/* The keys (spans.h) of the forms and stems each query word matches by, so
 * that stored tokens are matched as fh_query_match_token matches analyzed
 * ones (a token matching several words is the first word's), each in a
 * lookup however many words a prefix expands to. */
typedef struct {
    uint32_t key;
    int word;    /* index into q->words */
    int is_stem; /* matches a token's stem, else its form */
} fh_word_key;

typedef struct {
    fh_word_key *keys; /* sorted for lookup */
    size_t n;
    int usable; /* 0: out of memory making them: analyze the text instead */
} fh_word_keys;

void fh_word_keys_of(const fh_parsed_query *q, fh_word_keys *out);
void fh_word_keys_free(fh_word_keys *k);

/* The same passage as fh_snippet, from the tokens the indexer stored for
 * text (spans.h) instead of analyzing it.  FH_ERR_CORRUPT when they do not
 * fit the text. */
fh_status fh_snippet_stored(const fh_parsed_query *q, const fh_word_keys *keys, const char *text,
                            size_t len, const char *spans, size_t spans_len, size_t max_words,
                            fh_mark_style style, fh_buf *out, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
