/*
 * stem.c - Snowball stemming with Fihris's Arabic proclitic rules (see stem.h).
 *
 * Arabic letters are all two bytes in UTF-8 (U+0600..U+06FF), so the prefix
 * rules below work on bytes and count letters as byte pairs; a word holding
 * anything else is passed to Snowball untouched.
 */
#include "fihris/stem.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fihris/hash.h"

/* Word frequencies are Zipfian, so a small memo of recent stems spares most
 * Snowball calls (which otherwise cost a third of the analysis).  It is
 * emptied when full rather than managed as an LRU: simpler and as good. */
enum { CACHE_SLOTS = 1 << 16, CACHE_MAX_USED = CACHE_SLOTS * 3 / 4 };

typedef struct {
    uint64_t hash; /* 0: empty */
    uint32_t key_off, key_len, stem_off, stem_len;
} cache_slot;

typedef struct {
    cache_slot *slots;
    size_t used;
    fh_buf arena; /* keys and stems */
} stem_cache;

struct fh_stemmer {
    struct sb_stemmer *arabic;
    struct sb_stemmer *english;
    fh_buf work;
    stem_cache cache;
};

#define AR_ALEF "\xD8\xA7"
#define AR_LAM "\xD9\x84"
#define AR_WAW "\xD9\x88"
#define AR_YEH "\xD9\x8A"
#define AR_HEH "\xD9\x87"
#define AR_TEH_MARBUTA "\xD8\xA9"
#define AR_ARTICLE AR_ALEF AR_LAM

/* Proclitic clusters that contain the article, longest first. */
static const char *const article_prefixes[] = {
    "\xD9\x88\xD8\xA8\xD8\xA7\xD9\x84", /* وبال */
    "\xD9\x88\xD9\x83\xD8\xA7\xD9\x84", /* وكال */
    "\xD9\x81\xD8\xA8\xD8\xA7\xD9\x84", /* فبال */
    "\xD9\x81\xD9\x83\xD8\xA7\xD9\x84", /* فكال */
    "\xD9\x88\xD8\xA7\xD9\x84",         /* وال */
    "\xD9\x81\xD8\xA7\xD9\x84",         /* فال */
    "\xD8\xA8\xD8\xA7\xD9\x84",         /* بال */
    "\xD9\x83\xD8\xA7\xD9\x84",         /* كال */
    "\xD9\x88\xD9\x84\xD9\x84",         /* ولل */
    "\xD9\x81\xD9\x84\xD9\x84",         /* فلل */
    "\xD9\x84\xD9\x84",                 /* لل */
    "\xD8\xA7\xD9\x84",                 /* ال */
};

enum { MIN_AFTER_ARTICLE = 3, MIN_AFTER_WAW = 4, MIN_AFTER_WAW_ALEF = 6, MIN_SNOWBALL = 4,
       MIN_STEM = 3 };

