/*
 * Unit tests for keys.c: a key read from a file or the environment, what
 * is refused (a file others may read, an empty or short key, spaces), the
 * line breaks after it, and the comparison.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "testfs.h"
#include "fihris/keys.h"

#define KEY "0123456789abcdef-KEY"

static char dir[256];

/* dir/name holding text, with the given mode. */
static const char *key_file(const char *name, const char *text, mode_t mode)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK_INT(write(fd, text, strlen(text)), (long long)strlen(text));
        close(fd);
    }
    CHECK_INT(chmod(path, mode), 0);
    return path;
}

static int matches(const fh_key *k, const char *given)
{
    return fh_key_matches(k, given, strlen(given));
}

/* Loading file must fail with want, leave the key as it was, say so (with
 * about in the message) and never quote the key. */
static void refused(const char *given, fh_status want, const char *about)
{
    char file[512];
    snprintf(file, sizeof file, "%s", given); /* key_file's buffer is reused */
    fh_key k = {0};
    fh_key_load(key_file("good", KEY "\n", 0600), NULL, &k, NULL);
    fh_error err;
    fh_error_clear(&err);
    CHECK_INT(fh_key_load(file, NULL, &k, &err), want);
    CHECK_MSG(strstr(err.message, about) != NULL, "%s", err.message);
    CHECK_MSG(strstr(err.message, "0123456789") == NULL, "%s", err.message);
    CHECK(k.set && matches(&k, KEY)); /* the key before */
}

static void test_file(void)
{
    fh_key k = {0};
    fh_error err;
    CHECK_INT(fh_key_load(key_file("k", KEY "\n", 0600), NULL, &k, &err), FH_OK);
    CHECK(k.set);
    CHECK(matches(&k, KEY));
    CHECK(!matches(&k, KEY "\n"));
    CHECK(!matches(&k, "0123456789abcdef-KE"));
    CHECK(!matches(&k, KEY "Y"));
    CHECK(!matches(&k, KEY KEY)); /* the key read over again is still another length */
    CHECK(!matches(&k, ""));
    /* CRLF and several line breaks end it too; owner-only modes pass */
    CHECK_INT(fh_key_load(key_file("k", KEY "\r\n\n", 0400), NULL, &k, &err), FH_OK);
    CHECK(matches(&k, KEY));
    CHECK_INT(fh_key_load(key_file("k", KEY, 0700), NULL, &k, &err), FH_OK);
    CHECK(matches(&k, KEY));
}

static void test_refused(void)
{
    refused(key_file("r", KEY "\n", 0644), FH_ERR_INVALID, "chmod 600");
    refused(key_file("r", KEY "\n", 0640), FH_ERR_INVALID, "chmod 600");
    refused(key_file("r", KEY "\n", 0620), FH_ERR_INVALID, "chmod 600");
    refused(key_file("r", KEY "\n", 0602), FH_ERR_INVALID, "chmod 600");
    refused(key_file("r", "", 0600), FH_ERR_INVALID, "holds no key");
    refused(key_file("r", "\n\r\n", 0600), FH_ERR_INVALID, "holds no key");
    refused(key_file("r", "short\n", 0600), FH_ERR_INVALID, "shorter than 16");
    refused(key_file("r", "0123456789 abcdef-KEY\n", 0600), FH_ERR_INVALID, "printable ASCII");
    refused(key_file("r", KEY "\nsecond line\n", 0600), FH_ERR_INVALID, "printable ASCII");
    refused(key_file("r", "0123456789abcdef-KÉY\n", 0600), FH_ERR_INVALID, "printable ASCII");
    char path[512];
    snprintf(path, sizeof path, "%s/none", dir);
    refused(path, FH_ERR_IO, "cannot read the key file");
    refused(dir, FH_ERR_INVALID, "not a regular file");
    char *huge = malloc(FH_KEY_MAX_BYTES + 2);
    if (huge) {
        memset(huge, 'k', FH_KEY_MAX_BYTES + 1);
        huge[FH_KEY_MAX_BYTES + 1] = '\0';
        refused(key_file("r", huge, 0600), FH_ERR_INVALID, "longer than 4096");
        huge[FH_KEY_MAX_BYTES] = '\0';
        fh_key k = {0};
        CHECK_INT(fh_key_load(key_file("r", huge, 0600), NULL, &k, NULL), FH_OK);
        CHECK(matches(&k, huge));
        free(huge);
    }
}

static void test_environment(void)
{
    fh_key k = {0};
    fh_error err;
    unsetenv("FIHRIS_TEST_KEY");
    k.set = 1; /* a key that was, and is no more */
    CHECK_INT(fh_key_load(NULL, "FIHRIS_TEST_KEY", &k, &err), FH_OK);
    CHECK(!k.set);
    CHECK(!matches(&k, ""));
    CHECK(!matches(&k, KEY));
    setenv("FIHRIS_TEST_KEY", KEY "\n", 1);
    CHECK_INT(fh_key_load(NULL, "FIHRIS_TEST_KEY", &k, &err), FH_OK);
    CHECK(k.set && matches(&k, KEY));
    /* the file comes first */
    CHECK_INT(fh_key_load(key_file("k", "another-key-0123456789\n", 0600), "FIHRIS_TEST_KEY", &k,
                          &err), FH_OK);
    CHECK(matches(&k, "another-key-0123456789") && !matches(&k, KEY));
    setenv("FIHRIS_TEST_KEY", "", 1);
    CHECK_INT(fh_key_load(NULL, "FIHRIS_TEST_KEY", &k, &err), FH_ERR_INVALID);
    CHECK_MSG(strstr(err.message, "FIHRIS_TEST_KEY") != NULL, "%s", err.message);
    CHECK(k.set); /* unchanged */
    unsetenv("FIHRIS_TEST_KEY");
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fihris-keys-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_file();
    test_refused();
    test_environment();
    check_remove_tree(dir);
    return check_result();
}
