/*
 * read_jsonl.c - JSONL for the reader (rd_read_jsonl, see reader_int.h):
 * streams a file a line at a time, so memory stays bounded whatever its
 * size, turns each JSON object into a document and normalizes its ISO 8601
 * date, keeping the fields it does not know as given (extra).  Every line
 * it cannot use is reported with its line number (passed as the notice's
 * line, never repeated in the message).  Standard input ("-") is read the
 * same way as a file, and so is JSON held in memory, JSONL or an array of
 * objects (fh_read_jsonl_text, fh_read_json_text in reader.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "fihris/buf.h"
#include "fihris/utf8.h"
#include "reader_int.h"

/* A line longer than this is freed once parsed, not kept for the next. */
#define LARGE_LINE_BYTES (1024u * 1024u)
/* Long enough to recognise a value, short enough for a one-line notice. */
#define EXCERPT_BYTES 60u

/* ------------------------------------------------------------------------ */
/* Reading lines. */

typedef struct {
    int fd;
    char *buf; /* READ_CHUNK bytes */
    size_t pos, len;
    int eof;
    int err; /* errno of a failed read */
} line_reader;

typedef enum { LINE_OK, LINE_END, LINE_IO, LINE_NOMEM } line_status;

/* read(), waiting when fd is a non-blocking pipe or terminal with nothing
 * to read yet (standard input may have been left so). */
static ssize_t read_some(int fd, char *buf, size_t n)
{
    for (;;) {
        const ssize_t got = read(fd, buf, n);
        if (got >= 0 || errno == EINTR)
            return got;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            return -1;
    }
}

/* Fills the buffer with at least SNIFF_BYTES (or the whole file when it is
 * smaller) so the first bytes can be checked for binary content. */
static line_status lr_prefill(line_reader *lr)
{
    while (!lr->eof && lr->len < SNIFF_BYTES) {
        const ssize_t n = read_some(lr->fd, lr->buf + lr->len, READ_CHUNK - lr->len);
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

/* Refills the emptied buffer; at the end of the file it stays empty. */
static line_status lr_refill(line_reader *lr)
{
    for (;;) {
        const ssize_t n = read_some(lr->fd, lr->buf, READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            lr->err = errno;
            return LINE_IO;
        }
        lr->eof = n == 0;
        lr->pos = 0;
        lr->len = (size_t)n;
        return LINE_OK;
    }
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
            if (lr_refill(lr) != LINE_OK)
                return LINE_IO;
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

/* ------------------------------------------------------------------------ */
/* Dates. */

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

/* ------------------------------------------------------------------------ */
/* Documents. */

/* Where a JSONL line came from, for its notices. */
typedef struct {
    const char *path;
    const fh_reader_sink *sink;
    size_t line;
    size_t values; /* lines read that were JSON */
} jsonl_line;

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

/* An optional string field: NULL when absent, null or empty; a value of
 * another type is dropped with a warning. */
static const char *optional_string(const jsonl_line *jl, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        rd_notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
                  "field \"%s\" is not a string; ignored", key);
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
    rd_notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line, "invalid date \"%s\"; ignored",
              quoted);
    return NULL;
}

/* The required fields: "id" and "body" strings, the id not empty.  0 (and
 * a notice) when the line has no usable document. */
static int jsonl_required(const jsonl_line *jl, json_t *obj, json_t *field[2])
{
    static const char *const required[] = {"id", "body"};
    for (size_t i = 0; i < 2; i++) {
        field[i] = json_object_get(obj, required[i]);
        if (!json_is_string(field[i])) {
            rd_notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line,
                      "missing string field \"%s\"", required[i]);
            return 0;
        }
    }
    if (json_string_length(field[0]) == 0) {
        rd_notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line, "field \"id\" is empty");
        return 0;
    }
    return 1;
}

/* The "title" string, or NULL when absent or (with a warning) not a string. */
static json_t *jsonl_title(const jsonl_line *jl, json_t *obj)
{
    json_t *title = json_object_get(obj, "title");
    if (title != NULL && !json_is_null(title) && !json_is_string(title)) {
        rd_notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
                  "field \"title\" is not a string; ignored");
        return NULL;
    }
    return json_is_string(title) ? title : NULL;
}

