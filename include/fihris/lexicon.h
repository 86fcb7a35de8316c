/*
 * lexicon.h - the index's directory of name spellings.
 *
 * While indexing, every name-like word of the documents is filed under its
 * name keys (namekey.h) in Xapian's synonym table ("XN" + key -> word), once
 * per word, not per document.  At query time a word's keys lead to the
 * spellings filed under them, and those close enough to the word
 * (fh_name_close) are other spellings of the same name: Zuckerberg finds
 * زوكربيرغ and زوكربيرج, تولوش finds تولوخ.
 *
 * Name-like: a Latin word written with a capital where no sentence begins,
 * or with a capital inside it (iPhone), and, when searched, so written by
 * most documents that hold it; or an Arabic word of four letters or more, or
 * of three that writes a long vowel (كوك, آبل), that the stemmer leaves alone but for its
 * proclitics and a name's ending (foreign names take no Arabic suffixes, but
 * may end like one: the ي of موراتي, the يون of نابليون), and that ends in no
 * verb or pronoun suffix (يتوبوا, أمهاتهم).
 */
#ifndef FIHRIS_LEXICON_H
#define FIHRIS_LEXICON_H

#include <stddef.h>

#include "fihris/analyze.h"
#include "fihris/buf.h"
#include "fihris/db.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_PREFIX_NAMEKEY "XN"

/* Whether a document token is name-like, and if not, why. */
typedef enum {
    FH_NAME_LIKE_YES,
    FH_NAME_LIKE_NOT_A_WORD, /* no stem (a number), a compound, another script */
    FH_NAME_LIKE_LOWER,      /* Latin, not written with a capital where names are */
    FH_NAME_LIKE_SHORT,      /* Arabic, of three letters and no long vowel, or fewer */
    FH_NAME_LIKE_SUFFIX      /* Arabic, with an ordinary suffix (of verbs, pronouns,
                              * plurals) the stemmer takes off or leaves on */
} fh_name_like;

fh_name_like fh_token_name_like(const fh_token *tok);
int fh_token_is_name_like(const fh_token *tok);

/* The words a writer has filed, or will file at the next flush.  Not
 * thread-safe: one per writer. */
typedef struct fh_lexicon fh_lexicon;

fh_status fh_lexicon_new(fh_lexicon **out, fh_error *err);
void fh_lexicon_free(fh_lexicon *lex);

/* Note a document token (ignored unless name-like); cheap for words seen. */
fh_status fh_lexicon_note(fh_lexicon *lex, const fh_token *tok);

/* File in db the words noted since the last flush. */
fh_status fh_lexicon_flush(fh_lexicon *lex, fh_db *db, fh_error *err);

/* The bytes of filings noted and not yet flushed. */
size_t fh_lexicon_pending_bytes(const fh_lexicon *lex);

/* Note every name-like word db holds: the Latin words some document writes
 * with a capital (its XC terms) and the Arabic words that analyze as
 * names.  What a writer killed before its flush did not file is filed
 * again so (the indexer skips the documents it committed as unchanged). */
fh_status fh_lexicon_note_vocabulary(fh_lexicon *lex, fh_db *db, fh_analyzer *an,
                                     fh_error *err);

/* Metadata set while a writer has committed documents whose names it has
 * not filed yet: "1", or absent. */
#define FH_METADATA_NAMES_PENDING "fihris:names-pending"

/* Other spellings of word found in db (with arabic_name, an Arabic word is
 * also read as an Arabic name against Latin spellings: fh_name_arabic_close,
 * fh_name_arabic_distance): appended to out as NUL-terminated
 * strings one after another, *count of them: Latin words mostly written in
 * lower case left out, the closest ones only (within FH_SPELLING_MARGIN of
 * the best in their script), the Arabic spellings that are one of them
 * (fh_name_one_arabic_spelling_any_g: other proclitics, long vowels, g
 * letters) or the word itself (fh_name_one_arabic_spelling), and for an
 * Arabic word the Arabic spellings kept
 * for a Latin one that sounds the same (fh_name_sounds_same: موزارت,
 * Mozart, موتسارت).  *filed tells whether the word itself is filed (a name as the
 * documents write it); *strong whether the evidence
 * that the word is a name goes beyond a loose resemblance: a spelling in the
 * other script, one that differs in no vowel, or a long skeleton. */
fh_status fh_lexicon_spellings(fh_db *db, const char *word, size_t len, fh_script script,
                               int arabic_name, fh_buf *out, size_t *count, int *filed,
                               int *strong, fh_error *err);

#define FH_SPELLING_MARGIN 0.1
/* Candidates compared with a word at most (each by edit distance, once):
 * the keys of a short name can file hundreds of words. */
#define FH_LEXICON_COMPARED 400
/* Latin spellings of an Arabic name write its vowels as they please
 * (Qaddafi, Gaddafi; Mohamed, Muhammad): they are kept within this of the
 * closest when an Arabic word is read as an Arabic name. */
#define FH_ARABIC_NAME_MARGIN 0.25

/* Whether most documents that hold the Latin word write it with a capital
 * where no sentence begins (terms.h, XC): a name, not an ordinary word. */
fh_status fh_lexicon_capitalized(fh_db *db, const char *word, size_t len, int *mostly,
                                 fh_error *err);

/* Names in the other script whose spelling begins as the prefix (a
 * normalized word of three letters or more) sounds: Zucker, زوكربيرغ.  The
 * words the index holds, at most want, the closest first, then those the
 * most documents hold (equals in byte order), appended to out as
 * NUL-terminated strings, *count of them.  At most 64 keys of the lexicon
 * are read: a short prefix begins many. */
fh_status fh_lexicon_complete(fh_db *db, const char *prefix, size_t len, size_t want,
                              fh_buf *out, size_t *count, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
