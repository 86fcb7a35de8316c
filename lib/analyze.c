/*
 * analyze.c - normalization, segmentation, compound detection and stemming
 * glued into the one token stream documents and queries share (analyze.h).
 *
 * The work happens in two passes over the normalized UTF-16 text: the first
 * collects "pieces" (ICU words, cut where the script changes), the second
 * groups pieces joined by punctuation into compounds and emits tokens.
 */
#include "fihris/analyze.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include "fihris/buf.h"
#include "fihris/normalize.h"
#include "fihris/stem.h"
#include "fihris/utf8.h"
#include "word_rules.inc"

typedef enum { CLASS_NONE, CLASS_LATIN, CLASS_ARABIC, CLASS_DIGIT, CLASS_OTHER } char_class;

typedef struct {
    uint32_t a, b; /* normalized UTF-16 range */
    char_class cls; /* LATIN, ARABIC, DIGIT (digits and number punctuation only) or OTHER */
} piece;

struct fh_analyzer {
    fh_normalized norm;
    UBreakIterator *brk;
    fh_stemmer *stemmer;
    piece *pieces;
    size_t npieces, piece_cap;
    fh_buf form, stem, variant, variant_stem;
};

/* Joiners: punctuation that binds word pieces into one token when nothing
 * else separates them (GPT-4, user@example.com, https://x.org/a_b). */
static int is_joiner(uint16_t c)
{
    return c < 0x80 && strchr("-@./:_+#&=?%~", c) != NULL && c != 0;
}

enum { MAX_JOINER_RUN = 3, MAX_COMPOUND_PIECES = 16 };

/* ICU's root word breaks: from the rules compiled at build time (cheap),
 * else looked up by locale as ICU would (*ec says why when neither opens). */
static UBreakIterator *open_word_breaks(UErrorCode *ec)
{
    UBreakIterator *brk = ubrk_openBinaryRules(word_rules.bytes, (int32_t)sizeof word_rules.bytes,
                                               NULL, 0, ec);
    if (U_SUCCESS(*ec))
        return brk;
    *ec = U_ZERO_ERROR;
    return ubrk_open(UBRK_WORD, "root", NULL, 0, ec);
}

fh_status fh_analyzer_new(fh_analyzer **out, fh_error *err)
{
    fh_analyzer *an = calloc(1, sizeof *an);
    if (an == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    UErrorCode ec = U_ZERO_ERROR;
    an->brk = open_word_breaks(&ec);
    if (U_FAILURE(ec)) {
        fh_analyzer_free(an);
        return fh_error_set(err, FH_ERR_INTERNAL, "ICU word break iterator: %s", u_errorName(ec));
    }
    fh_status st = fh_stemmer_new(&an->stemmer, err);
    if (st != FH_OK) {
        fh_analyzer_free(an);
        return st;
    }
    *out = an;
    return FH_OK;
}

void fh_analyzer_free(fh_analyzer *an)
{
    if (an == NULL)
        return;
    if (an->brk)
        ubrk_close(an->brk);
    fh_stemmer_free(an->stemmer);
    fh_normalized_free(&an->norm);
    free(an->pieces);
    fh_buf_free(&an->form);
    fh_buf_free(&an->stem);
    fh_buf_free(&an->variant);
    fh_buf_free(&an->variant_stem);
    free(an);
}

static char_class classify(UChar32 c)
{
    if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return CLASS_LATIN;
        return c >= '0' && c <= '9' ? CLASS_DIGIT : CLASS_NONE;
    }
    /* the basic letters (hamza to yeh, tatweel aside), most of any Arabic
     * text: Arabic script without asking ICU */
    if (c >= 0x0621 && c <= 0x064A && c != 0x0640)
        return CLASS_ARABIC;
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
        (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFF)) {
        UErrorCode ec = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &ec);
        return sc == USCRIPT_ARABIC ? CLASS_ARABIC : CLASS_NONE;
    }
    UErrorCode ec = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &ec);
    if (sc == USCRIPT_LATIN)
        return CLASS_LATIN;
    if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED)
        return u_isdigit(c) ? CLASS_DIGIT : CLASS_NONE;
    return CLASS_OTHER;
}

/* Arabic letters never share a token with Latin letters or digits; Latin
 * letters and digits do (H100, GPT4). */
