/*
 * formats.c - the list formats in one table: detection from a file's first
 * bytes and dispatch to its parser walk it; each format is a descriptor its
 * parser file exports (lists.h). docs/lists.md describes the formats.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../internal.h"

/* The formats the parser files export. */
extern const vigil__list_format vigil__fmt_eu_fsf, vigil__fmt_un_sc, vigil__fmt_uk,
    vigil__fmt_ofac_xml, vigil__fmt_ofac_advanced, vigil__fmt_ofac_csv_sdn,
    vigil__fmt_ofac_csv_alt, vigil__fmt_ofac_csv_add, vigil__fmt_ofac_csv_comments,
    vigil__fmt_ftm;

/* An XML file with an internal DTD: recognised, so that it is refused as
 * such, not as a format vigil does not know. */
static const vigil__list_format internal_dtd = {
    .name = "xml-internal-dtd",
    .source = "",
    .refused = "an internal DTD (<!DOCTYPE ... [ ... ]>) is not allowed: no list file has one, "
               "and its declarations (entities) are how XML bombs are made",
};

/* In detection order: the first whose signature fits. */
const vigil__list_format *const vigil__list_formats[] = {
    &vigil__fmt_eu_fsf,
    &vigil__fmt_un_sc,
    &vigil__fmt_uk,
    &vigil__fmt_ofac_xml,
    &vigil__fmt_ofac_advanced,
    &vigil__fmt_ofac_csv_sdn,
    &vigil__fmt_ofac_csv_alt,
    &vigil__fmt_ofac_csv_add,
    &vigil__fmt_ofac_csv_comments,
    &vigil__fmt_ftm,
    NULL,
};

/* Skips BOM, white space, the XML declaration, comments, processing
 * instructions and a DOCTYPE; returns 1 with the root element's local name
 * in buf, 0 when there is none, -1 for a DOCTYPE with an internal subset. */
static int xml_root(const char *s, size_t n, char *buf, size_t size)
{
    const char *end = s + n;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    while (s < end) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s >= end || *s != '<')
            return 0;
        if (end - s >= 4 && memcmp(s, "<!--", 4) == 0) {
            const char *c = s + 4;
            while (c + 3 <= end && memcmp(c, "-->", 3) != 0)
                c++;
            if (c + 3 > end)
                return 0;
            s = c + 3;
        } else if (end - s >= 2 && (s[1] == '?' || s[1] == '!')) {
            const char *c = memchr(s, '>', (size_t)(end - s));
            if (!c)
                return 0;
            /* <!DOCTYPE root [ ... ]>: declarations no list file has */
            if (end - s >= 9 && memcmp(s, "<!DOCTYPE", 9) == 0 &&
                memchr(s, '[', (size_t)(c - s)))
                return -1;
            s = c + 1;
        } else {
            s++;
            size_t k = 0;
            while (s < end && (isalnum((unsigned char)*s) || *s == '_' || *s == '-' ||
                               *s == ':' || *s == '.')) {
                if (*s == ':')
                    k = 0; /* drop the namespace prefix */
                else if (k + 1 < size)
                    buf[k++] = *s;
                s++;
            }
            buf[k] = '\0';
            return k > 0;
        }
    }
    return 0;
}

/* Number of fields in the first CSV row, and whether its first field is a
 * number, as OFAC's ent_num is. */
static int csv_first_row(const char *s, size_t n, int *numeric_first)
{
    int fields = 1, inq = 0;
    size_t i = 0;
    *numeric_first = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    size_t start = i;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    *numeric_first = i > start && i < n && s[i] == ',';
    for (i = start; i < n; i++) {
        char c = s[i];
        if (c == '"')
            inq = !inq;
        else if (!inq && c == ',')
            fields++;
        else if (!inq && (c == '\n' || c == '\r'))
            break;
    }
    return fields;
}

const vigil__list_format *vigil__detect(const char *data, size_t len)
{
    const char *s = data;
    size_t n = len;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i == n)
        return NULL;
    char root[64] = "";
    int xml = s[i] == '<', json = s[i] == '{', numeric = 0, fields = 0;
    int rooted = xml ? xml_root(s, n, root, sizeof(root)) : 1;
    if (rooted < 0)
        return &internal_dtd;
    if (!rooted)
        return NULL;
    if (!xml && !json) {
        fields = csv_first_row(s + i, n - i, &numeric);
        if (!numeric)
            return NULL;
    }
    for (const vigil__list_format *const *f = vigil__list_formats; *f; f++) {
        if (xml) {
            for (int r = 0; r < 3 && (*f)->xml_roots[r]; r++)
                if (strcmp(root, (*f)->xml_roots[r]) == 0)
                    return *f;
        } else if (json ? (*f)->json : (*f)->csv_fields == fields) {
            return *f;
        }
    }
    return NULL;
}

int vigil__parse_run(vigil__parse *p, const vigil__list_format *f)
{
    p->fmt = f;
    if (f && f->parse)
        return f->parse(p);
    if (f)
        return vigil__parse_fail(p, p->files[0].path, 0, "%s", f->refused);
    /* the formats read, by name */
    char known[256] = "";
    size_t k = 0;
    for (const vigil__list_format *const *x = vigil__list_formats; *x; x++)
        if ((*x)->parse && k < sizeof(known))
            k += (size_t)snprintf(known + k, sizeof(known) - k, "%s%s", k ? ", " : "",
                                  (*x)->name);
    return vigil__parse_fail(p, p->files[0].path, 1, "unknown format: not one vigil reads (%s)",
                             known);
}
