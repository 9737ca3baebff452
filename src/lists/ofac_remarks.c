/*
 * ofac_remarks.c - the facts OFAC keeps in its free-text remarks.
 *
 * The SDN remarks are "; "-separated statements: "DOB 12 Jul 1986", "POB
 * Tehran, Iran", "nationality Syria", "citizen Mexico", "Gender Male",
 * "Passport A123 (Iran) issued ...", "Cedula No. 123 (Colombia)", "a.k.a.
 * 'BNC'", "Linked To: X", "Digital Currency Address - XBT 1abc...", each
 * possibly preceded by "alt.". Statements of those forms become fields; the
 * full text always stays in "remarks" so nothing is lost.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ofac.h"

const char *vigil__ofac_schema(const char *type)
{
    if (!type)
        return "Organization";
    if (vigil__ieq(type, "individual"))
        return "Person";
    if (vigil__ieq(type, "vessel"))
        return "Vessel";
    if (vigil__ieq(type, "aircraft"))
        return "Airplane";
    return "Organization";
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Labels that start statements which are not identifiers, though a number
 * follows them. */
static const char *const not_ids[] = {"DOB",
                                      "POB",
                                      "nationality",
                                      "citizen",
                                      "Gender",
                                      "Linked To",
                                      "Additional Sanctions",
                                      "Executive Order",
                                      "Secondary sanctions",
                                      "Transactions Prohibited",
                                      "Organization ",
                                      "Aircraft Manufacture Date",
                                      "Aircraft Model",
                                      "Aircraft Operator",
                                      "Aircraft Manufacturer",
                                      "Phone",
                                      "Telephone",
                                      "Fax",
                                      "Email",
                                      "Website",
                                      "Member",
                                      "CAATSA",
                                      "Former Vessel",
                                      "Vessel Year of Build",
                                      "Vessel Type",
                                      "Digital Currency",
                                      "Target Type",
                                      "Effective Date",
                                      "Listing Date",
                                      "Previous",
                                      "Nationality of Registration",
                                      "Equity Ticker",
                                      "ISIN",
                                      "all offices",
                                      "IFCA",
                                      "Sanctions",
                                      NULL};

/* Words that mark a label as naming an identifier. */
static const char *const id_marks[] = {
    "No.",    "No ",     "#",       "Number",   "ID",     "Identification", "Passport",
    "Cedula", "License", "Licence", "Code",     "MMSI",   "D.N.I.",         "NIT",
    "RUC",    "RIF",     "SSN",     "C.U.R.P.", "R.F.C.", "CUIT",           "Registration",
    "Card",   "IMO",     NULL};

/* Tries "LABEL NUMBER [(COUNTRY)] [rest]". Returns 1 when s was one. */
static int identifier(json_t *e, char *s, int *bad)
{
    for (const char *const *n = not_ids; *n; n++)
        if (starts(s, *n))
            return 0;
    /* the label ends before the first word holding a digit */
    char *num = NULL;
    for (char *w = s; *w;) {
        char *end = strchr(w, ' ');
        size_t len = end ? (size_t)(end - w) : strlen(w);
        for (size_t i = 0; i < len; i++)
            if (isdigit((unsigned char)w[i])) {
                num = w;
                break;
            }
        if (num || !end)
            break;
        w = end + 1;
    }
    if (!num || num == s)
        return 0;
    char label[128];
    size_t ll = (size_t)(num - s);
    if (ll >= sizeof(label))
        return 0;
    memcpy(label, s, ll);
    label[ll] = '\0';
    int marked = 0;
    for (const char *const *m = id_marks; *m && !marked; m++)
        marked = strstr(label, *m) != NULL;
    if (!marked)
        return 0;
    /* the number runs to "(" or to "issued"/"expires" words */
    char *stop = num + strlen(num);
    static const char *const stops[] = {" (", " issued", " expires", " Issue", " Expir", NULL};
    for (const char *const *t = stops; *t; t++) {
        char *x = strstr(num, *t);
        if (x && x < stop)
            stop = x;
    }
    char *country = NULL, *note = NULL;
    if (*stop) {
        note = stop + 1;
        if (stop[0] == ' ' && stop[1] == '(') {
            char *close = strchr(stop + 2, ')');
            if (close) {
                *close = '\0';
                country = stop + 2;
                note = close[1] ? close + 1 : NULL;
            }
        }
    }
    *stop = '\0';
    while (ll > 0 && label[ll - 1] == ' ')
        label[--ll] = '\0';
    const char *type = vigil__id_type(label);
    if (strcmp(type, "imo") == 0)
        *bad |= vigil__ent_set(e, "imo", num);
    char fullnote[256];
    snprintf(fullnote, sizeof(fullnote), "%s%s%s", label, note ? "; " : "", note ? note : "");
    *bad |= vigil__ent_identifier(e, type, num, country, fullnote);
    return 1;
}