static int script_change(char_class cur, char_class next)
{
    if (cur == CLASS_NONE || next == CLASS_NONE || cur == next)
        return 0;
    if (cur == CLASS_ARABIC || next == CLASS_ARABIC)
        return 1;
    return (cur == CLASS_OTHER) != (next == CLASS_OTHER);
}

static fh_status push_piece(fh_analyzer *an, uint32_t a, uint32_t b, char_class cls)
{
    if (an->npieces == an->piece_cap) {
        size_t cap = an->piece_cap ? an->piece_cap * 2 : 256;
        piece *p = realloc(an->pieces, cap * sizeof *p);
        if (p == NULL)
            return FH_ERR_NOMEM;
        an->pieces = p;
        an->piece_cap = cap;
    }
    an->pieces[an->npieces++] = (piece){a, b, cls};
    return FH_OK;
}

/* The class of a whole piece: Arabic or Latin if it has such letters. */
static char_class merge_class(char_class piece_cls, char_class c)
{
    if (c == CLASS_NONE || piece_cls == c)
        return piece_cls;
    if (piece_cls == CLASS_NONE || piece_cls == CLASS_DIGIT)
        return c;
    return piece_cls;
}

/* Cut the ICU word [a, b) where the script changes. */
static fh_status split_word(fh_analyzer *an, uint32_t a, uint32_t b)
{
    const uint16_t *t = an->norm.text;
    uint32_t start = a, i = a;
    char_class cur = CLASS_NONE;
    while (i < b) {
        uint32_t at = i;
        UChar32 c;
        U16_NEXT(t, i, b, c);
        char_class cls = classify(c);
        if (script_change(cur, cls)) {
            if (push_piece(an, start, at, cur) != FH_OK)
                return FH_ERR_NOMEM;
            start = at;
            cur = cls;
        } else {
            cur = merge_class(cur, cls);
        }
    }
    if (cur == CLASS_NONE)
        cur = CLASS_OTHER;
    return push_piece(an, start, b, cur);
}

static fh_status collect_pieces(fh_analyzer *an, fh_error *err)
{
    UErrorCode ec = U_ZERO_ERROR;
    an->npieces = 0;
    ubrk_setText(an->brk, (const UChar *)an->norm.text, (int32_t)an->norm.len, &ec);
    if (U_FAILURE(ec))
        return fh_error_set(err, FH_ERR_INTERNAL, "word segmentation failed: %s", u_errorName(ec));
    int32_t a = ubrk_first(an->brk);
    for (int32_t b = ubrk_next(an->brk); b != UBRK_DONE; a = b, b = ubrk_next(an->brk)) {
        if (ubrk_getRuleStatus(an->brk) < UBRK_WORD_NONE_LIMIT)
            continue;
        if (split_word(an, (uint32_t)a, (uint32_t)b) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory segmenting text");
    }
    return FH_OK;
}

/* ---- token emission ---- */

typedef struct {
    fh_analyzer *an;
    const char *text; /* the original, for what normalization folds away (case) */
    size_t len;
    fh_token_fn fn;
    void *ctx;
    uint32_t pos;
    int stopped;
    fh_status status;
} emitter;

/* Room in out for the UTF-8 of n UTF-16 units (3 bytes each at most, a
 * surrogate pair 4), so that characters are written without a check each. */
static fh_status reserve_utf8(fh_buf *out, uint32_t n)
{
    return fh_buf_reserve(out, (size_t)n * 3);
}

static void put_utf8(fh_buf *out, uint32_t c)
{
    out->len += fh_utf8_encode(c, out->data + out->len);
    out->data[out->len] = '\0';
}

static fh_status append_utf16(fh_buf *out, const uint16_t *t, uint32_t a, uint32_t b)
{
    if (reserve_utf8(out, b - a) != FH_OK)
        return FH_ERR_NOMEM;
    for (uint32_t i = a; i < b;) {
        UChar32 c;
        U16_NEXT(t, i, b, c);
        put_utf8(out, (uint32_t)c);
    }
    return FH_OK;
}

static int is_space_between(const uint16_t *t, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++)
        if (u_isUWhiteSpace(t[i]))
            return 1;
    return 0;
}

static int is_proclitic_letter(const uint16_t *t, const piece *p)
{
    if (p->b - p->a != 1)
        return 0;
    uint16_t c = t[p->a];
    return c == 0x0648 || c == 0x0641 || c == 0x0628 || c == 0x0643 || c == 0x0644;
}

