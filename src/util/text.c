/*
 * text.c - small text helpers: white space, UTF-8 validation, NFC and script
 * detection through ICU, line numbers. Matching-grade normalisation lives in
 * src/text/ (issue 3); this is only what loading lists needs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "../internal.h"

/* Length of the Unicode white space (or NBSP) at s, 0 if none. s is valid UTF-8. */
static size_t space_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c < 0x80)
        return 0;
    int32_t i = 0, len = 4;
    UChar32 cp;
    for (int k = 0; k < 4; k++)
        if (!s[k]) {
            len = k;
            break;
        }
    U8_NEXT((const uint8_t *)s, i, len, cp);
    if (cp > 0 && (u_isUWhiteSpace(cp) || cp == 0x00A0 || cp == 0x200B || cp == 0xFEFF))
        return (size_t)i;
    return 0;
}

char *vigil__squeeze(char *s)
{
    if (!s)
        return s;
    char *w = s;
    const char *r = s;
    int pending = 0;
    while (*r) {
        size_t n = space_len(r);
        if (n) {
            pending = (w != s);
            r += n;
            continue;
        }
        if (pending) {
            *w++ = ' ';
            pending = 0;
        }
        *w++ = *r++;
    }
    *w = '\0';
    return s;
}

int vigil__utf8_valid(const char *s, size_t n, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t need;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07u;
        } else {
            goto fail;
        }
        if (i + need >= n) /* truncated sequence */
            goto fail;
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            goto fail;
        i += need + 1;
        continue;
    fail:
        if (bad)
            *bad = i;
        return 0;
    }
    return 1;
}

int vigil__ieq(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
    return *a == *b;
}

int vigil__iprefix(const char *s, const char *prefix)
{
    if (!s || !prefix)
        return 0;
    while (*prefix) {
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return 0;
        s++;
        prefix++;
    }
    return 1;
}

char *vigil__nfc(const char *s)
{
    size_t len = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    while (k < len && u[k] < 0x80)
        k++;
    if (k == len) { /* ASCII is NFC already: most list values are */
        char *copy = malloc(len + 1);
        if (copy)
            memcpy(copy, s, len + 1);
        return copy;
    }
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return NULL;
    int32_t n8 = (int32_t)strlen(s), n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, n8, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    st = U_ZERO_ERROR;
    UChar *in = malloc(sizeof(UChar) * (size_t)(n16 + 1));
    UChar *out = malloc(sizeof(UChar) * (size_t)(n16 * 3 + 1));
    char *res = NULL;
    if (!in || !out)
        goto done;
    u_strFromUTF8(in, n16 + 1, NULL, s, n8, &st);
    int32_t nout = unorm2_normalize(nfc, in, n16, out, n16 * 3 + 1, &st);
    if (U_FAILURE(st))
        goto done;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, out, nout, &st);
    st = U_ZERO_ERROR;
    res = malloc((size_t)need + 1);
    if (!res)
        goto done;
    u_strToUTF8(res, need + 1, NULL, out, nout, &st);
    if (U_FAILURE(st)) {
        free(res);
        res = NULL;
    }
done:
    free(in);
    free(out);
    return res;
}

int vigil__scripts_of(const char *s, const char **out, int max)
{
    int n = 0;
    int32_t i = 0, len = (int32_t)strlen(s);
    while (i < len && n < max) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)s, i, len, cp);
        if (cp < 0 || !u_isalpha(cp))
            continue;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(cp, &st);
        if (U_FAILURE(st) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED)
            continue;
        const char *name = uscript_getName(sc);
        int have = !name;
        for (int k = 0; k < n && !have; k++)
            have = strcmp(out[k], name) == 0;
        if (!have)
            out[n++] = name;
    }
    return n;
}

const char *vigil__script_of(const char *s)
{
    const char *first = "";
    vigil__scripts_of(s, &first, 1);
    return first;
}

size_t vigil__line_at(const char *data, size_t len, size_t off)
{
    size_t line = 1;
    if (off > len)
        off = len;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + off - p))) != NULL; p++)
        line++;
    return line;
}

uint64_t vigil__hash64_more(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = vigil__hash_mix(h, (unsigned char)s[i]);
    return h;
}

uint64_t vigil__hash64n(const char *s, size_t n)
{
    return vigil__hash64_more(VIGIL__HASH_START, s, n);
}

uint64_t vigil__hash64(const char *s)
{
    return vigil__hash64n(s, strlen(s));
}

uint64_t vigil_hash64(const char *s, size_t n)
{
    return vigil__hash64n(s, n);
}
