/*
 * metrics.c - string metrics on Unicode code points: Levenshtein,
 * Damerau-Levenshtein (unrestricted), Hamming, Jaro, Jaro-Winkler (with the
 * long-strings tolerance) and American Soundex. They agree with the jellyfish
 * test vectors in ../shared/eval/string-metrics (tests/test_match.c).
 *
 * The matcher (match.c) calls them on prepared tokens, which are short; the
 * quadratic algorithms use stack buffers up to VIGIL__METRIC_MAX code points
 * and the heap beyond.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "../internal.h"

#define STACK_MAX 64

size_t vigil__utf8_to_cp(const char *s, uint32_t *out, size_t cap)
{
    int32_t i = 0, n = (int32_t)strlen(s);
    size_t k = 0;
    while (i < n && k < cap) {
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, n, c);
        out[k++] = c < 0 ? 0xFFFD : (uint32_t)c;
    }
    return k;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t vigil__levenshtein(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (n == 0)
        return m;
    if (m == 0)
        return n;
    size_t stack[STACK_MAX + 1];
    size_t *row = m < STACK_MAX ? stack : malloc((m + 1) * sizeof(size_t));
    if (!row)
        return n > m ? n : m; /* defensive: out of memory reads as "all different" */
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            row[j] = min3(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1]));
            diag = up;
        }
    }
    size_t d = row[m];
    if (row != stack)
        free(row);
    return d;
}

size_t vigil__damerau(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    /* Lowrance-Wagner: the full matrix, and for each character the last row
     * of a in which it was seen. Tokens are short: stack buffers up to
     * STACK_MAX code points a side. */
    size_t w = m + 2;
    size_t dstack[(STACK_MAX + 2) * (STACK_MAX + 2)];
    uint32_t cstack[2 * STACK_MAX + 1];
    size_t lstack[2 * STACK_MAX + 1];
    int small = n <= STACK_MAX && m <= STACK_MAX;
    size_t *d = small ? dstack : malloc((n + 2) * w * sizeof(size_t));
    uint32_t *chars = small ? cstack : malloc((n + m + 1) * sizeof(uint32_t));
    size_t *last = small ? lstack : malloc((n + m + 1) * sizeof(size_t));
    if (!d || !chars || !last) {
        if (!small) {
            free(d);
            free(chars);
            free(last);
        }
        return n > m ? n : m; /* defensive: out of memory reads as "all different" */
    }
    memset(last, 0, (n + m + 1) * sizeof(size_t));
    size_t nchars = 0;
    size_t maxd = n + m;
#define D(i, j) d[(size_t)(i)*w + (size_t)(j)]
    D(0, 0) = maxd;
    for (size_t i = 0; i <= n; i++) {
        D(i + 1, 0) = maxd;
        D(i + 1, 1) = i;
    }
    for (size_t j = 0; j <= m; j++) {
        D(0, j + 1) = maxd;
        D(1, j + 1) = j;
    }
    for (size_t i = 1; i <= n; i++) {
        size_t db = 0;
        for (size_t j = 1; j <= m; j++) {
            /* i1: last row of a holding b[j-1] */
            size_t i1 = 0;
            for (size_t k = 0; k < nchars; k++)
                if (chars[k] == b[j - 1]) {
                    i1 = last[k];
                    break;
                }
            size_t j1 = db;
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            if (!cost)
                db = j;
            size_t v = min3(D(i, j) + cost, D(i + 1, j) + 1, D(i, j + 1) + 1);
            size_t t = D(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1);
            D(i + 1, j + 1) = v < t ? v : t;
        }
        size_t k = 0;
        while (k < nchars && chars[k] != a[i - 1])
            k++;
        if (k == nchars)
            chars[nchars++] = a[i - 1];
        last[k] = i;
    }
    size_t r = D(n + 1, m + 1);
#undef D
    if (!small) {
        free(d);
        free(chars);
        free(last);
    }
    return r;
}

/* Optimal string alignment with three rows (two back for the
 * transposition): the distance, or maxd + 1 as soon as it must exceed maxd.
 * Rows on the stack up to STACK_MAX code points, on the heap beyond. */
