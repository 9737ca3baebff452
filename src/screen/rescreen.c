/*
 * rescreen.c - a re-screening run: it asks the store (store/customers.c,
 * store/alerts.c) for what changed and the engine for hits, and records them.
 * Design: docs/rescreening.md.
 *
 * Each customer is kept with the index keys its name looks up (the same
 * keys vigil_screen computes for it). A customer shares no key with any name
 * of an engine can have no hit in it, so a run screens only:
 * - customers added or changed since their last full screening, against an
 *   engine of every list (the saved engine, usually);
 * - the others whose keys meet an engine built of the entities added or
 *   changed since the last run (a few hundred names: built in milliseconds),
 *   against that engine.
 * Everything a run writes (the run and its list versions, alerts, customers'
 * screening marks) is one transaction.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../match/match.h"
#include "../store/store.h"
#include "engine.h"

#define PAGE 4096            /* customers read, screened and written together */
#define HITS_PER_CUSTOMER 50 /* hits recorded per customer and run, best first */
#define STR_(x) #x
#define STR(x) STR_(x)

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ re-screening */

/* What a worker screens: a stored customer, the engine, and the hits found. */
typedef struct {
    const vigil__stored_customer *s; /* in the page read */
    const vigil_engine *e;
    vigil_hits hits;
    int rc;
} job;

typedef struct {
    job *jobs;
    double threshold;
} screen_ctx;

static void screen_job(void *ctx, size_t i)
{
    screen_ctx *sc = ctx;
    job *j = &sc->jobs[i];
    vigil_query q = {0};
    q.name = j->s->c.name;
    q.schema = j->s->c.schema;
    q.birth_date = j->s->c.birth_date;
    q.country = j->s->c.country;
    q.gender = j->s->c.gender;
    q.id_number = j->s->c.id_number;
    q.threshold = sc->threshold;
    q.limit = HITS_PER_CUSTOMER;
    j->rc = vigil_screen(j->e, &q, &j->hits);
}

/* 1 when one of the stored keys (a sorted blob) is in e's index. */
static int keys_meet(const vigil_engine *e, const void *blob, int bytes)
{
    const unsigned char *p = blob;
    for (int i = 0; i + (int)sizeof(uint64_t) <= bytes; i += (int)sizeof(uint64_t)) {
        uint64_t k;
        memcpy(&k, p + i, sizeof(k));
        if (vigil__engine_has_key(e, k))
            return 1;
    }
    return 0;
}

/* Who a run screens, and against what (a vigil__customer_want): everyone in
 * full on a full run, and those not screened in full since they changed;
 * the others only when their keys meet the changed entities' engine. */
typedef struct {
    int everyone;
    const vigil_engine *changed;
} want_ctx;

static int want(const void *keys, int bytes, int screened, void *ctx)
{
    const want_ctx *w = ctx;
    if (w->everyone || !screened)
        return 1;
    return w->changed && keys_meet(w->changed, keys, bytes) ? 0 : -1;
}

