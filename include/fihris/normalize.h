/*
 * normalize.h - the first step of Fihris's text analysis: one canonical
 * spelling for every way Arabic and Latin text is written.
 *
 * fh_normalize() applies, in this order:
 *   - UTF-8 decoding (ill-formed bytes become U+FFFD);
 *   - Unicode NFKC with case folding (ICU), which also unpacks Arabic
 *     presentation forms and lam-alef ligatures;
 *   - removal of Arabic harakat (U+064B..U+065F), Quranic annotation marks
 *     (U+06D6..U+06ED), tatweel (U+0640) and default-ignorable characters
 *     (ZWJ, ZWNJ, BOM, soft hyphen, variation selectors);
 *   - direction marks, embeddings and isolates (U+200E, U+200F, U+061C,
 *     U+202A..U+202E, U+2066..U+2069) become spaces: they separate words;
 *   - folding: alef forms أ إ آ ٱ ٲ ٳ to ا; ى and Persian ی to ي; Persian ک to ك;
 *     Arabic-Indic and Persian digits to ASCII; Arabic decimal and thousands
 *     separators to '.' and ','.
 * The superscript (dagger) alef U+0670 is kept as FH_DAGGER_ALEF: it stands
 * for an alef that modern spelling writes in some words and omits in others,
 * so the analyzer expands a word holding it into both spellings.
 *
 * The result is UTF-16 (what ICU's break iterator reads) plus, for every
 * UTF-16 unit, the byte offset in the original UTF-8 text of the character it
 * came from, so that snippets and highlights can point into the original.
 */
#ifndef FIHRIS_NORMALIZE_H
#define FIHRIS_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/buf.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FH_DAGGER_ALEF 0x0670u

/* Normalized text.  Zero-initialize before first use; reuse across calls to
 * avoid reallocations; release with fh_normalized_free(). */
typedef struct fh_normalized {
    uint16_t *text;   /* normalized UTF-16, not NUL-terminated */
    uint32_t *orig;   /* orig[i]: original byte offset of text[i]; orig[len] = input length */
    size_t len;
    size_t cap;
    uint16_t *scratch; /* internal working space */
    size_t scratch_cap;
} fh_normalized;

/* Inputs longer than this are rejected (offsets are 32-bit). */
#define FH_NORMALIZE_MAX_BYTES 0x7FFFFFFFu

fh_status fh_normalize(const char *utf8, size_t len, fh_normalized *out, fh_error *err);
void fh_normalized_free(fh_normalized *n);

/* Normalize and return UTF-8 (appended to out), for tools and tests.
 * A dagger alef stays in the output as U+0670. */
fh_status fh_normalize_utf8(const char *utf8, size_t len, fh_buf *out, fh_error *err);

/* What normalization does to one code point that NFKC has already seen:
 * returns the replacement, or 0 when the character is removed. */
uint32_t fh_fold_char(uint32_t c);

#ifdef __cplusplus
}
#endif

#endif
