/*
 * terms.h - how analyzed text becomes Xapian terms: the index's vocabulary,
 * shared by the indexer (which adds terms) and the searcher (which asks for
 * them), so the two can never disagree.
 *
 * Scheme (Xapian's convention: prefixes are capitals, terms are case-folded):
 *   form          exact normalized form, with positions (title and body)
 *   Z<stem>       stem, without positions (title and body)
 *   S<form>       exact form in the title, with positions (for title: searches)
 *   Q<id>         unique document id; an id too long for a term (or holding
 *                 the byte 0xFF) is Q, 0xFF, its first 180 bytes, '#' and two
 *                 64-bit hashes in hex: 0xFF is never valid UTF-8, so no id
 *                 written literally can equal another id's hashed term
 *   XSRC<source>, L<lang>, Y<yyyy>, M<yyyymm>, D<yyyymmdd>: for filters, wdf 0
 *   XC<form>      a Latin word the document writes with a capital where no
 *                 sentence begins, wdf 0: in how many of the documents that
 *                 hold a word it is capitalized tells a name (Zuckerberg,
 *                 always) from an ordinary word (Peace, now and then);
 *                 only in an index that files names (see fh_index_text)
 * Title words count FH_TITLE_WDF times, so a match in the title weighs more
 * than one in the body.  Body positions start FH_BODY_POS_GAP after the last
 * title position, so that no phrase spans the two.
 */
#ifndef FIHRIS_TERMS_H
#define FIHRIS_TERMS_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"
#include "fihris/db.h"
#include "fihris/error.h"
#include "fihris/lexicon.h"
#include "fihris/spans.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_PREFIX_STEM "Z"
#define FH_PREFIX_TITLE "S"
#define FH_PREFIX_ID "Q"
#define FH_ID_HASHED "\xFF" /* after Q: the id is hashed (see above) */
#define FH_PREFIX_SOURCE "XSRC"
#define FH_PREFIX_LANG "L"
#define FH_PREFIX_YEAR "Y"
#define FH_PREFIX_MONTH "M"
#define FH_PREFIX_DAY "D"
#define FH_PREFIX_CAPITAL "XC"

enum {
    FH_SLOT_DATE = 0,  /* "YYYYMMDD" (month/day 00 when unknown), for sorting and ranges */
    FH_SLOT_DIGEST = 1, /* content digest, to skip unchanged documents */
    FH_SLOT_ID = 2,     /* the document id, for results that need nothing else */
    FH_SLOT_SOURCE = 3, /* source, language and year as the document gives them, */
    FH_SLOT_LANG = 4,   /* to count matches by them */
    FH_SLOT_YEAR = 5
};

enum { FH_TITLE_WDF = 3, FH_BODY_POS_GAP = 100 };

typedef enum { FH_ZONE_TITLE, FH_ZONE_BODY } fh_zone;

/* Exact-form term of a token (replaces out's content). */
fh_status fh_term_exact(const fh_token *tok, fh_buf *out);
/* Stem term of a token; FH_ERR_NOT_FOUND when the token has no stem. */
fh_status fh_term_stem(const fh_token *tok, fh_buf *out);
/* Title term of a token (replaces out's content). */
fh_status fh_term_title(const fh_token *tok, fh_buf *out);
/* The unique id term of a document id. */
fh_status fh_term_id(const char *id, fh_buf *out);
/* Databases made before hashed id terms were marked (analysis version 10
 * and earlier) filed a long id under "Q<head>#<hashes>", which a short id
 * could also be.  *found is 1, and term that former term, when db holds the
 * document of id under it (its stored id says so); else 0. */
fh_status fh_find_legacy_id(fh_db *db, const char *id, fh_buf *term, int *found, fh_error *err);

/* A filter term (source, language, date): prefix and value, ASCII letters
 * in lower case, so that source:Reuters finds "reuters" (replaces out's content). */
fh_status fh_term_filter(const char *prefix, const char *value, size_t len, fh_buf *out);

/* A language as the index files it, however a document or a query names
 * it: "ar" for AR, ar-EG, Arabic, العربية; "en" for English (replaces out's
 * content). */
fh_status fh_lang_code(const char *value, size_t len, fh_buf *out);

/* The XC term of a normalized form. */
fh_status fh_term_capital(const char *form, size_t len, fh_buf *out);

/* The shard (0..n-1) that holds the document with this id: a stable hash,
 * so re-indexing or deleting a document always reaches the same shard. */
size_t fh_shard_of(const char *id, size_t n);

/* Analyze text and add its terms to doc, starting at word position
 * first_pos; *next_pos receives the position after the last word.  Name-like
 * words are noted in lex for the name lexicon.  lex may be NULL: no names
 * are noted, and no XC terms are added either, since they serve only to
 * tell names among the spellings the lexicon holds.  spans, when not NULL,
 * receives where each word lies in text (spans.h). */
fh_status fh_index_text(fh_analyzer *an, fh_doc *doc, fh_zone zone, const char *text,
                        size_t len, uint32_t first_pos, uint32_t *next_pos, fh_lexicon *lex,
                        fh_spans_writer *spans, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
