/*
 * Unit tests for config.c: settings handed over in the file's order,
 * comments, blanks and CR LF skipped, and each error (unknown key, a line
 * that is no setting, no value, a key twice, a NUL byte, a file too large, a
 * value the caller refuses) named with its file and line.
 */
#include <stdlib.h>

#include "check.h"
#include "fihris/config.h"

static const fh_config_key KEYS[] = {{"listen", 0}, {"cors-origin", 1}, {"threads", 0}};

/* The settings seen, "key=value;" each. */
typedef struct {
    char seen[512];
} taken;

static fh_status take(void *ctx, const char *key, const char *value, fh_error *err)
{
    taken *t = ctx;
    if (strcmp(value, "refused") == 0)
        return fh_error_set(err, FH_ERR_INVALID, "give another value");
    size_t n = strlen(t->seen);
    snprintf(t->seen + n, sizeof t->seen - n, "%s=%s;", key, value);
    return FH_OK;
}

static fh_status parse(const char *text, size_t len, taken *t, fh_error *err)
{
    memset(t, 0, sizeof *t);
    fh_error_clear(err);
    return fh_config_parse("f.conf", text, len, KEYS, 3, take, t, err);
}

static void settings(void)
{
    static const char text[] = "# a comment\r\n\n  \t# indented\nlisten = 127.0.0.1:80 \r\n"
                               "cors-origin=https://a#b\n\tcors-origin =  x y \nthreads = 2";
    taken t;
    fh_error err;
    CHECK_INT(parse(text, sizeof text - 1, &t, &err), FH_OK);
    CHECK_STR(t.seen, "listen=127.0.0.1:80;cors-origin=https://a#b;cors-origin=x y;threads=2;");
    CHECK_INT(parse("", 0, &t, &err), FH_OK);
    CHECK_STR(t.seen, "");
}

static void expect_error(const char *text, size_t len, const char *want)
{
    taken t;
    fh_error err;
    CHECK_INT(parse(text, len, &t, &err), FH_ERR_INVALID);
    CHECK_STR(err.message, want);
}

static void errors(void)
{
    expect_error("listen = a:1\ncolour = blue\n", 27, "f.conf:2: unknown key \"colour\"");
    expect_error("\nlisten 1\n", 10,
                 "f.conf:2: not a setting: write `key = value` (a comment starts with #)");
    expect_error("= 1\n", 4, "f.conf:1: not a setting: write `key = value` (a comment starts with #)");
    expect_error("Listen = 1\n", 11,
                 "f.conf:1: not a setting: write `key = value` (a comment starts with #)");
    expect_error("threads =  \t\n", 13, "f.conf:1: threads: no value");
    expect_error("threads = 1\n\nthreads = 2\n", 25, "f.conf:3: threads: already set on line 1");
    expect_error("threads = refused\n", 18, "f.conf:1: threads: give another value");
    expect_error("listen = a\n\nthreads = 1\0\n", 25, "f.conf:3: holds a NUL byte");
    char *big = malloc(FH_CONFIG_MAX_BYTES + 1);
    CHECK(big != NULL);
    if (big) {
        memset(big, '\n', FH_CONFIG_MAX_BYTES + 1);
        taken t;
        fh_error err;
        CHECK_INT(parse(big, FH_CONFIG_MAX_BYTES, &t, &err), FH_OK);
        expect_error(big, FH_CONFIG_MAX_BYTES + 1, "f.conf: larger than 64 KB");
        free(big);
    }
}

static void files(void)
{
    taken t = {{0}};
    fh_error err;
    CHECK_INT(fh_config_read("/nonexistent/f.conf", KEYS, 3, take, &t, &err), FH_ERR_IO);
    CHECK(strstr(err.message, "cannot read /nonexistent/f.conf") != NULL);
    CHECK_INT(fh_config_read("/", KEYS, 3, take, &t, &err), FH_ERR_INVALID);
    CHECK_STR(err.message, "/: not a regular file");
}

int main(void)
{
    settings();
    errors();
    files();
    return check_result();
}
