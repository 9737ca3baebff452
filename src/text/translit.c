/*
 * translit.c - any script to lower-case ASCII Latin, for matching.
 *
 * ICU does the work: Any-Latin (each script's standard romanisation: Cyrillic,
 * Greek, Arabic, Persian, Hebrew, Armenian, Georgian, Devanagari, Thai, Han as
 * pinyin, kana, Hangul), then Latin-ASCII (diacritics and letters like ß, ø,
 * đ) and lower case. A few rules go first: Cyrillic letters Any-Latin leaves
 * alone (Mongolian ү, ө, Kazakh һ), and č š ž ć written as the digraphs
 * English spellings use (Ivanovič as Ivanovich). Hangul syllables are spaced
 * apart, since Korean names are written without spaces and romanised with
 * them ("김정은", "Kim Jong Un").
 *
 * A transliterator is not safe to share between threads: each thread opens
 * its own on first use (about a millisecond) and keeps it, with a cache of
 * the words it transliterated (ICU takes tens of microseconds a word).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "../internal.h"

/* The rules of each reading: the Cyrillic names of one language through
 * CLDR's BGN/PCGN romanisation of it, as English-language lists, passports
 * and customers write them (Юрий Yuriy, Щапов Shchapov, Ковальчук Koval'chuk;
 * ICU's Any-Latin is the scholarly system, Ûrij, Ŝapov, which no list uses);
 * every other script through Any-Latin. Cyrillic letters of other languages
 * that a transform leaves go first (Kazakh and Mongolian ү, ө, һ, ...),
 * then Any-Latin for what is left, č š ž ć written as English spellings do
 * (Ivanovič as Ivanovich), BGN's separators and primes dropped. Before
 * all, the invisible format characters go (Unicode's Cf: the zero-width
 * non-joiner of Persian "خامنه‌ای", bidirectional marks, soft hyphens):
 * they shape or direct the text and are no letter of the name. */
#define PRE_RULES                                                                                     \
    "::[:Cf:] Remove;"                                                                                \
    "ү > u; Ү > U; ө > o; Ө > O; һ > h; Һ > H; ә > a; Ә > A; ғ > g; Ғ > G; қ > k; Қ > K;" \
    "ң > n; Ң > N; ұ > u; Ұ > U;"
#define POST_RULES                                                                                  \
    "::Any-Latin;"                                                                                  \
    "č > ch; Č > Ch; š > sh; Š > Sh; ž > zh; Ž > Zh; ć > ch; Ć > Ch; ǧ > g; ʿ > ; ʾ > ;" \
    "ʹ > ; ʺ > ; · > ;"                                                                          \
    "::Latin-ASCII;"                                                                                \
    "::Lower;"
static const char *const rules[VIGIL__LANGS] = {
    /* VIGIL__LANG_ANY: Any-Latin, with the Ukrainian letters as BGN reads them */
    PRE_RULES "і > i; І > I; ї > yi; Ї > Yi; є > ye; Є > Ye; ґ > g; Ґ > G;" POST_RULES,
    /* VIGIL__LANG_RU */
    PRE_RULES "::Russian-Latin/BGN;" POST_RULES,
    /* VIGIL__LANG_UK */
    PRE_RULES "::Ukrainian-Latin/BGN;" POST_RULES,
    /* VIGIL__LANG_BE: Belarusian as its passports and the lists write it
     * (Сяргей Siarhei, Аляксандр Aliaksandr): Russian's letters, with г h, і i,
     * ў u; CLDR's Belarusian BGN writes every е "ye" (Alyeksyey), which no list
     * does */
    PRE_RULES "г > h; Г > H; і > i; І > I; ў > u; Ў > U; ::Russian-Latin/BGN;" POST_RULES,
    /* VIGIL__LANG_SR: Serbian and Macedonian Cyrillic, whose Any-Latin is
     * their own Latin alphabet (Ђорђе Đorđe) */
    PRE_RULES POST_RULES,
    /* VIGIL__LANG_SCHOLARLY: Any-Latin's letters as they are, accents
     * dropped (Čačeryn cacheryn would be the English reading again) */
    PRE_RULES "::Any-Latin; ʹ > ; ʺ > ; · > ; ʿ > ; ʾ > ; ::Latin-ASCII; ::Lower;",
};

/* Each thread's transliterator and word cache, freed when the thread ends
 * (a pthread key destructor) or on vigil_thread_done. */
