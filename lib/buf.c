/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "fihris/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fh_status fh_buf_reserve(fh_buf *b, size_t extra)
{
    if (extra > (size_t)-1 - b->len - 1)
        return FH_ERR_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return FH_OK;
    int fresh = b->data == NULL;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return FH_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    if (fresh)
        b->data[0] = '\0';
    return FH_OK;
}

fh_status fh_buf_append(fh_buf *b, const void *data, size_t len)
{
    if (fh_buf_reserve(b, len) != FH_OK)
        return FH_ERR_NOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return FH_OK;
}

fh_status fh_buf_append_str(fh_buf *b, const char *s)
{
    return fh_buf_append(b, s, strlen(s));
}

fh_status fh_buf_append_char(fh_buf *b, char c)
{
    return fh_buf_append(b, &c, 1);
}

fh_status fh_buf_append_varint(fh_buf *b, uint64_t x)
{
    unsigned char v[10];
    size_t n = 0;
    do {
        v[n++] = (unsigned char)((x & 0x7F) | (x > 0x7F ? 0x80 : 0));
        x >>= 7;
    } while (x);
    return fh_buf_append(b, v, n);
}

int fh_varint_read(const unsigned char **p, const unsigned char *end, uint64_t *x)
{
    *x = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (*p == end || shift > 63)
            return -1;
        unsigned char b = *(*p)++;
        *x |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return 0;
    }
}

fh_status fh_buf_printf(fh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return FH_ERR_INVALID;
    if (fh_buf_reserve(b, (size_t)n) != FH_OK)
        return FH_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return FH_OK;
}

void fh_buf_reset(fh_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void fh_buf_free(fh_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *fh_buf_steal(fh_buf *b)
{
    if (b->data == NULL && fh_buf_reserve(b, 0) != FH_OK)
        return NULL;
    if (b->len == 0)
        b->data[0] = '\0';
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
