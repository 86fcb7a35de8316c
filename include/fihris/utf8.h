/*
 * utf8.h - strict UTF-8 decoding and repair.
 *
 * Fihris stores and compares only valid UTF-8.  Input from files is checked
 * once, at the edge, with fh_utf8_repair(); everything after that may assume
 * validity.  "Valid" follows RFC 3629: no overlong forms, no surrogates, no
 * code point above U+10FFFF.
 */
#ifndef FIHRIS_UTF8_H
#define FIHRIS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_REPLACEMENT_CHAR 0xFFFDu

/* Decode one code point at s[0..len).  Returns the number of bytes consumed
 * (>= 1 when len >= 1) and stores the code point in *cp; an ill-formed
 * sequence yields FH_REPLACEMENT_CHAR and consumes the maximal ill-formed
 * prefix (at least one byte), as the Unicode standard recommends. */
size_t fh_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* The code points of s[0..len), an ill-formed sequence counting as one. */
size_t fh_utf8_count(const char *s, size_t len);

/* Encode cp (assumed valid) into out (room for 4 bytes); returns the length. */
size_t fh_utf8_encode(uint32_t cp, char *out);

/* Offset of the first ill-formed byte, or len when s is entirely valid. */
size_t fh_utf8_find_invalid(const char *s, size_t len);

/* Replace, in the NUL-terminated string s, every byte of an ill-formed
 * sequence by '?', so that a message holding a non-UTF-8 file name or cut
 * inside a character is still valid UTF-8. */
void fh_utf8_scrub(char *s);

/* Make the valid UTF-8, NUL-terminated string s one line, in place: every
 * control character (C0, DEL, C1 such as NEL) and every line or paragraph
 * separator (U+2028, U+2029) becomes one space.  Messages quote file names
 * and file contents; a log or a terminal must see one line per message. */
void fh_utf8_one_line(char *s);

/* Copy s into out (appending), replacing every ill-formed sequence by U+FFFD.
 * *replaced (may be NULL) receives the number of replacements. */
fh_status fh_utf8_repair(const char *s, size_t len, fh_buf *out, size_t *replaced);

#ifdef __cplusplus
}
#endif

#endif
