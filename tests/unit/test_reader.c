/*
 * Unit tests for reader.c: each format's documents, the notices for bad
 * input, JSON held in memory, and file collection.  Text fixtures live in tests/fixtures/reader
 * (found through FIHRIS_SOURCE_DIR); binary, ill-formed, huge and
 * permission-dependent inputs are generated into a temporary directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "testfs.h"
#include "fihris/reader.h"
#include "fihris/utf8.h"

#define MAX_EVENTS 64
#define PATH_LEN 4096
#define FFFD "\xEF\xBF\xBD"

typedef struct {
    char *id, *title, *body, *url, *date, *source, *lang, *path, *extra;
    size_t line;
} doc_copy;

typedef struct {
    fh_notice_kind kind;
    char *path, *message;
    size_t line;
} notice_copy;

/* Everything a sink was told, copied because the reader's strings only
 * live during the callback. */
typedef struct {
    doc_copy docs[MAX_EVENTS];
    size_t ndocs;
    notice_copy notices[MAX_EVENTS];
    size_t nnotices;
    size_t stop_after; /* documents before asking the reader to stop; 0: never */
    int in_memory;     /* reading text, not a file: no path */
} recorder;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int valid_utf8(const char *s, size_t len)
{
    return fh_utf8_find_invalid(s, len) == len;
}

static int on_document(void *ctx, const fh_document *d)
{
    recorder *r = ctx;
    /* The contract for every document: valid UTF-8, lengths matching the
     * NUL-terminated strings, never a NULL title or body. */
    CHECK(d->id != NULL && d->title != NULL && d->body != NULL);
    CHECK((d->path == NULL) == r->in_memory);
    if (d->id == NULL || d->title == NULL || d->body == NULL)
        return 1;
    CHECK_INT(strlen(d->title), d->title_len);
    CHECK_INT(strlen(d->body), d->body_len);
    CHECK(valid_utf8(d->id, strlen(d->id)));
    CHECK(valid_utf8(d->title, d->title_len));
    CHECK(valid_utf8(d->body, d->body_len));
    if (r->ndocs < MAX_EVENTS) {
        doc_copy *c = &r->docs[r->ndocs];
        c->id = dup_or_null(d->id);
        c->title = dup_or_null(d->title);
        c->body = dup_or_null(d->body);
        c->url = dup_or_null(d->url);
        c->date = dup_or_null(d->date);
        c->source = dup_or_null(d->source);
        c->lang = dup_or_null(d->lang);
        c->path = dup_or_null(d->path);
        c->extra = dup_or_null(d->extra);
        c->line = d->line;
        CHECK(d->extra == NULL || (strlen(d->extra) == d->extra_len &&
                                   d->extra_len <= FH_READER_MAX_EXTRA_BYTES));
    }
    r->ndocs++;
    return r->stop_after && r->ndocs >= r->stop_after;
}

static void on_notice(void *ctx, fh_notice_kind kind, const char *path, size_t line,
                      const char *message)
{
    recorder *r = ctx;
    CHECK(valid_utf8(message, strlen(message)));
    CHECK(strchr(message, '\n') == NULL);
    CHECK((path == NULL) == r->in_memory);
    if (r->nnotices < MAX_EVENTS) {
        notice_copy *c = &r->notices[r->nnotices];
        c->kind = kind;
        c->path = dup_or_null(path);
        c->message = strdup(message);
        c->line = line;
    }
    r->nnotices++;
}

static void recorder_clear(recorder *r)
{
    for (size_t i = 0; i < r->ndocs && i < MAX_EVENTS; i++) {
        doc_copy *c = &r->docs[i];
        free(c->id), free(c->title), free(c->body), free(c->url);
        free(c->date), free(c->source), free(c->lang), free(c->path), free(c->extra);
    }
    for (size_t i = 0; i < r->nnotices && i < MAX_EVENTS; i++) {
        free(r->notices[i].path);
        free(r->notices[i].message);
    }
    memset(r, 0, sizeof *r);
}

/* Reads path into a fresh record; the reader must return FH_OK. */
static void read_into(recorder *r, const char *path)
{
    recorder_clear(r);
    const fh_reader_sink sink = {on_document, on_notice, r};
    fh_error err;
    fh_error_clear(&err);
    CHECK_INT(fh_read_file(path, &sink, &err), FH_OK);
}

#define CHECK_COUNTS(r, want_docs, want_notices)                                   \
    do {                                                                           \
        CHECK_INT((r)->ndocs, want_docs);                                          \
        CHECK_INT((r)->nnotices, want_notices);                                    \
    } while (0)

/* Notice i of r, which must exist. */
#define CHECK_NOTICE(r, i, want_kind, want_path, want_line, want_message)          \
    do {                                                                           \
        if ((r)->nnotices <= (i)) {                                                \
            CHECK_MSG(0, "missing notice %d: %s", (int)(i), want_message);         \
            break;                                                                 \
        }                                                                          \
        CHECK_INT((r)->notices[i].kind, want_kind);                                \
        CHECK_STR((r)->notices[i].path, want_path);                                \
        CHECK_INT((r)->notices[i].line, want_line);                                \
        CHECK_STR((r)->notices[i].message, want_message);                          \
    } while (0)

/* The record must hold exactly one notice, about path, and no document. */
static void expect_only_notice_at(recorder *r, const char *path, fh_notice_kind kind,
                                  const char *message)
{
    CHECK_COUNTS(r, 0, 1);
    CHECK_NOTICE(r, 0, kind, path, 0, message);
}

/* Reads a file that must yield exactly one notice and no document. */
static void expect_only_notice(recorder *r, const char *path, fh_notice_kind kind,
                               const char *message)
{
    read_into(r, path);
    CHECK_COUNTS(r, 0, 1);
    CHECK_NOTICE(r, 0, kind, path, 0, message);
}

/* A whole-file document: id and path are the file path, no JSONL fields. */
static void check_file_doc(const doc_copy *d, const char *path, const char *title,
                           const char *body)
{
    CHECK_STR(d->id, path);
    CHECK_STR(d->path, path);
    CHECK_STR(d->title, title);
    CHECK_STR(d->body, body);
    CHECK_INT(d->line, 0);
    CHECK(d->url == NULL && d->date == NULL && d->source == NULL && d->lang == NULL);
}

/* ------------------------------------------------------------------------ */
/* Paths and generated files. */