/* Reads, screens and records the customers, a page at a time. */
static int screen_customers(vigil_db *db, vigil_engine **full, const vigil_engine *changed,
                            int everyone, int64_t run, double threshold, int nt, const char *at,
                            const vigil_rescreen_options *opt, vigil_rescreen_result *res)
{
    int64_t total = 0, read = 0;
    if (opt->progress)
        vigil_customers_count(db, &total);
    vigil__alert_writer *w = NULL;
    job *jobs = calloc(PAGE, sizeof(job));
    vigil__stored_customer *page = calloc(PAGE, sizeof(*page));
    int64_t *marked = calloc(PAGE, sizeof(int64_t));
    int rc = jobs && page && marked ? vigil__alerts_open(db, &w)
                                    : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    want_ctx wc = {everyone, changed};
    int64_t last = 0;
    while (rc == VIGIL_OK) {
        size_t n = 0, rows = 0, nmarked = 0;
        rc = vigil__customers_page(db, last, PAGE, want, &wc, page, &n, &last, &rows);
        for (size_t i = 0; i < n; i++) {
            if (rc == VIGIL_OK && page[i].in_full && !*full)
                rc = vigil_engine_open(db, full);
            jobs[i] = (job){&page[i], page[i].in_full ? *full : changed, {0}, VIGIL_OK};
        }
        if (rc == VIGIL_OK)
            vigil__par_for(n, nt, screen_job, &(screen_ctx){jobs, threshold});
        for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
            job *j = &jobs[i];
            if (j->rc != VIGIL_OK) {
                rc = vigil__db_fail(db, j->rc, "screening customer %s: %s", j->s->c.id,
                                    vigil_strerror(j->rc));
                break;
            }
            if (j->s->in_full) {
                res->screened_in_full++;
                marked[nmarked++] = j->s->rowid;
            } else {
                res->screened_changed++;
            }
            for (size_t k = 0; rc == VIGIL_OK && k < j->hits.n; k++) {
                int is_new = 0;
                if (!j->hits.hits[k].match)
                    continue;
                rc = vigil__alerts_record(db, w, run, at, j->s->c.id, j->s->sha,
                                          &j->hits.hits[k], &is_new);
                if (is_new)
                    res->alerts_new++;
                else
                    res->alerts_known++;
            }
        }
        if (rc == VIGIL_OK)
            rc = vigil__customers_mark(db, marked, nmarked, run);
        read += (int64_t)rows;
        if (rc == VIGIL_OK && opt->progress)
            opt->progress(opt->progress_ctx, read < total ? read : total, total);
        for (size_t i = 0; i < n; i++) {
            vigil__stored_customer_clear(&page[i]);
            vigil_hits_free(&jobs[i].hits);
        }
        if (rows < PAGE)
            break;
    }
    vigil__alerts_close(w);
    free(jobs);
    free(page);
    free(marked);
    return rc;
}

int vigil_rescreen(vigil_db *db, const vigil_rescreen_options *opt, vigil_rescreen_result *out)
{
    vigil_rescreen_options o = {0};
    if (opt)
        o = *opt;
    memset(out, 0, sizeof(*out));
    if (!db)
        return VIGIL_ERR_ARG;
    double t0 = mono();
    double threshold = o.threshold > 0 ? o.threshold : VIGIL_DEFAULT_THRESHOLD;
    int nt = vigil__threads(o.threads);
    char started[32], fp[40];
    vigil__now_iso(started);
    vigil__customer_keys_fp(fp);
    int rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    if (vigil__db_count(db, "SELECT count(*) FROM list_version", 0, 0) <= 0)
        return vigil__db_finish(db, vigil__db_fail(db, VIGIL_ERR_NOTFOUND,
                                                   "no lists loaded: run vigil load first"));
    int refreshed = 0;
    rc = vigil__customer_keys_current(db, &refreshed);
    /* the last run, and whether this one must screen everyone */
    int64_t last = 0;
    double last_threshold = 0;
    char last_fp[64] = "";
    if (rc == VIGIL_OK)
        rc = vigil__run_last(db, &last, &last_threshold, last_fp);
    out->full = o.full || !last || refreshed || threshold < last_threshold - 1e-9 ||
                strcmp(last_fp, fp) != 0;
    char *versions = vigil__current_versions(db);
    if (!versions && rc == VIGIL_OK)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    /* the run, first, for the alerts to name; then what changed since the last */
    if (rc == VIGIL_OK)
        rc = vigil__run_start(db, started, out->full, threshold, fp, versions, &out->run_id);
    if (rc == VIGIL_OK)
        rc = vigil__run_changes(db, last, out->run_id, &out->entities_changed,
                                &out->entities_removed);
    vigil_engine *full = NULL, *changed = NULL;
    if (rc == VIGIL_OK && !out->full && out->entities_changed > 0)
        rc = vigil__engine_open_changed(db, last, &changed);
    char at[32];
    vigil__now_iso(at);
    if (rc == VIGIL_OK)
        rc = screen_customers(db, &full, changed, out->full, out->run_id, threshold, nt, at, &o,
                              out);
    vigil_engine_close(full);
    vigil_engine_close(changed);
    /* open alerts on entities that left the lists */
    if (rc == VIGIL_OK)
        rc = vigil__alerts_delist(db, out->run_id, at, versions, &out->alerts_delisted);
    if (rc == VIGIL_OK)
        rc = vigil_customers_count(db, &out->customers);
    out->seconds = mono() - t0;
    if (rc == VIGIL_OK)
        rc = vigil__run_finish(db, out);
    free(versions);
    rc = vigil__db_finish(db, rc);
    if (rc != VIGIL_OK)
        memset(out, 0, sizeof(*out)); /* nothing was recorded */
    return rc;
}
