/* Unit tests for normalize.c: each normalization rule, the map back to original offsets, bad input. */
#include <stdint.h>

#include "check.h"
#include "fihris/normalize.h"

/* Normalize len bytes of in to UTF-8 and compare with want. */
static void norm_eq_n(const char *in, size_t len, const char *want)
{
    fh_buf out = FH_BUF_INIT;
    fh_error err = {0};
    fh_status st = fh_normalize_utf8(in, len, &out, &err);
    CHECK_MSG(st == FH_OK, "normalizing \"%s\" failed: %s", in, err.message);
    const char *got = out.data ? out.data : "(null)";
    CHECK_MSG(out.data != NULL && out.len == strlen(want) && memcmp(got, want, out.len) == 0,
              "normalize(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    fh_buf_free(&out);
}

static void norm_eq(const char *in, const char *want)
{
    norm_eq_n(in, strlen(in), want);
}

/* Two spellings normalize to the same text. */
static void norm_same(const char *a, const char *b)
{
    fh_buf na = FH_BUF_INIT, nb = FH_BUF_INIT;
    CHECK_INT(fh_normalize_utf8(a, strlen(a), &na, NULL), FH_OK);
    CHECK_INT(fh_normalize_utf8(b, strlen(b), &nb, NULL), FH_OK);
    CHECK_MSG(na.data && nb.data && na.len == nb.len && memcmp(na.data, nb.data, na.len) == 0,
              "\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", a, na.data ? na.data : "(null)", b,
              nb.data ? nb.data : "(null)");
    fh_buf_free(&na);
    fh_buf_free(&nb);
}

/* fh_normalize(in) yields exactly the UTF-16 units want[0..n) with original
 * byte offsets offs[0..n], offs[n] being the end (the input length). */
static void units_and_offsets(fh_normalized *n, const char *in, const uint16_t *want,
                              const uint32_t *offs, size_t count)
{
    fh_error err = {0};
    CHECK_MSG(fh_normalize(in, strlen(in), n, &err) == FH_OK, "\"%s\": %s", in, err.message);
    CHECK_MSG(n->len == count, "\"%s\": %zu units, want %zu", in, n->len, count);
    for (size_t i = 0; i < count && i < n->len; i++) {
        CHECK_MSG(n->text[i] == want[i], "\"%s\" unit %zu: U+%04X, want U+%04X", in, i,
                  (unsigned)n->text[i], (unsigned)want[i]);
        CHECK_MSG(n->orig[i] == offs[i], "\"%s\" orig[%zu] = %u, want %u", in, i,
                  (unsigned)n->orig[i], (unsigned)offs[i]);
    }
    if (n->len == count)
        CHECK_MSG(n->orig[count] == offs[count], "\"%s\" orig[len] = %u, want %u", in,
                  (unsigned)n->orig[count], (unsigned)offs[count]);
}

static void test_nfkc_casefold(void)
{
    norm_eq("ＡＢＣ DeepMind", "abc deepmind");
    norm_eq("\uFB01", "fi"); /* ﬁ ligature */
    norm_eq("Straße", "strasse");
    norm_eq("OPENAI GPT-4", "openai gpt-4");
}

static void test_harakat(void)
{
    norm_eq("مُحَمَّدٌ", "محمد");
    norm_eq("الذَّكَاءُ الاصْطِنَاعِيُّ", "الذكاء الاصطناعي");
    /* every haraka and tanwin on its own */
    norm_eq("ب\u064B", "ب");
    norm_eq("ب\u064C", "ب");
    norm_eq("ب\u064D", "ب");
    norm_eq("ب\u064E", "ب");
    norm_eq("ب\u064F", "ب");
    norm_eq("ب\u0650", "ب");
    norm_eq("ب\u0651", "ب");
    norm_eq("ب\u0652", "ب");
}

static void test_quranic_marks(void)
{
    norm_eq("ن\u06D6", "ن");   /* small high ligature sad with lam with alef maksura */
    norm_eq("ن\u06DA", "ن");   /* small high jeem */
    norm_eq("ل\u06E1", "ل");   /* small high dotless head of khah (Quranic sukun) */
    norm_eq("ب\u0656", "ب");   /* subscript alef */
    norm_eq("ب\u0657", "ب");   /* inverted damma */
    norm_eq("ب\u065E", "ب");   /* fatha with two dots */
    norm_eq("ٱلۡحَمۡدُ", "الحمد");
}

static void test_tatweel(void)
{
    norm_eq("ذكـــاء", "ذكاء");
    norm_eq("لـ", "ل");
}

static void test_default_ignorable(void)
{
    static const char *const cases[] = {
        "ذ\u200Cكاء", /* ZWNJ */
        "ذ\u200Dكاء", /* ZWJ */
        "\uFEFFذكاء", /* BOM */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        norm_eq(cases[i], "ذكاء");
    norm_eq("Deep\u200BMind\u00AD", "deepmind"); /* zero width space, soft hyphen */
}

/* Direction controls stand between words: they read as spaces. */
static void test_direction_controls(void)
{
    norm_eq("مختبرات\u200Fالذكاء", "مختبرات الذكاء"); /* RLM */
    norm_eq("Meta\u200Eميتا", "meta ميتا");           /* LRM */
    norm_eq("ذكاء\u061C2025", "ذكاء 2025");           /* ALM */
    norm_eq("\u202Bذكاء\u202C", " ذكاء ");              /* RLE ... PDF */
    norm_eq("\u2066ذكاء\u2069", " ذكاء ");              /* LRI ... PDI */
    norm_eq("\u2067ذكاء\u2069", " ذكاء ");              /* RLI ... PDI */
    norm_eq("\u2068ذكاء\u2069", " ذكاء ");              /* FSI ... PDI */
}

static void test_presentation_forms(void)
{
    norm_eq("\uFEF7", "لا");                     /* lam with alef with hamza above, isolated */
    norm_eq("\uFEE3\uFEA4\uFEE4\uFEAA", "محمد"); /* meem, hah, meem, dal in positional forms */
    norm_eq("\uFEDF\uFEDC\uFEE6", "لكن");        /* lam initial, kaf medial, noon final */
    norm_eq("\uFEFB", "لا");                     /* lam-alef ligature */
    norm_eq("\uFEFBعب", "لاعب");
}

static void test_alef_yeh_kaf(void)
{
    norm_eq("أإآٱ", "اااا");
    norm_eq("أحمد", "احمد");
    norm_eq("إسلام", "اسلام");
    norm_eq("آخر", "اخر");
    norm_eq("ٱلله", "الله");
    norm_eq("مستشفى", "مستشفي");
    norm_eq("کتاب", "كتاب");   /* Persian keheh */
    norm_eq("فارسی", "فارسي"); /* Persian yeh */
    norm_same("علی", "على");
}

static void test_digits(void)
{
    norm_eq("٠١٢٣٤٥٦٧٨٩", "0123456789");
    norm_eq("۰۱۲۳۴۵۶۷۸۹", "0123456789");
    norm_same("٢٠٢٥", "2025");
    norm_same("۲۰۲۵", "2025");
    norm_eq("٣٫١٤", "3.14");   /* Arabic decimal separator */
    norm_eq("١٬٠٠٠", "1,000"); /* Arabic thousands separator */
}

static void test_dagger_alef_kept(void)
{
    norm_eq("ذَٰلِكَ", "ذ\u0670لك");
    norm_eq("ٱلۡكِتَٰبُ", "الكت\u0670ب");
}

static void test_composition(void)
{
    norm_eq("\u0627\u0654", "ا");      /* alef + combining hamza above = أ, which folds to ا */
    norm_eq("\u0627\u0655", "ا");      /* alef + combining hamza below = إ */
    norm_same("\u0627\u0654حمد", "أحمد");
    /* a combining sequence longer than any fixed working buffer */
    char in[2 + 200 * 2 + 1];
    memcpy(in, "ب", 2);
    for (int i = 0; i < 200; i++)
        memcpy(in + 2 + 2 * i, i % 2 ? "\u0651" : "\u064E", 2);
    in[sizeof in - 1] = '\0';
    norm_eq(in, "ب");
}

static void test_offsets(void)
{
    fh_normalized n = {0};
    /* a haraka folds into the letter before it */
    units_and_offsets(&n, "بِ", (const uint16_t[]){0x0628}, (const uint32_t[]){0, 4}, 1);
    /* ب(2) kasra(2) ZWNJ(3) ك(2) */
    units_and_offsets(&n, "بِ\u200Cك", (const uint16_t[]){0x0628, 0x0643},
                      (const uint32_t[]){0, 7, 9}, 2);
    /* ب(2) RLM(3) ك(2): the mark is a space at its own offset */
    units_and_offsets(&n, "ب\u200Fك", (const uint16_t[]){0x0628, ' ', 0x0643},
                      (const uint32_t[]){0, 2, 5, 7}, 3);
    units_and_offsets(&n, "مُحَمَّدٌ x",
                      (const uint16_t[]){0x0645, 0x062D, 0x0645, 0x062F, ' ', 'x'},
                      (const uint32_t[]){0, 4, 8, 14, 18, 19, 20}, 6);
    /* a ligature becomes two units, both from the ligature's bytes */
    units_and_offsets(&n, "\uFEFBب", (const uint16_t[]){0x0644, 0x0627, 0x0628},
                      (const uint32_t[]){0, 0, 3, 5}, 3);
    /* fullwidth letters are three bytes each */
    units_and_offsets(&n, "ＡＢ", (const uint16_t[]){'a', 'b'}, (const uint32_t[]){0, 3, 6}, 2);
    /* reuse of the same fh_normalized with a shorter text */
    units_and_offsets(&n, "a", (const uint16_t[]){'a'}, (const uint32_t[]){0, 1}, 1);
    /* every offset maps into the original: increasing and within the input */
    const char *text = "\u200Fقال زوكربيرغُ لـ\"ميتا\" ٢٠٢٥ ﻻ DeepMind";
    CHECK_INT(fh_normalize(text, strlen(text), &n, NULL), FH_OK);
    for (size_t i = 0; i < n.len; i++)
        CHECK_MSG(n.orig[i] <= n.orig[i + 1] && n.orig[i] < strlen(text), "orig[%zu] = %u", i,
                  (unsigned)n.orig[i]);
    CHECK_INT(n.orig[n.len], strlen(text));
    fh_normalized_free(&n);
}

static void test_bad_input(void)
{
    norm_eq_n("a\xff" "b", 3, "a\xEF\xBF\xBD" "b");
    norm_eq_n("ab\xD8", 3, "ab\xEF\xBF\xBD"); /* truncated sequence at the end */
    norm_eq_n("", 0, "");
    fh_normalized n = {0};
    units_and_offsets(&n, "a\xff" "b", (const uint16_t[]){'a', 0xFFFD, 'b'},
                      (const uint32_t[]){0, 1, 2, 3}, 3);
    units_and_offsets(&n, "", (const uint16_t[]){0}, (const uint32_t[]){0}, 0);
    fh_normalized_free(&n);
}

int main(void)
{
    test_nfkc_casefold();
    test_harakat();
    test_quranic_marks();
    test_tatweel();
    test_default_ignorable();
    test_direction_controls();
    test_presentation_forms();
    test_alef_yeh_kaf();
    test_digits();
    test_dagger_alef_kept();
    test_composition();
    test_offsets();
    test_bad_input();
    return check_result();
}