/* Cached words per thread, a power of two: in sets of two, the one used
 * last first. A customer base's names have thousands of words in other
 * scripts, and a Cyrillic word has a reading per language: about 6,000
 * readings in bench_pg's rows (2,000 synthetic persons). With 4,096 words,
 * one to a slot, ICU read 8,381 words again in rows 20,001 to 100,000; with
 * these, 75. */
#define WORDS 16384
typedef struct {
    uint64_t h; /* 0: empty */
    char in[40], out[56];
} word;
typedef struct {
    UTransliterator *t[VIGIL__LANGS];
    int failed[VIGIL__LANGS];
    UTransliterator *hant; /* Hans-Hant, for vigil__han_simplified */
    int hant_failed;
    word *words;
} tstate;

static pthread_key_t state_key;
static pthread_once_t state_once = PTHREAD_ONCE_INIT;
static int state_key_ok;

static void state_free(void *p)
{
    tstate *s = p;
    if (!s)
        return;
    for (int l = 0; l < VIGIL__LANGS; l++)
        if (s->t[l])
            utrans_close(s->t[l]);
    if (s->hant)
        utrans_close(s->hant);
    free(s->words);
    free(s);
}

static void state_init(void)
{
    state_key_ok = pthread_key_create(&state_key, state_free) == 0;
}

