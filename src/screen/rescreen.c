/*
 * rescreen.c - the customer store, re-screening what changed, alerts and
 * decisions. Design: docs/rescreening.md.
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

#define MAX_KEYS 256
#define PAGE 4096            /* customers read, screened and written together */
#define HITS_PER_CUSTOMER 50 /* hits recorded per customer and run, best first */
#define KEYS_FORMAT 1        /* bump when name_keys (engine.c) changes */
#define STR_(x) #x
#define STR(x) STR_(x)

/* ------------------------------------------------------------- helpers */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the stored keys were computed with: the key format and the name data
 * (a prepared name depends on it). */
static void keys_fp(char out[40])
{
    snprintf(out, 40, "%d:%016llx", KEYS_FORMAT, (unsigned long long)vigil__match_data_fp());
}

static int threads_of(int asked)
{
    if (asked > 0)
        return asked > 64 ? 64 : asked;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > 16 ? 16 : (int)cores;
}

/* Calls fn(ctx, i) for i in [0, n) on up to nt threads (this one among
 * them); each thread that screened frees its memory on the way out. */
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

static void par_for(size_t n, int nt, void (*fn)(void *, size_t), void *ctx)
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

static char *dup_or_null(const unsigned char *s)
{
    return s ? strdup((const char *)s) : NULL;
}

/* The hex SHA-256 of a customer's fields (a field's absence differs from
 * its being empty). */
static int customer_sha(const vigil_customer *c, char hex[65])
{
    const char *f[] = {c->name, c->schema, c->birth_date, c->country, c->gender, c->id_number};
    vigil__file parts[12];
    size_t n = 0;
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        parts[n++] = (vigil__file){NULL, f[i] ? "\x1f" : "\x1e", 1};
        if (f[i])
            parts[n++] = (vigil__file){NULL, f[i], strlen(f[i])};
    }
    return vigil__sha256_files(parts, n, hex);
}

static int get_meta(vigil_db *db, const char *key, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db->sql, "SELECT value FROM meta WHERE key=?", -1, &st, NULL) !=
        SQLITE_OK)
        return vigil__db_sqlfail(db, "reading meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return VIGIL_OK;
}

static int set_meta(vigil_db *db, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", -1,
                           &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "writing meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? VIGIL_OK : vigil__db_sqlfail(db, "writing meta");
    sqlite3_finalize(st);
    return rc;
}

static int exec(vigil_db *db, const char *sql, const char *what)
{
    return sqlite3_exec(db->sql, sql, NULL, NULL, NULL) == SQLITE_OK
               ? VIGIL_OK
               : vigil__db_sqlfail(db, what);
}

/* Starts a write transaction; on failure nothing is held. */
static int begin(vigil_db *db)
{
    if (db->readonly)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "the database is open read-only");
    return exec(db, "BEGIN IMMEDIATE", "starting a transaction");
}

