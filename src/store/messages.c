/*
 * messages.c - screened payment messages in the store (docs/payments.md):
 * each kept with its decision and the screening's answer; the hits of a
 * held one become alerts in the queue, with the customer "msg:ID", so that
 * analysts release it (every alert a false positive) or reject it (any a
 * true match) with the decisions, four eyes and audit trail of customer
 * alerts.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* The current version and document of a listed entry, or zeros. */
static void entry_now(vigil_db *db, sqlite3_stmt *st, const char *source, const char *sid,
                      int64_t *version, int64_t *doc)
{
    *version = *doc = 0;
    (void)db;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, sid, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 0);
        *doc = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
}

static const char *str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The alerts of a held message's hits, inside the caller's transaction. */
static int store_hits(vigil_db *db, int64_t msg, json_t *hits, const char *at)
{
    char customer[32], versions_sql[] =
                           "SELECT coalesce(json_group_array(json_object('source', "
                           "source, 'version', id)), '[]') FROM list_version "
                           "WHERE id IN (SELECT max(id) FROM list_version GROUP "
                           "BY source)";
    snprintf(customer, sizeof(customer), "msg:%lld", (long long)msg);
    sqlite3_stmt *run = NULL, *now = NULL, *ins = NULL;
    int rc = VIGIL_OK;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO screening_run(started_at, finished_at, full, threshold, keys_fp, "
             "versions, customers) VALUES(?1, ?1, 0, ?2, 'payments', (%s), 0)",
             versions_sql);
    if (sqlite3_prepare_v2(db->sql, sql, -1, &run, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->sql,
                           "SELECT ve.version_id, ve.doc_id FROM version_entity ve WHERE "
                           "ve.version_id = (SELECT max(id) FROM list_version WHERE source = "
                           "?1) AND ve.source_id = ?2",
                           -1, &now, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->sql,
                           "INSERT INTO alert(customer_id, customer_sha256, source, source_id, "
                           "version_id, doc_id, schema, entity_name, matched_name, score, "
                           "explanation, status, run_id, created_at) VALUES(?1, ?2, ?3, ?4, "
                           "?5, ?6, ?7, ?8, ?9, ?10, ?11, 'open', ?12, ?13)",
                           -1, &ins, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "storing a message's alerts");
    double threshold = 0;
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h)
    {
        double s = json_number_value(json_object_get(h, "score"));
        if (threshold == 0.0 || s < threshold)
            threshold = s;
    }
    int64_t run_id = 0;
    if (rc == VIGIL_OK) {
        sqlite3_bind_text(run, 1, at, -1, SQLITE_STATIC);
        sqlite3_bind_double(run, 2, threshold);
        if (sqlite3_step(run) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "storing a message's run");
        run_id = sqlite3_last_insert_rowid(db->sql);
    }
    json_array_foreach(hits, i, h)
    {
        if (rc != VIGIL_OK)
            break;
        /* a hit on a listed entry names it; a jurisdiction its code or place */
        const char *kind = str_of(h, "kind"), *source = str_of(h, "source");
        const char *sid = source ? str_of(h, "source_id") : str_of(h, "value");
        if (!source)
            source = kind;
        int64_t version, doc;
        entry_now(db, now, source, sid ? sid : "", &version, &doc);
        char *why = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
        const char *path = str_of(h, "path");
        sqlite3_bind_text(ins, 1, customer, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, path ? path : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, source, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, sid ? sid : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 5, version);
        sqlite3_bind_int64(ins, 6, doc);
        sqlite3_bind_text(ins, 7, str_of(h, "schema"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 8, str_of(h, "entity_name"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(
            ins, 9, str_of(h, "matched_name") ? str_of(h, "matched_name") : str_of(h, "value"),
            -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 10, json_number_value(json_object_get(h, "score")));
        sqlite3_bind_text(ins, 11, why ? why : "{}", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 12, run_id);
        sqlite3_bind_text(ins, 13, at, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "storing a message's alert");
        sqlite3_reset(ins);
        if (rc == VIGIL_OK) {
            char detail[300];
            snprintf(detail, sizeof(detail), "%s hit at %s", kind ? kind : "a",
                     path ? path : "the message");
            rc = vigil__audit(db, NULL, "opened", sqlite3_last_insert_rowid(db->sql), customer,
                              NULL, detail);
        }
        free(why);
    }
    sqlite3_finalize(run);
    sqlite3_finalize(now);
    sqlite3_finalize(ins);
    return rc;
}

int vigil_message_store(vigil_db *db, const char *result, int64_t *id)
{
    if (id)
        *id = 0;
    if (!db || !result)
        return VIGIL_ERR_ARG;
    json_t *r = json_loads(result, 0, NULL);
    json_t *m = json_object_get(r, "message");
    const char *decision = str_of(r, "decision");
    if (!r || !json_is_object(m) || !decision ||
        (strcmp(decision, "hold") != 0 && strcmp(decision, "pass") != 0)) {
        json_decref(r);
        return vigil__db_fail(db, VIGIL_ERR_ARG, "not a screened message");
    }
    char at[32];
    vigil__now_iso(at);
    int rc = vigil__db_begin(db);
    sqlite3_stmt *st = NULL;
    int64_t msg = 0;
    if (rc == VIGIL_OK &&
        sqlite3_prepare_v2(
            db->sql,
            "INSERT INTO message(received_at, type, msg_id, end_to_end_id, uetr, "
            "decision, result) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            -1, &st, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "storing a message");
    if (rc == VIGIL_OK) {
        sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, str_of(m, "type") ? str_of(m, "type") : "?", -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 3, str_of(m, "msg_id"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, str_of(m, "end_to_end_id"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, str_of(m, "uetr"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, decision, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, result, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "storing a message");
        msg = sqlite3_last_insert_rowid(db->sql);
    }
    sqlite3_finalize(st);
    if (rc == VIGIL_OK && strcmp(decision, "hold") == 0)
        rc = store_hits(db, msg, json_object_get(r, "hits"), at);
    json_decref(r);
    rc = vigil__db_finish(db, rc);
    if (rc == VIGIL_OK && id)
        *id = msg;
    return rc;
}

int vigil_message_get(vigil_db *db, int64_t id, char **json)
{
    *json = NULL;
    if (!db || id <= 0)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL, *al = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT received_at, type, msg_id, end_to_end_id, uetr, decision, "
                           "result FROM message WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->sql,
                           "SELECT id, status, source, source_id, score, customer_sha256 FROM "
                           "alert WHERE customer_id = ?1 ORDER BY id",
                           -1, &al, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return vigil__db_sqlfail(db, "reading a message");
    }
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        sqlite3_finalize(al);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no message %lld", (long long)id);
    }
    const char *decision = (const char *)sqlite3_column_text(st, 5);
    json_t *out =
        json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?,s:s,s:o}", "id", (json_int_t)id, "received_at",
                  (const char *)sqlite3_column_text(st, 0), "type",
                  (const char *)sqlite3_column_text(st, 1), "msg_id",
                  (const char *)sqlite3_column_text(st, 2), "end_to_end_id",
                  (const char *)sqlite3_column_text(st, 3), "uetr",
                  (const char *)sqlite3_column_text(st, 4), "decision", decision, "result",
                  json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL));
    char customer[32];
    snprintf(customer, sizeof(customer), "msg:%lld", (long long)id);
    sqlite3_bind_text(al, 1, customer, -1, SQLITE_STATIC);
    json_t *alerts = json_array();
    int open = 0, rejected = 0;
    while (sqlite3_step(al) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(al, 1);
        open += !strcmp(status, "open") || !strcmp(status, "pending");
        rejected += !strcmp(status, "true-match");
        json_array_append_new(
            alerts, json_pack("{s:I,s:s,s:s,s:s,s:f,s:s}", "id",
                              (json_int_t)sqlite3_column_int64(al, 0), "status", status,
                              "source", (const char *)sqlite3_column_text(al, 2), "source_id",
                              (const char *)sqlite3_column_text(al, 3), "score",
                              sqlite3_column_double(al, 4), "path",
                              (const char *)sqlite3_column_text(al, 5)));
    }
    /* rejected as soon as one alert is a true match (the payment must not
     * go); else held while any is undecided; released when every one is a
     * false positive */
    const char *status = strcmp(decision, "pass") == 0 ? "passed"
                         : rejected                    ? "rejected"
                         : open                        ? "held"
                                                       : "released";
    json_object_set_new(out, "status", json_string(status));
    json_object_set_new(out, "alerts", alerts);
    sqlite3_finalize(st);
    sqlite3_finalize(al);
    return vigil__dump_json(db, out, json);
}
