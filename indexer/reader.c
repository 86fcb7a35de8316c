/*
 * reader.c - turns files (plain text, Markdown, HTML, JSONL) into documents
 * for the indexer, and lists the files under the paths it is given (see
 * reader.h).
 *
 * Input is checked once, here at the edge: whatever reaches the sink is
 * valid UTF-8.  Problems with a file are reported as notices and reading
 * goes on; only running out of memory makes a call fail.
 */
#include "fihris/reader.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/tree.h>

#include "fihris/buf.h"
#include "fihris/utf8.h"

/* Binary detection looks at this much of a file, like most tools do. */
#define SNIFF_BYTES 8192u
#define READ_CHUNK 65536u
#define MIB (1024u * 1024u)
/* Long enough to recognise a value, short enough for a one-line notice. */
#define EXCERPT_BYTES 60u
#define NOTICE_MAX 512u

typedef enum { FMT_NONE, FMT_TEXT, FMT_MARKDOWN, FMT_HTML, FMT_JSONL } file_format;

/* ------------------------------------------------------------------------ */
/* Small helpers.  ASCII-only on purpose: <ctype.h> depends on the locale
 * and would misclassify bytes of multi-byte UTF-8 characters. */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_punct(unsigned char c)
{
    return c > ' ' && c < 0x7F && !is_alnum(c);
}

static unsigned char to_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int equal_nocase(const char *a, const char *b)
{
    while (*a && to_lower((unsigned char)*a) == to_lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Case-insensitive search for an ASCII needle in s[0..len). */
static const char *find_nocase(const char *s, size_t len, const char *needle)
{
    const size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && to_lower((unsigned char)s[i + k]) == (unsigned char)needle[k])
            k++;
        if (k == n)
            return s + i;
    }
    return NULL;
}

static int all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

static int has_utf8_bom(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* ------------------------------------------------------------------------ */
/* Notices. */

/* Cut at a UTF-8 character boundary so a truncated message stays valid. */
static void trim_partial_utf8(char *s)
{
    const size_t len = strlen(s);
    s[fh_utf8_find_invalid(s, len)] = '\0';
}

static void notify(const fh_reader_sink *sink, fh_notice_kind kind, const char *path,
                   size_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void notify(const fh_reader_sink *sink, fh_notice_kind kind, const char *path,
                   size_t line, const char *fmt, ...)
{
    if (sink == NULL || sink->notice == NULL)
        return;
    char msg[NOTICE_MAX];
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof msg)
        trim_partial_utf8(msg);
    sink->notice(sink->ctx, kind, path, line, msg);
}

/* strerror in the lower-case style of the other notices; strerror_r because
 * the indexer may read files from several threads. */
static void errno_text(int errnum, char *out, size_t size)
{
    if (errnum == ENOENT) {
        snprintf(out, size, "no such file or directory");
        return;
    }
    if (strerror_r(errnum, out, size) != 0)
        snprintf(out, size, "error %d", errnum);
    if (out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z')
        out[0] = (char)to_lower((unsigned char)out[0]);
    trim_partial_utf8(out);
}

static void notify_errno(const fh_reader_sink *sink, fh_notice_kind kind, const char *path,
                         int errnum)
{
    char text[256];
    errno_text(errnum, text, sizeof text);
    notify(sink, kind, path, 0, "%s", text);
}

/* A single-line, valid UTF-8 copy of at most max bytes of s, for quoting
 * in a notice. */
static void excerpt(const char *s, size_t len, size_t max, char *out, size_t size)
{
    const size_t room = size - 4; /* "..." and NUL */
    size_t cut = len < max ? len : max;
    if (cut > room)
        cut = room;
    cut = fh_utf8_find_invalid(s, cut);
    for (size_t i = 0; i < cut; i++) {
        const unsigned char c = (unsigned char)s[i];
        out[i] = (char)(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    out[cut] = '\0';
    if (cut < len)
        memcpy(out + cut, "...", 4);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ------------------------------------------------------------------------ */
/* File types and opening. */

static file_format format_of(const char *path)
{
    static const struct {
        const char *ext;
        file_format format;
    } table[] = {
        {"txt", FMT_TEXT},  {"md", FMT_MARKDOWN}, {"markdown", FMT_MARKDOWN},
        {"html", FMT_HTML}, {"htm", FMT_HTML},    {"jsonl", FMT_JSONL},
    };
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot == NULL)
        return FMT_NONE;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (equal_nocase(dot + 1, table[i].ext))
            return table[i].format;
    return FMT_NONE;
}

int fh_reader_supports(const char *path)
{
    return path != NULL && format_of(path) != FMT_NONE;
}

/* Opens path for reading, or reports why not and returns -1.  O_NONBLOCK
 * keeps a FIFO with a document-like name from hanging the indexer. */
static int open_input(const char *path, const fh_reader_sink *sink, struct stat *st)
{
    const int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        notify_errno(sink, FH_NOTICE_FAILED, path, errno);
        return -1;
    }
    if (fstat(fd, st) != 0) {
        notify_errno(sink, FH_NOTICE_FAILED, path, errno);
        close(fd);
        return -1;
    }
    if (S_ISDIR(st->st_mode)) {
        notify_errno(sink, FH_NOTICE_FAILED, path, EISDIR);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        notify(sink, FH_NOTICE_SKIPPED, path, 0, "not a regular file");
        close(fd);
        return -1;
    }
    return fd;
}

static void notify_too_large(const fh_reader_sink *sink, const char *path, uint64_t size)
{
    notify(sink, FH_NOTICE_SKIPPED, path, 0, "file too large (%llu MB, limit %u MB)",
           (unsigned long long)((size + MIB - 1) / MIB), FH_READER_MAX_BYTES / MIB);
}

/* Reads the whole file into out, stopping once it exceeds the limit (the
 * file may have grown since fstat).  Returns FH_ERR_IO with *errnum set on
 * a read error. */
static fh_status read_all(int fd, size_t size_hint, fh_buf *out, int *too_large, int *errnum)
{
    *too_large = 0;
    if (fh_buf_reserve(out, size_hint) != FH_OK)
        return FH_ERR_NOMEM;
    for (;;) {
        if (out->len > FH_READER_MAX_BYTES) {
            *too_large = 1;
            return FH_OK;
        }
        if (fh_buf_reserve(out, READ_CHUNK) != FH_OK)
            return FH_ERR_NOMEM;
        const ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *errnum = errno;
            return FH_ERR_IO;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    return FH_OK;
}

/* ------------------------------------------------------------------------ */
/* Content checks shared by the formats. */

/* A NUL anywhere in the first SNIFF_BYTES, or more than 30% of them being
 * control characters or ill-formed UTF-8, means binary (or a legacy
 * encoding we cannot read without a declaration). */
static int looks_binary(const char *s, size_t len)
{
    const size_t window = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    if (memchr(s, '\0', window) != NULL)
        return 1;
    const unsigned char *u = (const unsigned char *)s;
    size_t bad = 0, i = 0;
    while (i < window) {
        if (u[i] < 0x80) {
            const unsigned char c = u[i];
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
                bad++;
            i++;
            continue;
        }
        uint32_t cp;
        const size_t n = fh_utf8_decode(u + i, len - i, &cp);
        /* A literal U+FFFD decodes like an error; only errors count. */
        if (cp == FH_REPLACEMENT_CHAR && !(n == 3 && memcmp(u + i, "\xEF\xBF\xBD", 3) == 0))
            bad += n;
        i += n;
    }
    return bad * 10 > window * 3;
}

/* CRLF and lone CR (old Mac files) become LF, so lines split the same way
 * everywhere.  NUL is valid UTF-8, but the sink may treat title and body
 * as C strings: a NUL past the sniffed window becomes a space. */
static void normalize_controls(fh_buf *b)
{
    char *const s = b->data;
    size_t w = 0;
    for (size_t r = 0; r < b->len; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < b->len && s[r + 1] == '\n')
                r++;
        } else {
            s[w++] = s[r] == '\0' ? ' ' : s[r];
        }
    }
    b->len = w;
    s[w] = '\0';
}

/* What a whole-file reader learned that the sink hears about only when the
 * document is kept (a skipped file gets one notice, not several). */
typedef struct {
    const char *path;
    const fh_reader_sink *sink;
    size_t replaced;     /* ill-formed UTF-8 sequences replaced by U+FFFD */
    char charset[48];    /* unknown declared charset read as UTF-8, or "" */
} whole_file;

/* Checks raw text (a UTF-8 BOM already removed) and appends its repaired
 * form to text.  *usable is 0 when the file was skipped. */
static fh_status prepare_text(whole_file *wf, const char *s, size_t len, fh_buf *text,
                              int *usable)
{
    *usable = 0;
    if (all_space(s, len)) {
        notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "empty file");
        return FH_OK;
    }
    if (looks_binary(s, len)) {
        notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "binary file");
        return FH_OK;
    }
    if (fh_utf8_repair(s, len, text, &wf->replaced) != FH_OK)
        return FH_ERR_NOMEM;
    normalize_controls(text);
    *usable = 1;
    return FH_OK;
}