static tstate *state(void)
{
    pthread_once(&state_once, state_init);
    if (!state_key_ok)
        return NULL;
    tstate *s = pthread_getspecific(state_key);
    if (!s) {
        s = calloc(1, sizeof(*s));
        if (!s || pthread_setspecific(state_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    return s;
}

/* The cache's key of the n bytes at in read as lang (one word has a
 * reading per language: the language is in the key). */
static uint64_t cache_key(const char *in, size_t n, int lang)
{
    uint64_t h = vigil__hash64n(in, n) ^ ((uint64_t)(unsigned)lang * 0x9e3779b97f4a7c15ull);
    return h ? h : 1;
}

/* The set of two where key h is kept, NULL when the cache cannot be had. */
static word *cache_set(tstate *s, uint64_t h)
{
    if (!s->words)
        s->words = calloc(WORDS, sizeof(word));
    return s->words ? &s->words[(h & (WORDS / 2 - 1)) * 2] : NULL;
}

/* What the cache holds for the n bytes at in under key h, or NULL; the
 * entry found is moved first of its set. */
static const char *cache_get(word *set, uint64_t h, const char *in, size_t n)
{
    for (int k = 0; set && k < 2; k++) {
        word *c = &set[k];
        if (c->h != h || strncmp(c->in, in, n) != 0 || c->in[n] != '\0')
            continue;
        if (k == 1) {
            word t = set[0];
            set[0] = set[1];
            set[1] = t;
        }
        return set[0].out;
    }
    return NULL;
}

/* Keeps out for the n bytes at in (n < sizeof in) under key h, in place of
 * the one of its set used longest ago. */
static void cache_put(word *set, uint64_t h, const char *in, size_t n, const char *out)
{
    size_t l = strlen(out);
    if (!set || l >= sizeof(set->out))
        return;
    set[1] = set[0];
    set[0].h = h;
    memcpy(set[0].in, in, n);
    set[0].in[n] = '\0';
    memcpy(set[0].out, out, l + 1);
}

static UTransliterator *get(tstate *s, int lang)
{
    if (s->t[lang] || s->failed[lang])
        return s->t[lang];
    UChar id[] = {'v', 'i', 'g', 'i', 'l', 0};
    size_t len = strlen(rules[lang]) + 1;
    UChar *r = malloc(sizeof(UChar) * len);
    if (!r) {
        s->failed[lang] = 1;
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(r, (int32_t)len, &n, rules[lang], -1, &st);
    UParseError pe;
    if (U_SUCCESS(st))
        s->t[lang] = utrans_openU(id, -1, UTRANS_FORWARD, r, n, &pe, &st);
    free(r);
    if (U_FAILURE(st)) {
        s->t[lang] = NULL;
        s->failed[lang] = 1;
    }
    return s->t[lang];
}

int vigil__han_simplified(const char *text)
{
    tstate *s = state();
    if (!s)
        return 0;
    if (!s->hant && !s->hant_failed) {
        static const UChar id[] = {'H', 'a', 'n', 's', '-', 'H', 'a', 'n', 't', 0};
        UErrorCode st = U_ZERO_ERROR;
        s->hant = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
        if (U_FAILURE(st)) {
            s->hant = NULL;
            s->hant_failed = 1;
        }
    }
    if (!s->hant)
        return 0;
    UChar u[256], t[512];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, text, -1, &st);
    if (U_FAILURE(st))
        return 0;
    memcpy(t, u, (size_t)n * sizeof(UChar));
    int32_t len = n, limit = n;
    utrans_transUChars(s->hant, t, &len, 512, 0, &limit, &st);
    return U_SUCCESS(st) && (len != n || memcmp(t, u, (size_t)n * sizeof(UChar)) != 0);
}

void vigil__translit_release(void)
{
    pthread_once(&state_once, state_init);
    if (!state_key_ok)
        return;
    state_free(pthread_getspecific(state_key));
    pthread_setspecific(state_key, NULL);
}

static int is_hangul(UChar c)
{
    return c >= 0xAC00 && c <= 0xD7A3;
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* One word (or any text) through ICU into out. 0 or -1. */
static int icu_latin(tstate *s, int lang, const char *in, size_t n8, char *out, size_t cap)
{
    UTransliterator *t = get(s, lang);
    if (!t || n8 > 4096)
        return -1;
    int32_t cap16 = (int32_t)n8 * 4 + 64;
    UChar *buf = malloc(sizeof(UChar) * (size_t)cap16 * 2);
    if (!buf)
        return -1;
    UChar *tmp = buf + cap16;
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8(tmp, cap16, &len, in, (int32_t)n8, &st);
    /* a space between Hangul syllables */
    int32_t w = 0;
    for (int32_t i = 0; i < len && w + 2 < cap16; i++) {
        if (i > 0 && is_hangul(tmp[i]) && is_hangul(tmp[i - 1]))
            buf[w++] = ' ';
        buf[w++] = tmp[i];
    }
    int32_t limit = w;
    utrans_transUChars(t, buf, &w, cap16, 0, &limit, &st);
    int32_t n = 0;
    if (U_SUCCESS(st))
        u_strToUTF8(out, (int32_t)cap, &n, buf, w, &st);
    free(buf);
    if (U_FAILURE(st) || (size_t)n >= cap) {
        out[0] = '\0';
        return -1;
    }
    out[n] = '\0';
    return 0;
}

/* 1 when the n bytes at s are all CJK ideographs (U+3400 to U+9FFF: three
 * bytes each, E3 90 80 to E9 BF BF). */
static int all_han(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n == 0 || n % 3)
        return 0;
    for (size_t i = 0; i < n; i += 3)
        if (p[i] < 0xE3 || p[i] > 0xE9 || (p[i] == 0xE3 && p[i + 1] < 0x90))
            return 0;
    return 1;
}

/* Removes the spaces of out in place: a Chinese given name written as one
 * word is one name (志誠 Zhicheng), though ICU reads it syllable by
 * syllable ("zhi cheng"), and as syllables it would pair with two names. */
static void join_syllables(char *out)
{
    size_t k = 0;
    for (size_t i = 0; out[i]; i++)
        if (out[i] != ' ')
            out[k++] = out[i];
    out[k] = '\0';
}

/* One space-free word into out (cap bytes), through this thread's cache. */
static int word_latin(tstate *s, int lang, const char *in, size_t n, char *out, size_t cap)
{
    size_t ascii = 0;
    while (ascii < n && (unsigned char)in[ascii] < 0x80)
        ascii++;
    if (ascii == n) { /* ICU would only lower-case it */
        if (n >= cap)
            return -1;
        for (size_t i = 0; i < n; i++)
            out[i] = (char)((in[i] >= 'A' && in[i] <= 'Z') ? in[i] + 32 : in[i]);
        out[n] = '\0';
        return 0;
    }
    if (n >= sizeof(((word *)0)->in)) {
        char *w = strndup(in, n);
        int rc = w ? icu_latin(s, lang, w, n, out, cap) : -1;
        free(w);
        if (rc == 0 && all_han(in, n))
            join_syllables(out);
        return rc;
    }
    uint64_t h = cache_key(in, n, lang);
    word *set = cache_set(s, h);
    const char *kept = cache_get(set, h, in, n);
    if (kept) {
        size_t l = strlen(kept);
        if (l >= cap)
            return -1;
        memcpy(out, kept, l + 1);
        return 0;
    }
    char w[sizeof(((word *)0)->in)];
    memcpy(w, in, n);
    w[n] = '\0';
    if (icu_latin(s, lang, w, n, out, cap) != 0)
        return -1;
    if (all_han(in, n))
        join_syllables(out);
    cache_put(set, h, in, n, out);
    return 0;
}

static int is_cyrillic(UChar32 c)
{
    return c >= 0x400 && c <= 0x4FF;
}

int vigil__cyrillic_lang(const char *s)
{
    int cyr = 0, uk = 0, be = 0, sr = 0, ru = 0, latin_i = 0;
    int word_cyr = 0, word_i = 0; /* in the word being read */
    for (int32_t i = 0;;) {
        UChar32 c = ' ';
        int end = !s[i];
        if (!end)
            U8_NEXT((const uint8_t *)s, i, -1, c);
        if (c == ' ') {
            /* a Latin i inside a Cyrillic word stands for і
             * (vigil__to_latin_as), not in a Latin word beside one */
            latin_i |= word_cyr && word_i;
            word_cyr = word_i = 0;
            if (end)
                break;
            continue;
        }
        cyr |= is_cyrillic(c);
        word_cyr |= is_cyrillic(c);
        word_i |= c == 'i' || c == 'I';
        UChar32 lc = c >= 0x400 && c < 0x410   ? c + 0x50
                     : c >= 0x410 && c < 0x430 ? c + 0x20
                                               : c;
        uk |= lc == 0x456 || lc == 0x457 || lc == 0x454 || c == 0x491 || c == 0x490;
        be |= lc == 0x45E;
        sr |= lc == 0x458 || lc == 0x459 || lc == 0x45A || lc == 0x452 || lc == 0x45B ||
              lc == 0x45F;
        ru |= lc == 0x44B || lc == 0x44D || lc == 0x44A || lc == 0x451; /* ы э ъ ё */
    }
    if (!cyr)
        return VIGIL__LANG_ANY;
    if (sr)
        return VIGIL__LANG_SR;
    uk |= latin_i; /* only Ukrainian and Belarusian have і */
    /* Belarusian has ў, and і beside ы and э; Ukrainian has і without them */
    if (be || (uk && ru))
        return VIGIL__LANG_BE;
    return uk ? VIGIL__LANG_UK : VIGIL__LANG_RU;
}

/* The Cyrillic letter a Latin letter is taken for inside a Cyrillic word
 * (as UTF-8), or NULL: the EU's transcriptions mix them in ("Iгар", "ДIКIЙ"),
 * and a word read half as Latin, half as Cyrillic, meets no spelling. */
static const char *homoglyph(unsigned char c)
{
    static const char from[] = "aceiopxyABCEHIKMOPTXY";
    static const char *const to[] = {"а", "с", "е", "і", "о", "р", "х", "у", "А", "В", "С",
                                     "Е", "Н", "І", "К", "М", "О", "Р", "Т", "Х", "У"};
    for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++)
        if ((unsigned char)from[i] == c)
            return to[i];
    return NULL;
}

/* in with the Latin lookalikes inside words that hold Cyrillic letters made
 * Cyrillic, into out (cap bytes, at least twice in's length plus one). */
static void unhomoglyph(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; in[i] && k + 4 < cap;) {
        size_t j = i;
        int cyr = 0;
        while (in[j] && in[j] != ' ') {
            int32_t x = (int32_t)j;
            UChar32 c;
            U8_NEXT((const uint8_t *)in, x, -1, c);
            cyr |= is_cyrillic(c);
            j = (size_t)x;
        }
        for (; i < j && k + 4 < cap; i++) {
            const char *h = cyr ? homoglyph((unsigned char)in[i]) : NULL;
            if (h) {
                memcpy(out + k, h, strlen(h));
                k += strlen(h);
            } else {
                out[k++] = in[i];
            }
        }
        if (in[i] == ' ')
            out[k++] = in[i++];
    }
    out[k] = '\0';
}

/* 1 when the UTF-8 text at s starts with the two bytes of code point c (an
 * Arabic-block letter, U+0600 to U+07FF). */
static int at2(const char *s, unsigned c)
{
    return (unsigned char)s[0] == (0xC0 | (c >> 6)) &&
           (unsigned char)s[1] == (0x80 | (c & 0x3F));
}

/* Arabic-script letters as the languages that write them read them, in
 * place (each is replaced by a letter of the same two bytes), before ICU's
 * Arabic reading:
 * - a name with a letter only Persian, Dari, Pashto and Urdu use (ی ک پ چ
 *   ژ گ) reads ض ظ ذ as z and ث as s, as those languages say them
 *   (رضایی Rezaei, مرتضی Morteza, where Arabic has Ramadan);
 * - Persian's silent final ه before a suffix joined by a zero-width
 *   non-joiner is the vowel e (خامنه‌ای Khamenei), read as the long a;
 * - ة, the tā' marbūṭa, is the vowel a at the end of a word (حمزة Hamza,
 *   أسامة Usama), and t only before a word with the article, where it is
 *   said (هبة الله Hibat Allah). */
static void arabic_letters(char *s)
{
    int persian = 0;
    for (const char *p = s; p[0] && p[1]; p++)
        persian |= at2(p, 0x6CC) || at2(p, 0x6A9) || at2(p, 0x67E) || at2(p, 0x686) ||
                   at2(p, 0x698) || at2(p, 0x6AF);
    for (char *p = s; p[0] && p[1]; p++) {
        unsigned to = 0;
        if (persian && (at2(p, 0x636) || at2(p, 0x638) || at2(p, 0x630)))
            to = 0x632; /* ز */
        else if (persian && at2(p, 0x62B))
            to = 0x633; /* س */
        else if (at2(p, 0x647) && strncmp(p + 2, "\xe2\x80\x8c", 3) == 0)
            to = 0x627; /* ا */
        else if (at2(p, 0x629) && (!p[2] || strchr(" ,;:)-", p[2])) &&
                 !(p[2] == ' ' && at2(p + 3, 0x627) && at2(p + 5, 0x644)))
            to = 0x627;
        if (to) {
            p[0] = (char)(0xC0 | (to >> 6));
            p[1] = (char)(0x80 | (to & 0x3F));
            p++;
        }
    }
}

int vigil__has_arabic(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xD8 && *p <= 0xDB)
            return 1;
    return 0;
}

