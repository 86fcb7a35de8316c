/*
 * terms.c - the index vocabulary (see terms.h).
 */
#include "fihris/terms.h"

#include <stdio.h>
#include <string.h>

#include "fihris/hash.h"

fh_status fh_term_exact(const fh_token *tok, fh_buf *out)
{
    fh_buf_reset(out);
    return fh_buf_append(out, tok->form, tok->form_len);
}

fh_status fh_term_stem(const fh_token *tok, fh_buf *out)
{
    fh_buf_reset(out);
    if (tok->stem == NULL)
        return FH_ERR_NOT_FOUND;
    if (fh_buf_append_str(out, FH_PREFIX_STEM) != FH_OK)
        return FH_ERR_NOMEM;
    return fh_buf_append(out, tok->stem, tok->stem_len);
}

static uint64_t fnv1a(const char *s, size_t n)
{
    return fh_hash64(FH_HASH_SEED, s, n);
}

/* The head of a long id kept readable in its term. */
enum { ID_HEAD_BYTES = 180 };

/* A hashed id term starts with FH_ID_HASHED, a byte no id written literally
 * holds (ids are UTF-8, and one holding that byte is hashed whatever its
 * length), so that no id, however forged, can name another one's document. */
static int id_fits_literally(const char *id, size_t n)
{
    return strlen(FH_PREFIX_ID) + n <= FH_MAX_TERM_BYTES && memchr(id, FH_ID_HASHED[0], n) == NULL;
}

fh_status fh_term_id(const char *id, fh_buf *out)
{
    fh_buf_reset(out);
    size_t n = strlen(id);
    if (id_fits_literally(id, n)) {
        if (fh_buf_append_str(out, FH_PREFIX_ID) != FH_OK)
            return FH_ERR_NOMEM;
        return fh_buf_append(out, id, n);
    }
    /* Keep a readable head and make the rest unique with two hashes. */
    return fh_buf_printf(out, FH_PREFIX_ID FH_ID_HASHED "%.*s#%016llx%016llx", ID_HEAD_BYTES,
                         id, (unsigned long long)fnv1a(id, n),
                         (unsigned long long)fnv1a(id, n / 2));
}

static fh_status term_id_legacy(const char *id, fh_buf *out)
{
    fh_buf_reset(out);
    size_t n = strlen(id);
    if (id_fits_literally(id, n))
        return FH_ERR_NOT_FOUND; /* the same term then as now */
    if (strlen(FH_PREFIX_ID) + n <= FH_MAX_TERM_BYTES)
        return fh_buf_printf(out, FH_PREFIX_ID "%s", id);
    return fh_buf_printf(out, FH_PREFIX_ID "%.*s#%016llx%016llx", ID_HEAD_BYTES, id,
                         (unsigned long long)fnv1a(id, n), (unsigned long long)fnv1a(id, n / 2));
}

fh_status fh_find_legacy_id(fh_db *db, const char *id, fh_buf *term, int *found, fh_error *err)
{
    *found = 0;
    if (term_id_legacy(id, term) != FH_OK)
        return FH_OK;
    fh_buf stored_id = FH_BUF_INIT;
    int there = 0;
    fh_status st = fh_db_get_value(db, term->data, FH_SLOT_ID, &stored_id, &there, err);
    *found = st == FH_OK && there && stored_id.len == strlen(id) &&
             memcmp(stored_id.data, id, stored_id.len) == 0;
    fh_buf_free(&stored_id);
    return st;
}

size_t fh_shard_of(const char *id, size_t n)
{
    return n <= 1 ? 0 : (size_t)(fnv1a(id, strlen(id)) % n);
}

fh_status fh_term_title(const fh_token *tok, fh_buf *out)
{
    fh_buf_reset(out);
    if (fh_buf_append_str(out, FH_PREFIX_TITLE) != FH_OK)
        return FH_ERR_NOMEM;
    return fh_buf_append(out, tok->form, tok->form_len);
}

