/* Unit tests for lexicon.c: which words of a text are filed as possible names. */
#include "check.h"
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

    fh_analyzer_free(an);
    return check_result();
}
