/*
 * read_markdown.c - Markdown markup stripping for the reader
 * (rd_strip_markdown, see reader_int.h): markup that carries no words is
 * removed, everything else kept, line by line.
 *
 * All markup characters are ASCII, so working byte by byte never splits a
 * UTF-8 character; bytes >= 0x80 count as word characters, which keeps an
 * underscore between Arabic (or any non-ASCII) letters intact.
 */
#include <string.h>

#include "fihris/buf.h"
#include "reader_int.h"

#define MD_MAX_OPEN 16 /* nested '[' tracked per line; deeper ones stay literal */
#define MD_MAX_TICKS 8 /* longer backtick runs stay literal */

typedef struct {
    const char *text; /* the whole document: comments may span lines */
    size_t len;
    fh_buf *out;
    int no_comment_end; /* no "-->" remains, so "<!--" is literal from here on */
} md_ctx;

/* What inline markup needs to remember along one line. */
typedef struct {
    size_t end; /* where the line ends */
    struct {
        size_t at, len; /* where in out, and 1 for '[' or 2 for "![" */
    } open[MD_MAX_OPEN];
    size_t nopen;
    size_t paren; /* next ')' at or after a link target, or end */
    int paren_known;
    unsigned tick_fail; /* bit n: no closing run of n backticks on this line */
} md_line;

/* ------------------------------------------------------------------------ */
/* Scanning helpers. */

static int md_word(unsigned char c)
{
    return is_alnum(c) || c >= 0x80;
}

/* A run of '*' or '_' is emphasis when it touches a word on one side only:
 * "a * b", "* item", snake_case and 2*3 keep theirs. */
static int md_emphasis(unsigned char prev, unsigned char next)
{
    if (is_space(prev) && is_space(next))
        return 0;
    if (md_word(prev) && md_word(next))
        return 0;
    return 1;
}

static size_t run_length(const char *s, size_t i, size_t end)
{
    size_t j = i;
    while (j < end && s[j] == s[i])
        j++;
    return j - i;
}

/* Offset of "-->" at or after from, or len. */
static size_t find_comment_end(const char *s, size_t from, size_t len)
{
    for (size_t i = from; i + 3 <= len; i++) {
        const char *p = memchr(s + i, '-', len - i);
        if (p == NULL)
            break;
        i = (size_t)(p - s);
        if (i + 3 <= len && p[1] == '-' && p[2] == '>')
            return i;
    }
    return len;
}

/* Closing backtick run of exactly n after from, on this line; end if none. */
static size_t find_ticks(const char *s, size_t from, size_t end, size_t n)
{
    size_t i = from;
    while (i < end) {
        const char *p = memchr(s + i, '`', end - i);
        if (p == NULL)
            return end;
        i = (size_t)(p - s);
        const size_t m = run_length(s, i, end);
        if (m == n)
            return i;
        i += m;
    }
    return end;
}

/* ------------------------------------------------------------------------ */
/* Inline markup, one step per kind.  Each step starts at s[*i], appends
 * what it keeps to out and moves *i past what it consumed. */

/* Text up to the next character that may start markup, kept as it is. */
static fh_status md_plain(md_ctx *c, md_line *ln, size_t *i)
{
    const char *s = c->text;
    size_t j = *i + 1;
    while (j < ln->end && !strchr("\\<`*_[!]", s[j]))
        j++;
    const fh_status st = fh_buf_append(c->out, s + *i, j - *i);
    *i = j;
    return st;
}

/* A backslash before punctuation: the punctuation, literally. */
static fh_status md_escape(md_ctx *c, size_t *i)
{
    const fh_status st = fh_buf_append_char(c->out, c->text[*i + 1]);
    *i += 2;
    return st;
}

static int md_comment_starts(const md_ctx *c, size_t i, size_t end)
{
    return !c->no_comment_end && end - i >= 4 && memcmp(c->text + i, "<!--", 4) == 0;
}

/* An HTML comment, dropped.  *past_end is set when it ran past this line;
 * *i is then where to go on.  Without a "-->" anywhere after it, "<!--"
 * is text. */
static fh_status md_comment(md_ctx *c, md_line *ln, size_t *i, int *past_end)
{
    const size_t close = find_comment_end(c->text, *i + 4, c->len);
    *past_end = 0;
    if (close == c->len) {
        c->no_comment_end = 1;
        return md_plain(c, ln, i);
    }
    fh_status st = FH_OK;
    /* Keep a line break the comment swallowed, so words around it stay
     * apart. */
    if (memchr(c->text + *i, '\n', close - *i) != NULL)
        st = fh_buf_append_char(c->out, '\n');
    *past_end = close + 3 > ln->end;
    *i = close + 3;
    return st;
}

/* A code span keeps its contents verbatim, with no markup inside; a
 * backtick run with no closing run on the line is text. */
