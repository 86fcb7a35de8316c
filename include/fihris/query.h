/*
 * query.h - from what a user typed to a Xapian query.
 *
 * The query language (syntax.h) is read into a tree; the text of each of its
 * words and phrases then goes through the same analyzer as documents
 * (analyze.h), and the tokens are named with the same term scheme (terms.h).
 * The result is a tree of fh_qnode over a flat list of query words.
 *
 * A plain word becomes OR(exact form, stem): a document with the exact form
 * collects both weights, so exact matches rank above stem-only ones.  A word
 * spelled two ways (dagger alef) weighs each spelling half, so a document
 * writing both at once (as a dagger-alef word is indexed) counts it once.  A compound such as GPT-4 is searched as a whole.  A word
 * that may be a name also matches its other spellings and scripts
 * (spellings.h), weighted below exact and stemmed matches.
 *
 *   =word      the exact forms only: no stem, no other spellings
 *   "a b c"    a phrase over exact forms (stems carry no positions)
 *   a NEAR/n b exact forms and other spellings within n words, in any order
 *   word*      the index words that begin so (with an Arabic proclitic or
 *              article too: ذكا* finds الذكاء), at most FH_PREFIX_MAX_WORDS
 *   title:w    w in the title, as written or in another spelling
 *   source: lang: id: date:   filters: they select documents, never score
 */
#ifndef FIHRIS_QUERY_H
#define FIHRIS_QUERY_H

#include <stddef.h>

#include "fihris/analyze.h"
#include "fihris/db.h"
#include "fihris/error.h"
#include "fihris/syntax.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Word flags. */
enum {
    FH_WORD_EXACT_ONLY = 1, /* =word, or a word of a phrase: exact forms only */
    FH_WORD_PREFIX = 2,     /* word*: exact holds the index words that begin so */
    FH_WORD_TITLE = 4,      /* title:word: matched among title terms */
    FH_WORD_EXCLUDED = 8    /* under NOT: neither highlighted nor explained */
};

/* Whether a query word was searched as a name, in other spellings and
 * scripts, and if not, why (what --explain says). */
typedef enum {
    FH_NAME_YES,          /* looked up in the name lexicon (spellings: what was found) */
    FH_NAME_AS_WRITTEN,   /* =word, a word of a phrase or a prefix */
    FH_NAME_OFF,          /* names switched off for this search */
    FH_NAME_NOT_A_WORD,   /* a number or a compound */
    FH_NAME_SHORT,        /* Arabic, of three letters without a long vowel, or fewer */
    FH_NAME_SUFFIX,       /* Arabic, with an ordinary word's suffix */
    FH_NAME_LOWER,        /* the documents hold it, not written as a name (Latin: in
                           * lower case where no sentence begins) */
    FH_NAME_INFLECTED,    /* Arabic: its stem is in many more documents (name_stem_df)
                           * than the word (name_df): an inflected word */
    FH_NAME_COMMON,       /* Arabic: in many documents (name_df), and neither a Latin
                           * spelling that sounds the same nor a long skeleton vouches
                           * for it */
    FH_NAME_LOOSE,        /* Arabic: only loose resemblances in the lexicon */
    FH_NAME_TIME          /* the time for looking words up ran out */
} fh_name_verdict;

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
    fh_name_verdict name; /* what came of it */
    uint32_t name_df, name_stem_df; /* the documents holding the word and its stem,
                                     * when they decided the verdict */
    unsigned flags; /* FH_WORD_* */
    size_t a, b;    /* the bytes of the query it was read from */
} fh_query_word;

#define FH_SPELLING_WEIGHT 0.5
/* The closest spellings weigh this much more (a spelling written as the
 * name sounds before a word that merely reads like it): FH_CLOSEST_MARGIN
 * from the closest of their script. */
#define FH_CLOSEST_WEIGHT 0.2
#define FH_CLOSEST_MARGIN 0.05

typedef enum {
    FH_QN_WORDS,   /* words[first, first + nwords): one word, or a phrase */
    FH_QN_AND,
    FH_QN_OR,
    FH_QN_NEAR,    /* every kid, within `distance` words of each other */
    FH_QN_AND_NOT, /* kids[0] and none of the others */
    FH_QN_FILTER   /* the documents carrying `term`, or dated in [date_lo, date_hi] */
} fh_qnode_kind;

