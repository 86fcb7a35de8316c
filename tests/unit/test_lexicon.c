/* Unit tests for lexicon.c: which words of a text are filed as possible
 * names, and the names in the other script a prefix begins, against a small
 * database in a temporary directory that is removed at the end. */
#include "check.h"
#include "testfs.h"
#include "fihris/analyze.h"
#include "fihris/lexicon.h"

typedef struct {
    const char *word; /* the normalized form looked for */
    int found;
    int name_like;
} probe;

static int on_token(const fh_token *tok, void *ctx)
{
    probe *p = ctx;
    if (!p->found && strlen(p->word) == tok->form_len &&
        memcmp(p->word, tok->form, tok->form_len) == 0) {
        p->found = 1;
        p->name_like = fh_token_is_name_like(tok);
    }
    return 0;
}

/* Whether word, as analyzed in text, is name-like. */
static void name_like_in(fh_analyzer *an, const char *text, const char *word, int want)
{
    probe p = {word, 0, 0};
    fh_error err;
    CHECK(fh_analyze(an, text, strlen(text), on_token, &p, &err) == FH_OK);
    CHECK_MSG(p.found, "%s not among the words of \"%s\"", word, text);
    CHECK_MSG(p.name_like == want, "%s in \"%s\": name-like %d, expected %d", word, text,
              p.name_like, want);
}

/* The documents of a small archive that writes names in Arabic only. */
static const char *const ARCHIVE[] = {
    "قال زوكربيرغ إن الشركة ستطلق نموذجا جديدا",
    "أعلن زوكربيرغ عن خطة جديدة",
    "التقى زوكربيرج بالمستثمرين",
    "قال زكريا إن السوق مستقرة",
    "قال تولوش إنه انضم إلى الفريق",
};

typedef struct {
    fh_doc *doc;
    fh_lexicon *lex;
    uint32_t pos;
} indexing;

static int index_token(const fh_token *tok, void *ctx)
{
    indexing *x = ctx;
    CHECK_INT(fh_doc_add_posting(x->doc, tok->form, tok->form_len, x->pos++, 1, NULL), FH_OK);
    CHECK_INT(fh_lexicon_note(x->lex, tok), FH_OK);
    return 0;
}

static void build_archive(fh_analyzer *an, const char *path)
{
    fh_db *db = NULL;
    fh_lexicon *lex = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &db, NULL), FH_OK);
    CHECK_INT(fh_lexicon_new(&lex, NULL), FH_OK);
    for (size_t k = 0; db && lex && k < sizeof ARCHIVE / sizeof ARCHIVE[0]; k++) {
        indexing x = {fh_doc_new(), lex, 1};
        CHECK(x.doc != NULL);
        CHECK_INT(fh_analyze(an, ARCHIVE[k], strlen(ARCHIVE[k]), index_token, &x, NULL), FH_OK);
        char id[16];
        snprintf(id, sizeof id, "Q%zu", k);
        CHECK_INT(fh_db_replace(db, id, x.doc, NULL), FH_OK);
        fh_doc_free(x.doc);
    }
    CHECK_INT(fh_lexicon_flush(lex, db, NULL), FH_OK);
    CHECK_INT(fh_db_commit(db, NULL), FH_OK);
    fh_lexicon_free(lex);
    fh_db_close(db);
}

/* The completions of prefix, space-separated, as fh_lexicon_complete gives them. */
static void completes(fh_db *db, const char *prefix, size_t want, const char *expected)
{
    fh_buf out = FH_BUF_INIT, got = FH_BUF_INIT;
    size_t n = 99;
    fh_error err;
    CHECK_INT(fh_lexicon_complete(db, prefix, strlen(prefix), want, &out, &n, &err), FH_OK);
    const char *w = out.data;
    for (size_t i = 0; i < n; i++, w += strlen(w) + 1)
        CHECK(fh_buf_printf(&got, "%s%s", i ? " " : "", w) == FH_OK);
    CHECK_MSG(strcmp(got.data ? got.data : "", expected) == 0,
              "completions of %s: \"%s\", expected \"%s\"", prefix, got.data ? got.data : "",
              expected);
    fh_buf_free(&out);
    fh_buf_free(&got);
}

/* A Latin prefix offers the Arabic spellings of the names it begins, the
 * closest and most frequent first; an Arabic one, no Arabic words. */
static void test_complete(fh_analyzer *an)
{
    char dir[] = "/tmp/fihris-test-lexicon-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        CHECK(0);
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/db", dir);
    build_archive(an, path);
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);
    if (db != NULL) {
        completes(db, "zucker", 10, "زوكربيرغ زوكربيرج");
        completes(db, "zuckerberg", 10, "زوكربيرغ زوكربيرج");
        completes(db, "zucker", 1, "زوكربيرغ");
        completes(db, "tullo", 10, "تولوش");
        completes(db, "zu", 10, "");        /* too short to say */
        completes(db, "zucker", 0, "");
        completes(db, "زوكر", 10, "");     /* no Latin spelling in the archive */
        completes(db, "wxyz", 10, "");
        fh_db_close(db);
    }
    check_remove_tree(dir);
}

/* A database filing, under the key of "bar", "baar", then fillers words
 * that compare with nothing (digits), then "bur": both names held by a
 * document that writes them with a capital. */
