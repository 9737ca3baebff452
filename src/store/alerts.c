/*
 * alerts.c - alerts and decisions in the store: what a re-screening run
 * records for a hit (vigil__alert_rule: a new alert, the open one refreshed,
 * or none when a decision still holds), the alerts and runs as JSON, and an
 * analyst's decision. Design: docs/rescreening.md.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

vigil__alert_action vigil__alert_rule(const char *status, int same_entity, int same_customer)
{
    if (!status || !*status)
        return VIGIL__ALERT_NEW;
    if (strcmp(status, "open") == 0 || strcmp(status, "pending") == 0)
        return VIGIL__ALERT_REFRESH; /* still to be decided (or reviewed): it shows what was
                                        seen last */
    if (strcmp(status, "true-match") == 0)
        return VIGIL__ALERT_KEEP;
    if (strcmp(status, "false-positive") == 0 && same_entity && same_customer)
        return VIGIL__ALERT_KEEP;
    /* reopened: a false positive whose customer or entity changed, an entity
     * listed again, a status this build does not know */
    return VIGIL__ALERT_NEW;
}

struct vigil__alert_writer {
    sqlite3_stmt *last_alert, *entity_now, *insert_alert, *refresh_alert, *audit;
};

/* The trail's line for an alert a run opened. */
static int vigil__audit_opened(vigil_db *db, vigil__alert_writer *w, int64_t alert, int64_t run,
                               const char *at, const char *customer_id, const char *detail)
{
    sqlite3_stmt *s = w->audit;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, alert);
    sqlite3_bind_text(s, 3, customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, run);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    return ok ? VIGIL_OK : vigil__db_sqlfail(db, "writing the audit trail");
}

int vigil__alerts_open(vigil_db *db, vigil__alert_writer **out)
{
    vigil__alert_writer *w = calloc(1, sizeof(*w));
    *out = w;
    if (!w)
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    const char *sql[] = {
        "SELECT id, status, customer_sha256, doc_id FROM alert WHERE customer_id=?1 AND "
        "source=?2 AND source_id=?3 ORDER BY id DESC LIMIT 1",
        "SELECT ve.version_id, ve.doc_id FROM run_version rv JOIN version_entity ve ON "
        "ve.version_id = rv.version_id AND ve.source_id = ?3 WHERE rv.run_id = ?1 AND "
        "rv.source = ?2",
        "INSERT INTO alert(customer_id, customer_sha256, source, source_id, version_id, "
        "doc_id, schema, entity_name, matched_name, score, explanation, status, run_id, "
        "created_at, previous) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,'open',?12,?13,?14)",
        "UPDATE alert SET customer_sha256=?2, version_id=?3, doc_id=?4, matched_name=?5, "
        "score=?6, explanation=?7 WHERE id=?1",
        "INSERT INTO audit(at, user, action, alert_id, customer_id, detail, versions) "
        "VALUES(?1, 'vigil', 'opened', ?2, ?3, ?4, (SELECT versions FROM screening_run WHERE "
        "id = ?5))",
    };
    sqlite3_stmt **st[] = {&w->last_alert, &w->entity_now, &w->insert_alert, &w->refresh_alert,
                           &w->audit};
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        if (sqlite3_prepare_v2(db->sql, sql[i], -1, st[i], NULL) != SQLITE_OK)
            return vigil__db_sqlfail(db, "preparing the alerts");
    return VIGIL_OK;
}

void vigil__alerts_close(vigil__alert_writer *w)
{
    if (!w)
        return;
    sqlite3_finalize(w->last_alert);
    sqlite3_finalize(w->entity_now);
    sqlite3_finalize(w->insert_alert);
    sqlite3_finalize(w->refresh_alert);
    sqlite3_finalize(w->audit);
    free(w);
}

int vigil__alerts_record(vigil_db *db, vigil__alert_writer *w, int64_t run, const char *at,
                         const char *customer_id, const char *customer_sha, const vigil_hit *h,
                         int *is_new)
{
    *is_new = 0;
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
    sqlite3_bind_text(s, 1, customer_id, -1, SQLITE_STATIC);
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
    vigil__alert_action act = vigil__alert_rule(prev ? status : NULL, prev_doc == doc,
                                                strcmp(prev_sha, customer_sha) == 0);
    if (act == VIGIL__ALERT_KEEP)
        return VIGIL_OK;
    if (act == VIGIL__ALERT_REFRESH) {
        s = w->refresh_alert;
        sqlite3_bind_int64(s, 1, prev);
        sqlite3_bind_text(s, 2, customer_sha, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, version);
        sqlite3_bind_int64(s, 4, doc);
        sqlite3_bind_text(s, 5, h->matched_name, -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 6, h->score);
        sqlite3_bind_text(s, 7, h->explanation, -1, SQLITE_STATIC);
        int ok = sqlite3_step(s) == SQLITE_DONE;
        sqlite3_reset(s);
        return ok ? VIGIL_OK : vigil__db_sqlfail(db, "updating an alert");
    }
    s = w->insert_alert;
    sqlite3_bind_text(s, 1, customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, customer_sha, -1, SQLITE_STATIC);
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
    *is_new = 1;
    if (!ok)
        return vigil__db_sqlfail(db, "writing an alert");
    char detail[160];
    snprintf(detail, sizeof(detail), "%s %s %.4f%s", h->source, h->source_id, h->score,
             prev ? " (reopened)" : "");
    return vigil__audit_opened(db, w, sqlite3_last_insert_rowid(db->sql), run, at, customer_id,
                               detail);
}

