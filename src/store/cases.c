/*
 * cases.c - case work on the alerts a re-screen raises (docs/rescreening.md):
 * the queue with its filters, one alert whole (customer, entity, reasons,
 * list versions, decisions, its trail), assignment, decisions under four
 * eyes (an analyst proposes, another user reviews), the customers, and the
 * audit trail: every step appended to a table that no statement may update
 * or delete (two triggers refuse it), exported as JSON or CSV.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

int vigil__audit(vigil_db *db, const char *user, const char *action, int64_t alert_id,
                 const char *customer_id, const char *note, const char *detail)
{
    char at[32];
    vigil__now_iso(at);
    char *versions = vigil__current_versions(db);
    sqlite3_stmt *st = NULL;
    int rc = VIGIL_OK;
    if (sqlite3_prepare_v2(db->sql,
                           "INSERT INTO audit(at, user, action, alert_id, customer_id, note, "
                           "detail, versions) VALUES(?1, ?2, ?3, ?4, coalesce(?5, (SELECT "
                           "customer_id FROM alert WHERE id = ?4)), ?6, ?7, ?8)",
                           -1, &st, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "writing the audit trail");
    else {
        sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, user && *user ? user : "vigil", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
        if (alert_id)
            sqlite3_bind_int64(st, 4, alert_id);
        if (customer_id)
            sqlite3_bind_text(st, 5, customer_id, -1, SQLITE_STATIC);
        if (note)
            sqlite3_bind_text(st, 6, note, -1, SQLITE_STATIC);
        if (detail)
            sqlite3_bind_text(st, 7, detail, -1, SQLITE_STATIC);
        if (versions)
            sqlite3_bind_text(st, 8, versions, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "writing the audit trail");
    }
    sqlite3_finalize(st);
    free(versions);
    return rc;
}

int vigil_audit_add(vigil_db *db, const char *user, const char *action, const char *customer_id,
                    const char *note, const char *detail)
{
    if (!db || !action || !*action)
        return VIGIL_ERR_ARG;
    static const char *const own[] = {"opened",   "assigned", "unassigned", "proposed",
                                      "approved", "returned", "decided",    "delisted"};
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        if (strcmp(action, own[i]) == 0)
            return vigil__db_fail(db, VIGIL_ERR_ARG,
                                  "\"%s\" is written by the alert's own calls, not by hand",
                                  action);
    int rc = vigil__db_begin(db);
    if (rc == VIGIL_OK)
        rc = vigil__audit(db, user, action, 0, customer_id, note, detail);
    return vigil__db_finish(db, rc);
}

/* ------------------------------------------------------------ the queue */

/* The WHERE clause of a filter, its arguments bound by bind_filter in the
 * same order. */
static void filter_sql(const vigil_alert_filter *f, char *out, size_t cap)
{
    const char *status = f->status && *f->status ? f->status : "open";
    snprintf(out, cap, "WHERE 1%s%s%s%s%s%s%s",
             strcmp(status, "any") == 0      ? ""
             : strcmp(status, "closed") == 0 ? " AND a.status NOT IN ('open','pending')"
                                             : " AND a.status = ?1",
             f->source ? " AND a.source = ?2" : "",
             /* the documents of the programme, found once (there are far fewer
                documents than alerts), not a look into each alert's document */
             f->programme ? " AND a.doc_id IN (SELECT d.id FROM entity_doc d, json_each(d.doc, "
                            "'$.programmes') p WHERE p.value = ?3)"
                          : "",
             f->min_score > 0 ? " AND a.score >= ?4" : "",
             f->max_age_days > 0 ? " AND a.created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', "
                                   "'now', '-' || ?5 || ' days')"
                                 : "",
             f->assignee ? (*f->assignee ? " AND a.assignee = ?6" : " AND a.assignee IS NULL")
                         : "",
             f->customer ? " AND a.customer_id = ?7" : "");
}

static void bind_filter(sqlite3_stmt *st, const vigil_alert_filter *f)
{
    const char *status = f->status && *f->status ? f->status : "open";
    if (strcmp(status, "any") != 0 && strcmp(status, "closed") != 0)
        sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
    if (f->source)
        sqlite3_bind_text(st, 2, f->source, -1, SQLITE_TRANSIENT);
    if (f->programme)
        sqlite3_bind_text(st, 3, f->programme, -1, SQLITE_TRANSIENT);
    if (f->min_score > 0)
        sqlite3_bind_double(st, 4, f->min_score);
    if (f->max_age_days > 0)
        sqlite3_bind_int(st, 5, f->max_age_days);
    if (f->assignee && *f->assignee)
        sqlite3_bind_text(st, 6, f->assignee, -1, SQLITE_TRANSIENT);
    if (f->customer)
        sqlite3_bind_text(st, 7, f->customer, -1, SQLITE_TRANSIENT);
}