static void fixture(char *out, const char *name)
{
    const char *src = getenv("FIHRIS_SOURCE_DIR");
    const int n = snprintf(out, PATH_LEN, "%s/tests/fixtures/reader/%s", src ? src : "../..", name);
    CHECK(n > 0 && n < PATH_LEN);
}

static void join(char *out, const char *dir, const char *name)
{
    const int n = snprintf(out, PATH_LEN, "%s/%s", dir, name);
    CHECK(n > 0 && n < PATH_LEN);
}

static void write_file(char *out, const char *dir, const char *name, const char *data, size_t len)
{
    join(out, dir, name);
    FILE *f = fopen(out, "wb");
    CHECK_MSG(f != NULL, "cannot create %s", out);
    if (f == NULL)
        return;
    CHECK_INT(fwrite(data, 1, len, f), len);
    fclose(f);
}

#define WRITE_LITERAL(out, dir, name, lit) write_file(out, dir, name, lit, sizeof(lit) - 1)


/* ------------------------------------------------------------------------ */

static void test_supports(void)
{
    fh_error err;
    const fh_reader_sink sink = {NULL, NULL, NULL};
    CHECK_INT(fh_read_file(NULL, &sink, &err), FH_ERR_INVALID);
    CHECK_INT(err.status, FH_ERR_INVALID);
    CHECK_INT(fh_read_file("a.txt", NULL, NULL), FH_ERR_INVALID);
    CHECK_INT(fh_collect_files(NULL, 0, NULL, NULL, NULL), FH_ERR_INVALID);

    CHECK(fh_reader_supports("a.txt"));
    CHECK(fh_reader_supports("dir/A.TXT"));
    CHECK(fh_reader_supports("notes.md"));
    CHECK(fh_reader_supports("notes.Markdown"));
    CHECK(fh_reader_supports("page.htm"));
    CHECK(fh_reader_supports("page.HTML"));
    CHECK(fh_reader_supports("docs.jsonl"));
    CHECK(!fh_reader_supports("docs.json"));
    CHECK(!fh_reader_supports("report.pdf"));
    CHECK(!fh_reader_supports("README"));
    CHECK(!fh_reader_supports("dir.txt/README"));
    CHECK(!fh_reader_supports("archive.txt.gz"));
}

static void test_plain_text(recorder *r)
{
    char path[PATH_LEN];
    fixture(path, "plain.txt");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    /* BOM and blank lines skipped, title trimmed, body after the title line. */
    check_file_doc(&r->docs[0], path, "مقدمة في البحث",
                   "First paragraph line.\n\nالفقرة الثانية: البحث عن النصوص.");
}

static void test_markdown(recorder *r)
{
    char path[PATH_LEN];
    fixture(path, "notes.md");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "ملاحظات مهمة عن فهرس",
                   "This is emphasis, strong and both; snake_case_name and 2*3 stay.\n"
                   "كلمة_كلمة تبقى كما هي.\n"
                   "See the docs and a diagram.\n"
                   "Nested badge link, [no target] here.\n"
                   "Escaped *stars* stay, a * b too.\n"
                   "before\n"
                   "after\n"
                   "\n"
                   "Sub heading\n"
                   "\n"
                   "def __init__(self, x_y):  # *not* emphasis\n"
                   "    return `x`\n"
                   "\n"
                   "list item with under emphasis");
}

/* What a CommonMark parser reads that a line-by-line stripper would not:
 * setext headings, reference links, emphasis inside words, nested lists,
 * task lists, tables, entities, HTML blocks read as HTML. */
static void test_markdown_commonmark(recorder *r)
{
    char path[PATH_LEN];
    fixture(path, "commonmark.md");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "Project & co",
                   "Intro with boldinside and unfriggingbelievable words,\n"
                   "a reference link, a collapsed one and an image & alt;\n"
                   "code span too.\n"
                   "\n"
                   "first item\n"
                   "nested item\n"
                   "deep ordered\n"
                   "\n"
                   "done task\n"
                   "\n"
                   "Name Value\n"
                   "alpha one\n"
                   "two\n"
                   "\n"
                   "Entities: © AB … &bogus; " FFFD "\n"
                   "\n"
                   "Centered & bold\n"
                   "\n"
                   "Inline HTML tags\n"
                   "stay apart.\n"
                   "\n"
                   "quoted text\n"
                   "\n"
                   "nested quote\n"
                   "\n"
                   "indented code *kept*");
}

/* Markdown that is odd, broken or huge is read, never refused. */
static void test_markdown_problems(recorder *r, const char *tmp)
{
    char path[PATH_LEN];
    WRITE_LITERAL(path, tmp, "bad.md", "# Title \xFF\n\nbody \xC3( *and* more text\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    check_file_doc(&r->docs[0], path, "Title " FFFD, "body " FFFD "( and more text");
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0, "2 invalid UTF-8 sequences replaced by U+FFFD");

    WRITE_LITERAL(path, tmp, "zip.md", "PK\x03\x04\0\0\x08\0text after NULs");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "binary file");

    /* An unclosed comment inside a list item or a quote hides nothing. */
    WRITE_LITERAL(path, tmp, "open-comments.md",
                  "- a\n  <!-- open\n  **b**\n- c\n\n> <!-- q\n> *d*\n\n<!-- x\n<!-- y\n**z**\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "a", "<!-- open\nb\n\nc\n\n<!-- q\nd\n\n<!-- x\n\n<!-- y\n**z**");

    /* A 4 MB line is one paragraph, read whole. */
    const size_t words = 800000, dense = 4 * 1024 * 1024;
    char *big = malloc(dense + 64);
    CHECK(big != NULL);
    if (big == NULL)
        return;
    size_t n = (size_t)sprintf(big, "# Long\n\n");
    for (size_t i = 0; i < words; i++, n += 5)
        memcpy(big + n, "word ", 5);
    n += (size_t)sprintf(big + n, "**end**\n");
    write_file(path, tmp, "long-line.md", big, n);
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    if (r->ndocs == 1) {
        CHECK_STR(r->docs[0].title, "Long");
        CHECK_INT(strlen(r->docs[0].body), words * 5 + 3);
        CHECK_STR(r->docs[0].body + words * 5 - 5, "word end");
    }

    /* Quotes nested 100,000 deep on one line: no recursion to overflow. */
    n = (size_t)sprintf(big, "Deep\n\n");
    memset(big + n, '>', 100000);
    n += 100000;
    n += (size_t)sprintf(big + n, " bottom\n");
    write_file(path, tmp, "deep.md", big, n);
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "Deep", "bottom");

    /* Markup too dense to parse in the memory allowed (4 MB of '[' would
     * take md4c some 250 MB) is read as plain text, with a warning; 64 KB of
     * them are parsed (they are text: no link closes them). */
    n = (size_t)sprintf(big, "Brackets\n");
    memset(big + n, '[', dense);
    write_file(path, tmp, "dense.md", big, n + dense);
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    if (r->ndocs == 1) {
        CHECK_STR(r->docs[0].title, "Brackets");
        CHECK_INT(strlen(r->docs[0].body), dense);
    }
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0,
                 "Markdown too dense to parse within the memory limit; read as plain text");
    n = (size_t)sprintf(big, "Brackets\n\n*x*");
    memset(big + n, '[', 64 * 1024);
    write_file(path, tmp, "dense-small.md", big, n + 64 * 1024);
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    if (r->ndocs == 1) {
        CHECK_INT(strlen(r->docs[0].body), 1 + 64 * 1024);
        CHECK(strncmp(r->docs[0].body, "x[[[", 4) == 0);
    }
    free(big);
}