static void deliver(emitter *e, fh_token *tok)
{
    if (e->stopped || e->status != FH_OK)
        return;
    if (e->fn(tok, e->ctx))
        e->stopped = 1;
}

static fh_token make_token(emitter *e, const fh_buf *form, const fh_buf *stem, fh_script script,
                           unsigned flags, uint32_t pos, uint32_t a, uint32_t b)
{
    const fh_normalized *n = &e->an->norm;
    fh_token tok = {form->data, form->len, stem ? stem->data : NULL, stem ? stem->len : 0,
                    script, flags, pos, n->orig[a], n->orig[b]};
    return tok;
}

/* Is the original character at byte `at` an upper case letter? */
static int starts_upper(const emitter *e, size_t at)
{
    if (at >= e->len)
        return 0;
    uint32_t c;
    fh_utf8_decode((const unsigned char *)e->text + at, e->len - at, &c);
    return u_isupper((UChar32)c);
}

/* Whether the word between bytes a and b writes a capital after its first
 * letter and a lower case letter too (iPhone, YouTube, McLaren): a name
 * wherever it stands.  All capitals (a shouted headline) are not. */
static int mixed_case(const emitter *e, size_t a, size_t b)
{
    int inner_upper = 0, lower = 0;
    for (size_t at = a; at < b && at < e->len;) {
        uint32_t c;
        size_t n = fh_utf8_decode((const unsigned char *)e->text + at, e->len - at, &c);
        inner_upper |= at > a && u_isupper((UChar32)c);
        lower |= u_islower((UChar32)c);
        at += n ? n : 1;
    }
    return inner_upper && lower;
}

/* Whether the word at byte at begins a sentence or a line: nothing but
 * spaces and opening marks ("'(«*#- …) between it and the start of the
 * text, a line break or a full stop, question or exclamation mark, colon
 * or ellipsis.  Everyone writes a capital there, names or not. */
static int starts_sentence(const emitter *e, size_t at)
{
    const unsigned char *t = (const unsigned char *)e->text;
    while (at > 0) {
        size_t prev = at - 1;
        while (prev > 0 && (t[prev] & 0xC0) == 0x80)
            prev--;
        uint32_t c;
        fh_utf8_decode(t + prev, at - prev, &c);
        if (c == '\n' || c == '\r' || c == '.' || c == '!' || c == '?' || c == ':' ||
            c == 0x2026)
            return 1;
        if (!(u_isspace((UChar32)c) || u_hasBinaryProperty((UChar32)c, UCHAR_QUOTATION_MARK) ||
              u_charType((UChar32)c) == U_START_PUNCTUATION ||
              u_charType((UChar32)c) == U_INITIAL_PUNCTUATION || c == '*' || c == '#' ||
              c == '-' || c == 0x2014 || c == 0x2013))
            return 0;
        at = prev;
    }
    return 1;
}

/* Latin: drop a possessive 's / ’s; stem when purely alphabetic. */
static void emit_latin(emitter *e, const piece *p, unsigned flags, uint32_t pos)
{
    fh_analyzer *an = e->an;
    const uint16_t *t = an->norm.text;
    uint32_t b = p->b;
    if (b - p->a > 2 && t[b - 1] == 's' && (t[b - 2] == '\'' || t[b - 2] == 0x2019))
        b -= 2;
    fh_buf_reset(&an->form);
    int alphabetic = 1;
    for (uint32_t i = p->a; i < b; i++)
        if (!u_isalpha(t[i]))
            alphabetic = 0;
    if (append_utf16(&an->form, t, p->a, b) != FH_OK) {
        e->status = FH_ERR_NOMEM;
        return;
    }
    const fh_buf *stem = NULL;
    if (alphabetic) {
        if (fh_stem_english(an->stemmer, an->form.data, an->form.len, &an->stem) != FH_OK) {
            e->status = FH_ERR_NOMEM;
            return;
        }
        stem = &an->stem;
    }
    fh_token tok = make_token(e, &an->form, stem, FH_SCRIPT_LATIN, flags, pos, p->a, p->b);
    if ((starts_upper(e, tok.start) && !starts_sentence(e, tok.start)) ||
        mixed_case(e, tok.start, tok.end))
        tok.flags |= FH_TOKEN_CAPITALIZED;
    deliver(e, &tok);
}

