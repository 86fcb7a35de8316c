/*
 * namekey.c - cross-script name keys and the spelling distance that checks
 * their candidates (see namekey.h).
 *
 * A word is first read into "sounds": each a set of possible consonant
 * classes (a bit mask), or a vowel (mask 0).  Keys are the consonant
 * sequences one reading of each sound gives; the distance is an edit
 * distance over the sounds.
 */
#include "fihris/namekey.h"

#include <string.h>

#include "fihris/utf8.h"

enum { MAX_SOUNDS = 48 };

/* The consonant classes, one bit each, in the order of this string, and
 * the letter each class has in keys: keys only find candidates, so the
 * classes that spellings confuse (s z sh; b p f) share one. */
static const char CLASS_LETTERS[] = "BFTDZSXKHLMNR";
static const char KEY_LETTERS[] = "BBTDSSSKHLMNR";
enum { B = 1 << 0, F = 1 << 1, T = 1 << 2, D = 1 << 3, Z = 1 << 4, S = 1 << 5, X = 1 << 6,
       K = 1 << 7, H = 1 << 8, L = 1 << 9, M = 1 << 10, N = 1 << 11, R = 1 << 12,
       AIN = 1 << 18, /* ع ء between two Arabic spellings: a letter, not a vowel */
       /* between two Arabic spellings, the g letters (غ ج ق ك) and the k
        * letters (ك ق, and ش خ for a Latin ch) are two overlapping sets:
        * تولوش meets تولوك, غوغل meets جوجل, but ش never meets ج */
       AG = 1 << 20, AQ = 1 << 21,
       CLASSES = ((1 << 13) - 1) | AIN | AG | AQ,
       OPTIONAL = 1 << 13, /* may be left out, or read as the vowel also in the mask */
       /* vowels, by the letter Arabic writes them with: ا, ي, و */
       VA = 1 << 14, VI = 1 << 15, VU = 1 << 16, VOWELS = VA | VI | VU,
       SILENT = 1 << 17, /* a final Latin e (Google, Scale): often not heard */
       FREE = 1 << 19, /* the t a Latin z may be read with (Mozart: موتسارت) */
       /* between Latin and Arabic, a g or j is written غ or ج, a k, c or q
        * ك or ق: the other pair is a little further (Wang is وانغ before
        * وانك, "and that you") */
       LG = 1 << 22, LK = 1 << 23,
       UNHEARD = 1 << 24, /* a final Latin e: writing it costs as much as not */
       GLOTTAL = 1 << 25, /* ع ء read as a Latin vowel (Ali: علي): not for nothing */
       LONG = 1 << 26,    /* a Latin vowel of two letters (ou, ee, aa): an Arabic
                           * name writes it (Mahmoud: محمود, not محمد) */
       FINAL_H = 1 << 27  /* a final Latin h after a vowel: an Arabic name's ة
                           * (Jeddah: جدة, Haniyeh: هنية) */ };

static int is_vowel(unsigned m)
{
    return (m & CLASSES) == 0;
}

typedef struct {
    unsigned mask[MAX_SOUNDS];
    size_t n;
    int ok; /* 0: the word cannot be read as a name (digits, other letters) */
} sounds;

static void push(sounds *s, unsigned mask)
{
    if (s->n < MAX_SOUNDS)
        s->mask[s->n++] = mask;
    else
        s->ok = 0;
}

/* ---- reading Latin ---- */

typedef struct {
    const char *text;
    unsigned mask;
} digraph;

/* Longest first: "tzsch" before "sch" before "sh" before "s". */
static const digraph LATIN_GROUPS[] = {
    {"tzsch", X}, {"tsch", X},  {"sch", X},    {"tch", X}, {"ch", K | X}, {"sh", X},
    {"th", T | Z}, {"ph", F},   {"pf", F},     {"wh", VU}, {"gh", K | LG}, {"kh", K},
    {"ck", K | LK}, {"dh", D | Z}, {"zh", Z | X}, {"qu", K | LK},
};

static unsigned latin_letter(char c, char next)
{
    switch (c) {
    case 'b': case 'p': return B;
    case 'f': return F;
    case 'v': return F | OPTIONAL | VU; /* Nvidia: انفيديا, Vodafone: ودافون */
    case 't': return T;
    case 'd': return D;
    case 'z': return Z | S;
    case 's': return S | Z; /* Disney, Reuters: ديزني, رويترز */
    case 'c': return next == 'e' || next == 'i' || next == 'y' ? S : K | LK;
    case 'k': case 'q': return K | LK;
    case 'g': case 'j': return K | LG;
    case 'h': return H;
    case 'l': return L;
    case 'm': return M;
    case 'n': return N;
    case 'r': return R;
    case 'a': return VA | VI; /* Wang: وانغ, Scale: سكيل */
    case 'e': case 'i': case 'y': return VI;
    case 'o': case 'w': return VU;
    case 'u': return VU | VA;
    default: return 0xFFFF;
    }
}

