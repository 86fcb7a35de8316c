/*
 * syntax.c - reading the query language into a tree (see syntax.h).
 *
 * A lexer cuts the query into tokens (words, phrases, parentheses,
 * operators); a recursive-descent parser builds the tree.  Every parse
 * function either consumes at least one token or returns NULL without
 * consuming any, so the loops always advance and no input can hang them.
 */
#include "fihris/syntax.h"

#include <stdlib.h>
#include <string.h>

#include "fihris/utf8.h"

struct fh_syn_pool {
    fh_syn_node **nodes;
    size_t n, cap;
};

/* ---- lexer ---- */

typedef enum { T_END, T_WORD, T_PHRASE, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_NEAR,
               T_MINUS, T_PLUS } tok_kind;

typedef struct {
    tok_kind kind;
    size_t a, b;       /* T_WORD, T_PHRASE: the bytes (inside the quotes) */
    unsigned distance; /* T_NEAR */
    int closed;        /* T_PHRASE: its closing quote was there */
} token;

typedef struct {
    const char *q;
    size_t len, at;
    token tok;     /* the current token */
    fh_syntax_tree *tree;
    fh_status st;
    fh_error *err;
} parser;

/* Characters that separate tokens as a space does: spaces, and the
 * direction marks and controls that right-to-left text carries. */
static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || c == 0x061C || c == 0x200E || c == 0x200F || c == 0xFEFF ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x3000;
}

static int is_quote(uint32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0xAB || c == 0xBB;
}

/* The character at byte i (an invalid byte reads as U+FFFD, one byte). */
static uint32_t char_at(const parser *p, size_t i, size_t *n)
{
    uint32_t c;
    *n = fh_utf8_decode((const unsigned char *)p->q + i, p->len - i, &c);
    if (*n == 0) {
        *n = 1;
        c = 0xFFFD;
    }
    return c;
}

static int breaks_word(uint32_t c)
{
    return is_space(c) || is_quote(c) || c == '(' || c == ')';
}

static void skip_spaces(parser *p)
{
    size_t n;
    while (p->at < p->len && is_space(char_at(p, p->at, &n)))
        p->at += n;
}

static int word_is(const parser *p, size_t a, size_t b, const char *s)
{
    return b - a == strlen(s) && memcmp(p->q + a, s, b - a) == 0;
}

/* The distance of NEAR (10) or NEAR/n; 0 when the word is neither. */
static unsigned near_distance(const parser *p, size_t a, size_t b)
{
    if (word_is(p, a, b, "NEAR"))
        return 10;
    if (b - a < 6 || memcmp(p->q + a, "NEAR/", 5) != 0)
        return 0;
    unsigned n = 0;
    for (size_t i = a + 5; i < b; i++) {
        if (p->q[i] < '0' || p->q[i] > '9')
            return 0;
        n = n > FH_SYNTAX_MAX_NEAR ? n : n * 10 + (unsigned)(p->q[i] - '0');
    }
    return n == 0 ? 1 : n;
}

static void read_phrase(parser *p, size_t start)
{
    size_t n;
    p->tok.kind = T_PHRASE;
    p->tok.a = start;
    p->tok.closed = 0;
    while (p->at < p->len) {
        uint32_t c = char_at(p, p->at, &n);
        if (is_quote(c)) {
            p->tok.b = p->at;
            p->tok.closed = 1;
            p->at += n;
            return;
        }
        p->at += n;
    }
    p->tok.b = p->len;
}

static void read_word(parser *p, size_t start)
{
    size_t n;
    while (p->at < p->len && !breaks_word(char_at(p, p->at, &n)))
        p->at += n;
    token *t = &p->tok;
    t->kind = T_WORD;
    t->a = start;
    t->b = p->at;
    if (word_is(p, t->a, t->b, "AND"))
        t->kind = T_AND;
    else if (word_is(p, t->a, t->b, "OR"))
        t->kind = T_OR;
    else if (word_is(p, t->a, t->b, "NOT"))
        t->kind = T_NOT;
    else if ((t->distance = near_distance(p, t->a, t->b)) > 0)
        t->kind = T_NEAR;
}

