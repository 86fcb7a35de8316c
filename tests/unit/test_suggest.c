/* Unit tests for spelling suggestions (suggest.h) and the prefix listing
 * they read (fh_db_terms_with_prefix in db.h), against a small database in a
 * temporary directory that is removed at the end. */
#include "check.h"
#include "testfs.h"
#include "fihris/db.h"
#include "fihris/suggest.h"

/* Each word is held by the first `docs` documents. */
typedef struct {
    const char *term;
    unsigned docs;
} held;

static const held VOCAB[] = {
    {"information", 5},
    {"informations", 9}, /* two edits from "informaton", one from "information" */
    {"search", 4},
    {"card", 4},
    {"cart", 2},
    {"bat", 3},
    {"cat", 3},
    {"müller", 3},
    {"1235", 6},
    {"الذكاء", 4},
    {"المعلومات", 3},
    {"صيف", 2},
    {"سيل", 5},
    /* prefixed side terms: never suggestions, whatever they hold */
    {"Sgarden", 9},
    {"Zgarden", 9},
    {"XSRCgarden", 9},
    {"Zsearch", 9},
};
#define NVOCAB (sizeof VOCAB / sizeof VOCAB[0])
#define NDOCS 9

static void build_db(const char *path)
{
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &db, NULL), FH_OK);
    for (unsigned k = 0; k < NDOCS; k++) {
        fh_doc *doc = fh_doc_new();
        CHECK(doc != NULL);
        uint32_t pos = 1;
        for (size_t i = 0; i < NVOCAB; i++)
            if (VOCAB[i].docs > k)
                CHECK_INT(fh_doc_add_posting(doc, VOCAB[i].term, strlen(VOCAB[i].term), pos++, 1,
                                             NULL),
                          FH_OK);
        char id[16];
        snprintf(id, sizeof id, "Q%u", k);
        CHECK_INT(fh_db_replace(db, id, doc, NULL), FH_OK);
        fh_doc_free(doc);
    }
    CHECK_INT(fh_db_commit(db, NULL), FH_OK);
    fh_db_close(db);
}

/* The suggestion for word ("" for none) and its document count. */
static void expect_n(fh_db *db, const char *word, size_t len, uint32_t min_docs,
                     const char *want, uint32_t want_docs)
{
    fh_buf out = FH_BUF_INIT;
    fh_buf_append_str(&out, "stale");
    uint32_t docs = 12345;
    fh_error err = {0};
    CHECK_MSG(fh_suggest_word(db, word, len, min_docs, &out, &docs, &err) == FH_OK, "%s: %s",
              word, err.message);
    CHECK_MSG(out.data != NULL && strcmp(out.data, want) == 0, "%s: got \"%s\", want \"%s\"",
              word, out.data ? out.data : "(null)", want);
    CHECK_MSG(docs == want_docs, "%s: got %u documents, want %u", word, (unsigned)docs,
              (unsigned)want_docs);
    CHECK_INT(out.len, strlen(want));
    fh_buf_free(&out);
}

static void expect(fh_db *db, const char *word, uint32_t min_docs, const char *want,
                   uint32_t want_docs)
{
    expect_n(db, word, strlen(word), min_docs, want, want_docs);
}

static void test_english(fh_db *db)
{
    expect(db, "serch", 2, "search", 4);  /* a letter left out */
    expect(db, "saerch", 2, "search", 4); /* two letters swapped */
    expect(db, "seerch", 2, "search", 4); /* a wrong letter */
    expect(db, "searchh", 2, "search", 4); /* a letter too many */
    expect(db, "muller", 2, "müller", 3); /* an accent left out */
    /* Two edits away, found only for long words... */
    expect(db, "infromaton", 2, "information", 5);
    expect(db, "sxerhc", 2, "", 0);
    /* ...and one edit beats two, whatever the documents. */
    expect(db, "informaton", 2, "information", 5);
}

static void test_arabic(fh_db *db)
{
    expect(db, "الذكا", 2, "الذكاء", 4);  /* the final hamza left out */
    expect(db, "الزكاء", 2, "الذكاء", 4); /* ز written for ذ */
    expect(db, "الذكاا", 2, "الذكاء", 4); /* ا written for ء */
    expect(db, "المعلمت", 2, "المعلومات", 3); /* both long vowels left out */
    /* A slip between confusable letters ranks ahead of any other edit. */
    expect(db, "سيف", 1, "صيف", 2);
}