static int finish(vigil_db *db, int rc)
{
    if (rc == VIGIL_OK)
        return exec(db, "COMMIT", "committing");
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* ------------------------------------------------------------ customers */

/* One customer's keys, computed on a worker thread. */
typedef struct {
    vigil_customer c;
    uint64_t keys[MAX_KEYS];
    int nkeys; /* -1: the customer cannot be screened */
} keyed;

static void compute_keys(void *ctx, size_t i)
{
    keyed *k = &((keyed *)ctx)[i];
    vigil_query q = {0};
    q.name = k->c.name;
    q.schema = k->c.schema;
    k->nkeys = vigil__screen_keys(&q, k->keys, MAX_KEYS);
}

/* Computes ks[0..n)'s keys on all cores (the workers' transliterators are
 * freed as their threads end). */
static void keys_of(keyed *ks, size_t n)
{
    par_for(n, threads_of(0), compute_keys, ks);
}

/* Recomputes every stored customer's keys (the name data changed since they
 * were computed). Inside the caller's transaction. */
static int refresh_keys(vigil_db *db, const char *fp)
{
    sqlite3_stmt *rd = NULL, *wr = NULL;
    keyed *ks = calloc(PAGE, sizeof(keyed));
    int64_t ids[PAGE];
    int rc = VIGIL_OK;
    if (!ks)
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT rowid, name, schema FROM customer WHERE rowid > ? ORDER BY "
                           "rowid LIMIT " STR(PAGE),
                           -1, &rd, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->sql, "UPDATE customer SET keys=? WHERE rowid=?", -1, &wr,
                           NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "reading customers");
    int64_t last = 0;
    while (rc == VIGIL_OK) {
        size_t n = 0;
        sqlite3_bind_int64(rd, 1, last);
        while (n < PAGE && sqlite3_step(rd) == SQLITE_ROW) {
            ids[n] = sqlite3_column_int64(rd, 0);
            ks[n].c.name = dup_or_null(sqlite3_column_text(rd, 1));
            ks[n].c.schema = dup_or_null(sqlite3_column_text(rd, 2));
            n++;
        }
        sqlite3_reset(rd);
        if (!n)
            break;
        last = ids[n - 1];
        keys_of(ks, n);
        for (size_t i = 0; i < n; i++) {
            int nk = ks[i].nkeys > 0 ? ks[i].nkeys : 0;
            sqlite3_bind_blob(wr, 1, ks[i].keys, nk * (int)sizeof(uint64_t), SQLITE_STATIC);
            sqlite3_bind_int64(wr, 2, ids[i]);
            if (rc == VIGIL_OK && sqlite3_step(wr) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "writing customers");
            sqlite3_reset(wr);
            free((char *)ks[i].c.name);
            free((char *)ks[i].c.schema);
            memset(&ks[i].c, 0, sizeof(ks[i].c));
        }
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    free(ks);
    if (rc == VIGIL_OK)
        rc = set_meta(db, "customer_keys", fp);
    return rc;
}

/* Makes the stored keys those of the name data loaded now. *refreshed: 1
 * when they were computed anew (matching changed: a full run is due). */
static int keys_current(vigil_db *db, int *refreshed)
{
    char fp[40], held[64];
    keys_fp(fp);
    *refreshed = 0;
    int rc = get_meta(db, "customer_keys", held, sizeof(held));
    if (rc != VIGIL_OK || strcmp(held, fp) == 0)
        return rc;
    *refreshed = held[0] != '\0';
    return refresh_keys(db, fp);
}

int vigil_customers_put(vigil_db *db, const vigil_customer *c, size_t n, int *status)
{
    if (!db || (!c && n))
        return VIGIL_ERR_ARG;
    keyed *ks = calloc(n ? n : 1, sizeof(keyed));
    int *st = calloc(n ? n : 1, sizeof(int));
    char(*sha)[65] = calloc(n ? n : 1, sizeof(*sha));
    if (!ks || !st || !sha) {
        free(ks);
        free(st);
        free(sha);
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    }
    int rc = begin(db), refreshed, in_tx = rc == VIGIL_OK;
    if (rc == VIGIL_OK)
        rc = keys_current(db, &refreshed);
    sqlite3_stmt *rd = NULL, *wr = NULL;
    if (rc == VIGIL_OK &&
        (sqlite3_prepare_v2(db->sql, "SELECT sha256 FROM customer WHERE id=?", -1, &rd, NULL) !=
             SQLITE_OK ||
         sqlite3_prepare_v2(
             db->sql,
             "INSERT INTO customer(id, name, schema, birth_date, country, gender, id_number, "
             "sha256, keys, added_at, updated_at, screened_run) "
             "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10,NULL) ON CONFLICT(id) DO UPDATE SET "
             "name=?2, schema=?3, birth_date=?4, country=?5, gender=?6, id_number=?7, "
             "sha256=?8, keys=?9, updated_at=?10, screened_run=NULL",
             -1, &wr, NULL) != SQLITE_OK))
        rc = vigil__db_sqlfail(db, "preparing the customer store");
    /* which are new or changed; only their keys are computed */
    size_t nk = 0;
    for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
        const vigil_customer *x = &c[i];
        if (!x->id || !*x->id || !x->name || !*x->name ||
            (x->schema && *x->schema && !vigil__schema_canonical(x->schema) &&
             !vigil__ieq(x->schema, "LegalEntity"))) {
            st[i] = VIGIL_ERR_ARG;
            continue;
        }
        if (customer_sha(x, sha[i]) != VIGIL_OK) {
            rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
            break;
        }
        sqlite3_bind_text(rd, 1, x->id, -1, SQLITE_STATIC);
        if (sqlite3_step(rd) == SQLITE_ROW)
            st[i] = strcmp((const char *)sqlite3_column_text(rd, 0), sha[i]) == 0
                        ? VIGIL_CUSTOMER_UNCHANGED
                        : VIGIL_CUSTOMER_CHANGED;
        else
            st[i] = VIGIL_CUSTOMER_ADDED;
        sqlite3_reset(rd);
        if (st[i] != VIGIL_CUSTOMER_UNCHANGED) {
            ks[nk].c = *x;
            ks[nk].c.schema = x->schema && *x->schema ? x->schema : NULL;
            nk++;
        }
    }
    if (rc == VIGIL_OK)
        keys_of(ks, nk);
    char at[32];
    vigil__now_iso(at);
    size_t k = 0;
    for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
        if (st[i] != VIGIL_CUSTOMER_ADDED && st[i] != VIGIL_CUSTOMER_CHANGED)
            continue;
        keyed *x = &ks[k++];
        if (x->nkeys < 0) {
            st[i] = VIGIL_ERR_ARG;
            continue;
        }
        const char *f[] = {x->c.id,      x->c.name,   x->c.schema,   x->c.birth_date,
                           x->c.country, x->c.gender, x->c.id_number};
        for (int j = 0; j < 7; j++) {
            if (f[j] && *f[j])
                sqlite3_bind_text(wr, j + 1, f[j], -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(wr, j + 1);
        }
        sqlite3_bind_text(wr, 8, sha[i], -1, SQLITE_STATIC);
        sqlite3_bind_blob(wr, 9, x->keys, x->nkeys * (int)sizeof(uint64_t), SQLITE_STATIC);
        sqlite3_bind_text(wr, 10, at, -1, SQLITE_STATIC);
        if (sqlite3_step(wr) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "writing a customer");
        sqlite3_reset(wr);
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    if (in_tx)
        rc = finish(db, rc);
    if (rc == VIGIL_OK && status)
        memcpy(status, st, n * sizeof(int));
    free(ks);
    free(st);
    free(sha);
    return rc;
}

int vigil_customers_count(vigil_db *db, int64_t *n)
{
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (!db || sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM customer", -1, &st, NULL) !=
                   SQLITE_OK)
        return db ? vigil__db_sqlfail(db, "counting customers") : VIGIL_ERR_ARG;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return VIGIL_OK;
}

/* ------------------------------------------------------------ re-screening */

/* The entities of the current versions that the run ?1 did not see as they
 * are now: added since, or with another document. */
#define CHANGED_FROM                                                                           \
    " FROM version_entity ve JOIN list_version lv ON lv.id = ve.version_id"                    \
    " JOIN entity_doc d ON d.id = ve.doc_id"                                                   \
    " WHERE ve.version_id IN (SELECT max(id) FROM list_version GROUP BY source)"               \
    " AND NOT EXISTS (SELECT 1 FROM run_version rv JOIN version_entity o"                      \
    " ON o.version_id = rv.version_id AND o.source_id = ve.source_id"                          \
    " WHERE rv.run_id = ?1 AND rv.source = lv.source AND o.doc_id = ve.doc_id)"

/* What a worker screens: a customer, the engine, and the hits found. */
typedef struct {
    int64_t rowid;
    vigil_customer c;
    char sha[65];
    const vigil_engine *e;
    int in_full; /* screened against every list */
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
    q.name = j->c.name;
    q.schema = j->c.schema;
    q.birth_date = j->c.birth_date;
    q.country = j->c.country;
    q.gender = j->c.gender;
    q.id_number = j->c.id_number;
    q.threshold = sc->threshold;
    q.limit = HITS_PER_CUSTOMER;
    j->rc = vigil_screen(j->e, &q, &j->hits);
}

static void job_clear(job *j)
{
    free((char *)j->c.id);
    free((char *)j->c.name);
    free((char *)j->c.schema);
    free((char *)j->c.birth_date);
    free((char *)j->c.country);
    free((char *)j->c.gender);
    free((char *)j->c.id_number);
    vigil_hits_free(&j->hits);
    memset(j, 0, sizeof(*j));
}

/* The statements a run writes with. */
typedef struct {
    sqlite3_stmt *last_alert, *entity_now, *insert_alert, *refresh_alert, *mark;
} writer;

static int writer_open(vigil_db *db, writer *w)
{
    memset(w, 0, sizeof(*w));
    const char *sql[] = {
        "SELECT id, status, customer_sha256, doc_id FROM alert WHERE customer_id=?1 AND "
        "source=?2 AND source_id=?3 ORDER BY id DESC LIMIT 1",
        "SELECT ve.version_id, ve.doc_id FROM run_version rv JOIN version_entity ve ON "
        "ve.version_id = rv.version_id AND ve.source_id = ?3 WHERE rv.run_id = ?1 AND "
        "rv.source = ?2",
        "INSERT INTO alert(customer_id, customer_sha256, source, source_id, version_id, "
        "doc_id, "
        "schema, entity_name, matched_name, score, explanation, status, run_id, created_at, "
        "previous) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,'open',?12,?13,?14)",
        "UPDATE alert SET customer_sha256=?2, version_id=?3, doc_id=?4, matched_name=?5, "
        "score=?6, explanation=?7 WHERE id=?1",
        "UPDATE customer SET screened_run=?2 WHERE rowid=?1",
    };
    sqlite3_stmt **st[] = {&w->last_alert, &w->entity_now, &w->insert_alert, &w->refresh_alert,
                           &w->mark};
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        if (sqlite3_prepare_v2(db->sql, sql[i], -1, st[i], NULL) != SQLITE_OK)
            return vigil__db_sqlfail(db, "preparing the alerts");
    return VIGIL_OK;
}

static void writer_close(writer *w)
{
    sqlite3_finalize(w->last_alert);
    sqlite3_finalize(w->entity_now);
    sqlite3_finalize(w->insert_alert);
    sqlite3_finalize(w->refresh_alert);
    sqlite3_finalize(w->mark);
}

/* Records one hit of a customer: a new alert, or the one it already has. */
static int record_hit(vigil_db *db, writer *w, int64_t run, const char *at, const job *j,
                      const vigil_hit *h, vigil_rescreen_result *res)
{
    /* the entity as the run's versions hold it */
    sqlite3_stmt *s = w->entity_now;
    sqlite3_bind_int64(s, 1, run);
    sqlite3_bind_text(s, 2, h->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, h->source_id, -1, SQLITE_STATIC);
    int64_t version = 0, doc = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        version = sqlite3_column_int64(s, 0);
        doc = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (!doc)
        return vigil__db_fail(db, VIGIL_ERR_DB, "%s %s: screened but not in the run's versions",
                              h->source, h->source_id);
    /* the pair's latest alert */
    s = w->last_alert;
    sqlite3_bind_text(s, 1, j->c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, h->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, h->source_id, -1, SQLITE_STATIC);
    int64_t prev = 0, prev_doc = 0;
    char status[24] = "", prev_sha[65] = "";
    if (sqlite3_step(s) == SQLITE_ROW) {
        prev = sqlite3_column_int64(s, 0);
        snprintf(status, sizeof(status), "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(prev_sha, sizeof(prev_sha), "%s", (const char *)sqlite3_column_text(s, 2));
        prev_doc = sqlite3_column_int64(s, 3);
    }
    sqlite3_reset(s);
    if (prev && strcmp(status, "open") == 0) {
        /* still to be decided: it shows what was seen last */
        s = w->refresh_alert;
        sqlite3_bind_int64(s, 1, prev);
        sqlite3_bind_text(s, 2, j->sha, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, version);
        sqlite3_bind_int64(s, 4, doc);
        sqlite3_bind_text(s, 5, h->matched_name, -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 6, h->score);
        sqlite3_bind_text(s, 7, h->explanation, -1, SQLITE_STATIC);
        int ok = sqlite3_step(s) == SQLITE_DONE;
        sqlite3_reset(s);
        res->alerts_known++;
        return ok ? VIGIL_OK : vigil__db_sqlfail(db, "updating an alert");
    }
    if (prev && (strcmp(status, "true-match") == 0 ||
                 (strcmp(status, "false-positive") == 0 && prev_doc == doc &&
                  strcmp(prev_sha, j->sha) == 0))) {
        res->alerts_known++;
        return VIGIL_OK;
    }
    /* new, or reopened: a false positive whose customer or entity changed,
     * an entity listed again */
    s = w->insert_alert;
    sqlite3_bind_text(s, 1, j->c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, j->sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, h->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, h->source_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, version);
    sqlite3_bind_int64(s, 6, doc);
    sqlite3_bind_text(s, 7, h->schema, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, h->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, h->matched_name, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 10, h->score);
    sqlite3_bind_text(s, 11, h->explanation, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 12, run);
    sqlite3_bind_text(s, 13, at, -1, SQLITE_STATIC);
    if (prev)
        sqlite3_bind_int64(s, 14, prev);
    else
        sqlite3_bind_null(s, 14);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    res->alerts_new++;
    return ok ? VIGIL_OK : vigil__db_sqlfail(db, "writing an alert");
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

static int64_t count_of(vigil_db *db, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Reads, screens and records the customers, a page at a time. */
static int screen_customers(vigil_db *db, vigil_engine **full, const vigil_engine *changed,
                            int everyone, int64_t run, double threshold, int nt, const char *at,
                            vigil_rescreen_result *res)
{
    sqlite3_stmt *rd = NULL;
    writer w;
    job *jobs = calloc(PAGE, sizeof(job));
    int rc = jobs ? writer_open(db, &w) : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    if (rc == VIGIL_OK &&
        sqlite3_prepare_v2(
            db->sql,
            "SELECT rowid, id, name, schema, birth_date, country, gender, "
            "id_number, sha256, keys, screened_run FROM customer WHERE rowid > ? "
            "ORDER BY rowid LIMIT " STR(PAGE),
            -1, &rd, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "reading customers");
    int64_t last = 0;
    while (rc == VIGIL_OK) {
        size_t n = 0, rows = 0;
        sqlite3_bind_int64(rd, 1, last);
        while (sqlite3_step(rd) == SQLITE_ROW) {
            rows++;
            last = sqlite3_column_int64(rd, 0);
            int in_full = everyone || sqlite3_column_type(rd, 10) == SQLITE_NULL;
            if (!in_full && !(changed && keys_meet(changed, sqlite3_column_blob(rd, 9),
                                                   sqlite3_column_bytes(rd, 9))))
                continue;
            if (in_full && !*full) {
                rc = vigil_engine_open(db, full);
                if (rc != VIGIL_OK)
                    break;
            }
            job *j = &jobs[n++];
            j->rowid = last;
            j->in_full = in_full;
            j->e = in_full ? *full : changed;
            j->c.id = dup_or_null(sqlite3_column_text(rd, 1));
            j->c.name = dup_or_null(sqlite3_column_text(rd, 2));
            j->c.schema = dup_or_null(sqlite3_column_text(rd, 3));
            j->c.birth_date = dup_or_null(sqlite3_column_text(rd, 4));
            j->c.country = dup_or_null(sqlite3_column_text(rd, 5));
            j->c.gender = dup_or_null(sqlite3_column_text(rd, 6));
            j->c.id_number = dup_or_null(sqlite3_column_text(rd, 7));
            snprintf(j->sha, sizeof(j->sha), "%s", (const char *)sqlite3_column_text(rd, 8));
            if (!j->c.id || !j->c.name)
                rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
        }
        sqlite3_reset(rd);
        if (rc == VIGIL_OK)
            par_for(n, nt, screen_job, &(screen_ctx){jobs, threshold});
        for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
            job *j = &jobs[i];
            if (j->rc != VIGIL_OK) {
                rc = vigil__db_fail(db, j->rc, "screening customer %s: %s", j->c.id,
                                    vigil_strerror(j->rc));
                break;
            }
            if (j->in_full) {
                res->screened_in_full++;
                sqlite3_bind_int64(w.mark, 1, j->rowid);
                sqlite3_bind_int64(w.mark, 2, run);
                if (sqlite3_step(w.mark) != SQLITE_DONE)
                    rc = vigil__db_sqlfail(db, "marking a customer screened");
                sqlite3_reset(w.mark);
            } else {
                res->screened_changed++;
            }
            for (size_t k = 0; rc == VIGIL_OK && k < j->hits.n; k++)
                if (j->hits.hits[k].match)
                    rc = record_hit(db, &w, run, at, j, &j->hits.hits[k], res);
        }
        for (size_t i = 0; i < n; i++)
            job_clear(&jobs[i]);
        if (rows < PAGE)
            break;
    }
    sqlite3_finalize(rd);
    if (jobs)
        writer_close(&w);
    free(jobs);
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
    int nt = threads_of(o.threads);
    char started[32], fp[40];
    vigil__now_iso(started);
    keys_fp(fp);
    int rc = begin(db);
    if (rc != VIGIL_OK)
        return rc;
    if (count_of(db, "SELECT count(*) FROM list_version", 0, 0) <= 0) {
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no lists loaded: run vigil load first");
    }
    int refreshed = 0;
    rc = keys_current(db, &refreshed);
    /* the last run, and whether this one must screen everyone */
    int64_t last = 0;
    double last_threshold = 0;
    char last_fp[64] = "";
    sqlite3_stmt *st = NULL;
    if (rc == VIGIL_OK &&
        sqlite3_prepare_v2(db->sql,
                           "SELECT id, threshold, keys_fp FROM screening_run ORDER BY id DESC "
                           "LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        last_threshold = sqlite3_column_double(st, 1);
        snprintf(last_fp, sizeof(last_fp), "%s", (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    out->full = o.full || !last || refreshed || threshold < last_threshold - 1e-9 ||
                strcmp(last_fp, fp) != 0;
    char *versions = vigil__current_versions(db);
    if (!versions && rc == VIGIL_OK)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    /* the run, first, for the alerts to name */
    if (rc == VIGIL_OK) {
        st = NULL;
        if (sqlite3_prepare_v2(db->sql,
                               "INSERT INTO screening_run(started_at, finished_at, full, "
                               "threshold, keys_fp, versions) VALUES(?1, ?1, ?2, ?3, ?4, ?5)",
                               -1, &st, NULL) != SQLITE_OK)
            rc = vigil__db_sqlfail(db, "recording the run");
        else {
            sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 2, out->full);
            sqlite3_bind_double(st, 3, threshold);
            sqlite3_bind_text(st, 4, fp, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, versions, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "recording the run");
            out->run_id = sqlite3_last_insert_rowid(db->sql);
        }
        sqlite3_finalize(st);
    }
    if (rc == VIGIL_OK) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO run_version(run_id, source, version_id) SELECT %lld, source, "
                 "max(id) FROM list_version GROUP BY source",
                 (long long)out->run_id);
        rc = exec(db, sql, "recording the run's versions");
    }
    /* what changed since the last run */
    if (rc == VIGIL_OK) {
        out->entities_changed = last ? count_of(db, "SELECT count(*)" CHANGED_FROM, last, 0)
                                     : count_of(db,
                                                "SELECT count(*) FROM version_entity WHERE "
                                                "version_id IN (SELECT version_id FROM "
                                                "run_version WHERE run_id = ?1)",
                                                out->run_id, 0);
        out->entities_removed =
            last ? count_of(
                       db,
                       "SELECT count(*) FROM run_version rv JOIN version_entity o ON "
                       "o.version_id = rv.version_id WHERE rv.run_id = ?1 AND NOT EXISTS "
                       "(SELECT 1 FROM run_version nv JOIN version_entity n ON n.version_id "
                       "= nv.version_id AND n.source_id = o.source_id WHERE nv.run_id = ?2 "
                       "AND nv.source = rv.source)",
                       last, out->run_id)
                 : 0;
        if (out->entities_changed < 0 || out->entities_removed < 0)
            rc = vigil__db_sqlfail(db, "comparing the versions");
    }
    vigil_engine *full = NULL, *changed = NULL;
    if (rc == VIGIL_OK && !out->full && out->entities_changed > 0)
        rc = vigil__engine_open_sql(db,
                                    "SELECT d.doc" CHANGED_FROM " ORDER BY ve.version_id, "
                                    "ve.source_id",
                                    last, &changed);
    char at[32];
    vigil__now_iso(at);
    if (rc == VIGIL_OK)
        rc = screen_customers(db, &full, changed, out->full, out->run_id, threshold, nt, at,
                              out);
    vigil_engine_close(full);
    vigil_engine_close(changed);
    /* open alerts on entities that left the lists */
    if (rc == VIGIL_OK) {
        static const char *const gone =
            " FROM alert a WHERE a.status = 'open' AND NOT EXISTS (SELECT 1 FROM run_version "
            "rv "
            "JOIN version_entity ve ON ve.version_id = rv.version_id AND ve.source_id = "
            "a.source_id WHERE rv.run_id = ?1 AND rv.source = a.source)";
        char sql[1024];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO decision(alert_id, decision, note, by, decided_at, versions) "
                 "SELECT a.id, 'delisted', 'the entity is no longer on its list', 'vigil', ?2, "
                 "?3%s",
                 gone);
        st = NULL;
        if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
            rc = vigil__db_sqlfail(db, "closing delisted alerts");
        else {
            sqlite3_bind_int64(st, 1, out->run_id);
            sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, versions, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "closing delisted alerts");
            out->alerts_delisted = sqlite3_changes(db->sql);
        }
        sqlite3_finalize(st);
        snprintf(sql, sizeof(sql),
                 "UPDATE alert SET status = 'delisted' WHERE id IN (SELECT a.id%s)", gone);
        st = NULL;
        if (rc == VIGIL_OK && sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, out->run_id);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "closing delisted alerts");
        } else if (rc == VIGIL_OK)
            rc = vigil__db_sqlfail(db, "closing delisted alerts");
        sqlite3_finalize(st);
    }
    if (rc == VIGIL_OK)
        rc = vigil_customers_count(db, &out->customers);
    out->seconds = mono() - t0;
    if (rc == VIGIL_OK) {
        char finished[32];
        vigil__now_iso(finished);
        st = NULL;
        if (sqlite3_prepare_v2(db->sql,
                               "UPDATE screening_run SET finished_at=?2, customers=?3, "
                               "screened_in_full=?4, screened_changed=?5, entities_changed=?6, "
                               "entities_removed=?7, alerts_new=?8, alerts_known=?9, "
                               "alerts_delisted=?10, seconds=?11 WHERE id=?1",
                               -1, &st, NULL) != SQLITE_OK)
            rc = vigil__db_sqlfail(db, "recording the run");
        else {
            sqlite3_bind_int64(st, 1, out->run_id);
            sqlite3_bind_text(st, 2, finished, -1, SQLITE_STATIC);
            int64_t v[] = {out->customers,        out->screened_in_full, out->screened_changed,
                           out->entities_changed, out->entities_removed, out->alerts_new,
                           out->alerts_known,     out->alerts_delisted};
            for (int i = 0; i < 8; i++)
                sqlite3_bind_int64(st, 3 + i, v[i]);
            sqlite3_bind_double(st, 11, out->seconds);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "recording the run");
        }
        sqlite3_finalize(st);
    }
    free(versions);
    rc = finish(db, rc);
    if (rc != VIGIL_OK)
        memset(out, 0, sizeof(*out)); /* nothing was recorded */
    return rc;
}