static void next(parser *p)
{
    size_t n;
    skip_spaces(p);
    memset(&p->tok, 0, sizeof p->tok);
    if (p->at >= p->len) {
        p->tok.kind = T_END;
        return;
    }
    size_t start = p->at;
    uint32_t c = char_at(p, p->at, &n);
    p->at += n;
    if (c == '(' || c == ')') {
        p->tok.kind = c == '(' ? T_LPAREN : T_RPAREN;
    } else if (is_quote(c)) {
        read_phrase(p, p->at);
    } else if ((c == '-' || c == '+') && p->at < p->len && !is_space(char_at(p, p->at, &n)) &&
               !(c == '-' && p->q[p->at] >= '0' && p->q[p->at] <= '9')) {
        p->tok.kind = c == '-' ? T_MINUS : T_PLUS; /* -word, -"a b", -(...) */
    } else {
        read_word(p, start);
    }
}

/* ---- tree building ---- */

static void note(parser *p, const char *what)
{
    fh_buf *notes = &p->tree->notes;
    if (p->st != FH_OK)
        return;
    if ((notes->len > 0 && fh_buf_append_str(notes, "; ") != FH_OK) ||
        fh_buf_append_str(notes, what) != FH_OK)
        p->st = fh_error_set(p->err, FH_ERR_NOMEM, "out of memory reading the query");
}

static fh_syn_node *new_node(parser *p, fh_syn_kind kind)
{
    struct fh_syn_pool *pool = p->tree->pool;
    if (p->st != FH_OK)
        return NULL;
    if (pool->n == pool->cap) {
        size_t cap = pool->cap ? pool->cap * 2 : 16;
        fh_syn_node **grown = realloc(pool->nodes, cap * sizeof *grown);
        if (grown == NULL) {
            p->st = fh_error_set(p->err, FH_ERR_NOMEM, "out of memory reading the query");
            return NULL;
        }
        pool->nodes = grown;
        pool->cap = cap;
    }
    fh_syn_node *node = calloc(1, sizeof *node);
    if (node == NULL) {
        p->st = fh_error_set(p->err, FH_ERR_NOMEM, "out of memory reading the query");
        return NULL;
    }
    node->kind = kind;
    pool->nodes[pool->n++] = node;
    return node;
}

static void add_kid(parser *p, fh_syn_node *parent, fh_syn_node *kid)
{
    if (p->st != FH_OK)
        return;
    fh_syn_node **grown = realloc(parent->kids, (parent->nkids + 1) * sizeof *grown);
    if (grown == NULL) {
        p->st = fh_error_set(p->err, FH_ERR_NOMEM, "out of memory reading the query");
        return;
    }
    parent->kids = grown;
    parent->kids[parent->nkids++] = kid;
}

/* left OP right, flattened into left when left is already that operator
 * (a OR b OR c is one OR of three). */
static fh_syn_node *join(parser *p, fh_syn_kind kind, unsigned distance, fh_syn_node *left,
                         fh_syn_node *right)
{
    if (left->kind == kind && left->distance == distance) {
        add_kid(p, left, right);
        return left;
    }
    fh_syn_node *n = new_node(p, kind);
    if (n == NULL)
        return left;
    n->distance = distance;
    add_kid(p, n, left);
    add_kid(p, n, right);
    return n;
}

/* ---- parser ---- */

static fh_syn_node *parse_and(parser *p, unsigned depth);

static const char *const FIELD_NAMES[] = {"title", "source", "lang", "id", "date"};

/* Whether the word [a, b) begins with a field name and a colon. */
static int field_of(const parser *p, size_t a, size_t b, fh_field *f, size_t *value)
{
    for (size_t i = 0; i < sizeof FIELD_NAMES / sizeof FIELD_NAMES[0]; i++) {
        size_t n = strlen(FIELD_NAMES[i]);
        if (b - a > n && p->q[a + n] == ':') {
            size_t k = 0;
            while (k < n && (p->q[a + k] | 0x20) == FIELD_NAMES[i][k])
                k++;
            if (k == n) {
                *f = (fh_field)i;
                *value = a + n + 1;
                return 1;
            }
        }
    }
    return 0;
}

/* field:value, or field: "a phrase" / field: value (a space after the colon). */
static fh_syn_node *parse_field(parser *p, fh_field f, size_t value, size_t end)
{
    fh_syn_node *n = new_node(p, FH_SYN_FIELD);
    if (n == NULL)
        return NULL;
    n->field = f;
    n->a = value;
    n->b = end;
    if (value < end)
        return n;
    if (p->tok.kind == T_WORD || p->tok.kind == T_PHRASE) {
        n->a = p->tok.a;
        n->b = p->tok.b;
        next(p);
        if (n->a < n->b)
            return n;
    }
    note(p, "ignored a field with no value");
    return NULL;
}