/* Hands one whole-file document to the sink, with the warnings it earned.
 * title and body must be NUL-terminated at their lengths. */
static fh_status emit_whole_file(const whole_file *wf, const char *title, size_t title_len,
                                 const char *body, size_t body_len)
{
    if (title_len == 0 && body_len == 0) {
        notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "no visible text");
        return FH_OK;
    }
    fh_buf id = FH_BUF_INIT;
    const size_t path_len = strlen(wf->path);
    if (fh_utf8_find_invalid(wf->path, path_len) < path_len) {
        if (fh_utf8_repair(wf->path, path_len, &id, NULL) != FH_OK) {
            fh_buf_free(&id);
            return FH_ERR_NOMEM;
        }
        notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
               "file name is not valid UTF-8; its id uses U+FFFD");
    }
    if (wf->charset[0])
        notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0, "unknown charset \"%s\"; read as UTF-8",
               wf->charset);
    if (wf->replaced)
        notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0, "%zu invalid UTF-8 %s replaced by U+FFFD",
               wf->replaced, plural(wf->replaced, "sequence", "sequences"));
    const fh_document doc = {
        .id = id.data ? id.data : wf->path,
        .title = title,
        .body = body,
        .title_len = title_len,
        .body_len = body_len,
        .path = wf->path,
    };
    if (wf->sink->document)
        wf->sink->document(wf->sink->ctx, &doc);
    fh_buf_free(&id);
    return FH_OK;
}

/* Title = the first non-blank line, trimmed; body = everything after that
 * line, trimmed.  The title is copied into title_out; the body is left in
 * text, NUL-terminated in place. */
static fh_status split_title(fh_buf *text, fh_buf *title_out, const char **body, size_t *body_len)
{
    char *s = text->data;
    const char *end = s + text->len;
    const char *line = s;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = nl ? nl : end;
        const char *a = line, *b = line_end;
        while (a < b && is_space((unsigned char)*a))
            a++;
        while (b > a && is_space((unsigned char)b[-1]))
            b--;
        line = nl ? nl + 1 : end;
        if (a < b) {
            if (fh_buf_append(title_out, a, (size_t)(b - a)) != FH_OK)
                return FH_ERR_NOMEM;
            break;
        }
    }
    char *from = s + (line - s), *to = s + text->len;
    while (from < to && is_space((unsigned char)*from))
        from++;
    while (to > from && is_space((unsigned char)to[-1]))
        to--;
    *to = '\0';
    *body = from;
    *body_len = (size_t)(to - from);
    return FH_OK;
}

/* ------------------------------------------------------------------------ */
/* Markdown: markup that carries no words is removed, everything else kept.
 * All markup characters are ASCII, so working byte by byte never splits a
 * UTF-8 character; bytes >= 0x80 count as word characters, which keeps an
 * underscore between Arabic (or any non-ASCII) letters intact. */