static void build_crowded(const char *path, int fillers)
{
    fh_db *db = NULL;
    CHECK_INT(fh_db_open(path, FH_DB_WRITE, &db, NULL), FH_OK);
    const char *names[] = {"baar", "bur"};
    fh_doc *doc = fh_doc_new();
    for (size_t i = 0; i < 2; i++) {
        char capital[16];
        snprintf(capital, sizeof capital, "XC%s", names[i]);
        CHECK_INT(fh_doc_add_posting(doc, names[i], strlen(names[i]), (uint32_t)i + 1, 1, NULL),
                  FH_OK);
        CHECK_INT(fh_doc_add_boolean(doc, capital, strlen(capital), NULL), FH_OK);
        CHECK_INT(fh_db_add_synonym(db, FH_PREFIX_NAMEKEY "BR", names[i], NULL), FH_OK);
    }
    CHECK_INT(fh_db_replace(db, "Qcrowd", doc, NULL), FH_OK);
    fh_doc_free(doc);
    for (int k = 0; k < fillers; k++) {
        char filler[16];
        snprintf(filler, sizeof filler, "bq%04d", k);
        CHECK_INT(fh_db_add_synonym(db, FH_PREFIX_NAMEKEY "BR", filler, NULL), FH_OK);
    }
    CHECK_INT(fh_db_commit(db, NULL), FH_OK);
    fh_db_close(db);
}

/* Whether looking "bar" up finds name. */
static int finds(const char *path, const char *name)
{
    fh_db *db = NULL;
    fh_buf out = FH_BUF_INIT;
    size_t n = 0;
    int filed = 0, strong = 0, found = 0;
    CHECK_INT(fh_db_open(path, FH_DB_READ, &db, NULL), FH_OK);
    CHECK_INT(fh_lexicon_spellings(db, "bar", 3, FH_SCRIPT_LATIN, 0, &out, &n, &filed, &strong,
                                   NULL),
              FH_OK);
    const char *w = out.data;
    for (size_t i = 0; i < n; i++, w += strlen(w) + 1)
        found |= strcmp(w, name) == 0;
    fh_buf_free(&out);
    fh_db_close(db);
    return found;
}

/* A word is compared with FH_LEXICON_COMPARED candidates at most, in the
 * order the lexicon lists them: past them, even a close one goes untried. */
static void test_compared_budget(void)
{
    char dir[] = "/tmp/fihris-test-lexicon-budget-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        CHECK(0);
        return;
    }
    char few[512], many[512];
    snprintf(few, sizeof few, "%s/few", dir);
    snprintf(many, sizeof many, "%s/many", dir);
    build_crowded(few, FH_LEXICON_COMPARED / 4);
    build_crowded(many, FH_LEXICON_COMPARED);
    CHECK(finds(few, "baar") && finds(few, "bur"));
    CHECK(finds(many, "baar"));
    CHECK_MSG(!finds(many, "bur"), "bur found past %d candidates", FH_LEXICON_COMPARED);
    check_remove_tree(dir);
}

int main(void)
{
    fh_analyzer *an = NULL;
    fh_error err;
    if (fh_analyzer_new(&an, &err) != FH_OK) {
        fprintf(stderr, "cannot make an analyzer: %s\n", err.message);
        return 1;
    }
    /* Latin: a capital where no sentence begins. */
    name_like_in(an, "He met Zuckerberg there", "zuckerberg", 1);
    name_like_in(an, "Sources said so", "sources", 0);
    name_like_in(an, "He said. Sources agreed", "sources", 0);
    name_like_in(an, "the google result", "google", 0);
    /* a capital inside the word marks a name even where a sentence begins */
    name_like_in(an, "He said. iPhone sales fell", "iphone", 1);
    name_like_in(an, "YouTube said so", "youtube", 1);
    name_like_in(an, "NASA said so", "nasa", 0);

    /* Arabic: names the stemmer leaves alone, or cuts at a name's ending. */
    name_like_in(an, "قال موراتي", "موراتي", 1);
    name_like_in(an, "قال ماكرون", "ماكرون", 1);
    name_like_in(an, "قال نابليون", "نابليون", 1);
    name_like_in(an, "في أوتاوا", "اوتاوا", 1);
    name_like_in(an, "قال زوكربيرغ", "زوكربيرغ", 1);
    /* three letters with a long vowel, as foreign names write them */
    name_like_in(an, "قال كوك", "كوك", 1);
    name_like_in(an, "شركة آبل", "ابل", 1);
    /* ... not verb and pronoun suffixes, nor bare triliteral roots. */
    name_like_in(an, "ليتوبوا اليوم", "ليتوبوا", 0);
    name_like_in(an, "أمهاتهم هنا", "امهاتهم", 0);
    name_like_in(an, "فدمرناهم تدميرا", "فدمرناهم", 0);
    name_like_in(an, "كتب الدرس", "كتب", 0);
    name_like_in(an, "من هنا", "من", 0);
    /* the stemmer writes a hamza seat as its letter (فائقة, فايق) */
    name_like_in(an, "قالت فائقة", "فائقة", 1);

    test_complete(an);
    test_compared_budget();

    fh_analyzer_free(an);
    return check_result();
}
