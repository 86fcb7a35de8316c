/*
 * query.h - from what a user typed to a Xapian query.
 *
 * The query text goes through the same analyzer as documents (analyze.h),
 * and the resulting tokens are named with the same term scheme (terms.h).
 * Each query word becomes OR(exact form, stem): a document with the exact
 * form collects both weights, so exact matches rank above stem-only ones.
 * A word spelled two ways (dagger alef) counts its spellings as one term
 * (OP_SYNONYM).  A compound such as GPT-4 is searched as a whole.
 *
 * A word that may be a name also matches its other spellings and scripts
 * found in the index's name lexicon (lexicon.h): they join the word as one
 * more OP_SYNONYM group weighted FH_SPELLING_WEIGHT, so a document is not
 * rewarded for holding several spellings, a rare spelling gets no outsized
 * weight, and exact and stemmed matches rank above them; the closest of
 * them form a second group of FH_CLOSEST_WEIGHT, so that a spelling written
 * as the name sounds ranks above a word that merely reads like it.  An
 * Arabic name whose stem ordinary words share is not searched by its stem.
 */
#ifndef FIHRIS_QUERY_H
#define FIHRIS_QUERY_H

#include <stddef.h>

#include "fihris/analyze.h"
#include "fihris/db.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One query word: its exact-form terms and stem terms (NUL-terminated,
 * owned by the parsed query). */
typedef struct {
    char *text;   /* the word as analyzed (its first exact form) */
    char **exact;
    size_t nexact;
    char **stems; /* with the stem prefix */
    size_t nstems;
    char **spellings; /* other spellings of a name (exact forms), from the index,
                       * the closest to the word first */
    size_t nspellings;
    size_t nclosest;  /* how many of them are the closest in their script */
    fh_script script;
    int maybe_name; /* worth looking up in the name lexicon */
} fh_query_word;

#define FH_SPELLING_WEIGHT 0.5
/* The closest spellings weigh this much more (a spelling written as the
 * name sounds before a word that merely reads like it): FH_CLOSEST_MARGIN
 * from the closest of their script. */
#define FH_CLOSEST_WEIGHT 0.2
#define FH_CLOSEST_MARGIN 0.05

typedef struct {
    fh_query_word *words;
    size_t nwords;
} fh_parsed_query;

/* A query of more words is refused (FH_ERR_INVALID): matching and
 * snippets cost grows with the number of words. */
#define FH_QUERY_MAX_WORDS 64

fh_status fh_query_parse(fh_analyzer *an, const char *text, size_t len, fh_parsed_query *out,
                         fh_error *err);
void fh_parsed_query_free(fh_parsed_query *q);

/* Find the other spellings of the words that may be names (an analyzes the
 * candidates, to rule out inflected Arabic words). */
fh_status fh_query_add_spellings(fh_parsed_query *q, fh_db *db, fh_analyzer *an, fh_error *err);

typedef enum { FH_MATCH_ALL, FH_MATCH_ANY } fh_match_mode;

/* The Xapian query: every word (FH_MATCH_ALL) or any word (FH_MATCH_ANY).
 * An empty parsed query yields a query matching nothing. */
fh_status fh_query_build(const fh_parsed_query *q, fh_match_mode mode, fh_query **out,
                         fh_error *err);

/* The parts of a query word, each a subquery that scores on its own: the
 * word's score in a document is the sum of its parts' scores. */
typedef enum { FH_PART_EXACT, FH_PART_STEM, FH_PART_SPELLINGS } fh_word_part;

/* The subquery of one part; *out is NULL when the word has no such part. */
fh_status fh_query_word_part(const fh_query_word *w, fh_word_part part, uint32_t pos,
                             fh_query **out, fh_error *err);

/* Which word of q a document token matches, or -1: the token's exact form
 * or its stem is one of the word's terms. */
int fh_query_match_token(const fh_parsed_query *q, const fh_token *tok);

#ifdef __cplusplus
}
#endif

#endif