typedef struct {
    const char *text; /* the whole document: comments may span lines */
    size_t len;
    fh_buf *out;
    int no_comment_end; /* no "-->" remains, so "<!--" is literal from here on */
} md_ctx;

#define MD_MAX_OPEN 16 /* nested '[' tracked per line; deeper ones stay literal */
#define MD_MAX_TICKS 8 /* longer backtick runs stay literal */

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

/* Inline markup of s[i..end) within one line; returns where processing
 * stopped, which is past end when an HTML comment ran over lines. */
static fh_status md_inline(md_ctx *c, size_t i, size_t end, size_t *resume)
{
    const char *s = c->text;
    fh_buf *out = c->out;
    struct {
        size_t at, len;
    } open[MD_MAX_OPEN];
    size_t nopen = 0;
    size_t paren = 0;        /* next ')' at or after a link target, or end */
    int paren_known = 0;
    unsigned tick_fail = 0;  /* bit n: no closing run of n backticks on this line */
    fh_status st = FH_OK;

    while (i < end && st == FH_OK) {
        const char ch = s[i];
        if (ch == '\\' && i + 1 < end && is_punct((unsigned char)s[i + 1])) {
            st = fh_buf_append_char(out, s[i + 1]);
            i += 2;
        } else if (ch == '<' && !c->no_comment_end && end - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const size_t close = find_comment_end(s, i + 4, c->len);
            if (close == c->len) {
                c->no_comment_end = 1;
                continue;
            }
            /* Keep a line break the comment swallowed, so words around it
             * stay apart. */
            if (memchr(s + i, '\n', close - i) != NULL)
                st = fh_buf_append_char(out, '\n');
            if (close + 3 > end) {
                *resume = close + 3;
                return st;
            }
            i = close + 3;
        } else if (ch == '`') {
            const size_t n = run_length(s, i, end);
            const size_t close = n <= MD_MAX_TICKS && !(tick_fail & (1u << n))
                                     ? find_ticks(s, i + n, end, n)
                                     : end;
            if (close < end) {
                /* Code span: contents verbatim, no markup inside. */
                st = fh_buf_append(out, s + i + n, close - i - n);
                i = close + n;
            } else {
                if (n <= MD_MAX_TICKS)
                    tick_fail |= 1u << n;
                st = fh_buf_append(out, s + i, n);
                i += n;
            }
        } else if (ch == '*' || ch == '_') {
            const size_t n = run_length(s, i, end);
            const unsigned char prev = i > 0 ? (unsigned char)s[i - 1] : ' ';
            const unsigned char next = i + n < end ? (unsigned char)s[i + n] : ' ';
            if (!md_emphasis(prev, next))
                st = fh_buf_append(out, s + i, n);
            i += n;
        } else if (ch == '[' || (ch == '!' && i + 1 < end && s[i + 1] == '[')) {
            const size_t n = ch == '!' ? 2 : 1;
            if (nopen < MD_MAX_OPEN) {
                open[nopen].at = out->len;
                open[nopen].len = n;
                nopen++;
            }
            st = fh_buf_append(out, s + i, n);
            i += n;
        } else if (ch == ']' && nopen > 0) {
            nopen--;
            if (i + 1 < end && s[i + 1] == '(') {
                /* Targets start further right each time, so one memchr per
                 * ')' keeps long lines linear. */
                if (!paren_known || paren < i + 2) {
                    const char *p = memchr(s + i + 2, ')', end - i - 2);
                    paren = p ? (size_t)(p - s) : end;
                    paren_known = 1;
                }
                if (paren < end) {
                    /* [text](url) -> text: drop the opener, skip the target. */
                    const size_t at = open[nopen].at, n = open[nopen].len;
                    memmove(out->data + at, out->data + at + n, out->len - at - n);
                    out->len -= n;
                    out->data[out->len] = '\0';
                    i = paren + 1;
                    continue;
                }
            }
            st = fh_buf_append_char(out, ']');
            i++;
        } else {
            size_t j = i + 1;
            while (j < end && !strchr("\\<`*_[!]", s[j]))
                j++;
            st = fh_buf_append(out, s + i, j - i);
            i = j;
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

static fh_status strip_markdown(const char *s, size_t len, fh_buf *out)
{
    md_ctx c = {.text = s, .len = len, .out = out};
    char fch = 0;
    size_t flen = 0;
    int in_fence = 0, after_text = 0;
    size_t pos = 0;
    fh_status st = FH_OK;
    if (fh_buf_reserve(out, len) != FH_OK)
        return FH_ERR_NOMEM;
    while (pos < len && st == FH_OK) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        const size_t end = nl ? (size_t)(nl - s) : len;
        const size_t next = nl ? end + 1 : len;
        size_t from = pos, to = end;
        if (in_fence) {
            if (md_fence_closes(s, pos, end, fch, flen))
                in_fence = 0;
            else if ((st = fh_buf_append(out, s + pos, end - pos)) == FH_OK)
                st = fh_buf_append_char(out, '\n');
            pos = next;
            continue;
        }
        if (md_fence(s, pos, end, &fch, &flen)) {
            in_fence = 1;
            pos = next;
            continue;
        }
        if (md_rule(s, pos, end, after_text)) {
            after_text = 0;
            pos = next;
            continue;
        }
        md_heading(s, pos, end, &from, &to);
        after_text = !all_space(s + pos, end - pos);
        st = md_inline_lines(&c, from, to, end, &pos);
    }
    return st;
}

/* ------------------------------------------------------------------------ */
/* Plain text and Markdown. */

static fh_status read_text(whole_file *wf, const char *s, size_t len, int markdown)
{
    fh_buf text = FH_BUF_INIT, title = FH_BUF_INIT;
    int usable;
    fh_status st = prepare_text(wf, s, len, &text, &usable);
    if (st == FH_OK && usable && markdown) {
        fh_buf clean = FH_BUF_INIT;
        st = strip_markdown(text.data, text.len, &clean);
        fh_buf_free(&text);
        text = clean;
    }
    const char *body = NULL;
    size_t body_len = 0;
    /* A usable text is never empty, so text.data is allocated. */
    if (st == FH_OK && usable)
        st = split_title(&text, &title, &body, &body_len);
    if (st == FH_OK && usable)
        st = emit_whole_file(wf, title.data ? title.data : "", title.len, body, body_len);
    fh_buf_free(&text);
    fh_buf_free(&title);
    return st;
}

/* ------------------------------------------------------------------------ */
/* HTML, through libxml2's forgiving parser. */

/* Collects visible text: runs of white space become one space, block
 * boundaries one line break, so words from adjacent blocks never merge. */
typedef struct {
    fh_buf *out;
    int pending_space, pending_break;
    int one_line; /* titles: line breaks become spaces */
    int pre;      /* depth of <pre>: its line breaks are kept */
} text_builder;

static fh_status tb_text(text_builder *tb, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const unsigned char c = (unsigned char)s[i];
        if (c == '\n' && tb->pre && !tb->one_line) {
            tb->pending_break = 1;
            i++;
            continue;
        }
        if (is_space(c)) {
            tb->pending_space = 1;
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { /* &nbsp; */
            tb->pending_space = 1;
            i += 2;
            continue;
        }
        size_t j = i + 1;
        while (j < len && !is_space((unsigned char)s[j]) &&
               !((unsigned char)s[j] == 0xC2 && j + 1 < len && (unsigned char)s[j + 1] == 0xA0))
            j++;
        if (tb->out->len > 0 && (tb->pending_break || tb->pending_space)) {
            const char sep = tb->pending_break && !tb->one_line ? '\n' : ' ';
            if (fh_buf_append_char(tb->out, sep) != FH_OK)
                return FH_ERR_NOMEM;
        }
        tb->pending_space = tb->pending_break = 0;
        if (fh_buf_append(tb->out, s + i, j - i) != FH_OK)
            return FH_ERR_NOMEM;
        i = j;
    }
    return FH_OK;
}

static int name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

/* Elements whose content is never shown. */
static const char *const html_hidden[] = {"script", "style", "noscript", "template", NULL};

/* Left out of the body; the title is read apart. */
static int html_dropped(const char *name)
{
    return name_in(name, html_hidden) || strcmp(name, "head") == 0 ||
           strcmp(name, "title") == 0;
}

static int html_block(const char *name)
{
    static const char *const block[] = {
        "address", "article", "aside",   "blockquote", "body",     "br",      "caption",
        "center",  "dd",      "details", "dialog",     "dir",      "div",     "dl",
        "dt",      "fieldset", "figcaption", "figure", "footer",   "form",    "h1",
        "h2",      "h3",      "h4",      "h5",         "h6",       "header",  "hgroup",
        "hr",      "legend",  "li",      "main",       "menu",     "nav",     "ol",
        "option",  "p",       "pre",     "section",    "summary",  "table",   "tbody",
        "td",      "tfoot",   "th",      "thead",      "tr",       "ul",      "textarea",
        NULL};
    return name_in(name, block);
}

/* Table cells sit side by side: a space, not a line break. */
static void html_boundary(text_builder *tb, const char *name)
{
    if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
        tb->pending_space = 1;
    else if (html_block(name))
        tb->pending_break = 1;
}

static void html_leave(text_builder *tb, const xmlNode *node)
{
    const char *name = (const char *)node->name;
    if (strcmp(name, "pre") == 0 && tb->pre > 0)
        tb->pre--;
    html_boundary(tb, name);
}

/* Handles node on the way down; returns 1 when its children are to be
 * visited (html_leave then runs on the way back up). */
static int html_enter(text_builder *tb, const xmlNode *node, fh_status *st)
{
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (node->content)
            *st = tb_text(tb, (const char *)node->content, strlen((const char *)node->content));
        return 0;
    }
    if (node->type != XML_ELEMENT_NODE || html_dropped((const char *)node->name))
        return 0;
    html_boundary(tb, (const char *)node->name);
    if (strcmp((const char *)node->name, "pre") == 0)
        tb->pre++;
    if (node->children)
        return 1;
    html_leave(tb, node);
    return 0;
}

/* The visible text below root, iteratively: libxml2 recovers arbitrarily
 * deep nesting, and recursion could overflow the stack. */
static fh_status html_walk(const xmlNode *root, text_builder *tb)
{
    fh_status st = FH_OK;
    const xmlNode *node = root->children;
    while (node != NULL && st == FH_OK) {
        if (html_enter(tb, node, &st)) {
            node = node->children;
            continue;
        }
        while (node->next == NULL) {
            node = node->parent;
            if (node == NULL || node == root)
                return st;
            html_leave(tb, node);
        }
        node = node->next;
    }
    return st;
}

/* The first element called name, in document order. */
static const xmlNode *html_find(const xmlNode *root, const char *name)
{
    const xmlNode *node = root;
    while (node != NULL) {
        if (node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0)
            return node;
        if (node->children && node->type == XML_ELEMENT_NODE &&
            !name_in((const char *)node->name, html_hidden)) {
            node = node->children;
            continue;
        }
        while (node != root && node->next == NULL)
            node = node->parent;
        if (node == root)
            return NULL;
        node = node->next;
    }
    return NULL;
}

static fh_status html_title(const xmlNode *root, fh_buf *title)
{
    static const char *const candidates[] = {"title", "h1"};
    for (size_t i = 0; i < 2 && title->len == 0; i++) {
        const xmlNode *node = html_find(root, candidates[i]);
        if (node == NULL)
            continue;
        text_builder tb = {.out = title, .one_line = 1};
        if (html_walk(node, &tb) != FH_OK)
            return FH_ERR_NOMEM;
    }
    return FH_OK;
}

/* The charset named by a <meta> or XML declaration near the start, reduced
 * to characters that can appear in a charset name.  0 when none. */
static int html_declared_charset(const char *s, size_t len, char *name, size_t size)
{
    const size_t window = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    const char *at = NULL, *stop = s + window;
    if (window >= 5 && memcmp(s, "<?xml", 5) == 0) {
        const char *close = memchr(s, '>', window);
        at = find_nocase(s, close ? (size_t)(close - s) : window, "encoding");
    }
    for (const char *p = s; at == NULL && p < stop;) {
        const char *meta = find_nocase(p, (size_t)(stop - p), "<meta");
        if (meta == NULL)
            break;
        const char *close = memchr(meta, '>', (size_t)(stop - meta));
        const char *tag_end = close ? close : stop;
        at = find_nocase(meta, (size_t)(tag_end - meta), "charset");
        p = tag_end;
    }
    if (at == NULL)
        return 0;
    const char *p = at;
    while (p < stop && *p != '=' && *p != '>')
        p++;
    if (p >= stop || *p != '=')
        return 0;
    p++;
    while (p < stop && (is_space((unsigned char)*p) || *p == '"' || *p == '\''))
        p++;
    size_t n = 0;
    while (p < stop && n + 1 < size &&
           (is_alnum((unsigned char)*p) || strchr("-_.:", *p) != NULL) && *p != '\0')
        name[n++] = *p++;
    name[n] = '\0';
    return n > 0;
}

static int charset_is_utf8(const char *name)
{
    return equal_nocase(name, "utf-8") || equal_nocase(name, "utf8") ||
           equal_nocase(name, "us-ascii") || equal_nocase(name, "ascii");
}

static int charset_known(const char *name)
{
    xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(name);
    if (handler == NULL)
        return 0;
    xmlCharEncCloseFunc(handler);
    return 1;
}

/* Should the parser ever produce ill-formed UTF-8, repair it too. */
static fh_status repair_in_place(fh_buf *b, size_t *replaced)
{
    if (b->data == NULL || fh_utf8_find_invalid(b->data, b->len) == b->len)
        return FH_OK;
    fh_buf fixed = FH_BUF_INIT;
    size_t n = 0;
    if (fh_utf8_repair(b->data, b->len, &fixed, &n) != FH_OK) {
        fh_buf_free(&fixed);
        return FH_ERR_NOMEM;
    }
    *replaced += n;
    fh_buf_free(b);
    *b = fixed;
    return FH_OK;
}

/* Parses the document and collects title and body; *parsed is 0 when
 * libxml2 gave up, which with HTML_PARSE_RECOVER means out of memory or
 * an input it cannot read at all. */
static fh_status html_extract(whole_file *wf, const char *s, size_t len, const char *encoding,
                              fh_buf *title, fh_buf *body, int *parsed)
{
    /* Without XML_PARSE_HUGE libxml2 silently stops at 256 levels of
     * nesting or a text run of 10 MB and drops the rest of the document;
     * our input is already capped at FH_READER_MAX_BYTES and our walk is
     * iterative, so its limits only lose text. */
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                  XML_PARSE_HUGE;
    if (encoding != NULL)
        options |= HTML_PARSE_IGNORE_ENC; /* we already know better than a <meta> */
    htmlDocPtr doc = htmlReadMemory(s, (int)len, NULL, encoding, options);
    *parsed = doc != NULL;
    if (doc == NULL)
        return FH_OK;
    fh_status st = FH_OK;
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root != NULL) {
        text_builder tb = {.out = body};
        st = html_walk(root, &tb);
        if (st == FH_OK)
            st = html_title(root, title);
    }
    xmlFreeDoc(doc);
    if (st == FH_OK)
        st = repair_in_place(title, &wf->replaced);
    if (st == FH_OK)
        st = repair_in_place(body, &wf->replaced);
    return st;
}

