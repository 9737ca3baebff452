/*
 * bench_match.c - quality and speed of name matching.
 *
 * Quality: every pair of ../shared/eval/names/name-pairs-dev.csv compared with
 * vigil_compare at the default threshold: accuracy, precision, recall (and,
 * with -v, each misjudged pair). Cross-script: the pairs of
 * cross-script-pairs.csv, how many are judged a match.
 * Speed: name-pair comparisons per second on one core, for Latin person names
 * prepared once (the screening engine's case), median of 5 runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "match/match.h"
#include "vigil.h"

typedef struct {
    int verbose;
    int tp, fp, tn, fn, rows;
    double scores[1024];
    int truth[1024];
    int cross_ok, cross_n;
    int mode; /* 0 pairs, 1 cross-script */
    char names[4096][2][128];
    int nnames;
    char people[4096][128]; /* Latin names of the synthetic customers */
    int npeople;
} ctx;

static void row(char **f, int n, void *data)
{
    ctx *c = data;
    if (c->mode == 0 && n >= 4 && strcmp(f[0], "schema") != 0) {
        vigil_comparison r;
        vigil_compare(f[0], f[1], f[2], 0, c->verbose, &r);
        int truth = strcmp(f[3], "true") == 0;
        if (c->rows < 1024) {
            c->scores[c->rows] = r.score;
            c->truth[c->rows] = truth;
        }
        c->rows++;
        if (r.match && truth)
            c->tp++;
        else if (r.match && !truth)
            c->fp++;
        else if (!r.match && !truth)
            c->tn++;
        else
            c->fn++;
        if (c->verbose && r.match != truth)
            printf("  %s %.3f  %s | %s | %s\n    %s\n", truth ? "MISSED" : "FALSE ", r.score,
                   f[0], f[1], f[2], r.explanation);
        if (c->nnames < 4096 && strcmp(f[0], "Person") == 0) {
            snprintf(c->names[c->nnames][0], 128, "%s", f[1]);
            snprintf(c->names[c->nnames][1], 128, "%s", f[2]);
            c->nnames++;
        }
        vigil_comparison_free(&r);
    } else if (c->mode == 2 && n >= 1 && strcmp(f[0], "full_name") != 0) {
        if (c->npeople < 4096 &&
            strspn(f[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,.-'") ==
                strlen(f[0]))
            snprintf(c->people[c->npeople++], 128, "%s", f[0]);
    } else if (c->mode == 1 && n >= 3 && f[0][0] != '#' && f[0][0]) {
        vigil_comparison r;
        vigil_compare("Person", f[0], f[1], 0, 1, &r);
        c->cross_n++;
        c->cross_ok += r.match;
        if (c->verbose || !r.match)
            printf("  %s %.3f (min %s)  %s | %s\n", r.match ? "ok  " : "MISS", r.score, f[2],
                   f[0], f[1]);
        vigil_comparison_free(&r);
    }
}

static void read_file(const char *path, ctx *c)
{
    bench_each_csv_row(path, row, c);
}

int main(int argc, char **argv)
{
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    static ctx c;
    c.verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    char path[1024];
    /* the product as installed: its built-in name data, nothing loaded */
    snprintf(path, sizeof(path), "%s/eval/names/name-pairs-dev.csv", shared);
    read_file(path, &c);
    double acc = (double)(c.tp + c.tn) / c.rows;
    double prec = c.tp + c.fp ? (double)c.tp / (c.tp + c.fp) : 0;
    double rec = c.tp + c.fn ? (double)c.tp / (c.tp + c.fn) : 0;
    printf("name-pairs-dev.csv: %d pairs at threshold %.2f: accuracy %.3f (target >= 0.92), "
           "precision %.3f, recall %.3f (tp %d fp %d tn %d fn %d)\n",
           c.rows, VIGIL_DEFAULT_THRESHOLD, acc, prec, rec, c.tp, c.fp, c.tn, c.fn);
    printf("  accuracy by threshold:");
    for (double t = 0.75; t < 0.951; t += 0.025) {
        int ok = 0;
        for (int i = 0; i < c.rows && i < 1024; i++)
            ok += (c.scores[i] >= t) == c.truth[i];
        printf(" %.3f:%.3f", t, (double)ok / c.rows);
    }
    printf("\n");
    c.mode = 1;
    snprintf(path, sizeof(path), "%s/eval/names/cross-script-pairs.csv", shared);
    read_file(path, &c);
    printf("cross-script-pairs.csv: %d of %d judged a match\n", c.cross_ok, c.cross_n);

    /* speed: Latin person names prepared once. The synthetic customers of
     * ../shared/eval/screening (Latin ones) against the judged pairs' Latin
     * person names: a customer against listed-looking names, as screening
     * compares them. */
    c.mode = 2;
    snprintf(path, sizeof(path), "%s/eval/screening/negatives-dev-global.csv", shared);
    read_file(path, &c);
    snprintf(path, sizeof(path), "%s/eval/screening/negatives-dev-us.csv", shared);
    read_file(path, &c);
    int n = c.nnames * 2;
    vigil__pname *pn = malloc(sizeof(vigil__pname) * (size_t)n);
    vigil__pname *cu = malloc(sizeof(vigil__pname) * (size_t)c.npeople);
    int k = 0, kc = 0;
    for (int i = 0; i < c.nnames; i++)
        for (int s = 0; s < 2; s++)
            if (vigil__name_prepare(c.names[i][s], VIGIL__CLASS_PERSON, &pn[k]) == 0 &&
                strspn(c.names[i][s],
                       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,.-'") ==
                    strlen(c.names[i][s]))
                k++;
    for (int i = 0; i < c.npeople; i++)
        if (vigil__name_prepare(c.people[i], VIGIL__CLASS_PERSON, &cu[kc]) == 0)
            kc++;
    double runs[5];
    long long pairs = 0;
    volatile double sink = 0;
    for (int r = 0; r < 5; r++) {
        pairs = 0;
        double t0 = bench_now();
        for (int i = 0; i < kc; i++)
            for (int j = 0; j < k; j++) {
                sink += vigil__name_score(&cu[i], &pn[j], NULL);
                pairs++;
            }
        runs[r] = (double)pairs / (bench_now() - t0);
    }
    printf("speed: %d synthetic customers x %d judged-pair names, Latin persons prepared once, "
           "%lld comparisons per run: median %.0f comparisons/s on one core (target >= "
           "1,000,000)\n",
           kc, k, pairs, bench_median(runs, 5));
    free(cu);
    free(pn);
    (void)sink;
    return 0;
}