/* The customer's name of alert a (customer c): a payment message's alert
 * ("msg:ID") has no customer, and takes the name of the message's party its
 * hit is on (the party whose path starts the hit's; none for a hit in the
 * message's free text) */
#define CUSTOMER_NAME                                                                          \
    "coalesce(c.name, (SELECT json_extract(p.value, '$.name') FROM message m, "                \
    "json_each(m.result, '$.message.parties') p WHERE substr(a.customer_id, 1, 4) = 'msg:' "   \
    "AND m.id = CAST(substr(a.customer_id, 5) AS INTEGER) AND json_valid(a.explanation) AND "  \
    "instr(json_extract(a.explanation, '$.path') || '/', json_extract(p.value, '$.path') || "  \
    "'/') = 1 LIMIT 1))"
int vigil_alert_queue(vigil_db *db, const vigil_alert_filter *f, char **json)
{
    *json = NULL;
    if (!db || !f)
        return VIGIL_ERR_ARG;
    static const char *const statuses[] = {
        "open", "pending", "true-match", "false-positive", "delisted", "any", "closed", NULL};
    int known = !f->status || !*f->status;
    for (int i = 0; statuses[i] && !known; i++)
        known = strcmp(f->status, statuses[i]) == 0;
    if (!known)
        return vigil__db_fail(db, VIGIL_ERR_ARG,
                              "status is open, pending, true-match, false-positive, delisted, "
                              "closed or any, not \"%s\"",
                              f->status);
    int limit = f->limit > 0 ? (f->limit < 1000 ? f->limit : 1000) : 50;
    int offset = f->offset > 0 ? f->offset : 0;
    char where[1024], sql[4096];
    filter_sql(f, where, sizeof(where));
    sqlite3_stmt *cnt = NULL, *st = NULL;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM alert a %s", where);
    if (sqlite3_prepare_v2(db->sql, sql, -1, &cnt, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the queue");
    bind_filter(cnt, f);
    json_int_t total = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
    sqlite3_finalize(cnt);
    /* the queue's order: the strongest hits first, the oldest of equal ones */
    snprintf(sql, sizeof(sql),
             "SELECT a.id, a.status, a.score, a.customer_id, " CUSTOMER_NAME
             ", c.birth_date, a.source, "
             "a.source_id, a.schema, a.entity_name, a.matched_name, a.created_at, a.assignee, "
             "CAST(julianday('now') - julianday(a.created_at) AS INTEGER) FROM alert a "
             "LEFT JOIN customer c ON c.id = a.customer_id %s ORDER BY a.score DESC, a.id "
             "LIMIT %d OFFSET %d",
             where, limit, offset);
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the queue");
    bind_filter(st, f);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            arr,
            json_pack(
                "{s:I,s:o,s:f,s:{s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o},s:o,s:o,s:o,s:I}", "id",
                (json_int_t)sqlite3_column_int64(st, 0), "status", vigil__col_text(st, 1),
                "score", sqlite3_column_double(st, 2), "customer", "id", vigil__col_text(st, 3),
                "name", vigil__col_text(st, 4), "birth_date", vigil__col_text(st, 5), "entity",
                "source", vigil__col_text(st, 6), "source_id", vigil__col_text(st, 7), "schema",
                vigil__col_text(st, 8), "name", vigil__col_text(st, 9), "matched_name",
                vigil__col_text(st, 10), "created_at", vigil__col_text(st, 11), "assignee",
                vigil__col_text(st, 12), "age_days", (json_int_t)sqlite3_column_int64(st, 13)));
    sqlite3_finalize(st);
    return vigil__dump_json(db,
                            json_pack("{s:I,s:i,s:i,s:o}", "total", total, "limit", limit,
                                      "offset", offset, "alerts", arr),
                            json);
}

/* The trail of one alert (alert_id) or of one customer's (customer), or all. */
static json_t *trail(vigil_db *db, int64_t alert_id, const char *customer, int limit,
                     int offset)
{
    sqlite3_stmt *st = NULL;
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT id, at, user, action, alert_id, customer_id, note, detail, versions FROM "
             "audit WHERE (?1 = 0 OR alert_id = ?1) AND (?2 IS NULL OR customer_id = ?2) "
             "ORDER BY id LIMIT %d OFFSET %d",
             limit, offset);
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, alert_id);
    if (customer)
        sqlite3_bind_text(st, 2, customer, -1, SQLITE_STATIC);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            arr,
            json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                      (json_int_t)sqlite3_column_int64(st, 0), "at", vigil__col_text(st, 1),
                      "user", vigil__col_text(st, 2), "action", vigil__col_text(st, 3),
                      "alert_id", vigil__col_int(st, 4), "customer_id", vigil__col_text(st, 5),
                      "note", vigil__col_text(st, 6), "detail", vigil__col_text(st, 7),
                      "versions", vigil__col_json(st, 8)));
    sqlite3_finalize(st);
    return arr;
}

