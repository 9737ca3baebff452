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
#include <stdio.h>
#include <sys/random.h>

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
        vigil_engine_close(h->e);
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
