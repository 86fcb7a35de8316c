/* Unit tests for analyze.c: segmentation, whole tokens, dagger alef variants, offsets and robustness. */
#include <stdint.h>
#include <stdlib.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "check.h"
#include "fihris/analyze.h"
#include "word_rules.inc"

#define MAX_TOKENS 64
#define MAX_TEXT 256

typedef struct {
    char form[MAX_TEXT];
    char stem[MAX_TEXT];
    int has_stem;
    fh_script script;
    unsigned flags;
    uint32_t pos;
    size_t start, end;
} token;

static fh_analyzer *analyzer;
static token toks[MAX_TOKENS];
static size_t ntoks;
static const char *analyzed; /* the text toks came from */

static void copy_str(char *dst, const char *src, size_t len)
{
    if (len >= MAX_TEXT)
        len = MAX_TEXT - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int collect(const fh_token *t, void *ctx)
{
    (void)ctx;
    if (ntoks == MAX_TOKENS)
        return 1;
    token *k = &toks[ntoks++];
    copy_str(k->form, t->form, t->form_len);
    k->has_stem = t->stem != NULL;
    copy_str(k->stem, t->stem ? t->stem : "", t->stem_len);
    k->script = t->script;
    k->flags = t->flags;
    k->pos = t->pos;
    k->start = t->start;
    k->end = t->end;
    return 0;
}

static void dump(void)
{
    for (size_t i = 0; i < ntoks; i++)
        fprintf(stderr, "    [%s] stem=%s flags=%u pos=%u bytes %zu-%zu\n", toks[i].form,
                toks[i].has_stem ? toks[i].stem : "(none)", toks[i].flags, (unsigned)toks[i].pos,
                toks[i].start, toks[i].end);
}

/* Analyze len bytes of text into toks; returns the token count. */
static size_t tokens_of_n(const char *text, size_t len)
{
    fh_error err = {0};
    ntoks = 0;
    analyzed = text;
    CHECK_MSG(fh_analyze(analyzer, text, len, collect, NULL, &err) == FH_OK, "analyzing \"%s\": %s",
              text, err.message);
    return ntoks;
}

static size_t tokens_of(const char *text)
{
    return tokens_of_n(text, strlen(text));
}

/* The index of the first token with this form, or -1. */
static int find_form(const char *form)
{
    for (size_t i = 0; i < ntoks; i++)
        if (strcmp(toks[i].form, form) == 0)
            return (int)i;
    return -1;
}

/* The forms of text's tokens are exactly want[0..n), in order. */
static void forms_are(const char *text, const char *const *want, size_t n)
{
    tokens_of(text);
    int ok = ntoks == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = strcmp(toks[i].form, want[i]) == 0;
    CHECK_MSG(ok, "tokens of \"%s\" differ from the %zu expected (first \"%s\"); got:", text, n,
              want[0]);
    if (!ok)
        dump();
}

#define FORMS(text, ...)                                      \
    forms_are(text, (const char *const[]){__VA_ARGS__},       \
              sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* Analyzing text yields a token with this form (among others). */
static int has_form(const char *text, const char *form)
{
    tokens_of(text);
    int i = find_form(form);
    CHECK_MSG(i >= 0, "no token \"%s\" in \"%s\"; got:", form, text);
    if (i < 0)
        dump();
    return i;
}

/* The original bytes token i was made from are want. */
static void source_is(int i, const char *want)
{
    if (i < 0)
        return;
    size_t s = toks[i].start, e = toks[i].end;
    int ok = s <= e && e <= strlen(analyzed) && e - s == strlen(want) &&
             memcmp(analyzed + s, want, e - s) == 0;
    CHECK_MSG(ok, "token \"%s\" spans bytes %zu-%zu of \"%s\", want \"%s\"", toks[i].form, s, e,
              analyzed, want);
}

/* Two spellings of one word give one token each with the same form and stem. */
static void same_token(const char *a, const char *b)
{
    token ta, tb;
    CHECK_INT(tokens_of(a), 1);
    ta = toks[0];
    CHECK_INT(tokens_of(b), 1);
    tb = toks[0];
    CHECK_MSG(strcmp(ta.form, tb.form) == 0 && strcmp(ta.stem, tb.stem) == 0 &&
                  ta.has_stem == tb.has_stem,
              "\"%s\" -> %s/%s but \"%s\" -> %s/%s", a, ta.form, ta.stem, b, tb.form, tb.stem);
}

static void test_mixed_script_segmentation(void)
{
    FORMS("وDeepMind", "deepmind");
    source_is(0, "DeepMind");
    FORMS("لـOpenAI", "openai");
    FORMS("لـ\"ميتا\"", "ميتا");
    FORMS("2025م", "2025", "م");
    CHECK_INT(toks[0].script, FH_SCRIPT_NUMBER);
    CHECK_INT(toks[1].script, FH_SCRIPT_ARABIC);
    FORMS("أعلنت OpenAI اليوم", "اعلنت", "openai", "اليوم");
}

static void test_whole_tokens(void)
{
    FORMS("GPT-4", "gpt-4", "gpt", "4");
    CHECK_MSG(toks[0].flags & FH_TOKEN_COMPOUND, "gpt-4 flags %u", toks[0].flags);
    CHECK_MSG(toks[1].flags & FH_TOKEN_PART, "gpt flags %u", toks[1].flags);
    CHECK_MSG(toks[2].flags & FH_TOKEN_PART, "4 flags %u", toks[2].flags);
    CHECK_INT(toks[0].pos, toks[1].pos);
    FORMS("H100", "h100");
    FORMS("14.3", "14.3");
    FORMS("١٤٫٣", "14.3");
    FORMS("٢٠٢٥", "2025");
    CHECK_INT(toks[0].script, FH_SCRIPT_NUMBER);
    FORMS("xAI", "xai");
    FORMS("2025-06-13", "2025-06-13", "2025", "06", "13");

    int i = has_form("C++ and C#.", "c++");
    if (i >= 0)
        CHECK_MSG(toks[i].flags & FH_TOKEN_COMPOUND, "c++ flags %u", toks[i].flags);
    has_form("C++ and C#.", "c#");
    has_form("C++ and C#.", "and");
    FORMS("Scale AI", "scale", "ai");
    CHECK_INT(toks[1].pos, 1);

    i = has_form("write to user@example.com today", "user@example.com");
    source_is(i, "user@example.com");
    /* analyze.h: an e-mail address is a compound followed by its pieces, so
     * that a search for its user or domain finds it */
    if (i >= 0) {
        CHECK_MSG(toks[i].flags & FH_TOKEN_COMPOUND, "user@example.com flags %u", toks[i].flags);
        CHECK_MSG((size_t)i + 1 < ntoks && (toks[i + 1].flags & FH_TOKEN_PART),
                  "user@example.com is not followed by its parts");
    }
    i = has_form("see https://openai.com/blog now", "https://openai.com/blog");
    source_is(i, "https://openai.com/blog");
    has_form("see https://openai.com/blog now", "see");
    has_form("see https://openai.com/blog now", "now");
}

static void test_latin_words(void)
{
    FORMS("Zuckerberg's", "zuckerberg");
    FORMS("OpenAI\u2019s", "openai");
    FORMS("DeepMind", "deepmind");
    CHECK_STR(toks[0].stem, "deepmind");
    FORMS("Running Researchers", "running", "researchers");
    CHECK_STR(toks[0].stem, "run");
    CHECK_STR(toks[1].stem, "research");
    /* numbers and mixed tokens have no stem */
    FORMS("2025 H100", "2025", "h100");
    CHECK_INT(toks[0].has_stem, 0);
    CHECK_INT(toks[1].has_stem, 0);
}

/* A capital counts as a name's only where a sentence or line does not begin. */
static void test_capitals(void)
{
    static const char text[] = "Sources said Zuckerberg met Altman. \u00ab Wang \u00bb Then "
                               "came: Scale\nMeta and (Google) \u2014 \"OpenAI\"";
    static const struct {
        const char *form;
        int capital;
    } want[] = {{"sources", 0}, {"said", 0},  {"zuckerberg", 1}, {"met", 0},
                {"altman", 1},  {"wang", 0},  {"then", 1},       {"came", 0},
                {"scale", 0},   {"meta", 0},  {"and", 0},        {"google", 1},
                {"openai", 1}};
    size_t n = tokens_of(text);
    CHECK_INT(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n && i < sizeof want / sizeof want[0]; i++) {
        CHECK_STR(toks[i].form, want[i].form);
        CHECK_MSG(((toks[i].flags & FH_TOKEN_CAPITALIZED) != 0) == want[i].capital,
                  "%s: capitalized flag %u", toks[i].form, toks[i].flags);
    }
}

/* text gives form as its first token and variant as the next, at the same position. */
static void dagger_pair(const char *text, const char *form, const char *variant)
{
    tokens_of(text);
    int ok = ntoks == 2 && strcmp(toks[0].form, form) == 0 && strcmp(toks[1].form, variant) == 0 &&
             toks[0].flags == 0 && toks[1].flags == FH_TOKEN_VARIANT && toks[0].pos == toks[1].pos;
    CHECK_MSG(ok, "\"%s\" should give %s then variant %s; got:", text, form, variant);
    if (!ok)
        dump();
}

static void test_dagger_alef(void)
{
    dagger_pair("ٱلۡكِتَٰبُ", "الكتاب", "الكتب");
    has_form("ذَٰلِكَ", "ذلك");
    has_form("هَٰذَا", "هذا");
    has_form("ٱلرَّحۡمَٰنِ", "الرحمن");
    has_form("ٱلسَّمَٰوَٰتِ", "السماوات");
    /* a word after a dagger-alef word takes the next position */
    tokens_of("ذَٰلِكَ ٱلۡكِتَٰبُ");
    CHECK_INT(ntoks, 4);
    if (ntoks == 4) {
        CHECK_INT(toks[1].pos, 0);
        CHECK_INT(toks[2].pos, 1);
        CHECK_INT(toks[3].pos, 1);
    }
}

static void test_offsets(void)
{
    FORMS("قال زوكربيرغُ اليوم", "قال", "زوكربيرغ", "اليوم");
    source_is(0, "قال");
    source_is(1, "زوكربيرغُ");
    source_is(2, "اليوم");
    for (size_t i = 0; i < ntoks; i++)
        CHECK_INT(toks[i].pos, i);
    FORMS("\u200Fأعلنت ﻻعب", "اعلنت", "لاعب");
    source_is(0, "أعلنت");
    source_is(1, "ﻻعب");
}

static void test_diacritics_do_not_matter(void)
{
    same_token("الذَّكَاءُ", "الذكاء");
    same_token("وَالْبَاحِثُونَ", "والباحثون");
    same_token("ذكـــاء", "ذكاء");
    same_token("مُحَمَّدٌ", "محمد");
    same_token("أحمد", "احمد");
    same_token("٢٠٢٥", "2025");
}

/* Counts tokens, remembering the last one. */
typedef struct {
    size_t count;
    uint32_t last_pos;
    size_t last_end;
    size_t stop_after; /* 0: never stop */
} counter;

static int count_tokens(const fh_token *t, void *ctx)
{
    counter *c = ctx;
    c->count++;
    c->last_pos = t->pos;
    c->last_end = t->end;
    return c->stop_after && c->count >= c->stop_after;
}

static void test_robustness(void)
{
    CHECK_INT(tokens_of(""), 0);
    CHECK_INT(tokens_of(" \u060C.! \u200F"), 0);
    FORMS("a\xff" "b \xC3", "a", "b");
    tokens_of_n("\xff\xfe\xD8", 3);

    /* 1 MB of mixed words: per repetition deepmind, والباحثون, gpt-4 (gpt, 4), 2025
     * make 6 tokens over 5 positions */
    const char *unit = "DeepMind والباحثون GPT-4 ٢٠٢٥ ";
    size_t ulen = strlen(unit), reps = (1u << 20) / ulen + 1;
    char *big = malloc(reps * ulen + 1);
    CHECK(big != NULL);
    if (big == NULL)
        return;
    for (size_t r = 0; r < reps; r++)
        memcpy(big + r * ulen, unit, ulen);
    big[reps * ulen] = '\0';
    counter c = {0};
    CHECK_INT(fh_analyze(analyzer, big, reps * ulen, count_tokens, &c, NULL), FH_OK);
    CHECK_INT(c.count, 6 * reps);
    CHECK_INT(c.last_pos, 5 * reps - 1);
    CHECK_INT(c.last_end, reps * ulen - 1);

    /* a callback returning non-zero stops the analysis */
    counter stop = {0, 0, 0, 3};
    fh_analyze(analyzer, big, reps * ulen, count_tokens, &stop, NULL);
    CHECK_INT(stop.count, 3);
    free(big);

    /* the analyzer is still usable afterwards */
    FORMS("Scale AI", "scale", "ai");
}

/* The word-break rules compiled at build time break every script as ICU's
 * own root rules do: boundaries and word kinds, dictionary scripts included. */
static void test_compiled_word_rules(void)
{
    static const char *const texts[] = {
        "قال مارك زوكربيرغ (Mark Zuckerberg) إن Scale AI ستنضم... GPT-4o, 3.14 و١٢٣",
        "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ and English",
        "中文没有空格。日本語の文章はスペースがありません。한국어 문장",
        "e-mail user@example.com https://x.org/a_b?q=1 don't l'homme 12,345.6",
        "emoji 👍🏽 family 👨‍👩‍👧 flags 🇸🇦🇺🇸 — «quotes» “curly” ‎rtl‏ marks",
    };
    UErrorCode ec = U_ZERO_ERROR;
    UBreakIterator *compiled = ubrk_openBinaryRules(word_rules.bytes,
                                                    (int32_t)sizeof word_rules.bytes, NULL, 0, &ec);
    CHECK_MSG(U_SUCCESS(ec), "compiled rules refused: %s", u_errorName(ec));
    UBreakIterator *looked_up = ubrk_open(UBRK_WORD, "root", NULL, 0, &ec);
    CHECK(U_SUCCESS(ec));
    for (size_t i = 0; U_SUCCESS(ec) && i < sizeof texts / sizeof texts[0]; i++) {
        UChar text[512];
        int32_t len = 0;
        u_strFromUTF8(text, 512, &len, texts[i], -1, &ec);
        ubrk_setText(compiled, text, len, &ec);
        ubrk_setText(looked_up, text, len, &ec);
        int32_t a = ubrk_first(compiled), b = ubrk_first(looked_up);
        while (a != UBRK_DONE && a == b &&
               ubrk_getRuleStatus(compiled) == ubrk_getRuleStatus(looked_up)) {
            a = ubrk_next(compiled);
            b = ubrk_next(looked_up);
        }
        CHECK_MSG(a == UBRK_DONE && b == UBRK_DONE, "text %zu: boundary %d vs %d", i, a, b);
    }
    ubrk_close(compiled);
    ubrk_close(looked_up);
}

int main(void)
{
    fh_error err = {0};
    if (fh_analyzer_new(&analyzer, &err) != FH_OK) {
        fprintf(stderr, "fh_analyzer_new: %s\n", err.message);
        return 1;
    }
    test_mixed_script_segmentation();
    test_whole_tokens();
    test_latin_words();
    test_capitals();
    test_dagger_alef();
    test_offsets();
    test_diacritics_do_not_matter();
    test_robustness();
    test_compiled_word_rules();
    fh_analyzer_free(analyzer);
    return check_result();
}
