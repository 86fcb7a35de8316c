/*
 * fuzz_query.c - libFuzzer target for the whole query path: any bytes are
 * read by the query language (a tree that only points inside the query) and
 * then searched over a small index of Arabic and English documents, names
 * and dates included: analysis, prefix expansion, other spellings, the
 * Xapian query, the fallback, facets, snippets and the spelling suggestion.
 * A query is answered or refused with a one-line message, never a crash, a
 * hang or a leak.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include "fihris/search.h"
#include "fihris/syntax.h"
#include "fihris/writer.h"

static void check_node(const fh_syn_node *n, size_t len, unsigned depth)
{
    if (n == NULL) /* nothing to search for */
        return;
    if (n->a > n->b || n->b > len || depth > 4 * FH_SYNTAX_MAX_DEPTH)
        abort();
    /* leaves have no kids, other nodes some, but for the AND of nothing
     * wanted before exclusions */
    int leaf = n->kind == FH_SYN_WORD || n->kind == FH_SYN_PHRASE || n->kind == FH_SYN_FIELD;
    if ((leaf && n->nkids) || (!leaf && n->nkids == 0 && n->kind != FH_SYN_AND))
        abort();
    for (size_t i = 0; i < n->nkids; i++)
        check_node(n->kids[i], len, depth + 1);
}

static void check_syntax(const uint8_t *data, size_t size)
{
    fh_syntax_tree t;
    fh_error err;
    fh_status st = fh_syntax_read((const char *)data, size, &t, &err);
    if (st != FH_OK) {
        if (st != FH_ERR_INVALID || err.message[0] == '\0' || strchr(err.message, '\n'))
            abort();
        return;
    }
    check_node(t.root, size, 0);
    fh_buf text = FH_BUF_INIT;
    if (fh_syntax_describe(&t, (const char *)data, &text) != FH_OK)
        abort();
    fh_buf_free(&text);
    fh_syntax_free(&t);
}

static const fh_document DOCS[] = {
    {"en1", "Meta hires Andrew Tulloch", "Mark Zuckerberg hired Andrew Tulloch at Meta, "
     "where the superintelligence labs grow. Google and OpenAI watched.", 25, 0,
     NULL, "2025-10-11", "Reuters", "en", NULL, 0, NULL, 0},
    {"ar1", "ميتا تستقطب تولوخ", "أعلن مارك زوكربيرغ أن أندرو تولوخ انضم إلى مختبرات الذكاء "
     "الفائق في ميتا، بعد أن رفض عرض غوغل وجوجل.", 0, 0, NULL, "2024-06", "Aljazeera",
     NULL, NULL, 0, NULL, 0},
};

static char dir[] = "/tmp/fuzz-query-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_index(void)
{
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* The index the queries run over, made once in a temporary directory. */
static fh_searcher *searcher(void)
{
    static fh_searcher *s;
    if (s)
        return s;
    fh_error err;
    fh_writer *w = NULL;
    fh_writer_opts opts = {.batch_docs = 1, .batch_bytes = 1, .names = 1};
    if (mkdtemp(dir) == NULL)
        abort();
    atexit(remove_index);
    if (fh_writer_open(dir, &opts, &w, &err) != FH_OK)
        abort();
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        fh_document d = DOCS[i];
        d.title_len = strlen(d.title);
        d.body_len = strlen(d.body);
        if (fh_writer_put(w, &d, &err) != FH_OK)
            abort();
    }
    if (fh_writer_commit(w, &err) != FH_OK)
        abort();
    fh_writer_close(w);
    if (fh_searcher_open(dir, &s, &err) != FH_OK)
        abort();
    return s;
}

static void check_search(const uint8_t *data, size_t size)
{
    fh_search_request req;
    fh_search_request_init(&req);
    req.query = (const char *)data;
    req.query_len = size;
    req.facets = size % 2;
    req.explain = size % 3 == 0;
    req.sort_by_date = size % 5 == 0;
    fh_search_result r;
    fh_error err;
    fh_status st = fh_search(searcher(), &req, &r, &err);
    if (st != FH_OK) {
        if (st != FH_ERR_INVALID || err.message[0] == '\0' || strchr(err.message, '\n'))
            abort();
        return;
    }
    if (r.nhits > req.count)
        abort();
    fh_search_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_syntax(data, size);
    check_search(data, size);
    return 0;
}
