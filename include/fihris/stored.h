/*
 * stored.h - a document's stored fields as a search reads them back
 * (fh_searcher_document; docdata.h says how they are encoded).
 */
#ifndef FIHRIS_STORED_H
#define FIHRIS_STORED_H

#include <stddef.h>

#include "fihris/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decoded stored fields; owns its strings (absent fields are NULL, title and
 * body are never NULL; the spans are NULL in databases written before them).
 * path is the file the document was read from (NULL for one given by its
 * fields); the spans are where its words lie, for snippets; extra, the text
 * of a JSON object, holds the fields a JSONL line gave beyond the known ones
 * (NULL when it gave none, or was stored before they were kept).  Free with
 * fh_stored_free. */
typedef struct {
    char *id, *title, *body, *url, *date, *source, *lang, *path;
    size_t title_len, body_len;
    char *title_spans, *body_spans;
    size_t title_spans_len, body_spans_len;
    char *extra;
    size_t extra_len;
} fh_stored;

FH_API void fh_stored_free(fh_stored *s);

#ifdef __cplusplus
}
#endif

#endif