static void test_html(recorder *r)
{
    char path[PATH_LEN];
    fixture(path, "page.html");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    /* No script, style, noscript, template or comment text; blocks on their
     * own lines; inline elements joined as a browser shows them. */
    check_file_doc(&r->docs[0], path, "صفحة الاختبار",
                   "عنوان الصفحة\n"
                   "Firstbold paragraph here.\n"
                   "Second paragraph\n"
                   "one\ntwo\nalpha\nbeta\nline\nbreak\n"
                   "c1 c2\nc3 c4\n"
                   "code line 1\ncode line 2\n"
                   "قسم\n"
                   "النص العربي هنا");

    fixture(path, "heading.htm");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    /* Without <title>, the first <h1>. */
    check_file_doc(&r->docs[0], path, "The first heading", "The first heading\nBody text.\nSecond");
}

static void test_html_encodings(recorder *r, const char *tmp)
{
    char path[PATH_LEN];
    /* "مرحبا" in windows-1256, declared by a <meta>: libxml2 converts it. */
    WRITE_LITERAL(path, tmp, "cp1256.html",
                  "<html><head><meta http-equiv=\"Content-Type\" "
                  "content=\"text/html; charset=windows-1256\">"
                  "<title>\xE3\xD1\xCD\xC8\xC7</title></head>"
                  "<body><p>\xE3\xD1\xCD\xC8\xC7 world</p></body></html>");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "مرحبا", "مرحبا world");

    /* Undeclared and ill-formed: repaired, and the Arabic after the bad
     * byte is not reinterpreted as Latin-1. */
    WRITE_LITERAL(path, tmp, "bad-utf8.html",
                  "<title>bad\xFF title</title><p>\xD9\x82\xD8\xA8\xD9\x84\xC0"
                  "\xD8\xA8\xD8\xB9\xD8\xAF</p>");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    check_file_doc(&r->docs[0], path, "bad" FFFD " title", "قبل" FFFD "بعد");
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0, "2 invalid UTF-8 sequences replaced by U+FFFD");

    WRITE_LITERAL(path, tmp, "unknown-charset.html",
                  "<meta charset=\"x-klingon\"><title>t</title><p>نص</p>");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    check_file_doc(&r->docs[0], path, "t", "نص");
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0, "unknown charset \"x-klingon\"; read as UTF-8");

    /* Deeper than libxml2's default limit of 256 levels, which would drop
     * everything after it. */
    {
        char deep[5000 * 13 + 64];
        char *p = deep;
        for (int i = 0; i < 5000; i++)
            p += sprintf(p, "<span>");
        p += sprintf(p, "deep");
        for (int i = 0; i < 5000; i++)
            p += sprintf(p, "</span>");
        p += sprintf(p, "<p>after</p>");
        write_file(path, tmp, "deep.html", deep, (size_t)(p - deep));
        read_into(r, path);
        CHECK_COUNTS(r, 1, 0);
        if (r->ndocs == 1)
            check_file_doc(&r->docs[0], path, "", "deep\nafter");
    }

    WRITE_LITERAL(path, tmp, "invisible.html",
                  "<html><head><style>p{}</style></head><body><script>x()</script></body></html>");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "no visible text");

    WRITE_LITERAL(path, tmp, "binary.html", "<html>\0\0\x01\x02</html>");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "binary file");
}

/* A byte order mark and nothing else (white space aside) is an empty file,
 * in every format and whichever the mark. */
static void test_byte_order_marks(recorder *r)
{
    static const char *const files[] = {
        "bom-utf8.txt",   "bom-utf8-blank.md",      "bom-utf16be.html", "bom-utf16le.txt",
        "bom-utf16le-blank.html", "bom-utf32be.html", "bom-utf16be.jsonl"};
    char path[PATH_LEN];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        fixture(path, files[i]);
        expect_only_notice(r, path, FH_NOTICE_SKIPPED, "empty file");
    }
}

/* A page that declares a charset libxml2 knows but cannot read it in is
 * read as UTF-8, with one warning that says so; UTF-32 is skipped. */
static void test_unreadable_charsets(recorder *r)
{
    static const struct {
        const char *file, *charset;
    } declared[] = {{"declares-utf32.html", "utf-32"}, {"declares-ebcdic.html", "EBCDIC-US"}};
    char path[PATH_LEN], start[64];
    for (size_t i = 0; i < sizeof declared / sizeof declared[0]; i++) {
        fixture(path, declared[i].file);
        read_into(r, path);
        CHECK_COUNTS(r, 1, 1);
        if (r->ndocs != 1 || r->nnotices != 1)
            continue;
        check_file_doc(&r->docs[0], path, "Declared", "Plain ASCII text.");
        const char *msg = r->notices[0].message;
        snprintf(start, sizeof start, "charset \"%s\" could not be read (", declared[i].charset);
        CHECK_INT(r->notices[0].kind, FH_NOTICE_WARNING);
        CHECK_MSG(strncmp(msg, start, strlen(start)) == 0, "%s", msg);
        const char *tail = "); read as UTF-8";
        CHECK_MSG(strlen(msg) > strlen(tail) && strcmp(msg + strlen(msg) - strlen(tail), tail) == 0,
                  "%s", msg);
    }
    fixture(path, "utf32le-bom.html");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "UTF-32 text is not supported");
}

