/*
 * bench_rescreen.c - re-screening a customer base when a list changes
 * (issue 7): 1,000,000 stored customers, then a new OFAC version in which
 * 200 entities changed. Prints the time of the run that screens what changed
 * and of a full re-screen of everyone against everything, in the same run.
 *
 * Customers are made of real name parts (the given, middle and family names
 * of the 2,000 synthetic persons of ../shared/eval/screening): 90% persons
 * (a date of birth and a nationality), 10% companies. The lists are the four
 * of bench_four_lists; the new OFAC version is the 2022 CSV set copied to a
 * temporary folder with 200 rows changed: 100 persons renamed to a customer's
 * name written as OFAC does ("FAMILY, Given": these customers must be
 * alerted), 100 entries with a remark added (changed, no new name). Takes a few
 * minutes: run by `make bench` (`bench_rescreen N` for N customers).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "internal.h"

#define BLOCK 10000
#define CHANGED 200

static bench_parts given, middle, family;
static const char *const trade[] = {"Petro",      "Energy",  "Shipping",  "Global", "Trade",
                                    "Investment", "Capital", "Logistics", "Group",  "Mining"};
static const char *const legal[] = {"LLC", "Ltd", "GmbH", "JSC", "S.A.", "FZE", "Inc."};
static const char *const countries[] = {"RU", "IR", "KP", "SY", "CN", "US", "GB", "DE",
                                        "FR", "AE", "TR", "IN", "PK", "AF", "IQ", "VE"};

static void keep_parts(char **f, void *ctx)
{
    (void)ctx;
    bench_add_part(&given, f[1]);
    bench_add_part(&middle, f[2]);
    bench_add_part(&family, f[3]);
}

/* Customer i's fields, in buf. *g and *f: a person's given and family name
 * (NULL for a company). */
typedef struct {
    char id[16], name[256], dob[16], country[4];
    const char *schema, *g, *f;
} person;

static void make_customer(long i, person *p)
{
    snprintf(p->id, sizeof(p->id), "C%ld", i);
    snprintf(p->country, sizeof(p->country), "%s",
             countries[bench_rnd(sizeof(countries) / sizeof(countries[0]))]);
    if (bench_rnd(100) < 90) {
        p->g = given.v[bench_rnd((uint32_t)given.n)];
        p->f = family.v[bench_rnd((uint32_t)family.n)];
        const char *m =
            bench_rnd(100) < 25 && middle.n ? middle.v[bench_rnd((uint32_t)middle.n)] : NULL;
        snprintf(p->name, sizeof(p->name), "%s%s%s %s", p->g, m ? " " : "", m ? m : "", p->f);
        snprintf(p->dob, sizeof(p->dob), "%d-%02d-%02d", 1940 + (int)bench_rnd(65),
                 1 + (int)bench_rnd(12), 1 + (int)bench_rnd(28));
        p->schema = "Person";
    } else {
        p->g = p->f = NULL;
        snprintf(p->name, sizeof(p->name), "%s %s %s", family.v[bench_rnd((uint32_t)family.n)],
                 trade[bench_rnd(10)], legal[bench_rnd(7)]);
        p->dob[0] = '\0';
        p->schema = "Company";
    }
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        fwrite(buf, 1, n, out);
    int ok = in && out;
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    return ok ? 0 : -1;
}

/* Writes dir/sdn.csv: the 2022 rows, CHANGED of them changed (nnames
 * persons renamed to names[], the others with a remark added). Returns how
 * many were changed. */
