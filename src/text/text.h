/*
 * text.h - text for matching (src/text/): string metrics on code points
 * (metrics.c) and the readings of every script in lower-case ASCII Latin
 * (translit.c). Included by internal.h.
 */
#ifndef VIGIL_TEXT_H
#define VIGIL_TEXT_H

/* ----------------------------------------------------------- string metrics */

/* Decodes UTF-8 s into at most cap code points (invalid bytes as U+FFFD).
 * Returns how many. */
size_t vigil__utf8_to_cp(const char *s, uint32_t *out, size_t cap);
size_t vigil__levenshtein(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
size_t vigil__damerau(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
/* Optimal string alignment distance (an adjacent transposition is one edit,
 * no substring edited twice): the matcher's edit distance, linear memory. */
size_t vigil__osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
/* vigil__osa, or maxd + 1 as soon as the distance must exceed maxd. */
size_t vigil__osa_bounded(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                          size_t maxd);
size_t vigil__hamming(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
double vigil__jaro(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
double vigil__jaro_winkler(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
/* vigil__jaro_winkler for strings of up to 64 code points, faster. */
double vigil__jaro_winkler_short(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
double vigil__jaro_winkler_ex(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                              int winklerize, int long_tolerance);
/* American Soundex of s into out (>= 9 bytes). Returns 0, -1 on error. */
int vigil__soundex(const char *s, char *out, size_t size);

/* The readings of Cyrillic text: each language's own romanisation
 * (translit.c). VIGIL__LANG_ANY is every other script's standard one;
 * VIGIL__LANG_SCHOLARLY is ICU's Any-Latin with its diacritics dropped
 * (Щукин shcukin, Жуков zukov), as systems that romanise with ICU and
 * Czech, Slovak and Croatian spellings without their accents write Cyrillic
 * names: a second reading of every listed Cyrillic name. */
enum {
    VIGIL__LANG_ANY = 0,
    VIGIL__LANG_RU,
    VIGIL__LANG_UK,
    VIGIL__LANG_BE,
    VIGIL__LANG_SR,
    VIGIL__LANG_SCHOLARLY,
    VIGIL__LANGS
};
/* The language a text's Cyrillic is read in, from the letters only some of
 * the languages use (і ї є ґ Ukrainian, ў Belarusian, ј љ њ Serbian; the
 * rest Russian); VIGIL__LANG_ANY when it has no Cyrillic letter. */
int vigil__cyrillic_lang(const char *s);
/* 1 when s holds Arabic-script letters (U+0600 to U+06FF). */
int vigil__has_arabic(const char *s);
/* How many readings a listed name gets: 2 for Cyrillic text (its language's
 * English romanisation and the scholarly one) and for Arabic-script text
 * (as its languages say it, and ICU's letter-for-letter reading), else 1.
 * The second is read with VIGIL__LANG_SCHOLARLY. */
int vigil__readings(const char *s);
/* 1 when s is written in one of those scripts (its first letter's): a
 * query in it is read as listed names in it are, by their first reading. */
int vigil__in_twice_read_script(const char *s);
/* Writes in, transliterated to lower-case ASCII Latin, into out (cap bytes):
 * its Cyrillic read as lang (vigil__to_latin: as vigil__cyrillic_lang says),
 * Latin letters written inside Cyrillic words read as the Cyrillic letters
 * they look like ("ДIКIЙ" with a Latin I). Returns 0, -1 when it does not
 * fit or ICU fails (out is then ""). */
int vigil__to_latin(const char *in, char *out, size_t cap);
/* 1 when text holds a simplified Chinese character (one ICU's Hans-Hant
 * writes otherwise): the name is mainland Chinese, written in pinyin. */
int vigil__han_simplified(const char *text);
int vigil__to_latin_as(const char *in, int lang, char *out, size_t cap);
/* Frees this thread's transliterator (it is opened again when needed). */
void vigil__translit_release(void);
#endif