/* The text between the first pair of single quotes, in place; s if none. */
static char *quoted(char *s)
{
    char *a = strchr(s, '\'');
    char *b = a ? strrchr(a + 1, '\'') : NULL;
    if (!a || !b)
        return s;
    *b = '\0';
    return a + 1;
}

static int statement(json_t *e, char *s)
{
    int bad = 0;
    if (starts(s, "alt. "))
        s += 5;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.') /* the full stop ending the remarks */
        s[--n] = '\0';
    if (starts(s, "DOB "))
        bad |= vigil__ent_birth_date(e, s + 4);
    else if (starts(s, "POB ")) {
        const char *country = strrchr(s + 4, ',');
        bad |= vigil__ent_birth_place(e, s + 4, country ? country + 1 : s + 4);
    } else if (starts(s, "nationality "))
        bad |= vigil__ent_nationality(e, s + 12);
    else if (starts(s, "citizen "))
        bad |= vigil__ent_nationality(e, s + 8);
    else if (starts(s, "Gender "))
        bad |= vigil__ent_gender(e, s + 7);
    else if (starts(s, "a.k.a. "))
        bad |= vigil__ent_name(e, quoted(s + 7), "weak_alias", NULL);
    else if (starts(s, "f.k.a. "))
        bad |= vigil__ent_name(e, quoted(s + 7), "former", NULL);
    else if (starts(s, "n.k.a. "))
        bad |= vigil__ent_name(e, quoted(s + 7), "alias", NULL);
    else if (starts(s, "Linked To: "))
        bad |= vigil__ent_list(e, "linked_to", s + 11);
    else if (starts(s, "Former Vessel Flag "))
        bad |= vigil__ent_list(e, "previous_flags", s + 19);
    else if (starts(s, "Email Address "))
        bad |= vigil__ent_list(e, "emails", s + 14);
    else if (starts(s, "Website "))
        bad |= vigil__ent_list(e, "websites", s + 8);
    else if (starts(s, "Phone Number "))
        bad |= vigil__ent_list(e, "phones", s + 13);
    else if (starts(s, "Digital Currency Address - ")) {
        char *cur = s + 27, *addr = strchr(cur, ' ');
        if (addr) {
            *addr++ = '\0';
            bad |= vigil__ent_identifier(e, "crypto_wallet", addr, NULL, cur);
        }
    } else if (starts(s, "SWIFT/BIC ") || starts(s, "SWIFT ")) {
        /* a bank's BIC: letters only as often as not ("MELIIRTH"), so not
         * found by the digit an identifier's number has */
        char *bic = strchr(s, ' ') + 1, *end = bic + strcspn(bic, " ;(");
        char keep = *end;
        *end = '\0';
        bad |= vigil__ent_identifier(e, "swift_bic", bic, NULL, "SWIFT/BIC");
        *end = keep;
    } else
        identifier(e, s, &bad);
    return bad;
}

int vigil__ofac_remarks(json_t *e, const char *remarks)
{
    if (!remarks || !*remarks)
        return 0;
    size_t n = strlen(remarks);
    if (n > VIGIL__MAX_FIELD_BYTES)
        return -1;
    int bad = vigil__ent_list(e, "remarks", remarks);
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, remarks, n + 1);
    char *save = NULL;
    for (char *s = strtok_r(copy, ";", &save); s; s = strtok_r(NULL, ";", &save)) {
        while (*s == ' ')
            s++;
        if (*s)
            bad |= statement(e, s);
    }
    free(copy);
    return bad;
}
