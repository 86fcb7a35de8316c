/*
 * spans.h - where each word of a stored text lies, and what it is.
 *
 * For every token the analysis gives a title or body (analyze.h), the
 * indexer stores its bytes in the text and 32-bit keys of its form and stem.
 * A snippet then finds the query's words among them by key, in the order
 * and with the positions the analysis gave, without analyzing the text
 * again at search time or reading the index.
 *
 * Encoding (a byte string kept with the stored fields), for each token in
 * text order: three LEB128 numbers, the position minus the previous token's
 * (0: same position, a variant or a compound's first piece), the start
 * minus the previous start, and length * 4 + stem kind (0 no stem, 1 the
 * stem is the form, 2 a stem of its own); then the form key and, for kind
 * 2, the stem key, 4 bytes each, least significant first.  Positions and
 * starts never decrease.  Only tokens within the first FH_SPANS_TEXT_BYTES
 * bytes are stored, as snippets read no further.
 */
#ifndef FIHRIS_SPANS_H
#define FIHRIS_SPANS_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_SPANS_TEXT_BYTES (512u * 1024u)

/* The key of a form or stem: two strings with different keys differ; equal
 * keys mean equal strings but for about one pair in four billion. */
uint32_t fh_span_key(const char *s, size_t len);

typedef struct {
    uint32_t pos;       /* the word position, as given to Xapian */
    size_t start, end;  /* its bytes in the stored text */
    uint32_t form_key;  /* fh_span_key of the normalized form */
    uint32_t stem_key;  /* of the stem, when has_stem */
    int has_stem;
} fh_span;

/* Writing: zero-initialize, then add tokens in text order. */
typedef struct {
    fh_buf out;
    uint32_t last_pos;
    size_t last_start;
} fh_spans_writer;

/* Appends tok, at Xapian position pos, its bytes offset by `offset` (where
 * the analyzed piece begins in the text).  A token past FH_SPANS_TEXT_BYTES
 * or out of order is skipped.  FH_ERR_NOMEM only. */
fh_status fh_spans_add(fh_spans_writer *w, const fh_token *tok, uint32_t pos, size_t offset);
void fh_spans_writer_free(fh_spans_writer *w);

/* Reading: fh_spans_next gives the tokens of data[0, len) in order. */
typedef struct {
    const unsigned char *p, *end;
    uint32_t pos;
    size_t start;
} fh_spans_reader;

void fh_spans_reader_init(fh_spans_reader *r, const char *data, size_t len);
/* 1 and *s filled, 0 at the end, -1 when the data is malformed. */
int fh_spans_next(fh_spans_reader *r, fh_span *s);

#ifdef __cplusplus
}
#endif

#endif