/* ------------------------------------------------- alerts and decisions */

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return s ? json_string((const char *)s) : json_null();
}

static json_t *json_or_null(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    json_t *v = s ? json_loads((const char *)s, 0, NULL) : NULL;
    return v ? v : json_null();
}

static char *dump_or_fail(vigil_db *db, json_t *v, char **json)
{
    *json = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (!*json)
        vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    return *json;
}

int vigil_alerts_json(vigil_db *db, int open_only, char **json)
{
    *json = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL, *ds = NULL;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT a.id, a.status, a.customer_id, c.name, c.schema, c.birth_date, c.country, "
             "c.id_number, a.source, a.source_id, a.schema, a.entity_name, a.version_id, "
             "a.matched_name, a.score, a.explanation, a.run_id, a.created_at, a.previous, "
             "r.versions FROM alert a LEFT JOIN customer c ON c.id = a.customer_id "
             "LEFT JOIN screening_run r ON r.id = a.run_id %s ORDER BY a.id DESC",
             open_only ? "WHERE a.status = 'open'" : "");
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            db->sql,
            "SELECT decision, note, by, decided_at, versions FROM decision WHERE "
            "alert_id = ? ORDER BY id",
            -1, &ds, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return vigil__db_sqlfail(db, "reading alerts");
    }
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *decisions = json_array();
        sqlite3_bind_int64(ds, 1, sqlite3_column_int64(st, 0));
        while (sqlite3_step(ds) == SQLITE_ROW)
            json_array_append_new(
                decisions,
                json_pack("{s:o,s:o,s:o,s:o,s:o}", "decision", text_or_null(ds, 0), "note",
                          text_or_null(ds, 1), "by", text_or_null(ds, 2), "at",
                          text_or_null(ds, 3), "versions", json_or_null(ds, 4)));
        sqlite3_reset(ds);
        json_array_append_new(
            arr,
            json_pack("{s:I,s:o,s:{s:o,s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o,s:I},s:o,s:f,"
                      "s:o,s:{s:I,s:o},s:o,s:o,s:o}",
                      "id", (json_int_t)sqlite3_column_int64(st, 0), "status",
                      text_or_null(st, 1), "customer", "id", text_or_null(st, 2), "name",
                      text_or_null(st, 3), "schema", text_or_null(st, 4), "birth_date",
                      text_or_null(st, 5), "country", text_or_null(st, 6), "id_number",
                      text_or_null(st, 7), "entity", "source", text_or_null(st, 8), "source_id",
                      text_or_null(st, 9), "schema", text_or_null(st, 10), "name",
                      text_or_null(st, 11), "version", (json_int_t)sqlite3_column_int64(st, 12),
                      "matched_name", text_or_null(st, 13), "score",
                      sqlite3_column_double(st, 14), "explanation", json_or_null(st, 15), "run",
                      "id", (json_int_t)sqlite3_column_int64(st, 16), "versions",
                      json_or_null(st, 19), "created_at", text_or_null(st, 17), "previous",
                      sqlite3_column_type(st, 18) == SQLITE_NULL
                          ? json_null()
                          : json_integer(sqlite3_column_int64(st, 18)),
                      "decisions", decisions));
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ds);
    return dump_or_fail(db, arr, json) ? VIGIL_OK : VIGIL_ERR_NOMEM;
}

