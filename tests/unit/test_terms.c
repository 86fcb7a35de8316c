/* Unit tests for terms.c: the terms fh_index_text adds with a name lexicon
 * and without one, read back from a database in a temporary directory. */
#include <stdlib.h>

#include "check.h"
#include "testfs.h"
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
    check_remove_tree(dir);
    return check_result();
}
