/*
 * bench_load.c - load time and peak memory for the four official lists.
 *
 * Prints, for each list, the time to parse it alone (no database), then the
 * time to load all four into a new database in one vigil_load call, and the
 * process's peak resident memory. Runs 5 times and reports medians.
 * Target (issue 2): all four in under 3 s and under 300 MB peak.
 * Lists are read from $SHARED/lists (default ../shared/lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "internal.h"
#include "vigil.h"

#define RUNS 5

static long entities;
static int count_sink(vigil__parse *p, json_t *e)
{
    (void)p;
    char *s = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
    free(s);
    entities++;
    return 0;
}

int main(void)
{
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char paths[4][1024];
    static const char *const rel[] = {
        "lists/un/un-consolidated-2026-02-27.xml", "lists/eu/eu-fsf-rebuilt-2026-08-14.xml",
        "lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml", "lists/ofac/sdn-csv-2022-01"};
    for (int i = 0; i < 4; i++)
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", shared, rel[i]);

    printf("parse only (median of %d):\n", RUNS);
    for (int i = 0; i < 3; i++) {
        char *data;
        size_t len;
        char msg[256];
        if (vigil__read_file(paths[i], &data, &len, msg, sizeof(msg)) != VIGIL_OK) {
            fprintf(stderr, "%s\n", msg);
            return 1;
        }
        double t[RUNS];
        for (int r = 0; r < RUNS; r++) {
            vigil__file f = {paths[i], data, len};
            vigil__parse p;
            memset(&p, 0, sizeof(p));
            p.files = &f;
            p.nfiles = 1;
            p.sink = count_sink;
            entities = 0;
            double t0 = bench_now();
            if (vigil__parse_run(&p, vigil__detect(data, len)) != 0) {
                fprintf(stderr, "%s\n", p.err);
                return 1;
            }
            t[r] = bench_now() - t0;
        }
        printf("  %-55s %6ld entities %8.3f s\n", rel[i], entities, bench_median(t, RUNS));
        free(data);
    }

    double t[RUNS];
    long total = 0;
    for (int r = 0; r < RUNS; r++) {
        char db_path[64];
        bench_temp_db(db_path, sizeof(db_path));
        vigil_db *db;
        if (vigil_db_open(db_path, 0, &db) != VIGIL_OK) {
            fprintf(stderr, "%s\n", vigil_errmsg(db));
            return 1;
        }
        const char *ps[4] = {paths[0], paths[1], paths[2], paths[3]};
        vigil_list_version *vs;
        size_t n;
        double t0 = bench_now();
        if (vigil_load(db, ps, 4, NULL, &vs, &n) != VIGIL_OK) {
            fprintf(stderr, "%s\n", vigil_errmsg(db));
            return 1;
        }
        t[r] = bench_now() - t0;
        total = 0;
        for (size_t i = 0; i < n; i++)
            total += vs[i].entities;
        vigil_free(vs);
        vigil_db_close(db);
        vigil__remove_db_files(db_path);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("load all four lists into a new database: %ld entities\n", total);
    printf("  median %.3f s (target < 3 s), peak memory %.1f MB (target < 300 MB)\n",
           bench_median(t, RUNS), (double)ru.ru_maxrss / 1024.0);
    return 0;
}
