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
 * its own on first use (about a millisecond) and keeps it.
 */
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

static _Thread_local UTransliterator *tls_trans;
static _Thread_local int tls_failed;
/* the last text transliterated on this thread, and its result */
static _Thread_local char tls_last_in[256], tls_last_out[512];

static UTransliterator *get(void)
{
    if (tls_trans || tls_failed)
        return tls_trans;
    UChar id[] = {'v', 'i', 'g', 'i', 'l', 0};
    UChar *r = malloc(sizeof(UChar) * sizeof(rules));
    if (!r) {
        tls_failed = 1;
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(r, (int32_t)sizeof(rules), &n, rules, -1, &st);
    UParseError pe;
    if (U_SUCCESS(st))
        tls_trans = utrans_openU(id, -1, UTRANS_FORWARD, r, n, &pe, &st);
    free(r);
    if (U_FAILURE(st)) {
        tls_trans = NULL;
        tls_failed = 1;
    }
    return tls_trans;
}

void vigil__translit_release(void)
{
    if (tls_trans)
        utrans_close(tls_trans);
    tls_trans = NULL;
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
    /* a query is prepared once per class of entity it may meet: the same
     * text several times in a row */
    if (n8 < sizeof(tls_last_in) && strcmp(in, tls_last_in) == 0 && strlen(tls_last_out) < cap) {
        memcpy(out, tls_last_out, strlen(tls_last_out) + 1);
        return 0;
    }
    UTransliterator *t = get();
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
    if (n8 < sizeof(tls_last_in) && (size_t)n < sizeof(tls_last_out)) {
        memcpy(tls_last_in, in, n8 + 1);
        memcpy(tls_last_out, out, (size_t)n + 1);
    }
    return 0;
}
