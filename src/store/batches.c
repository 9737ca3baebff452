/*
 * batches.c - the results of vigil serve's batches (POST /batch), kept in
 * the database rather than the server's memory: each batch is owned by the
 * user who started it, known by an id of 128 random bits, and kept until its
 * owner deletes it or it is older than the server's limit. A result line is
 * a row, so a result of any size is read back a line at a time.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define STALE_MINUTES 10 /* a running batch not heard of for this long was cut off */

int vigil_batch_create(vigil_db *db, const vigil_batch_info *b)
{
    if (!db || !b || !b->id[0] || !b->owner[0])
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    char at[32];
    vigil__now_iso(at);
    if (sqlite3_prepare_v2(
            db->sql,
            "INSERT INTO batch(id, owner, created_at, updated_at, status, total, "
            "rows, failed, threshold) VALUES(?1, ?2, ?3, ?3, 'running', ?4, 0, 0, "
            "?5)",
            -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "storing the batch");
    sqlite3_bind_text(st, 1, b->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b->owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, b->total);
    sqlite3_bind_double(st, 5, b->threshold);
    int rc =
        sqlite3_step(st) == SQLITE_DONE ? VIGIL_OK : vigil__db_sqlfail(db, "storing the batch");
    sqlite3_finalize(st);
    return rc;
}

/* Sets the progress of batch id (status NULL: unchanged). */
static int progress(vigil_db *db, const char *id, long long rows, long long failed,
                    const char *status)
{
    sqlite3_stmt *st = NULL;
    char at[32];
    vigil__now_iso(at);
    if (sqlite3_prepare_v2(db->sql,
                           "UPDATE batch SET rows=?2, failed=?3, updated_at=?4, "
                           "status=coalesce(?5, status), finished_at=CASE WHEN ?5 IS NULL THEN "
                           "finished_at ELSE ?4 END WHERE id=?1",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "recording the batch's progress");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rows);
    sqlite3_bind_int64(st, 3, failed);
    sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
    if (status)
        sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE
                 ? VIGIL_OK
                 : vigil__db_sqlfail(db, "recording the batch's progress");
    sqlite3_finalize(st);
    return rc;
}

int vigil_batch_append(vigil_db *db, const char *id, const char *text, size_t len,
                       long long rows, long long failed)
{
    if (!db || !id || (!text && len))
        return VIGIL_ERR_ARG;
    int rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    sqlite3_stmt *st = NULL, *mx = NULL;
    long long next = 0;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT coalesce(max(n), 0) FROM batch_line WHERE batch_id=?1", -1,
                           &mx, NULL) == SQLITE_OK) {
        sqlite3_bind_text(mx, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(mx) == SQLITE_ROW)
            next = sqlite3_column_int64(mx, 0);
    }
    sqlite3_finalize(mx);
    if (sqlite3_prepare_v2(db->sql,
                           "INSERT INTO batch_line(batch_id, n, line) VALUES(?1, ?2, ?3)", -1,
                           &st, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "storing the batch's results");
    for (size_t at = 0; rc == VIGIL_OK && at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t k = nl ? (size_t)(nl - (text + at)) : len - at;
        if (k) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, ++next);
            sqlite3_bind_text(st, 3, text + at, (int)k, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "storing the batch's results");
        }
        at += k + 1;
    }
    sqlite3_finalize(st);
    if (rc == VIGIL_OK)
        rc = progress(db, id, rows, failed, NULL);
    return vigil__db_finish(db, rc);
}

int vigil_batch_finish(vigil_db *db, const char *id, long long rows, long long failed)
{
    if (!db || !id)
        return VIGIL_ERR_ARG;
    return progress(db, id, rows, failed, "done");
}

int vigil_batch_get(vigil_db *db, const char *id, const char *owner, vigil_batch_info *out)
{
    memset(out, 0, sizeof(*out));
    if (!db || !id)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT id, owner, created_at, coalesce(finished_at, ''), status, "
                           "total, rows, failed, threshold FROM batch WHERE id=?1 AND "
                           "(?2 IS NULL OR owner=?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the batch");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (owner)
        sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
    int rc = VIGIL_ERR_NOTFOUND;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out->id, sizeof(out->id), "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(out->owner, sizeof(out->owner), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        snprintf(out->created_at, sizeof(out->created_at), "%s",
                 (const char *)sqlite3_column_text(st, 2));
        snprintf(out->finished_at, sizeof(out->finished_at), "%s",
                 (const char *)sqlite3_column_text(st, 3));
        snprintf(out->status, sizeof(out->status), "%s",
                 (const char *)sqlite3_column_text(st, 4));
        out->total = sqlite3_column_int64(st, 5);
        out->rows = sqlite3_column_int64(st, 6);
        out->failed = sqlite3_column_int64(st, 7);
        out->threshold = sqlite3_column_double(st, 8);
        rc = VIGIL_OK;
    }
    sqlite3_finalize(st);
    return rc == VIGIL_OK ? rc : vigil__db_fail(db, rc, "no such batch");
}