static int has_utf16_bom(const char *s, size_t len)
{
    return len >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0);
}

/* The encoding to give libxml2: "UTF-8" (after our own repair), or NULL
 * when a UTF-16 byte order mark or a declared charset libxml2 knows must
 * decide.  Skips a UTF-8 byte order mark. */
static const char *html_encoding(whole_file *wf, const char **s, size_t *len)
{
    if (has_utf16_bom(*s, *len))
        return NULL;
    if (has_utf8_bom(*s, *len)) {
        *s += 3;
        *len -= 3;
        return "UTF-8";
    }
    char charset[sizeof wf->charset];
    if (!html_declared_charset(*s, *len, charset, sizeof charset) || charset_is_utf8(charset))
        return "UTF-8";
    if (charset_known(charset))
        return NULL;
    memcpy(wf->charset, charset, sizeof charset);
    return "UTF-8";
}

/* For input in an encoding left to libxml2 the UTF-8 checks do not apply:
 * only a NUL tells binary apart, and UTF-16 is full of those. */
static int html_legacy_usable(const whole_file *wf, const char *s, size_t len)
{
    if (has_utf16_bom(s, len))
        return 1;
    if (memchr(s, '\0', len < SNIFF_BYTES ? len : SNIFF_BYTES) != NULL) {
        notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "binary file");
        return 0;
    }
    if (all_space(s, len)) {
        notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "empty file");
        return 0;
    }
    return 1;
}

