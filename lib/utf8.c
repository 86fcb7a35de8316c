/*
 * utf8.c - strict UTF-8 decoding, validation and repair (see utf8.h).
 */
#include "fihris/utf8.h"

#include <string.h>

/* Length of the valid sequence starting at s, 0 if ill-formed.  On failure
 * *bad receives how many bytes form the maximal ill-formed prefix. */
static size_t sequence_length(const unsigned char *s, size_t len, uint32_t *cp, size_t *bad)
{
    unsigned char c = s[0];
    *bad = 1;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if (i >= len)
            return 0;
        unsigned char t = s[i];
        unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (t < l || t > h)
            return 0;
        v = (v << 6) | (t & 0x3F);
        *bad = i + 1;
    }
    *cp = v;
    return need;
}

size_t fh_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (len == 0) {
        *cp = FH_REPLACEMENT_CHAR;
        return 0;
    }
    size_t bad;
    size_t n = sequence_length(s, len, cp, &bad);
    if (n)
        return n;
    *cp = FH_REPLACEMENT_CHAR;
    return bad;
}

size_t fh_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    uint32_t cp;
    for (size_t i = 0; i < len; n++)
        i += fh_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    return n;
}

size_t fh_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t fh_utf8_find_invalid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t bad;
        size_t n = sequence_length(u + i, len - i, &cp, &bad);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

void fh_utf8_scrub(char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while ((i += fh_utf8_find_invalid(s + i, len - i)) < len) {
        uint32_t cp;
        size_t bad = fh_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        memset(s + i, '?', bad);
        i += bad;
    }
}

/* The bytes of the character at s (len bytes left) that break a line:
 * its length when it does, 0 otherwise. */
static size_t line_breaker(const unsigned char *s, size_t len)
{
    if (s[0] < 0x20 || s[0] == 0x7F)
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
        return 2; /* C1 controls */
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return 3; /* line and paragraph separators */
    return 0;
}

void fh_utf8_one_line(char *s)
{
    const size_t len = strlen(s);
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        size_t n = line_breaker((const unsigned char *)s + i, len - i);
        if (n) {
            s[out++] = ' ';
            i += n;
        } else {
            s[out++] = s[i++];
        }
    }
    s[out] = '\0';
}

fh_status fh_utf8_repair(const char *s, size_t len, fh_buf *out, size_t *replaced)
{
    size_t count = 0;
    size_t done = 0;
    if (fh_buf_reserve(out, len) != FH_OK)
        return FH_ERR_NOMEM;
    while (done < len) {
        size_t bad_at = done + fh_utf8_find_invalid(s + done, len - done);
        if (fh_buf_append(out, s + done, bad_at - done) != FH_OK)
            return FH_ERR_NOMEM;
        if (bad_at == len)
            break;
        uint32_t cp;
        size_t skip = fh_utf8_decode((const unsigned char *)s + bad_at, len - bad_at, &cp);
        char rep[4];
        size_t n = fh_utf8_encode(FH_REPLACEMENT_CHAR, rep);
        if (fh_buf_append(out, rep, n) != FH_OK)
            return FH_ERR_NOMEM;
        count++;
        done = bad_at + skip;
    }
    if (replaced)
        *replaced = count;
    return FH_OK;
}
