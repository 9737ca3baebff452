/*
 * bench_dev.c - screening quality on the development halves of the held-out
 * sets, as installed: the name data built into vigil and nothing from
 * ../shared/eval/names (issue 13).
 *
 * Sets (../shared/eval/screening, README there):
 * - eucyr2uk: EU persons' Cyrillic names screened against the UK list alone;
 * - uk2un: UK spellings of UN-listed names screened against the UN list alone;
 * - un-typos: UN-listed names with typing errors, their dates of birth and
 *   nationalities, against all four lists;
 * - negatives: 9,641 + 2,000 synthetic persons listed nowhere, with their
 *   dates of birth, nationalities and genders, against all four lists and
 *   every schema, as `vigil batch` screens a record without a schema column;
 * - pairs: the 252 judged pairs of ../shared/eval/names/name-pairs-dev.csv
 *   through vigil_compare;
 * - abjad2latin: built from the lists, not from ../shared/eval: each listed
 *   person's name in Arabic script against the same person's names in Latin
 *   letters (vigil_compare, the best of them), as a customer who writes his
 *   name in Arabic script meets a list that holds Latin spellings only (the
 *   UK's, OFAC's). Split by the entity's id as the others.
 * A positive is found when the expected entity is among the hits with match
 * at the default threshold; a negative alerts when any hit matches.
 *
 * Each set is split in two by a hash of the expected entity's id (positives)
 * or the person's id (negatives): part A is the one rules may be looked at
 * and tuned on, part B the one they are checked on; both are printed, with
 * the whole. The curve gives recall and false alerts at thresholds from 0.60
 * to 1.00 on the new halves (a hit under 0.60 is not reported).
 *
 * Usage: bench_dev [-v] [DB]   (-v lists the misses and the false alerts;
 * DB: a database holding the four lists, else a new one is loaded).
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "internal.h"

#define STEPS 9 /* thresholds 0.60, 0.65, ..., 1.00 */
static double threshold_of(int k)
{
    return 0.60 + 0.05 * k;
}

typedef struct {
    const char *name;
    int positive;
    long n[2], hit[2]; /* by part: how many, how many found / alerting */
    long curve[STEPS]; /* found (or alerting) at each threshold */
} set;

static set sets[] = {{"eucyr2uk", 1, {0}, {0}, {0}},
                     {"uk2un", 1, {0}, {0}, {0}},
                     {"un-typos", 1, {0}, {0}, {0}},
                     {"negatives-extra", 0, {0}, {0}, {0}},
                     {"negatives-2000", 0, {0}, {0}, {0}}};
enum { EUCYR, UK2UN, TYPOS, NEG_EXTRA, NEG_2000, NSETS };

static vigil_engine *engine;
static int verbose;

static int part_of(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return (int)((h >> 7) & 1);
}

/* Screens q and counts it in set s: for a positive, the score of the
 * expected entity; for a negative, the best score. */
static void count(int si, const vigil_query *q, const char *key, const char *src,
                  const char *id)
{
    set *s = &sets[si];
    vigil_hits h;
    if (vigil_screen(engine, q, &h) != VIGIL_OK) {
        fprintf(stderr, "screen failed: %s\n", q->name);
        return;
    }
    double best = 0.0;
    size_t at = h.n;
    for (size_t i = 0; i < h.n; i++) {
        if (s->positive &&
            (strcmp(h.hits[i].source, src) != 0 || strcmp(h.hits[i].source_id, id) != 0))
            continue;
        if (h.hits[i].score > best) {
            best = h.hits[i].score;
            at = i;
        }
    }
    int part = part_of(key);
    int found = at < h.n && h.hits[at].match;
    s->n[part]++;
    s->hit[part] += found;
    for (int k = 0; k < STEPS; k++)
        s->curve[k] += at < h.n && best >= threshold_of(k) - 1e-9;
    if (verbose && found != s->positive) {
        printf("  %s %c %s [%s %s %s]: %s %.3f", s->name, 'A' + part, q->name,
               q->birth_date ? q->birth_date : "", q->country ? q->country : "",
               q->gender ? q->gender : "", s->positive ? "expected" : "alert", best);
        if (h.n)
            printf("; best %s:%s %s %.3f", h.hits[0].source, h.hits[0].source_id,
                   h.hits[0].matched_name, h.hits[0].score);
        printf("\n");
    }
    vigil_hits_free(&h);
}

static int header(char **f, int n, const char *first)
{
    return n > 0 && strcmp(f[0], first) == 0;
}

