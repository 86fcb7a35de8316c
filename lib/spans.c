/*
 * spans.c - the tokens of a stored text (see spans.h).
 */
#include "fihris/spans.h"

#include <string.h>

#include "fihris/hash.h"

enum { STEM_NONE, STEM_IS_FORM, STEM_OWN };

uint32_t fh_span_key(const char *s, size_t len)
{
    uint64_t h = fh_hash64(FH_HASH_SEED, s, len);
    return (uint32_t)(h ^ (h >> 32));
}

static fh_status put_key(fh_buf *out, uint32_t key)
{
    unsigned char v[4] = {(unsigned char)key, (unsigned char)(key >> 8),
                          (unsigned char)(key >> 16), (unsigned char)(key >> 24)};
    return fh_buf_append(out, v, 4);
}

static int stem_kind(const fh_token *tok)
{
    if (tok->stem == NULL)
        return STEM_NONE;
    if (tok->stem_len == tok->form_len && memcmp(tok->stem, tok->form, tok->form_len) == 0)
        return STEM_IS_FORM;
    return STEM_OWN;
}

fh_status fh_spans_add(fh_spans_writer *w, const fh_token *tok, uint32_t pos, size_t offset)
{
    size_t start = offset + tok->start, end = offset + tok->end;
    if (pos < w->last_pos || start < w->last_start || end < start || end > FH_SPANS_TEXT_BYTES)
        return FH_OK;
    int kind = stem_kind(tok);
    fh_status st = fh_buf_append_varint(&w->out, pos - w->last_pos);
    if (st == FH_OK)
        st = fh_buf_append_varint(&w->out, start - w->last_start);
    if (st == FH_OK)
        st = fh_buf_append_varint(&w->out, (uint64_t)(end - start) * 4 + (uint64_t)kind);
    if (st == FH_OK)
        st = put_key(&w->out, fh_span_key(tok->form, tok->form_len));
    if (st == FH_OK && kind == STEM_OWN)
        st = put_key(&w->out, fh_span_key(tok->stem, tok->stem_len));
    w->last_pos = pos;
    w->last_start = start;
    return st;
}

void fh_spans_writer_free(fh_spans_writer *w)
{
    fh_buf_free(&w->out);
}

void fh_spans_reader_init(fh_spans_reader *r, const char *data, size_t len)
{
    r->p = (const unsigned char *)data;
    r->end = r->p + (data ? len : 0);
    r->pos = 0;
    r->start = 0;
}

/* One number below 2^32 at r->p: 0, or -1 when cut short or too large. */
static int get_number(fh_spans_reader *r, uint32_t *x)
{
    uint64_t v;
    if (fh_varint_read(&r->p, r->end, &v) != 0 || v > UINT32_MAX)
        return -1;
    *x = (uint32_t)v;
    return 0;
}

static int get_key(fh_spans_reader *r, uint32_t *key)
{
    if (r->end - r->p < 4)
        return -1;
    const unsigned char *p = r->p;
    *key = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    r->p += 4;
    return 0;
}

int fh_spans_next(fh_spans_reader *r, fh_span *s)
{
    if (r->p == r->end)
        return 0;
    uint32_t dpos, dstart, len_kind;
    if (get_number(r, &dpos) || get_number(r, &dstart) || get_number(r, &len_kind) ||
        dpos > UINT32_MAX - r->pos || (len_kind & 3) > STEM_OWN || get_key(r, &s->form_key))
        return -1;
    int kind = (int)(len_kind & 3);
    if (kind == STEM_OWN && get_key(r, &s->stem_key))
        return -1;
    if (kind == STEM_IS_FORM)
        s->stem_key = s->form_key;
    s->has_stem = kind != STEM_NONE;
    r->pos += dpos;
    r->start += dstart;
    s->pos = r->pos;
    s->start = r->start;
    s->end = r->start + (len_kind >> 2);
    return 1;
}