/* The fields of a document that are not kept as extra. */
static int known_field(const char *key)
{
    static const char *const known[] = {"id", "title", "body", "url", "date", "source", "lang"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(key, known[i]) == 0)
            return 1;
    return 0;
}

/* The bytes "key":value takes in a compact JSON object, with the comma or
 * brace after it. */
static size_t member_bytes(const char *key, const json_t *value)
{
    json_t *k = json_string(key);
    const size_t n = k ? json_dumpb(k, NULL, 0, JSON_ENCODE_ANY) : 0;
    json_decref(k);
    return n + 2 + json_dumpb(value, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* The compact text of o, its numbers in the fewest digits that read back
 * as the same values (0.1, not 0.10000000000000001); NULL without memory. */
static char *dump_object(const json_t *o)
{
    for (int digits = 15;; digits++) {
        char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(digits));
        if (text == NULL || digits == 17)
            return text;
        json_t *back = json_loads(text, 0, NULL);
        const int same = back != NULL && json_equal(back, (json_t *)o);
        json_decref(back);
        if (same)
            return text;
        free(text);
    }
}

/* The fields of obj beyond the known ones, in their order, as the text of
 * a JSON object (*out NULL when there are none), while they fit in
 * FH_READER_MAX_EXTRA_BYTES; those that do not are dropped with a warning.
 * Fails only for lack of memory. */
static fh_status jsonl_extra(const jsonl_line *jl, json_t *obj, char **out)
{
    *out = NULL;
    json_t *kept = json_object();
    if (kept == NULL)
        return FH_ERR_NOMEM;
    size_t used = 1, dropped = 0; /* "{" */
    const char *key, *first_dropped = NULL;
    json_t *value;
    json_object_foreach(obj, key, value) {
        if (known_field(key))
            continue;
        const size_t bytes = member_bytes(key, value);
        if (bytes > FH_READER_MAX_EXTRA_BYTES - used) {
            first_dropped = first_dropped ? first_dropped : key;
            dropped++;
        } else if (json_object_set(kept, key, value) != 0) {
            json_decref(kept);
            return FH_ERR_NOMEM;
        } else {
            used += bytes;
        }
    }
    if (dropped) {
        char quoted[EXCERPT_BYTES + 8];
        excerpt(first_dropped, strlen(first_dropped), EXCERPT_BYTES, quoted, sizeof quoted);
        rd_notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
                  "extra fields over %u KB dropped (%zu: \"%s\"%s)",
                  FH_READER_MAX_EXTRA_BYTES / 1024u, dropped, quoted,
                  dropped > 1 ? " and more" : "");
    }
    fh_status st = FH_OK;
    if (json_object_size(kept) > 0 && (*out = dump_object(kept)) == NULL)
        st = FH_ERR_NOMEM;
    json_decref(kept);
    return st;
}

/* Builds the document from a parsed object; returns the sink's stop
 * request (-1 without memory). */
static int jsonl_document(const jsonl_line *jl, json_t *obj, size_t replaced)
{
    json_t *field[2];
    if (!jsonl_required(jl, obj, field))
        return 0;
    if (replaced)
        rd_notify(jl->sink, FH_NOTICE_WARNING, jl->path, jl->line,
                  "%zu invalid UTF-8 %s replaced by U+FFFD", replaced,
                  rd_plural(replaced, "sequence", "sequences"));
    /* One statement each: the warnings come out in a fixed order, which
     * initializers inside a compound literal would not guarantee. */
    json_t *title = jsonl_title(jl, obj);
    char date_buf[11];
    const char *url = optional_string(jl, obj, "url");
    const char *date = jsonl_date(jl, obj, date_buf);
    const char *source = optional_string(jl, obj, "source");
    const char *lang = optional_string(jl, obj, "lang");
    char *extra;
    if (jsonl_extra(jl, obj, &extra) != FH_OK)
        return -1;
    const fh_document doc = {
        .id = json_string_value(field[0]),
        .title = title ? json_string_value(title) : "",
        .title_len = title ? json_string_length(title) : 0,
        .body = json_string_value(field[1]),
        .body_len = json_string_length(field[1]),
        .url = url,
        .date = date,
        .source = source,
        .lang = lang,
        .path = jl->path,
        .line = jl->line,
        .extra = extra,
        .extra_len = extra ? strlen(extra) : 0,
    };
    const int stop = jl->sink->document ? jl->sink->document(jl->sink->ctx, &doc) : 0;
    free(extra);
    return stop != 0;
}

