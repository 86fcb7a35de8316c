/*
 * read_markdown.c - Markdown text for the reader (rd_strip_markdown, see
 * reader_int.h), through md4c's CommonMark parser with GitHub's tables,
 * strikethrough and task lists.  What a reader of the rendered page sees is
 * kept: the text of every block, link text and image descriptions (not
 * their targets), code as it is written, the text of raw HTML (HTML blocks
 * are read by the HTML reader's rules, read_html.c; tags inside a paragraph
 * are dropped) and the characters entities stand for.  Markers, fences,
 * link reference definitions and HTML comments are dropped.
 */
#include <stdint.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <md4c.h>

#include "fihris/buf.h"
#include "fihris/utf8.h"
#include "reader_int.h"

#define MD_FLAGS (MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS)
#define ENTITY_NAME_MAX 32 /* longer than any name libxml2 knows */
#define TAG_NAME_MAX 16    /* longer than any element that starts a line */

/* What separates the text written so far from the next text: the
 * strongest asked for since, written only once more text comes, so the
 * result neither starts nor ends with one. */
typedef enum { SEP_NONE, SEP_SPACE, SEP_LINE, SEP_BLANK } md_sep;

typedef struct {
    fh_buf *out;
    size_t start; /* out's length before the document */
    md_sep sep;
    int in_html;  /* inside an HTML block, whose lines gather in html
                   * (after a space) */
    fh_buf html;
    int again;    /* reading an unclosed comment's lines again (once only) */
    fh_status st; /* the first failure, which stops the parser */
} md_ctx;

static fh_status md_read(fh_buf *out, size_t start, md_sep *sep, const char *s, size_t len,
                         int again);

/* ------------------------------------------------------------------------ */
/* Writing text. */

static void md_separate(md_ctx *c, md_sep sep)
{
    if (sep > c->sep)
        c->sep = sep;
}

/* Appends s[0..n) after the separator it is owed; returns nonzero, which
 * stops the parser, on failure. */
static int md_put(md_ctx *c, const char *s, size_t n)
{
    static const char *const seps[] = {"", " ", "\n", "\n\n"};
    if (n == 0 || c->st != FH_OK)
        return c->st != FH_OK;
    if (c->out->len > c->start)
        c->st = fh_buf_append_str(c->out, seps[c->sep]);
    c->sep = SEP_NONE;
    if (c->st == FH_OK)
        c->st = fh_buf_append(c->out, s, n);
    return c->st != FH_OK;
}

/* Code keeps its text; its line breaks separate lines, two in a row leave
 * a blank line. */