static int latin_is_vowel(char c)
{
    return c != 0 && strchr("aeiouy", c) != NULL;
}

/* A letter as Arabic spellings read it in its place in the word. */
static void push_latin_letter(const char *w, size_t i, size_t len, sounds *s)
{
    const char c = w[i], prev = i > 0 ? w[i - 1] : 0, next = i + 1 < len ? w[i + 1] : 0;
    unsigned m = latin_letter(c, next);
    if (c == 'x' && i == 0) {
        push(s, X | S | Z); /* Xiaomi: شاومي, Xerox: زيروكس */
        return;
    }
    if (c == 'x') {
        push(s, K);
        push(s, S);
        return;
    }
    /* German w between a consonant and a vowel is a v (Volkswagen: فولكسفاغن) */
    if (c == 'w' && i > 0 && !latin_is_vowel(prev) && latin_is_vowel(next))
        m = F | OPTIONAL | VU;
    /* German st, sp are scht, schp (Einstein: أينشتاين, Stuttgart: شتوتغارت) */
    if (c == 's' && (next == 't' || next == 'p'))
        m |= X;
    /* a z inside a word may be read ts (Mozart: موتسارت, Scholz: شولتس) */
    if (c == 'z' && i > 0 && prev != 't')
        push(s, T | OPTIONAL | FREE);
    /* silent in Arabic spellings: the g of -ng (Beijing: بكين), an h not
     * before a vowel (Johnson: جونسون), the p of -mps- (Thompson: طومسون) */
    if (c == 'h' && next == 0 && latin_is_vowel(prev))
        m |= FINAL_H;
    if ((c == 'g' && prev == 'n') || (c == 'h' && i > 0 && !latin_is_vowel(next)) ||
        (c == 'p' && prev == 'm' && next != 0 && !latin_is_vowel(next)))
        m |= OPTIONAL;
    /* a final e is often not heard, or written as a final ه (Nietzsche: نيتشه);
     * the e of a last syllable -en -el -er is not written (Biden: بايدن,
     * Intel: إنتل, Uber: أوبر) */
    if (c == 'e' && next == 0 && s->n > 0 && !is_vowel(s->mask[s->n - 1]))
        m |= SILENT | VA | UNHEARD;
    if (c == 'e' && i + 2 == len && i > 0 && !latin_is_vowel(prev) && strchr("lnr", next))
        m |= SILENT;
    /* ... and so may the i of -in (Kevin: كيفن, Martin: مارتن) */
    if (c == 'i' && i + 2 == len && i > 0 && !latin_is_vowel(prev) && next == 'n')
        m |= SILENT;
    /* French leaves a final t after a vowel unheard (Peugeot: بيجو,
     * Chevrolet: شيفروليه), and Arabic the plural s of -es (Philippines:
     * الفلبين, Athens: أثينا) */
    if (next == 0 && ((c == 't' && (prev == 'o' || prev == 'e')) ||
                      (c == 's' && prev == 'e' && len >= 6)))
        m |= OPTIONAL;
    push(s, m);
}

static size_t latin_group(const char *w, size_t i, size_t len)
{
    size_t k;
    for (k = 0; k < sizeof LATIN_GROUPS / sizeof LATIN_GROUPS[0]; k++) {
        size_t n = strlen(LATIN_GROUPS[k].text);
        if (i + n <= len && memcmp(w + i, LATIN_GROUPS[k].text, n) == 0)
            return k;
    }
    return k;
}

/* Latin vowels with diacritics, as two-byte UTF-8 (U+00C0..U+00FF). */
static int latin_accented(const unsigned char *p, size_t left, unsigned *mask)
{
    if (left < 2 || p[0] != 0xC3)
        return 0;
    unsigned cp = 0xC0 + (p[1] & 0x3F);
    *mask = cp == 0xE7 ? S : cp == 0xF1 ? N : VOWELS; /* ç ñ, the rest are vowels */
    return cp >= 0xE0 && cp != 0xF7; /* lower case letters only (text is case folded) */
}

static void read_latin(const char *w, size_t len, sounds *s)
{
    const size_t ngroups = sizeof LATIN_GROUPS / sizeof LATIN_GROUPS[0];
    size_t i = 0;
    while (i < len && s->ok) {
        const unsigned char c = (unsigned char)w[i];
        size_t k = latin_group(w, i, len);
        if (k < ngroups) {
            unsigned m = LATIN_GROUPS[k].mask;
            i += strlen(LATIN_GROUPS[k].text);
            /* a final gh is not heard (Edinburgh: إدنبرة) */
            push(s, strcmp(LATIN_GROUPS[k].text, "gh") == 0 && i == len ? K | OPTIONAL : m);
        } else if (c >= 'a' && c <= 'z') {
            if (c != 'x' && latin_letter((char)c, 0) == 0xFFFF) {
                s->ok = 0;
                return;
            }
            /* a doubled letter is one sound (Pizza: بيتزا) */
            if (i == 0 || w[i - 1] != (char)c || latin_is_vowel((char)c))
                push_latin_letter(w, i, len, s);
            i++;
        } else {
            unsigned mask;
            if (!latin_accented((const unsigned char *)w + i, len - i, &mask)) {
                s->ok = 0;
                return;
            }
            push(s, mask);
            i += 2;
        }
    }
}