fh_status fh_stemmer_new(fh_stemmer **out, fh_error *err)
{
    fh_stemmer *s = calloc(1, sizeof *s);
    if (s == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    s->cache.slots = calloc(CACHE_SLOTS, sizeof *s->cache.slots);
    s->arabic = sb_stemmer_new("arabic", "UTF_8");
    s->english = sb_stemmer_new("english", "UTF_8");
    if (s->cache.slots == NULL) {
        fh_stemmer_free(s);
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    }
    if (s->arabic == NULL || s->english == NULL) {
        fh_stemmer_free(s);
        return fh_error_set(err, FH_ERR_INTERNAL, "libstemmer lacks the arabic or english stemmer");
    }
    *out = s;
    return FH_OK;
}

void fh_stemmer_free(fh_stemmer *s)
{
    if (s == NULL)
        return;
    free(s->cache.slots);
    fh_buf_free(&s->cache.arena);
    if (s->arabic)
        sb_stemmer_delete(s->arabic);
    if (s->english)
        sb_stemmer_delete(s->english);
    fh_buf_free(&s->work);
    free(s);
}

static int all_arabic_letters(const char *w, size_t len)
{
    if (len % 2)
        return 0;
    for (size_t i = 0; i < len; i += 2) {
        unsigned char a = (unsigned char)w[i];
        if (a < 0xD8 || a > 0xDB)
            return 0;
    }
    return 1;
}

static int starts_with(const char *w, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(w, prefix, n) == 0;
}

/* Byte length of the proclitics to strip from w (len bytes, 2 per letter). */
static size_t proclitic_length(const char *w, size_t len)
{
    for (size_t i = 0; i < sizeof article_prefixes / sizeof article_prefixes[0]; i++) {
        size_t n = strlen(article_prefixes[i]);
        if (starts_with(w, len, article_prefixes[i]) && (len - n) / 2 >= MIN_AFTER_ARTICLE)
            return n;
    }
    if (starts_with(w, len, AR_WAW)) {
        size_t rest = (len - 2) / 2;
        int before_alef = starts_with(w + 2, len - 2, AR_ALEF);
        if (rest >= (before_alef ? MIN_AFTER_WAW_ALEF : MIN_AFTER_WAW))
            return 2;
    }
    return 0;
}

static int ends_with(const fh_buf *b, const char *suffix)
{
    return b->len >= 2 && memcmp(b->data + b->len - 2, suffix, 2) == 0;
}

/* A final ه after a consonant is usually a ta marbuta written without dots
 * (الصفقه); after a long vowel it belongs to the root (مياه, اتجاه). */
static void heh_as_teh_marbuta(fh_buf *w)
{
    if (w->len < 8 || !ends_with(w, AR_HEH))
        return;
    const char *prev = w->data + w->len - 4;
    if (memcmp(prev, AR_ALEF, 2) == 0 || memcmp(prev, AR_WAW, 2) == 0 ||
        memcmp(prev, AR_YEH, 2) == 0)
        return;
    memcpy(w->data + w->len - 2, AR_TEH_MARBUTA, 2);
}

static void teh_marbuta_as_heh(fh_buf *w)
{
    if (ends_with(w, AR_TEH_MARBUTA))
        memcpy(w->data + w->len - 2, AR_HEH, 2);
}

/* Snowball on "ال" + w, read back without the article. */
static fh_status snowball_as_definite_noun(fh_stemmer *s, fh_buf *w)
{
    fh_buf *in = &s->work;
    fh_buf_reset(in);
    if (fh_buf_append_str(in, AR_ARTICLE) != FH_OK || fh_buf_append(in, w->data, w->len) != FH_OK)
        return FH_ERR_NOMEM;
    const sb_symbol *r = sb_stemmer_stem(s->arabic, (const sb_symbol *)in->data, (int)in->len);
    if (r == NULL)
        return FH_ERR_NOMEM;
    size_t n = (size_t)sb_stemmer_length(s->arabic);
    const char *stem = (const char *)r;
    /* Snowball drops the article only while more than four letters remain;
     * the remainder never starts with one (see fh_stem_arabic). */
    if (n >= 4 && memcmp(stem, AR_ARTICLE, 4) == 0) {
        stem += 4;
        n -= 4;
    }
    if (n / 2 < MIN_STEM)
        return FH_OK;
    fh_buf_reset(w);
    return fh_buf_append(w, stem, n);
}

static fh_status stem_arabic(fh_stemmer *s, const char *word, size_t len, fh_buf *out)
{
    fh_buf_reset(out);
    if (!all_arabic_letters(word, len))
        return fh_buf_append(out, word, len);
    size_t skip = proclitic_length(word, len);
    if (fh_buf_append(out, word + skip, len - skip) != FH_OK)
        return FH_ERR_NOMEM;
    /* Short words and words still carrying an article the guards kept
     * (الذي, الله) are not suffixed forms worth guessing at. */
    if (out->len / 2 >= MIN_SNOWBALL && !starts_with(out->data, out->len, AR_ARTICLE)) {
        heh_as_teh_marbuta(out);
        if (snowball_as_definite_noun(s, out) != FH_OK)
            return FH_ERR_NOMEM;
    }
    teh_marbuta_as_heh(out);
    return FH_OK;
}

static fh_status stem_english(fh_stemmer *s, const char *word, size_t len, fh_buf *out)
{
    fh_buf_reset(out);
    const sb_symbol *r = sb_stemmer_stem(s->english, (const sb_symbol *)word, (int)len);
    if (r == NULL)
        return FH_ERR_NOMEM;
    return fh_buf_append(out, r, (size_t)sb_stemmer_length(s->english));
}

/* ---- the memo ---- */

static uint64_t hash_word(char lang, const char *w, size_t len)
{
    uint64_t h = fh_hash64(fh_hash64(FH_HASH_SEED, &lang, 1), w, len);
    return h ? h : 1; /* 0 marks an empty slot */
}

static void cache_clear(stem_cache *c)
{
    memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
    c->used = 0;
    fh_buf_reset(&c->arena);
}

/* The slot holding (lang, word), or the empty slot where it belongs. */
static cache_slot *cache_find(stem_cache *c, uint64_t h, const char *w, size_t len)
{
    size_t i = (size_t)h & (CACHE_SLOTS - 1);
    for (;; i = (i + 1) & (CACHE_SLOTS - 1)) {
        cache_slot *slot = &c->slots[i];
        if (slot->hash == 0)
            return slot;
        if (slot->hash == h && slot->key_len == len &&
            memcmp(c->arena.data + slot->key_off, w, len) == 0)
            return slot;
    }
}

static void cache_store(stem_cache *c, cache_slot *slot, uint64_t h, const char *w, size_t len,
                        const fh_buf *stem)
{
    size_t off = c->arena.len;
    if (off + len + stem->len > UINT32_MAX ||
        fh_buf_append(&c->arena, w, len) != FH_OK ||
        fh_buf_append(&c->arena, stem->data, stem->len) != FH_OK)
        return; /* the memo is an optimization: not storing is fine */
    *slot = (cache_slot){h, (uint32_t)off, (uint32_t)len, (uint32_t)(off + len),
                         (uint32_t)stem->len};
    c->used++;
}

typedef fh_status (*stem_fn)(fh_stemmer *, const char *, size_t, fh_buf *);

static fh_status stem_cached(fh_stemmer *s, char lang, stem_fn fn, const char *word, size_t len,
                             fh_buf *out)
{
    stem_cache *c = &s->cache;
    if (c->used >= CACHE_MAX_USED)
        cache_clear(c);
    uint64_t h = hash_word(lang, word, len);
    cache_slot *slot = cache_find(c, h, word, len);
    if (slot->hash != 0) {
        fh_buf_reset(out);
        return fh_buf_append(out, c->arena.data + slot->stem_off, slot->stem_len);
    }
    fh_status st = fn(s, word, len, out);
    if (st == FH_OK)
        cache_store(c, slot, h, word, len, out);
    return st;
}

fh_status fh_stem_arabic(fh_stemmer *s, const char *word, size_t len, fh_buf *out)
{
    return stem_cached(s, 'a', stem_arabic, word, len, out);
}

fh_status fh_stem_english(fh_stemmer *s, const char *word, size_t len, fh_buf *out)
{
    return stem_cached(s, 'e', stem_english, word, len, out);
}