int vigil__alerts_delist(vigil_db *db, int64_t run, const char *at, const char *versions,
                         int64_t *n)
{
    /* the open alerts whose entity is in none of the run's versions */
    static const char *const gone =
        " FROM alert a WHERE a.status IN ('open','pending') AND NOT EXISTS (SELECT 1 FROM "
        "run_version rv "
        "JOIN version_entity ve ON ve.version_id = rv.version_id AND ve.source_id = "
        "a.source_id WHERE rv.run_id = ?1 AND rv.source = a.source)";
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO decision(alert_id, decision, note, by, decided_at, versions) "
             "SELECT a.id, 'delisted', 'the entity is no longer on its list', 'vigil', ?2, "
             "?3%s",
             gone);
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = VIGIL_OK;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "closing delisted alerts");
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, versions, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = vigil__db_sqlfail(db, "closing delisted alerts");
    *n = sqlite3_changes(db->sql);
    sqlite3_finalize(st);
    /* the trail says so, for each */
    snprintf(sql, sizeof(sql),
             "INSERT INTO audit(at, user, action, alert_id, customer_id, note, versions) "
             "SELECT ?2, 'vigil', 'delisted', a.id, a.customer_id, 'the entity is no longer "
             "on its list', ?3%s",
             gone);
    st = NULL;
    if (rc == VIGIL_OK && sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, versions, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "closing delisted alerts");
    } else if (rc == VIGIL_OK)
        rc = vigil__db_sqlfail(db, "closing delisted alerts");
    sqlite3_finalize(st);
    snprintf(sql, sizeof(sql),
             "UPDATE alert SET status = 'delisted' WHERE id IN (SELECT a.id%s)", gone);
    st = NULL;
    if (rc == VIGIL_OK && sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "closing delisted alerts");
    } else if (rc == VIGIL_OK)
        rc = vigil__db_sqlfail(db, "closing delisted alerts");
    sqlite3_finalize(st);
    return rc;
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
                json_pack("{s:o,s:o,s:o,s:o,s:o}", "decision", vigil__col_text(ds, 0), "note",
                          vigil__col_text(ds, 1), "by", vigil__col_text(ds, 2), "at",
                          vigil__col_text(ds, 3), "versions", vigil__col_json(ds, 4)));
        sqlite3_reset(ds);
        json_array_append_new(
            arr,
            json_pack(
                "{s:I,s:o,s:{s:o,s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o,s:I},s:o,s:f,"
                "s:o,s:{s:I,s:o},s:o,s:o,s:o}",
                "id", (json_int_t)sqlite3_column_int64(st, 0), "status", vigil__col_text(st, 1),
                "customer", "id", vigil__col_text(st, 2), "name", vigil__col_text(st, 3),
                "schema", vigil__col_text(st, 4), "birth_date", vigil__col_text(st, 5),
                "country", vigil__col_text(st, 6), "id_number", vigil__col_text(st, 7),
                "entity", "source", vigil__col_text(st, 8), "source_id", vigil__col_text(st, 9),
                "schema", vigil__col_text(st, 10), "name", vigil__col_text(st, 11), "version",
                (json_int_t)sqlite3_column_int64(st, 12), "matched_name",
                vigil__col_text(st, 13), "score", sqlite3_column_double(st, 14), "explanation",
                vigil__col_json(st, 15), "run", "id", (json_int_t)sqlite3_column_int64(st, 16),
                "versions", vigil__col_json(st, 19), "created_at", vigil__col_text(st, 17),
                "previous", vigil__col_int(st, 18), "decisions", decisions));
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ds);
    return vigil__dump_json(db, arr, json);
}

int vigil_decide(vigil_db *db, int64_t alert_id, const char *decision, const char *note,
                 const char *by)
{
    if (!db)
        return VIGIL_ERR_ARG;
    int rc = vigil__decision_args(db, decision, note);
    if (rc != VIGIL_OK)
        return rc;
    rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    if (vigil__db_count(db, "SELECT count(*) FROM alert WHERE id = ?1", alert_id, 0) != 1) {
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
    if (rc == VIGIL_OK)
        rc = vigil__audit(db, by, "decided", alert_id, NULL, note, decision);
    return vigil__db_finish(db, rc);
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
        json_t *run = json_pack(
            "{s:I,s:o,s:o,s:b,s:f,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
            "started_at", vigil__col_text(st, 1), "finished_at", vigil__col_text(st, 2), "full",
            sqlite3_column_int(st, 3), "threshold", sqlite3_column_double(st, 4), "versions",
            vigil__col_json(st, 5));
        for (int i = 0; i < 8; i++)
            json_object_set_new(run, counts[i], json_integer(sqlite3_column_int64(st, 6 + i)));
        json_object_set_new(run, "seconds", json_real(sqlite3_column_double(st, 14)));
        json_array_append_new(arr, run);
    }
    sqlite3_finalize(st);
    return vigil__dump_json(db, arr, json);
}