int vigil_alert_get(vigil_db *db, int64_t id, char **json)
{
    *json = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL, *ds = NULL;
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT a.id, a.status, a.score, a.customer_id, " CUSTOMER_NAME
            ", c.schema, c.birth_date, "
            "c.country, c.gender, c.id_number, a.source, a.source_id, a.schema, a.entity_name, "
            "a.matched_name, a.explanation, a.version_id, d.doc, r.versions, a.run_id, "
            "a.created_at, a.assignee, a.previous FROM alert a LEFT JOIN customer c ON c.id = "
            "a.customer_id LEFT JOIN entity_doc d ON d.id = a.doc_id LEFT JOIN screening_run "
            "r ON r.id = a.run_id WHERE a.id = ?1",
            -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the alert");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no alert %lld", (long long)id);
    }
    json_t *decisions = json_array();
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT id, decision, note, by, decided_at, versions, state FROM "
                           "decision WHERE alert_id = ?1 ORDER BY id",
                           -1, &ds, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(ds, 1, id);
        while (sqlite3_step(ds) == SQLITE_ROW)
            json_array_append_new(
                decisions,
                json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:s}", "id",
                          (json_int_t)sqlite3_column_int64(ds, 0), "decision",
                          vigil__col_text(ds, 1), "note", vigil__col_text(ds, 2), "by",
                          vigil__col_text(ds, 3), "at", vigil__col_text(ds, 4), "versions",
                          vigil__col_json(ds, 5), "state",
                          sqlite3_column_text(ds, 6) ? (const char *)sqlite3_column_text(ds, 6)
                                                     : "final"));
    }
    sqlite3_finalize(ds);
    json_t *out = json_pack(
        "{s:I,s:o,s:f,s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o,s:I,s:o},s:o,s:o,"
        "s:{s:I,s:o},s:o,s:o,s:o,s:o}",
        "id", (json_int_t)sqlite3_column_int64(st, 0), "status", vigil__col_text(st, 1),
        "score", sqlite3_column_double(st, 2), "customer", "id", vigil__col_text(st, 3), "name",
        vigil__col_text(st, 4), "schema", vigil__col_text(st, 5), "birth_date",
        vigil__col_text(st, 6), "country", vigil__col_text(st, 7), "gender",
        vigil__col_text(st, 8), "id_number", vigil__col_text(st, 9), "entity", "source",
        vigil__col_text(st, 10), "source_id", vigil__col_text(st, 11), "schema",
        vigil__col_text(st, 12), "name", vigil__col_text(st, 13), "version",
        (json_int_t)sqlite3_column_int64(st, 16), "document", vigil__col_json(st, 17),
        "matched_name", vigil__col_text(st, 14), "explanation", vigil__col_json(st, 15), "run",
        "id", (json_int_t)sqlite3_column_int64(st, 19), "versions", vigil__col_json(st, 18),
        "created_at", vigil__col_text(st, 20), "assignee", vigil__col_text(st, 21), "previous",
        vigil__col_int(st, 22), "decisions", decisions);
    sqlite3_finalize(st);
    json_t *t = trail(db, id, NULL, 1000, 0);
    if (out)
        json_object_set_new(out, "trail", t ? t : json_array());
    return vigil__dump_json(db, out, json);
}

/* The alert's status into out (""), 0 when there is none. */
static int alert_status(vigil_db *db, int64_t id, char out[24])
{
    out[0] = '\0';
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, "SELECT status FROM alert WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        snprintf(out, 24, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return found;
}

/* That alert id exists and (want NULL: whatever it is) is in status want;
 * why: what is refused else. VIGIL_OK, VIGIL_ERR_NOTFOUND, VIGIL_ERR_ARG. */
static int expect_status(vigil_db *db, int64_t id, const char *want, const char *why)
{
    char status[24];
    if (!alert_status(db, id, status))
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no alert %lld", (long long)id);
    if (want && strcmp(status, want) != 0)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "alert %lld is %s: %s", (long long)id, status,
                              why);
    return VIGIL_OK;
}

