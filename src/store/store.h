/*
 * store.h - the database handle, shared by the store's files.
 */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "../internal.h"

struct vigil_db {
    sqlite3 *sql;
    int readonly;
    char errmsg[1024];
    /* waiting for another process's write lock (vigil_db_wait_for_lock) */
    int lock_wait; /* seconds */
    void (*waiting)(void *ctx, int waited);
    void *waiting_ctx;
    struct timespec wait_t0; /* when the current wait began */
    int told;                /* seconds of it reported */
};

/* Sets db->errmsg and returns rc. */
int vigil__db_fail(vigil_db *db, int rc, const char *fmt, ...) VIGIL__PRINTF(3, 4);
/* Sets db->errmsg from SQLite's message for what. Returns VIGIL_ERR_DB. */
int vigil__db_sqlfail(vigil_db *db, const char *what);
/* The time now, UTC, as ISO 8601 ("2026-11-27T23:00:00Z"): when a version
 * was loaded, a run made, a decision taken. */
void vigil__now_iso(char out[32]);
/* Fills v from a row of list_version selected with VIGIL__VERSION_COLS. */
void vigil__version_row(sqlite3_stmt *st, int col0, vigil_list_version *v);

/* The list_version columns vigil__version_row reads, with a table prefix
 * such as "v." (or "") for joins. */
#define VIGIL__VERSION_COLS_OF(t)                                                              \
    t "id, " t "source, " t "format, " t "sha256, coalesce(" t "published,''), " t             \
      "loaded_at, " t "files, " t "entities, " t "persons, " t "organizations, " t             \
      "vessels, " t "airplanes, " t "skipped"
#define VIGIL__VERSION_COLS VIGIL__VERSION_COLS_OF("")

/* A column of a row as JSON: text (or null), or parsed JSON text (or null). */
json_t *vigil__col_text(sqlite3_stmt *st, int col);
json_t *vigil__col_json(sqlite3_stmt *st, int col);
/* A whole number column as JSON, or null. */
json_t *vigil__col_int(sqlite3_stmt *st, int col);
/* v (taken) as compact JSON text into *json: VIGIL_OK or VIGIL_ERR_NOMEM. */
int vigil__dump_json(vigil_db *db, json_t *v, char **json);
/* The arguments of a decision: "true-match" or "false-positive", and a
 * note. VIGIL_OK, or VIGIL_ERR_ARG with the message set. */
int vigil__decision_args(vigil_db *db, const char *decision, const char *note);

/* A document as yente's EntityResponse (ftm.c): id, caption, schema,
 * properties, datasets, referents (with_referents: also the other lists'
 * entries linked to it, a search of the current versions), target,
 * first_seen, last_seen, last_change. A new object, or NULL. */
json_t *vigil__ftm_entity(vigil_db *db, json_t *doc, int with_referents);

/* Small helpers of the store (store.c). A malloc'd copy of SQLite's text s,
 * or NULL. */
char *vigil__dup_text(const unsigned char *s);
/* The meta table: key's value into out ("" when absent), or key set. */
int vigil__meta_get(vigil_db *db, const char *key, char *out, size_t size);
int vigil__meta_set(vigil_db *db, const char *key, const char *value);
/* Runs sql (what: for the message when it fails). */
int vigil__db_exec(vigil_db *db, const char *sql, const char *what);
/* Starts a write transaction (on failure nothing is held); ends it with a
 * commit when rc is VIGIL_OK, else a rollback. Returns the result. */
int vigil__db_begin(vigil_db *db);
int vigil__db_finish(vigil_db *db, int rc);

/* The current version of each source, as the JSON an engine reports
 * ([{"source", "version", "published", "sha256"}]; a run and a decision
 * record it too): malloc'd, or NULL (out of memory). */
char *vigil__current_versions(vigil_db *db);
/* The database's file ("" for an in-memory one). */
const char *vigil__db_path(vigil_db *db);
/* The single number sql selects (?1, ?2 bound to a and b when it has them),
 * or -1. */
int64_t vigil__db_count(vigil_db *db, const char *sql, int64_t a, int64_t b);

/* Appends a line to the audit trail (cases.c): who (NULL: "vigil") did
 * action, on alert_id (0: none) or customer_id (NULL: the alert's), with a
 * note and a detail, and the list versions current now. Inside the caller's
 * transaction. */
