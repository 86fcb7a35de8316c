/*
 * normalize.c - NFKC case folding plus Arabic-specific folding, with a map
 * back to original byte offsets (see normalize.h).
 *
 * ICU works on UTF-16, so the input is decoded once into the scratch buffer,
 * together with the original offset of every unit.  Text that ICU's quick
 * check already knows to be normalized is copied through; only the segments
 * that need it (between normalization boundaries) go through
 * unorm2_normalize(), and every unit that comes out of a segment is mapped
 * to the segment's first original byte.
 */
#include "fihris/normalize.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "fihris/utf8.h"

static int is_default_ignorable(uint32_t c)
{
    return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 ||
           c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F) ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) ||
           c == 0xFEFF || c == 0xFFA0 || (c >= 0x1BCA0 && c <= 0x1BCA3) ||
           (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF);
}

/* Direction marks, embeddings and isolates stand between words (or between
 * a word and a number or a sign), never inside one: a space, not nothing,
 * so that مختبرات<RLM>الذكاء stays two words. */
static int is_direction_control(uint32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

static int is_arabic_mark(uint32_t c)
{
    /* harakat, shadda, sukun and the extended vowel signs (U+0656, U+0657,
     * U+065E ...), and the Quranic annotation marks incl. small waw/yeh */
    return (c >= 0x064B && c <= 0x065F) || (c >= 0x06D6 && c <= 0x06ED && c != 0x06DD &&
                                            c != 0x06DE && c != 0x06E9) ||
           (c >= 0x0610 && c <= 0x061A) || (c >= 0x08D3 && c <= 0x08FF && c != 0x08E2);
}

uint32_t fh_fold_char(uint32_t c)
{
    if (c < 0x80)
        return c;
    if (c >= 0x0660 && c <= 0x0669)
        return '0' + (c - 0x0660);
    if (c >= 0x06F0 && c <= 0x06F9)
        return '0' + (c - 0x06F0);
    switch (c) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
        return 0x0627; /* alef */
    case 0x0649: case 0x06CC: case 0x06D0:
        return 0x064A; /* yeh */
    case 0x06A9: case 0x06AA:
        return 0x0643; /* kaf */
    case 0x06C1: case 0x06BE:
        return 0x0647; /* heh */
    case 0x06C3:
        return 0x0629; /* teh marbuta */
    case 0x066B:
        return '.';
    case 0x066C:
        return ',';
    case 0x0640:
        return 0; /* tatweel */
    case FH_DAGGER_ALEF:
        return FH_DAGGER_ALEF;
    }
    if (is_arabic_mark(c) || is_default_ignorable(c))
        return 0;
    return c;
}

static fh_status grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return FH_OK;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (q == NULL)
        return FH_ERR_NOMEM;
    *p = q;
    *cap = n;
    return FH_OK;
}

/* Room for `extra` more units in out->text / out->orig (one more for the end). */
static fh_status reserve_out(fh_normalized *out, size_t extra)
{
    size_t need = out->len + extra + 1;
    if (need <= out->cap)
        return FH_OK;
    size_t cap_text = out->cap, cap_orig = out->cap;
    if (grow((void **)&out->text, &cap_text, need, sizeof *out->text) != FH_OK ||
        grow((void **)&out->orig, &cap_orig, need, sizeof *out->orig) != FH_OK)
        return FH_ERR_NOMEM;
    out->cap = cap_text < cap_orig ? cap_text : cap_orig;
    return FH_OK;
}

/* Whether fh_fold_char leaves c as it is, for the characters of most text
 * (ASCII, the basic Arabic letters): decided here without a call. */
static int folds_to_itself(uint32_t c)
{
    if (c < 0x80)
        return 1;
    return c >= 0x0621 && c <= 0x064A && c != 0x0622 && c != 0x0623 && c != 0x0625 &&
           c != 0x0640 && c != 0x0649;
}

/* Append code point c (already NFKC-case-folded) after Arabic folding. */
static void emit(fh_normalized *out, uint32_t c, uint32_t orig)
{
    if (!folds_to_itself(c))
        c = fh_fold_char(c);
    if (c == 0)
        return;
    if (c <= 0xFFFF) {
        out->text[out->len] = (uint16_t)c;
        out->orig[out->len++] = orig;
    } else {
        out->text[out->len] = (uint16_t)U16_LEAD(c);
        out->orig[out->len++] = orig;
        out->text[out->len] = (uint16_t)U16_TRAIL(c);
        out->orig[out->len++] = orig;
    }
}

/* Emit UTF-16 units src[0..n), all mapped to the same original offset. */
static void emit_units(fh_normalized *out, const uint16_t *src, size_t n, const uint32_t *orig,
                       uint32_t fixed_orig)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        UChar32 c;
        U16_NEXT(src, i, n, c);
        emit(out, (uint32_t)c, orig ? orig[start] : fixed_orig);
    }
}

/* Decode UTF-8 into UTF-16 in the scratch space: units in scratch[0..*n16),
 * their original offsets in offs.  offs is allocated here. */