/* A UTF-16 mark is believed when the text is UTF-16, and otherwise read
 * past with a warning: UTF-8 read as UTF-16 would be indexed as nonsense. */
static void test_utf16_marks(recorder *r, const char *tmp)
{
    char path[PATH_LEN];
    WRITE_LITERAL(path, tmp, "utf16le.html",
                  "\xFF\xFE<\0p\0>\0H\0i\0 \0\x45\x06\x44\x06<\0/\0p\0>\0");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    if (r->ndocs == 1)
        check_file_doc(&r->docs[0], path, "", "Hi \xD9\x85\xD9\x84");

    WRITE_LITERAL(path, tmp, "marked-utf8.html",
                  "\xFF\xFE<html><title>hello world</title><body>\xD9\x85\xD9\x84 plain</body></html>");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    if (r->ndocs == 1)
        check_file_doc(&r->docs[0], path, "hello world", "\xD9\x85\xD9\x84 plain");
    if (r->nnotices == 1)
        CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0,
                     "a UTF-16 byte order mark before text that is not UTF-16; read as UTF-8");
}

static void test_text_problems(recorder *r, const char *tmp)
{
    char path[PATH_LEN];

    fixture(path, "empty.txt");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "empty file");
    fixture(path, "blank.md");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "empty file");
    fixture(path, "report.pdf");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "unsupported file type");
    fixture(path, "missing.txt");
    expect_only_notice(r, path, FH_NOTICE_FAILED, "no such file or directory");

    WRITE_LITERAL(path, tmp, "zip.txt", "PK\x03\x04\0\0\x08\0text after NULs");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "binary file");
    /* Undeclared windows-1256 text is mostly ill-formed UTF-8. */
    WRITE_LITERAL(path, tmp, "cp1256.txt", "\xC7\xE1\xDA\xD1\xC8\xED\xC9 \xC7\xE1\xDA\xD1\xC8\xED\xC9");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "binary file");

    WRITE_LITERAL(path, tmp, "bad.txt",
                  "Title \xFF line\nbody \xC3( and enough valid text to stay below the limit\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    check_file_doc(&r->docs[0], path, "Title " FFFD " line",
                   "body " FFFD "( and enough valid text to stay below the limit");
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0, "2 invalid UTF-8 sequences replaced by U+FFFD");

    WRITE_LITERAL(path, tmp, "crlf.md", "\r\n## Windows *lines* ##\r\nline two\r\nline three\r\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "Windows lines", "line two\nline three");
    WRITE_LITERAL(path, tmp, "mac.txt", "Title\rline two\r\rline three\r");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "Title", "line two\n\nline three");

    WRITE_LITERAL(path, tmp, "comment-only.md", "<!-- nothing\nto see -->\n\n");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "no visible text");
    /* Never closed, so not a comment: nothing is swallowed. */
    WRITE_LITERAL(path, tmp, "open-comment.md", "Title\n<!-- never closed\n**text**\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    check_file_doc(&r->docs[0], path, "Title", "<!-- never closed\ntext");
    WRITE_LITERAL(path, tmp, "bom-only.txt", "\xEF\xBB\xBF\n");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "empty file");

    /* A NUL past the sniffed window becomes a space, so C strings hold. */
    {
        char late_nul[9100];
        memcpy(late_nul, "Title\n", 6);
        memset(late_nul + 6, 'a', 9000);
        memcpy(late_nul + 9006, "\0tail", 5);
        write_file(path, tmp, "late-nul.txt", late_nul, 9011);
        read_into(r, path);
        CHECK_COUNTS(r, 1, 0);
        if (r->ndocs == 1) {
            CHECK_STR(r->docs[0].title, "Title");
            CHECK_INT(strlen(r->docs[0].body), 9005);
            CHECK_STR(r->docs[0].body + 8995, "aaaaa tail");
        }
    }

    /* Sparse, so the test costs no disk space; the size alone decides. */
    join(path, tmp, "big.txt");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, 65 * 1024 * 1024) == 0);
    if (fd >= 0)
        close(fd);
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "file too large (65 MB, limit 64 MB)");

    join(path, tmp, "folder.txt");
    CHECK(mkdir(path, 0755) == 0);
    expect_only_notice(r, path, FH_NOTICE_FAILED, "is a directory");

    /* root opens anything, so the check only means something for others. */
    if (geteuid() != 0) {
        WRITE_LITERAL(path, tmp, "secret.txt", "hidden\n");
        CHECK(chmod(path, 0) == 0);
        expect_only_notice(r, path, FH_NOTICE_FAILED, "permission denied");
    }

    /* A file name that is not UTF-8 still gives a valid id. */
    WRITE_LITERAL(path, tmp, "name\xFF.txt", "Title\nbody\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    if (r->ndocs == 1) {
        char want_id[PATH_LEN];
        join(want_id, tmp, "name" FFFD ".txt");
        CHECK_STR(r->docs[0].id, want_id);
        CHECK_STR(r->docs[0].path, path);
        CHECK_STR(r->docs[0].title, "Title");
        CHECK_STR(r->docs[0].body, "body");
    }
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 0,
                 "file name is not valid UTF-8; its id uses U+FFFD");
}

static void check_jsonl_doc(const doc_copy *d, const char *path, size_t line, const char *id,
                            const char *title, const char *body, const char *date)
{
    CHECK_STR(d->id, id);
    CHECK_STR(d->title, title);
    CHECK_STR(d->body, body);
    if (path) /* NULL: read from memory */
        CHECK_STR(d->path, path);
    else
        CHECK(d->path == NULL);
    CHECK_INT(d->line, line);
    if (date)
        CHECK_STR(d->date, date);
    else
        CHECK_MSG(d->date == NULL, "line %zu: date %s", line, d->date);
}

