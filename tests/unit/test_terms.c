/* Unit tests for terms.c: the terms fh_index_text adds with a name lexicon
 * and without one, read back from a database in a temporary directory. */
#include <stdlib.h>

#include "check.h"
#include "testfs.h"
#include "fihris/hash.h"
#include "fihris/terms.h"

/* Both documents say the same: Zuckerberg is a capitalized Latin word where
 * no sentence begins, so it is the one XC term of the text. */
static const char TEXT[] = "Sources said Zuckerberg met the press.";

/* Index TEXT as the body of the document with id term id_term, noting names
 * in lex (may be NULL). */
static void put(fh_db *db, fh_analyzer *an, const char *id_term, fh_lexicon *lex)
{
    fh_error err;
    fh_doc *doc = fh_doc_new();
    CHECK(doc != NULL);
    if (doc == NULL)
        return;
    CHECK_MSG(fh_index_text(an, doc, FH_ZONE_BODY, TEXT, sizeof TEXT - 1, 0, NULL, lex, NULL, &err) ==
                  FH_OK,
              "%s", err.message);
    CHECK_MSG(fh_doc_add_boolean(doc, id_term, strlen(id_term), &err) == FH_OK, "%s", err.message);
    CHECK_MSG(fh_db_replace(db, id_term, doc, &err) == FH_OK, "%s", err.message);
    fh_doc_free(doc);
}

static uint32_t freq(fh_db *db, const char *term)
{
    fh_error err;
    uint32_t n = 0;
    CHECK_MSG(fh_db_term_freq(db, term, strlen(term), &n, &err) == FH_OK, "%s", err.message);
    return n;
}

/* Without a lexicon the XC term is left out (it only serves to tell names
 * among the lexicon's spellings); every other term is the same. */
static void test_capital_terms_follow_the_lexicon(const char *path)
{
    fh_error err;
    fh_db *db = NULL;
    fh_analyzer *an = NULL;
    fh_lexicon *lex = NULL;
    CHECK_MSG(fh_db_open(path, FH_DB_WRITE, &db, &err) == FH_OK, "%s", err.message);
    CHECK_MSG(fh_analyzer_new(&an, &err) == FH_OK, "%s", err.message);
    CHECK_MSG(fh_lexicon_new(&lex, &err) == FH_OK, "%s", err.message);
    if (db == NULL || an == NULL || lex == NULL)
        goto done;
    put(db, an, "Qnames", lex);
    put(db, an, "Qno-names", NULL);
    CHECK_MSG(fh_db_commit(db, &err) == FH_OK, "%s", err.message);
    CHECK_INT(freq(db, FH_PREFIX_CAPITAL "zuckerberg"), 1);
    CHECK_INT(freq(db, "zuckerberg"), 2);
    CHECK_INT(freq(db, FH_PREFIX_STEM "zuckerberg"), 2);
    CHECK_INT(freq(db, "press"), 2);
done:
    fh_lexicon_free(lex);
    fh_analyzer_free(an);
    fh_db_close(db);
}

/* An id too long for a term, of n bytes. */
static void long_id(char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('a' + i % 26);
    out[n] = '\0';
}

static int same_term(const char *a, const char *b)
{
    fh_buf ta = FH_BUF_INIT, tb = FH_BUF_INIT;
    CHECK(fh_term_id(a, &ta) == FH_OK && fh_term_id(b, &tb) == FH_OK);
    int same = ta.len == tb.len && memcmp(ta.data, tb.data, ta.len) == 0;
    fh_buf_free(&ta);
    fh_buf_free(&tb);
    return same;
}

/* A short id written to read like a long id's hashed term (with or without
 * its marker) names a document of its own. */
static void test_forged_id_gets_its_own_term(void)
{
    char id[301];
    long_id(id, 300);
    fh_buf term = FH_BUF_INIT;
    CHECK(fh_term_id(id, &term) == FH_OK);
    CHECK(term.len <= FH_MAX_TERM_BYTES);
    const char *forged = term.data + strlen(FH_PREFIX_ID); /* the term without its prefix */
    CHECK(!same_term(forged, id));
    while (*forged == FH_ID_HASHED[0])
        forged++;
    CHECK(!same_term(forged, id));
    /* and so does an id that holds the marker byte */
    CHECK(!same_term(term.data, id));
    fh_buf_free(&term);
    /* an id that fits is written as it is */
    CHECK(fh_term_id("a1", &term) == FH_OK);
    CHECK_STR(term.data, FH_PREFIX_ID "a1");
    /* two long ids that share their head differ */
    char other[301];
    long_id(other, 300);
    other[299] = '!';
    CHECK(!same_term(id, other));
    fh_buf_free(&term);
}

/* A document under a long id's former term is that id's only when its
 * stored id says so. */
static void test_legacy_id_terms(const char *path)
{
    char id[301];
    long_id(id, 300);
    char legacy[256];
    snprintf(legacy, sizeof legacy, FH_PREFIX_ID "%.180s#%016llx%016llx", id,
             (unsigned long long)fh_hash64(FH_HASH_SEED, id, 300),
             (unsigned long long)fh_hash64(FH_HASH_SEED, id, 150));
    const char *const stored_ids[] = {id, legacy + 1}; /* its own, a short id's */
    for (int k = 0; k < 2; k++) {
        fh_error err;
        fh_db *db = NULL;
        CHECK_MSG(fh_db_open(path, FH_DB_WRITE, &db, &err) == FH_OK, "%s", err.message);
        if (db == NULL)
            return;
        fh_doc *doc = fh_doc_new();
        CHECK(doc != NULL && fh_doc_add_boolean(doc, legacy, strlen(legacy), &err) == FH_OK);
        CHECK(fh_doc_set_value(doc, FH_SLOT_ID, stored_ids[k], strlen(stored_ids[k]), &err) ==
              FH_OK);
        CHECK_MSG(fh_db_replace(db, legacy, doc, &err) == FH_OK, "%s", err.message);
        fh_doc_free(doc);
        fh_buf term = FH_BUF_INIT;
        int found = -1;
        CHECK_MSG(fh_find_legacy_id(db, id, &term, &found, &err) == FH_OK, "%s", err.message);
        CHECK_INT(found, k == 0);
        if (found)
            CHECK_STR(term.data, legacy);
        CHECK_MSG(fh_find_legacy_id(db, "a1", &term, &found, &err) == FH_OK, "%s", err.message);
        CHECK_INT(found, 0);
        fh_buf_free(&term);
        fh_db_close(db);
    }
}

int main(void)
{
    char dir[] = "/tmp/fihris-test-terms-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/db", dir);
    test_capital_terms_follow_the_lexicon(path);
    test_forged_id_gets_its_own_term();
    snprintf(path, sizeof path, "%s/legacy", dir);
    test_legacy_id_terms(path);
    check_remove_tree(dir);
    return check_result();
}