/* ---- reading Arabic ---- */

static unsigned arabic_letter(unsigned cp)
{
    switch (cp) {
    case 0x0628: case 0x067E: return B;                  /* ب پ */
    case 0x0641: case 0x06A4: return F;                  /* ف ڤ */
    case 0x062A: case 0x0637: return T;                  /* ت ط */
    case 0x062B: return T | S;                           /* ث */
    case 0x062F: return D;                               /* د */
    case 0x0636: return D | Z;                           /* ض */
    case 0x0632: return Z;                               /* ز */
    case 0x0630: case 0x0638: return Z | D;              /* ذ ظ */
    case 0x0633: case 0x0635: return S;                  /* س ص */
    case 0x0634: return X | K;                           /* ش: sh, or a Latin ch */
    case 0x0686: case 0x0698: return X;                  /* چ ژ */
    case 0x062E: return K | X;                           /* خ: kh, or a Latin ch */
    case 0x0643: case 0x0642: return K | LK;          /* ك ق */
    case 0x063A: case 0x062C: case 0x06AF: return K | LG; /* غ ج گ */
    case 0x062D: case 0x0647: return H;                  /* ح ه */
    case 0x0644: return L;
    case 0x0645: return M;
    case 0x0646: return N;
    case 0x0631: return R;
    case 0x0627: case 0x0629: return VA;                 /* ا ة */
    case 0x064A: case 0x0649: return VI;                 /* ي ى */
    case 0x0648: return VU;                              /* و */
    case 0x0621: case 0x0626: case 0x0624: case 0x0639:
        return VOWELS | GLOTTAL;                         /* ء ئ ؤ ع: any vowel */
    default: return 0xFFFF;                              /* not a letter of names */
    }
}

/* The letters two Arabic spellings of one name swap, beyond the classes. */
static unsigned strict_arabic_letter(unsigned cp, unsigned mask)
{
    switch (cp) {
    case 0x0639: case 0x0621: return AIN;               /* ع ء */
    case 0x062C: case 0x063A: case 0x06AF: return AG;   /* ج غ گ */
    case 0x0642: return AG | AQ;                        /* ق */
    case 0x0643: return K | AG | AQ;                    /* ك */
    case 0x062B: return T | S | Z;                      /* ث: ذ س ت (سوثبيز, سوذبيز) */
    case 0x0630: return Z | D | T;                      /* ذ */
    case 0x0636: return D;                              /* ض: not ث (بعضكم, بعثكم) */
    case 0x0633: case 0x0632: return S | Z;             /* س ز (بيزوس, بيزوز) */
    default: return mask;
    }
}

/* How an Arabic word is read: as a foreign name (its long vowels are the
 * name's vowels), against another Arabic spelling (strict: ع and ء are
 * letters written on purpose, they stand for vowels only against Latin), or
 * as an Arabic name against a Latin spelling (a final ي may be an a: منى,
 * Mona, the analyzer writes ى as ي). */
enum { READ_FOREIGN, READ_STRICT, READ_ARABIC_NAME };

static void read_arabic(const char *w, size_t len, int how, sounds *s)
{
    const int strict = how == READ_STRICT;
    size_t i = 0;
    unsigned prev = 0;
    while (i < len && s->ok) {
        uint32_t cp;
        i += fh_utf8_decode((const unsigned char *)w + i, len - i, &cp);
        unsigned mask = arabic_letter(cp);
        if (strict)
            mask = strict_arabic_letter(cp, mask);
        if (mask == 0xFFFF) {
            s->ok = 0;
            return;
        }
        if (cp == 0x0634 && prev == 0x062A && s->n > 0) {
            s->mask[s->n - 1] = X; /* تش writes one sound: ch */
        } else if (cp == 0x0647 && i == len) {
            push(s, VA);           /* a final ه is the feminine ending */
        } else if (cp == 0x064A && i == len && how == READ_ARABIC_NAME && s->n > 0) {
            push(s, VA | VI);
        } else if (cp == 0x0627 && s->n == 0 && !strict) {
            push(s, VOWELS | SILENT); /* a first alef writes any vowel: إنفيديا, أوبر, إنتل */
        } else {
            push(s, mask);
        }
        prev = cp;
    }
}