static void test_jsonl(recorder *r)
{
    char path[PATH_LEN];
    fixture(path, "docs.jsonl");
    read_into(r, path);
    CHECK_COUNTS(r, 9, 11);
    if (r->ndocs != 9 || r->nnotices != 11)
        return;
    check_jsonl_doc(&r->docs[0], path, 1, "doc-1", "العنوان الأول", "نص المستند الأول", "2024-02-29");
    CHECK_STR(r->docs[0].url, "https://example.com/1");
    CHECK_STR(r->docs[0].source, "test");
    CHECK_STR(r->docs[0].lang, "ar");
    check_jsonl_doc(&r->docs[1], path, 2, "doc-2", "", "second body", "2023-07-15");
    CHECK(r->docs[1].url == NULL && r->docs[1].source == NULL && r->docs[1].lang == NULL);
    /* line 3 is blank */
    check_jsonl_doc(&r->docs[2], path, 4, "doc-3", "", "no title here", "2021-03-04");
    check_jsonl_doc(&r->docs[3], path, 5, "doc-4", "Year only", "b4", "1999");
    check_jsonl_doc(&r->docs[4], path, 6, "doc-5", "Month", "b5", "2020-12");
    check_jsonl_doc(&r->docs[5], path, 9, "doc-8", "not a leap year", "b8", NULL);
    check_jsonl_doc(&r->docs[6], path, 10, "doc-9", "", "b9", NULL);
    CHECK(r->docs[6].url == NULL && r->docs[6].lang == NULL);
    check_jsonl_doc(&r->docs[7], path, 15, "doc-15", "time without seconds", "b15", "2000-02-29");

    /* jansson's own wording varies between versions: check the prefix. */
    CHECK_INT(r->notices[0].kind, FH_NOTICE_FAILED);
    CHECK_INT(r->notices[0].line, 7);
    CHECK_MSG(strncmp(r->notices[0].message, "invalid JSON: ", 14) == 0 &&
                  strlen(r->notices[0].message) > 14,
              "%s", r->notices[0].message);
    CHECK_NOTICE(r, 1, FH_NOTICE_FAILED, path, 8, "missing string field \"body\"");
    CHECK_NOTICE(r, 2, FH_NOTICE_WARNING, path, 9, "invalid date \"2023-02-29\"; ignored");
    CHECK_NOTICE(r, 3, FH_NOTICE_WARNING, path, 10,
                 "field \"title\" is not a string; ignored");
    CHECK_NOTICE(r, 4, FH_NOTICE_WARNING, path, 10,
                 "field \"url\" is not a string; ignored");
    CHECK_NOTICE(r, 5, FH_NOTICE_WARNING, path, 10, "invalid date \"2023-13-01\"; ignored");
    CHECK_NOTICE(r, 6, FH_NOTICE_FAILED, path, 11, "not a JSON object");
    CHECK_NOTICE(r, 7, FH_NOTICE_FAILED, path, 12, "missing string field \"id\"");
    CHECK_NOTICE(r, 8, FH_NOTICE_FAILED, path, 13, "missing string field \"id\"");
    CHECK_NOTICE(r, 9, FH_NOTICE_FAILED, path, 14, "field \"id\" is empty");
    CHECK_NOTICE(r, 10, FH_NOTICE_WARNING, path, 16,
                 "invalid date \"2022-01-01T25:00Z\"; ignored");
    check_jsonl_doc(&r->docs[8], path, 16, "doc-16", "bad time", "b16", NULL);

    /* The sink can stop the reader; that is not an error. */
    recorder_clear(r);
    r->stop_after = 2;
    const fh_reader_sink sink = {on_document, on_notice, r};
    CHECK_INT(fh_read_file(path, &sink, NULL), FH_OK);
    CHECK_COUNTS(r, 2, 0);
}

static void test_jsonl_generated(recorder *r, const char *tmp)
{
    char path[PATH_LEN];
    /* BOM, CRLF, blank lines, ill-formed UTF-8 in a value, no final newline. */
    WRITE_LITERAL(path, tmp, "mixed.jsonl",
                  "\xEF\xBB\xBF{\"id\": \"u1\", \"title\": \"t\\u00e9\", \"body\": \"a\xFF" "b\"}\r\n"
                  "\n"
                  "   \t\n"
                  "{\"id\": \"u4\", \"body\": \"crlf\"}\r\n"
                  "{\"id\": \"u5\", \xFF}\n"
                  "{\"id\": \"u6\", \"body\": \"\xC3\xD8\"}");
    read_into(r, path);
    CHECK_COUNTS(r, 3, 3);
    if (r->ndocs == 3) {
        check_jsonl_doc(&r->docs[0], path, 1, "u1", "t\xC3\xA9", "a" FFFD "b", NULL);
        check_jsonl_doc(&r->docs[1], path, 4, "u4", "", "crlf", NULL);
        check_jsonl_doc(&r->docs[2], path, 6, "u6", "", FFFD FFFD, NULL);
    }
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 1,
                 "1 invalid UTF-8 sequence replaced by U+FFFD");
    /* Repaired but still not JSON: only the failure is reported. */
    CHECK_INT(r->notices[1].kind, FH_NOTICE_FAILED);
    CHECK_INT(r->notices[1].line, 5);
    CHECK(strncmp(r->notices[1].message, "invalid JSON: ", 14) == 0);
    CHECK_NOTICE(r, 2, FH_NOTICE_WARNING, path, 6,
                 "2 invalid UTF-8 sequences replaced by U+FFFD");

    WRITE_LITERAL(path, tmp, "empty.jsonl", "");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "empty file");
    WRITE_LITERAL(path, tmp, "blank.jsonl", "\n  \n\r\n");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "empty file");
    WRITE_LITERAL(path, tmp, "binary.jsonl", "{\"id\":\0\0\0\x01}\n");
    expect_only_notice(r, path, FH_NOTICE_SKIPPED, "binary file");

    /* A line over the limit is skipped without holding up the next one.
     * Text first (the binary check reads it), then a sparse hole. */
    join(path, tmp, "long.jsonl");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    if (fd >= 0) {
        char head[9000];
        memset(head, 'a', sizeof head);
        memcpy(head, "{\"id\": \"long\", \"body\": \"", 24);
        static const char tail[] = "\n{\"id\": \"after\", \"body\": \"ok\"}\n";
        CHECK_INT(write(fd, head, sizeof head), sizeof head);
        CHECK(lseek(fd, FH_READER_MAX_BYTES + 100, SEEK_SET) > 0);
        CHECK_INT(write(fd, tail, sizeof tail - 1), sizeof tail - 1);
        close(fd);
    }
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    CHECK_NOTICE(r, 0, FH_NOTICE_FAILED, path, 1, "line too long (over 64 MB)");
    if (r->ndocs == 1)
        check_jsonl_doc(&r->docs[0], path, 2, "after", "", "ok", NULL);
}

/* A JSONL line {"id":"x","body":"b",<members>}; members is key:value text. */
static void write_jsonl_line(char *path, const char *tmp, const char *name, const char *members)
{
    char *line = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&line, &len);
    CHECK(f != NULL);
    if (f == NULL)
        return;
    fprintf(f, "{\"id\":\"x\",\"body\":\"b\",%s}\n", members);
    fclose(f);
    write_file(path, tmp, name, line, len);
    free(line);
}

