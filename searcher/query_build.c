/*
 * query_build.c - the Xapian query of a read query (see query.h).
 *
 * Words score by their parts (exact form, stem, other spellings); phrases
 * and NEAR work on positions, which only exact forms and spellings carry;
 * filters select without scoring.  Query positions given to terms are the
 * words' indexes plus one, so Xapian reports matching terms in query order.
 */
#include "fihris/query.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/buf.h"
#include "fihris/terms.h"

static void free_queries(fh_query **qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fh_query_free(qs[i]);
}

static fh_status nothing(fh_query **out, fh_error *err)
{
    return fh_query_combine(FH_Q_OR, NULL, 0, 0, out, err);
}

/* op over subs[0, n), freeing them; one sub stands for itself. */
static fh_status combine_owned(fh_query_op op, fh_query **subs, size_t n, unsigned window,
                               fh_query **out, fh_error *err)
{
    fh_status st = FH_OK;
    if (n == 1 && op != FH_Q_PHRASE && op != FH_Q_NEAR) {
        *out = subs[0];
        return FH_OK;
    }
    st = n == 0 ? nothing(out, err) : fh_query_combine(op, subs, n, window, out, err);
    free_queries(subs, n);
    return st;
}

/* The term of a word's form: in the title index for a title word. */
static fh_status word_term(const fh_query_word *w, const char *form, uint32_t pos,
                           fh_query **out, fh_error *err)
{
    if (!(w->flags & FH_WORD_TITLE))
        return fh_query_term(form, strlen(form), 1, pos, out, err);
    fh_buf t = FH_BUF_INIT;
    fh_status st = fh_buf_append_str(&t, FH_PREFIX_TITLE) == FH_OK &&
                           fh_buf_append_str(&t, form) == FH_OK
                       ? fh_query_term(t.data, t.len, 1, pos, out, err)
                       : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_buf_free(&t);
    return st;
}