static int md_code(md_ctx *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        const size_t end = nl ? (size_t)(nl - s) : n;
        if (md_put(c, s + i, end - i))
            return 1;
        if (nl)
            md_separate(c, c->sep >= SEP_LINE ? SEP_BLANK : SEP_LINE);
        i = end + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Entities. */

/* The code point of "&#...;" (md4c has checked the digits), U+FFFD for
 * one that is not a character. */
static uint32_t md_numeric_entity(const char *s, size_t n)
{
    const int hex = s[2] == 'x' || s[2] == 'X';
    uint32_t cp = 0;
    for (size_t i = hex ? 3 : 2; i + 1 < n && cp <= 0x10FFFF; i++) {
        const unsigned char d = (unsigned char)s[i];
        const uint32_t v = is_digit(d) ? (uint32_t)(d - '0') : (uint32_t)(to_lower(d) - 'a' + 10);
        cp = cp * (hex ? 16 : 10) + v;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return FH_REPLACEMENT_CHAR;
    return cp;
}

/* "&name;", "&#123;" or "&#x1F;" as the character it stands for; a name
 * HTML does not know stays as it is written.  Names are looked up in
 * libxml2's table of HTML 4 entities. */
static int md_entity(md_ctx *c, const char *s, size_t n)
{
    uint32_t cp = 0;
    if (n >= 4 && s[1] == '#') {
        cp = md_numeric_entity(s, n);
    } else if (n >= 3 && n - 2 < ENTITY_NAME_MAX) {
        char name[ENTITY_NAME_MAX];
        memcpy(name, s + 1, n - 2);
        name[n - 2] = '\0';
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
        cp = e ? e->value : 0;
    }
    if (cp == 0)
        return md_put(c, s, n);
    char utf8[4];
    return md_put(c, utf8, fh_utf8_encode(cp, utf8));
}

/* ------------------------------------------------------------------------ */
/* Raw HTML. */

/* A tag inside a paragraph (md4c hands them over one at a time, a line of
 * one at a time) is dropped; a line break inside it, or an element such as
 * <br> or <td>, keeps the words on either side apart. */
static void md_inline_html(md_ctx *c, const char *s, size_t n)
{
    if (memchr(s, '\n', n) != NULL) {
        md_separate(c, SEP_LINE);
        return;
    }
    if (n < 2 || s[0] != '<')
        return;
    char name[TAG_NAME_MAX];
    size_t i = s[1] == '/' ? 2 : 1, k = 0;
    while (i < n && k + 1 < sizeof name && is_alnum((unsigned char)s[i]))
        name[k++] = (char)to_lower((unsigned char)s[i++]);
    name[k] = '\0';
    if (k > 0 && (i == n || !is_alnum((unsigned char)s[i])) && rd_html_breaks_line(name))
        md_separate(c, SEP_LINE);
}

/* An HTML block that opens a comment and never closes it runs to the end
 * of its container, and a browser would show none of it; but a stray
 * "<!--" must not hide the rest of a file.  So its lines are read as
 * Markdown again, the "<!--" escaped as text: the block's lines were
 * gathered after a space, which the backslash takes the place of.  In
 * that second reading such a block is kept as it stands, so there is no
 * third. */
static int md_unclosed_comment(md_ctx *c, char *s, size_t n)
{
    if (c->again) {
        while (n > 0 && is_space((unsigned char)s[n - 1]))
            n--;
        return md_put(c, s, n);
    }
    s[-1] = '\\';
    c->st = md_read(c->out, c->start, &c->sep, s - 1, n + 1, 1);
    return c->st != FH_OK;
}

/* The HTML block just read, as the HTML reader sees it. */
static int md_html_block(md_ctx *c)
{
    char *s = c->html.data;
    const size_t n = c->html.len;
    size_t i = 1; /* past the space put first */
    while (i < n && s[i] == ' ')
        i++;
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0 && strstr(s + i + 2, "-->") == NULL)
        return md_unclosed_comment(c, s + i, n - i);
    fh_buf text = FH_BUF_INIT;
    c->st = rd_html_fragment_text(s, n, &text);
    if (c->st == FH_OK)
        md_put(c, text.data, text.len);
    fh_buf_free(&text);
    return c->st != FH_OK;
}

/* ------------------------------------------------------------------------ */
/* md4c's callbacks. */

/* Blocks start on a new line and leave a blank one after them; list items
 * and table rows take one line each, the cells of a row are spaced. */
static md_sep md_block_sep(MD_BLOCKTYPE type, int entering)
{
    switch (type) {
    case MD_BLOCK_DOC:
        return SEP_NONE;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        return SEP_SPACE;
    case MD_BLOCK_LI:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    case MD_BLOCK_TR:
        return SEP_LINE;
    default:
        return entering ? SEP_LINE : SEP_BLANK;
    }
}

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    md_ctx *c = ud;
    (void)detail;
    md_separate(c, md_block_sep(type, 1));
    if (type == MD_BLOCK_HTML) {
        c->in_html = 1;
        fh_buf_reset(&c->html);
        c->st = fh_buf_append_char(&c->html, ' ');
    }
    return c->st != FH_OK;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    md_ctx *c = ud;
    (void)detail;
    if (type == MD_BLOCK_HTML) {
        c->in_html = 0;
        if (md_html_block(c))
            return 1;
    }
    md_separate(c, md_block_sep(type, 0));
    return 0;
}

/* Emphasis, links and images carry their text inside them. */
static int md_span(MD_SPANTYPE type, void *detail, void *ud)
{
    (void)type, (void)detail, (void)ud;
    return 0;
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
    md_ctx *c = ud;
    switch (type) {
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
        md_separate(c, SEP_LINE);
        return 0;
    case MD_TEXT_NULLCHAR:
        return md_put(c, "\xEF\xBF\xBD", 3);
    case MD_TEXT_ENTITY:
        return md_entity(c, s, n);
    case MD_TEXT_CODE:
        return md_code(c, s, n);
    case MD_TEXT_HTML:
        if (!c->in_html) {
            md_inline_html(c, s, n);
            return 0;
        }
        c->st = fh_buf_append(&c->html, s, n);
        return c->st != FH_OK;
    default:
        return md_put(c, s, n);
    }
}

/* ------------------------------------------------------------------------ */
/* Memory. */

/* What md4c keeps while it parses, in bytes, as measured for the costliest
 * inputs and rounded up.  For the whole document: a line (with the block
 * it may start), a list item or quote opened by its marker, a line that
 * may be a link reference definition.  For the block being parsed only: a
 * '[' and any other character that may be markup. */
