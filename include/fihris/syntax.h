/*
 * syntax.h - the query language: what a researcher types, read into a tree.
 *
 * This module reads only the syntax; the words inside it are analyzed later
 * by the same analyzer as documents (query.h).  Leaves keep the bytes of the
 * query they stand for, so nothing is copied or normalized here.
 *
 *   ميتا OpenAI             both words (plain words are joined by AND)
 *   Meta OR ميتا            either; OR binds tighter than AND
 *   ميتا AND OpenAI         AND may also be written
 *   ماسك -Tesla, NOT Tesla  without (a minus before a digit is a sign: -5;
 *                           NOT 2024 excludes a number)
 *   +word                   must match, even when a search falls back to any word
 *   ( ... )                 grouping
 *   "مختبرات الذكاء"         a phrase: these words in this order
 *   a NEAR/5 b              within 5 words of each other, in any order
 *   title: source: lang: id: date:   fields (date:2025, date:2025-06..2025-08,
 *                           date:>2025-01-01, date:<=2024-12)
 *   زوكر*  Zucker*          words beginning so
 *   =word                   the exact form only: no stem, no other spellings
 *
 * Operators are AND, OR, NOT and NEAR/n in capitals; in lower case they are
 * words.  Reading never fails on what a user may type by mistake: an
 * unbalanced quote or parenthesis, a lone operator, a field with no value are
 * read in the most likely way and a note says so (fh_syntax_tree.notes).
 * Nothing left to search for (no word at all: "", **, (), OR, -) reads as an
 * empty tree, which matches nothing.  Reading fails (FH_ERR_INVALID, with a
 * one-line message) only when parentheses nest deeper than
 * FH_SYNTAX_MAX_DEPTH.  Only exclusions (-Tesla) read as an AND_NOT whose
 * first kid is an AND of no kids: whether they exclude a word is for the
 * analysis to say (query.h).
 */
#ifndef FIHRIS_SYNTAX_H
#define FIHRIS_SYNTAX_H

#include <stddef.h>

#include "fihris/buf.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FH_SYN_WORD,   /* one word: bytes [a, b) of the query */
    FH_SYN_PHRASE, /* the words between quotes, in order: bytes [a, b) */
    FH_SYN_FIELD,  /* field:value, the value in bytes [a, b) */
    FH_SYN_AND,    /* every kid */
    FH_SYN_OR,     /* any kid */
    FH_SYN_NEAR,   /* every kid, within `distance` words */
    FH_SYN_AND_NOT /* kids[0] and none of the others */
} fh_syn_kind;

typedef enum { FH_FIELD_TITLE, FH_FIELD_SOURCE, FH_FIELD_LANG, FH_FIELD_ID, FH_FIELD_DATE } fh_field;

/* Node flags. */
enum {
    FH_SYN_EXACT = 1,    /* =word: the form as written only */
    FH_SYN_PREFIX = 2,   /* word*: words that begin so (the * is not in [a, b)) */
    FH_SYN_REQUIRED = 4, /* +part: must match even when a search falls back to any word */
    FH_SYN_STRICT = 8    /* an AND the user wrote: every part must match, no fallback */
};

typedef struct fh_syn_node {
    fh_syn_kind kind;
    unsigned flags;
    size_t a, b;
    fh_field field;     /* FH_SYN_FIELD */
    unsigned distance;  /* FH_SYN_NEAR */
    struct fh_syn_node **kids;
    size_t nkids;
} fh_syn_node;

#define FH_SYNTAX_MAX_DEPTH 32
#define FH_SYNTAX_MAX_NEAR 100

/* A read query.  Owns its nodes; root is NULL when nothing is left to search for. */
typedef struct {
    fh_syn_node *root;
    fh_buf notes; /* what was read other than as written, "; "-separated, or empty */
    struct fh_syn_pool *pool;
} fh_syntax_tree;

fh_status fh_syntax_read(const char *query, size_t len, fh_syntax_tree *out, fh_error *err);
void fh_syntax_free(fh_syntax_tree *t);

/* The tree as one line, for --explain and tests:
 *   AND_NOT(word"ماسك", word"Tesla")  with the query's bytes as written. */
fh_status fh_syntax_describe(const fh_syntax_tree *t, const char *query, fh_buf *out);

const char *fh_field_name(fh_field f); /* "title", "source", "lang", "id", "date" */

#ifdef __cplusplus
}
#endif

#endif