static int write_changed_sdn(const char *from, const char *dir, char names[][256], int nnames)
{
    char out_path[1100], line[8192];
    snprintf(out_path, sizeof(out_path), "%s/sdn.csv", dir);
    FILE *in = fopen(from, "rb"), *out = fopen(out_path, "wb");
    int row = 0, changed = 0, due = 0;
    while (in && out && fgets(line, sizeof(line), in)) {
        row++;
        due |= row % 40 == 7; /* a row every 40 is changed: this one, or the next that fits */
        char *q1 = strstr(line, ",\""), *q2 = q1 ? strchr(q1 + 2, '"') : NULL;
        /* names of persons go to persons: the customers renamed are persons */
        int fits = q2 && !strstr(line, "\"\"") &&
                   (changed >= nnames || strstr(line, ",\"individual\","));
        if (!due || changed == CHANGED || !fits) {
            fputs(line, out);
            continue;
        }
        due = 0;
        if (changed < nnames) {
            /* renamed: ent_num,"NEW NAME",... */
            fprintf(out, "%.*s\"%s%s", (int)(q1 - line + 1), line, names[changed], q2);
        } else {
            /* a remark added: the last field, quoted or -0- */
            size_t len = strcspn(line, "\r\n");
            const char *end = line + len;
            if (len > 4 && strncmp(end - 4, "-0- ", 4) == 0)
                fprintf(out, "%.*s\"Updated.\"\r\n", (int)(len - 4), line);
            else if (len > 1 && end[-1] == '"')
                fprintf(out, "%.*s Updated.\"\r\n", (int)(len - 1), line);
            else {
                fputs(line, out);
                continue;
            }
        }
        changed++;
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    return changed;
}

static void print_run(const char *what, const vigil_rescreen_result *r)
{
    printf("%-34s %8.2f s  %lld in full, %lld against %lld changed entities, %lld new "
           "alerts, %lld known\n",
           what, r->seconds, (long long)r->screened_in_full, (long long)r->screened_changed,
           (long long)r->entities_changed, (long long)r->alerts_new,
           (long long)r->alerts_known);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    bench_each_negative(shared, keep_parts, NULL);
    if (!given.n || !family.n) {
        fprintf(stderr, "bench_rescreen: no name parts under %s/eval/screening\n", shared);
        return 1;
    }
    char db_path[64];
    double t0 = bench_now();
    vigil_db *db = bench_four_lists(shared, db_path, sizeof(db_path));
    if (!db)
        return 1;
    printf("rescreen: 4 lists loaded in %.1f s\n", bench_now() - t0);

    /* the customers, in blocks */
    static char renamed[CHANGED / 2][256];
    person *ps = calloc(BLOCK, sizeof(person));
    vigil_customer *cs = calloc(BLOCK, sizeof(vigil_customer));
    int nrenamed = 0;
    t0 = bench_now();
    for (long done = 0; done < n;) {
        int k = 0;
        for (; k < BLOCK && done < n; k++, done++) {
            make_customer(done, &ps[k]);
            person *p = &ps[k];
            cs[k] = (vigil_customer){p->id,      p->name, p->schema, p->dob[0] ? p->dob : NULL,
                                     p->country, NULL,    NULL};
            /* customers the new version will list: by name alone (the listed
             * entry keeps its own date of birth and country, which would
             * otherwise speak against the match) */
            if (p->g && done % 9973 == 5 && nrenamed < CHANGED / 2) {
                cs[k].birth_date = cs[k].country = NULL;
                char up[128];
                snprintf(up, sizeof(up), "%s", p->f);
                for (char *c = up; *c; c++)
                    *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
                snprintf(renamed[nrenamed++], sizeof(renamed[0]), "%s, %s", up, p->g);
            }
        }
        if (vigil_customers_put(db, cs, (size_t)k, NULL) != VIGIL_OK) {
            fprintf(stderr, "bench_rescreen: %s\n", vigil_errmsg(db));
            return 1;
        }
    }
    double t_import = bench_now() - t0;
    printf("rescreen: %ld customers imported in %.1f s (%.0f/s)\n", n, t_import,
           (double)n / t_import);
    int listed = nrenamed; /* customers the new version lists (100 from 997,300 on) */

    vigil_rescreen_result first, delta, full;
    if (vigil_rescreen(db, NULL, &first) != VIGIL_OK) {
        fprintf(stderr, "bench_rescreen: %s\n", vigil_errmsg(db));
        return 1;
    }
    print_run("first run (everyone, everything)", &first);

    /* the new OFAC version: 200 entities changed */
    char dir[] = "/tmp/vigil-bench-ofac-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    const char *rest[] = {"alt.csv", "add.csv", "sdn_comments.csv"};
    char from[1100], to[1100];
    for (int i = 0; i < 3; i++) {
        snprintf(from, sizeof(from), "%s/lists/ofac/sdn-csv-2022-01/%s", shared, rest[i]);
        snprintf(to, sizeof(to), "%s/%s", dir, rest[i]);
        copy_file(from, to);
    }
    snprintf(from, sizeof(from), "%s/lists/ofac/sdn-csv-2022-01/sdn.csv", shared);
    int changed = write_changed_sdn(from, dir, renamed, listed);
    const char *p[] = {dir};
    vigil_load_options lo = {0, "2022-01-08", 0};
    if (vigil_load(db, p, 1, &lo, NULL, NULL) != VIGIL_OK) {
        fprintf(stderr, "bench_rescreen: %s\n", vigil_errmsg(db));
        return 1;
    }
    printf("rescreen: new OFAC version with %d rows changed\n", changed);

    if (vigil_rescreen(db, NULL, &delta) != VIGIL_OK) {
        fprintf(stderr, "bench_rescreen: %s\n", vigil_errmsg(db));
        return 1;
    }
    print_run("what changed", &delta);
    vigil_rescreen_options all = {.full = 1};
    if (vigil_rescreen(db, &all, &full) != VIGIL_OK) {
        fprintf(stderr, "bench_rescreen: %s\n", vigil_errmsg(db));
        return 1;
    }
    print_run("full re-screen (same versions)", &full);
    printf("rescreen: %ld customers, %lld entities changed: what changed %.2f s, full "
           "re-screen %.2f s (%.0fx)\n",
           n, (long long)delta.entities_changed, delta.seconds, full.seconds,
           full.seconds / (delta.seconds > 1e-9 ? delta.seconds : 1e-9));
    /* every customer the new version lists is alerted (and maybe others
     * of the same name) */
    int ok = delta.entities_changed == CHANGED && delta.alerts_new >= listed;
    if (!ok)
        printf("rescreen: UNEXPECTED: %lld entities changed (%d written), %lld new alerts "
               "(%d customers listed)\n",
               (long long)delta.entities_changed, CHANGED, (long long)delta.alerts_new, listed);
    for (int i = 0; i < 4; i++) {
        snprintf(to, sizeof(to), "%s/%s", dir, i < 3 ? rest[i] : "sdn.csv");
        remove(to);
    }
    rmdir(dir);
    free(ps);
    free(cs);
    vigil_db_close(db);
    if (getenv("VIGIL_BENCH_KEEP")) /* to look into the runs and alerts */
        printf("rescreen: database kept at %s\n", db_path);
    else
        vigil__remove_db_files(db_path);
    return ok ? 0 : 1;
}
