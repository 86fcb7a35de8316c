/*
 * stem.h - stemming of normalized words: Snowball "english" for Latin words,
 * Snowball "arabic" wrapped in Fihris's own proclitic rules for Arabic words.
 *
 * Snowball's Arabic stemmer alone is inconsistent: it never strips و before
 * ا (والباحثون -> والباحث but الباحثون -> باحث), it stems a word differently
 * depending on whether it carries the article (مختبرات -> مختبرا but
 * المختبرات -> مختبر), it strips single-letter prefixes from words that
 * merely begin with those letters (وزير -> زير, بطاطس -> طاطس), and ة/ه do not
 * meet (الصفقة -> صفق, الصفقه -> صفقه).  fh_stem_arabic() therefore:
 *   1. strips the proclitics itself, with length guards: ال لل بال كال and
 *      those after a conjunction (وال فال وبال ولل ...) when at least three
 *      letters remain; a lone و when at least four letters remain that do not
 *      start with ا (six when they do: واستقطاب, but not واشنطن); single
 *      ف ب ك ل never alone, because far more words begin with those letters
 *      (فيسبوك, برنامج, كتاب, لندن) than carry them as a prefix;
 *   2. treats a final ه after a consonant in a word of four letters or more as ة;
 *   3. runs Snowball on the remainder as a definite noun (as if it carried
 *      ال), so that every form of a word takes the same suffix rules, with
 *      Snowball's prefix rules out of play;
 *   4. keeps the unsuffixed form when Snowball leaves fewer than three letters
 *      (ألتمان must not become تم), and writes a final ة as ه.
 * Words of three letters or fewer after step 1 are left as they are.
 *
 * Input must be normalized (normalize.h) and free of U+0670.  A stemmer is not
 * thread-safe: use one per thread.
 */
#ifndef FIHRIS_STEM_H
#define FIHRIS_STEM_H

#include <stddef.h>

#include "fihris/buf.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_stemmer fh_stemmer;

fh_status fh_stemmer_new(fh_stemmer **out, fh_error *err);
void fh_stemmer_free(fh_stemmer *s);

/* The stem of an Arabic word, replacing the content of out. */
fh_status fh_stem_arabic(fh_stemmer *s, const char *word, size_t len, fh_buf *out);
/* The stem of a case-folded Latin word, replacing the content of out. */
fh_status fh_stem_english(fh_stemmer *s, const char *word, size_t len, fh_buf *out);

#ifdef __cplusplus
}
#endif

#endif