static void crosslist_row(char **f, int n, void *ctx)
{
    (void)ctx;
    /* id,full_name,date_of_birth,schema,screen_against,expect_source,expect_id */
    if (n < 7 || header(f, n, "id"))
        return;
    int si = strncmp(f[0], "eucyr2uk", 8) == 0 ? EUCYR : UK2UN;
    vigil_query q = {
        f[1], f[3][0] ? f[3] : NULL, f[2][0] ? f[2] : NULL, NULL, NULL, NULL, f[4], 0, 10};
    count(si, &q, f[6], f[5], f[6]);
}

static void typo_row(char **f, int n, void *ctx)
{
    (void)ctx;
    /* id,full_name,date_of_birth,nationality,expect_source,expect_id */
    if (n < 6 || header(f, n, "id"))
        return;
    vigil_query q = {f[1], NULL, f[2][0] ? f[2] : NULL, f[3][0] ? f[3] : NULL, NULL, NULL, NULL,
                     0,    10};
    count(TYPOS, &q, f[5], f[4], f[5]);
}

static void extra_row(char **f, int n, void *ctx)
{
    (void)ctx;
    /* id,full_name,gender,date_of_birth,nationality */
    if (n < 5 || header(f, n, "id"))
        return;
    vigil_query q = {f[1],
                     NULL,
                     f[3][0] ? f[3] : NULL,
                     f[4][0] ? f[4] : NULL,
                     f[2][0] ? f[2] : NULL,
                     NULL,
                     NULL,
                     0,
                     10};
    count(NEG_EXTRA, &q, f[0], "", "");
}

static void negative_row(char **f, void *ctx)
{
    (void)ctx;
    /* full_name, first, middle, last, gender, date_of_birth, place, nationality */
    vigil_query q = {f[0],
                     NULL,
                     f[5][0] ? f[5] : NULL,
                     f[7][0] ? f[7] : NULL,
                     f[4][0] ? f[4] : NULL,
                     NULL,
                     NULL,
                     0,
                     10};
    count(NEG_2000, &q, f[0], "", "");
}

/* The judged pairs: [part][0] right, [part][1] all. */
static long pairs[2][2];
static void pair_row(char **f, int n, void *ctx)
{
    (void)ctx;
    /* schema,name1,name2,is_match */
    if (n < 4 || header(f, n, "schema"))
        return;
    vigil_comparison c;
    if (vigil_compare(f[0], f[1], f[2], 0, 0, &c) != VIGIL_OK)
        return;
    int want = strcmp(f[3], "1") == 0 || strcmp(f[3], "true") == 0;
    char key[1024];
    snprintf(key, sizeof(key), "%s|%s", f[1], f[2]);
    int part = part_of(key);
    pairs[part][0] += c.match == want;
    pairs[part][1]++;
    if (verbose && c.match != want)
        printf("  pair %c %s: %s ~ %s %.3f (judged %s)\n", 'A' + part, f[0], f[1], f[2],
               c.score, want ? "match" : "no match");
    vigil_comparison_free(&c);
}

/* abjad2latin: [part][0] found, [part][1] all. */
static long abjad[2][2];

/* Every listed person's Arabic-script names against their Latin names, from
 * the entity documents of the database at path (one version of each list). */
