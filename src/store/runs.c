/*
 * runs.c - the store's side of a re-screening run: the last run, the run
 * recorded with its list versions, what changed since the last one (counted,
 * and the changed entities' documents for the engine to build from), the
 * run's figures at its end; and every current entity document, the engine's
 * input. The run itself: screen/rescreen.c. Design: docs/rescreening.md.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* The entities of the current versions that the run ?1 did not see as they
 * are now: added since, or with another document. */
#define CHANGED_FROM                                                                           \
    " FROM version_entity ve JOIN list_version lv ON lv.id = ve.version_id"                    \
    " JOIN entity_doc d ON d.id = ve.doc_id"                                                   \
    " WHERE ve.version_id IN (SELECT max(id) FROM list_version GROUP BY source)"               \
    " AND NOT EXISTS (SELECT 1 FROM run_version rv JOIN version_entity o"                      \
    " ON o.version_id = rv.version_id AND o.source_id = ve.source_id"                          \
    " WHERE rv.run_id = ?1 AND rv.source = lv.source AND o.doc_id = ve.doc_id)"

int vigil__store_each_doc(vigil_db *db, int64_t since_run, vigil__doc_fn fn, void *ctx)
{
    const char *sql =
        since_run ? "SELECT d.doc" CHANGED_FROM " ORDER BY ve.version_id, ve.source_id"
                  : "SELECT d.doc FROM version_entity ve JOIN entity_doc d ON d.id = "
                    "ve.doc_id WHERE ve.version_id IN (SELECT max(id) FROM "
                    "list_version GROUP BY source) ORDER BY ve.version_id, ve.source_id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the lists");
    if (since_run)
        sqlite3_bind_int64(st, 1, since_run);
    int rc = VIGIL_OK, step;
    while (rc == VIGIL_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        rc =
            doc ? fn(doc, ctx) : vigil__db_fail(db, VIGIL_ERR_DB, "a stored entity is corrupt");
        json_decref(doc);
    }
    if (rc == VIGIL_OK && step != SQLITE_DONE)
        rc = vigil__db_sqlfail(db, "reading the lists");
    sqlite3_finalize(st);
    return rc;
}

int vigil__run_last(vigil_db *db, int64_t *id, double *threshold, char fp[64])
{
    *id = 0;
    *threshold = 0;
    fp[0] = '\0';
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT id, threshold, keys_fp FROM screening_run ORDER BY id DESC "
                           "LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the last run");
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *threshold = sqlite3_column_double(st, 1);
        snprintf(fp, 64, "%s", (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    return VIGIL_OK;
}

int vigil__run_start(vigil_db *db, const char *started, int full, double threshold,
                     const char *fp, const char *versions, int64_t *run)
{
    sqlite3_stmt *st = NULL;
    int rc = VIGIL_OK;
    if (sqlite3_prepare_v2(db->sql,
                           "INSERT INTO screening_run(started_at, finished_at, full, "
                           "threshold, keys_fp, versions) VALUES(?1, ?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "recording the run");
    sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, full);
    sqlite3_bind_double(st, 3, threshold);
    sqlite3_bind_text(st, 4, fp, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, versions, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = vigil__db_sqlfail(db, "recording the run");
    *run = sqlite3_last_insert_rowid(db->sql);
    sqlite3_finalize(st);
    if (rc == VIGIL_OK) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO run_version(run_id, source, version_id) SELECT %lld, source, "
                 "max(id) FROM list_version GROUP BY source",
                 (long long)*run);
        rc = vigil__db_exec(db, sql, "recording the run's versions");
    }
    return rc;
}

int vigil__run_changes(vigil_db *db, int64_t last, int64_t run, int64_t *changed,
                       int64_t *removed)
{
    *changed = last ? vigil__db_count(db, "SELECT count(*)" CHANGED_FROM, last, 0)
                    : vigil__db_count(db,
                                      "SELECT count(*) FROM version_entity WHERE "
                                      "version_id IN (SELECT version_id FROM "
                                      "run_version WHERE run_id = ?1)",
                                      run, 0);
    *removed = last ? vigil__db_count(
                          db,
                          "SELECT count(*) FROM run_version rv JOIN version_entity o ON "
                          "o.version_id = rv.version_id WHERE rv.run_id = ?1 AND NOT EXISTS "
                          "(SELECT 1 FROM run_version nv JOIN version_entity n ON n.version_id "
                          "= nv.version_id AND n.source_id = o.source_id WHERE nv.run_id = ?2 "
                          "AND nv.source = rv.source)",
                          last, run)
                    : 0;
    if (*changed < 0 || *removed < 0)
        return vigil__db_sqlfail(db, "comparing the versions");
    return VIGIL_OK;
}

int vigil__run_finish(vigil_db *db, const vigil_rescreen_result *out)
{
    char finished[32];
    vigil__now_iso(finished);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "UPDATE screening_run SET finished_at=?2, customers=?3, "
                           "screened_in_full=?4, screened_changed=?5, entities_changed=?6, "
                           "entities_removed=?7, alerts_new=?8, alerts_known=?9, "
                           "alerts_delisted=?10, seconds=?11 WHERE id=?1",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "recording the run");
    sqlite3_bind_int64(st, 1, out->run_id);
    sqlite3_bind_text(st, 2, finished, -1, SQLITE_STATIC);
    int64_t v[] = {out->customers,        out->screened_in_full, out->screened_changed,
                   out->entities_changed, out->entities_removed, out->alerts_new,
                   out->alerts_known,     out->alerts_delisted};
    for (int i = 0; i < 8; i++)
        sqlite3_bind_int64(st, 3 + i, v[i]);
    sqlite3_bind_double(st, 11, out->seconds);
    int rc =
        sqlite3_step(st) == SQLITE_DONE ? VIGIL_OK : vigil__db_sqlfail(db, "recording the run");
    sqlite3_finalize(st);
    return rc;
}
