/*
 * test_match.c - the string metrics against the jellyfish vectors in
 * ../shared/eval/string-metrics, and the name matcher.
 */
#include <math.h>
#include <stdlib.h>

#include "test.h"

typedef struct {
    const char *file;
    int kind; /* 0 integer distance, 1 similarity, 2 soundex */
    int rows;
} metric_ctx;

static double metric(const char *file, const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (!strcmp(file, "levenshtein.csv") || !strcmp(file, "wagner_fischer.csv"))
        return (double)vigil__levenshtein(a, n, b, m);
    if (!strcmp(file, "damerau_levenshtein.csv"))
        return (double)vigil__damerau(a, n, b, m);
    if (!strcmp(file, "hamming.csv"))
        return (double)vigil__hamming(a, n, b, m);
    if (!strcmp(file, "jaro_distance.csv"))
        return vigil__jaro(a, n, b, m);
    if (!strcmp(file, "jaro_winkler.csv"))
        return vigil__jaro_winkler(a, n, b, m);
    return vigil__jaro_winkler_ex(a, n, b, m, 1, 1);
}

static void metric_row(char **f, int n, void *ud)
{
    metric_ctx *c = ud;
    if (c->kind == 2) {
        if (n < 2)
            return;
        char code[16];
        vigil__soundex(f[0], code, sizeof(code));
        c->rows++;
        if (strcmp(code, f[1]) != 0)
            test_fail(__FILE__, __LINE__, "soundex(\"%s\") = \"%s\", expected \"%s\"", f[0], code,
                      f[1]);
        return;
    }
    if (n < 3)
        return;
    uint32_t a[256], b[256];
    size_t na = vigil__utf8_to_cp(f[0], a, 256), nb = vigil__utf8_to_cp(f[1], b, 256);
    double got = metric(c->file, a, na, b, nb);
    double want = atof(f[2]);
    c->rows++;
    if (fabs(got - want) > (c->kind ? 0.0015 : 0.0))
        test_fail(__FILE__, __LINE__, "%s(\"%s\", \"%s\") = %.4f, expected %s", c->file, f[0],
                  f[1], got, f[2]);
}

void test_metric_vectors(void)
{
    static const struct {
        const char *file;
        int kind;
    } files[] = {{"levenshtein.csv", 0},        {"wagner_fischer.csv", 0},
                 {"damerau_levenshtein.csv", 0}, {"hamming.csv", 0},
                 {"jaro_distance.csv", 1},       {"jaro_winkler.csv", 1},
                 {"jaro_winkler_longtol.csv", 1}, {"soundex.csv", 2}};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char rel[128];
        snprintf(rel, sizeof(rel), "eval/string-metrics/%s", files[i].file);
        metric_ctx c = {files[i].file, files[i].kind, 0};
        read_csv(shared_path(rel), metric_row, &c);
        if (c.rows < 4)
            test_fail(__FILE__, __LINE__, "%s: only %d vectors read", files[i].file, c.rows);
    }
}