/* Spell an Arabic piece with each dagger alef written as ا (with_alef) or
 * left out; a dagger alef closing a word after ي (عَلَىٰ) is only a vowel. */
static fh_status spell_arabic(fh_buf *out, const uint16_t *t, uint32_t a, uint32_t b, int with_alef,
                              int *had_dagger)
{
    fh_buf_reset(out);
    if (reserve_utf8(out, b - a) != FH_OK)
        return FH_ERR_NOMEM;
    for (uint32_t i = a; i < b; i++) {
        uint16_t c = t[i];
        if (c == FH_DAGGER_ALEF) {
            int final_after_yeh = i + 1 == b && i > a && t[i - 1] == 0x064A;
            if (!final_after_yeh)
                *had_dagger = 1;
            if (!with_alef || final_after_yeh)
                continue;
            c = 0x0627;
        }
        put_utf8(out, c);
    }
    return FH_OK;
}

static void emit_arabic(emitter *e, const piece *p, unsigned flags, uint32_t pos)
{
    fh_analyzer *an = e->an;
    const uint16_t *t = an->norm.text;
    int dagger = 0;
    if (spell_arabic(&an->form, t, p->a, p->b, 1, &dagger) != FH_OK ||
        fh_stem_arabic(an->stemmer, an->form.data, an->form.len, &an->stem) != FH_OK) {
        e->status = FH_ERR_NOMEM;
        return;
    }
    fh_token tok = make_token(e, &an->form, &an->stem, FH_SCRIPT_ARABIC, flags, pos, p->a, p->b);
    deliver(e, &tok);
    if (!dagger)
        return;
    if (spell_arabic(&an->variant, t, p->a, p->b, 0, &dagger) != FH_OK ||
        fh_stem_arabic(an->stemmer, an->variant.data, an->variant.len, &an->variant_stem) != FH_OK) {
        e->status = FH_ERR_NOMEM;
        return;
    }
    tok = make_token(e, &an->variant, &an->variant_stem, FH_SCRIPT_ARABIC,
                     flags | FH_TOKEN_VARIANT, pos, p->a, p->b);
    deliver(e, &tok);
}

static void emit_plain(emitter *e, const piece *p, fh_script script, unsigned flags, uint32_t pos)
{
    fh_analyzer *an = e->an;
    fh_buf_reset(&an->form);
    if (append_utf16(&an->form, an->norm.text, p->a, p->b) != FH_OK) {
        e->status = FH_ERR_NOMEM;
        return;
    }
    fh_token tok = make_token(e, &an->form, NULL, script, flags, pos, p->a, p->b);
    deliver(e, &tok);
}

static void emit_piece(emitter *e, const piece *p, unsigned flags, uint32_t pos)
{
    switch (p->cls) {
    case CLASS_LATIN: emit_latin(e, p, flags, pos); break;
    case CLASS_ARABIC: emit_arabic(e, p, flags, pos); break;
    case CLASS_DIGIT: emit_plain(e, p, FH_SCRIPT_NUMBER, flags, pos); break;
    default: emit_plain(e, p, FH_SCRIPT_OTHER, flags, pos); break;
    }
}

static int joinable(const piece *p)
{
    return p->cls == CLASS_LATIN || p->cls == CLASS_DIGIT;
}

/* Does a joiner run of 1..MAX_JOINER_RUN characters link p to q? */
static int joined(const uint16_t *t, const piece *p, const piece *q)
{
    if (!joinable(p) || !joinable(q) || q->a <= p->b || q->a - p->b > MAX_JOINER_RUN)
        return 0;
    for (uint32_t i = p->b; i < q->a; i++)
        if (!is_joiner(t[i]))
            return 0;
    return 1;
}

/* Length of a "++" or "#" suffix (C++, C#, F#) right after position b. */
static uint32_t language_suffix(const fh_normalized *n, uint32_t b)
{
    const uint16_t *t = n->text;
    uint32_t len = 0;
    if (b + 1 < n->len && t[b] == '+' && t[b + 1] == '+')
        len = 2;
    else if (b < n->len && t[b] == '#')
        len = 1;
    if (len == 0 || (b + len < n->len && (u_isalnum(t[b + len]) || t[b + len] == '+')))
        return 0;
    return len;
}

/* Does the piece hold joiners inside it?  ICU keeps some compounds as one
 * word (user@example.com, openai.com, e.g): their pieces are split here. */
