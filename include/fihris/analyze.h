/*
 * analyze.h - Fihris's text analysis: text in, tokens out.
 *
 * This is the ONE path that both documents and queries go through, so that
 * whatever a user types meets what the indexer stored.  For a UTF-8 text it:
 *   1. normalizes (normalize.h), keeping a map to original byte offsets;
 *   2. segments with ICU's word break iterator;
 *   3. splits a word where the script changes between Arabic and Latin or
 *      between Arabic letters and digits (وDeepMind -> و + DeepMind), and
 *      drops a lone proclitic glued to the next word (و, ف, ب, ك, ل in
 *      وDeepMind, لـOpenAI, لـ"ميتا");
 *   4. keeps whole the tokens users type as one: GPT-4, e-mail, C++, C#,
 *      e-mail addresses, URLs, dates such as 2025-06-13 (FH_TOKEN_COMPOUND,
 *      followed by their pieces as FH_TOKEN_PART); numbers such as 14.3 and
 *      words such as H100 or xAI stay whole by themselves;
 *   5. drops a Latin possessive 's (Zuckerberg's -> zuckerberg);
 *   6. expands an Arabic word written with a dagger alef into both modern
 *      spellings (ذَٰلِكَ -> ذالك and ذلك, ٱلۡكِتَٰبُ -> الكتاب and الكتب), the
 *      second as an FH_TOKEN_VARIANT at the same position;
 *   7. stems (stem.h): Arabic words with the Arabic rules, purely alphabetic
 *      Latin words with Snowball english; numbers and mixed tokens have no stem.
 *
 * An analyzer owns an ICU break iterator, the stemmers and work buffers; it is
 * not thread-safe (use one per thread) but may be reused for any number of
 * texts.
 */
#ifndef FIHRIS_ANALYZE_H
#define FIHRIS_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Changes whenever analysis output (or what is stored with it) changes:
 * documents indexed by another version are re-indexed instead of being
 * skipped as unchanged. */
#define FH_ANALYSIS_VERSION "12"
/* The database metadata key that records the version an index was made with. */
#define FH_METADATA_ANALYSIS "fihris:analysis"

typedef enum {
    FH_SCRIPT_OTHER = 0,
    FH_SCRIPT_LATIN,
    FH_SCRIPT_ARABIC,
    FH_SCRIPT_NUMBER
} fh_script;

enum {
    FH_TOKEN_VARIANT = 1u << 0,  /* another spelling of the previous token, same position */
    FH_TOKEN_COMPOUND = 1u << 1, /* a whole (GPT-4, a URL); its pieces follow as parts */
    FH_TOKEN_PART = 1u << 2,     /* a piece of the preceding compound */
    FH_TOKEN_CAPITALIZED = 1u << 3 /* a Latin word written with a capital first letter where
                                      a sentence or line does not begin */
};

typedef struct {
    const char *form;  /* normalized exact form, UTF-8, not NUL-terminated */
    size_t form_len;
    const char *stem;  /* stem, or NULL when the token has none */
    size_t stem_len;
    fh_script script;
    unsigned flags;
    uint32_t pos;      /* word position within the analyzed text, from 0 */
    size_t start, end; /* the token's bytes in the original text */
} fh_token;

/* Called for each token in text order; the token's strings are valid only
 * during the call.  Return non-zero to stop the analysis early. */
typedef int (*fh_token_fn)(const fh_token *tok, void *ctx);

typedef struct fh_analyzer fh_analyzer;

fh_status fh_analyzer_new(fh_analyzer **out, fh_error *err);
void fh_analyzer_free(fh_analyzer *an);

/* The language of a text that does not say: "ar" when it writes more Arabic
 * letters than Latin ones, "en" when more Latin ones (the Latin stemmer is
 * English), NULL when it writes neither.  Reads at most the first 64 KB. */
const char *fh_guess_lang(const char *text, size_t len);

/* Analyze text (UTF-8; ill-formed bytes are read as U+FFFD). */
fh_status fh_analyze(fh_analyzer *an, const char *text, size_t len, fh_token_fn fn, void *ctx,
                     fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