/* ------------------------------------------------------------------------ */
/* Lines and files. */

/* One non-blank line s[0..len), which lies in line (freed once parsed when
 * huge).  Invalid UTF-8 is repaired before parsing because jansson rejects
 * it outright, and the document is worth keeping. */
static fh_status jsonl_line_read(jsonl_line *jl, fh_buf *line, const char *s, size_t len,
                                 fh_buf *fixed, int *stop)
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
    /* the object holds its own copy: a huge line is not kept meanwhile */
    if (obj != NULL && len > LARGE_LINE_BYTES) {
        fh_buf_free(line);
        fh_buf_free(fixed);
    }
    if (obj == NULL) {
        char text[sizeof jerr.text + 4];
        excerpt(jerr.text, strlen(jerr.text), sizeof jerr.text, text, sizeof text);
        rd_notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line, "invalid JSON: %s", text);
        return FH_OK;
    }
    fh_status st = FH_OK;
    jl->values++;
    if (!json_is_object(obj))
        rd_notify(jl->sink, FH_NOTICE_FAILED, jl->path, jl->line, "not a JSON object");
    else if ((*stop = jsonl_document(jl, obj, replaced)) < 0)
        st = FH_ERR_NOMEM;
    json_decref(obj);
    return st;
}

/* The line jl->line, s[0..len) (which lies in line): a byte order mark
 * before the first line is left out, and a blank line skipped (*seen stays
 * as it was). */
static fh_status jsonl_step(jsonl_line *jl, fh_buf *line, const char *s, size_t len,
                            fh_buf *fixed, int *stop, int *seen)
{
    if (jl->line == 1 && has_utf8_bom(s, len)) {
        s += 3;
        len -= 3;
    }
    if (all_space(s, len))
        return FH_OK;
    *seen = 1;
    return jsonl_line_read(jl, line, s, len, fixed, stop);
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
            rd_notify(sink, FH_NOTICE_FAILED, path, jl.line, "line too long (over %u MB)",
                      FH_READER_MAX_BYTES / MIB);
            seen = 1;
            continue;
        }
        st = jsonl_step(&jl, &line, line.data ? line.data : "", line.len, &fixed, &stop, &seen);
    }
    if (!stop && st == FH_OK && ls == LINE_NOMEM)
        st = FH_ERR_NOMEM;
    else if (!stop && st == FH_OK && ls == LINE_IO)
        rd_notify_errno(sink, FH_NOTICE_FAILED, path, lr->err);
    else if (!stop && st == FH_OK && !seen)
        rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "empty file");
    fh_buf_free(&line);
    fh_buf_free(&fixed);
    return st;
}

/* The descriptor to read path from (standard input for "-", then named
 * FH_READER_STDIN_NAME), or -1 after saying why there is none. */
static int open_jsonl(const char **path, const fh_reader_sink *sink)
{
    struct stat st;
    if (strcmp(*path, FH_READER_STDIN) != 0)
        return rd_open_input(*path, sink, &st);
    *path = FH_READER_STDIN_NAME;
    const int fd = dup(STDIN_FILENO); /* closed like a file's, leaving stdin open */
    if (fd < 0)
        rd_notify_errno(sink, FH_NOTICE_FAILED, *path, errno);
    return fd;
}

fh_status rd_read_jsonl(const char *path, const fh_reader_sink *sink)
{
    const int fd = open_jsonl(&path, sink);
    if (fd < 0)
        return FH_OK;
    line_reader lr = {.fd = fd, .buf = malloc(READ_CHUNK)};
    if (lr.buf == NULL) {
        close(fd);
        return FH_ERR_NOMEM;
    }
    fh_status status = FH_OK;
    if (lr_prefill(&lr) != LINE_OK)
        rd_notify_errno(sink, FH_NOTICE_FAILED, path, lr.err);
    else if (lr.len == 0 || (lr.eof && rd_only_bom(lr.buf, lr.len)))
        rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "empty file");
    else if (rd_looks_binary(lr.buf, lr.len))
        rd_notify(sink, FH_NOTICE_SKIPPED, path, 0, "binary file");
    else
        status = jsonl_lines(&lr, path, sink);
    free(lr.buf);
    close(fd);
    return status;
}

