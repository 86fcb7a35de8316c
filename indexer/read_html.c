/*
 * read_html.c - HTML text extraction for the reader (rd_read_html, see
 * reader_int.h), through libxml2's forgiving parser: the title is <title>
 * (else the first <h1>), the body the visible text; script, style,
 * noscript and template are dropped.  Also decides which encoding the
 * parser is to read the file in, and reads the HTML found inside Markdown
 * (rd_html_fragment_text) by the same rules.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/tree.h>

#include "fihris/buf.h"
#include "fihris/utf8.h"
#include "reader_int.h"

/* ------------------------------------------------------------------------ */
/* Visible text. */

/* Collects visible text: runs of white space become one space, block
 * boundaries one line break, so words from adjacent blocks never merge. */
typedef struct {
    fh_buf *out;
    int pending_space, pending_break;
    int one_line; /* titles: line breaks become spaces */
    int pre;      /* depth of <pre>: its line breaks are kept */
} text_builder;

static int is_nbsp(const char *s, size_t i, size_t len)
{
    return (unsigned char)s[i] == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0;
}

/* Appends the word s[0..len), after the separator pending before it. */
static fh_status tb_word(text_builder *tb, const char *s, size_t len)
{
    if (tb->out->len > 0 && (tb->pending_break || tb->pending_space)) {
        const char sep = tb->pending_break && !tb->one_line ? '\n' : ' ';
        if (fh_buf_append_char(tb->out, sep) != FH_OK)
            return FH_ERR_NOMEM;
    }
    tb->pending_space = tb->pending_break = 0;
    return fh_buf_append(tb->out, s, len) != FH_OK ? FH_ERR_NOMEM : FH_OK;
}

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
        if (is_nbsp(s, i, len)) { /* &nbsp; */
            tb->pending_space = 1;
            i += 2;
            continue;
        }
        size_t j = i + 1;
        while (j < len && !is_space((unsigned char)s[j]) && !is_nbsp(s, j, len))
            j++;
        if (tb_word(tb, s + i, j - i) != FH_OK)
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

/* ------------------------------------------------------------------------ */
/* Encodings. */

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

/* Where the charset attribute of the XML declaration or of a <meta> tag
 * in s[0..window) starts, or NULL. */
static const char *find_charset_attribute(const char *s, size_t window)
{
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
    return at;
}

/* The charset named by a <meta> or XML declaration near the start, reduced
 * to characters that can appear in a charset name.  0 when none. */
static int html_declared_charset(const char *s, size_t len, char *name, size_t size)
{
    const size_t window = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    const char *stop = s + window;
    const char *p = find_charset_attribute(s, window);
    if (p == NULL)
        return 0;
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

static int has_utf16_bom(const char *s, size_t len)
{
    return len >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0);
}

static int has_utf32_bom(const char *s, size_t len)
{
    return len >= 4 &&
           (memcmp(s, "\xFF\xFE\x00\x00", 4) == 0 || memcmp(s, "\x00\x00\xFE\xFF", 4) == 0);
}

/* A UTF-16 byte order mark before text with no NUL byte in its first
 * SNIFF_BYTES: markup is ASCII, which UTF-16 writes with a NUL in every
 * other byte, so the text is not UTF-16 whatever its mark says (read as
 * UTF-16 it would be indexed as nonsense). */
static int utf16_in_name_only(const char *s, size_t len)
{
    const size_t window = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    return window > 2 && memchr(s + 2, '\0', window - 2) == NULL;
}

/* The encoding to give libxml2: "UTF-8" (after our own repair), or NULL
 * when a UTF-16 byte order mark or a declared charset libxml2 knows must
 * decide (named in left_to, for a warning should it fail).  Skips a UTF-8
 * byte order mark. */