#define COST_LINE 16u
#define COST_ITEM 32u      /* the first list item a line opens */
#define COST_CONTAINER 64u /* any other list item or quote */
#define COST_BRACKET 64u
#define COST_MARK 24u
#define PARSE_BUDGET_FACTOR 4u
#define PARSE_BUDGET_FLOOR (16u * MIB)

/* The quote and list markers that begin a line (generously: any '>', '-',
 * '+', '*' or number ending in '.' or ')' before its text). */
typedef struct {
    size_t quotes, lists;
    size_t text; /* where what follows them starts */
} md_markers;

static md_markers md_line_markers(const char *s, size_t n)
{
    md_markers m = {0, 0, 0};
    size_t i = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t j = i;
        while (j < n && j - i < 9 && is_digit((unsigned char)s[j]))
            j++;
        const char c = j < n ? s[j] : '\0';
        if (j == i && c == '>')
            m.quotes++;
        else if (j > i ? c == '.' || c == ')' : c == '-' || c == '+' || c == '*')
            m.lists++;
        else
            break;
        i = j + 1;
    }
    m.text = i;
    return m;
}

static uint64_t md_mark_cost(char c)
{
    switch (c) {
    case '[':
        return COST_BRACKET;
    case '&': /* an entity holds two: its '&' and its ';' */
        return 2 * COST_MARK;
    case ']':
    case '!':
    case '*':
    case '_':
    case '`':
    case '~':
    case '<':
    case '>':
    case '\\':
    case '|':
        return COST_MARK;
    default:
        return 0;
    }
}

/* What a line with markers m costs the whole document, after a line with
 * *quotes quote markers (updated): every list marker opens a list item,
 * while quote markers open quotes only past the depth of the line before,
 * or inside a new list item. */
static uint64_t md_line_cost(const char *s, size_t n, const md_markers *m, size_t *quotes)
{
    const size_t quotes_opened = m->lists > 0           ? m->quotes
                                 : m->quotes > *quotes ? m->quotes - *quotes
                                                       : 0;
    uint64_t cost = COST_LINE + (uint64_t)quotes_opened * COST_CONTAINER;
    if (m->lists > 0)
        cost += COST_ITEM + (uint64_t)(m->lists - 1) * COST_CONTAINER;
    if (m->text < n && s[m->text] == '[')
        cost += COST_BRACKET;
    *quotes = m->quotes;
    return cost;
}

/* An estimate from above of the memory md4c takes to parse s[0..len). */
static uint64_t md_parse_cost(const char *s, size_t len)
{
    uint64_t document = 0, block = 0, worst_block = 0;
    size_t i = 0, quotes = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        const size_t end = nl ? (size_t)(nl - s) : len;
        const md_markers m = md_line_markers(s + i, end - i);
        document += md_line_cost(s + i, end - i, &m, &quotes);
        if (all_space(s + i, end - i))
            block = 0; /* a blank line ends every paragraph */
        for (size_t k = i + m.text; k < end; k++)
            block += md_mark_cost(s[k]);
        if (block > worst_block)
            worst_block = block;
        i = end + 1;
    }
    /* and a copy md4c may make of a block, with room to grow */
    return 2 * (uint64_t)len + document + worst_block;
}

int rd_markdown_fits(const char *s, size_t len)
{
    return md_parse_cost(s, len) <= (uint64_t)PARSE_BUDGET_FACTOR * len + PARSE_BUDGET_FLOOR;
}

/* ------------------------------------------------------------------------ */
/* Parsing. */

/* Parses s[0..len) into out, whose text so far began at start, owing *sep
 * before more text (updated). */
static fh_status md_read(fh_buf *out, size_t start, md_sep *sep, const char *s, size_t len,
                         int again)
{
    md_ctx c = {.out = out, .start = start, .sep = *sep, .again = again};
    const MD_PARSER parser = {
        .flags = MD_FLAGS,
        .enter_block = md_enter_block,
        .leave_block = md_leave_block,
        .enter_span = md_span,
        .leave_span = md_span,
        .text = md_text,
    };
    /* len is within FH_READER_MAX_BYTES, far from MD_SIZE's limit */
    const int failed = md_parse(s, (MD_SIZE)len, &parser, &c);
    fh_buf_free(&c.html);
    *sep = c.sep;
    if (c.st != FH_OK)
        return c.st;
    /* md4c fails on its own only when an allocation does. */
    return failed ? FH_ERR_NOMEM : FH_OK;
}

fh_status rd_strip_markdown(const char *s, size_t len, fh_buf *out)
{
    md_sep sep = SEP_NONE;
    if (fh_buf_reserve(out, len) != FH_OK)
        return FH_ERR_NOMEM;
    return md_read(out, out->len, &sep, s, len, 0);
}
