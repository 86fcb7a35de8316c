/*
 * output.c - printing search results (see output.h).
 */
#include "fihris/output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/query.h"
#include "fihris/terms.h"

static void print_list(FILE *out, const char *label, char *const *terms, size_t n, size_t skip)
{
    if (n == 0)
        return;
    fprintf(out, "   %s:", label);
    for (size_t i = 0; i < n; i++)
        fprintf(out, " %s", terms[i] + skip);
    fputc('\n', out);
}

/* How a word is searched: "word", "excluded", "prefix", "title" or "exact". */
static const char *word_role(const fh_query_word *w)
{
    if (w->flags & FH_WORD_EXCLUDED)
        return "excluded";
    if (w->flags & FH_WORD_PREFIX)
        return "prefix";
    if (w->flags & FH_WORD_TITLE)
        return "title";
    return w->flags & FH_WORD_EXACT_ONLY ? "exact" : "word";
}

/* Why a word was not searched as a name, in other spellings and scripts
 * (NULL when it was); numbers in buf. */
static const char *not_a_name(const fh_query_word *w, char *buf, size_t size)
{
    switch (w->name) {
    case FH_NAME_YES:
        return NULL;
    case FH_NAME_AS_WRITTEN:
        return "searched as written (=word, phrase or prefix)";
    case FH_NAME_OFF:
        return "names are switched off";
    case FH_NAME_NOT_A_WORD:
        return "a number or a compound";
    case FH_NAME_SHORT:
        return "an Arabic word too short for a name";
    case FH_NAME_SUFFIX:
        return "it ends in an ordinary word's suffix";
    case FH_NAME_LOWER:
        return w->script == FH_SCRIPT_LATIN
                   ? "most documents that hold it write it in lower case"
                   : "the documents that hold it do not write it as a name";
    case FH_NAME_INFLECTED:
        snprintf(buf, size, "an inflected word: its stem is in %u documents, the word in %u",
                 w->name_stem_df, w->name_df);
        return buf;
    case FH_NAME_COMMON:
        snprintf(buf, size,
                 "in %u documents, more than a name usually is, and no Latin spelling "
                 "that sounds the same vouches for it",
                 w->name_df);
        return buf;
    case FH_NAME_LOOSE:
        return "no name in the index reads the same, only loose likenesses";
    case FH_NAME_TIME:
        return "the time for looking up names ran out";
    }
    return NULL;
}

/* The query as read, its words and every form each one searches for. */
static void print_words(FILE *out, const fh_search_result *r)
{
    if (r->query_tree == NULL)
        return;
    if (r->parsed)
        fprintf(out, "read as: %s\n", r->parsed);
    for (size_t i = 0; i < fh_search_result_word_count(r); i++) {
        const fh_query_word *w = &r->words->words[i];
        const char *role = word_role(w);
        fprintf(out, "word %zu: %s%s%s%s\n", i + 1, w->text, strcmp(role, "word") ? " (" : "",
                strcmp(role, "word") ? role : "", strcmp(role, "word") ? ")" : "");
        print_list(out, (w->flags & FH_WORD_PREFIX) ? "begins" : "exact", w->exact, w->nexact, 0);
        print_list(out, "stem", w->stems, w->nstems, strlen(FH_PREFIX_STEM));
        print_list(out, "other spellings", w->spellings, w->nspellings, 0);
        char why[160];
        const char *no = not_a_name(w, why, sizeof why);
        if (no && !(w->flags & FH_WORD_EXCLUDED))
            fprintf(out, "   not a name: %s\n", no);
    }
    fprintf(out, "query: %s\n\n", r->query_tree);
}

static void print_facets(FILE *out, const fh_search_result *r)
{
    if (!r->counted)
        return;
    for (int f = 0; f < FH_FACETS; f++) {
        const fh_facet *facet = &r->facets[f];
        fprintf(out, "%-7s", fh_facet_name((fh_facet_kind)f));
        for (size_t k = 0; k < facet->n; k++)
            fprintf(out, "%s %s (%u)", k ? "," : "", facet->values[k].value,
                    facet->values[k].count);
        fputs(facet->n ? "\n" : " -\n", out);
    }
    fputc('\n', out);
}

static void print_why(FILE *out, const fh_search_result *r, const fh_hit *h)
{
    for (size_t k = 0; k < h->nwhy; k++) {
        const fh_why *y = &h->why[k];
        fprintf(out, "   %s %+.3f  %s: %s\n", k == 0 ? "why" : "   ", y->weight,
                fh_search_result_word(r, y->word), fh_how_name(y->how));
        if (*y->terms)
            fprintf(out, "                %s\n", y->terms);
    }
}

