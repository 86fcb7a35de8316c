/*
 * docdata.h - the stored fields of a document (the Xapian data blob): what
 * the indexer writes and the searcher reads back for titles, snippets and
 * metadata.
 *
 * The encoding is read for every hit shown, so it is cheap to decode: a
 * format byte (FH_DOCDATA_FORMAT), then each field in a fixed order (id,
 * title, body, url, date, source, lang, path, title spans, body spans,
 * extra) as a LEB128 number, 0 for an absent field or its length + 1,
 * followed by its bytes: UTF-8 for the text fields, which stay readable in
 * xapian-delve's dump, and the encoding of spans.h for the spans.  Later
 * fields are added at the end, so the format byte stays: decoders skip what
 * they do not know, and data that ends before a field (written before it
 * was added) holds it absent.  Databases written before this format hold a
 * JSON object, which decoding still reads.
 */
#ifndef FIHRIS_DOCDATA_H
#define FIHRIS_DOCDATA_H

#include <stddef.h>

#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/stored.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fields of one document.  Strings are UTF-8; NULL means absent.  title and
 * body carry lengths because they may be large. */
typedef struct {
    const char *id;
    const char *title;
    size_t title_len;
    const char *body;
    size_t body_len;
    const char *url, *date, *source, *lang, *path;
    const char *title_spans, *body_spans; /* spans.h; NULL: not stored */
    size_t title_spans_len, body_spans_len;
    /* The fields of a JSONL document beyond the ones above, as the text of
     * a JSON object (values as given, nested ones included); NULL: none. */
    const char *extra;
    size_t extra_len;
} fh_docdata;

#define FH_DOCDATA_FORMAT '\x01'

/* Encode d (appended to out); FH_ERR_INVALID when a field is not UTF-8. */
fh_status fh_docdata_encode(const fh_docdata *d, fh_buf *out, fh_error *err);

/* The stored fields (stored.h) of data.  FH_ERR_CORRUPT for data that is
 * neither form or lacks an id; on failure *out holds nothing to free. */
fh_status fh_docdata_decode(const char *data, size_t len, fh_stored *out, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