int vigil__readings(const char *s)
{
    return vigil__cyrillic_lang(s) != VIGIL__LANG_ANY || vigil__has_arabic(s) ? 2 : 1;
}

int vigil__in_twice_read_script(const char *s)
{
    const char *script = vigil__script_of(s);
    return !strcmp(script, "Arabic") || !strcmp(script, "Cyrillic");
}

int vigil__to_latin(const char *in, char *out, size_t cap)
{
    return vigil__to_latin_as(in, -1, out, cap);
}

int vigil__to_latin_as(const char *in_raw, int lang, char *out, size_t cap)
{
    if (cap == 0)
        return -1;
    out[0] = '\0';
    size_t n8 = strlen(in_raw);
    if (is_ascii(in_raw)) { /* the usual case: lower-case it, no ICU */
        size_t k = 0;
        for (; k < n8 && k + 1 < cap; k++)
            out[k] =
                (char)((in_raw[k] >= 'A' && in_raw[k] <= 'Z') ? in_raw[k] + 32 : in_raw[k]);
        out[k] = '\0';
        return 0;
    }
    tstate *s = state();
    if (!s || n8 > 4096)
        return -1;
    if (lang < 0 || lang >= VIGIL__LANGS)
        lang = vigil__cyrillic_lang(in_raw);
    char *fixed = NULL;
    const char *in = in_raw;
    if (lang != VIGIL__LANG_ANY) {
        fixed = malloc(n8 * 2 + 8);
        if (!fixed)
            return -1;
        unhomoglyph(in_raw, fixed, n8 * 2 + 8);
        in = fixed;
        n8 = strlen(in);
    } else if (vigil__has_arabic(in_raw)) {
        fixed = strdup(in_raw);
        if (!fixed)
            return -1;
        arabic_letters(fixed);
        in = fixed;
    }
    /* Word by word, each remembered: names share their words (a customer
     * base holds many Mohammeds, Wangs and Ivanovs), and ICU's rules do not
     * reach across a space, so the words' readings joined are the text's
     * (checked on the 9,930 non-ASCII names of the four lists and the
     * synthetic persons: all the same). */
    size_t k = 0;
    int rc = 0;
    for (size_t i = 0; i < n8 && rc == 0;) {
        if (in[i] == ' ') {
            if (k + 1 >= cap) {
                rc = -1;
                break;
            }
            out[k++] = ' ';
            i++;
            continue;
        }
        size_t j = i;
        while (j < n8 && in[j] != ' ')
            j++;
        if (word_latin(s, lang, in + i, j - i, out + k, cap - k) != 0) {
            rc = -1;
            break;
        }
        k += strlen(out + k);
        i = j;
    }
    free(fixed);
    if (rc != 0) {
        out[0] = '\0';
        return -1;
    }
    out[k] = '\0';
    return 0;
}