/* Runs sql with ?1 = id and ?2 = text (NULL: unbound). */
static int exec_id_text(vigil_db *db, const char *sql, int64_t id, const char *text,
                        const char *what)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, what);
    sqlite3_bind_int64(st, 1, id);
    if (text)
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? VIGIL_OK : vigil__db_sqlfail(db, what);
    sqlite3_finalize(st);
    return rc;
}

int vigil_alert_assign(vigil_db *db, int64_t id, const char *to, const char *by)
{
    if (!db)
        return VIGIL_ERR_ARG;
    int rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    rc = expect_status(db, id, NULL, NULL);
    if (rc == VIGIL_OK)
        rc = exec_id_text(db, "UPDATE alert SET assignee = ?2 WHERE id = ?1", id,
                          to && *to ? to : NULL, "assigning the alert");
    if (rc == VIGIL_OK)
        rc = vigil__audit(db, by, to && *to ? "assigned" : "unassigned", id, NULL, NULL, to);
    return vigil__db_finish(db, rc);
}

int vigil_propose(vigil_db *db, int64_t id, const char *decision, const char *note,
                  const char *by)
{
    if (!db)
        return VIGIL_ERR_ARG;
    int rc = vigil__decision_args(db, decision, note);
    if (rc != VIGIL_OK)
        return rc;
    if (!by || !*by)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "a proposal names who makes it");
    rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    rc = expect_status(db, id, "open", "only an open alert takes a proposal");
    char *versions = rc == VIGIL_OK ? vigil__current_versions(db) : NULL;
    char at[32];
    vigil__now_iso(at);
    sqlite3_stmt *st = NULL;
    if (rc == VIGIL_OK &&
        sqlite3_prepare_v2(db->sql,
                           "INSERT INTO decision(alert_id, decision, note, by, decided_at, "
                           "versions, state) VALUES(?1, ?2, ?3, ?4, ?5, coalesce(?6, '[]'), "
                           "'proposed')",
                           -1, &st, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "recording the proposal");
    if (rc == VIGIL_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, decision, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
        if (versions)
            sqlite3_bind_text(st, 6, versions, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "recording the proposal");
    }
    sqlite3_finalize(st);
    free(versions);
    if (rc == VIGIL_OK)
        rc = exec_id_text(db, "UPDATE alert SET status = 'pending' WHERE id = ?1", id, NULL,
                          "recording the proposal");
    if (rc == VIGIL_OK)
        rc = vigil__audit(db, by, "proposed", id, NULL, note, decision);
    return vigil__db_finish(db, rc);
}

int vigil_review(vigil_db *db, int64_t id, int approve, const char *note, const char *by)
{
    if (!db)
        return VIGIL_ERR_ARG;
    if (!by || !*by)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "a review names who makes it");
    if (!approve && (!note || !*note))
        return vigil__db_fail(db, VIGIL_ERR_ARG,
                              "returning a proposal needs a note saying why");
    int rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    rc = expect_status(db, id, "pending", "only a proposed decision is reviewed");
    /* the proposal under review */
    sqlite3_stmt *st = NULL;
    int64_t did = 0;
    char decision[24] = "", proposer[65] = "";
    if (rc == VIGIL_OK &&
        sqlite3_prepare_v2(db->sql,
                           "SELECT id, decision, by FROM decision WHERE alert_id = ?1 AND "
                           "state = 'proposed' ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            did = sqlite3_column_int64(st, 0);
            snprintf(decision, sizeof(decision), "%s",
                     (const char *)sqlite3_column_text(st, 1));
            snprintf(proposer, sizeof(proposer), "%s",
                     sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2)
                                                : "");
        }
    }
    sqlite3_finalize(st);
    if (rc == VIGIL_OK && !did)
        rc = vigil__db_fail(db, VIGIL_ERR_DB, "alert %lld is pending with no proposal",
                            (long long)id);
    /* four eyes: never the proposer's own */
    if (rc == VIGIL_OK && strcmp(proposer, by) == 0)
        rc = vigil__db_fail(db, VIGIL_ERR_ARG,
                            "four eyes: %s proposed this decision and cannot also review it",
                            by);
    if (rc == VIGIL_OK)
        rc = exec_id_text(db, "UPDATE decision SET state = ?2 WHERE id = ?1", did,
                          approve ? "approved" : "returned", "recording the review");
    if (rc == VIGIL_OK)
        rc = exec_id_text(db, "UPDATE alert SET status = ?2 WHERE id = ?1", id,
                          approve ? decision : "open", "recording the review");
    if (rc == VIGIL_OK)
        rc = vigil__audit(db, by, approve ? "approved" : "returned", id, NULL, note, decision);
    return vigil__db_finish(db, rc);
}