static fh_status read_html(whole_file *wf, const char *s, size_t len)
{
    fh_buf text = FH_BUF_INIT, title = FH_BUF_INIT, body = FH_BUF_INIT;
    fh_status st = FH_OK;
    int usable, parsed = 0;
    const char *encoding = html_encoding(wf, &s, &len);
    if (encoding == NULL) {
        usable = html_legacy_usable(wf, s, len);
    } else {
        /* Repairing first keeps libxml2 from switching to Latin-1 for the
         * rest of the file at the first ill-formed byte. */
        st = prepare_text(wf, s, len, &text, &usable);
        s = text.data;
        len = text.len;
    }
    if (st == FH_OK && usable)
        st = html_extract(wf, s, len, encoding, &title, &body, &parsed);
    if (st == FH_OK && usable && !parsed)
        notify(wf->sink, FH_NOTICE_FAILED, wf->path, 0, "HTML could not be parsed");
    else if (st == FH_OK && usable)
        st = emit_whole_file(wf, title.data ? title.data : "", title.len,
                             body.data ? body.data : "", body.len);
    fh_buf_free(&text);
    fh_buf_free(&title);
    fh_buf_free(&body);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Whole files: text, Markdown, HTML. */

static fh_status read_whole_file(const char *path, file_format format, const fh_reader_sink *sink)
{
    struct stat st;
    const int fd = open_input(path, sink, &st);
    if (fd < 0)
        return FH_OK;
    if ((uint64_t)st.st_size > FH_READER_MAX_BYTES) {
        notify_too_large(sink, path, (uint64_t)st.st_size);
        close(fd);
        return FH_OK;
    }
    fh_buf raw = FH_BUF_INIT;
    int too_large = 0, errnum = 0;
    fh_status status = read_all(fd, (size_t)st.st_size, &raw, &too_large, &errnum);
    close(fd);
    whole_file wf = {.path = path, .sink = sink};
    if (status == FH_ERR_IO) {
        notify_errno(sink, FH_NOTICE_FAILED, path, errnum);
        status = FH_OK;
    } else if (status == FH_OK && too_large) {
        notify_too_large(sink, path, raw.len);
    } else if (status == FH_OK) {
        const char *s = raw.data;
        size_t len = raw.len;
        if (format == FMT_HTML) {
            status = read_html(&wf, s, len);
        } else {
            if (has_utf8_bom(s, len)) {
                s += 3;
                len -= 3;
            }
            status = read_text(&wf, s, len, format == FMT_MARKDOWN);
        }
    }
    fh_buf_free(&raw);
    return status;
}

/* ------------------------------------------------------------------------ */
/* JSONL, streamed a line at a time. */

typedef struct {
    int fd;
    char *buf; /* READ_CHUNK bytes */
    size_t pos, len;
    int eof;
    int err; /* errno of a failed read */
} line_reader;

typedef enum { LINE_OK, LINE_END, LINE_IO, LINE_NOMEM } line_status;

/* Fills the buffer with at least SNIFF_BYTES (or the whole file when it is
 * smaller) so the first bytes can be checked for binary content. */
static line_status lr_prefill(line_reader *lr)
{
    while (!lr->eof && lr->len < SNIFF_BYTES) {
        const ssize_t n = read(lr->fd, lr->buf + lr->len, READ_CHUNK - lr->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            lr->err = errno;
            return LINE_IO;
        }
        if (n == 0)
            lr->eof = 1;
        lr->len += (size_t)n;
    }
    return LINE_OK;
}

/* The next line without its '\n'.  A line longer than the limit is read
 * through but not kept (*too_long), so memory stays bounded. */
static line_status lr_next(line_reader *lr, fh_buf *line, int *too_long)
{
    int got = 0;
    fh_buf_reset(line);
    *too_long = 0;
    for (;;) {
        if (lr->pos == lr->len) {
            if (lr->eof)
                return got ? LINE_OK : LINE_END;
            const ssize_t n = read(lr->fd, lr->buf, READ_CHUNK);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                lr->err = errno;
                return LINE_IO;
            }
            lr->eof = n == 0;
            lr->pos = 0;
            lr->len = (size_t)n;
            continue;
        }
        got = 1;
        const char *start = lr->buf + lr->pos;
        const char *nl = memchr(start, '\n', lr->len - lr->pos);
        const size_t take = nl ? (size_t)(nl - start) : lr->len - lr->pos;
        if (!*too_long && line->len + take > FH_READER_MAX_BYTES) {
            *too_long = 1;
            fh_buf_free(line);
        }
        if (!*too_long && fh_buf_append(line, start, take) != FH_OK)
            return LINE_NOMEM;
        lr->pos += take + (nl != NULL);
        if (nl)
            return LINE_OK;
    }
}

