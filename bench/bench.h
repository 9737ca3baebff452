/*
 * bench.h - what the benchmark programs share: a monotonic clock and medians.
 */
#ifndef VIGIL_BENCH_H
#define VIGIL_BENCH_H

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vigil.h"

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n), which it sorts. */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
    return v[n / 2];
}

/* Fills path (a char[] of at least 32) with a fresh temporary database path. */
static inline void bench_temp_db(char *path, size_t size)
{
    snprintf(path, size, "/tmp/vigil-bench-XXXXXX");
    int fd = mkstemp(path);
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
}

/* Calls row(f, n, ctx) for each of the 2,000 synthetic persons of shared's
 * eval/screening/negatives-dev-{global,us}.csv, with their 8 fields
 * (full_name, first_name, middle_name, last_name, gender, date_of_birth,
 * place_of_birth, nationality; the files quote none). Returns how many. */
static inline int bench_each_negative(const char *shared, void (*row)(char **f, void *ctx),
                                      void *ctx)
{
    int count = 0;
    for (int k = 0; k < 2; k++) {
        char path[1024], line[1024];
        snprintf(path, sizeof(path), "%s/eval/screening/negatives-dev-%s.csv", shared,
                 k ? "us" : "global");
        FILE *in = fopen(path, "r");
        while (in && fgets(line, sizeof(line), in)) {
            char *f[8] = {0};
            int n = 0;
            line[strcspn(line, "\r\n")] = '\0';
            for (char *s = line, *c; n < 8; s = c + 1) {
                f[n++] = s;
                if (!(c = strchr(s, ',')))
                    break;
                *c = '\0';
            }
            if (n < 8 || strcmp(f[0], "full_name") == 0)
                continue;
            row(f, ctx);
            count++;
        }
        if (in)
            fclose(in);
    }
    return count;
}

/* A xorshift generator, from 0 to n - 1: the same sequence in every run. */
static inline uint32_t bench_rnd(uint32_t n)
{
    static uint64_t rng = 88172645463325252ull;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Distinct name parts (given names, family names, words) to build synthetic
 * names from. Parts with a quote or a backslash are left out, so that they
 * can go into JSON and CSV as they are. */
#define BENCH_MAX_PARTS 4096
typedef struct {
    char *v[BENCH_MAX_PARTS];
    int n;
} bench_parts;

static inline void bench_add_part(bench_parts *p, const char *s)
{
    if (!*s || p->n == BENCH_MAX_PARTS || strchr(s, '"') || strchr(s, '\\'))
        return;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->v[i], s) == 0)
            return;
    p->v[p->n++] = strdup(s);
}

/* CSV reading (libcsv) for bench_each_csv_row. */
typedef struct {
    char *f[16];
    int n;
    void (*row)(char **f, int n, void *ctx);
    void *ctx;
} bench_csv;

static inline void bench_csv_field(void *s, size_t len, void *data)
{
    bench_csv *c = data;
    if (c->n < 16) {
        c->f[c->n] = malloc(len + 1);
        memcpy(c->f[c->n], s ? s : "", s ? len : 0);
        c->f[c->n][s ? len : 0] = '\0';
        c->n++;
    }
}

static inline void bench_csv_row(int term, void *data)
{
    (void)term;
    bench_csv *c = data;
    c->row(c->f, c->n, c->ctx);
    for (int i = 0; i < c->n; i++)
        free(c->f[i]);
    c->n = 0;
}

/* Calls row(f, n, ctx) for every row of the CSV file at path (quoted fields
 * read as CSV reads them; the header is a row). Exits when the file cannot
 * be read: a benchmark without its data measures nothing. */
static inline void bench_each_csv_row(const char *path, void (*row)(char **f, int n, void *ctx),
                                      void *ctx)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    struct csv_parser p;
    csv_init(&p, 0);
    bench_csv c = {{0}, 0, row, ctx};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        csv_parse(&p, buf, n, bench_csv_field, bench_csv_row, &c);
    csv_fini(&p, bench_csv_field, bench_csv_row, &c);
    csv_free(&p);
    fclose(fp);
}

/* A new database at db_path (char[64]) holding UN, EU, UK and OFAC 2022 from
 * shared. NULL after a message. */
static inline vigil_db *bench_four_lists(const char *shared, char *db_path, size_t size)
{
    static const char *const rel[] = {
        "lists/un/un-consolidated-2026-02-27.xml", "lists/eu/eu-fsf-rebuilt-2026-08-14.xml",
        "lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml", "lists/ofac/sdn-csv-2022-01"};
    char p[4][1024];
    const char *ps[4];
    for (int i = 0; i < 4; i++) {
        snprintf(p[i], sizeof(p[i]), "%s/%s", shared, rel[i]);
        ps[i] = p[i];
    }
    bench_temp_db(db_path, size);
    vigil_db *db;
    if (vigil_db_open(db_path, 0, &db) != VIGIL_OK || vigil_load(db, ps, 4, NULL, NULL, NULL)) {
        fprintf(stderr, "%s\n", vigil_errmsg(db));
        return NULL;
    }
    return db;
}

#endif
