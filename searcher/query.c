/*
 * query.c - reading a query: the syntax tree's words and phrases analyzed
 * into query words, its fields into filters, its prefixes expanded over the
 * index (see query.h; query_build.c makes the Xapian query).
 */
#include "fihris/query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/buf.h"
#include "fihris/clock.h"
#include "fihris/lexicon.h"
#include "fihris/terms.h"

int fh_term_list_has(char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return 1;
    return 0;
}

fh_status fh_term_list_add(char ***list, size_t *n, const char *s, size_t len)
{
    if (fh_term_list_has(*list, *n, s, len))
        return FH_OK;
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (grown == NULL)
        return FH_ERR_NOMEM;
    *list = grown;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    grown[(*n)++] = copy;
    return FH_OK;
}

void fh_term_list_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* ---- words ---- */

/* read_words only: a word of a phrase (not kept on the word). */
enum { FH_WORD_IN_PHRASE = 1u << 8 };

/* Reading one word or phrase of the query into query words. */
typedef struct {
    fh_parsed_query *q;
    unsigned flags; /* FH_WORD_* for every word made */
    size_t a, b;
    size_t first; /* the first word of the span */
    int by_parts; /* a compound by its parts, whose positions a phrase counts */
    fh_buf term;
    fh_status status;
} span_ctx;

/* Whether a query word may be a name worth looking up, and if not, why. */
static fh_name_verdict name_verdict(unsigned flags, const fh_token *tok)
{
    if (flags & (FH_WORD_EXACT_ONLY | FH_WORD_PREFIX))
        return FH_NAME_AS_WRITTEN;
    /* users type names in lower case: any Latin word may be one */
    fh_name_like like = fh_token_name_like(tok);
    if (like == FH_NAME_LIKE_LOWER)
        like = FH_NAME_LIKE_YES;
    static const fh_name_verdict verdict[] = {
        [FH_NAME_LIKE_YES] = FH_NAME_YES, [FH_NAME_LIKE_NOT_A_WORD] = FH_NAME_NOT_A_WORD,
        [FH_NAME_LIKE_SHORT] = FH_NAME_SHORT, [FH_NAME_LIKE_SUFFIX] = FH_NAME_SUFFIX};
    return verdict[like];
}

static fh_status start_word(span_ctx *c, const fh_token *tok)
{
    fh_parsed_query *q = c->q;
    fh_query_word *grown = realloc(q->words, (q->nwords + 1) * sizeof *grown);
    if (grown == NULL)
        return FH_ERR_NOMEM;
    q->words = grown;
    fh_query_word *w = &q->words[q->nwords++];
    memset(w, 0, sizeof *w);
    w->text = malloc(tok->form_len + 1);
    if (w->text == NULL)
        return FH_ERR_NOMEM;
    memcpy(w->text, tok->form, tok->form_len);
    w->text[tok->form_len] = '\0';
    w->script = tok->script;
    w->flags = c->flags;
    w->a = c->a + tok->start;
    w->b = c->a + tok->end;
    w->name = name_verdict(c->flags, tok);
    /* an Arabic name may be short or end like an inflected word (عمر,
     * عرفات): looked up too, for a Latin spelling, when no document holds it */
    w->maybe_name = w->name == FH_NAME_YES || w->name == FH_NAME_SHORT ||
                    w->name == FH_NAME_SUFFIX;
    return FH_OK;
}

/* Exact forms always; stems unless the word is matched as written (title
 * words too: the index keeps no title stems). */
static fh_status add_token_terms(span_ctx *c, const fh_token *tok)
{
    fh_query_word *w = &c->q->words[c->q->nwords - 1];
    fh_status st = fh_term_exact(tok, &c->term);
    if (st == FH_OK)
        st = fh_term_list_add(&w->exact, &w->nexact, c->term.data, c->term.len);
    int stems = !(c->flags & (FH_WORD_EXACT_ONLY | FH_WORD_PREFIX | FH_WORD_TITLE));
    if (st == FH_OK && stems && fh_term_stem(tok, &c->term) == FH_OK)
        st = fh_term_list_add(&w->stems, &w->nstems, c->term.data, c->term.len);
    return st;
}

