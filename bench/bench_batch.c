/*
 * bench_batch.c - vigil batch's throughput against the four official lists
 * (issue 4: 20,000 records/s on 2 cores).
 *
 * Loads UN, EU, UK and OFAC 2022 and the name data, builds and saves the
 * engine, then times what a new `vigil batch` process does before its first
 * record (the name data is already loaded here: it is timed apart) and the
 * batch itself: 100,000 customer records (given and family names of the
 * 2,000 synthetic persons of ../shared/eval/screening combined anew within
 * each nationality, with dates of birth, nationalities and genders) read as
 * CSV, screened by 1 and 2 threads
 * through the same code as the command (cli/batch.c), JSON lines written to
 * /dev/null. Median of three passes each.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../cli/batch.h"
#include "bench.h"
#include "internal.h"

#define RECORDS 100000

/* One synthetic person: full name, given and family name, dob, country,
 * gender. */
typedef struct {
    char given[128], family[128], rest[256];
} person;

typedef struct {
    person p[2000];
    int n;
} people;

static void keep_person(char **f, void *ctx)
{
    people *all = ctx;
    if (all->n == 2000 || !f[1][0] || !f[3][0])
        return;
    person *x = &all->p[all->n++];
    snprintf(x->given, sizeof(x->given), "%s", f[1]);
    snprintf(x->family, sizeof(x->family), "%s", f[3]);
    snprintf(x->rest, sizeof(x->rest), "%s,%s,%s", f[5], f[7], f[4]);
}

/* Writes the batch input to a temporary file; returns it open for reading
 * at its start, or NULL. Record i is a new combination of real name parts:
 * the given name of one synthetic person and the family name of another of
 * the same nationality (so that scripts are not mixed), with the date of
 * birth, nationality and gender of the first. Names repeat their parts as a
 * customer base does, not whole. */
static FILE *make_input(const char *shared)
{
    FILE *out = tmpfile();
    if (!out)
        return NULL;
    fprintf(out, "id,name,dob,country,gender\n");
    static people all;
    bench_each_negative(shared, keep_person, &all);
    person *rows = all.p;
    int n = all.n;
    uint64_t r = 88172645463325252ull;
    for (int i = 0; n && i < RECORDS; i++) {
        const person *a = &rows[i % n];
        const person *b = a;
        for (int tries = 0; tries < 50; tries++) { /* another of the same nationality */
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            const person *c = &rows[r % (uint64_t)n];
            if (strcmp(strchr(c->rest, ','), strchr(a->rest, ',')) == 0) {
                b = c;
                break;
            }
        }
        fprintf(out, "c%d,\"%s %s\",%s\n", i, a->given, b->family, a->rest);
    }
    rewind(out);
    return n ? out : NULL;
}

/* Seconds to screen the input with threads workers. */
static double run(const vigil_engine *e, FILE *in, int threads)
{
    rewind(in);
    long long failed = 0;
    double t0 = bench_now();
    if (vigil_cli_batch_file(e, in, "csv", 0, 5, threads, &failed) != 0 || failed)
        fprintf(stderr, "batch: %lld records failed\n", failed);
    return bench_now() - t0;
}

int main(void)
{
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char db_path[64];
    vigil_db *db = bench_four_lists(shared, db_path, sizeof(db_path));
    if (!db)
        return 1;
    double t0 = bench_now();
    double names_s = bench_now() - t0;
    vigil_engine *e;
    t0 = bench_now();
    if (vigil_engine_open(db, &e) != VIGIL_OK) {
        fprintf(stderr, "%s\n", vigil_errmsg(db));
        return 1;
    }
    double build_s = bench_now() - t0;
    vigil_engine_close(e);
    t0 = bench_now();
    if (vigil_engine_open(db, &e) != VIGIL_OK || !vigil__engine_was_saved(e)) {
        fprintf(stderr, "the saved engine was not read back\n");
        return 1;
    }
    double start_s = bench_now() - t0;
    FILE *in = make_input(shared);
    if (!in || !freopen("/dev/null", "w", stdout)) {
        fprintf(stderr, "cannot make the input\n");
        return 1;
    }
    double one[3], two[3];
    for (int i = 0; i < 3; i++) {
        one[i] = RECORDS / run(e, in, 1);
        two[i] = RECORDS / run(e, in, 2);
    }
    double m1 = bench_median(one, 3), m2 = bench_median(two, 3); /* sorts them */
    fprintf(stderr,
            "start: name data loaded in %.2f s, engine read back in %.2f s (built in %.2f s)\n"
            "batch of %d records (CSV in, JSON lines out), median of 3:\n"
            "  1 thread:  %.0f records/s (%.0f/%.0f/%.0f)\n"
            "  2 threads: %.0f records/s (%.0f/%.0f/%.0f; target 20,000)\n",
            names_s, start_s, build_s, RECORDS, m1, one[0], one[1], one[2], m2, two[0], two[1],
            two[2]);
    fclose(in);
    vigil_engine_close(e);
    vigil_db_close(db);
    vigil_names_unload();
    vigil__remove_db_files(db_path);
    return 0;
}