static int digits(const char *s, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* "HH:MM[:SS[.fff]]" followed by an optional zone, to the end of s. */
static int valid_time(const char *s, size_t len)
{
    int h, m, sec, zh, zm;
    if (len < 5 || !digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) || h > 23 || m > 59)
        return 0;
    size_t i = 5;
    if (i < len && s[i] == ':') {
        if (len - i < 3 || !digits(s + i + 1, 2, &sec) || sec > 60) /* 60: leap second */
            return 0;
        i += 3;
        if (i < len && s[i] == '.') {
            const size_t first = ++i;
            while (i < len && is_digit((unsigned char)s[i]))
                i++;
            if (i == first)
                return 0;
        }
    }
    if (i < len && (s[i] == 'Z' || s[i] == 'z'))
        return i + 1 == len;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        return len - i == 6 && digits(s + i + 1, 2, &zh) && s[i + 3] == ':' &&
               digits(s + i + 4, 2, &zm) && zh <= 23 && zm <= 59;
    return i == len;
}

/* "YYYY", "YYYY-MM", "YYYY-MM-DD" or a date-time
 * "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]": the date part goes to out.
 * The time only has to be valid; a document's day is the one it names, so
 * the offset is not applied. */
static int normalize_date(const char *s, size_t len, char out[11])
{
    int year, month, day;
    if (len < 4 || !digits(s, 4, &year))
        return 0;
    size_t keep = 4;
    if (len > 4) {
        if (len < 7 || s[4] != '-' || !digits(s + 5, 2, &month) || month < 1 || month > 12)
            return 0;
        keep = 7;
    }
    if (len > 7) {
        if (len < 10 || s[7] != '-' || !digits(s + 8, 2, &day) || day < 1 ||
            day > days_in_month(year, month))
            return 0;
        keep = 10;
    }
    if (len > 10 && ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
                     !valid_time(s + 11, len - 11)))
        return 0;
    memcpy(out, s, keep);
    out[keep] = '\0';
    return 1;
}

