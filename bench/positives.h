/*
 * positives.h - the positives of the quality benchmark, built from the
 * lists' own entities (bench_screen, bench_peers): every 7th person,
 * organisation and vessel of a database; a person's name as listed, with a
 * typing error (two letters swapped in its longest word), with its words
 * reordered, without a middle name, its first original-script alias, and
 * that alias romanised by ICU's standard rules (not vigil's); an
 * organisation's name as listed and with a typing error; a vessel's as
 * listed. Each is a query that must find its entity.
 */
#ifndef VIGIL_BENCH_POSITIVES_H
#define VIGIL_BENCH_POSITIVES_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

enum { BENCH_KINDS = 9 };
static const char *const bench_kinds[BENCH_KINDS] = {
    "as listed",           "typing error",      "reordered",
    "middle name dropped", "original script",   "other romanisation",
    "organisation",        "organisation typo", "vessel"};

/* Calls fn for every positive of the database at db_path: its kind (an
 * index of bench_kinds), the query name and schema, and the entity it must
 * find. Returns how many. */
typedef void (*bench_positive_fn)(int kind, const char *name, const char *schema,
                                  const char *src, const char *id, void *ctx);

static inline int bench_each_positive(const char *db_path, bench_positive_fn fn, void *ctx)
{
    sqlite3 *sql;
    sqlite3_open_v2(db_path, &sql, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(
        sql,
        "SELECT d.doc FROM version_entity ve JOIN entity_doc d ON d.id = "
        "ve.doc_id WHERE d.schema IN ('Person', 'Organization', 'Company', 'Vessel') "
        "ORDER BY ve.version_id, "
        "ve.source_id",
        -1, &st, NULL);
    int rows[3] = {0}, count = 0;
    UErrorCode ust = U_ZERO_ERROR;
    UChar plain_id[] = u"Any-Latin; Latin-ASCII";
    UTransliterator *plain = utrans_openU(plain_id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ust);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        const char *schema = json_string_value(json_object_get(doc, "schema"));
        int cls = !strcmp(schema, "Person") ? 0 : !strcmp(schema, "Vessel") ? 2 : 1;
        if (rows[cls]++ % 7) {
            json_decref(doc);
            continue;
        }
        const char *src = json_string_value(json_object_get(doc, "source"));
        const char *id = json_string_value(json_object_get(doc, "source_id"));
        json_t *names = json_object_get(doc, "names");
        const char *primary =
            json_string_value(json_object_get(json_array_get(names, 0), "name"));
        char v[BENCH_KINDS][512];
        int have[BENCH_KINDS] = {0};
        if (cls != 0 && primary && strlen(primary) < 200) {
            /* an organisation or a vessel: as listed, and (organisations)
             * with two letters swapped in its longest word */
            snprintf(v[cls == 1 ? 6 : 8], sizeof(v[0]), "%s", primary);
            have[cls == 1 ? 6 : 8] = 1;
            char *w = NULL;
            size_t wl = 0;
            snprintf(v[7], sizeof(v[7]), "%s", primary);
            for (char *x = v[7]; *x;) {
                size_t l = strcspn(x, " ,-");
                int ascii = 1;
                for (size_t k = 0; k < l; k++)
                    ascii &= (unsigned char)x[k] < 0x80 && x[k] != '.';
                if (ascii && l > wl) {
                    w = x;
                    wl = l;
                }
                x += l;
                x += strspn(x, " ,-");
            }
            if (cls == 1 && w && wl >= 6) {
                char c = w[wl / 2];
                w[wl / 2] = w[wl / 2 + 1];
                w[wl / 2 + 1] = c;
                have[7] = 1;
            }
        } else if (primary && strlen(primary) < 200) {
            char words[16][128];
            int nw = 0;
            char tmp[512];
            snprintf(tmp, sizeof(tmp), "%s", primary);
            for (char *s = NULL, *w = strtok_r(tmp, " ,", &s); w && nw < 16;
                 w = strtok_r(NULL, " ,", &s))
                snprintf(words[nw++], sizeof(words[0]), "%s", w);
            snprintf(v[0], sizeof(v[0]), "%s", primary);
            have[0] = 1;
            /* a typing error: two letters swapped in the longest word */
            int lw = 0;
            for (int i = 1; i < nw; i++)
                if (strlen(words[i]) > strlen(words[lw]))
                    lw = i;
            if (nw && strlen(words[lw]) >= 5) {
                size_t k = 0, mid = strlen(words[lw]) / 2;
                v[1][0] = 0;
                for (int i = 0; i < nw; i++) {
                    char w[128];
                    snprintf(w, sizeof(w), "%s", words[i]);
                    if (i == lw) {
                        char c = w[mid];
                        w[mid] = w[mid + 1];
                        w[mid + 1] = c;
                    }
                    k += (size_t)snprintf(v[1] + k, sizeof(v[1]) - k, "%s%s", i ? " " : "", w);
                }
                have[1] = (unsigned char)words[lw][mid] < 0x80 &&
                          (unsigned char)words[lw][mid + 1] < 0x80;
            }
            if (nw >= 2) {
                size_t k = (size_t)snprintf(v[2], sizeof(v[2]), "%s", words[nw - 1]);
                for (int i = 0; i < nw - 1; i++)
                    k += (size_t)snprintf(v[2] + k, sizeof(v[2]) - k, " %s", words[i]);
                have[2] = 1;
            }
            if (nw >= 3) {
                size_t k = 0;
                for (int i = 0; i < nw; i++)
                    if (i != 1)
                        k += (size_t)snprintf(v[3] + k, sizeof(v[3]) - k, "%s%s", k ? " " : "",
                                              words[i]);
                have[3] = 1;
            }
        }
        size_t i;
        json_t *nm;
        json_array_foreach(names, i, nm)
        {
            const char *script = json_string_value(json_object_get(nm, "script"));
            if (cls == 0 && script && strcmp(script, "Latin") && !have[4]) {
                snprintf(v[4], sizeof(v[4]), "%s",
                         json_string_value(json_object_get(nm, "name")));
                have[4] = 1;
                /* the same name romanised by ICU's own standard rules, not
                 * vigil's (Ivanovic for Ivanovich, ...) */
                UChar u[1024];
                int32_t len = 0, lim;
                UErrorCode e2 = U_ZERO_ERROR;
                u_strFromUTF8(u, 512, &len, v[4], -1, &e2);
                lim = len;
                if (plain && U_SUCCESS(e2))
                    utrans_transUChars(plain, u, &len, 1024, 0, &lim, &e2);
                int32_t n8 = 0;
                if (plain && U_SUCCESS(e2))
                    u_strToUTF8(v[5], (int32_t)sizeof(v[5]), &n8, u, len, &e2);
                have[5] = plain && U_SUCCESS(e2) && n8 > 0 && n8 < (int32_t)sizeof(v[5]);
            }
        }
        for (int k = 0; k < BENCH_KINDS; k++) {
            if (!have[k])
                continue;
            fn(k, v[k],
               cls == 0   ? "Person"
               : cls == 1 ? "Organization"
                          : "Vessel",
               src, id, ctx);
            count++;
        }
        json_decref(doc);
    }
    sqlite3_finalize(st);
    sqlite3_close(sql);
    if (plain)
        utrans_close(plain);
    return count;
}

#endif