static fh_syn_node *parse_word(parser *p)
{
    size_t a = p->tok.a, b = p->tok.b, value;
    fh_field f;
    next(p);
    if (field_of(p, a, b, &f, &value))
        return parse_field(p, f, value, b);
    unsigned flags = 0;
    if (b - a > 1 && p->q[a] == '=') {
        flags |= FH_SYN_EXACT;
        a++;
    }
    if (b - a > 1 && p->q[b - 1] == '*') {
        flags |= FH_SYN_PREFIX;
        b--;
    }
    if ((b - a == 1 && (p->q[a] == '*' || p->q[a] == '=')) || a == b) {
        note(p, "ignored a lone * or =");
        return NULL;
    }
    fh_syn_node *n = new_node(p, FH_SYN_WORD);
    if (n) {
        n->flags = flags;
        n->a = a;
        n->b = b;
    }
    return n;
}

static fh_syn_node *parse_primary(parser *p, unsigned depth)
{
    if (p->tok.kind == T_WORD)
        return parse_word(p);
    if (p->tok.kind == T_PHRASE) {
        fh_syn_node *n = new_node(p, FH_SYN_PHRASE);
        if (!p->tok.closed)
            note(p, "closed an unbalanced quote at the end");
        if (n) {
            n->a = p->tok.a;
            n->b = p->tok.b;
        }
        next(p);
        return n;
    }
    if (p->tok.kind != T_LPAREN)
        return NULL;
    if (depth + 1 > FH_SYNTAX_MAX_DEPTH) {
        if (p->st == FH_OK)
            p->st = fh_error_set(p->err, FH_ERR_INVALID,
                                 "parentheses nested deeper than %d", FH_SYNTAX_MAX_DEPTH);
        return NULL;
    }
    next(p);
    fh_syn_node *inner = parse_and(p, depth + 1);
    if (p->tok.kind == T_RPAREN)
        next(p);
    else
        note(p, "closed an unbalanced ( at the end");
    return inner;
}

static fh_syn_node *parse_near(parser *p, unsigned depth)
{
    fh_syn_node *left = parse_primary(p, depth);
    while (left && p->st == FH_OK && p->tok.kind == T_NEAR) {
        unsigned distance = p->tok.distance > FH_SYNTAX_MAX_NEAR ? FH_SYNTAX_MAX_NEAR
                                                                 : p->tok.distance;
        if (p->tok.distance > FH_SYNTAX_MAX_NEAR)
            note(p, "NEAR distance capped at 100");
        next(p);
        fh_syn_node *right = parse_primary(p, depth);
        if (right == NULL) {
            note(p, "ignored a NEAR with nothing after it");
            break;
        }
        left = join(p, FH_SYN_NEAR, distance, left, right);
    }
    return left;
}

static fh_syn_node *parse_or(parser *p, unsigned depth)
{
    fh_syn_node *left = parse_near(p, depth);
    while (left && p->st == FH_OK && p->tok.kind == T_OR) {
        next(p);
        fh_syn_node *right = parse_near(p, depth);
        if (right == NULL) {
            note(p, "ignored an OR with nothing after it");
            break;
        }
        left = join(p, FH_SYN_OR, 0, left, right);
    }
    return left;
}

/* The parts of an AND, each wanted or excluded, collected in an AND and an
 * OR node of their own (not flattened into a part: a part may be a
 * parenthesized AND that carries flags of its own). */
typedef struct {
    fh_syn_node *want, *without;
    int strict; /* an AND was written between parts */
} parts;

static void collect(parser *p, fh_syn_node **group, fh_syn_kind kind, fh_syn_node *n)
{
    if (*group == NULL)
        *group = new_node(p, kind);
    if (*group)
        add_kid(p, *group, n);
}

static fh_syn_node *only_kid(fh_syn_node *group)
{
    return group && group->nkids == 1 ? group->kids[0] : group;
}

/* A token an AND cannot begin with: skipped, with a note, so that the
 * loop advances. */
static void skip_stray(parser *p, unsigned depth)
{
    switch (p->tok.kind) {
    case T_AND: break; /* AND between parts is what they already are (see parse_and) */
    case T_OR: note(p, "ignored an OR with nothing before it"); break;
    case T_NEAR: note(p, "ignored a NEAR with nothing before it"); break;
    case T_RPAREN:
        if (depth == 0)
            note(p, "ignored an unbalanced )");
        break;
    default: break;
    }
    next(p);
}

