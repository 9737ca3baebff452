/*
 * bench.h - what the benchmark programs share: a monotonic clock and medians.
 */
#ifndef VIGIL_BENCH_H
#define VIGIL_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

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

#endif