/* "k":"aaa...", n a's. */
static char *long_member(const char *key, size_t n)
{
    char *m = malloc(strlen(key) + n + 8);
    int at = sprintf(m, "\"%s\":\"", key);
    memset(m + at, 'a', n);
    strcpy(m + at + n, "\"");
    return m;
}

/* Fields beyond the known ones are kept as given, in their order, nested
 * values and numbers included, within FH_READER_MAX_EXTRA_BYTES. */
static void test_jsonl_extra(recorder *r, const char *tmp)
{
    char path[PATH_LEN];
    write_jsonl_line(path, tmp, "extra.jsonl",
                     "\"title\":\"t\",\"url\":5,\"zeta\":\"سارة\",\"alpha\":{\"n\":[1,0.1,null,true]},"
                     "\"date\":\"2024-01-01\",\"price\":2.5e10,\"lang\":\"en\"");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 1, "field \"url\" is not a string; ignored");
    if (r->ndocs == 1)
        CHECK_STR(r->docs[0].extra,
                  "{\"zeta\":\"سارة\",\"alpha\":{\"n\":[1,0.1,null,true]},\"price\":25000000000.0}");

    WRITE_LITERAL(path, tmp, "plain.jsonl", "{\"id\":\"x\",\"body\":\"b\",\"title\":\"t\"}\n");
    read_into(r, path);
    CHECK_COUNTS(r, 1, 0);
    if (r->ndocs == 1)
        CHECK(r->docs[0].extra == NULL);

    /* {"k":"a..."} exactly at the limit is kept, a byte more dropped */
    const size_t fits = FH_READER_MAX_EXTRA_BYTES - strlen("{\"k\":\"\"}");
    for (size_t n = fits; n <= fits + 1; n++) {
        char *m = long_member("k", n);
        write_jsonl_line(path, tmp, "limit.jsonl", m);
        free(m);
        read_into(r, path);
        CHECK_COUNTS(r, 1, n > fits);
        if (r->ndocs == 1 && n == fits)
            CHECK(r->docs[0].extra && strlen(r->docs[0].extra) == FH_READER_MAX_EXTRA_BYTES);
        if (r->ndocs == 1 && n > fits)
            CHECK(r->docs[0].extra == NULL);
        if (n > fits)
            CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 1,
                         "extra fields over 64 KB dropped (1: \"k\")");
    }

    /* the fields that fit are kept, in their order, the others dropped */
    char *big = long_member("big", 70000), *big2 = long_member("big2", 70000);
    char members[150000];
    snprintf(members, sizeof members, "\"a\":1,%s,\"b\":[2],%s,\"c\":\"3\"", big, big2);
    free(big);
    free(big2);
    write_jsonl_line(path, tmp, "big.jsonl", members);
    read_into(r, path);
    CHECK_COUNTS(r, 1, 1);
    if (r->ndocs == 1)
        CHECK_STR(r->docs[0].extra, "{\"a\":1,\"b\":[2],\"c\":\"3\"}");
    CHECK_NOTICE(r, 0, FH_NOTICE_WARNING, path, 1,
                 "extra fields over 64 KB dropped (2: \"big\" and more)");
}

/* Standard input ("-") read as JSONL, named <stdin>: from a file, a
 * pipe, binary and overlong lines as in files. */