/* ------------------------------------------------------------ the trail */

int vigil_audit_json(vigil_db *db, int64_t alert_id, const char *customer, int limit,
                     int offset, char **json)
{
    *json = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    json_t *t =
        trail(db, alert_id, customer, limit > 0 ? limit : 1000000000, offset > 0 ? offset : 0);
    if (!t)
        return vigil__db_sqlfail(db, "reading the audit trail");
    return vigil__dump_json(db, t, json);
}

/* ------------------------------------------------------------ customers */

int vigil_customers_json(vigil_db *db, const char *q, int limit, int offset, char **json)
{
    *json = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    limit = limit > 0 ? (limit < 1000 ? limit : 1000) : 50;
    offset = offset > 0 ? offset : 0;
    /* q: a customer's id, or words of the name, any case */
    static const char *const where =
        "WHERE ?1 IS NULL OR c.id = ?1 OR c.name LIKE '%' || ?1 || '%' ESCAPE '\\'";
    char sql[1024];
    sqlite3_stmt *cnt = NULL, *st = NULL;
    char *like = NULL;
    if (q && *q) { /* LIKE's own characters taken as themselves */
        like = malloc(strlen(q) * 2 + 1);
        if (!like)
            return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
        char *w = like;
        for (const char *p = q; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                *w++ = '\\';
            *w++ = *p;
        }
        *w = '\0';
    }
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM customer c %s", where);
    int rc = sqlite3_prepare_v2(db->sql, sql, -1, &cnt, NULL);
    snprintf(
        sql, sizeof(sql),
        "SELECT c.id, c.name, c.schema, c.birth_date, c.country, c.gender, c.id_number, "
        "c.added_at, c.updated_at, (SELECT count(*) FROM alert a WHERE a.customer_id = "
        "c.id AND a.status IN ('open','pending')) FROM customer c %s ORDER BY c.name, c.id "
        "LIMIT %d OFFSET %d",
        where, limit, offset);
    if (rc != SQLITE_OK || sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(cnt);
        free(like);
        return vigil__db_sqlfail(db, "reading the customers");
    }
    if (like) {
        sqlite3_bind_text(cnt, 1, like, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
    }
    json_int_t total = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            arr,
            json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "id", vigil__col_text(st, 0),
                      "name", vigil__col_text(st, 1), "schema", vigil__col_text(st, 2),
                      "birth_date", vigil__col_text(st, 3), "country", vigil__col_text(st, 4),
                      "gender", vigil__col_text(st, 5), "id_number", vigil__col_text(st, 6),
                      "added_at", vigil__col_text(st, 7), "updated_at", vigil__col_text(st, 8),
                      "open_alerts", (json_int_t)sqlite3_column_int64(st, 9)));
    sqlite3_finalize(cnt);
    sqlite3_finalize(st);
    free(like);
    return vigil__dump_json(db,
                            json_pack("{s:I,s:i,s:i,s:o}", "total", total, "limit", limit,
                                      "offset", offset, "customers", arr),
                            json);
}

int vigil_customer_get(vigil_db *db, const char *id, char **json)
{
    *json = NULL;
    if (!db || !id)
        return VIGIL_ERR_ARG;
    char *list = NULL;
    int rc = vigil_customers_json(db, id, 1000, 0, &list);
    if (rc != VIGIL_OK)
        return rc;
    json_t *all = json_loads(list, 0, NULL), *one = NULL, *c;
    vigil_free(list);
    size_t i;
    json_array_foreach(json_object_get(all, "customers"), i,
                       c) if (!one && strcmp(json_string_value(json_object_get(c, "id")), id) ==
                                          0) one = json_incref(c);
    json_decref(all);
    if (!one)
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no customer %s", id);
    vigil_alert_filter f = {.status = "any", .customer = id, .limit = 1000};
    char *alerts = NULL;
    rc = vigil_alert_queue(db, &f, &alerts);
    json_t *a = alerts ? json_loads(alerts, 0, NULL) : NULL;
    vigil_free(alerts);
    json_object_set_new(one, "alerts",
                        a ? json_incref(json_object_get(a, "alerts")) : json_array());
    json_decref(a);
    json_t *t = trail(db, 0, id, 1000, 0);
    json_object_set_new(one, "trail", t ? t : json_array());
    return rc == VIGIL_OK ? vigil__dump_json(db, one, json) : (json_decref(one), rc);
}
