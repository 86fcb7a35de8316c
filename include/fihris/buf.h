/*
 * buf.h - a growable byte buffer.
 *
 * The buffer owns its memory; once allocated (by any append or reserve),
 * `data` is always NUL-terminated (the NUL is not counted in `len`), so it
 * can be used as a C string when the content has no embedded NUL.  A zeroed fh_buf is empty and
 * valid.  Appends return FH_ERR_NOMEM on allocation failure and leave the
 * content as it was.
 */
#ifndef FIHRIS_BUF_H
#define FIHRIS_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/error.h"
#include "fihris/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_buf {
    char *data;
    size_t len;
    size_t cap;
} fh_buf;

#define FH_BUF_INIT {NULL, 0, 0}

FH_API fh_status fh_buf_reserve(fh_buf *b, size_t extra);
FH_API fh_status fh_buf_append(fh_buf *b, const void *data, size_t len);
FH_API fh_status fh_buf_append_str(fh_buf *b, const char *s);
FH_API fh_status fh_buf_append_char(fh_buf *b, char c);
/* x as a LEB128 number: 7 bits a byte, lowest first, the high bit set on
 * every byte but the last.  The compact numbers of stored records. */
FH_API fh_status fh_buf_append_varint(fh_buf *b, uint64_t x);
/* Read back such a number at *p (advanced past it), never past end: 0, or -1
 * when it is cut short or runs past 64 bits. */
FH_API int fh_varint_read(const unsigned char **p, const unsigned char *end, uint64_t *x);
FH_API fh_status fh_buf_printf(fh_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Empty the buffer, keeping its memory for reuse. */
FH_API void fh_buf_reset(fh_buf *b);
/* Release the memory; the buffer is empty and valid afterwards. */
FH_API void fh_buf_free(fh_buf *b);
/* Hand the memory to the caller (free() it); the buffer becomes empty.
 * Never NULL unless allocation fails: an empty buffer yields "". */
FH_API char *fh_buf_steal(fh_buf *b);

#ifdef __cplusplus
}
#endif

#endif
