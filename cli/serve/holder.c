/*
 * holder.c - the engine vigil serve screens with, shared read-only by the
 * workers behind a reference count: a reload (SIGHUP, or POST /admin/reload
 * with the admin token) builds or reads the new engine beside the old one,
 * swaps the pointer under a mutex, and the old engine is closed by the last
 * request still using it, so no request fails or sees half a list. Also the
 * two things every part of the server asks for beside the engine: a
 * connection to its database, and ids nobody can guess.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "server.h"

static pthread_mutex_t cur_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t reload_mu = PTHREAD_MUTEX_INITIALIZER;
static holder *cur;
static atomic_uint generation; /* reloads so far */

unsigned vigil_srv_generation(void)
{
    return atomic_load(&generation);
}

holder *vigil_srv_acquire(void)
{
    pthread_mutex_lock(&cur_mu);
    holder *h = cur;
    if (h)
        atomic_fetch_add(&h->refs, 1);
    pthread_mutex_unlock(&cur_mu);
    return h;
}

void vigil_srv_release(holder *h)
{
    if (h && atomic_fetch_sub(&h->refs, 1) == 1) {
        vigil_payments_close(h->payments);
        vigil_engine_close(h->e);
        for (size_t i = 0; i < h->nlisted; i++)
            free(h->listed[i]);
        free(h->listed);
        pthread_mutex_destroy(&h->listed_mu);
        free(h);
    }
}

int vigil_srv_reload(char *msg, size_t cap)
{
    pthread_mutex_lock(&reload_mu);
    vigil_db *db;
    vigil_engine *e = NULL;
    int rc = vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_engine_open(db, &e);
    if (rc != VIGIL_OK)
        snprintf(msg, cap, "%s", db ? vigil_errmsg(db) : vigil_strerror(rc));
    vigil_db_close(db);
    holder *h = e ? calloc(1, sizeof(*h)) : NULL;
    if (e && !h) {
        vigil_engine_close(e);
        snprintf(msg, cap, "out of memory");
    }
    if (h) {
        h->e = e;
        atomic_init(&h->refs, 1);
        pthread_mutex_init(&h->listed_mu, NULL);
        json_t *vers = json_loads(vigil_engine_versions(e), 0, NULL);
        size_t i;
        json_t *v;
        json_array_foreach(vers, i, v)
        {
            const char *src = json_string_value(json_object_get(v, "source"));
            if (src && h->nsources < 16)
                snprintf(h->sources[h->nsources++], sizeof(h->sources[0]), "%s", src);
        }
        json_decref(vers);
        pthread_mutex_lock(&cur_mu);
        holder *old = cur;
        cur = h;
        atomic_fetch_add(&generation, 1);
        pthread_mutex_unlock(&cur_mu);
        vigil_srv_release(old);
    }
    pthread_mutex_unlock(&reload_mu);
    return h ? 0 : -1;
}

void vigil_srv_drop(void)
{
    pthread_mutex_lock(&cur_mu);
    holder *old = cur;
    cur = NULL;
    pthread_mutex_unlock(&cur_mu);
    vigil_srv_release(old);
}

vigil_db *vigil_srv_open_db(int write)
{
    vigil_db *db = NULL;
    if (vigil_db_open(vigil_srv_opts->db, write ? 0 : VIGIL_OPEN_READONLY, &db) != VIGIL_OK) {
        fprintf(stderr, "vigil serve: %s\n", vigil_errmsg(db));
        vigil_db_close(db);
        return NULL;
    }
    vigil_db_wait_for_lock(db, 60, NULL, NULL);
    return db;
}

int vigil_srv_random_hex(char out[33])
{
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
        return -1;
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", rnd[i]);
    return 0;
}

void vigil_srv_trace_id(struct MHD_Connection *c, char out[33])
{
    const char *tp = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "traceparent");
    /* version "-" trace-id (32 hex, not all zero) "-" parent-id "-" flags */
    int ok = tp && strlen(tp) >= 55 && tp[2] == '-' && tp[35] == '-';
    int nonzero = 0;
    for (int i = 0; ok && i < 32; i++) {
        char ch = tp[3 + i];
        ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        nonzero |= ch != '0';
    }
    if (ok && nonzero) {
        memcpy(out, tp + 3, 32);
        out[32] = '\0';
        return;
    }
    /* a new one: not a secret, so a per-thread generator (xorshift64*)
     * seeded once from the system's randomness */
    static _Thread_local uint64_t state;
    if (!state && getrandom(&state, sizeof(state), 0) != (ssize_t)sizeof(state))
        state = (uint64_t)(uintptr_t)&state ^ (uint64_t)time(NULL);
    state |= 1; /* never the generator's one stuck state */
    for (int half = 0; half < 2; half++) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        snprintf(out + 16 * half, 17, "%016llx",
                 (unsigned long long)(state * 0x2545F4914F6CDD1DULL));
    }
}