/* Doubled letters count once; a run of vowel letters is one vowel that
 * may be read as any of them, except between two Arabic spellings (strict),
 * where each vowel letter is written on purpose: ويكان is not وكان. */
static void squeeze(sounds *s, int latin, int strict)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        unsigned m = s->mask[i];
        unsigned prev = k > 0 ? s->mask[k - 1] : 0;
        if (k > 0 && is_vowel(m) && is_vowel(prev) && (!strict || m == prev))
            s->mask[k - 1] = ((prev | m) & ~(unsigned)SILENT) | (latin ? LONG : 0);
        else if (k > 0 && !is_vowel(m) && (latin ? (m & prev & CLASSES) != 0 : m == prev))
            s->mask[k - 1] = m & prev; /* Latin tth, sz: one consonant */
        else
            s->mask[k++] = m;
    }
    s->n = k;
}

static void read_sounds(const char *w, size_t len, fh_script script, int how, sounds *s)
{
    memset(s, 0, sizeof *s);
    s->ok = script == FH_SCRIPT_LATIN || script == FH_SCRIPT_ARABIC;
    if (script == FH_SCRIPT_LATIN)
        read_latin(w, len, s);
    else if (script == FH_SCRIPT_ARABIC)
        read_arabic(w, len, how, s);
    if (s->ok)
        squeeze(s, script == FH_SCRIPT_LATIN, how == READ_STRICT);
}

/* ---- keys ---- */

static void add_key(fh_namekeys *out, const char *key)
{
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->key[i], key) == 0)
            return;
    if (out->n < FH_NAMEKEY_MAX)
        strcpy(out->key[out->n++], key);
}

/* Every reading of s from sound i on, appended to the key built so far. */
static void expand(const sounds *s, size_t i, char *key, size_t klen, size_t classes,
                   size_t min_classes, fh_namekeys *out)
{
    if (out->n >= FH_NAMEKEY_MAX)
        return;
    if (i == s->n) {
        key[klen] = '\0';
        if (classes >= min_classes)
            add_key(out, key);
        return;
    }
    unsigned m = s->mask[i];
    if (is_vowel(m) || (m & OPTIONAL))
        expand(s, i + 1, key, klen, classes, min_classes, out);
    for (size_t c = 0; CLASS_LETTERS[c]; c++) {
        if (!(m & (1u << c)) || klen + 1 >= FH_NAMEKEY_BYTES)
            continue;
        key[klen] = KEY_LETTERS[c];
        expand(s, i + 1, key, klen + 1, classes + 1, min_classes, out);
    }
}

/* A word of FH_NAMEKEY_SHORT_LETTERS letters or more with a one-class
 * skeleton (Ohio, Kia, Mao; علي, وائل, عائشة) is keyed by it: ع and the
 * vowel letters write most of such Arabic names. */
static void keys_of(const char *w, size_t len, fh_script script, fh_namekeys *out)
{
    sounds s;
    read_sounds(w, len, script, READ_FOREIGN, &s);
    if (!s.ok)
        return;
    char key[FH_NAMEKEY_BYTES];
    size_t before = out->n;
    expand(&s, 0, key, 0, 0, FH_NAMEKEY_MIN_CLASSES, out);
    if (out->n == before && fh_utf8_count(w, len) >= FH_NAMEKEY_SHORT_LETTERS)
        expand(&s, 0, key, 0, 0, 1, out);
}

/* ---- Arabic proclitics ---- */

enum { MAX_READINGS = 4, MIN_NAME_BYTES = 6 /* three Arabic letters */ };

/* A name may carry the article and a one-letter proclitic (وغوغل, لغوغل,
 * والتمان, للتمان): the word itself, then the word without them. */
static size_t arabic_readings(const char *w, size_t len, const char *start[], size_t lens[])
{
    static const char *const clitics[] = {
        "\xD9\x88\xD8\xA7\xD9\x84", "\xD9\x81\xD8\xA7\xD9\x84", /* وال فال */
        "\xD8\xA8\xD8\xA7\xD9\x84", "\xD9\x83\xD8\xA7\xD9\x84", /* بال كال */
        "\xD9\x84\xD9\x84", "\xD8\xA7\xD9\x84",                   /* لل ال */
        "\xD9\x88", "\xD9\x81", "\xD8\xA8", "\xD9\x84", "\xD9\x83", /* و ف ب ل ك */
    };
    size_t n = 0;
    start[n] = w;
    lens[n++] = len;
    for (size_t i = 0; i < sizeof clitics / sizeof clitics[0] && n < MAX_READINGS; i++) {
        size_t k = strlen(clitics[i]);
        if (len >= k + MIN_NAME_BYTES && memcmp(w, clitics[i], k) == 0) {
            start[n] = w + k;
            lens[n++] = len - k;
        }
    }
    return n;
}