/* Where a JSONL line came from, for its notices. */
typedef struct {
    const char *path;
    const fh_reader_sink *sink;
    size_t line;
} jsonl_line;

/* An optional string field: NULL when absent, null or empty; a value of
 * another type is dropped with a warning. */
static const char *optional_string(const jsonl_line *jl, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
               "line %zu: field \"%s\" is not a string; ignored", jl->line, key);
        return NULL;
    }
    return json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static const char *jsonl_date(const jsonl_line *jl, json_t *obj, char out[11])
{
    const char *raw = optional_string(jl, obj, "date");
    if (raw == NULL)
        return NULL;
    const char *a = raw, *b = raw + strlen(raw);
    while (a < b && is_space((unsigned char)*a))
        a++;
    while (b > a && is_space((unsigned char)b[-1]))
        b--;
    if (normalize_date(a, (size_t)(b - a), out))
        return out;
    char quoted[EXCERPT_BYTES + 8];
    excerpt(raw, strlen(raw), EXCERPT_BYTES, quoted, sizeof quoted);
    notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line, "line %zu: invalid date \"%s\"; ignored",
           jl->line, quoted);
    return NULL;
}

/* Builds the document from a parsed object; returns the sink's stop request. */
static int jsonl_document(const jsonl_line *jl, json_t *obj, size_t replaced)
{
    static const char *const required[] = {"id", "body"};
    json_t *field[2];
    for (size_t i = 0; i < 2; i++) {
        field[i] = json_object_get(obj, required[i]);
        if (!json_is_string(field[i])) {
            notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line,
                   "line %zu: missing string field \"%s\"", jl->line, required[i]);
            return 0;
        }
    }
    if (json_string_length(field[0]) == 0) {
        notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line, "line %zu: field \"id\" is empty",
               jl->line);
        return 0;
    }
    if (replaced)
        notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
               "line %zu: %zu invalid UTF-8 %s replaced by U+FFFD", jl->line, replaced,
               plural(replaced, "sequence", "sequences"));
    json_t *title = json_object_get(obj, "title");
    if (title != NULL && !json_is_null(title) && !json_is_string(title)) {
        notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
               "line %zu: field \"title\" is not a string; ignored", jl->line);
        title = NULL;
    }
    /* One statement each: the warnings come out in a fixed order, which
     * initializers inside a compound literal would not guarantee. */
    char date_buf[11];
    const char *url = optional_string(jl, obj, "url");
    const char *date = jsonl_date(jl, obj, date_buf);
    const char *source = optional_string(jl, obj, "source");
    const char *lang = optional_string(jl, obj, "lang");
    const fh_document doc = {
        .id = json_string_value(field[0]),
        .title = json_is_string(title) ? json_string_value(title) : "",
        .title_len = json_is_string(title) ? json_string_length(title) : 0,
        .body = json_string_value(field[1]),
        .body_len = json_string_length(field[1]),
        .url = url,
        .date = date,
        .source = source,
        .lang = lang,
        .path = jl->path,
        .line = jl->line,
    };
    return jl->sink->document ? jl->sink->document(jl->sink->ctx, &doc) : 0;
}

/* One non-blank line.  Invalid UTF-8 is repaired before parsing because
 * jansson rejects it outright, and the document is worth keeping. */
static fh_status jsonl_line_read(const jsonl_line *jl, const char *s, size_t len, fh_buf *fixed,
                                 int *stop)
{
    size_t replaced = 0;
    if (fh_utf8_find_invalid(s, len) < len) {
        fh_buf_reset(fixed);
        if (fh_utf8_repair(s, len, fixed, &replaced) != FH_OK)
            return FH_ERR_NOMEM;
        s = fixed->data;
        len = fixed->len;
    }
    json_error_t jerr;
    json_t *obj = json_loadb(s, len, 0, &jerr);
    if (obj == NULL) {
        char text[sizeof jerr.text + 4];
        excerpt(jerr.text, strlen(jerr.text), sizeof jerr.text, text, sizeof text);
        notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line, "line %zu: invalid JSON: %s",
               jl->line, text);
        return FH_OK;
    }
    if (!json_is_object(obj))
        notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line, "line %zu: not a JSON object",
               jl->line);
    else
        *stop = jsonl_document(jl, obj, replaced);
    json_decref(obj);
    return FH_OK;
}

static fh_status jsonl_lines(line_reader *lr, const char *path, const fh_reader_sink *sink)
{
    fh_buf line = FH_BUF_INIT, fixed = FH_BUF_INIT;
    jsonl_line jl = {.path = path, .sink = sink};
    fh_status st = FH_OK;
    int stop = 0, seen = 0, too_long;
    line_status ls = LINE_END;
    while (!stop && st == FH_OK && (ls = lr_next(lr, &line, &too_long)) == LINE_OK) {
        jl.line++;
        if (too_long) {
            notify(sink, FH_NOTICE_FAILED, path, jl.line, "line %zu: line too long (over %u MB)",
                   jl.line, FH_READER_MAX_BYTES / MIB);
            seen = 1;
            continue;
        }
        const char *s = line.data ? line.data : "";
        size_t len = line.len;
        if (jl.line == 1 && has_utf8_bom(s, len)) {
            s += 3;
            len -= 3;
        }
        if (all_space(s, len))
            continue;
        seen = 1;
        st = jsonl_line_read(&jl, s, len, &fixed, &stop);
    }
    if (!stop && st == FH_OK && ls == LINE_NOMEM)
        st = FH_ERR_NOMEM;
    else if (!stop && st == FH_OK && ls == LINE_IO)
        notify_errno(sink, FH_NOTICE_FAILED, path, lr->err);
    else if (!stop && st == FH_OK && !seen)
        notify(sink, FH_NOTICE_SKIPPED, path, 0, "empty file");
    fh_buf_free(&line);
    fh_buf_free(&fixed);
    return st;
}