static const char *html_encoding(whole_file *wf, const char **s, size_t *len,
                                 char left_to[sizeof wf->charset])
{
    if (has_utf16_bom(*s, *len) && !utf16_in_name_only(*s, *len)) {
        snprintf(left_to, sizeof wf->charset, "UTF-16");
        return NULL;
    }
    if (has_utf16_bom(*s, *len)) {
        rd_notify(wf->sink, FH_NOTICE_WARNING, wf->path, 0,
                  "a UTF-16 byte order mark before text that is not UTF-16; read as UTF-8");
        *s += 2;
        *len -= 2;
        return "UTF-8";
    }
    if (has_utf8_bom(*s, *len)) {
        *s += 3;
        *len -= 3;
        return "UTF-8";
    }
    char charset[sizeof wf->charset];
    if (!html_declared_charset(*s, *len, charset, sizeof charset) || charset_is_utf8(charset))
        return "UTF-8";
    if (charset_known(charset)) {
        memcpy(left_to, charset, sizeof charset);
        return NULL;
    }
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
        rd_notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "binary file");
        return 0;
    }
    if (all_space(s, len)) {
        rd_notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "empty file");
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Parsing. */

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

/* What libxml2 reported while parsing one file.  Its errors about the
 * markup are of no use (the parser recovers), but one it cannot decode
 * the file in means the text is lost past that point. */
typedef struct {
    char encoding_error[96]; /* the first such error, or "" */
} parse_errors;

static void on_libxml_error(void *ctx, xmlErrorPtr e)
{
    parse_errors *pe = ctx;
    if (e == NULL || pe->encoding_error[0] || e->message == NULL)
        return;
    if (e->domain != XML_FROM_I18N && e->domain != XML_FROM_IO &&
        e->code != XML_ERR_INVALID_ENCODING && e->code != XML_ERR_UNSUPPORTED_ENCODING)
        return;
    size_t n = strcspn(e->message, "\n");
    if (n >= sizeof pe->encoding_error)
        n = sizeof pe->encoding_error - 1;
    memcpy(pe->encoding_error, e->message, n);
    while (n > 0 && is_space((unsigned char)pe->encoding_error[n - 1]))
        n--;
    pe->encoding_error[n] = '\0';
    /* the file's bytes may be quoted: keep the message valid UTF-8 */
    pe->encoding_error[fh_utf8_find_invalid(pe->encoding_error, n)] = '\0';
}

/* The few messages libxml2 still writes without a structured error. */
static void ignore_libxml_message(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

/* htmlReadMemory with libxml2's reports caught instead of printed: its
 * error handlers belong to the thread, so they are set for the parse and
 * put back after. */
static htmlDocPtr html_parse(const char *s, size_t len, const char *encoding, int options,
                             parse_errors *pe)
{
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    xmlGenericErrorFunc saved_generic = xmlGenericError;
    void *saved_generic_ctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(pe, on_libxml_error);
    xmlSetGenericErrorFunc(NULL, ignore_libxml_message);
    htmlDocPtr doc = htmlReadMemory(s, (int)len, NULL, encoding, options);
    xmlSetStructuredErrorFunc(saved_ctx, saved);
    xmlSetGenericErrorFunc(saved_generic_ctx, saved_generic);
    return doc;
}

/* Without XML_PARSE_HUGE libxml2 silently stops at 256 levels of nesting or
 * a text run of 10 MB and drops the rest of the document; our input is
 * already capped at FH_READER_MAX_BYTES and our walk is iterative, so its
 * limits only lose text. */
#define HTML_OPTIONS                                                                       \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |   \
     XML_PARSE_HUGE)

/* Parses the document and collects title and body; *parsed is 0 when
 * libxml2 gave up, which with HTML_PARSE_RECOVER means out of memory or
 * an input it cannot read at all.  pe receives a decoding failure. */