fh_script fh_name_script(const char *word)
{
    return (unsigned char)word[0] < 0x80 ? FH_SCRIPT_LATIN : FH_SCRIPT_ARABIC;
}

typedef int (*spelling_test)(const char *a, size_t alen, const char *b, size_t blen);

/* Whether some reading of a and some reading of b, with or without their
 * proclitics, pass the test. */
static int readings_meet(const char *a, size_t alen, const char *b, size_t blen,
                         spelling_test test)
{
    const char *as[MAX_READINGS], *bs[MAX_READINGS];
    size_t al[MAX_READINGS], bl[MAX_READINGS];
    size_t na = arabic_readings(a, alen, as, al), nb = arabic_readings(b, blen, bs, bl);
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (test(as[i], al[i], bs[j], bl[j]))
                return 1;
    return 0;
}

static int same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

int fh_name_same_core(const char *a, size_t alen, const char *b, size_t blen)
{
    return readings_meet(a, alen, b, blen, same_bytes);
}

static int long_vowel(uint32_t cp)
{
    return cp == 0x0627 || cp == 0x0648 || cp == 0x064A || cp == 0x0649; /* ا و ي ى */
}

/* Whether the shorter of two Arabic words is the longer with long vowels
 * (not its first letter) or a final ة/ه left out. */
static int shorter_leaves_out_vowels(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > blen) {
        const char *t = a;
        size_t tl = alen;
        a = b, alen = blen, b = t, blen = tl;
    }
    size_t i = 0, j = 0;
    while (j < blen) {
        uint32_t ca = 0, cb;
        size_t kb = fh_utf8_decode((const unsigned char *)b + j, blen - j, &cb);
        size_t ka = i < alen ? fh_utf8_decode((const unsigned char *)a + i, alen - i, &ca) : 0;
        kb = kb ? kb : 1;
        if (ka > 0 && ca == cb) {
            i += ka;
        } else if (!((j > 0 && long_vowel(cb)) ||
                     (j + kb == blen && (cb == 0x0629 || cb == 0x0647)))) {
            return 0;
        }
        j += kb;
    }
    return i == alen;
}

int fh_name_vowels_left_out(const char *a, size_t alen, const char *b, size_t blen)
{
    return readings_meet(a, alen, b, blen, shorter_leaves_out_vowels);
}

/* The letters of an Arabic word but its long vowels (not the first letter)
 * and a final ة or ه.  At most cap bytes; 0 when longer. */
static size_t arabic_consonants(const char *w, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = fh_utf8_decode((const unsigned char *)w + i, len - i, &cp);
        k = k ? k : 1;
        int ending = i + k == len && (cp == 0x0629 || cp == 0x0647);
        if (!(i > 0 && long_vowel(cp)) && !ending) {
            if (n + k > cap)
                return 0;
            memcpy(out + n, w + i, k);
            n += k;
        }
        i += k;
    }
    return n;
}

int fh_name_vowels_reordered(const char *a, size_t alen, const char *b, size_t blen)
{
    char ca[FH_NAMEKEY_BYTES * 2], cb[FH_NAMEKEY_BYTES * 2];
    size_t la = alen == blen ? arabic_consonants(a, alen, ca, sizeof ca) : 0;
    return la > 0 && arabic_consonants(b, blen, cb, sizeof cb) == la && memcmp(ca, cb, la) == 0;
}

static size_t readings(const char *w, size_t len, fh_script script, const char *start[],
                       size_t lens[])
{
    if (script == FH_SCRIPT_ARABIC)
        return arabic_readings(w, len, start, lens);
    start[0] = w;
    lens[0] = len;
    return 1;
}

void fh_name_keys(const char *word, size_t len, fh_script script, fh_namekeys *out)
{
    out->n = 0;
    const char *start[MAX_READINGS];
    size_t lens[MAX_READINGS];
    size_t n = readings(word, len, script, start, lens);
    for (size_t i = 0; i < n; i++)
        keys_of(start[i], lens[i], script, out);
}

/* ---- distance ---- */

static double drop_cost(unsigned m)
{
    if (m & FREE)
        return 0.0;
    if (m & SILENT)
        return 0.1;
    if (is_vowel(m) || (m & OPTIONAL))
        return 0.25;
    return m == H ? 0.5 : 1.0; /* h is often silent in Latin spellings */
}

/* What the comparison of an Arabic word read as an Arabic name with a Latin
 * spelling charges less for: vowels.  Latin writes the short vowels Arabic
 * leaves out (محمد, Mohamed), writes a long vowel loosely (the ا of عبدال
 * as the e of Abdel, the ي of مهدي as the i of Mehdi) and ع as a vowel or
 * not at all (عمر, Omar; سعد, Saad). */
