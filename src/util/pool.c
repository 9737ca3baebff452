/*
 * pool.c - the one way the library works on all cores: fn(ctx, i) for every
 * i of a range, taken sixteen at a time by up to nt threads (the caller's
 * among them). Building the engine, computing customers' keys and
 * re-screening use it.
 */
#include <pthread.h>
#include <unistd.h>

#include "../internal.h"

int vigil__threads(int asked)
{
    if (asked > 0)
        return asked > 64 ? 64 : asked;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > 16 ? 16 : (int)cores;
}

typedef struct {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t n;
    size_t next;
    pthread_mutex_t mu;
} par;

static void *par_run(void *arg)
{
    par *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next;
        size_t end = i + 16 < p->n ? i + 16 : p->n;
        p->next = end;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            break;
        for (; i < end; i++)
            p->fn(p->ctx, i);
    }
    return NULL;
}

void vigil__par_for(size_t n, int nt, void (*fn)(void *, size_t), void *ctx)
{
    par p = {fn, ctx, n, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t th[64];
    int started = 0;
    for (int t = 1; t < nt && (size_t)t < n; t++)
        if (pthread_create(&th[started], NULL, par_run, &p) == 0)
            started++;
    par_run(&p);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&p.mu);
}