static void abjad_rows(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT doc FROM entity_doc WHERE schema = 'Person'", -1, &st,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        json_t *names = json_object_get(doc, "names"), *a, *b;
        size_t i, j;
        char key[256];
        snprintf(key, sizeof(key), "%s:%s", json_string_value(json_object_get(doc, "source")),
                 json_string_value(json_object_get(doc, "source_id")));
        json_array_foreach(names, i, a)
        {
            const char *an = json_string_value(json_object_get(a, "name"));
            if (!an || !vigil__has_arabic(an))
                continue;
            double best = -1;
            json_array_foreach(names, j, b)
            {
                const char *bn = json_string_value(json_object_get(b, "name"));
                vigil_comparison c;
                if (!bn || vigil__has_arabic(bn) ||
                    !strpbrk(bn, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "abcdefghijklmnopqrstuvwxyz") ||
                    vigil_compare("Person", an, bn, 0, 0, &c) != VIGIL_OK)
                    continue;
                best = c.score > best ? c.score : best;
                vigil_comparison_free(&c);
            }
            if (best < 0)
                continue; /* no Latin name */
            int part = part_of(key), found = best >= VIGIL_DEFAULT_THRESHOLD;
            abjad[part][0] += found;
            abjad[part][1]++;
            if (verbose && !found)
                printf("  MISSED abjad2latin %c %s %s %.3f\n", 'A' + part, key, an, best);
        }
        json_decref(doc);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static double pct(long a, long b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

int main(int argc, char **argv)
{
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    const char *db_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else
            db_arg = argv[i];
    }
    char db_path[64], path[1024];
    vigil_db *db = NULL;
    double t0 = bench_now();
    if (db_arg) {
        if (vigil_db_open(db_arg, 0, &db) != VIGIL_OK) {
            fprintf(stderr, "%s\n", vigil_errmsg(db));
            return 1;
        }
    } else if (!(db = bench_four_lists(shared, db_path, sizeof(db_path)))) {
        return 1;
    }
    if (vigil_engine_open(db, &engine) != VIGIL_OK) {
        fprintf(stderr, "%s\n", vigil_errmsg(db));
        return 1;
    }
    printf("engine: %zu entities, %zu names, ready in %.2f s (name data as built in)\n",
           vigil_engine_entities(engine), vigil_engine_names(engine), bench_now() - t0);

    snprintf(path, sizeof(path), "%s/eval/screening/positives-crosslist-dev.csv", shared);
    bench_each_csv_row(path, crosslist_row, NULL);
    snprintf(path, sizeof(path), "%s/eval/screening/positives-un-typos-dev.csv", shared);
    bench_each_csv_row(path, typo_row, NULL);
    snprintf(path, sizeof(path), "%s/eval/screening/negatives-dev-extra.csv", shared);
    bench_each_csv_row(path, extra_row, NULL);
    bench_each_negative(shared, negative_row, NULL);
    snprintf(path, sizeof(path), "%s/eval/names/name-pairs-dev.csv", shared);
    bench_each_csv_row(path, pair_row, NULL);
    abjad_rows(db_arg ? db_arg : db_path);

    printf("\nat the default threshold (%.2f); part A tuned on, part B checked on\n",
           VIGIL_DEFAULT_THRESHOLD);
    printf("%-16s %8s %16s %16s %16s\n", "set", "", "part A", "part B", "all");
    for (int s = 0; s < NSETS; s++) {
        set *x = &sets[s];
        long n = x->n[0] + x->n[1], h = x->hit[0] + x->hit[1];
        printf("%-16s %8s %6ld/%-5ld %5.2f%% %6ld/%-5ld %5.2f%% %6ld/%-5ld %5.2f%%\n", x->name,
               x->positive ? "found" : "alerts", x->hit[0], x->n[0], pct(x->hit[0], x->n[0]),
               x->hit[1], x->n[1], pct(x->hit[1], x->n[1]), h, n, pct(h, n));
    }
    long pr = pairs[0][0] + pairs[1][0], pn = pairs[0][1] + pairs[1][1];
    printf("%-16s %8s %6ld/%-5ld %5.2f%% %6ld/%-5ld %5.2f%% %6ld/%-5ld %5.2f%%\n",
           "judged pairs", "right", pairs[0][0], pairs[0][1], pct(pairs[0][0], pairs[0][1]),
           pairs[1][0], pairs[1][1], pct(pairs[1][0], pairs[1][1]), pr, pn, pct(pr, pn));
    long ar = abjad[0][0] + abjad[1][0], an = abjad[0][1] + abjad[1][1];
    printf("%-16s %8s %6ld/%-5ld %5.2f%% %6ld/%-5ld %5.2f%% %6ld/%-5ld %5.2f%%\n",
           "abjad2latin", "found", abjad[0][0], abjad[0][1], pct(abjad[0][0], abjad[0][1]),
           abjad[1][0], abjad[1][1], pct(abjad[1][0], abjad[1][1]), ar, an, pct(ar, an));

    printf("\ncurve (all of each set): threshold");
    for (int s = 0; s < NSETS; s++)
        printf(" %s", sets[s].name);
    printf("\n");
    for (int k = 0; k < STEPS; k++) {
        printf("curve %.2f", threshold_of(k));
        for (int s = 0; s < NSETS; s++)
            printf(" %.4f", (double)sets[s].curve[k] / (double)(sets[s].n[0] + sets[s].n[1]));
        printf("\n");
    }
    vigil_engine_close(engine);
    vigil_db_close(db);
    if (!db_arg) {
        unlink(db_path);
        char eng[80];
        snprintf(eng, sizeof(eng), "%s.engine", db_path);
        unlink(eng);
    }
    return 0;
}