void fh_print_text(FILE *out, const char *query, const fh_search_result *r)
{
    print_words(out, r);
    for (size_t i = 0; i < r->nmissing; i++)
        fprintf(out, "Partial results: shard %s is unavailable.\n", r->missing_shards[i]);
    if (r->notes)
        fprintf(out, "Note: %s.\n", r->notes);
    if (r->suggestion)
        fprintf(out, "Did you mean: %s\n", r->suggestion);
    if (r->time_limited)
        fputs("The time limit cut this search short: the best of the documents examined.\n",
              out);
    if (r->nhits == 0) {
        fprintf(out, "No results for \"%s\".\n", query);
        return;
    }
    if (r->matched_any)
        fputs("No document contains every word; showing documents with any of them.\n", out);
    fprintf(out, "%s%u result%s (%.1f ms)\n\n", r->exact_total ? "" : "about ", r->estimated,
            r->estimated == 1 ? "" : "s", r->elapsed_ms);
    print_facets(out, r);
    for (size_t i = 0; i < r->nhits; i++) {
        const fh_hit *h = &r->hits[i];
        fprintf(out, "%u. %s  [%.3f]\n", h->rank, *h->title_marked ? h->title_marked : h->id,
                h->score);
        fprintf(out, "   %s", h->id);
        if (h->date)
            fprintf(out, "  %s", h->date);
        if (h->source)
            fprintf(out, "  %s", h->source);
        fputc('\n', out);
        if (*h->snippet)
            fprintf(out, "   %s\n", h->snippet);
        print_why(out, r, h);
        fputc('\n', out);
    }
}

static int set_optional(json_t *obj, const char *key, const char *value)
{
    return json_object_set_new(obj, key, value ? json_string(value) : json_null());
}