typedef struct {
    double latin_vowel; /* a vowel of b (Latin) left out */
    double other_vowel; /* one vowel for another */
    double glottal;     /* ع ء read as a vowel */
    double final_h;     /* a final h of b after a vowel left out (an Arabic ة) */
    double long_vowel;  /* a vowel of b written with two letters left out */
} vowel_costs;

static const vowel_costs FOREIGN_VOWELS = {1.0, 0.25, 0.1, 0.25, 0.25};
static const vowel_costs ARABIC_NAME_VOWELS = {0.05, 0.1, 0.05, 0.0, 0.5};

static double swap_cost(unsigned a, unsigned b, const vowel_costs *v)
{
    if (a & b & VOWELS) /* the same vowel, or a letter read as it (v as و) */
        return (a | b) & GLOTTAL ? v->glottal : (a | b) & UNHEARD ? drop_cost(SILENT) : 0.0;
    if (is_vowel(a) && is_vowel(b))
        return v->other_vowel; /* o for ي: another vowel */
    if (is_vowel(a) || is_vowel(b))
        return drop_cost(a) + drop_cost(b);
    if (a & b & CLASSES)
        return ((a | b) & (LG | LK)) == (LG | LK) && !(a & b & (LG | LK)) ? 0.15 : 0.0;
    /* sounds spellings often swap: s for sh (Einstein: أينشتاين, Guterres:
     * غوتيريش), p for f (Singapore: سنغافورة) */
    if (((a & (S | Z)) && (b & X)) || ((a & X) && (b & (S | Z))) || ((a & B) && (b & F)) ||
        ((a & F) && (b & B)))
        return 0.5;
    return 1.0;
}

static double min3(double a, double b, double c)
{
    double m = a < b ? a : b;
    return m < c ? m : c;
}

/* What a sound of b costs left out: as drop_cost, a vowel no more than
 * v->latin_vowel. */
static double b_drop_cost(unsigned m, const vowel_costs *v)
{
    if (m & FINAL_H)
        return v->final_h;
    if (is_vowel(m) && (m & LONG))
        return v->long_vowel;
    double c = drop_cost(m);
    return is_vowel(m) && c > v->latin_vowel ? v->latin_vowel : c;
}

/* The last row of the edit table of a against b: last[j] is the distance
 * from all of a to b's first j sounds. */
static void last_row(const sounds *a, const sounds *b, const vowel_costs *v,
                     double last[MAX_SOUNDS + 1])
{
    double row[MAX_SOUNDS + 1];
    last[0] = 0;
    for (size_t j = 1; j <= b->n; j++)
        last[j] = last[j - 1] + b_drop_cost(b->mask[j - 1], v);
    for (size_t i = 1; i <= a->n; i++) {
        row[0] = last[0] + drop_cost(a->mask[i - 1]);
        for (size_t j = 1; j <= b->n; j++)
            row[j] = min3(last[j] + drop_cost(a->mask[i - 1]),
                          row[j - 1] + b_drop_cost(b->mask[j - 1], v),
                          last[j - 1] + swap_cost(a->mask[i - 1], b->mask[j - 1], v));
        memcpy(last, row, (b->n + 1) * sizeof row[0]);
    }
}

static double sounds_distance(const sounds *a, const sounds *b, const vowel_costs *v)
{
    double last[MAX_SOUNDS + 1];
    last_row(a, b, v, last);
    return last[b->n];
}

static size_t consonants(const sounds *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += !is_vowel(s->mask[i]) && !(s->mask[i] & FREE);
    return n;
}

/* Arabic leaves out the short vowels that Latin writes, but writes the long
 * ones of a foreign name.  The shorter the skeleton, the more common words
 * share it: a two-consonant name (Wang, Meta) must match vowel for vowel, a
 * three-consonant one may differ in one vowel, longer ones in a little more
 * for each further consonant (of the longer skeleton of the two); two
 * Latin spellings of a short name write the same vowels. */
static double limit_for(const sounds *a, fh_script ascript, const sounds *b, fh_script bscript)
{
    size_t c = consonants(a) > consonants(b) ? consonants(a) : consonants(b);
    if (ascript == bscript && (c <= 2 || (c == 3 && ascript == FH_SCRIPT_LATIN)))
        return 0.1;
    return c <= 2 ? 0.1 : c == 3 ? 0.25 : 0.25 + 0.15 * (double)c;
}

/* The distance from a to the closest beginning of b of two sounds or more. */
static double sounds_prefix_distance(const sounds *a, const sounds *b, const vowel_costs *v)
{
    double last[MAX_SOUNDS + 1], best = 1e9;
    last_row(a, b, v, last);
    for (size_t j = 2; j <= b->n; j++)
        best = last[j] < best ? last[j] : best;
    return best;
}