static int has_inner_joiner(const uint16_t *t, const piece *p)
{
    if (p->cls != CLASS_LATIN)
        return 0;
    for (uint32_t i = p->a + 1; i + 1 < p->b; i++)
        if (is_joiner(t[i]) && t[i] != '-')
            return 1;
    return 0;
}

/* Emit the alphanumeric runs of p as parts; returns the next position. */
static uint32_t emit_parts(emitter *e, const piece *p, uint32_t pos)
{
    const uint16_t *t = e->an->norm.text;
    if (!has_inner_joiner(t, p)) {
        emit_piece(e, p, FH_TOKEN_PART, pos);
        return pos + 1;
    }
    uint32_t i = p->a;
    while (i < p->b) {
        while (i < p->b && is_joiner(t[i]))
            i++;
        uint32_t start = i;
        char_class cls = CLASS_DIGIT;
        while (i < p->b && !is_joiner(t[i])) {
            if (!(t[i] >= '0' && t[i] <= '9'))
                cls = CLASS_LATIN;
            i++;
        }
        if (i > start) {
            piece run = {start, i, cls};
            emit_piece(e, &run, FH_TOKEN_PART, pos++);
        }
    }
    return pos;
}

/* Emit pieces[i..j) as one compound followed by its parts; returns j. */
static size_t emit_group(emitter *e, size_t i)
{
    fh_analyzer *an = e->an;
    const uint16_t *t = an->norm.text;
    size_t j = i + 1;
    while (j < an->npieces && j - i < MAX_COMPOUND_PIECES && joined(t, &an->pieces[j - 1], &an->pieces[j]))
        j++;
    uint32_t end = an->pieces[j - 1].b;
    uint32_t suffix = joinable(&an->pieces[j - 1]) ? language_suffix(&an->norm, end) : 0;
    if (j - i == 1 && suffix == 0 && !has_inner_joiner(t, &an->pieces[i])) {
        emit_piece(e, &an->pieces[i], 0, e->pos++);
        return j;
    }
    piece whole = {an->pieces[i].a, end + suffix, CLASS_OTHER};
    fh_script script = FH_SCRIPT_NUMBER;
    for (size_t k = i; k < j; k++)
        if (an->pieces[k].cls == CLASS_LATIN)
            script = FH_SCRIPT_LATIN;
    emit_plain(e, &whole, script, FH_TOKEN_COMPOUND, e->pos);
    for (size_t k = i; k < j; k++)
        e->pos = emit_parts(e, &an->pieces[k], e->pos);
    return j;
}

static void emit_tokens(emitter *e)
{
    fh_analyzer *an = e->an;
    const uint16_t *t = an->norm.text;
    size_t i = 0;
    while (i < an->npieces && !e->stopped && e->status == FH_OK) {
        const piece *p = &an->pieces[i];
        int glued = i + 1 < an->npieces && !is_space_between(t, p->b, an->pieces[i + 1].a);
        if (p->cls == CLASS_ARABIC && glued && is_proclitic_letter(t, p)) {
            i++;
            continue;
        }
        i = emit_group(e, i);
    }
}

fh_status fh_analyze(fh_analyzer *an, const char *text, size_t len, fh_token_fn fn, void *ctx,
                     fh_error *err)
{
    fh_status st = fh_normalize(text, len, &an->norm, err);
    if (st != FH_OK)
        return st;
    st = collect_pieces(an, err);
    if (st != FH_OK)
        return st;
    emitter e = {an, text, len, fn, ctx, 0, 0, FH_OK};
    emit_tokens(&e);
    if (e.status != FH_OK)
        return fh_error_set(err, e.status, "out of memory analyzing text");
    return FH_OK;
}

const char *fh_guess_lang(const char *text, size_t len)
{
    size_t arabic = 0, latin = 0, at = 0, end = len < 65536 ? len : 65536;
    while (at < end) {
        uint32_t c;
        size_t n = fh_utf8_decode((const unsigned char *)text + at, end - at, &c);
        at += n ? n : 1;
        if (n == 0)
            continue;
        arabic += (c >= 0x0620 && c <= 0x064A) || (c >= 0x0671 && c <= 0x06D3) ||
                  (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC);
        latin += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F);
    }
    return arabic == 0 && latin == 0 ? NULL : arabic >= latin ? "ar" : "en";
}