/* ------------------------------------------------------------------------ */
/* JSON in memory. */

/* The lines of data[0..len) that are not blank. */
static size_t jsonl_count(const char *data, size_t len)
{
    size_t n = 0, line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *s = data + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t take = nl ? (size_t)(nl - s) : len - pos;
        pos += take + (nl != NULL);
        size_t skip = ++line == 1 && has_utf8_bom(s, take) ? 3 : 0;
        n += !all_space(s + skip, take - skip);
    }
    return n;
}

static fh_status too_many(size_t max_docs, fh_error *err)
{
    return fh_error_set(err, FH_ERR_TOO_LARGE, "more than %zu documents", max_docs);
}

fh_status fh_read_jsonl_text(const char *data, size_t len, size_t max_docs,
                             const fh_reader_sink *sink, fh_error *err)
{
    if (jsonl_count(data, len) > max_docs)
        return too_many(max_docs, err);
    jsonl_line jl = {.sink = sink};
    fh_buf none = FH_BUF_INIT, fixed = FH_BUF_INIT;
    fh_status st = FH_OK;
    int stop = 0, seen = 0;
    for (size_t pos = 0; !stop && st == FH_OK && pos < len;) {
        const char *s = data + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t take = nl ? (size_t)(nl - s) : len - pos;
        pos += take + (nl != NULL);
        jl.line++;
        st = jsonl_step(&jl, &none, s, take, &fixed, &stop, &seen);
    }
    fh_buf_free(&fixed);
    if (st != FH_OK)
        return fh_error_set(err, st, "out of memory");
    if (!stop && jl.values == 0)
        return fh_error_set(err, FH_ERR_INVALID, "not JSON: %s",
                            seen ? "no line of the text is JSON" : "no text");
    return FH_OK;
}

/* The documents of a parsed array, or the one of a parsed object, until
 * the sink asks to stop; FH_ERR_NOMEM when memory ran out. */
static fh_status json_documents(json_t *root, const fh_reader_sink *sink)
{
    jsonl_line jl = {.sink = sink, .line = 1};
    int stop = json_is_object(root) ? jsonl_document(&jl, root, 0) : 0;
    for (size_t i = 0; json_is_array(root) && !stop && i < json_array_size(root); i++) {
        json_t *v = json_array_get(root, i);
        jl.line = i + 1;
        if (!json_is_object(v))
            rd_notify(sink, FH_NOTICE_FAILED, NULL, jl.line, "not a JSON object");
        else
            stop = jsonl_document(&jl, v, 0);
    }
    return stop < 0 ? FH_ERR_NOMEM : FH_OK;
}

fh_status fh_read_json_text(const char *data, size_t len, size_t max_docs,
                            const fh_reader_sink *sink, fh_error *err)
{
    if (has_utf8_bom(data, len)) {
        data += 3;
        len -= 3;
    }
    fh_buf fixed = FH_BUF_INIT;
    size_t replaced = 0;
    if (fh_utf8_find_invalid(data, len) < len) {
        if (fh_utf8_repair(data, len, &fixed, &replaced) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        data = fixed.data;
        len = fixed.len;
    }
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    fh_buf_free(&fixed);
    fh_status st = FH_OK;
    if (root == NULL) {
        char text[sizeof jerr.text + 4];
        excerpt(jerr.text, strlen(jerr.text), sizeof jerr.text, text, sizeof text);
        st = fh_error_set(err, FH_ERR_INVALID, "not JSON: %s (line %d, column %d)", text,
                          jerr.line, jerr.column);
    } else if (!json_is_array(root) && !json_is_object(root))
        st = fh_error_set(err, FH_ERR_INVALID,
                          "neither an array of documents nor a document (a JSON object)");
    else if (json_is_array(root) && json_array_size(root) > max_docs)
        st = too_many(max_docs, err);
    else {
        if (replaced)
            rd_notify(sink, FH_NOTICE_WARNING, NULL, 0, "%zu invalid UTF-8 %s replaced by U+FFFD",
                      replaced, rd_plural(replaced, "sequence", "sequences"));
        if (json_documents(root, sink) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    json_decref(root);
    return st;
}