static void test_ranking(fh_db *db)
{
    expect(db, "carx", 2, "card", 4); /* card and cart are one edit away; card is held more */
    expect(db, "hat", 2, "bat", 3);   /* bat and cat tie: bytewise first */
    expect(db, "cartt", 2, "cart", 2);
    expect(db, "cartt", 3, "", 0); /* cart is held by too few documents */
    expect(db, "zsearch", 2, "search", 4); /* not the side term Zsearch, held more */
}

static void test_no_suggestion(fh_db *db)
{
    expect(db, "search", 4, "", 0);    /* held often enough */
    expect(db, "search", 5, "", 0);    /* rare but nothing nearby is held more */
    expect(db, "serch", 0, "", 0);     /* no word is held by fewer than 0 documents */
    expect(db, "serch", 10, "", 0);    /* no candidate reaches the bar */
    expect(db, "garden", 1, "", 0);    /* only side terms (Sgarden, Zgarden...) hold it */
    expect(db, "Zserch", 1, "", 0);    /* side terms are not corrected either */
    expect(db, "gardenx", 1, "", 0);
    expect(db, "ca", 1, "", 0);        /* too short */
    expect(db, "بت", 1, "", 0);
    expect(db, "1234", 1, "", 0);      /* numbers are not corrected */
    expect(db, "h100", 1, "", 0);
    expect(db, "car4", 1, "", 0);
    expect(db, "serch-x", 1, "", 0);
    expect(db, "serchالذكاء", 1, "", 0); /* mixed scripts */
    expect(db, "", 1, "", 0);
    expect_n(db, NULL, 0, 1, "", 0);
}

static void test_invalid_utf8(fh_db *db)
{
    expect(db, "\xd8\xa7\xd9\x84\xd8", 1, "", 0);       /* cut inside a character */
    expect(db, "serc\xff", 1, "", 0);
    expect(db, "\xc0\xafserch", 1, "", 0);               /* overlong */
    expect(db, "\xed\xa0\x80serch", 1, "", 0);           /* surrogate */
    expect_n(db, "ser\0ch", 6, 1, "", 0);                /* embedded NUL */
    char longword[4 * FH_SUGGEST_MAX_LETTERS + 8];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    expect(db, longword, 1, "", 0);
}

static void test_bad_arguments(fh_db *db)
{
    fh_buf out = FH_BUF_INIT;
    uint32_t docs = 0;
    fh_error err = {0};
    CHECK_INT(fh_suggest_word(NULL, "serch", 5, 2, &out, &docs, &err), FH_ERR_INVALID);
    CHECK_INT(fh_suggest_word(db, "serch", 5, 2, NULL, &docs, &err), FH_ERR_INVALID);
    CHECK_INT(fh_suggest_word(db, "serch", 5, 2, &out, NULL, &err), FH_ERR_INVALID);
    CHECK_INT(fh_suggest_word(db, NULL, 5, 2, &out, &docs, NULL), FH_ERR_INVALID);
    fh_buf_free(&out);
}

/* List the terms beginning with prefix; returns them joined with ','. */
static void expect_terms(fh_db *db, const char *prefix, size_t max, const char *want,
                         int want_more)
{
    fh_buf out = FH_BUF_INIT, joined = FH_BUF_INIT;
    fh_buf_append(&out, "keep", 5); /* the list is appended after what was there */
    size_t count = 999;
    int more = -1;
    fh_error err = {0};
    CHECK_MSG(fh_db_terms_with_prefix(db, prefix, strlen(prefix), max, &out, &count, &more,
                                      &err) == FH_OK,
              "%s", err.message);
    CHECK_STR(out.data, "keep");
    const char *p = out.data + 5;
    for (size_t i = 0; i < count; i++) {
        fh_buf_printf(&joined, "%s%s", i ? "," : "", p);
        p += strlen(p) + 1;
    }
    CHECK_INT((size_t)(p - out.data), out.len);
    CHECK_MSG(strcmp(joined.data ? joined.data : "", want) == 0, "%s: got \"%s\", want \"%s\"",
              prefix, joined.data ? joined.data : "", want);
    CHECK_MSG(more == want_more, "%s: more %d, want %d", prefix, more, want_more);
    fh_buf_free(&out);
    fh_buf_free(&joined);
}