fh_status fh_term_filter(const char *prefix, const char *value, size_t len, fh_buf *out)
{
    fh_buf_reset(out);
    fh_status st = fh_buf_append_str(out, prefix);
    for (size_t i = 0; i < len && st == FH_OK; i++) {
        char c = value[i];
        st = fh_buf_append_char(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    return st;
}

fh_status fh_lang_code(const char *value, size_t len, fh_buf *out)
{
    static const char *const names[][2] = {
        {"arabic", "ar"}, {"english", "en"}, {"العربية", "ar"}, {"عربي", "ar"},
        {"الإنجليزية", "en"}, {"الانجليزية", "en"}, {"انجليزي", "en"}, {"الإنكليزية", "en"}};
    size_t cut = 0;
    while (cut < len && value[cut] != '-' && value[cut] != '_')
        cut++;
    if (cut == 0 || cut > 3)
        cut = len; /* not a language tag with a region: keep it whole */
    fh_status st = fh_term_filter("", value, cut, out);
    for (size_t i = 0; st == FH_OK && i < sizeof names / sizeof names[0]; i++)
        if (out->len == strlen(names[i][0]) && memcmp(out->data, names[i][0], out->len) == 0) {
            fh_buf_reset(out);
            return fh_buf_append_str(out, names[i][1]);
        }
    return st;
}

fh_status fh_term_capital(const char *form, size_t len, fh_buf *out)
{
    fh_buf_reset(out);
    if (fh_buf_append_str(out, FH_PREFIX_CAPITAL) != FH_OK)
        return FH_ERR_NOMEM;
    return fh_buf_append(out, form, len);
}

/* Text is analyzed in pieces of about this size, cut at white space, so
 * that analysis memory stays bounded for huge documents. */
enum { CHUNK_BYTES = 256 * 1024 };

typedef struct {
    fh_doc *doc;
    fh_zone zone;
    uint32_t base;     /* position of the chunk's first word */
    uint32_t next_pos; /* position after the last word so far */
    size_t offset;     /* the chunk's first byte in the text */
    fh_lexicon *lex;
    fh_spans_writer *spans;
    fh_buf term;
    fh_error *err;
    fh_status status;
} index_ctx;

static fh_status add_token(index_ctx *c, const fh_token *tok)
{
    uint32_t pos = c->base + tok->pos;
    unsigned wdf = c->zone == FH_ZONE_TITLE ? FH_TITLE_WDF : 1;
    size_t refused = fh_doc_refused_terms(c->doc);
    fh_status st = fh_term_exact(tok, &c->term);
    if (st == FH_OK)
        st = fh_doc_add_posting(c->doc, c->term.data, c->term.len, pos + 1, wdf, c->err);
    /* a word left out of a full document (fh_doc_limit_terms) is no name to file */
    int kept = fh_doc_refused_terms(c->doc) == refused;
    if (st == FH_OK && c->zone == FH_ZONE_TITLE) {
        st = fh_term_title(tok, &c->term);
        if (st == FH_OK)
            st = fh_doc_add_posting(c->doc, c->term.data, c->term.len, pos + 1, 1, c->err);
    }
    if (st == FH_OK && fh_term_stem(tok, &c->term) == FH_OK)
        st = fh_doc_add_term(c->doc, c->term.data, c->term.len, wdf, c->err);
    /* XC terms tell names among the lexicon's spellings: no lexicon, no use. */
    if (st == FH_OK && c->lex && tok->script == FH_SCRIPT_LATIN &&
        (tok->flags & FH_TOKEN_CAPITALIZED) &&
        (st = fh_term_capital(tok->form, tok->form_len, &c->term)) == FH_OK)
        st = fh_doc_add_boolean(c->doc, c->term.data, c->term.len, c->err);
    if (st == FH_OK && c->lex && kept && fh_lexicon_note(c->lex, tok) != FH_OK)
        st = FH_ERR_NOMEM;
    if (st == FH_OK && c->spans && fh_spans_add(c->spans, tok, pos + 1, c->offset) != FH_OK)
        st = FH_ERR_NOMEM;
    if (st == FH_OK && pos + 1 > c->next_pos)
        c->next_pos = pos + 1;
    return st;
}

static int on_token(const fh_token *tok, void *ctx)
{
    index_ctx *c = ctx;
    c->status = add_token(c, tok);
    return c->status != FH_OK;
}

/* End of the chunk starting at from: the last white space before the size
 * limit, else the last character boundary. */
static size_t chunk_end(const char *text, size_t len, size_t from)
{
    if (len - from <= CHUNK_BYTES)
        return len;
    size_t limit = from + CHUNK_BYTES, cut = limit;
    while (cut > from && text[cut] != ' ' && text[cut] != '\n' && text[cut] != '\t')
        cut--;
    if (cut > from)
        return cut;
    while (limit > from && ((unsigned char)text[limit] & 0xC0) == 0x80)
        limit--;
    return limit > from ? limit : len;
}

fh_status fh_index_text(fh_analyzer *an, fh_doc *doc, fh_zone zone, const char *text,
                        size_t len, uint32_t first_pos, uint32_t *next_pos, fh_lexicon *lex,
                        fh_spans_writer *spans, fh_error *err)
{
    index_ctx c = {doc, zone, first_pos, first_pos, 0, lex, spans, FH_BUF_INIT, err, FH_OK};
    fh_status st = FH_OK;
    for (size_t at = 0; at < len && st == FH_OK && c.status == FH_OK;) {
        size_t end = chunk_end(text, len, at);
        c.base = c.next_pos;
        c.offset = at;
        st = fh_analyze(an, text + at, end - at, on_token, &c, err);
        at = end;
    }
    fh_buf_free(&c.term);
    if (st == FH_OK && c.status != FH_OK)
        st = c.status == FH_ERR_NOMEM ? fh_error_set(err, FH_ERR_NOMEM, "out of memory") : c.status;
    if (next_pos)
        *next_pos = c.next_pos;
    return st;
}