/* Read as an Arabic name (ARABIC_NAME_VOWELS), an Arabic word may be
 * further from a Latin spelling the longer its skeleton: a little more
 * slowly than a foreign name's limit grows (limit_for); EPSILON keeps sums
 * of costs at the limit within it. */
#define EPSILON 1e-9

static double arabic_name_limit(const sounds *a, const sounds *b)
{
    size_t c = consonants(a) > consonants(b) ? consonants(a) : consonants(b);
    return (c <= 2 ? 0.15 : 0.25 + 0.1 * (double)(c - 3)) + EPSILON;
}

/* A reading without the proclitics the word is written with ranks below
 * the word as written: باريس is Paris before it is "with Aris". */
#define CLITIC_COST 0.3
#define ARABIC_ARTICLE_COST 0.05

/* Over every reading of a and of b (with and without proclitics): the
 * smallest distance, CLITIC_COST added for each side read without its
 * proclitics, and whether some pair of readings is within its limit (the
 * cost not added). */
/* What a reading without proclitics of skipped bytes costs: an Arabic
 * name in Latin letters often goes without its article (السادات, Sadat;
 * القذافي, Qaddafi), a foreign name does not have one. */
static double clitic_cost(ptrdiff_t skipped, int how)
{
    return how == READ_ARABIC_NAME && skipped == 4 /* ال */ ? ARABIC_ARTICLE_COST : CLITIC_COST;
}

static double compare_as(const char *a, size_t alen, fh_script ascript, const char *b,
                         size_t blen, fh_script bscript, int how, int *close)
{
    const char *as[MAX_READINGS], *bs[MAX_READINGS];
    size_t al[MAX_READINGS], bl[MAX_READINGS];
    size_t na = readings(a, alen, ascript, as, al), nb = readings(b, blen, bscript, bs, bl);
    const int arabic_name = how == READ_ARABIC_NAME;
    double best = 1e9;
    *close = 0;
    for (size_t i = 0; i < na; i++) {
        sounds sa;
        read_sounds(as[i], al[i], ascript, how, &sa);
        for (size_t j = 0; sa.ok && j < nb; j++) {
            sounds sb;
            read_sounds(bs[j], bl[j], bscript, how, &sb);
            double d =
                sb.ok ? sounds_distance(&sa, &sb,
                                        arabic_name ? &ARABIC_NAME_VOWELS : &FOREIGN_VOWELS)
                      : 1e9;
            double ranked = d + clitic_cost(as[i] - a, how) * (i > 0) +
                            clitic_cost(bs[j] - b, how) * (j > 0);
            if (ranked < best)
                best = ranked;
            if (d <= (arabic_name ? arabic_name_limit(&sa, &sb)
                                  : limit_for(&sa, ascript, &sb, bscript)))
                *close = 1;
        }
    }
    return best;
}

static double compare(const char *a, size_t alen, fh_script ascript, const char *b, size_t blen,
                      fh_script bscript, int *close)
{
    int strict = ascript == FH_SCRIPT_ARABIC && bscript == FH_SCRIPT_ARABIC;
    return compare_as(a, alen, ascript, b, blen, bscript, strict ? READ_STRICT : READ_FOREIGN,
                      close);
}

/* Both readings of an Arabic a against a Latin b: the smaller distance. */
static double compare_arabic(const char *a, size_t alen, const char *b, size_t blen, int *close)
{
    int as_name;
    double d = compare(a, alen, FH_SCRIPT_ARABIC, b, blen, FH_SCRIPT_LATIN, close);
    double n = compare_as(a, alen, FH_SCRIPT_ARABIC, b, blen, FH_SCRIPT_LATIN, READ_ARABIC_NAME,
                          &as_name);
    *close |= as_name;
    return n < d ? n : d;
}

int fh_name_arabic_sounds_same(const char *a, size_t alen, const char *b, size_t blen)
{
    int close;
    sounds sa;
    double d = compare_arabic(a, alen, b, blen, &close);
    read_sounds(a, alen, FH_SCRIPT_ARABIC, READ_FOREIGN, &sa);
    return d <= (sa.ok && consonants(&sa) >= 4 ? 0.25 : 0.15) + EPSILON;
}

double fh_name_distance(const char *a, size_t alen, fh_script ascript, const char *b,
                        size_t blen, fh_script bscript)
{
    int close;
    return compare(a, alen, ascript, b, blen, bscript, &close);
}

int fh_name_close(const char *a, size_t alen, fh_script ascript, const char *b, size_t blen,
                  fh_script bscript)
{
    int close;
    compare(a, alen, ascript, b, blen, bscript, &close);
    return close;
}

int fh_name_sounds_same(const char *a, size_t alen, fh_script ascript, const char *b,
                        size_t blen, fh_script bscript)
{
    int close;
    double d = compare(a, alen, ascript, b, blen, bscript, &close);
    sounds sa;
    read_sounds(a, alen, ascript, READ_FOREIGN, &sa);
    /* a long skeleton leaves room for one short vowel written or not */
    return d <= (sa.ok && consonants(&sa) >= 4 ? 0.25 : 0.1);
}