static fh_status html_extract(whole_file *wf, const char *s, size_t len, const char *encoding,
                              fh_buf *title, fh_buf *body, int *parsed, parse_errors *pe)
{
    int options = HTML_OPTIONS;
    if (encoding != NULL)
        options |= HTML_PARSE_IGNORE_ENC; /* we already know better than a <meta> */
    htmlDocPtr doc = html_parse(s, len, encoding, options, pe);
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

/* Reads s[0..len) as UTF-8 (repaired), whatever it declares. */
static fh_status html_as_utf8(whole_file *wf, const char *s, size_t len, fh_buf *text,
                              fh_buf *title, fh_buf *body, int *usable, int *parsed)
{
    parse_errors pe = {""};
    fh_buf_reset(text);
    fh_buf_reset(title);
    fh_buf_reset(body);
    /* Repairing first keeps libxml2 from switching to Latin-1 for the
     * rest of the file at the first ill-formed byte. */
    fh_status st = rd_prepare_text(wf, s, len, text, usable);
    if (st == FH_OK && *usable)
        st = html_extract(wf, text->data, text->len, "UTF-8", title, body, parsed, &pe);
    return st;
}

fh_status rd_read_html(whole_file *wf, const char *s, size_t len)
{
    fh_buf text = FH_BUF_INIT, title = FH_BUF_INIT, body = FH_BUF_INIT;
    fh_status st = FH_OK;
    int usable, parsed = 0;
    char left_to[sizeof wf->charset] = "";
    if (has_utf32_bom(s, len)) {
        rd_notify(wf->sink, FH_NOTICE_SKIPPED, wf->path, 0, "UTF-32 text is not supported");
        return FH_OK;
    }
    const char *encoding = html_encoding(wf, &s, &len, left_to);
    if (encoding == NULL) {
        parse_errors pe = {""};
        usable = html_legacy_usable(wf, s, len);
        if (usable)
            st = html_extract(wf, s, len, NULL, &title, &body, &parsed, &pe);
        /* A charset libxml2 knows by name but cannot decode this file in
         * (UTF-32, EBCDIC...): what it read stops at the failure, so the
         * file is read again as UTF-8, with one warning. */
        if (st == FH_OK && usable && pe.encoding_error[0]) {
            memcpy(wf->charset, left_to, sizeof left_to);
            memcpy(wf->charset_error, pe.encoding_error, sizeof wf->charset_error);
            st = html_as_utf8(wf, s, len, &text, &title, &body, &usable, &parsed);
        }
    } else {
        st = html_as_utf8(wf, s, len, &text, &title, &body, &usable, &parsed);
    }
    if (st == FH_OK && usable && !parsed)
        rd_notify(wf->sink, FH_NOTICE_FAILED, wf->path, 0, "HTML could not be parsed");
    else if (st == FH_OK && usable)
        st = rd_emit_whole_file(wf, title.data ? title.data : "", title.len,
                                body.data ? body.data : "", body.len);
    fh_buf_free(&text);
    fh_buf_free(&title);
    fh_buf_free(&body);
    return st;
}

/* ------------------------------------------------------------------------ */
/* HTML inside other formats. */

int rd_html_breaks_line(const char *name)
{
    return html_block(name);
}

fh_status rd_html_fragment_text(const char *s, size_t len, fh_buf *out)
{
    if (len == 0)
        return FH_OK;
    parse_errors pe = {""};
    htmlDocPtr doc = html_parse(s, len, "UTF-8", HTML_OPTIONS | HTML_PARSE_IGNORE_ENC, &pe);
    if (doc == NULL)
        return FH_OK;
    fh_status st = FH_OK;
    const xmlNode *root = xmlDocGetRootElement(doc);
    fh_buf text = FH_BUF_INIT;
    size_t replaced = 0;
    if (root != NULL) {
        text_builder tb = {.out = &text};
        st = html_walk(root, &tb);
    }
    xmlFreeDoc(doc);
    if (st == FH_OK)
        st = repair_in_place(&text, &replaced);
    if (st == FH_OK && text.len > 0)
        st = fh_buf_append(out, text.data, text.len);
    fh_buf_free(&text);
    return st;
}
