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
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "../internal.h"

static const char rules[] =
    "ү > u; Ү > U; ө > o; Ө > O; һ > h; Һ > H; ә > a; Ә > A; ғ > g; Ғ > G; қ > k; Қ > K;"
    "ң > n; Ң > N; ұ > u; Ұ > U; і > i; І > I; ї > yi; Ї > Yi; є > ye; Є > Ye; ґ > g;"
    "::Any-Latin;"
    "č > ch; Č > Ch; š > sh; Š > Sh; ž > zh; Ž > Zh; ć > ch; Ć > Ch; ǧ > g; ʿ > ; ʾ > ;"
    "ʹ > ; ʺ > ;"
    "::Latin-ASCII;"
    "::Lower;";

/* Each thread's transliterator and word cache, freed when the thread ends
 * (a pthread key destructor) or on vigil_thread_done. */
#define WORDS 4096 /* cached words per thread, a power of two */
typedef struct {
    uint64_t h; /* 0: empty */
    char in[48], out[80];
} word;
typedef struct {
    UTransliterator *t;
    int failed;
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
    if (s->t)
        utrans_close(s->t);
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

static UTransliterator *get(tstate *s)
{
    if (s->t || s->failed)
        return s->t;
    UChar id[] = {'v', 'i', 'g', 'i', 'l', 0};
    UChar *r = malloc(sizeof(UChar) * sizeof(rules));
    if (!r) {
        s->failed = 1;
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(r, (int32_t)sizeof(rules), &n, rules, -1, &st);
    UParseError pe;
    if (U_SUCCESS(st))
        s->t = utrans_openU(id, -1, UTRANS_FORWARD, r, n, &pe, &st);
    free(r);
    if (U_FAILURE(st)) {
        s->t = NULL;
        s->failed = 1;
    }
    return s->t;
}

void vigil__translit_release(void)
{
    pthread_once(&state_once, state_init);
    if (!state_key_ok)
        return;
    state_free(pthread_getspecific(state_key));
    pthread_setspecific(state_key, NULL);
}

void vigil_thread_done(void)
{
    vigil__translit_release();
    vigil__screen_thread_done();
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
static int icu_latin(tstate *s, const char *in, size_t n8, char *out, size_t cap)
{
    UTransliterator *t = get(s);
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

/* One space-free word into out (cap bytes), through this thread's cache. */
static int word_latin(tstate *s, const char *in, size_t n, char *out, size_t cap)
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
        int rc = w ? icu_latin(s, w, n, out, cap) : -1;
        free(w);
        return rc;
    }
    if (!s->words)
        s->words = calloc(WORDS, sizeof(word));
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)in[i]) * 1099511628211ull;
    h = h ? h : 1;
    word *c = s->words ? &s->words[h & (WORDS - 1)] : NULL;
    if (c && c->h == h && strncmp(c->in, in, n) == 0 && c->in[n] == '\0') {
        size_t l = strlen(c->out);
        if (l >= cap)
            return -1;
        memcpy(out, c->out, l + 1);
        return 0;
    }
    char w[sizeof(((word *)0)->in)];
    memcpy(w, in, n);
    w[n] = '\0';
    if (icu_latin(s, w, n, out, cap) != 0)
        return -1;
    if (c && strlen(out) < sizeof(c->out)) {
        c->h = h;
        memcpy(c->in, w, n + 1);
        memcpy(c->out, out, strlen(out) + 1);
    }
    return 0;
}

int vigil__to_latin(const char *in, char *out, size_t cap)
{
    if (cap == 0)
        return -1;
    out[0] = '\0';
    size_t n8 = strlen(in);
    if (is_ascii(in)) { /* the usual case: lower-case it, no ICU */
        size_t k = 0;
        for (; k < n8 && k + 1 < cap; k++)
            out[k] = (char)((in[k] >= 'A' && in[k] <= 'Z') ? in[k] + 32 : in[k]);
        out[k] = '\0';
        return 0;
    }
    tstate *s = state();
    if (!s || n8 > 4096)
        return -1;
    /* Word by word, each remembered: names share their words (a customer
     * base holds many Mohammeds, Wangs and Ivanovs), and ICU's rules do not
     * reach across a space, so the words' readings joined are the text's
     * (checked on the 9,930 non-ASCII names of the four lists and the
     * synthetic persons: all the same). */
    size_t k = 0;
    for (size_t i = 0; i < n8;) {
        if (in[i] == ' ') {
            if (k + 1 >= cap)
                return -1;
            out[k++] = ' ';
            i++;
            continue;
        }
        size_t j = i;
        while (j < n8 && in[j] != ' ')
            j++;
        if (word_latin(s, in + i, j - i, out + k, cap - k) != 0) {
            out[0] = '\0';
            return -1;
        }
        k += strlen(out + k);
        i = j;
    }
    out[k] = '\0';
    return 0;
}