static size_t osa_rows(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t maxd)
{
    size_t diff = n > m ? n - m : m - n;
    if (diff > maxd)
        return maxd + 1;
    if (n == 0 || m == 0)
        return n + m;
    size_t stack[3 * (STACK_MAX + 1)];
    size_t *rows = m <= STACK_MAX ? stack : malloc(3 * (m + 1) * sizeof(size_t));
    if (!rows)
        return n > m ? n : m; /* defensive: out of memory reads as "all different" */
    size_t *pp = rows, *p = rows + m + 1, *c = rows + 2 * (m + 1);
    for (size_t j = 0; j <= m; j++)
        p[j] = j;
    size_t result = 0;
    for (size_t i = 1; i <= n; i++) {
        c[0] = i;
        size_t rowmin = c[0];
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        /* every later cell is at least the smaller of this row's and the
         * previous row's minimum (a transposition reaches back one row) */
        if (rowmin > maxd && i > 1) {
            size_t prevmin = p[0];
            for (size_t j = 1; j <= m; j++)
                prevmin = p[j] < prevmin ? p[j] : prevmin;
            if (prevmin > maxd) {
                result = maxd + 1;
                goto done;
            }
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    result = p[m] > maxd ? maxd + 1 : p[m];
done:
    if (rows != stack)
        free(rows);
    return result;
}

size_t vigil__osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    return osa_rows(a, n, b, m, n + m);
}

size_t vigil__osa_bounded(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t maxd)
{
    return osa_rows(a, n, b, m, maxd);
}

size_t vigil__hamming(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t k = n < m ? n : m, d = (n > m ? n - m : m - n);
    for (size_t i = 0; i < k; i++)
        d += a[i] != b[i];
    return d;
}

double vigil__jaro_winkler_ex(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                              int winklerize, int long_tolerance)
{
    if (!n || !m)
        return 0.0;
    size_t range = (n > m ? n : m) / 2;
    range = range > 0 ? range - 1 : 0;
    unsigned char sa[STACK_MAX], sb[STACK_MAX];
    unsigned char *fa = n <= STACK_MAX ? sa : calloc(n, 1);
    unsigned char *fb = m <= STACK_MAX ? sb : calloc(m, 1);
    if (!fa || !fb) {
        if (fa != sa)
            free(fa);
        if (fb != sb)
            free(fb);
        return 0.0;
    }
    if (fa == sa)
        memset(fa, 0, n);
    if (fb == sb)
        memset(fb, 0, m);
    size_t common = 0;
    for (size_t i = 0; i < n; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range < m - 1 ? i + range : m - 1;
        for (size_t j = lo; j <= hi; j++)
            if (!fb[j] && b[j] == a[i]) {
                fa[i] = fb[j] = 1;
                common++;
                break;
            }
    }
    double weight = 0.0;
    if (common) {
        size_t k = 0, trans = 0;
        for (size_t i = 0; i < n; i++) {
            if (!fa[i])
                continue;
            size_t j = k;
            while (j < m && !fb[j])
                j++;
            k = j + 1;
            if (j < m && a[i] != b[j])
                trans++;
        }
        trans /= 2;
        double c = (double)common;
        weight = (c / (double)n + c / (double)m + (c - (double)trans) / c) / 3.0;
        size_t minlen = n < m ? n : m;
        if (winklerize && weight > 0.7) {
            size_t lim = minlen < 4 ? minlen : 4, i = 0;
            while (i < lim && a[i] == b[i])
                i++;
            if (i)
                weight += (double)i * 0.1 * (1.0 - weight);
            if (long_tolerance && minlen > 4 && common > i + 1 && 2 * common >= minlen + i)
                weight +=
                    (1.0 - weight) * ((double)(common - i - 1) / (double)(n + m - i * 2 + 2));
        }
    }
    if (fa != sa)
        free(fa);
    if (fb != sb)
        free(fb);
    return weight;
}

double vigil__jaro_winkler_short(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    /* the same as vigil__jaro_winkler, with the matched flags as bits: the
     * matcher's tokens are under 64 code points */
    if (n > 64 || m > 64)
        return vigil__jaro_winkler(a, n, b, m);
    if (!n || !m)
        return 0.0;
    size_t range = (n > m ? n : m) / 2;
    range = range > 0 ? range - 1 : 0;
    uint64_t fa = 0, fb = 0;
    size_t common = 0;
    /* where each character (by its low 5 bits) stands in b: the search for
     * a match in the window is then a mask, not a loop */
    uint64_t pos[32] = {0};
    for (size_t j = 0; j < m; j++)
        pos[b[j] & 31] |= 1ull << j;
    for (size_t i = 0; i < n; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range < m - 1 ? i + range : m - 1;
        if (lo > hi)
            continue;
        uint64_t window = (hi - lo + 1 >= 64 ? ~0ull : ((1ull << (hi - lo + 1)) - 1)) << lo;
        /* characters alike in their low bits share a mask: checked below */
        uint64_t cand = pos[a[i] & 31] & window & ~fb;
        while (cand) {
            unsigned j = (unsigned)__builtin_ctzll(cand);
            if (j < m && b[j] == a[i]) {
                fa |= 1ull << i;
                fb |= 1ull << j;
                common++;
                break;
            }
            cand &= cand - 1;
        }
    }
    if (!common)
        return 0.0;
    size_t trans = 0;
    uint64_t rb = fb;
    for (size_t i = 0; i < n; i++) {
        if (!(fa >> i & 1))
            continue;
        int j = __builtin_ctzll(rb);
        rb &= rb - 1;
        trans += a[i] != b[j];
    }
    trans /= 2;
    double c = (double)common;
    double weight = (c / (double)n + c / (double)m + (c - (double)trans) / c) / 3.0;
    if (weight > 0.7) {
        size_t minlen = n < m ? n : m, lim = minlen < 4 ? minlen : 4, i = 0;
        while (i < lim && a[i] == b[i])
            i++;
        weight += (double)i * 0.1 * (1.0 - weight);
    }
    return weight;
}

double vigil__jaro(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    return vigil__jaro_winkler_ex(a, n, b, m, 0, 0);
}

double vigil__jaro_winkler(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    return vigil__jaro_winkler_ex(a, n, b, m, 1, 0);
}

/* The code point at dec[*i], advancing *i (U16_NEXT without its sign
 * conversions). */
static UChar32 next16(const UChar *dec, int32_t *i, int32_t n)
{
    UChar32 c = dec[(*i)++];
    if (c >= 0xD800 && c <= 0xDBFF && *i < n && dec[*i] >= 0xDC00 && dec[*i] <= 0xDFFF) {
        UChar32 t = dec[(*i)++];
        c = (UChar32)(((c - 0xD800) << 10) + (t - 0xDC00) + 0x10000);
    }
    return c;
}

/* Soundex digit of an upper-case letter, 0 for none. */
static char soundex_digit(uint32_t c)
{
    switch (c) {
    case 'B':
    case 'F':
    case 'P':
    case 'V':
        return '1';
    case 'C':
    case 'G':
    case 'J':
    case 'K':
    case 'Q':
    case 'S':
    case 'X':
    case 'Z':
        return '2';
    case 'D':
    case 'T':
        return '3';
    case 'L':
        return '4';
    case 'M':
    case 'N':
        return '5';
    case 'R':
        return '6';
    default:
        return 0;
    }
}

int vigil__soundex(const char *s, char *out, size_t size)
{
    if (size < 9)
        return -1;
    out[0] = '\0';
    if (!s || !*s)
        return 0;
    /* compatibility decomposition: "Ç" is "C" and a mark */
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&st);
    UChar in[256], dec[1024];
    int32_t n16 = 0;
    u_strFromUTF8(in, 256, &n16, s, -1, &st);
    if (U_FAILURE(st))
        return -1;
    int32_t nd = unorm2_normalize(nfkd, in, n16, dec, 1024, &st);
    if (U_FAILURE(st) || nd == 0)
        return -1;
    /* the first character, upper-cased, whatever it is */
    int32_t i = 0;
    UChar32 c0 = u_toupper(next16(dec, &i, nd));
    int32_t w = 0;
    UErrorCode st2 = U_ZERO_ERROR;
    if (c0 < 0x80)
        out[w++] = (char)c0;
    else {
        /* the first character in UTF-8, as it is */
        UChar one[2];
        int32_t n1 = 0;
        if (c0 > 0xFFFF) {
            one[n1++] = (UChar)(0xD7C0 + (c0 >> 10));
            one[n1++] = (UChar)(0xDC00 | (c0 & 0x3FF));
        } else
            one[n1++] = (UChar)c0;
        u_strToUTF8(out, (int32_t)size - 4, &w, one, n1, &st2);
        if (U_FAILURE(st2))
            return -1;
    }
    char last = soundex_digit((uint32_t)c0);
    int count = 1;
    while (i < nd && count < 4) {
        UChar32 c = next16(dec, &i, nd);
        char dgt = soundex_digit((uint32_t)u_toupper(c));
        if (dgt) {
            if (dgt != last) {
                out[w++] = dgt;
                count++;
            }
            last = dgt;
        } else if (u_toupper(c) != 'H' && u_toupper(c) != 'W') {
            last = 0;
        }
    }
    while (count++ < 4)
        out[w++] = '0';
    out[w] = '\0';
    return 0;
}
