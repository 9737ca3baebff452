/*
 * api.c - vigil_compare, the public face of name matching.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"

int vigil_compare(const char *schema, const char *name1, const char *name2, double threshold,
                  int explain, vigil_comparison *out)
{
    if (!out)
        return VIGIL_ERR_ARG;
    memset(out, 0, sizeof(*out));
    if (!name1 || !name2)
        return VIGIL_ERR_ARG;
    if (schema && !vigil__schema_canonical(schema) && !vigil__ieq(schema, "LegalEntity"))
        return VIGIL_ERR_ARG;
    if (threshold <= 0)
        threshold = VIGIL_DEFAULT_THRESHOLD;
    int cls = vigil__schema_class(schema);
    /* a LegalEntity is a person or an organisation: an organisation when
     * either name carries a legal form */
    if (schema && vigil__ieq(schema, "LegalEntity") && !vigil__has_legal_form(name1) &&
        !vigil__has_legal_form(name2))
        cls = VIGIL__CLASS_PERSON;
    /* a Cyrillic or Arabic-script name has a second reading, the scholarly
     * one (Жуков zukov beside zhukov; حمزة hmzt beside hmza): each reading
     * prepared once, the best pair decides */
    static const int langs[2] = {-1, VIGIL__LANG_SCHOLARLY};
    int na = vigil__readings(name1), nb = vigil__readings(name2);
    vigil__pname *a[2] = {NULL, NULL}, *b[2] = {NULL, NULL};
    int ra[2] = {-1, -1}, rb[2] = {-1, -1}, nomem = 0;
    for (int x = 0; x < 2; x++) {
        if (x < na && (a[x] = malloc(sizeof(vigil__pname))) != NULL)
            ra[x] = vigil__name_prepare_as(name1, cls, langs[x], a[x]);
        if (x < nb && (b[x] = malloc(sizeof(vigil__pname))) != NULL)
            rb[x] = vigil__name_prepare_as(name2, cls, langs[x], b[x]);
        nomem |= (x < na && !a[x]) || (x < nb && !b[x]);
    }
    if (nomem) {
        for (int x = 0; x < 2; x++) {
            free(a[x]);
            free(b[x]);
        }
        return VIGIL_ERR_NOMEM;
    }
    double score = -1.0;
    int best_a = 0, best_b = 0;
    int both_own = vigil__in_twice_read_script(name1) && vigil__in_twice_read_script(name2);
    for (int x = 0; na * nb > 1 && x < na; x++)
        for (int y = 0; y < nb; y++) {
            /* two names of scripts read twice are read by the same rules:
             * reading with reading (a name split one way and the other
             * split another, "al swdany" and "alswdany", would be read as
             * words run together) */
            if (ra[x] != 0 || rb[y] != 0 || (x != y && both_own))
                continue;
            double s = vigil__name_score(a[x], b[y], NULL);
            if (s > score) {
                score = s;
                best_a = x;
                best_b = y;
            }
        }
    vigil__json w = {0}, *why = explain ? &w : NULL;
    if (why)
        vigil__json_obj(why);
    int ok = ra[best_a] == 0 && rb[best_b] == 0;
    score = ok ? vigil__name_score(a[best_a], b[best_b], why) : 0.0;
    if (why && !ok) {
        vigil__json_key(why, "method");
        vigil__json_str(why, "empty name");
    }
    out->score = score;
    out->match = score >= threshold;
    if (why) {
        vigil__json_obj_end(why);
        out->explanation = vigil__json_finish(why);
    }
    for (int x = 0; x < 2; x++) {
        free(a[x]);
        free(b[x]);
    }
    return explain && !out->explanation ? VIGIL_ERR_NOMEM : VIGIL_OK;
}

void vigil_comparison_free(vigil_comparison *c)
{
    if (!c)
        return;
    free(c->explanation);
    c->explanation = NULL;
}
