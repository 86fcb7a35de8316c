/*
 * spellings.h - the other spellings and scripts of names in a query.
 *
 * A query word that may be a name (fh_query_word.maybe_name) also matches
 * its other spellings and scripts found in the index's name lexicon
 * (lexicon.h): Zuckerberg, زوكربيرغ and زوكربيرج.  They join the word as a
 * group weighted FH_SPELLING_WEIGHT (query.h), so that exact and stemmed
 * matches rank above them (an OR: each spelling weighs by its own
 * statistics, which stay the same however the index is sharded); the
 * closest of them form a second group of FH_CLOSEST_WEIGHT, so that a
 * spelling written as the name sounds ranks above a word that merely reads
 * like it.
 *
 * A word is left as it is when the documents show it to be an ordinary
 * word: written in lower case, inflected, or, Arabic, held by more than 5%
 * of them (10 at least) unless a Latin spelling that sounds the same and is
 * held by a tenth as many vouches for it as a name; fh_query_word.name says
 * which (--explain).  An Arabic word no document holds is also read as an
 * Arabic name in Latin letters (fh_name_arabic_close: محمد, Mohamed), even
 * when it is short or ends like an inflected word (عمر, عرفات), and keeps of
 * the Arabic words found only its own spellings.  An Arabic name whose stem
 * ordinary words share, or that the index holds only in Latin letters, is
 * not searched by its stem.
 */
#ifndef FIHRIS_SPELLINGS_H
#define FIHRIS_SPELLINGS_H

#include "fihris/analyze.h"
#include "fihris/db.h"
#include "fihris/error.h"
#include "fihris/query.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What was found for words, kept for the next queries: the same word in the
 * same database state has the same spellings.  Its owner clears it when the
 * database changes.  Not thread-safe (one per searcher). */
typedef struct fh_spelling_memo fh_spelling_memo;

fh_status fh_spelling_memo_new(fh_spelling_memo **out, fh_error *err);
void fh_spelling_memo_clear(fh_spelling_memo *m);
void fh_spelling_memo_free(fh_spelling_memo *m);

/* Fill the spellings of the words of q that may be names (an analyzes the
 * candidates, to rule out inflected Arabic words), closest first; memo, if
 * not NULL, answers for words seen before and keeps the new ones.  Past
 * lim->until_ms (lim may be NULL) the words not yet looked up get none, and
 * lim->time_cut says so. */
fh_status fh_query_add_spellings(fh_parsed_query *q, fh_db *db, fh_analyzer *an,
                                 fh_spelling_memo *memo, fh_query_limits *lim, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