static int on_query_token(const fh_token *tok, void *ctx)
{
    span_ctx *c = ctx;
    /* A compound is searched whole (its parts would only dilute it), but
     * in a phrase by its parts: they hold the positions the next word
     * follows (GPT-4 at p and p+1, the next word at p+2). */
    if (tok->flags & (c->by_parts ? FH_TOKEN_COMPOUND : FH_TOKEN_PART))
        return 0;
    int new_word = !(tok->flags & FH_TOKEN_VARIANT) || c->q->nwords == c->first;
    if (new_word && c->q->nwords == FH_QUERY_MAX_WORDS) {
        c->status = FH_ERR_INVALID;
        return 1;
    }
    if (new_word)
        c->status = start_word(c, tok);
    if (c->status == FH_OK)
        c->status = add_token_terms(c, tok);
    return c->status != FH_OK;
}

/* Analyze bytes [a, b) of the query into words; *first and *n receive
 * which.  A prefix word* makes its last word the prefix. */
static fh_status read_words(fh_parsed_query *q, fh_analyzer *an, const char *text, size_t a,
                            size_t b, unsigned flags, size_t *first, size_t *n, fh_error *err)
{
    *first = q->nwords;
    int by_parts = (flags & FH_WORD_EXACT_ONLY) && (flags & FH_WORD_IN_PHRASE);
    span_ctx c = {q, flags & ~(unsigned)(FH_WORD_PREFIX | FH_WORD_IN_PHRASE), a, b, q->nwords,
                  by_parts, FH_BUF_INIT, FH_OK};
    fh_status st = fh_analyze(an, text + a, b - a, on_query_token, &c, err);
    fh_buf_free(&c.term);
    if (st == FH_OK && c.status == FH_ERR_INVALID)
        return fh_error_set(err, FH_ERR_INVALID, "the query has more than %d words",
                            FH_QUERY_MAX_WORDS);
    if (st == FH_OK && c.status != FH_OK)
        return fh_error_set(err, c.status, "out of memory reading the query");
    *n = q->nwords - *first;
    if (st == FH_OK && (flags & FH_WORD_PREFIX) && *n > 0) {
        fh_query_word *w = &q->words[q->nwords - 1];
        w->flags |= FH_WORD_PREFIX;
        w->maybe_name = 0;
        w->name = FH_NAME_AS_WRITTEN;
        fh_term_list_free(w->stems, w->nstems);
        w->stems = NULL;
        w->nstems = 0;
    }
    return st;
}

/* ---- nodes ---- */

static void free_node(fh_qnode *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        free_node(n->kids[i]);
    free(n->kids);
    free(n->term);
    free(n);
}

static fh_qnode *new_node(fh_qnode_kind kind, unsigned flags)
{
    fh_qnode *n = calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->flags = flags & (FH_SYN_REQUIRED | FH_SYN_STRICT);
    }
    return n;
}

static fh_status add_kid(fh_qnode *parent, fh_qnode *kid)
{
    fh_qnode **grown = realloc(parent->kids, (parent->nkids + 1) * sizeof *grown);
    if (grown == NULL) {
        free_node(kid);
        return FH_ERR_NOMEM;
    }
    parent->kids = grown;
    parent->kids[parent->nkids++] = kid;
    return FH_OK;
}

/* Words [first, first + n) as one node: a word, a phrase, or (for a word
 * the analyzer cut in several, such as AI/ML) an AND of them. */
static fh_status words_node(size_t first, size_t n, int phrase, unsigned flags, fh_qnode **out)
{
    *out = NULL;
    if (n == 0)
        return FH_OK;
    fh_qnode *node = new_node(n > 1 && !phrase ? FH_QN_AND : FH_QN_WORDS, flags);
    if (node == NULL)
        return FH_ERR_NOMEM;
    node->first = first;
    node->nwords = n;
    node->phrase = phrase && n > 1;
    fh_status st = FH_OK;
    for (size_t i = 0; node->kind == FH_QN_AND && i < n && st == FH_OK; i++) {
        fh_qnode *kid = new_node(FH_QN_WORDS, 0);
        if (kid == NULL) {
            st = FH_ERR_NOMEM;
            break;
        }
        kid->first = first + i;
        kid->nwords = 1;
        st = add_kid(node, kid);
    }
    if (st != FH_OK) {
        free_node(node);
        return st;
    }
    *out = node;
    return FH_OK;
}

