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

/* Reads, screens and records the customers, a page at a time. */
static int screen_customers(vigil_db *db, vigil_engine **full, const vigil_engine *changed,
                            int everyone, int64_t run, double threshold, int nt, const char *at,
                            vigil_rescreen_result *res)
{
    sqlite3_stmt *rd = NULL;
    vigil__alert_writer *w = NULL;
    sqlite3_stmt *mark = NULL;
    job *jobs = calloc(PAGE, sizeof(job));
    int rc = jobs ? vigil__alerts_open(db, &w)
                  : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    if (rc == VIGIL_OK &&
        sqlite3_prepare_v2(db->sql, "UPDATE customer SET screened_run=?2 WHERE rowid=?1", -1,
                           &mark, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "preparing the customer store");
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
            j->c.id = vigil__dup_text(sqlite3_column_text(rd, 1));
            j->c.name = vigil__dup_text(sqlite3_column_text(rd, 2));
            j->c.schema = vigil__dup_text(sqlite3_column_text(rd, 3));
            j->c.birth_date = vigil__dup_text(sqlite3_column_text(rd, 4));
            j->c.country = vigil__dup_text(sqlite3_column_text(rd, 5));
            j->c.gender = vigil__dup_text(sqlite3_column_text(rd, 6));
            j->c.id_number = vigil__dup_text(sqlite3_column_text(rd, 7));
            snprintf(j->sha, sizeof(j->sha), "%s", (const char *)sqlite3_column_text(rd, 8));
            if (!j->c.id || !j->c.name)
                rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
        }
        sqlite3_reset(rd);
        if (rc == VIGIL_OK)
            vigil__par_for(n, nt, screen_job, &(screen_ctx){jobs, threshold});
        for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
            job *j = &jobs[i];
            if (j->rc != VIGIL_OK) {
                rc = vigil__db_fail(db, j->rc, "screening customer %s: %s", j->c.id,
                                    vigil_strerror(j->rc));
                break;
            }
            if (j->in_full) {
                res->screened_in_full++;
                sqlite3_bind_int64(mark, 1, j->rowid);
                sqlite3_bind_int64(mark, 2, run);
                if (sqlite3_step(mark) != SQLITE_DONE)
                    rc = vigil__db_sqlfail(db, "marking a customer screened");
                sqlite3_reset(mark);
            } else {
                res->screened_changed++;
            }
            for (size_t k = 0; rc == VIGIL_OK && k < j->hits.n; k++) {
                int is_new = 0;
                if (!j->hits.hits[k].match)
                    continue;
                rc = vigil__alerts_record(db, w, run, at, j->c.id, j->sha, &j->hits.hits[k],
                                          &is_new);
                if (is_new)
                    res->alerts_new++;
                else
                    res->alerts_known++;
            }
        }
        for (size_t i = 0; i < n; i++)
            job_clear(&jobs[i]);
        if (rows < PAGE)
            break;
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(mark);
    vigil__alerts_close(w);
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
    int nt = vigil__threads(o.threads);
    char started[32], fp[40];
    vigil__now_iso(started);
    vigil__customer_keys_fp(fp);
    int rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    if (vigil__db_count(db, "SELECT count(*) FROM list_version", 0, 0) <= 0) {
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no lists loaded: run vigil load first");
    }
    int refreshed = 0;
    rc = vigil__customer_keys_current(db, &refreshed);
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
        rc = vigil__db_exec(db, sql, "recording the run's versions");
    }
    /* what changed since the last run */
    if (rc == VIGIL_OK) {
        out->entities_changed =
            last ? vigil__db_count(db, "SELECT count(*)" CHANGED_FROM, last, 0)
                 : vigil__db_count(db,
                                   "SELECT count(*) FROM version_entity WHERE "
                                   "version_id IN (SELECT version_id FROM "
                                   "run_version WHERE run_id = ?1)",
                                   out->run_id, 0);
        out->entities_removed =
            last ? vigil__db_count(
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
    rc = vigil__db_finish(db, rc);
    if (rc != VIGIL_OK)
        memset(out, 0, sizeof(*out)); /* nothing was recorded */
    return rc;
}