/* The most frequent terms with prefix among the first `scan`; joined with ','. */
static void expect_frequent(fh_db *db, const char *prefix, size_t scan, size_t want_n,
                            const char *want)
{
    fh_buf out = FH_BUF_INIT, joined = FH_BUF_INIT;
    size_t count = 999;
    fh_error err = {0};
    CHECK_MSG(fh_db_frequent_terms_with_prefix(db, prefix, strlen(prefix), scan, want_n, &out,
                                               &count, &err) == FH_OK,
              "%s", err.message);
    const char *p = out.data;
    for (size_t i = 0; i < count; i++) {
        fh_buf_printf(&joined, "%s%s", i ? "," : "", p);
        p += strlen(p) + 1;
    }
    CHECK_MSG(strcmp(joined.data ? joined.data : "", want) == 0,
              "%s (scan %zu, %zu): got \"%s\", want \"%s\"", prefix, scan, want_n,
              joined.data ? joined.data : "", want);
    fh_buf_free(&out);
    fh_buf_free(&joined);
}

static void test_frequent_terms(fh_db *db)
{
    expect_frequent(db, "ca", 100, 10, "card,cat,cart");
    expect_frequent(db, "ca", 100, 2, "card,cat");
    expect_frequent(db, "ca", 2, 10, "card,cart"); /* only card and cart weighed */
    expect_frequent(db, "ca", 100, 0, "");
    expect_frequent(db, "inform", 100, 1, "informations");
    expect_frequent(db, "ال", 100, 10, "الذكاء,المعلومات");
    expect_frequent(db, "nosuch", 100, 10, "");
    expect_frequent(db, "b", 100, 10, "bat"); /* prefixes are bytes: not "Zgarden" */
    size_t count;
    CHECK_INT(fh_db_frequent_terms_with_prefix(NULL, "ca", 2, 10, 10, NULL, &count, NULL),
              FH_ERR_INVALID);
}

static void test_terms_with_prefix(fh_db *db)
{
    expect_terms(db, "ca", 10, "card,cart,cat", 0);
    expect_terms(db, "ca", 3, "card,cart,cat", 0);
    expect_terms(db, "ca", 2, "card,cart", 1);
    expect_terms(db, "ca", 0, "", 1);
    expect_terms(db, "car", 10, "card,cart", 0);
    expect_terms(db, "inform", 10, "information,informations", 0);
    expect_terms(db, "Z", 10, "Zgarden,Zsearch", 0);
    expect_terms(db, "ال", 10, "الذكاء,المعلومات", 0);
    expect_terms(db, "nosuch", 10, "", 0);
    expect_terms(db, "", 3, "1235,Q0,Q1", 1); /* the whole vocabulary, bytewise */

    fh_buf out = FH_BUF_INIT;
    size_t count = 0;
    int more = 0;
    fh_error err = {0};
    CHECK_INT(fh_db_terms_with_prefix(NULL, "ca", 2, 10, &out, &count, &more, &err),
              FH_ERR_INVALID);
    CHECK_INT(fh_db_terms_with_prefix(db, NULL, 2, 10, &out, &count, &more, &err),
              FH_ERR_INVALID);
    CHECK_INT(fh_db_terms_with_prefix(db, "ca", 2, 10, NULL, &count, &more, &err),
              FH_ERR_INVALID);
    CHECK_INT(fh_db_terms_with_prefix(db, "ca", 2, 10, &out, NULL, &more, &err), FH_ERR_INVALID);
    CHECK_INT(fh_db_terms_with_prefix(db, "ca", 2, 10, &out, &count, NULL, &err), FH_ERR_INVALID);
    CHECK_INT(out.len, 0);
    fh_buf_free(&out);
}

int main(void)
{
    char dir[] = "/tmp/fihris-test-suggest-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/db", dir);
    build_db(path);
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);
    if (db != NULL) {
        test_english(db);
        test_arabic(db);
        test_ranking(db);
        test_no_suggestion(db);
        test_invalid_utf8(db);
        test_bad_arguments(db);
        test_terms_with_prefix(db);
        test_frequent_terms(db);
        fh_db_close(db);
    }
    check_remove_tree(dir);
    return check_result();
}
