/*
 * fuzz_query.c - libFuzzer target for reading queries: any bytes are read
 * or refused with a message, never a crash, a hang or a leak, and a read
 * tree only points inside the query.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/syntax.h"

static void check_node(const fh_syn_node *n, size_t len, unsigned depth)
{
    if (n->a > n->b || n->b > len || depth > 4 * FH_SYNTAX_MAX_DEPTH)
        abort();
    if ((n->kind == FH_SYN_WORD || n->kind == FH_SYN_PHRASE || n->kind == FH_SYN_FIELD) !=
        (n->nkids == 0))
        abort();
    for (size_t i = 0; i < n->nkids; i++)
        check_node(n->kids[i], len, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fh_syntax_tree t;
    fh_error err;
    fh_status st = fh_syntax_read((const char *)data, size, &t, &err);
    if (st != FH_OK) {
        if (st != FH_ERR_INVALID || err.message[0] == '\0' || strchr(err.message, '\n'))
            abort();
        return 0;
    }
    check_node(t.root, size, 0);
    fh_buf text = FH_BUF_INIT;
    if (fh_syntax_describe(&t, (const char *)data, &text) != FH_OK)
        abort();
    fh_buf_free(&text);
    fh_syntax_free(&t);
    return 0;
}