static fh_status md_code(md_ctx *c, md_line *ln, size_t *i)
{
    const char *s = c->text;
    const size_t n = run_length(s, *i, ln->end);
    const size_t close = n <= MD_MAX_TICKS && !(ln->tick_fail & (1u << n))
                             ? find_ticks(s, *i + n, ln->end, n)
                             : ln->end;
    fh_status st;
    if (close < ln->end) {
        st = fh_buf_append(c->out, s + *i + n, close - *i - n);
        *i = close + n;
        return st;
    }
    if (n <= MD_MAX_TICKS)
        ln->tick_fail |= 1u << n;
    st = fh_buf_append(c->out, s + *i, n);
    *i += n;
    return st;
}

/* A run of '*' or '_': dropped when it is emphasis. */
static fh_status md_emphasis_run(md_ctx *c, md_line *ln, size_t *i)
{
    const char *s = c->text;
    const size_t n = run_length(s, *i, ln->end);
    const unsigned char prev = *i > 0 ? (unsigned char)s[*i - 1] : ' ';
    const unsigned char next = *i + n < ln->end ? (unsigned char)s[*i + n] : ' ';
    fh_status st = FH_OK;
    if (!md_emphasis(prev, next))
        st = fh_buf_append(c->out, s + *i, n);
    *i += n;
    return st;
}

/* '[' or "![": kept for now, and remembered in case a "](url)" follows. */
static fh_status md_link_open(md_ctx *c, md_line *ln, size_t *i)
{
    const size_t n = c->text[*i] == '!' ? 2 : 1;
    if (ln->nopen < MD_MAX_OPEN) {
        ln->open[ln->nopen].at = c->out->len;
        ln->open[ln->nopen].len = n;
        ln->nopen++;
    }
    const fh_status st = fh_buf_append(c->out, c->text + *i, n);
    *i += n;
    return st;
}

/* Offset of the ')' closing a link target that starts at from, or end.
 * Targets start further right each time, so one memchr per ')' keeps long
 * lines linear. */
static size_t md_link_target_end(const md_ctx *c, md_line *ln, size_t from)
{
    if (!ln->paren_known || ln->paren < from) {
        const char *p = memchr(c->text + from, ')', ln->end - from);
        ln->paren = p ? (size_t)(p - c->text) : ln->end;
        ln->paren_known = 1;
    }
    return ln->paren;
}

/* ']' after an opener: [text](url) becomes text (the opener is taken back
 * out of out, the target skipped); anything else keeps its brackets. */
static fh_status md_link_close(md_ctx *c, md_line *ln, size_t *i)
{
    const char *s = c->text;
    ln->nopen--;
    if (*i + 1 < ln->end && s[*i + 1] == '(') {
        const size_t paren = md_link_target_end(c, ln, *i + 2);
        if (paren < ln->end) {
            fh_buf *out = c->out;
            const size_t at = ln->open[ln->nopen].at, n = ln->open[ln->nopen].len;
            memmove(out->data + at, out->data + at + n, out->len - at - n);
            out->len -= n;
            out->data[out->len] = '\0';
            *i = paren + 1;
            return FH_OK;
        }
    }
    (*i)++;
    return fh_buf_append_char(c->out, ']');
}

/* Inline markup of s[i..end) within one line; *resume receives where
 * processing stopped, which is past end when an HTML comment ran over
 * lines. */
static fh_status md_inline(md_ctx *c, size_t i, size_t end, size_t *resume)
{
    const char *s = c->text;
    md_line ln = {.end = end};
    fh_status st = FH_OK;
    while (i < end && st == FH_OK) {
        const char ch = s[i];
        const char next = i + 1 < end ? s[i + 1] : '\0';
        int past_end = 0;
        if (ch == '\\' && is_punct((unsigned char)next))
            st = md_escape(c, &i);
        else if (ch == '<' && md_comment_starts(c, i, end))
            st = md_comment(c, &ln, &i, &past_end);
        else if (ch == '`')
            st = md_code(c, &ln, &i);
        else if (ch == '*' || ch == '_')
            st = md_emphasis_run(c, &ln, &i);
        else if (ch == '[' || (ch == '!' && next == '['))
            st = md_link_open(c, &ln, &i);
        else if (ch == ']' && ln.nopen > 0)
            st = md_link_close(c, &ln, &i);
        else
            st = md_plain(c, &ln, &i);
        if (past_end) {
            *resume = i;
            return st;
        }
    }
    *resume = end;
    return st;
}

/* Inline markup of from..to on the line ending at end, following comments
 * that run over lines; *next receives where the next line starts. */
static fh_status md_inline_lines(md_ctx *c, size_t from, size_t to, size_t end, size_t *next)
{
    size_t resume;
    fh_status st = md_inline(c, from, to, &resume);
    while (st == FH_OK && resume > end) {
        const char *nl = memchr(c->text + resume, '\n', c->len - resume);
        end = nl ? (size_t)(nl - c->text) : c->len;
        st = md_inline(c, resume, end, &resume);
    }
    if (st == FH_OK)
        st = fh_buf_append_char(c->out, '\n');
    *next = end < c->len ? end + 1 : c->len;
    return st;
}

