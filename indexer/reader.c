/*
 * reader.c - the reader's entry point (see reader.h): picks the format of a
 * file by its extension, reads whole files (plain text, Markdown, HTML)
 * with their size, empty and binary checks, and holds the notice helpers
 * the other reader modules share (reader_int.h).  Markdown, HTML and JSONL
 * live in read_markdown.c, read_html.c and read_jsonl.c; listing files in
 * walk.c.
 *
 * Input is checked once, here at the edge: whatever reaches the sink is
 * valid UTF-8.  Problems with a file are reported as notices and reading
 * goes on; only running out of memory makes a call fail.
 */
#include "fihris/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fihris/buf.h"
#include "fihris/utf8.h"
#include "reader_int.h"

#define NOTICE_MAX 512u

typedef enum { FMT_NONE, FMT_TEXT, FMT_MARKDOWN, FMT_HTML, FMT_JSONL } file_format;

/* ------------------------------------------------------------------------ */
/* Notices. */

void rd_notify(const fh_reader_sink *sink, fh_notice_kind kind, const char *path, size_t line,
               const char *fmt, ...)
{
    if (sink == NULL || sink->notice == NULL)
        return;
    char msg[NOTICE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Cut at a character boundary, so a truncated message stays valid. */
    msg[fh_utf8_find_invalid(msg, strlen(msg))] = '\0';
    fh_utf8_one_line(msg); /* it may quote a file's content */
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
}

void rd_notify_errno(const fh_reader_sink *sink, fh_notice_kind kind, const char *path,
                     int errnum)
{
    char text[256];
    errno_text(errnum, text, sizeof text);
    rd_notify(sink, kind, path, 0, "%s", text);
}

const char *rd_plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ------------------------------------------------------------------------ */
/* File types. */

/* Standard input ("-") is JSONL; a file's format is its extension's. */
static file_format format_of(const char *path)
{
    static const struct {
        const char *ext;
        file_format format;
    } table[] = {
        {"txt", FMT_TEXT},  {"md", FMT_MARKDOWN}, {"markdown", FMT_MARKDOWN},
        {"html", FMT_HTML}, {"htm", FMT_HTML},    {"jsonl", FMT_JSONL},
    };
    if (strcmp(path, FH_READER_STDIN) == 0)
        return FMT_JSONL;
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

/* ------------------------------------------------------------------------ */
/* Opening and reading. */

/* O_NONBLOCK keeps a FIFO with a document-like name from hanging the
 * indexer. */
int rd_open_input(const char *path, const fh_reader_sink *sink, struct stat *st)
{
    const int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        rd_notify_errno(sink, FH_NOTICE_FAILED, path, errno);
        return -1;
    }
    if (fstat(fd, st) != 0) {
        rd_notify_errno(sink, FH_NOTICE_FAILED, path, errno);
        close(fd);
        return -1;
    }
    if (S_ISDIR(st->st_mode)) {
        rd_notify_errno(sink, FH_NOTICE_FAILED, path, EISDIR);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "not a regular file");
        close(fd);
        return -1;
    }
    return fd;
}

static void notify_too_large(const fh_reader_sink *sink, const char *path, uint64_t size)
{
    rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "file too large (%llu MB, limit %u MB)",
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

/* A legacy encoding we cannot read without a declaration counts as binary
 * too.  Only the first SNIFF_BYTES are looked at. */
int rd_looks_binary(const char *s, size_t len)
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

/* The byte order marks, with the size of their encoding's code units and
 * whether those are big-endian: UTF-32 before UTF-16, whose little-endian
 * mark begins UTF-32's. */
static const struct {
    const char *mark;
    size_t unit;
    int big_endian;
} boms[] = {
    {"\xFF\xFE\x00\x00", 4, 0}, {"\x00\x00\xFE\xFF", 4, 1}, {"\xEF\xBB\xBF", 1, 1},
    {"\xFE\xFF", 2, 1},         {"\xFF\xFE", 2, 0},
};

int rd_only_bom(const char *s, size_t len)
{
    for (size_t b = 0; b < sizeof boms / sizeof boms[0]; b++) {
        /* the UTF-32 marks hold NULs: their length is the unit's */
        const size_t n = boms[b].unit == 4 ? 4 : strlen(boms[b].mark), unit = boms[b].unit;
        if (len < n || memcmp(s, boms[b].mark, n) != 0)
            continue;
        if ((len - n) % unit != 0)
            return 0;
        for (size_t i = n; i < len; i += unit) {
            uint32_t c = 0;
            for (size_t k = 0; k < unit; k++) {
                const unsigned char byte = (unsigned char)s[i + (boms[b].big_endian ? k : unit - 1 - k)];
                c = c << 8 | byte;
            }
            if (c > 0x7F || !is_space((unsigned char)c))
                return 0;
        }
        return 1;
    }
    return 0;
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

fh_status rd_prepare_text(whole_file *wf, const char *s, size_t len, fh_buf *text, int *usable)
{
    *usable = 0;
    if (all_space(s, len)) {
        rd_notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "empty file");
        return FH_OK;
    }
    if (rd_looks_binary(s, len)) {
        rd_notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "binary file");
        return FH_OK;
    }
    if (fh_utf8_repair(s, len, text, &wf->replaced) != FH_OK)
        return FH_ERR_NOMEM;
    normalize_controls(text);
    *usable = 1;
    return FH_OK;
}

/* ------------------------------------------------------------------------ */
/* Handing whole files over. */

/* The document id of a whole file: its path, with invalid UTF-8 replaced
 * (and a warning).  id stays empty (data NULL) when the path is valid. */