static json_t *string_array(char *const *terms, size_t n, size_t skip)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(terms[i] + skip)) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *words_json(const fh_search_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < fh_search_result_word_count(r); i++) {
        const fh_query_word *w = &r->words->words[i];
        json_t *o = json_pack("{s:s, s:s, s:o*, s:o*, s:o*}", "word", w->text,
                              "role", word_role(w),
                              "exact", string_array(w->exact, w->nexact, 0),
                              "stems", string_array(w->stems, w->nstems, strlen(FH_PREFIX_STEM)),
                              "spellings", string_array(w->spellings, w->nspellings, 0));
        char why[160];
        const char *no = not_a_name(w, why, sizeof why);
        if (o && json_object_set_new(o, "not_a_name", no ? json_string(no) : json_null()) != 0) {
            json_decref(o);
            o = NULL;
        }
        if (o == NULL || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *why_json(const fh_search_result *r, const fh_hit *h)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < h->nwhy; k++) {
        const fh_why *y = &h->why[k];
        json_t *o = json_pack("{s:s, s:s, s:s, s:f}", "word", fh_search_result_word(r, y->word),
                              "how", fh_how_name(y->how), "terms", y->terms, "weight", y->weight);
        if (o == NULL || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *hit_json(const fh_search_result *r, const fh_hit *h)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int bad = json_object_set_new(o, "rank", json_integer(h->rank)) ||
              json_object_set_new(o, "id", json_string(h->id)) ||
              json_object_set_new(o, "title", json_string(h->title)) ||
              json_object_set_new(o, "title_marked", json_string(h->title_marked)) ||
              json_object_set_new(o, "score", json_real(h->score)) ||
              json_object_set_new(o, "snippet", json_string(h->snippet)) ||
              set_optional(o, "url", h->url) || set_optional(o, "date", h->date) ||
              set_optional(o, "source", h->source) || set_optional(o, "lang", h->lang) ||
              (r->query_tree && json_object_set_new(o, "why", why_json(r, h)));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"source": [{"value", "count"}...], "lang": [...], "year": [...]}, most frequent first. */
static json_t *facets_json(const fh_search_result *r)
{
    json_t *o = json_object();
    for (int f = 0; o && f < FH_FACETS; f++) {
        json_t *a = json_array();
        for (size_t k = 0; a && k < r->facets[f].n; k++) {
            const fh_facet_value *v = &r->facets[f].values[k];
            if (json_array_append_new(a, json_pack("{s:s, s:I}", "value", v->value, "count",
                                                   (json_int_t)v->count)) != 0) {
                json_decref(a);
                a = NULL;
            }
        }
        if (a == NULL || json_object_set_new(o, fh_facet_name((fh_facet_kind)f), a) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

static json_t *missing_json(const fh_search_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nmissing; i++)
        if (json_array_append_new(a, json_string(r->missing_shards[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* A new object, {"line": line_no} when line_no > 0 (first, for the eye),
 * else empty. */
static json_t *object_of_line(long line_no)
{
    json_t *o = json_object();
    if (o && line_no > 0 && json_object_set_new(o, "line", json_integer(line_no)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *result_json(const char *query, const fh_search_result *r, long line_no)
{
    json_t *o = object_of_line(line_no), *hits = json_array();
    int bad = o == NULL || hits == NULL;
    for (size_t i = 0; i < r->nhits && !bad; i++)
        bad = json_array_append_new(hits, hit_json(r, &r->hits[i])) != 0;
    if (!bad)
        bad = json_object_set_new(o, "query", json_string(query)) ||
              json_object_set_new(o, "total", json_integer(r->estimated)) ||
              json_object_set_new(o, "total_exact", json_boolean(r->exact_total)) ||
              (r->time_limited && json_object_set_new(o, "time_limited", json_true())) ||
              (r->prefix_kept < r->prefix_words &&
               json_object_set_new(o, "prefixes_limited", json_true())) ||
              json_object_set_new(o, "elapsed_ms", json_real(r->elapsed_ms)) ||
              json_object_set_new(o, "fallback",
                                  r->matched_any ? json_string("any-word") : json_null()) ||
              set_optional(o, "notes", r->notes) ||
              (r->nmissing && json_object_set_new(o, "missing_shards", missing_json(r))) ||
              set_optional(o, "suggestion", r->suggestion) ||
              (r->counted && json_object_set_new(o, "facets", facets_json(r))) ||
              json_object_set(o, "hits", hits) ||
              (r->parsed && json_object_set_new(o, "parsed", json_string(r->parsed))) ||
              (r->query_tree && (json_object_set_new(o, "query_tree", json_string(r->query_tree)) ||
                                 json_object_set_new(o, "words", words_json(r))));
    json_decref(hits);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The text of o (taken), indented or on one line. */
static fh_status dump(json_t *o, int pretty, char **out, fh_error *err)
{
    *out = NULL;
    if (o == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "cannot build the JSON result");
    size_t flags = pretty ? JSON_INDENT(2) : JSON_COMPACT;
    *out = json_dumps(o, flags | JSON_REAL_PRECISION(6));
    json_decref(o);
    return *out ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "cannot write the JSON result");
}

/* o (taken) and a line break. */
static fh_status print_object(FILE *out, json_t *o, int pretty, fh_error *err)
{
    char *text = NULL;
    fh_status st = dump(o, pretty, &text, err);
    if (st == FH_OK && (fputs(text, out) == EOF || fputc('\n', out) == EOF))
        st = fh_error_set(err, FH_ERR_IO, "cannot write the JSON result");
    free(text);
    return st;
}

fh_status fh_result_json(const char *query, const fh_search_result *r, int pretty, char **out,
                         fh_error *err)
{
    return dump(result_json(query, r, 0), pretty, out, err);
}

fh_status fh_print_json(FILE *out, const char *query, const fh_search_result *r, int pretty,
                        fh_error *err)
{
    return print_object(out, result_json(query, r, 0), pretty, err);
}

fh_status fh_print_json_line(FILE *out, long line_no, const char *query,
                             const fh_search_result *r, fh_error *err)
{
    return print_object(out, result_json(query, r, line_no), 0, err);
}

fh_status fh_print_json_error(FILE *out, long line_no, const char *query, const char *message,
                              fh_error *err)
{
    json_t *o = object_of_line(line_no);
    if (o && (json_object_set_new(o, "query", json_string(query)) ||
              json_object_set_new(o, "error", json_string(message)))) {
        json_decref(o);
        o = NULL;
    }
    return print_object(out, o, line_no <= 0, err);
}

fh_status fh_print_json_count(FILE *out, long line_no, const char *query,
                              const fh_search_result *r, fh_error *err)
{
    json_t *o = object_of_line(line_no);
    if (o && (json_object_set_new(o, "query", json_string(query)) ||
              json_object_set_new(o, "count", json_integer(r->estimated)) ||
              json_object_set_new(o, "exact", json_boolean(r->exact_total)) ||
              set_optional(o, "notes", r->notes) ||
              (r->nmissing && json_object_set_new(o, "missing_shards", missing_json(r))))) {
        json_decref(o);
        o = NULL;
    }
    return print_object(out, o, line_no <= 0, err);
}

void fh_print_ids(FILE *out, const fh_search_result *r, long line_no)
{
    for (size_t i = 0; i < r->nhits; i++) {
        if (line_no > 0)
            fprintf(out, "%ld\t%s\n", line_no, r->hits[i].id);
        else
            fprintf(out, "%s\n", r->hits[i].id);
    }
}

/* A field of a TSV row: tab, line feed, carriage return and backslash
 * written as the two characters \t, \n, \r and \\, so that a row stays one
 * line of columns; an absent field is empty. */
static void put_tsv_field(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        const char *escaped = *s == '\t'   ? "\\t"
                              : *s == '\n' ? "\\n"
                              : *s == '\r' ? "\\r"
                              : *s == '\\' ? "\\\\"
                                            : NULL;
        if (escaped)
            fputs(escaped, out);
        else
            fputc(*s, out);
    }
}

void fh_print_tsv_header(FILE *out, int batch, int count_only)
{
    fputs(batch ? "line\t" : "", out);
    fputs(count_only ? "count\n" : "id\tscore\ttitle\tdate\tsource\n", out);
}

void fh_print_tsv(FILE *out, const fh_search_result *r, long line_no)
{
    for (size_t i = 0; i < r->nhits; i++) {
        const fh_hit *h = &r->hits[i];
        if (line_no > 0)
            fprintf(out, "%ld\t", line_no);
        put_tsv_field(out, h->id);
        fprintf(out, "\t%.6g\t", h->score);
        put_tsv_field(out, h->title);
        fputc('\t', out);
        put_tsv_field(out, h->date);
        fputc('\t', out);
        put_tsv_field(out, h->source);
        fputc('\n', out);
    }
}
