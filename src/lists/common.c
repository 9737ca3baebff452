/*
 * common.c - what every list parser shares: format detection from content,
 * error and skip reporting with file and line, and handing checked entities
 * to the sink. Each format lives in its own file (eu_fsf.c, un_sc.c, uk.c,
 * ofac_xml.c, ofac_csv.c, ftm.c); docs/lists.md describes them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../internal.h"

int vigil__parse_fail(vigil__parse *p, const char *path, size_t line, const char *fmt, ...)
{
    char reason[VIGIL__ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (line)
        snprintf(p->err, sizeof(p->err), "%s:%zu: %s", path, line, reason);
    else
        snprintf(p->err, sizeof(p->err), "%s: %s", path, reason);
    return VIGIL_ERR_FORMAT;
}

int vigil__parse_skip(vigil__parse *p, const char *path, size_t line, const char *fmt, ...)
{
    char reason[VIGIL__ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (!p->lenient)
        return vigil__parse_fail(p, path, line, "%s", reason);
    if (p->skipped++ == 0)
        snprintf(p->first_skip, sizeof(p->first_skip), "%s:%zu: %s", path, line, reason);
    return 0;
}

int vigil__parse_emit(vigil__parse *p, json_t *e, const char *path, size_t line)
{
    if (!e)
        return vigil__parse_fail(p, path, line, "out of memory");
    const char *why = vigil__ent_check(e);
    int rc;
    if (why) {
        rc = vigil__parse_skip(p, path, line, "%s", why);
    } else {
        p->cur_path = path;
        p->cur_line = line;
        rc = p->sink(p, e);
    }
    json_decref(e);
    return rc;
}

/* Skips BOM, white space, the XML declaration, comments, processing
 * instructions and a DOCTYPE; returns the root element's local name in buf. */
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

vigil__format vigil__detect(const char *data, size_t len)
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
        return VIGIL__FMT_UNKNOWN;
    if (s[i] == '<') {
        char root[64];
        if (!xml_root(s, n, root, sizeof(root)))
            return VIGIL__FMT_UNKNOWN;
        if (strcmp(root, "export") == 0 || strcmp(root, "sanctionEntity") == 0)
            return VIGIL__FMT_EU_FSF;
        if (strcmp(root, "CONSOLIDATED_LIST") == 0)
            return VIGIL__FMT_UN_SC;
        if (strcmp(root, "Designations") == 0)
            return VIGIL__FMT_UK;
        if (strcmp(root, "sdnList") == 0)
            return VIGIL__FMT_OFAC_XML;
        if (strcmp(root, "sanctionsData") == 0 || strcmp(root, "Sanctions") == 0)
            return VIGIL__FMT_OFAC_ADVANCED;
        return VIGIL__FMT_UNKNOWN;
    }
    if (s[i] == '{')
        return VIGIL__FMT_FTM;
    int numeric;
    int fields = csv_first_row(s + i, n - i, &numeric);
    if (!numeric)
        return VIGIL__FMT_UNKNOWN;
    switch (fields) {
    case 12:
        return VIGIL__FMT_OFAC_CSV_SDN;
    case 5:
        return VIGIL__FMT_OFAC_CSV_ALT;
    case 6:
        return VIGIL__FMT_OFAC_CSV_ADD;
    case 2:
        return VIGIL__FMT_OFAC_CSV_COMMENTS;
    default:
        return VIGIL__FMT_UNKNOWN;
    }
}

const char *vigil__format_name(vigil__format f)
{
    switch (f) {
    case VIGIL__FMT_EU_FSF:
        return "eu-fsf-xml";
    case VIGIL__FMT_UN_SC:
        return "un-sc-xml";
    case VIGIL__FMT_UK:
        return "uk-sanctions-xml";
    case VIGIL__FMT_OFAC_XML:
        return "ofac-sdn-xml";
    case VIGIL__FMT_OFAC_CSV_SDN:
    case VIGIL__FMT_OFAC_CSV_ALT:
    case VIGIL__FMT_OFAC_CSV_ADD:
    case VIGIL__FMT_OFAC_CSV_COMMENTS:
        return "ofac-sdn-csv";
    case VIGIL__FMT_FTM:
        return "ftm-jsonl";
    case VIGIL__FMT_OFAC_ADVANCED:
        return "ofac-advanced-xml";
    case VIGIL__FMT_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *vigil__format_source(vigil__format f)
{
    switch (f) {
    case VIGIL__FMT_EU_FSF:
        return "eu";
    case VIGIL__FMT_UN_SC:
        return "un";
    case VIGIL__FMT_UK:
        return "uk";
    case VIGIL__FMT_OFAC_XML:
    case VIGIL__FMT_OFAC_CSV_SDN:
    case VIGIL__FMT_OFAC_CSV_ALT:
    case VIGIL__FMT_OFAC_CSV_ADD:
    case VIGIL__FMT_OFAC_CSV_COMMENTS:
    case VIGIL__FMT_OFAC_ADVANCED:
        return "ofac";
    case VIGIL__FMT_FTM:
        return "ftm";
    case VIGIL__FMT_UNKNOWN:
        break;
    }
    return "";
}

int vigil__parse_run(vigil__parse *p, vigil__format f)
{
    switch (f) {
    case VIGIL__FMT_EU_FSF:
        return vigil__parse_eu(p);
    case VIGIL__FMT_UN_SC:
        return vigil__parse_un(p);
    case VIGIL__FMT_UK:
        return vigil__parse_uk(p);
    case VIGIL__FMT_OFAC_XML:
        return vigil__parse_ofac_xml(p);
    case VIGIL__FMT_OFAC_CSV_SDN:
        return vigil__parse_ofac_csv(p);
    case VIGIL__FMT_FTM:
        return vigil__parse_ftm(p);
    case VIGIL__FMT_OFAC_CSV_ALT:
    case VIGIL__FMT_OFAC_CSV_ADD:
    case VIGIL__FMT_OFAC_CSV_COMMENTS:
        return vigil__parse_fail(p, p->files[0].path, 0,
                                 "an OFAC %s file needs its sdn.csv: give the files together "
                                 "or their folder",
                                 f == VIGIL__FMT_OFAC_CSV_ALT   ? "alt.csv"
                                 : f == VIGIL__FMT_OFAC_CSV_ADD ? "add.csv"
                                                                : "sdn_comments.csv");
    case VIGIL__FMT_OFAC_ADVANCED:
        return vigil__parse_fail(p, p->files[0].path, 0,
                                 "OFAC advanced XML (sdn_advanced.xsd) is not read: use the "
                                 "SDN legacy CSV set or sdn.xml (docs/lists.md)");
    case VIGIL__FMT_UNKNOWN:
        break;
    }
    return vigil__parse_fail(p, p->files[0].path, 1,
                             "unknown format: not an EU FSF, UN, UK or OFAC XML file, an OFAC "
                             "SDN CSV file, or FollowTheMoney JSON lines");
}
