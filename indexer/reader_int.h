/*
 * reader_int.h - private to the reader (indexer/reader.c, read_markdown.c,
 * read_html.c, read_jsonl.c, walk.c); nothing else may include it.  The
 * public side is include/fihris/reader.h.
 *
 * What the reader's modules share: a few limits, ASCII character tests,
 * the notice helpers, and the steps every whole-file format goes through
 * (open, check, repair, hand over).  Functions defined in one of these
 * files and used by another start with rd_, so they cannot clash with the
 * rest of the indexer.
 */
#ifndef FIHRIS_READER_INT_H
#define FIHRIS_READER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/reader.h"

/* Binary detection looks at this much of a file, like most tools do. */
#define SNIFF_BYTES 8192u
/* Bytes asked of read() at a time. */
#define READ_CHUNK 65536u
#define MIB (1024u * 1024u)

/* ------------------------------------------------------------------------ */
/* ASCII-only character tests, on purpose: <ctype.h> depends on the locale
 * and would misclassify bytes of multi-byte UTF-8 characters.  Bytes >= 0x80
 * are never space, digit, letter or punctuation here. */

static inline int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int is_alnum(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int is_punct(unsigned char c)
{
    return c > ' ' && c < 0x7F && !is_alnum(c);
}

static inline unsigned char to_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* The NUL-terminated strings a and b are equal, ignoring ASCII case. */
static inline int equal_nocase(const char *a, const char *b)
{
    while (*a && to_lower((unsigned char)*a) == to_lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* s[0..len) is empty or only white space. */
static inline int all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

static inline int has_utf8_bom(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* ------------------------------------------------------------------------ */
/* Notices (reader.c). */

/* Formats a one-line message and hands it to sink->notice (nothing happens
 * when the sink has no notice callback).  The message is cut to a bounded
 * length, at a character boundary: it is always valid UTF-8.  line is the
 * JSONL line number, or 0; the message never repeats it. */
void rd_notify(const fh_reader_sink *sink, fh_notice_kind kind, const char *path, size_t line,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* A notice (line 0) whose message is errnum's description, in lower case
 * like the other messages ("no such file or directory").  Thread-safe. */
void rd_notify_errno(const fh_reader_sink *sink, fh_notice_kind kind, const char *path,
                     int errnum);

/* one when n is 1, else many. */
const char *rd_plural(size_t n, const char *one, const char *many);

/* ------------------------------------------------------------------------ */
/* Opening and checking files (reader.c). */

/* Opens path for reading and stats it into *st.  When path cannot be
 * opened, is a directory or is not a regular file, reports why and returns
 * -1.  Never blocks on a FIFO. */
int rd_open_input(const char *path, const fh_reader_sink *sink, struct stat *st);

/* True when the first SNIFF_BYTES of s[0..len) look binary: a NUL, or more
 * than 30% control characters or ill-formed UTF-8. */
int rd_looks_binary(const char *s, size_t len);

/* s[0..len) is a byte order mark (UTF-8, UTF-16 or UTF-32) followed by
 * nothing but white space: an empty file. */
int rd_only_bom(const char *s, size_t len);

/* What a whole-file reader learned that the sink hears about only when the
 * document is kept (a skipped file gets one notice, not several). */
typedef struct {
    const char *path;
    const fh_reader_sink *sink;
    size_t replaced;  /* ill-formed UTF-8 sequences replaced by U+FFFD */
    char charset[48]; /* unknown declared charset read as UTF-8, or "" */
    /* libxml2's complaint when it could not read the charset (then named
     * in charset) that it was left to decode, or "" */
    char charset_error[96];
    int markdown_as_text; /* Markdown too costly to parse, read as text */
} whole_file;

/* Checks raw text (a UTF-8 BOM already removed) and appends its repaired
 * form to text: valid UTF-8, line breaks as LF, no NUL.  An empty or binary
 * file is reported as skipped and *usable set to 0.  Fails only for lack of
 * memory. */
fh_status rd_prepare_text(whole_file *wf, const char *s, size_t len, fh_buf *text, int *usable);

/* Hands one whole-file document to the sink, after the warnings it earned
 * (a file with neither title nor body is reported as skipped instead).
 * title and body must be valid UTF-8, NUL-terminated at their lengths. The
 * id is the path with invalid UTF-8 replaced; path goes through as given.
 * Fails only for lack of memory. */
fh_status rd_emit_whole_file(const whole_file *wf, const char *title, size_t title_len,
                             const char *body, size_t body_len);

/* ------------------------------------------------------------------------ */
/* The formats. */

/* read_markdown.c: appends to out the text of the Markdown s[0..len) (valid
 * UTF-8, LF line breaks, no NUL) with the markup removed: one line for each
 * line of a paragraph, a blank line between blocks, so words of adjacent
 * blocks never merge.  The result is valid UTF-8.  Fails only for lack of
 * memory. */
fh_status rd_strip_markdown(const char *s, size_t len, fh_buf *out);

/* read_markdown.c: whether rd_strip_markdown can parse s[0..len) in 4 x len
 * + 16 MB of memory, from an estimate from above of what its markup costs
 * the parser (megabytes of '[' or of quotes nested in quotes do not fit). */
int rd_markdown_fits(const char *s, size_t len);

/* read_html.c: reads the HTML file content s[0..len) (raw, any encoding)
 * and emits its document through rd_emit_whole_file, or reports why not.
 * Fails only for lack of memory. */
fh_status rd_read_html(whole_file *wf, const char *s, size_t len);

/* read_html.c: appends to out the visible text of the HTML fragment
 * s[0..len) (valid UTF-8), as the HTML reader reads a page's body: runs of
 * white space as one space, a line break between blocks; valid UTF-8.
 * Nothing is appended when there is no text.  Fails only for lack of
 * memory. */
fh_status rd_html_fragment_text(const char *s, size_t len, fh_buf *out);

/* read_html.c: the element called name (lower case) starts a new line where
 * it stands, as <br>, <p> or <td> do. */
int rd_html_breaks_line(const char *name);

/* read_jsonl.c: streams the JSONL file at path (standard input for
 * FH_READER_STDIN), one document per valid line, reporting every line it
 * cannot use.  Returns FH_OK when the sink asks to stop; fails only for
 * lack of memory. */
fh_status rd_read_jsonl(const char *path, const fh_reader_sink *sink);

#endif