static void read_stdin_from(recorder *r, const char *path)
{
    const int saved = dup(STDIN_FILENO), fd = open(path, O_RDONLY);
    CHECK(saved >= 0 && fd >= 0);
    CHECK(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
    close(fd);
    read_into(r, FH_READER_STDIN);
    CHECK(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
    close(saved);
}

static void test_stdin(recorder *r, const char *tmp)
{
    char path[PATH_LEN];
    CHECK(fh_reader_supports(FH_READER_STDIN));
    WRITE_LITERAL(path, tmp, "in.txt", "{\"id\":\"s1\",\"body\":\"one\",\"k\":1}\nnot json\n");
    read_stdin_from(r, path);
    CHECK_COUNTS(r, 1, 1);
    if (r->ndocs == 1) {
        check_jsonl_doc(&r->docs[0], FH_READER_STDIN_NAME, 1, "s1", "", "one", NULL);
        CHECK_STR(r->docs[0].extra, "{\"k\":1}");
    }
    CHECK_INT(r->notices[0].kind, FH_NOTICE_FAILED);
    CHECK_STR(r->notices[0].path, FH_READER_STDIN_NAME);
    CHECK_INT(r->notices[0].line, 2);

    WRITE_LITERAL(path, tmp, "in.bin", "{\"id\":\0\0\0\x01}\n");
    read_stdin_from(r, path);
    expect_only_notice_at(r, FH_READER_STDIN_NAME, FH_NOTICE_SKIPPED, "binary file");
    WRITE_LITERAL(path, tmp, "in.empty", "\xEF\xBB\xBF \n");
    read_stdin_from(r, path);
    expect_only_notice_at(r, FH_READER_STDIN_NAME, FH_NOTICE_SKIPPED, "empty file");
    /* the generated file with a line over the limit (test_jsonl_generated) */
    join(path, tmp, "long.jsonl");
    read_stdin_from(r, path);
    CHECK_COUNTS(r, 1, 1);
    CHECK_NOTICE(r, 0, FH_NOTICE_FAILED, FH_READER_STDIN_NAME, 1, "line too long (over 64 MB)");

    /* a pipe, not a file */
    int p[2];
    CHECK(pipe(p) == 0);
    static const char lines[] = "{\"id\":\"p1\",\"body\":\"piped\"}\n{\"id\":\"p2\",\"body\":\"two\"}";
    CHECK_INT(write(p[1], lines, sizeof lines - 1), sizeof lines - 1);
    close(p[1]);
    const int saved = dup(STDIN_FILENO);
    CHECK(dup2(p[0], STDIN_FILENO) == STDIN_FILENO);
    close(p[0]);
    read_into(r, FH_READER_STDIN);
    CHECK(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
    close(saved);
    CHECK_COUNTS(r, 2, 0);
    if (r->ndocs == 2)
        check_jsonl_doc(&r->docs[1], FH_READER_STDIN_NAME, 2, "p2", "", "two", NULL);
}

/* JSON in memory, JSONL (jsonl) or an array, into a fresh record; the
 * reader must return want. */
static void read_text_into(recorder *r, int jsonl, const char *text, size_t max_docs,
                           fh_status want)
{
    recorder_clear(r);
    r->in_memory = 1;
    const fh_reader_sink sink = {on_document, on_notice, r};
    fh_error err;
    fh_error_clear(&err);
    fh_status st = jsonl ? fh_read_jsonl_text(text, strlen(text), max_docs, &sink, &err)
                         : fh_read_json_text(text, strlen(text), max_docs, &sink, &err);
    CHECK_MSG(st == want, "%s: status %d, want %d (%s)", text, (int)st, (int)want, err.message);
}

/* Notice i of a text: its kind, line and message (no path). */
static void check_text_notice(const recorder *r, size_t i, fh_notice_kind kind, size_t line,
                              const char *message)
{
    CHECK_MSG(r->nnotices > i, "missing notice %zu: %s", i, message);
    if (r->nnotices <= i)
        return;
    CHECK_INT(r->notices[i].kind, kind);
    CHECK_INT(r->notices[i].line, line);
    CHECK_STR(r->notices[i].message, message);
}

static void test_jsonl_text(recorder *r)
{
    read_text_into(r, 1,
                   "\xEF\xBB\xBF{\"id\":\"a\",\"body\":\"x\",\"date\":\"2024-02-30\"}\n\n"
                   "{\"id\":\"b\"}\nnope\n{\"id\":\"c\",\"body\":\"y\",\"title\":\"T\"}",
                   4, FH_OK);
    CHECK_COUNTS(r, 2, 3);
    if (r->ndocs == 2) {
        check_jsonl_doc(&r->docs[0], NULL, 1, "a", "", "x", NULL);
        check_jsonl_doc(&r->docs[1], NULL, 5, "c", "T", "y", NULL);
    }
    check_text_notice(r, 0, FH_NOTICE_WARNING, 1, "invalid date \"2024-02-30\"; ignored");
    check_text_notice(r, 1, FH_NOTICE_FAILED, 3, "missing string field \"body\"");
    CHECK(r->nnotices < 3 || strncmp(r->notices[2].message, "invalid JSON: ", 14) == 0);
    /* more documents than allowed: none read */
    read_text_into(r, 1, "{}\n{}\n\n{}\n", 2, FH_ERR_TOO_LARGE);
    CHECK_COUNTS(r, 0, 0);
    read_text_into(r, 1, "{}\n \n{}\n", 2, FH_OK);
    CHECK_COUNTS(r, 0, 2);
    /* no line is JSON: not JSON at all */
    read_text_into(r, 1, "hello\nworld\n", 10, FH_ERR_INVALID);
    CHECK_COUNTS(r, 0, 2);
    read_text_into(r, 1, "", 10, FH_ERR_INVALID);
    read_text_into(r, 1, " \r\n\n", 10, FH_ERR_INVALID);
    CHECK_COUNTS(r, 0, 0);
    /* the sink may stop the reading */
    recorder_clear(r);
    r->in_memory = 1;
    r->stop_after = 1;
    const fh_reader_sink sink = {on_document, on_notice, r};
    const char two[] = "{\"id\":\"1\",\"body\":\"\"}\n{\"id\":\"2\",\"body\":\"\"}\n";
    CHECK_INT(fh_read_jsonl_text(two, strlen(two), 10, &sink, NULL), FH_OK);
    CHECK_COUNTS(r, 1, 0);
}

static void test_json_text(recorder *r)
{
    /* each element a document, its position from 1 as its line */
    read_text_into(r, 0, "[{\"id\":\"a\",\"body\":\"x\"}, 5, {\"id\":\"b\",\"body\":\"a\xFF\"}]", 3,
                   FH_OK);
    CHECK_COUNTS(r, 2, 2);
    if (r->ndocs == 2) {
        check_jsonl_doc(&r->docs[0], NULL, 1, "a", "", "x", NULL);
        check_jsonl_doc(&r->docs[1], NULL, 3, "b", "", "a" FFFD, NULL);
    }
    check_text_notice(r, 0, FH_NOTICE_WARNING, 0, "1 invalid UTF-8 sequence replaced by U+FFFD");
    check_text_notice(r, 1, FH_NOTICE_FAILED, 2, "not a JSON object");
    /* one object is one document */
    read_text_into(r, 0, "\xEF\xBB\xBF {\"id\":\"o\",\"body\":\"b\",\"lang\":\"en\"} ", 1, FH_OK);
    CHECK_COUNTS(r, 1, 0);
    if (r->ndocs == 1)
        CHECK_STR(r->docs[0].lang, "en");
    read_text_into(r, 0, "[]", 1, FH_OK);
    CHECK_COUNTS(r, 0, 0);
    /* too many, or not JSON: nothing read */
    read_text_into(r, 0, "[{},{},{}]", 2, FH_ERR_TOO_LARGE);
    CHECK_COUNTS(r, 0, 0);
    read_text_into(r, 0, "[{\"id\":", 5, FH_ERR_INVALID);
    read_text_into(r, 0, "{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"b\",\"body\":\"y\"}", 5,
                   FH_ERR_INVALID);
    read_text_into(r, 0, "\"text\"", 5, FH_ERR_INVALID);
    read_text_into(r, 0, "", 5, FH_ERR_INVALID);
    CHECK_COUNTS(r, 0, 0);
}

static void test_dates(recorder *r, const char *tmp)
{
    static const struct {
        const char *in, *want; /* want NULL: rejected with a warning */
    } cases[] = {
        {"2024-02-29", "2024-02-29"},
        {"2000-02-29", "2000-02-29"},
        {"1900-02-29", NULL},
        {"2023-02-28", "2023-02-28"},
        {"2024-04-31", NULL},
        {"2024-12-31", "2024-12-31"},
        {"2024-00", NULL},
        {"2024-13", NULL},
        {"2024-01-00", NULL},
        {"2024", "2024"},
        {"24", NULL},
        {"2024-1-05", NULL},
        {"2024/01/05", NULL},
        {"  2024-03  ", "2024-03"},
        {"2024-01-05T00:00:00Z", "2024-01-05"},
        {"2024-01-05T23:59:60.5-05:00", "2024-01-05"},
        {"2024-01-05 12:30", "2024-01-05"},
        {"2024-01-05T24:00", NULL},
        {"2024-01-05T12", NULL},
        {"2024-01-05T12:00+0300", NULL},
        {"2024-01-05T12:30:00.", NULL},
        {"2024-01-05T12:30:00Zx", NULL},
        {"2024-01-05Z", NULL},
        {"tomorrow", NULL},
    };
    const size_t n = sizeof cases / sizeof cases[0];
    char lines[4096] = "";
    for (size_t i = 0; i < n; i++) {
        char line[128];
        snprintf(line, sizeof line, "{\"id\": \"d%zu\", \"body\": \"\", \"date\": \"%s\"}\n", i,
                 cases[i].in);
        strcat(lines, line);
    }
    strcat(lines, "{\"id\": \"no-date\", \"body\": \"\", \"date\": \"\"}\n");
    char path[PATH_LEN];
    write_file(path, tmp, "dates.jsonl", lines, strlen(lines));
    read_into(r, path);
    CHECK_INT(r->ndocs, n + 1);
    size_t warnings = 0;
    for (size_t i = 0; i < n && i < r->ndocs; i++) {
        if (cases[i].want) {
            CHECK_MSG(r->docs[i].date && strcmp(r->docs[i].date, cases[i].want) == 0, "%s -> %s",
                      cases[i].in, r->docs[i].date ? r->docs[i].date : "(null)");
            continue;
        }
        CHECK_MSG(r->docs[i].date == NULL, "%s accepted as %s", cases[i].in, r->docs[i].date);
        char want[128];
        snprintf(want, sizeof want, "invalid date \"%s\"; ignored", cases[i].in);
        CHECK_NOTICE(r, warnings, FH_NOTICE_WARNING, path, i + 1, want);
        warnings++;
    }
    CHECK_INT(r->nnotices, warnings);
    if (r->ndocs == n + 1)
        CHECK(r->docs[n].date == NULL);
}

static void test_collect(recorder *r, const char *tmp)
{
    char root[PATH_LEN], path[PATH_LEN], missing[PATH_LEN], pdf[PATH_LEN];
    join(root, tmp, "tree");
    CHECK(mkdir(root, 0755) == 0);
    WRITE_LITERAL(path, root, "b.txt", "bb\n");
    WRITE_LITERAL(path, root, "a.md", "# a\n");
    WRITE_LITERAL(path, root, "Z.txt", "Z");
    WRITE_LITERAL(path, root, ".hidden.txt", "hidden");
    join(path, root, ".git");
    CHECK(mkdir(path, 0755) == 0);
    WRITE_LITERAL(path, root, ".git/config", "x");
    join(path, root, "sub");
    CHECK(mkdir(path, 0755) == 0);
    join(path, root, "sub/deeper");
    CHECK(mkdir(path, 0755) == 0);
    WRITE_LITERAL(path, root, "sub/c.html", "<p>c</p>");
    WRITE_LITERAL(path, root, "sub/deeper/d.jsonl", "{}\n");
    join(path, root, "link-file.txt");
    CHECK(symlink("b.txt", path) == 0);
    join(path, root, "link-dir");
    CHECK(symlink("sub", path) == 0);
    join(path, root, "broken.txt");
    CHECK(symlink("nowhere", path) == 0);
    join(path, root, "fifo");
    CHECK(mkfifo(path, 0644) == 0);
    join(missing, tmp, "missing");
    fixture(pdf, "report.pdf");

    recorder_clear(r);
    const fh_reader_sink sink = {on_document, on_notice, r};
    const char *const paths[] = {root, missing, pdf};
    fh_file_list list;
    fh_error err;
    CHECK_INT(fh_collect_files(paths, 3, &sink, &list, &err), FH_OK);

    static const struct {
        const char *name;
        uint64_t size;
    } want[] = {
        {"Z.txt", 1},           {"a.md", 4},       {"b.txt", 3}, {"link-file.txt", 3},
        {"sub/c.html", 8}, {"sub/deeper/d.jsonl", 3},
    };
    const size_t nwant = sizeof want / sizeof want[0];
    CHECK_INT(list.count, nwant + 1);
    uint64_t total = 0;
    for (size_t i = 0; i < nwant && i < list.count; i++) {
        join(path, root, want[i].name);
        CHECK_STR(list.paths[i], path);
        CHECK_INT(list.sizes[i], want[i].size);
        total += want[i].size;
    }
    if (list.count == nwant + 1) {
        struct stat st;
        CHECK(stat(pdf, &st) == 0);
        CHECK_STR(list.paths[nwant], pdf);
        CHECK_INT(list.sizes[nwant], st.st_size);
        total += (uint64_t)st.st_size;
    }
    CHECK_INT(list.total_bytes, total);

    CHECK_COUNTS(r, 0, 2);
    join(path, root, "broken.txt");
    CHECK_NOTICE(r, 0, FH_NOTICE_SKIPPED, path, 0, "broken symbolic link");
    CHECK_NOTICE(r, 1, FH_NOTICE_FAILED, missing, 0, "no such file or directory");
    fh_file_list_free(&list);
    CHECK(list.paths == NULL && list.count == 0);

    /* A trailing slash does not double up. */
    char slashed[PATH_LEN];
    join(slashed, root, "sub/");
    const char *const one[] = {slashed};
    CHECK_INT(fh_collect_files(one, 1, NULL, &list, NULL), FH_OK);
    CHECK_INT(list.count, 2);
    if (list.count == 2) {
        join(path, root, "sub/c.html");
        CHECK_STR(list.paths[0], path);
    }
    fh_file_list_free(&list);

    CHECK_INT(fh_collect_files(NULL, 0, NULL, &list, NULL), FH_OK);
    CHECK_INT(list.count, 0);
    fh_file_list_free(&list);
}

int main(void)
{
    char tmp[PATH_LEN];
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/fihris-reader-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    recorder *r = calloc(1, sizeof *r);
    if (r == NULL)
        return 1;

    test_supports();
    test_plain_text(r);
    test_markdown(r);
    test_markdown_commonmark(r);
    test_markdown_problems(r, tmp);
    test_html(r);
    test_html_encodings(r, tmp);
    test_text_problems(r, tmp);
    test_byte_order_marks(r);
    test_unreadable_charsets(r);
    test_utf16_marks(r, tmp);
    test_jsonl(r);
    test_jsonl_generated(r, tmp);
    test_jsonl_extra(r, tmp);
    test_stdin(r, tmp);
    test_jsonl_text(r);
    test_json_text(r);
    test_dates(r, tmp);
    test_collect(r, tmp);

    recorder_clear(r);
    free(r);
    check_remove_tree(tmp);
    return check_result();
}
