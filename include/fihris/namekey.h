/*
 * namekey.h - keys that let a foreign name meet itself across scripts and
 * spellings: Zuckerberg, زوكربيرغ and زوكربيرج; Tulloch, تولوش and تولوخ;
 * Google, غوغل and جوجل.
 *
 * Arabic writes no short vowels and transliterates one Latin sound with
 * several letters (g as غ ج ق ك), so a name is reduced to its consonant
 * skeleton over broad sound classes, and a spelling that reads two ways
 * (ch as k or sh, th as t or z, s as s or z; ش and خ as sh/kh or a Latin
 * ch) gets one key per reading:
 *
 *   B  b p         ب پ           K  k c q g j x ck gh kh ch   ك ق خ غ ج گ
 *   F  f ph v      ف ڤ           X  sh sch ch tch             ش تش چ ژ
 *   T  t th        ت ط ث         H  h                         ح ه
 *   D  d dh        د ض           L M N R                      ل م ن ر
 *   Z  z th dh     ز ذ ظ         S  s c(e,i,y) x              س ص
 *
 * Vowels and the letters that write them (a e i o u w y; ا و ي ى ء ع ة) are
 * left out, so a long vowel written or not gives the same key; a doubled
 * letter counts once; letters Arabic spellings often drop may be missing (a
 * Latin v read as و, the g of -ng, an h not before a vowel); an Arabic
 * article and proclitics (ال, و ف ب ل ك, وال ...) are optional (keys with and
 * without them).  Keys are ASCII capitals.
 *
 * A key only finds candidates: fh_name_distance() then compares the full
 * spellings (vowels included, over the same classes; between two Arabic
 * spellings ع and ء count as letters) so that a candidate enters a query only
 * when it is close.
 */
#ifndef FIHRIS_NAMEKEY_H
#define FIHRIS_NAMEKEY_H

#include <stddef.h>

#include "fihris/analyze.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    FH_NAMEKEY_MAX = 8,      /* keys per word at most */
    FH_NAMEKEY_BYTES = 32,   /* longest key, NUL included */
    FH_NAMEKEY_MIN_CLASSES = 2, /* shorter skeletons make no key, but for */
    FH_NAMEKEY_SHORT_LETTERS = 3 /* words of this many letters or more with a
                                  * one-class skeleton (Ohio, علي) */
};

typedef struct {
    char key[FH_NAMEKEY_MAX][FH_NAMEKEY_BYTES];
    size_t n;
} fh_namekeys;

/* The script a normalized word is read in for names: Latin when it starts
 * with an ASCII character, else Arabic. */
fh_script fh_name_script(const char *word);

/* The keys of a normalized word (UTF-8, as analysis produces it) in the
 * given script; none for other scripts or for words too short to key. */
void fh_name_keys(const char *word, size_t len, fh_script script, fh_namekeys *out);

/* How far apart two normalized words are as spellings of one name, from 0
 * (the same sounds) up: a different consonant class costs 1, a vowel
 * written in one and not the other 0.25, over the best reading of each. */
double fh_name_distance(const char *a, size_t alen, fh_script ascript, const char *b,
                        size_t blen, fh_script bscript);

/* Whether two Arabic words are one word with other proclitics (غوغل,
 * لغوغل): then they are the same spelling, whatever the distance says. */
int fh_name_same_core(const char *a, size_t alen, const char *b, size_t blen);

/* Whether one of two Arabic words, with or without their proclitics, is the
 * other with long vowels or a final ة/ه left out (نيوتن, نيوتون): one
 * spelling.  A vowel written as another (ماكرون, ماكرين) is not. */
int fh_name_vowels_left_out(const char *a, size_t alen, const char *b, size_t blen);

/* Whether two Arabic words, as written, are as long and write the same
 * consonants: their long vowels stand in another order (زيورخ, زوريخ). */
int fh_name_vowels_reordered(const char *a, size_t alen, const char *b, size_t blen);

/* Whether two words are Arabic spellings of one name by any of the three
 * above: other proclitics, long vowels left out, or in another order. */
int fh_name_one_arabic_spelling(const char *a, size_t alen, const char *b, size_t blen);

/* As fh_name_one_arabic_spelling, the g letters (ج غ ق ك) written one for
 * another too (غلاسغو, غلاسكو). */
int fh_name_one_arabic_spelling_any_g(const char *a, size_t alen, const char *b, size_t blen);

/* Whether b sounds as a does: at most one vowel written or not (0.1), or,
 * when a has four consonants or more, one short vowel (0.25).  The
 * evidence that a word some ordinary words resemble is a name. */
int fh_name_sounds_same(const char *a, size_t alen, fh_script ascript, const char *b,
                        size_t blen, fh_script bscript);

/* The consonant classes of the word's shortest key (its skeleton without
 * proclitics), 0 when it has no key.  Ordinary words that pass for names
 * are short: a skeleton of FH_NAME_LONG_SKELETON classes or more is
 * evidence of a name. */
size_t fh_name_skeleton_length(const char *word, size_t len, fh_script script);

enum { FH_NAME_LONG_SKELETON = 5 };

/* What a query word a is compared with a spelling b by: the distance, and
 * whether b is close (*close), as fh_name_distance and fh_name_close say,
 * but, with arabic_name, for an Arabic a and a Latin b, with a also read as
 * an Arabic name in Latin letters, the better reading counting: Latin
 * writes the short vowels Arabic leaves out (محمد, Mohamed; جهاد, Jehad) at
 * 0.05 each, ع as a vowel or nothing, a final ة as a, ah or nothing, and
 * the article may go (السادات, Sadat); a final ي may be an a (منى, Mona);
 * a vowel of two Latin letters (ou, ee) is a long vowel Arabic writes. */
double fh_name_query_compare(const char *a, size_t alen, fh_script ascript, const char *b,
                             size_t blen, fh_script bscript, int arabic_name, int *close);
double fh_name_query_distance(const char *a, size_t alen, fh_script ascript, const char *b,
                              size_t blen, fh_script bscript, int arabic_name);

/* Whether the Latin b sounds the same as the Arabic a read both ways (as
 * fh_name_query_compare with arabic_name): within 0.15, or 0.25 from four
 * consonants on. */
int fh_name_arabic_sounds_same(const char *a, size_t alen, const char *b, size_t blen);

/* How far the prefix is from the closest beginning (two sounds or more) of
 * word, in another script, read as fh_name_query_compare reads them (an
 * Arabic prefix also as an Arabic name), and whether that beginning is
 * close (*close): one table for every beginning, for completions. */
double fh_name_begins_like(const char *prefix, size_t plen, fh_script pscript, const char *word,
                           size_t wlen, fh_script wscript, int *close);

/* Whether the distance makes b a spelling of a: tighter for short names. */
int fh_name_close(const char *a, size_t alen, fh_script ascript, const char *b, size_t blen,
                  fh_script bscript);

#ifdef __cplusplus
}
#endif

#endif