struct vigil_batch_reader {
    sqlite3_stmt *st;
};

int vigil_batch_read_open(vigil_db *db, const char *id, vigil_batch_reader **out)
{
    *out = NULL;
    if (!db || !id)
        return VIGIL_ERR_ARG;
    vigil_batch_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(db->sql, "SELECT line FROM batch_line WHERE batch_id=?1 ORDER BY n",
                           -1, &r->st, NULL) != SQLITE_OK) {
        free(r);
        return vigil__db_sqlfail(db, "reading the batch's results");
    }
    sqlite3_bind_text(r->st, 1, id, -1, SQLITE_TRANSIENT);
    *out = r;
    return VIGIL_OK;
}

int vigil_batch_read_next(vigil_batch_reader *r, const char **line, size_t *len)
{
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return VIGIL_ERR_DB;
    *line = (const char *)sqlite3_column_text(r->st, 0);
    *len = (size_t)sqlite3_column_bytes(r->st, 0);
    return 1;
}

void vigil_batch_read_close(vigil_batch_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->st);
    free(r);
}

/* Deletes the batches (and their lines) that sql's WHERE clause on batch
 * picks, ?1 and ?2 bound to a and b; *n how many. */
static int delete_where(vigil_db *db, const char *where, const char *a, const char *b,
                        long long *n)
{
    char sql[512];
    int rc = vigil__db_begin(db);
    if (rc != VIGIL_OK)
        return rc;
    *n = 0;
    for (int pass = 0; pass < 2 && rc == VIGIL_OK; pass++) {
        snprintf(sql, sizeof(sql),
                 pass == 0 ? "DELETE FROM batch_line WHERE batch_id IN (SELECT id FROM batch "
                             "WHERE %s)"
                           : "DELETE FROM batch WHERE %s",
                 where);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = vigil__db_sqlfail(db, "deleting batches");
            break;
        }
        if (a)
            sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
        if (b)
            sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "deleting batches");
        else if (pass == 1)
            *n = sqlite3_changes(db->sql);
        sqlite3_finalize(st);
    }
    return vigil__db_finish(db, rc);
}

int vigil_batch_delete(vigil_db *db, const char *id, const char *owner)
{
    if (!db || !id || !owner)
        return VIGIL_ERR_ARG;
    long long n = 0;
    int rc = delete_where(db, "id=?1 AND owner=?2 AND status<>'running'", id, owner, &n);
    if (rc != VIGIL_OK)
        return rc;
    return n ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no such finished batch");
}

int vigil_batch_expire(vigil_db *db, int days, long long *deleted)
{
    *deleted = 0;
    if (!db || days < 1)
        return VIGIL_ERR_ARG;
    /* a running batch not heard of for STALE_MINUTES: its server stopped */
    char sql[256];
    snprintf(sql, sizeof(sql),
             "UPDATE batch SET status='interrupted', finished_at=updated_at WHERE "
             "status='running' AND updated_at < strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', "
             "'-%d minutes')",
             STALE_MINUTES);
    int rc = vigil__db_exec(db, sql, "ending cut-off batches");
    if (rc != VIGIL_OK)
        return rc;
    char cut[64];
    snprintf(cut, sizeof(cut), "-%d days", days);
    return delete_where(db,
                        "status<>'running' AND finished_at < "
                        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1)",
                        cut, NULL, deleted);
}

int vigil_batches_json(vigil_db *db, const char *owner, char **json)
{
    *json = NULL;
    if (!db || !owner)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT id, created_at, finished_at, status, total, rows, failed, "
                           "threshold FROM batch WHERE owner=?1 ORDER BY created_at DESC, id",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the batches");
    sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *fin = sqlite3_column_text(st, 2);
        json_array_append_new(arr,
                              json_pack("{s:s, s:s, s:o, s:s, s:I, s:I, s:I, s:f}", "id",
                                        (const char *)sqlite3_column_text(st, 0), "created_at",
                                        (const char *)sqlite3_column_text(st, 1), "finished_at",
                                        fin ? json_string((const char *)fin) : json_null(),
                                        "status", (const char *)sqlite3_column_text(st, 3),
                                        "total", (json_int_t)sqlite3_column_int64(st, 4),
                                        "rows", (json_int_t)sqlite3_column_int64(st, 5),
                                        "failed", (json_int_t)sqlite3_column_int64(st, 6),
                                        "threshold", sqlite3_column_double(st, 7)));
    }
    sqlite3_finalize(st);
    *json = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(arr);
    return *json ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
}