int vigil__audit(vigil_db *db, const char *user, const char *action, int64_t alert_id,
                 const char *customer_id, const char *note, const char *detail);

/* The customer store (customers.c). What the stored keys were computed
 * with (the key format and the name data's fingerprint), into out. */
void vigil__customer_keys_fp(char out[40]);
/* Makes the stored keys those of the name data loaded now, inside the
 * caller's transaction. *refreshed: 1 when they were computed anew (the
 * matching changed: a full run is due). */
int vigil__customer_keys_current(vigil_db *db, int *refreshed);

/* A stored customer as a run reads it (customers.c): its fields
 * (malloc'd), the SHA-256 of them, and whether it is screened against
 * every list (in_full) or only against what changed. */
typedef struct {
    int64_t rowid;
    vigil_customer c;
    char sha[65];
    int in_full;
} vigil__stored_customer;
/* Whether a customer is read: given its stored keys (a sorted blob of
 * bytes bytes) and whether it was screened in full since it last changed,
 * 1 (in full), 0 (against what changed only) or -1 (not at all). */
typedef int (*vigil__customer_want)(const void *keys, int bytes, int screened, void *ctx);
/* Reads the next page of customers after rowid after, at most max of them,
 * those want takes into out[0..*n); *last the last rowid read, *rows how
 * many were read (under max: that was the last page). */
int vigil__customers_page(vigil_db *db, int64_t after, size_t max, vigil__customer_want want,
                          void *ctx, vigil__stored_customer *out, size_t *n, int64_t *last,
                          size_t *rows);
void vigil__stored_customer_clear(vigil__stored_customer *x);
/* Marks customers screened in full in run. */
int vigil__customers_mark(vigil_db *db, const int64_t *rowids, size_t n, int64_t run);

/* Runs (runs.c). Calls fn(doc, ctx) for every entity document of the
 * current list versions (since_run 0), or for those added or changed since
 * run since_run; fn returns VIGIL_OK or an error code, which stops it. The
 * document is freed after the call. */
typedef int (*vigil__doc_fn)(json_t *doc, void *ctx);
int vigil__store_each_doc(vigil_db *db, int64_t since_run, vigil__doc_fn fn, void *ctx);
/* The last run: its id (0: none), threshold and key fingerprint. */
int vigil__run_last(vigil_db *db, int64_t *id, double *threshold, char fp[64]);
/* Records a run starting, with the current list versions: *run its id. */
int vigil__run_start(vigil_db *db, const char *started, int full, double threshold,
                     const char *fp, const char *versions, int64_t *run);
/* Entities added or changed, and removed, since run last (0: none before),
 * as run sees them. */
int vigil__run_changes(vigil_db *db, int64_t last, int64_t run, int64_t *changed,
                       int64_t *removed);
/* Records a run's figures at its end. */
int vigil__run_finish(vigil_db *db, const vigil_rescreen_result *out);

/* Alerts (alerts.c). What a run does with a hit, given the status of the
 * pair's latest alert (NULL: none), whether the entity is as it was then
 * and whether the customer is: a new alert (none yet, or reopened: a false
 * positive whose customer or entity changed), the open one refreshed, or
 * nothing (a true match, or a false positive nothing changed). */
typedef enum { VIGIL__ALERT_NEW, VIGIL__ALERT_REFRESH, VIGIL__ALERT_KEEP } vigil__alert_action;
vigil__alert_action vigil__alert_rule(const char *status, int same_entity, int same_customer);
/* The statements a run records hits with: opened (malloc'd; *out even on
 * failure, for vigil__alerts_close), closed (NULL: nothing). */
typedef struct vigil__alert_writer vigil__alert_writer;
/* Closes the open alerts of entities that left the lists as run sees them
 * (a decision "delisted" each): *n how many. */
int vigil__alerts_delist(vigil_db *db, int64_t run, const char *at, const char *versions,
                         int64_t *n);
int vigil__alerts_open(vigil_db *db, vigil__alert_writer **out);
void vigil__alerts_close(vigil__alert_writer *w);
/* Records one matching hit h of a customer (id, SHA-256 of its fields) in
 * run, as vigil__alert_rule says; *is_new: 1 when an alert was written. */
int vigil__alerts_record(vigil_db *db, vigil__alert_writer *w, int64_t run, const char *at,
                         const char *customer_id, const char *customer_sha, const vigil_hit *h,
                         int *is_new);

#endif