/* op over a word's terms[0, n); none matches nothing. */
static fh_status terms_of(const fh_query_word *w, char *const *terms, size_t n, fh_query_op op,
                          uint32_t pos, fh_query **out, fh_error *err)
{
    fh_query **subs = calloc(n ? n : 1, sizeof *subs);
    if (subs == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = FH_OK;
    size_t made = 0;
    for (; made < n && st == FH_OK; made++)
        st = word_term(w, terms[made], pos, &subs[made], err);
    if (st == FH_OK)
        st = combine_owned(op, subs, n, 0, out, err);
    else
        free_queries(subs, made);
    free(subs);
    return st;
}

static fh_status spellings_part(const fh_query_word *w, uint32_t pos, fh_query **out,
                                fh_error *err)
{
    fh_query *group = NULL, *closest = NULL, *parts[2] = {NULL, NULL};
    fh_status st = terms_of(w, w->spellings, w->nspellings, FH_Q_OR, pos, &group, err);
    if (st == FH_OK)
        st = fh_query_scale(group, FH_SPELLING_WEIGHT, &parts[0], err);
    if (st == FH_OK && w->nclosest > 0 && w->nclosest < w->nspellings)
        st = terms_of(w, w->spellings, w->nclosest, FH_Q_OR, pos, &closest, err);
    if (st == FH_OK && closest)
        st = fh_query_scale(closest, FH_CLOSEST_WEIGHT, &parts[1], err);
    fh_query_free(group);
    fh_query_free(closest);
    if (st != FH_OK) {
        free_queries(parts, 2);
        return st;
    }
    return combine_owned(FH_Q_OR, parts, parts[1] ? 2 : 1, 0, out, err);
}

/* A word's forms (or stems), each weighing 1/n: a token that carries all n,
 * as one written with a dagger alef does, counts as one word.  (OP_SYNONYM
 * would count them as one rarer term, but Xapian estimates its statistics
 * per database, so scores over shards would differ from one database's;
 * OP_MAX crashes Xapian 1.4.22 over several databases.) */
static fh_status forms_of(const fh_query_word *w, char *const *terms, size_t n, uint32_t pos,
                          fh_query **out, fh_error *err)
{
    fh_query *all = NULL;
    fh_status st = terms_of(w, terms, n, FH_Q_OR, pos, &all, err);
    if (st != FH_OK || n < 2) {
        *out = all;
        return st;
    }
    st = fh_query_scale(all, 1.0 / (double)n, out, err);
    fh_query_free(all);
    return st;
}

fh_status fh_query_word_part(const fh_query_word *w, fh_word_part part, uint32_t pos,
                             fh_query **out, fh_error *err)
{
    *out = NULL;
    if (part == FH_PART_EXACT)
        return forms_of(w, w->exact, w->nexact, pos, out, err);
    if (part == FH_PART_STEM)
        return w->nstems ? forms_of(w, w->stems, w->nstems, pos, out, err) : FH_OK;
    return w->nspellings ? spellings_part(w, pos, out, err) : FH_OK;
}

/* OR(exact forms, stems, other spellings): each part present scores. */
static fh_status word_query(const fh_parsed_query *q, size_t i, fh_query **out, fh_error *err)
{
    fh_query *parts[3] = {NULL, NULL, NULL};
    size_t n = 0;
    fh_status st = FH_OK;
    for (int part = FH_PART_EXACT; part <= FH_PART_SPELLINGS && st == FH_OK; part++) {
        st = fh_query_word_part(&q->words[i], (fh_word_part)part, (uint32_t)i + 1, &parts[n], err);
        if (parts[n])
            n++;
    }
    if (st != FH_OK) {
        free_queries(parts, n);
        return st;
    }
    return combine_owned(FH_Q_OR, parts, n, 0, out, err);
}

/* A word where positions count (phrases, NEAR): its exact forms and other
 * spellings, which the index keeps positions for. */
static fh_status positional(const fh_parsed_query *q, size_t i, fh_query **out, fh_error *err)
{
    const fh_query_word *w = &q->words[i];
    fh_query *parts[2] = {NULL, NULL};
    uint32_t pos = (uint32_t)i + 1;
    fh_status st = terms_of(w, w->exact, w->nexact, FH_Q_OR, pos, &parts[0], err);
    if (st == FH_OK && w->nspellings)
        st = terms_of(w, w->spellings, w->nspellings, FH_Q_OR, pos, &parts[1], err);
    if (st != FH_OK) {
        free_queries(parts, 2);
        return st;
    }
    return combine_owned(FH_Q_OR, parts, parts[1] ? 2 : 1, 0, out, err);
}

static fh_status phrase_query(const fh_parsed_query *q, const fh_qnode *n, fh_query **out,
                              fh_error *err)
{
    fh_query **subs = calloc(n->nwords, sizeof *subs);
    if (subs == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_status st = FH_OK;
    size_t made = 0;
    for (; made < n->nwords && st == FH_OK; made++)
        st = positional(q, n->first + made, &subs[made], err);
    if (st == FH_OK)
        st = combine_owned(FH_Q_PHRASE, subs, n->nwords, (unsigned)n->nwords, out, err);
    else
        free_queries(subs, made);
    free(subs);
    return st;
}

/* ---- nodes ---- */

typedef struct {
    fh_query **items;
    size_t n, cap;
} query_list;

static fh_status list_add(query_list *l, fh_query *q, fh_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        fh_query **grown = realloc(l->items, cap * sizeof *grown);
        if (grown == NULL) {
            fh_query_free(q);
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        }
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = q;
    return FH_OK;
}

static void list_free(query_list *l)
{
    free_queries(l->items, l->n);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* op over the list, emptying it. */
static fh_status list_combine(query_list *l, fh_query_op op, unsigned window, fh_query **out,
                              fh_error *err)
{
    fh_status st = combine_owned(op, l->items, l->n, window, out, err);
    l->n = 0;
    list_free(l);
    return st;
}

static fh_status node_query(const fh_parsed_query *q, const fh_qnode *n, fh_query **out,
                            fh_error *err);

static fh_status filter_query(const fh_qnode *n, fh_query **out, fh_error *err)
{
    fh_query *select = NULL;
    fh_status st = n->term ? fh_query_term(n->term, strlen(n->term), 1, 0, &select, err)
                           : fh_query_value_range(FH_SLOT_DATE, n->date_lo[0] ? n->date_lo : NULL,
                                                  n->date_hi[0] ? n->date_hi : NULL, &select, err);
    if (st == FH_OK)
        st = fh_query_scale(select, 0, out, err); /* selects, never scores */
    fh_query_free(select);
    return st;
}

static int single_words(const fh_qnode *k)
{
    for (size_t i = 0; i < k->nkids; i++)
        if (k->kids[i]->kind != FH_QN_WORDS || k->kids[i]->phrase)
            return 0;
    return 1;
}

/* Place the words of a NEAR kid in slots, for the window to span them: a
 * word is a slot, an OR of words one slot of alternatives, and the words of
 * a phrase, an AND or an inner NEAR each a slot.  What the slots alone do
 * not say (a phrase's order, an inner NEAR's own distance, any other kind of
 * kid) is added to outside, to hold as well. */
static fh_status near_kid(const fh_parsed_query *q, const fh_qnode *k, query_list *slots,
                          query_list *outside, fh_error *err)
{
    fh_query *sub = NULL;
    fh_status st = FH_OK;
    int alternatives = k->kind == FH_QN_OR && single_words(k);
    if (k->kind == FH_QN_WORDS) {
        for (size_t i = 0; i < k->nwords && st == FH_OK; i++)
            if ((st = positional(q, k->first + i, &sub, err)) == FH_OK)
                st = list_add(slots, sub, err);
    } else if (alternatives) {
        query_list alts = {0};
        for (size_t i = 0; i < k->nkids && st == FH_OK; i++)
            if ((st = positional(q, k->kids[i]->first, &sub, err)) == FH_OK)
                st = list_add(&alts, sub, err);
        if (st == FH_OK && (st = list_combine(&alts, FH_Q_OR, 0, &sub, err)) == FH_OK)
            st = list_add(slots, sub, err);
        list_free(&alts);
    } else if (k->kind == FH_QN_AND || k->kind == FH_QN_NEAR) {
        for (size_t i = 0; i < k->nkids && st == FH_OK; i++)
            st = near_kid(q, k->kids[i], slots, outside, err);
    }
    int placed = (k->kind == FH_QN_WORDS && !k->phrase) || alternatives || k->kind == FH_QN_AND;
    if (st == FH_OK && !placed && (st = node_query(q, k, &sub, err)) == FH_OK)
        st = list_add(outside, sub, err);
    return st;
}

/* Within `distance` words of each other: a window spanning them all. */
static fh_status near_query(const fh_parsed_query *q, const fh_qnode *n, fh_query **out,
                            fh_error *err)
{
    query_list slots = {0}, outside = {0};
    fh_status st = FH_OK;
    for (size_t i = 0; i < n->nkids && st == FH_OK; i++)
        st = near_kid(q, n->kids[i], &slots, &outside, err);
    fh_query *near = NULL;
    if (st == FH_OK && slots.n >= 2)
        st = list_combine(&slots, FH_Q_NEAR, n->distance + (unsigned)slots.n - 1, &near, err);
    else if (st == FH_OK && slots.n == 1)
        st = list_combine(&slots, FH_Q_AND, 0, &near, err);
    if (st == FH_OK && near)
        st = list_add(&outside, near, err);
    if (st == FH_OK)
        st = list_combine(&outside, FH_Q_AND, 0, out, err);
    list_free(&slots);
    list_free(&outside);
    return st;
}

static const fh_query_op OP_OF[] = {[FH_QN_AND] = FH_Q_AND, [FH_QN_OR] = FH_Q_OR,
                                    [FH_QN_AND_NOT] = FH_Q_AND_NOT};

static fh_status node_query(const fh_parsed_query *q, const fh_qnode *n, fh_query **out,
                            fh_error *err)
{
    switch (n->kind) {
    case FH_QN_WORDS:
        return n->phrase ? phrase_query(q, n, out, err) : word_query(q, n->first, out, err);
    case FH_QN_FILTER:
        return filter_query(n, out, err);
    case FH_QN_NEAR:
        return near_query(q, n, out, err);
    default:
        break;
    }
    query_list kids = {0};
    fh_status st = FH_OK;
    for (size_t i = 0; i < n->nkids && st == FH_OK; i++) {
        fh_query *sub = NULL;
        if ((st = node_query(q, n->kids[i], &sub, err)) == FH_OK)
            st = list_add(&kids, sub, err);
    }
    if (st == FH_OK)
        return list_combine(&kids, OP_OF[n->kind], 0, out, err);
    list_free(&kids);
    return st;
}

/* ---- any-word fallback ---- */

static const fh_qnode *top_and(const fh_parsed_query *q)
{
    const fh_qnode *top = q->root;
    if (top && top->kind == FH_QN_AND_NOT)
        top = top->kids[0];
    return top && top->kind == FH_QN_AND && !(top->flags & FH_SYN_STRICT) ? top : NULL;
}

static int optional_part(const fh_qnode *n)
{
    return !(n->flags & FH_SYN_REQUIRED) && n->kind != FH_QN_FILTER;
}

int fh_query_can_fall_back(const fh_parsed_query *q)
{
    const fh_qnode *top = top_and(q);
    size_t optional = 0;
    for (size_t i = 0; top && i < top->nkids; i++)
        optional += (size_t)optional_part(top->kids[i]);
    return optional >= 2;
}

/* AND(required parts and filters, OR(the other parts)). */
static fh_status any_of(const fh_parsed_query *q, const fh_qnode *top, fh_query **out,
                        fh_error *err)
{
    query_list must = {0}, may = {0};
    fh_status st = FH_OK;
    for (size_t i = 0; i < top->nkids && st == FH_OK; i++) {
        fh_query *sub = NULL;
        if ((st = node_query(q, top->kids[i], &sub, err)) == FH_OK)
            st = list_add(optional_part(top->kids[i]) ? &may : &must, sub, err);
    }
    fh_query *either = NULL;
    if (st == FH_OK)
        st = list_combine(&may, FH_Q_OR, 0, &either, err);
    if (st == FH_OK)
        st = list_add(&must, either, err);
    if (st == FH_OK)
        st = list_combine(&must, FH_Q_AND, 0, out, err);
    list_free(&must);
    list_free(&may);
    return st;
}

static fh_status fall_back(const fh_parsed_query *q, fh_query **out, fh_error *err)
{
    const fh_qnode *root = q->root, *top = top_and(q);
    if (root == top)
        return any_of(q, top, out, err);
    query_list parts = {0};
    fh_query *sub = NULL;
    fh_status st = any_of(q, top, &sub, err);
    if (st == FH_OK)
        st = list_add(&parts, sub, err);
    for (size_t i = 1; i < root->nkids && st == FH_OK; i++)
        if ((st = node_query(q, root->kids[i], &sub, err)) == FH_OK)
            st = list_add(&parts, sub, err);
    if (st == FH_OK)
        return list_combine(&parts, FH_Q_AND_NOT, 0, out, err);
    list_free(&parts);
    return st;
}

fh_status fh_query_build(const fh_parsed_query *q, fh_match_mode mode, fh_query **out,
                         fh_error *err)
{
    *out = NULL;
    if (q->root == NULL)
        return nothing(out, err);
    if (mode == FH_MATCH_ANY && fh_query_can_fall_back(q))
        return fall_back(q, out, err);
    return node_query(q, q->root, out, err);
}

int fh_query_match_token(const fh_parsed_query *q, const fh_token *tok)
{
    for (size_t i = 0; i < q->nwords; i++) {
        const fh_query_word *w = &q->words[i];
        if (w->flags & FH_WORD_EXCLUDED)
            continue;
        if (fh_term_list_has(w->exact, w->nexact, tok->form, tok->form_len) ||
            fh_term_list_has(w->spellings, w->nspellings, tok->form, tok->form_len))
            return (int)i;
        for (size_t k = 0; tok->stem && k < w->nstems; k++) {
            const char *s = w->stems[k] + strlen(FH_PREFIX_STEM);
            if (strlen(s) == tok->stem_len && memcmp(s, tok->stem, tok->stem_len) == 0)
                return (int)i;
        }
    }
    return -1;
}