typedef struct fh_qnode {
    fh_qnode_kind kind;
    unsigned flags;        /* FH_SYN_REQUIRED, FH_SYN_STRICT as read */
    size_t first, nwords;  /* FH_QN_WORDS */
    int phrase;            /* FH_QN_WORDS: the words in this order, adjacent */
    unsigned distance;     /* FH_QN_NEAR */
    struct fh_qnode **kids;
    size_t nkids;
    char *term;            /* FH_QN_FILTER by term (else by date) */
    char date_lo[9], date_hi[9]; /* "YYYYMMDD", "" for an open end */
} fh_qnode;

typedef struct fh_parsed_query {
    fh_query_word *words;
    size_t nwords;
    fh_qnode *root;        /* NULL when no word is left (only punctuation) */
    fh_syntax_tree syntax; /* the query as read (notes: what was read otherwise) */
} fh_parsed_query;

/* A query of more words is refused (FH_ERR_INVALID): matching and
 * snippets cost grows with the number of words. */
#define FH_QUERY_MAX_WORDS 64
/* A prefix that begins more index words than this is refused: type more letters. */
#define FH_PREFIX_MAX_WORDS 500
/* All the prefixes of a query together expand to at most this many index
 * words: past it, the most frequent are kept (each prefix keeps its most
 * frequent one at least) and fh_query_limits says how many were left out. */
#define FH_PREFIX_BUDGET 1000

/* What finding the query words in the index may spend, and what it left
 * out: a query whose reading ran out of time or budget still searches,
 * for what it kept. */
typedef struct {
    double until_ms;       /* fh_clock_ms() time past which no more is looked up
                            * (0: no limit): the words left are searched as typed,
                            * prefixes as whole words, names in no other spelling */
    int time_cut;          /* out: the time ran out */
    size_t prefix_words;   /* out: the index words the prefixes begin */
    size_t prefix_kept;    /* out: of them, those searched for */
} fh_query_limits;

void fh_query_limits_init(fh_query_limits *l);

/* Read and analyze a query.  FH_ERR_INVALID, with a one-line message, when
 * the query is empty, only excludes, nests too deep, has too many words or
 * an invalid date.  A query of punctuation only reads as matching nothing. */
fh_status fh_query_parse(fh_analyzer *an, const char *text, size_t len, fh_parsed_query *out,
                         fh_error *err);
void fh_parsed_query_free(fh_parsed_query *q);

/* Find the index words that the prefix words begin (FH_ERR_INVALID above
 * FH_PREFIX_MAX_WORDS for one prefix; FH_PREFIX_BUDGET for all, and
 * lim->until_ms, as fh_query_limits says).  lim may be NULL: no time limit. */
fh_status fh_query_expand_prefixes(fh_parsed_query *q, fh_db *db, fh_query_limits *lim,
                                   fh_error *err);

typedef enum { FH_MATCH_ALL, FH_MATCH_ANY } fh_match_mode;

/* Whether the query may fall back to any-word matching: its top level is an
 * AND the user did not write, of two parts or more that are not required
 * (+part) or filters. */
int fh_query_can_fall_back(const fh_parsed_query *q);

/* The Xapian query.  FH_MATCH_ANY (see fh_query_can_fall_back): any of the
 * top-level parts, with the required ones, filters and exclusions kept. */
fh_status fh_query_build(const fh_parsed_query *q, fh_match_mode mode, fh_query **out,
                         fh_error *err);

/* The parts of a query word, each a subquery that scores on its own: the
 * word's score in a document is the sum of its parts' scores. */
typedef enum { FH_PART_EXACT, FH_PART_STEM, FH_PART_SPELLINGS } fh_word_part;

/* The subquery of one part; *out is NULL when the word has no such part. */
fh_status fh_query_word_part(const fh_query_word *w, fh_word_part part, uint32_t pos,
                             fh_query **out, fh_error *err);

/* Which word of q a document token matches, or -1: the token's exact form
 * or its stem is one of the word's terms.  Excluded words match nothing. */
int fh_query_match_token(const fh_parsed_query *q, const fh_token *tok);

/* For the other modules that fill words: whether list[0, n) holds s, and
 * adding s to it unless it does (FH_ERR_NOMEM). */
int fh_term_list_has(char *const *list, size_t n, const char *s, size_t len);
fh_status fh_term_list_add(char ***list, size_t *n, const char *s, size_t len);
void fh_term_list_free(char **list, size_t n);

#ifdef __cplusplus
}
#endif

#endif