/* ---- fields ---- */

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" as 8 digits (unknown parts 0) and the
 * count of digits given (4, 6 or 8); 0 when it is none of these. */
static size_t read_date(const char *s, size_t len, char digits[9])
{
    static const size_t shapes[] = {4, 7, 10};
    size_t given = 0;
    memcpy(digits, "00000000", 9);
    for (size_t k = 0; k < 3 && given == 0; k++)
        if (len == shapes[k])
            given = 4 + 2 * k;
    for (size_t i = 0, d = 0; given && i < len; i++) {
        int dash = i == 4 || i == 7;
        if (dash != (s[i] == '-') || (!dash && (s[i] < '0' || s[i] > '9')))
            return 0;
        if (!dash)
            digits[d++] = s[i];
    }
    int month = (digits[4] - '0') * 10 + digits[5] - '0';
    int day = (digits[6] - '0') * 10 + digits[7] - '0';
    if ((given >= 6 && (month < 1 || month > 12)) || (given == 8 && (day < 1 || day > 31)))
        return 0;
    return given;
}

/* The last 8-digit date of a date given to `given` digits (2025 -> 20259999). */
static void date_end(char digits[9], size_t given)
{
    for (size_t i = given; i < 8; i++)
        digits[i] = '9';
}

/* digits +- 1, as a number (20259999 + 1 = 20260000); 0 past 99999999 or
 * below 00000000. */
static int date_step(char digits[9], int up)
{
    for (int i = 7; i >= 0; i--) {
        if (up ? digits[i] != '9' : digits[i] != '0') {
            digits[i] = (char)(digits[i] + (up ? 1 : -1));
            return 1;
        }
        digits[i] = up ? '0' : '9';
    }
    return 0;
}

/* date:V into [lo, hi] ("" for an open end): V, A..B, A.., ..B, >A, >=A, <A, <=A. */
static int read_date_range(const char *v, size_t len, char lo[9], char hi[9])
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len && dots == NULL; i++)
        if (v[i] == '.' && v[i + 1] == '.')
            dots = v + i;
    lo[0] = hi[0] = '\0';
    size_t n = 0;
    if (dots) {
        size_t a = (size_t)(dots - v), b = len - a - 2;
        if ((a == 0 && b == 0) || (a && !read_date(v, a, lo)) ||
            (b && (n = read_date(dots + 2, b, hi)) == 0))
            return 0;
        if (b)
            date_end(hi, n);
        return !(a && b && strcmp(lo, hi) > 0);
    }
    int gt = len > 0 && v[0] == '>', lt = len > 0 && v[0] == '<';
    int eq = (gt || lt) && len > 1 && v[1] == '=';
    size_t skip = (size_t)(gt || lt) + (size_t)eq;
    char d[9];
    if ((n = read_date(v + skip, len - skip, d)) == 0)
        return 0;
    if (gt || !lt)
        memcpy(lo, d, 9);
    if (lt || !gt)
        memcpy(hi, d, 9);
    if (gt && !eq)
        date_end(lo, n);
    if ((lt && eq) || (!gt && !lt))
        date_end(hi, n);
    return !(gt && !eq && !date_step(lo, 1)) && !(lt && !eq && !date_step(hi, 0));
}

/* The filter term of source:, lang: or id:, as the indexer files it. */
static fh_status filter_term(fh_field f, const char *v, size_t len, fh_buf *term)
{
    if (f == FH_FIELD_ID) {
        char *id = strndup(v, len);
        fh_status st = id ? fh_term_id(id, term) : FH_ERR_NOMEM;
        free(id);
        return st;
    }
    if (f == FH_FIELD_SOURCE)
        return fh_term_filter(FH_PREFIX_SOURCE, v, len, term);
    fh_buf code = FH_BUF_INIT;
    fh_status st = fh_lang_code(v, len, &code);
    if (st == FH_OK)
        st = fh_term_filter(FH_PREFIX_LANG, code.data, code.len, term);
    fh_buf_free(&code);
    return st;
}

/* How much of a value a one-line message shows: up to the first control
 * character, at most max bytes, never part of a character. */
