/* Unit tests for stem.c: Fihris's Arabic proclitic rules around Snowball, and Snowball english. */
#include "check.h"
#include "fihris/normalize.h"
#include "fihris/stem.h"

static fh_stemmer *stemmer;

/* The Arabic stem of w as a C string in out. */
static const char *stem_ar(const char *w, fh_buf *out)
{
    CHECK_MSG(fh_stem_arabic(stemmer, w, strlen(w), out) == FH_OK, "stemming \"%s\"", w);
    return out->data ? out->data : "";
}

static void stem_is(const char *w, const char *want)
{
    fh_buf out = FH_BUF_INIT;
    const char *got = stem_ar(w, &out);
    CHECK_MSG(strcmp(got, want) == 0, "stem(\"%s\") = \"%s\", want \"%s\"", w, got, want);
    fh_buf_free(&out);
}

/* Two words a search must treat as the same word. */
static void stems_meet(const char *a, const char *b)
{
    fh_buf sa = FH_BUF_INIT, sb = FH_BUF_INIT;
    const char *x = stem_ar(a, &sa), *y = stem_ar(b, &sb);
    CHECK_MSG(strcmp(x, y) == 0, "\"%s\" -> \"%s\" and \"%s\" -> \"%s\" should meet", a, x, b, y);
    fh_buf_free(&sa);
    fh_buf_free(&sb);
}

/* Two different words that must not be confused. */
static void stems_apart(const char *a, const char *b)
{
    fh_buf sa = FH_BUF_INIT, sb = FH_BUF_INIT;
    const char *x = stem_ar(a, &sa), *y = stem_ar(b, &sb);
    CHECK_MSG(strcmp(x, y) != 0, "\"%s\" and \"%s\" both stem to \"%s\"", a, b, x);
    fh_buf_free(&sa);
    fh_buf_free(&sb);
}

/* Number of code points in a UTF-8 string. */
static size_t letters(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The english stem of a word as the analyzer sees it: normalized (case-folded) first. */
static void english_is(const char *raw, const char *want)
{
    fh_buf folded = FH_BUF_INIT, out = FH_BUF_INIT;
    CHECK_INT(fh_normalize_utf8(raw, strlen(raw), &folded, NULL), FH_OK);
    CHECK_INT(fh_stem_english(stemmer, folded.data, folded.len, &out), FH_OK);
    CHECK_MSG(out.data && strcmp(out.data, want) == 0, "english stem(\"%s\") = \"%s\", want \"%s\"",
              raw, out.data ? out.data : "(null)", want);
    fh_buf_free(&folded);
    fh_buf_free(&out);
}

static void test_waw_before_alef(void)
{
    stem_is("الباحثون", "باحث");
    stems_meet("والباحثون", "الباحثون");
    stems_meet("واستقطاب", "استقطاب"); /* six letters after و: a conjunction */
    /* واشنطن: the و is the word's own first letter */
    fh_buf out = FH_BUF_INIT;
    const char *s = stem_ar("واشنطن", &out);
    CHECK_MSG(strncmp(s, "و", strlen("و")) == 0, "stem(واشنطن) = \"%s\" lost its و", s);
    fh_buf_free(&out);
    stems_apart("واشنطن", "اشنطن");
}

static void test_under_stemming(void)
{
    stems_meet("مختبرات", "المختبرات");
    stems_meet("شركات", "الشركة");
    stems_meet("شركة", "الشركات");
}

static void test_teh_marbuta_heh(void)
{
    stems_meet("الصفقة", "الصفقه");
    stems_meet("صفقة", "الصفقه");
    /* ه after a long vowel belongs to the root */
    stems_apart("مياه", "مية");
    stem_is("مياه", "مياه");
}

static void test_proclitics(void)
{
    stems_meet("بالمهندسين", "المهندسين");
    stems_meet("للمهندسين", "المهندسين");
    stem_is("المهندسين", "مهندس");
    stems_meet("وبالذكاء", "الذكاء");
    stems_meet("فالذكاء", "الذكاء");
    stems_meet("وللمهندسين", "المهندسين");
    /* words that merely begin with a proclitic letter keep it */
    stems_apart("وزير", "زير");
    stem_is("وزير", "وزير");
    stems_apart("بطاطس", "طاطس");
    stem_is("بطاطس", "بطاطس");
    stem_is("فيسبوك", "فيسبوك");
    stems_meet("بالفيسبوك", "فيسبوك");
    stems_apart("لندن", "ندن");
    /* the article stays on words where it is not a prefix */
    stem_is("الله", "الله");
    stem_is("الذي", "الذي");
}

static void test_short_result_guard(void)
{
    fh_buf out = FH_BUF_INIT;
    const char *s = stem_ar("التمان", &out); /* Altman, normalized from ألتمان */
    CHECK_MSG(letters(s) >= 3, "stem(التمان) = \"%s\": fewer than three letters", s);
    fh_buf_free(&out);
}

static void test_names_pass_through(void)
{
    stem_is("زوكربيرغ", "زوكربيرغ");
    stem_is("تولوش", "تولوش");
}

static void test_english(void)
{
    english_is("running", "run");
    english_is("runs", "run");
    english_is("RUNNING", "run"); /* the stemmer sees case-folded input */
    english_is("Researchers", "research");
    fh_buf a = FH_BUF_INIT, b = FH_BUF_INIT;
    CHECK_INT(fh_stem_english(stemmer, "researchers", 11, &a), FH_OK);
    CHECK_INT(fh_stem_english(stemmer, "researcher", 10, &b), FH_OK);
    CHECK_MSG(a.data && b.data && strcmp(a.data, b.data) == 0, "researchers -> %s, researcher -> %s",
              a.data ? a.data : "(null)", b.data ? b.data : "(null)");
    fh_buf_free(&a);
    fh_buf_free(&b);
}

int main(void)
{
    fh_error err = {0};
    if (fh_stemmer_new(&stemmer, &err) != FH_OK) {
        fprintf(stderr, "fh_stemmer_new: %s\n", err.message);
        return 1;
    }
    test_waw_before_alef();
    test_under_stemming();
    test_teh_marbuta_heh();
    test_proclitics();
    test_short_result_guard();
    test_names_pass_through();
    test_english();
    fh_stemmer_free(stemmer);
    return check_result();
}