/* ------------------------------------------------------------------------ */
/* Block markup: fences, rules, headings. */

static size_t md_indent(const char *s, size_t i, size_t end)
{
    size_t n = 0;
    while (i + n < end && n < 3 && s[i + n] == ' ')
        n++;
    return i + n;
}

/* A ``` or ~~~ fence line; stores its character and length. */
static int md_fence(const char *s, size_t i, size_t end, char *fch, size_t *flen)
{
    i = md_indent(s, i, end);
    if (i >= end || (s[i] != '`' && s[i] != '~'))
        return 0;
    const size_t n = run_length(s, i, end);
    if (n < 3)
        return 0;
    *fch = s[i];
    *flen = n;
    return 1;
}

/* A fence of the same character, at least as long, and nothing after it. */
static int md_fence_closes(const char *s, size_t i, size_t end, char fch, size_t flen)
{
    char ch;
    size_t n;
    if (!md_fence(s, i, end, &ch, &n) || ch != fch || n < flen)
        return 0;
    const size_t after = md_indent(s, i, end) + n;
    return all_space(s + after, end - after);
}

/* Setext underlines ("===", "---" under a line) and thematic breaks carry
 * no words. */
static int md_rule(const char *s, size_t i, size_t end, int after_text)
{
    i = md_indent(s, i, end);
    if (i >= end)
        return 0;
    const char ch = s[i];
    if (ch != '=' && ch != '-' && ch != '*' && ch != '_')
        return 0;
    size_t count = 0;
    for (; i < end; i++) {
        if (s[i] == ch)
            count++;
        else if (!is_space((unsigned char)s[i]))
            return 0;
    }
    if ((ch == '=' || ch == '-') && after_text)
        return 1;
    return ch != '=' && count >= 3;
}

/* The content of an ATX heading line without its #'s, in *from..*to. */
static int md_heading(const char *s, size_t i, size_t end, size_t *from, size_t *to)
{
    i = md_indent(s, i, end);
    const size_t n = run_length(s, i, end);
    if (i >= end || s[i] != '#' || n > 6 || (i + n < end && s[i + n] != ' ' && s[i + n] != '\t'))
        return 0;
    size_t a = i + n, b = end;
    while (a < b && is_space((unsigned char)s[a]))
        a++;
    while (b > a && is_space((unsigned char)s[b - 1]))
        b--;
    /* An optional closing sequence of #'s, after a space. */
    size_t k = b;
    while (k > a && s[k - 1] == '#')
        k--;
    if (k == a || (k < b && is_space((unsigned char)s[k - 1]))) {
        b = k;
        while (b > a && is_space((unsigned char)s[b - 1]))
            b--;
    }
    *from = a;
    *to = b;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Lines. */

/* Where the line-level reading stands between lines. */
typedef struct {
    int in_fence;   /* inside a fenced code block */
    char fch;       /* its fence character and length */
    size_t flen;
    int after_text; /* the previous line had text (for setext underlines) */
} md_blocks;

/* A line inside a fenced code block: kept verbatim, unless it closes it. */
static fh_status md_fenced_line(md_ctx *c, md_blocks *b, size_t pos, size_t end)
{
    if (md_fence_closes(c->text, pos, end, b->fch, b->flen)) {
        b->in_fence = 0;
        return FH_OK;
    }
    fh_status st = fh_buf_append(c->out, c->text + pos, end - pos);
    if (st == FH_OK)
        st = fh_buf_append_char(c->out, '\n');
    return st;
}

fh_status rd_strip_markdown(const char *s, size_t len, fh_buf *out)
{
    md_ctx c = {.text = s, .len = len, .out = out};
    md_blocks b = {0};
    size_t pos = 0;
    fh_status st = FH_OK;
    if (fh_buf_reserve(out, len) != FH_OK)
        return FH_ERR_NOMEM;
    while (pos < len && st == FH_OK) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        const size_t end = nl ? (size_t)(nl - s) : len;
        const size_t next = nl ? end + 1 : len;
        size_t from = pos, to = end;
        if (b.in_fence) {
            st = md_fenced_line(&c, &b, pos, end);
        } else if (md_fence(s, pos, end, &b.fch, &b.flen)) {
            b.in_fence = 1;
        } else if (md_rule(s, pos, end, b.after_text)) {
            b.after_text = 0;
        } else {
            md_heading(s, pos, end, &from, &to);
            b.after_text = !all_space(s + pos, end - pos);
            st = md_inline_lines(&c, from, to, end, &pos);
            continue;
        }
        pos = next;
    }
    return st;
}