static fh_status decode(const char *s, size_t len, fh_normalized *out, uint32_t **offs, size_t *n16)
{
    /* every UTF-8 byte yields at most one UTF-16 unit */
    if (grow((void **)&out->scratch, &out->scratch_cap, len + 1, sizeof *out->scratch) != FH_OK)
        return FH_ERR_NOMEM;
    uint32_t *o = malloc((len + 1) * sizeof *o);
    if (o == NULL)
        return FH_ERR_NOMEM;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k = 0;
    while (i < len) {
        uint32_t c;
        size_t step;
        if (u[i] < 0x80) {
            c = u[i];
            step = 1;
        } else if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            c = (uint32_t)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F); /* Arabic: two bytes */
            step = 2;
        } else {
            step = fh_utf8_decode(u + i, len - i, &c);
        }
        if (is_direction_control(c))
            c = ' '; /* before NFKC_Casefold, which would delete it */
        if (c <= 0xFFFF) {
            out->scratch[k] = (uint16_t)c;
            o[k++] = (uint32_t)i;
        } else {
            out->scratch[k] = (uint16_t)U16_LEAD(c);
            o[k++] = (uint32_t)i;
            out->scratch[k] = (uint16_t)U16_TRAIL(c);
            o[k++] = (uint32_t)i;
        }
        i += step;
    }
    o[k] = (uint32_t)len;
    *offs = o;
    *n16 = k;
    return FH_OK;
}

/* End of the segment starting at i that must be normalized as a unit: up to
 * the next character that has a normalization boundary before it. */
static size_t segment_end(const UNormalizer2 *norm, const uint16_t *s, size_t i, size_t n)
{
    UChar32 c;
    U16_NEXT(s, i, n, c);
    while (i < n) {
        size_t j = i;
        U16_NEXT(s, j, n, c);
        if (unorm2_hasBoundaryBefore(norm, c))
            break;
        i = j;
    }
    return i;
}

static fh_status normalize_segments(const UNormalizer2 *norm, const uint16_t *s, size_t n,
                                    const uint32_t *offs, fh_normalized *out, fh_error *err)
{
    uint16_t tmp[64];
    size_t i = 0;
    while (i < n) {
        UErrorCode ec = U_ZERO_ERROR;
        size_t span = (size_t)unorm2_spanQuickCheckYes(norm, s + i, (int32_t)(n - i), &ec);
        if (U_FAILURE(ec))
            return fh_error_set(err, FH_ERR_INTERNAL, "normalization failed: %s", u_errorName(ec));
        if (reserve_out(out, 2 * span) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory normalizing text");
        emit_units(out, s + i, span, offs + i, 0);
        i += span;
        if (i >= n)
            break;
        size_t end = segment_end(norm, s, i, n);
        uint16_t *dst = tmp;
        int32_t cap = (int32_t)(sizeof tmp / sizeof tmp[0]);
        int32_t got = unorm2_normalize(norm, s + i, (int32_t)(end - i), dst, cap, &ec);
        if (ec == U_BUFFER_OVERFLOW_ERROR) {
            ec = U_ZERO_ERROR;
            dst = malloc((size_t)got * sizeof *dst);
            if (dst == NULL)
                return fh_error_set(err, FH_ERR_NOMEM, "out of memory normalizing text");
            cap = got;
            got = unorm2_normalize(norm, s + i, (int32_t)(end - i), dst, cap, &ec);
        }
        if (U_SUCCESS(ec) && reserve_out(out, 2 * (size_t)got) == FH_OK)
            emit_units(out, dst, (size_t)got, NULL, offs[i]);
        else if (U_SUCCESS(ec))
            ec = U_MEMORY_ALLOCATION_ERROR;
        if (dst != tmp)
            free(dst);
        if (U_FAILURE(ec))
            return fh_error_set(err, FH_ERR_INTERNAL, "normalization failed: %s", u_errorName(ec));
        i = end;
    }
    return FH_OK;
}

fh_status fh_normalize(const char *utf8, size_t len, fh_normalized *out, fh_error *err)
{
    out->len = 0;
    if (len > FH_NORMALIZE_MAX_BYTES)
        return fh_error_set(err, FH_ERR_INVALID, "text too large to analyze (%zu bytes)", len);
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&ec);
    if (U_FAILURE(ec))
        return fh_error_set(err, FH_ERR_INTERNAL, "ICU normalizer unavailable: %s", u_errorName(ec));
    uint32_t *offs = NULL;
    size_t n16 = 0;
    if (decode(utf8, len, out, &offs, &n16) != FH_OK || reserve_out(out, 0) != FH_OK) {
        free(offs);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory normalizing text");
    }
    fh_status st = normalize_segments(norm, out->scratch, n16, offs, out, err);
    free(offs);
    if (st == FH_OK)
        out->orig[out->len] = (uint32_t)len;
    return st;
}

void fh_normalized_free(fh_normalized *n)
{
    free(n->text);
    free(n->orig);
    free(n->scratch);
    memset(n, 0, sizeof *n);
}

fh_status fh_normalize_utf8(const char *utf8, size_t len, fh_buf *out, fh_error *err)
{
    fh_normalized n = {0};
    fh_status st = fh_normalize(utf8, len, &n, err);
    for (size_t i = 0; st == FH_OK && i < n.len;) {
        UChar32 c;
        U16_NEXT(n.text, i, n.len, c);
        char enc[4];
        if (fh_buf_append(out, enc, fh_utf8_encode((uint32_t)c, enc)) != FH_OK)
            st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    if (st == FH_OK && out->data == NULL && fh_buf_append(out, "", 0) != FH_OK)
        st = fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    fh_normalized_free(&n);
    return st;
}
