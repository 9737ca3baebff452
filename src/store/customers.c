/*
 * customers.c - the customer store: customers kept by id, each with the
 * SHA-256 of its fields (what changed) and the index keys its name looks up
 * (the keys vigil_screen computes for it, screen.c), recomputed when the
 * name data changes. Re-screening (screen/rescreen.c) reads them. Design:
 * docs/rescreening.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../screen/engine.h"
#include "store.h"

#define MAX_KEYS 256
#define PAGE 4096     /* customers read and written together */
#define KEYS_FORMAT 1 /* bump when the index keys (screen/index.c) change */
#define STR_(x) #x
#define STR(x) STR_(x)

/* What the stored keys were computed with: the key format and the name data
 * (a prepared name depends on it). */
void vigil__customer_keys_fp(char out[40])
{
    snprintf(out, 40, "%d:%016llx", KEYS_FORMAT, (unsigned long long)vigil__match_data_fp());
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
    vigil__par_for(n, vigil__threads(0), compute_keys, ks);
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
            ks[n].c.name = vigil__dup_text(sqlite3_column_text(rd, 1));
            ks[n].c.schema = vigil__dup_text(sqlite3_column_text(rd, 2));
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
        rc = vigil__meta_set(db, "customer_keys", fp);
    return rc;
}

/* Makes the stored keys those of the name data loaded now. *refreshed: 1
 * when they were computed anew (matching changed: a full run is due). */
int vigil__customer_keys_current(vigil_db *db, int *refreshed)
{
    char fp[40], held[64];
    vigil__customer_keys_fp(fp);
    *refreshed = 0;
    int rc = vigil__meta_get(db, "customer_keys", held, sizeof(held));
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
    int rc = vigil__db_begin(db), refreshed, in_tx = rc == VIGIL_OK;
    if (rc == VIGIL_OK)
        rc = vigil__customer_keys_current(db, &refreshed);
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
        rc = vigil__db_finish(db, rc);
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

int vigil__customers_page(vigil_db *db, int64_t after, size_t max, vigil__customer_want want,
                          void *ctx, vigil__stored_customer *out, size_t *n, int64_t *last,
                          size_t *rows)
{
    *n = 0;
    *rows = 0;
    *last = after;
    sqlite3_stmt *rd = NULL;
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT rowid, id, name, schema, birth_date, country, gender, "
            "id_number, sha256, keys, screened_run FROM customer WHERE rowid > ? "
            "ORDER BY rowid LIMIT ?",
            -1, &rd, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading customers");
    sqlite3_bind_int64(rd, 1, after);
    sqlite3_bind_int64(rd, 2, (sqlite3_int64)max);
    int rc = VIGIL_OK;
    while (rc == VIGIL_OK && sqlite3_step(rd) == SQLITE_ROW) {
        (*rows)++;
        *last = sqlite3_column_int64(rd, 0);
        int screened = sqlite3_column_type(rd, 10) != SQLITE_NULL;
        int in_full =
            want(sqlite3_column_blob(rd, 9), sqlite3_column_bytes(rd, 9), screened, ctx);
        if (in_full < 0)
            continue;
        vigil__stored_customer *x = &out[(*n)++];
        memset(x, 0, sizeof(*x));
        x->rowid = *last;
        x->in_full = in_full;
        x->c.id = vigil__dup_text(sqlite3_column_text(rd, 1));
        x->c.name = vigil__dup_text(sqlite3_column_text(rd, 2));
        x->c.schema = vigil__dup_text(sqlite3_column_text(rd, 3));
        x->c.birth_date = vigil__dup_text(sqlite3_column_text(rd, 4));
        x->c.country = vigil__dup_text(sqlite3_column_text(rd, 5));
        x->c.gender = vigil__dup_text(sqlite3_column_text(rd, 6));
        x->c.id_number = vigil__dup_text(sqlite3_column_text(rd, 7));
        snprintf(x->sha, sizeof(x->sha), "%s", (const char *)sqlite3_column_text(rd, 8));
        if (!x->c.id || !x->c.name)
            rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    }
    sqlite3_finalize(rd);
    return rc;
}

void vigil__stored_customer_clear(vigil__stored_customer *x)
{
    free((char *)x->c.id);
    free((char *)x->c.name);
    free((char *)x->c.schema);
    free((char *)x->c.birth_date);
    free((char *)x->c.country);
    free((char *)x->c.gender);
    free((char *)x->c.id_number);
    memset(x, 0, sizeof(*x));
}

int vigil__customers_mark(vigil_db *db, const int64_t *rowids, size_t n, int64_t run)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, "UPDATE customer SET screened_run=?2 WHERE rowid=?1", -1,
                           &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "marking customers screened");
    int rc = VIGIL_OK;
    for (size_t i = 0; i < n && rc == VIGIL_OK; i++) {
        sqlite3_bind_int64(st, 1, rowids[i]);
        sqlite3_bind_int64(st, 2, run);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "marking a customer screened");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}
