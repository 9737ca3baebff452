/*
 * parts.c - the names one name field holds. A customer record or a list's
 * transcription often writes two spellings or an alias in one field:
 * "Алексей ДИКИЙ / Олексiй ДIКIЙ" (Russian and Ukrainian), "Игорь ГИРКИН
 * (a.k.a. Igor STRELKOV, Ihor STRIELKOV)", "John Smith; Jon Smyth". Each is
 * a name of its own: screened as one string, the words of both spellings
 * count as extra words against either. vigil_screen screens every part and
 * the whole, and keeps each entity's best (docs/screening.md).
 */
#include <ctype.h>
#include <string.h>

#include "engine.h"

/* 1 when the text at p starts an alias marker word ("a.k.a.", "aka",
 * "f.k.a.", "alias", "also known as"), its length in *len. */
static int alias_marker(const char *p, const char *start, size_t *len)
{
    static const char *const marks[] = {"a.k.a.", "a.k.a", "f.k.a.", "f.k.a",          "n.k.a.",
                                        "aka ",   "fka ",  "alias ", "also known as ", NULL};
    if (p > start && isalnum((unsigned char)p[-1]))
        return 0;
    /* (each starts with one of these letters: the rest of a name's letters
     * are passed over at once) */
    int c = tolower((unsigned char)*p);
    if (c != 'a' && c != 'f' && c != 'n')
        return 0;
    for (const char *const *m = marks; *m; m++) {
        size_t l = strlen(*m);
        if (strncasecmp(p, *m, l) == 0) {
            *len = l;
            return 1;
        }
    }
    return 0;
}

/* 1 for a byte of a word: a letter, a digit, or part of a non-ASCII letter. */
static int is_letter(char c)
{
    return (unsigned char)c >= 0x80 || isalnum((unsigned char)c);
}

/* How many words s[0..n) has. */
static int words_in(const char *s, size_t n)
{
    int w = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int letter = is_letter(s[i]);
        w += letter && !in;
        in = letter;
    }
    return w;
}

/* Appends s[0..n), trimmed of spaces and punctuation at its ends, as a part
 * when it has a letter. */
static void push(char parts[][VIGIL__PART_LEN], int *np, int max, const char *s, size_t n)
{
    while (n && (isspace((unsigned char)*s) || strchr(",;:()[]/", *s))) {
        s++;
        n--;
    }
    while (n && (isspace((unsigned char)s[n - 1]) || strchr(",;:()[]/", s[n - 1])))
        n--;
    if (*np >= max || !n || !words_in(s, n) || n >= VIGIL__PART_LEN)
        return;
    memcpy(parts[*np], s, n);
    parts[*np][n] = '\0';
    (*np)++;
}

int vigil__name_parts(const char *text, char parts[][VIGIL__PART_LEN], int max)
{
    size_t len = strlen(text);
    int np = 0;
    /* the segments between separators; after an alias marker commas
     * separate the aliases ("a.k.a. Igor STRELKOV, Ihor STRIELKOV"), before
     * one a comma is the family name's ("PUTIN, Vladimir") */
    size_t from = 0;
    int after_alias = 0, split = 0;
    for (size_t i = 0; i <= len && np < max;) {
        size_t ml = 0;
        int cut = 0, skip = 1;
        if (i == len) {
            cut = 1;
        } else if (text[i] == ';' || text[i] == '(' || text[i] == ')' || text[i] == '[' ||
                   text[i] == ']') {
            cut = 1;
        } else if (text[i] == '/') {
            /* "A/S" is a legal form, "24/7" a number: a slash parts two
             * names only when each side holds two words or more */
            size_t next = i + 1;
            while (next < len && text[next] != '/' && text[next] != ';' && text[next] != '(')
                next++;
            /* and neither word touching it is a lone letter ("I/E CORP.",
             * import/export) */
            size_t l = i, r = i + 1;
            while (l > from && is_letter(text[l - 1]))
                l--;
            while (r < len && is_letter(text[r]))
                r++;
            cut = words_in(text + from, i - from) >= 2 &&
                  words_in(text + i + 1, next - i - 1) >= 2 && i - l != 1 && r - i - 1 != 1;
        } else if (text[i] == ',' && after_alias) {
            cut = 1;
        } else if (alias_marker(text + i, text, &ml)) {
            cut = 1;
            skip = (int)ml;
        }
        if (!cut) {
            i++;
            continue;
        }
        if (i < len)
            split = 1;
        push(parts, &np, max, text + from, i - from);
        if (ml)
            after_alias = 1;
        i += (size_t)skip;
        from = i;
    }
    if (!split || np < 2)
        return 0;
    return np;
}

int vigil__trailing_name(const char *text, char head[VIGIL__PART_LEN],
                         char tail[VIGIL__PART_LEN])
{
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (!len || text[len - 1] != ')')
        return 0;
    /* the bracket that opens the last one, with none inside it */
    size_t open = len - 1;
    while (open > 0 && text[open - 1] != '(' && text[open - 1] != ')')
        open--;
    if (open == 0 || text[open - 1] != '(' || open - 1 == 0)
        return 0;
    char h[1][VIGIL__PART_LEN], t[1][VIGIL__PART_LEN];
    int nh = 0, nt = 0;
    push(h, &nh, 1, text, open - 1);
    push(t, &nt, 1, text + open, len - 1 - open);
    /* the head without brackets of its own */
    if (nh != 1 || nt != 1 || strpbrk(h[0], "()"))
        return 0;
    memcpy(head, h[0], VIGIL__PART_LEN);
    memcpy(tail, t[0], VIGIL__PART_LEN);
    return 1;
}