int fh_name_one_arabic_spelling(const char *a, size_t alen, const char *b, size_t blen)
{
    /* the same core is the case of no vowel left out */
    return fh_name_script(a) == FH_SCRIPT_ARABIC && fh_name_script(b) == FH_SCRIPT_ARABIC &&
           (fh_name_vowels_left_out(a, alen, b, blen) ||
            fh_name_vowels_reordered(a, alen, b, blen));
}

/* Copy an Arabic word with each g letter (ج غ ق ك گ, two bytes each in
 * UTF-8) written غ; 0 when it does not fit. */
static size_t fold_g_letters(const char *w, size_t len, char *out, size_t cap)
{
    if (len > cap)
        return 0;
    memcpy(out, w, len);
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char a = (unsigned char)out[i], b = (unsigned char)out[i + 1];
        if ((a == 0xD8 && (b == 0xAC || b == 0xBA)) || (a == 0xD9 && (b == 0x82 || b == 0x83)) ||
            (a == 0xDA && b == 0xAF)) {
            out[i] = (char)0xD8;
            out[i + 1] = (char)0xBA;
            i++;
        }
    }
    return len;
}

int fh_name_one_arabic_spelling_any_g(const char *a, size_t alen, const char *b, size_t blen)
{
    char fa[FH_NAMEKEY_BYTES * 4], fb[FH_NAMEKEY_BYTES * 4];
    size_t la = fold_g_letters(a, alen, fa, sizeof fa), lb = fold_g_letters(b, blen, fb, sizeof fb);
    return la > 0 && lb > 0 && fh_name_one_arabic_spelling(fa, la, fb, lb);
}

size_t fh_name_skeleton_length(const char *word, size_t len, fh_script script)
{
    fh_namekeys keys;
    fh_name_keys(word, len, script, &keys);
    size_t shortest = keys.n ? strlen(keys.key[0]) : 0;
    for (size_t i = 1; i < keys.n; i++)
        shortest = strlen(keys.key[i]) < shortest ? strlen(keys.key[i]) : shortest;
    return shortest;
}

static int arabic_to_latin(const char *a, fh_script ascript, fh_script bscript, int arabic_name)
{
    return arabic_name && ascript == FH_SCRIPT_ARABIC && bscript == FH_SCRIPT_LATIN &&
           fh_name_script(a) == FH_SCRIPT_ARABIC;
}

double fh_name_query_compare(const char *a, size_t alen, fh_script ascript, const char *b,
                             size_t blen, fh_script bscript, int arabic_name, int *close)
{
    return arabic_to_latin(a, ascript, bscript, arabic_name)
               ? compare_arabic(a, alen, b, blen, close)
               : compare(a, alen, ascript, b, blen, bscript, close);
}

double fh_name_query_distance(const char *a, size_t alen, fh_script ascript, const char *b,
                              size_t blen, fh_script bscript, int arabic_name)
{
    int close;
    return fh_name_query_compare(a, alen, ascript, b, blen, bscript, arabic_name, &close);
}

double fh_name_begins_like(const char *prefix, size_t plen, fh_script pscript, const char *word,
                           size_t wlen, fh_script wscript, int *close)
{
    const char *as[MAX_READINGS], *bs[MAX_READINGS];
    size_t al[MAX_READINGS], bl[MAX_READINGS];
    size_t na = readings(prefix, plen, pscript, as, al), nb = readings(word, wlen, wscript, bs, bl);
    const int how = arabic_to_latin(prefix, pscript, wscript, 1) ? READ_ARABIC_NAME : READ_FOREIGN;
    double best = 1e9;
    *close = 0;
    for (size_t i = 0; i < na; i++) {
        sounds sa;
        read_sounds(as[i], al[i], pscript, how, &sa);
        for (size_t j = 0; sa.ok && j < nb; j++) {
            sounds sb;
            read_sounds(bs[j], bl[j], wscript, how, &sb);
            if (!sb.ok)
                continue;
            double d = sounds_prefix_distance(
                &sa, &sb, how == READ_ARABIC_NAME ? &ARABIC_NAME_VOWELS : &FOREIGN_VOWELS);
            double ranked = d + clitic_cost(as[i] - prefix, how) * (i > 0) +
                            clitic_cost(bs[j] - word, how) * (j > 0);
            best = ranked < best ? ranked : best;
            /* the limit of the prefix against itself: the beginning is as long */
            *close |= d <= (how == READ_ARABIC_NAME ? arabic_name_limit(&sa, &sa)
                                                     : limit_for(&sa, pscript, &sa, wscript));
        }
    }
    return best;
}