static fh_status whole_file_id(const whole_file *wf, fh_buf *id)
{
    const size_t path_len = strlen(wf->path);
    if (fh_utf8_find_invalid(wf->path, path_len) == path_len)
        return FH_OK;
    if (fh_utf8_repair(wf->path, path_len, id, NULL) != FH_OK)
        return FH_ERR_NOMEM;
    rd_notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
              "file name is not valid UTF-8; its id uses U+FFFD");
    return FH_OK;
}

/* The repairs made while reading the content. */
static void content_warnings(const whole_file *wf)
{
    if (wf->charset[0] && wf->charset_error[0])
        rd_notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
                  "charset \"%s\" could not be read (%s); read as UTF-8", wf->charset,
                  wf->charset_error);
    else if (wf->charset[0])
        rd_notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
                  "unknown charset \"%s\"; read as UTF-8", wf->charset);
    if (wf->markdown_as_text)
        rd_notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
                  "Markdown too dense to parse within the memory limit; read as plain text");
    if (wf->replaced)
        rd_notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
                  "%zu invalid UTF-8 %s replaced by U+FFFD", wf->replaced,
                  rd_plural(wf->replaced, "sequence", "sequences"));
}

fh_status rd_emit_whole_file(const whole_file *wf, const char *title, size_t title_len,
                             const char *body, size_t body_len)
{
    if (title_len == 0 && body_len == 0) {
        rd_notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "no visible text");
        return FH_OK;
    }
    fh_buf id = FH_BUF_INIT;
    if (whole_file_id(wf, &id) != FH_OK) {
        fh_buf_free(&id);
        return FH_ERR_NOMEM;
    }
    content_warnings(wf);
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

/* ------------------------------------------------------------------------ */
/* Plain text and Markdown. */

/* s[*from..*to) without white space at either end. */
static void trim(const char *s, size_t *from, size_t *to)
{
    while (*from < *to && is_space((unsigned char)s[*from]))
        (*from)++;
    while (*to > *from && is_space((unsigned char)s[*to - 1]))
        (*to)--;
}

/* Title = the first non-blank line, trimmed; body = everything after that
 * line, trimmed.  The title is copied into title_out; the body is left in
 * text, NUL-terminated in place. */
static fh_status split_title(fh_buf *text, fh_buf *title_out, const char **body, size_t *body_len)
{
    char *s = text->data;
    size_t line = 0;
    while (line < text->len) {
        const char *nl = memchr(s + line, '\n', text->len - line);
        const size_t line_end = nl ? (size_t)(nl - s) : text->len;
        size_t a = line, b = line_end;
        trim(s, &a, &b);
        line = nl ? line_end + 1 : text->len;
        if (a < b) {
            if (fh_buf_append(title_out, s + a, b - a) != FH_OK)
                return FH_ERR_NOMEM;
            break;
        }
    }
    size_t from = line, to = text->len;
    trim(s, &from, &to);
    s[to] = '\0';
    *body = s + from;
    *body_len = to - from;
    return FH_OK;
}

/* The text of the Markdown in text, in its place; left as it is when
 * parsing it would take too much memory. */
static fh_status markdown_text(whole_file *wf, fh_buf *text)
{
    if (!rd_markdown_fits(text->data, text->len)) {
        wf->markdown_as_text = 1;
        return FH_OK;
    }
    fh_buf clean = FH_BUF_INIT;
    const fh_status st = rd_strip_markdown(text->data, text->len, &clean);
    fh_buf_free(text);
    *text = clean;
    return st;
}

static fh_status read_text(whole_file *wf, const char *s, size_t len, int markdown)
{
    fh_buf text = FH_BUF_INIT, title = FH_BUF_INIT;
    int usable;
    fh_status st = rd_prepare_text(wf, s, len, &text, &usable);
    if (st == FH_OK && usable && markdown)
        st = markdown_text(wf, &text);
    const char *body = NULL;
    size_t body_len = 0;
    /* A usable text is never empty, so text.data is allocated. */
    if (st == FH_OK && usable)
        st = split_title(&text, &title, &body, &body_len);
    if (st == FH_OK && usable)
        st = rd_emit_whole_file(wf, title.data ? title.data : "", title.len, body, body_len);
    fh_buf_free(&text);
    fh_buf_free(&title);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Whole files: text, Markdown, HTML. */

/* The content of a file that was read in full. */
static fh_status read_content(whole_file *wf, file_format format, const char *s, size_t len)
{
    if (format == FMT_HTML)
        return rd_read_html(wf, s, len);
    if (has_utf8_bom(s, len)) {
        s += 3;
        len -= 3;
    }
    return read_text(wf, s, len, format == FMT_MARKDOWN);
}

static fh_status read_whole_file(const char *path, file_format format, const fh_reader_sink *sink)
{
    struct stat st;
    const int fd = rd_open_input(path, sink, &st);
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
        rd_notify_errno(sink, FH_NOTICE_FAILED, path, errnum);
        status = FH_OK;
    } else if (status == FH_OK && too_large) {
        notify_too_large(sink, path, raw.len);
    } else if (status == FH_OK && rd_only_bom(raw.data, raw.len)) {
        rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "empty file");
    } else if (status == FH_OK) {
        status = read_content(&wf, format, raw.data, raw.len);
    }
    fh_buf_free(&raw);
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
        rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "unsupported file type");
    else if (format == FMT_JSONL)
        st = rd_read_jsonl(path, sink);
    else
        st = read_whole_file(path, format, sink);
    if (st != FH_OK)
        return fh_error_set(err, st, "out of memory while reading a file");
    return FH_OK;
}
