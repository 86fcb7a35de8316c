/* Unit tests for utf8.c: decoding, validation and repair of ill-formed input. */
#include "check.h"
#include "fihris/utf8.h"

static void repaired(const char *in, size_t len, const char *want, size_t want_count)
{
    fh_buf out = FH_BUF_INIT;
    size_t n = 99;
    CHECK_INT(fh_utf8_repair(in, len, &out, &n), FH_OK);
    CHECK_STR(out.data ? out.data : "", want);
    CHECK_INT(n, want_count);
    fh_buf_free(&out);
}

static void one_line(const char *in, const char *want)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", in);
    fh_utf8_one_line(buf);
    CHECK_STR(buf, want);
}

int main(void)
{
    /* every line break a terminal or a log reader may honour is a space */
    one_line("a\nb\r\tc\x7f", "a b  c ");
    one_line("x\xC2\x85y\xC2\x9Fz", "x y z");                  /* NEL, C1 */
    one_line("\xE2\x80\xA8L\xE2\x80\xA9P", " L P");           /* U+2028, U+2029 */
    one_line("\xC2\xA0\xE2\x80\xAA\xD8\xB2", "\xC2\xA0\xE2\x80\xAA\xD8\xB2"); /* kept */
    one_line("", "");

    /* code points, an ill-formed byte counting as one */
    CHECK_INT(fh_utf8_count("", 0), 0);
    CHECK_INT(fh_utf8_count("ab", 2), 2);
    CHECK_INT(fh_utf8_count("\xD8\xB2\xE2\x82\xAC\xF0\x9F\x98\x80", 9), 3); /* ز € 😀 */
    CHECK_INT(fh_utf8_count("a\xFF" "b", 3), 3);

    const char *ok = "abc زوكربيرغ ٢٠٢٥";
    CHECK_INT(fh_utf8_find_invalid(ok, strlen(ok)), strlen(ok));
    repaired(ok, strlen(ok), ok, 0);
    /* lone continuation byte, overlong '/', surrogate, truncated sequence */
    repaired("a\x80" "b", 3, "a\xEF\xBF\xBD" "b", 1);
    repaired("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
    repaired("\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3);
    repaired("x\xD8", 2, "x\xEF\xBF\xBD", 1);
    repaired("\xF4\x90\x80\x80", 4, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 4);
    /* a truncated 3-byte sequence is one maximal ill-formed prefix */
    repaired("\xE2\x82" "z", 3, "\xEF\xBF\xBD" "z", 1);

    /* an empty input still yields a usable C string */
    fh_buf empty = FH_BUF_INIT;
    CHECK_INT(fh_utf8_repair("", 0, &empty, NULL), FH_OK);
    CHECK(empty.data != NULL && empty.data[0] == '\0');
    fh_buf_free(&empty);

    uint32_t cp;
    CHECK_INT(fh_utf8_decode((const unsigned char *)"\xD8\xB2", 2, &cp), 2);
    CHECK_INT(cp, 0x632);
    char enc[4];
    CHECK_INT(fh_utf8_encode(0x1F600, enc), 4);
    CHECK_INT(fh_utf8_decode((const unsigned char *)enc, 4, &cp), 4);
    CHECK_INT(cp, 0x1F600);
    return check_result();
}