int vigil_decide(vigil_db *db, int64_t alert_id, const char *decision, const char *note,
                 const char *by)
{
    if (!db)
        return VIGIL_ERR_ARG;
    if (!decision ||
        (strcmp(decision, "true-match") != 0 && strcmp(decision, "false-positive")))
        return vigil__db_fail(db, VIGIL_ERR_ARG,
                              "a decision is true-match or false-positive, not \"%s\"",
                              decision ? decision : "");
    if (!note || !*note)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "a decision needs a note saying why");
    int rc = begin(db);
    if (rc != VIGIL_OK)
        return rc;
    if (count_of(db, "SELECT count(*) FROM alert WHERE id = ?1", alert_id, 0) != 1) {
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no alert %lld", (long long)alert_id);
    }
    char at[32];
    vigil__now_iso(at);
    char *versions = vigil__current_versions(db);
    sqlite3_stmt *st = NULL;
    if (!versions)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    else if (sqlite3_prepare_v2(
                 db->sql,
                 "INSERT INTO decision(alert_id, decision, note, by, decided_at, "
                 "versions) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                 -1, &st, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "recording the decision");
    else {
        sqlite3_bind_int64(st, 1, alert_id);
        sqlite3_bind_text(st, 2, decision, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
        if (by && *by)
            sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, versions, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "recording the decision");
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == VIGIL_OK) {
        if (sqlite3_prepare_v2(db->sql, "UPDATE alert SET status = ?2 WHERE id = ?1", -1, &st,
                               NULL) != SQLITE_OK)
            rc = vigil__db_sqlfail(db, "recording the decision");
        else {
            sqlite3_bind_int64(st, 1, alert_id);
            sqlite3_bind_text(st, 2, decision, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "recording the decision");
        }
        sqlite3_finalize(st);
    }
    free(versions);
    return finish(db, rc);
}

int vigil_runs_json(vigil_db *db, char **json)
{
    *json = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT id, started_at, finished_at, full, threshold, versions, "
            "customers, screened_in_full, screened_changed, entities_changed, "
            "entities_removed, alerts_new, alerts_known, alerts_delisted, seconds "
            "FROM screening_run ORDER BY id",
            -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading runs");
    static const char *const counts[] = {
        "customers",        "screened_in_full", "screened_changed", "entities_changed",
        "entities_removed", "alerts_new",       "alerts_known",     "alerts_delisted"};
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *run = json_pack("{s:I,s:o,s:o,s:b,s:f,s:o}", "id",
                                (json_int_t)sqlite3_column_int64(st, 0), "started_at",
                                text_or_null(st, 1), "finished_at", text_or_null(st, 2), "full",
                                sqlite3_column_int(st, 3), "threshold",
                                sqlite3_column_double(st, 4), "versions", json_or_null(st, 5));
        for (int i = 0; i < 8; i++)
            json_object_set_new(run, counts[i], json_integer(sqlite3_column_int64(st, 6 + i)));
        json_object_set_new(run, "seconds", json_real(sqlite3_column_double(st, 14)));
        json_array_append_new(arr, run);
    }
    sqlite3_finalize(st);
    return dump_or_fail(db, arr, json) ? VIGIL_OK : VIGIL_ERR_NOMEM;
}