static fh_status read_jsonl(const char *path, const fh_reader_sink *sink)
{
    struct stat st;
    const int fd = open_input(path, sink, &st);
    if (fd < 0)
        return FH_OK;
    line_reader lr = {.fd = fd, .buf = malloc(READ_CHUNK)};
    if (lr.buf == NULL) {
        close(fd);
        return FH_ERR_NOMEM;
    }
    fh_status status = FH_OK;
    if (lr_prefill(&lr) != LINE_OK)
        notify_errno(sink, FH_NOTICE_FAILED, path, lr.err);
    else if (lr.len == 0)
        notify(sink, FH_NOTICE_SKIPPED, path, 0, "empty file");
    else if (looks_binary(lr.buf, lr.len))
        notify(sink, FH_NOTICE_SKIPPED, path, 0, "binary file");
    else
        status = jsonl_lines(&lr, path, sink);
    free(lr.buf);
    close(fd);
    return status;
}

/* ------------------------------------------------------------------------ */

fh_status fh_read_file(const char *path, const fh_reader_sink *sink, fh_error *err)
{
    if (path == NULL || sink == NULL)
        return fh_error_set(err, FH_ERR_INVALID, "fh_read_file: path and sink are required");
    const file_format format = format_of(path);
    fh_status st = FH_OK;
    if (format == FMT_NONE)
        notify(sink, FH_NOTICE_SKIPPED, path, 0, "unsupported file type");
    else if (format == FMT_JSONL)
        st = read_jsonl(path, sink);
    else
        st = read_whole_file(path, format, sink);
    if (st != FH_OK)
        return fh_error_set(err, st, "out of memory while reading a file");
    return FH_OK;
}

/* ------------------------------------------------------------------------ */
/* Collecting files. */

typedef struct {
    fh_file_list *list;
    size_t cap;
    const fh_reader_sink *sink;
} collector;

static fh_status list_add(collector *c, const char *path, uint64_t size)
{
    fh_file_list *l = c->list;
    if (l->count == c->cap) {
        const size_t cap = c->cap ? c->cap * 2 : 64;
        char **paths = realloc(l->paths, cap * sizeof *paths);
        if (paths == NULL)
            return FH_ERR_NOMEM;
        l->paths = paths;
        uint64_t *sizes = realloc(l->sizes, cap * sizeof *sizes);
        if (sizes == NULL)
            return FH_ERR_NOMEM;
        l->sizes = sizes;
        c->cap = cap;
    }
    const size_t n = strlen(path);
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    memcpy(copy, path, n + 1);
    l->paths[l->count] = copy;
    l->sizes[l->count] = size;
    l->count++;
    l->total_bytes += size;
    return FH_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The visible entry names of dir, sorted.  The directory is closed before
 * returning, so deep trees never hold more than one descriptor. */
static fh_status dir_names(collector *c, const char *dir, char ***names_out, size_t *count)
{
    *names_out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        notify_errno(c->sink, FH_NOTICE_FAILED, dir, errno);
        return FH_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    fh_status st = FH_OK;
    const struct dirent *e;
    errno = 0;
    while (st == FH_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') /* hidden, and "." and ".." */
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof *names);
            if (grown == NULL) {
                st = FH_ERR_NOMEM;
                break;
            }
            names = grown;
        }
        const size_t len = strlen(e->d_name);
        if ((names[n] = malloc(len + 1)) == NULL) {
            st = FH_ERR_NOMEM;
            break;
        }
        memcpy(names[n++], e->d_name, len + 1);
        errno = 0;
    }
    if (st == FH_OK && errno != 0)
        notify_errno(c->sink, FH_NOTICE_FAILED, dir, errno);
    closedir(d);
    if (st != FH_OK) {
        free_names(names, n);
        return st;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    *names_out = names;
    *count = n;
    return FH_OK;
}

static fh_status walk_dir(collector *c, const char *dir);

/* One directory entry: directories are walked, regular files and links to
 * regular files listed; links to directories are not followed, so link
 * cycles cannot loop. */
static fh_status walk_entry(collector *c, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        notify_errno(c->sink, FH_NOTICE_FAILED, path, errno);
        return FH_OK;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(c, path);
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            notify(c->sink, FH_NOTICE_SKIPPED, path, 0, "broken symbolic link");
            return FH_OK;
        }
    }
    if (S_ISREG(st.st_mode))
        return list_add(c, path, (uint64_t)st.st_size);
    return FH_OK;
}

static fh_status walk_dir(collector *c, const char *dir)
{
    char **names;
    size_t n;
    fh_status st = dir_names(c, dir, &names, &n);
    const size_t dir_len = strlen(dir);
    const int slash = dir_len > 0 && dir[dir_len - 1] == '/';
    fh_buf path = FH_BUF_INIT;
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        fh_buf_reset(&path);
        st = fh_buf_printf(&path, "%s%s%s", dir, slash ? "" : "/", names[i]);
        if (st == FH_OK)
            st = walk_entry(c, path.data);
    }
    fh_buf_free(&path);
    free_names(names, n);
    return st;
}

fh_status fh_collect_files(const char *const *paths, size_t n, const fh_reader_sink *sink,
                           fh_file_list *out, fh_error *err)
{
    if (out == NULL || (paths == NULL && n > 0))
        return fh_error_set(err, FH_ERR_INVALID, "fh_collect_files: paths and out are required");
    memset(out, 0, sizeof *out);
    collector c = {.list = out, .sink = sink};
    fh_status st = FH_OK;
    for (size_t i = 0; i < n && st == FH_OK; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0)
            notify_errno(sink, FH_NOTICE_FAILED, paths[i], errno);
        else if (S_ISDIR(sb.st_mode))
            st = walk_dir(&c, paths[i]);
        else
            st = list_add(&c, paths[i], (uint64_t)sb.st_size);
    }
    if (st != FH_OK) {
        fh_file_list_free(out);
        return fh_error_set(err, st, "out of memory while listing files");
    }
    return FH_OK;
}

void fh_file_list_free(fh_file_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    free(list->sizes);
    memset(list, 0, sizeof *list);
}
