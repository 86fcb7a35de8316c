/*
 * suggest.h - "did you mean": the index word a user most likely meant when a
 * query word is rare or absent in the index.
 *
 * What it promises:
 *   - A suggestion is an exact-form term of the index (what the analyzer
 *     makes of a word: NFKC case-folded, Arabic normalized), written in the
 *     same script as the query word, made only of letters, held by at least
 *     min_docs documents and by more documents than the query word itself.
 *     Prefixed side terms (those beginning with an ASCII capital: Z stems,
 *     S title words, Q ids, XSRC...) are never suggested.
 *   - Only words of FH_SUGGEST_MIN_LETTERS to FH_SUGGEST_MAX_LETTERS letters,
 *     all Latin (lower case) or all Arabic, are corrected: numbers, words
 *     holding a digit or a mark, other scripts and ill-formed UTF-8 get no
 *     suggestion, and no error.
 *   - Distance is Damerau-Levenshtein (optimal string alignment) over code
 *     points, counted in half steps: deleting, inserting or substituting a
 *     letter, or swapping two adjacent ones, costs 2; substituting one Arabic
 *     letter for another that writers confuse costs 1 (ض/ظ ذ/ز س/ص ت/ط ق/ك
 *     ح/ه ه/ة ت/ة and the hamza seats ئ/ي ؤ/و ء/ا), so that such a slip
 *     ranks ahead of any other single edit.
 *   - Every word is tried at one edit (cost up to 2), by generating each edit
 *     with the letters of its script and asking the index for it, the
 *     likeliest first (deletions, swaps, confusions, then substitutions and
 *     insertions of the most frequent letters first), at most
 *     FH_SUGGEST_LOOKUPS look-ups a word: a rare edit of a long word may go
 *     untried.  A word of
 *     FH_SUGGEST_FAR_LETTERS letters or more is also compared with the index
 *     words sharing its first letters (cost up to 4): its first two letters,
 *     or up to four while more than a few thousand index words share them
 *     (past that, only the first few thousand, bytewise, are compared).  A
 *     mistake in the first two letters is therefore found within one edit
 *     only.
 *   - The winner has the smallest cost, then the most documents, then comes
 *     first bytewise: the same index always gives the same answer.
 *   - Substitutions and insertions use the 26 ASCII letters and the common
 *     accented Latin letters for a Latin word, and for an Arabic word the
 *     letters that survive normalization (ء ؤ ئ ا ب ة ت ... ن ه و ي: no آ أ
 *     إ ى, which normalization folds away).
 *
 * On success out->data is a NUL-terminated string ("" when there is no
 * suggestion, and *docs is then 0); on failure out is left empty too.
 *
 * Memory: the caller owns out (an fh_buf, replaced, never appended to) and
 * the database handle; nothing is kept between calls, so the function is as
 * thread-safe as the fh_db it is given (one per thread).
 */
#ifndef FIHRIS_SUGGEST_H
#define FIHRIS_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/buf.h"
#include "fihris/db.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    FH_SUGGEST_LOOKUPS = 250,    /* index look-ups one word may spend at most */
    FH_SUGGEST_MIN_LETTERS = 3,  /* shorter words get no suggestion */
    FH_SUGGEST_FAR_LETTERS = 6,  /* from this length, two edits away too */
    FH_SUGGEST_MAX_LETTERS = 40  /* longer words get no suggestion */
};

/* The index word most likely meant by a query word (an exact form as the
 * analyzer makes it: NFKC case-folded, Arabic normalized) that the index
 * holds in fewer than min_docs documents: the candidate within a small edit
 * distance held by the most documents, and by at least min_docs of them and
 * more than the word itself.  out receives it (replacing its content) and
 * *docs its document count; out is left empty when there is none. */
fh_status fh_suggest_word(fh_db *db, const char *form, size_t len, uint32_t min_docs,
                          fh_buf *out, uint32_t *docs, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