static fh_syn_node *parse_and(parser *p, unsigned depth)
{
    parts ps = {NULL, NULL, 0};
    while (p->st == FH_OK && p->tok.kind != T_END && !(p->tok.kind == T_RPAREN && depth > 0)) {
        int excluded = 0, required = 0;
        while (p->tok.kind == T_NOT || p->tok.kind == T_MINUS || p->tok.kind == T_PLUS) {
            excluded ^= p->tok.kind != T_PLUS;
            required |= p->tok.kind == T_PLUS;
            next(p);
        }
        size_t before = p->at;
        fh_syn_node *n = parse_or(p, depth);
        if (n) {
            n->flags |= required && !excluded ? FH_SYN_REQUIRED : 0;
            collect(p, excluded ? &ps.without : &ps.want, excluded ? FH_SYN_OR : FH_SYN_AND, n);
            continue;
        }
        if (excluded)
            note(p, "ignored a NOT or - with nothing after it");
        ps.strict |= p->tok.kind == T_AND;
        if (p->at == before && p->tok.kind != T_END && !(p->tok.kind == T_RPAREN && depth > 0))
            skip_stray(p, depth);
    }
    if (p->st != FH_OK || (ps.want == NULL && ps.without == NULL))
        return NULL;
    /* Only exclusions: an empty AND stands for what is wanted, and reading
     * the words decides (query.c): an error when one of them is a word,
     * nothing to search for when none is (- +). */
    if (ps.want == NULL && (ps.want = new_node(p, FH_SYN_AND)) == NULL)
        return NULL;
    fh_syn_node *want = only_kid(ps.want);
    if (ps.strict && want == ps.want)
        want->flags |= FH_SYN_STRICT;
    if (ps.without == NULL)
        return want;
    fh_syn_node *n = new_node(p, FH_SYN_AND_NOT);
    add_kid(p, n, want);
    for (size_t i = 0; i < ps.without->nkids; i++) {
        fh_syn_node *k = ps.without->kids[i];
        if (k->kind == FH_SYN_OR && k->flags == 0) /* -(b OR c) is -b -c */
            for (size_t j = 0; j < k->nkids; j++)
                add_kid(p, n, k->kids[j]);
        else
            add_kid(p, n, k);
    }
    return p->st == FH_OK ? n : NULL;
}

fh_status fh_syntax_read(const char *query, size_t len, fh_syntax_tree *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    out->pool = calloc(1, sizeof *out->pool);
    if (out->pool == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory reading the query");
    parser p = {query, len, 0, {0}, out, FH_OK, err};
    next(&p);
    out->root = parse_and(&p, 0);
    if (p.st != FH_OK)
        fh_syntax_free(out);
    return p.st;
}

void fh_syntax_free(fh_syntax_tree *t)
{
    if (t->pool) {
        for (size_t i = 0; i < t->pool->n; i++) {
            free(t->pool->nodes[i]->kids);
            free(t->pool->nodes[i]);
        }
        free(t->pool->nodes);
        free(t->pool);
    }
    fh_buf_free(&t->notes);
    memset(t, 0, sizeof *t);
}

const char *fh_field_name(fh_field f)
{
    return (unsigned)f < sizeof FIELD_NAMES / sizeof FIELD_NAMES[0] ? FIELD_NAMES[f] : "?";
}

static fh_status describe(const fh_syn_node *n, const char *q, fh_buf *out)
{
    static const char *const names[] = {"word", "phrase", "field", "AND", "OR", "NEAR", "AND_NOT"};
    fh_status st = n->flags & FH_SYN_REQUIRED ? fh_buf_append_char(out, '+') : FH_OK;
    if (st != FH_OK)
        return st;
    if (n->kind == FH_SYN_WORD || n->kind == FH_SYN_PHRASE || n->kind == FH_SYN_FIELD) {
        const char *label = n->kind == FH_SYN_FIELD ? fh_field_name(n->field) : names[n->kind];
        st = fh_buf_printf(out, "%s%s\"%.*s\"%s", n->flags & FH_SYN_EXACT ? "=" : "", label,
                           (int)(n->b - n->a), q + n->a, n->flags & FH_SYN_PREFIX ? "*" : "");
        return st;
    }
    st = n->kind == FH_SYN_NEAR ? fh_buf_printf(out, "NEAR/%u(", n->distance)
                                : fh_buf_printf(out, "%s(", names[n->kind]);
    for (size_t i = 0; i < n->nkids && st == FH_OK; i++) {
        if (i > 0)
            st = fh_buf_append_str(out, ", ");
        if (st == FH_OK)
            st = describe(n->kids[i], q, out);
    }
    return st == FH_OK ? fh_buf_append_char(out, ')') : st;
}

fh_status fh_syntax_describe(const fh_syntax_tree *t, const char *query, fh_buf *out)
{
    fh_buf_reset(out);
    return t->root ? describe(t->root, query, out) : FH_OK;
}