static size_t shown_length(const char *v, size_t len, size_t max)
{
    size_t n = 0;
    while (n < len && n < max && (unsigned char)v[n] >= 0x20 && v[n] != 0x7F)
        n++;
    while (n > 0 && n < len && ((unsigned char)v[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static fh_status filter_node(fh_field f, const char *v, size_t len, unsigned flags,
                             fh_qnode **out, fh_error *err)
{
    fh_qnode *n = new_node(FH_QN_FILTER, flags);
    fh_buf term = FH_BUF_INIT;
    if (n == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory reading the query");
    if (f == FH_FIELD_DATE && !read_date_range(v, len, n->date_lo, n->date_hi)) {
        free_node(n);
        return fh_error_set(err, FH_ERR_INVALID,
                            "date:%.*s is not a date: give YYYY, YYYY-MM or YYYY-MM-DD, a "
                            "range A..B, or >A, >=A, <A, <=A",
                            (int)shown_length(v, len, 40), v);
    }
    if (f != FH_FIELD_DATE && (filter_term(f, v, len, &term) != FH_OK ||
                               (n->term = fh_buf_steal(&term)) == NULL)) {
        fh_buf_free(&term);
        free_node(n);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory reading the query");
    }
    *out = n;
    return FH_OK;
}

/* ---- the tree ---- */

typedef struct {
    fh_parsed_query *q;
    fh_analyzer *an;
    const char *text;
    fh_error *err;
} reader;

static fh_status read_node(reader *r, const fh_syn_node *s, unsigned excluded, fh_qnode **out);

/* The words of a phrase, a word ending in * a prefix: "مختبر* الذكاء" is
 * how a phrase asks for other forms of a word. */
static fh_status read_phrase(reader *r, size_t a, size_t b, unsigned flags, size_t *first,
                             size_t *n)
{
    fh_status st = FH_OK;
    *first = r->q->nwords;
    for (size_t at = a; at < b && st == FH_OK;) {
        size_t end = at, got_first, got;
        while (end < b && r->text[end] != ' ' && r->text[end] != '\t')
            end++;
        int prefix = end - at > 1 && r->text[end - 1] == '*';
        st = read_words(r->q, r->an, r->text, at, end - (size_t)prefix,
                        flags | FH_WORD_IN_PHRASE | (prefix ? FH_WORD_PREFIX : 0), &got_first,
                        &got, r->err);
        at = end + 1;
    }
    *n = r->q->nwords - *first;
    return st;
}

static fh_status read_leaf(reader *r, const fh_syn_node *s, unsigned excluded, fh_qnode **out)
{
    if (s->kind == FH_SYN_FIELD && s->field != FH_FIELD_TITLE)
        return filter_node(s->field, r->text + s->a, s->b - s->a, s->flags, out, r->err);
    unsigned flags = excluded;
    if (s->kind == FH_SYN_PHRASE || (s->flags & FH_SYN_EXACT))
        flags |= FH_WORD_EXACT_ONLY;
    if (s->flags & FH_SYN_PREFIX)
        flags |= FH_WORD_PREFIX;
    if (s->kind == FH_SYN_FIELD)
        flags |= FH_WORD_TITLE;
    size_t first, n;
    fh_status st = s->kind == FH_SYN_PHRASE
                       ? read_phrase(r, s->a, s->b, flags, &first, &n)
                       : read_words(r->q, r->an, r->text, s->a, s->b, flags, &first, &n, r->err);
    if (st == FH_OK && words_node(first, n, s->kind != FH_SYN_WORD, s->flags, out) != FH_OK)
        st = fh_error_set(r->err, FH_ERR_NOMEM, "out of memory reading the query");
    return st;
}

/* An AND the user did not write, without flags, is one with its parent. */
static int merges_into(const fh_qnode *parent, const fh_qnode *kid)
{
    return parent->kind == FH_QN_AND && kid->kind == FH_QN_AND && kid->flags == 0;
}

static fh_status adopt(fh_qnode *parent, fh_qnode *kid)
{
    if (!merges_into(parent, kid))
        return add_kid(parent, kid);
    fh_status st = FH_OK;
    for (size_t i = 0; i < kid->nkids; i++)
        if (st == FH_OK)
            st = add_kid(parent, kid->kids[i]);
        else
            free_node(kid->kids[i]);
    kid->nkids = 0;
    free_node(kid);
    return st;
}

static const fh_qnode_kind KIND_OF[] = {
    [FH_SYN_AND] = FH_QN_AND, [FH_SYN_OR] = FH_QN_OR, [FH_SYN_NEAR] = FH_QN_NEAR,
    [FH_SYN_AND_NOT] = FH_QN_AND_NOT};

/* A node of parts: parts that read as nothing (only punctuation) drop out,
 * and one part left stands for the node. */
static fh_status read_inner(reader *r, const fh_syn_node *s, unsigned excluded, fh_qnode **out)
{
    *out = NULL;
    fh_qnode *n = new_node(KIND_OF[s->kind], s->flags);
    if (n == NULL)
        return fh_error_set(r->err, FH_ERR_NOMEM, "out of memory reading the query");
    n->distance = s->distance;
    fh_status st = FH_OK;
    int wanted = 1; /* AND_NOT: its first kid reads as something */
    for (size_t i = 0; i < s->nkids && st == FH_OK; i++) {
        fh_qnode *kid = NULL;
        int without = s->kind == FH_SYN_AND_NOT && i > 0;
        st = read_node(r, s->kids[i], without ? FH_WORD_EXCLUDED : excluded, &kid);
        if (st == FH_OK && s->kind == FH_SYN_AND_NOT && i == 0 && kid == NULL)
            wanted = 0;
        if (st == FH_OK && !wanted && kid) {
            free_node(kid);
            st = fh_error_set(r->err, FH_ERR_INVALID,
                              "the query only excludes: say what to look for too");
        }
        if (st == FH_OK && kid && adopt(n, kid) != FH_OK)
            st = fh_error_set(r->err, FH_ERR_NOMEM, "out of memory reading the query");
    }
    if (st == FH_OK && !wanted) {
        free_node(n); /* excludes only what reads as no word: nothing to search for */
        *out = NULL;
        return FH_OK;
    }
    if (st != FH_OK || n->nkids <= 1) {
        fh_qnode *only = st == FH_OK && n->nkids == 1 ? n->kids[0] : NULL;
        if (only) {
            only->flags |= n->flags & FH_SYN_REQUIRED;
            n->nkids = 0;
        }
        free_node(n);
        *out = only;
        return st;
    }
    *out = n;
    return FH_OK;
}

static fh_status read_node(reader *r, const fh_syn_node *s, unsigned excluded, fh_qnode **out)
{
    *out = NULL;
    if (s == NULL)
        return FH_OK;
    if (s->kind == FH_SYN_WORD || s->kind == FH_SYN_PHRASE || s->kind == FH_SYN_FIELD)
        return read_leaf(r, s, excluded, out);
    return read_inner(r, s, excluded, out);
}

fh_status fh_query_parse(fh_analyzer *an, const char *text, size_t len, fh_parsed_query *out,
                         fh_error *err)
{
    memset(out, 0, sizeof *out);
    fh_status st = fh_syntax_read(text, len, &out->syntax, err);
    if (st != FH_OK)
        return st;
    reader r = {out, an, text, err};
    st = read_node(&r, out->syntax.root, 0, &out->root);
    /* nothing to search for (no word, or only punctuation): no error; it
     * matches nothing */
    if (st == FH_OK && out->root == NULL &&
        ((out->syntax.notes.len && fh_buf_append_str(&out->syntax.notes, "; ") != FH_OK) ||
         fh_buf_append_str(&out->syntax.notes, "no word to search for") != FH_OK))
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory reading the query");
    if (st != FH_OK)
        fh_parsed_query_free(out);
    return st;
}

void fh_parsed_query_free(fh_parsed_query *q)
{
    for (size_t i = 0; i < q->nwords; i++) {
        free(q->words[i].text);
        fh_term_list_free(q->words[i].exact, q->words[i].nexact);
        fh_term_list_free(q->words[i].stems, q->words[i].nstems);
        fh_term_list_free(q->words[i].spellings, q->words[i].nspellings);
    }
    free(q->words);
    free_node(q->root);
    fh_syntax_free(&q->syntax);
    memset(q, 0, sizeof *q);
}

/* ---- prefixes ---- */

/* What Arabic writes before a word: a prefix of a bare word may begin
 * any of these, one already with the article only the article's. */
static const char *const PROCLITICS[] = {"", "و", "ف", "ب", "ك", "ل", "وب", "ول", "فب", "فل"};
static const char *const ARTICLES[] = {"ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل"};
#define ARTICLE "ال"

void fh_query_limits_init(fh_query_limits *l)
{
    memset(l, 0, sizeof *l);
}

/* An index word a prefix begins, and in how many documents it is. */
typedef struct {
    char *term;
    uint32_t docs;
    size_t word; /* the query word of the prefix */
} expansion;

typedef struct {
    expansion *items;
    size_t n, cap;
    fh_buf prefix, found, docs; /* scratch */
} expansions;

static int by_term(const void *x, const void *y)
{
    const expansion *a = x, *b = y;
    return strcmp(a->term, b->term);
}

/* Most documents first, then bytewise, then by query word: the same index
 * keeps the same words. */
static int by_docs(const void *x, const void *y)
{
    const expansion *a = x, *b = y;
    if (a->docs != b->docs)
        return a->docs < b->docs ? 1 : -1;
    int c = strcmp(a->term, b->term);
    return c ? c : (a->word > b->word) - (a->word < b->word);
}

/* Sort items[from, n) by term and drop the repeats (a word found under two
 * leads, or two forms). */
static void dedupe(expansions *e, size_t from)
{
    if (e->n - from < 2)
        return;
    qsort(e->items + from, e->n - from, sizeof *e->items, by_term);
    size_t kept = from;
    for (size_t i = from; i < e->n; i++) {
        if (kept > from && strcmp(e->items[kept - 1].term, e->items[i].term) == 0)
            free(e->items[i].term);
        else
            e->items[kept++] = e->items[i];
    }
    e->n = kept;
}

static fh_status add_expansion(expansions *e, const char *t, uint32_t docs, size_t word)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        expansion *grown = realloc(e->items, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        e->items = grown;
        e->cap = cap;
    }
    char *copy = strdup(t);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    e->items[e->n++] = (expansion){copy, docs, word};
    return FH_OK;
}

/* The index words beginning with lead + bare, up to one more than a
 * prefix may have beyond the `from` already found for its word. */
static fh_status expand_one(fh_db *db, const char *lead, const char *bare, size_t word,
                            size_t from, expansions *e, fh_error *err)
{
    size_t count = 0, had = e->n - from;
    int more = 0;
    if (had > FH_PREFIX_MAX_WORDS)
        return FH_OK; /* already too many: the caller says so */
    fh_buf_reset(&e->prefix);
    fh_buf_reset(&e->found);
    fh_buf_reset(&e->docs);
    if (fh_buf_append_str(&e->prefix, lead) != FH_OK ||
        fh_buf_append_str(&e->prefix, bare) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = fh_db_terms_with_prefix_docs(db, e->prefix.data, e->prefix.len,
                                                FH_PREFIX_MAX_WORDS + 1 - had, &e->found,
                                                &e->docs, &count, &more, err);
    const char *t = e->found.data;
    for (size_t i = 0; i < count && st == FH_OK; i++, t += strlen(t) + 1) {
        uint32_t docs;
        memcpy(&docs, e->docs.data + i * sizeof docs, sizeof docs);
        if (add_expansion(e, t, docs, word) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    if (st == FH_OK)
        dedupe(e, from);
    return st;
}

/* The index words beginning with form: for an Arabic form, after a
 * proclitic or the article too. */
static fh_status expand_form(fh_db *db, const char *form, fh_script script, size_t word,
                             size_t from, expansions *e, fh_error *err)
{
    size_t article = strlen(ARTICLE);
    int has_article = strncmp(form, ARTICLE, article) == 0 && strlen(form) > article;
    const char *bare = has_article ? form + article : form;
    fh_status st = expand_one(db, has_article ? ARTICLE : "", bare, word, from, e, err);
    for (size_t i = 1; script == FH_SCRIPT_ARABIC && !has_article &&
                       i < sizeof PROCLITICS / sizeof *PROCLITICS && st == FH_OK; i++)
        st = expand_one(db, PROCLITICS[i], bare, word, from, e, err);
    for (size_t i = has_article; script == FH_SCRIPT_ARABIC &&
                                 i < sizeof ARTICLES / sizeof *ARTICLES && st == FH_OK; i++)
        st = expand_one(db, ARTICLES[i], bare, word, from, e, err);
    return st;
}

static fh_status expand_word(const fh_query_word *w, size_t word, fh_db *db, expansions *e,
                             fh_error *err)
{
    size_t from = e->n;
    fh_status st = FH_OK;
    for (size_t i = 0; i < w->nexact && st == FH_OK && e->n - from <= FH_PREFIX_MAX_WORDS; i++)
        st = expand_form(db, w->exact[i], w->script, word, from, e, err);
    if (st == FH_OK && e->n - from > FH_PREFIX_MAX_WORDS)
        st = fh_error_set(err, FH_ERR_INVALID,
                          "more than %d index words begin with \"%s\": type more letters before *",
                          FH_PREFIX_MAX_WORDS, w->text);
    return st;
}

/* Over budget: mark the words kept (docs set to 0 for the others), each
 * prefix's most frequent first, then the most frequent of all. */
static size_t keep_most_frequent(expansions *e, size_t nwords)
{
    unsigned char *has = calloc(nwords ? nwords : 1, 1);
    unsigned char *keep = calloc(e->n ? e->n : 1, 1);
    size_t kept = 0;
    if (has == NULL || keep == NULL) {
        free(has);
        free(keep);
        return 0;
    }
    qsort(e->items, e->n, sizeof *e->items, by_docs);
    for (size_t i = 0; i < e->n; i++)
        if (!has[e->items[i].word]) {
            has[e->items[i].word] = keep[i] = 1;
            kept++;
        }
    for (size_t i = 0; i < e->n && kept < FH_PREFIX_BUDGET; i++)
        if (!keep[i]) {
            keep[i] = 1;
            kept++;
        }
    size_t n = 0;
    for (size_t i = 0; i < e->n; i++)
        if (keep[i])
            e->items[n++] = e->items[i];
        else
            free(e->items[i].term);
    e->n = n;
    free(has);
    free(keep);
    return kept;
}

/* Give each prefix word expanded (expanded[i] set) the words found for it,
 * most frequent first: none when the index has none. */
static fh_status install(fh_parsed_query *q, const unsigned char *expanded, expansions *e,
                         fh_error *err)
{
    if (e->n > 1)
        qsort(e->items, e->n, sizeof *e->items, by_docs);
    size_t *count = calloc(q->nwords ? q->nwords : 1, sizeof *count);
    if (count == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < e->n; i++)
        count[e->items[i].word]++;
    fh_status st = FH_OK;
    for (size_t i = 0; i < q->nwords && st == FH_OK; i++) {
        fh_query_word *w = &q->words[i];
        if (!expanded[i])
            continue;
        char **terms = calloc(count[i] ? count[i] : 1, sizeof *terms);
        if (terms == NULL) {
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
            break;
        }
        fh_term_list_free(w->exact, w->nexact);
        w->exact = terms;
        w->nexact = 0;
    }
    for (size_t i = 0; i < e->n && st == FH_OK; i++) {
        fh_query_word *w = &q->words[e->items[i].word];
        w->exact[w->nexact++] = e->items[i].term;
        e->items[i].term = NULL; /* the word owns it now */
    }
    free(count);
    return st;
}

static void expansions_free(expansions *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->items[i].term);
    free(e->items);
    fh_buf_free(&e->prefix);
    fh_buf_free(&e->found);
    fh_buf_free(&e->docs);
}

fh_status fh_query_expand_prefixes(fh_parsed_query *q, fh_db *db, fh_query_limits *lim,
                                   fh_error *err)
{
    expansions e = {0};
    unsigned char *expanded = calloc(q->nwords ? q->nwords : 1, 1);
    fh_status st = expanded ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < q->nwords && st == FH_OK; i++) {
        if (!(q->words[i].flags & FH_WORD_PREFIX))
            continue;
        if (lim && lim->until_ms > 0 && fh_clock_ms() >= lim->until_ms) {
            lim->time_cut = 1; /* this prefix and the next are searched as whole words */
            continue;
        }
        st = expand_word(&q->words[i], i, db, &e, err);
        expanded[i] = 1;
    }
    size_t words = e.n;
    if (st == FH_OK && e.n > FH_PREFIX_BUDGET)
        st = keep_most_frequent(&e, q->nwords) ? FH_OK
                                               : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    if (st == FH_OK)
        st = install(q, expanded, &e, err);
    free(expanded);
    if (st == FH_OK && lim) {
        lim->prefix_words += words;
        lim->prefix_kept += e.n;
    }
    expansions_free(&e);
    return st;
}
