/*
 * store.c - the embedded database (SQLite): opening, the schema, reading list
 * versions and entities. Loading is in load.c. Design: docs/store.md.
 *
 * Every list version is kept. An entity's document is stored once per
 * distinct content (entity_doc, keyed by its SHA-256), and each version names
 * the documents it holds (version_entity), so a weekly list that changes by a
 * few entries costs a few rows, and a diff between versions is a join.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

#define SCHEMA_VERSION "1"

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS list_version("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  files TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  published TEXT,"
    "  loaded_at TEXT NOT NULL,"
    "  entities INTEGER NOT NULL DEFAULT 0,"
    "  persons INTEGER NOT NULL DEFAULT 0,"
    "  organizations INTEGER NOT NULL DEFAULT 0,"
    "  vessels INTEGER NOT NULL DEFAULT 0,"
    "  airplanes INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0,"
    "  parent_id INTEGER REFERENCES list_version(id));"
    "CREATE INDEX IF NOT EXISTS list_version_source ON list_version(source, sha256);"
    "CREATE TABLE IF NOT EXISTS entity_doc("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 TEXT NOT NULL UNIQUE,"
    "  schema TEXT NOT NULL,"
    "  doc TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS version_entity("
    "  version_id INTEGER NOT NULL REFERENCES list_version(id),"
    "  source_id TEXT NOT NULL,"
    "  doc_id INTEGER NOT NULL REFERENCES entity_doc(id),"
    "  PRIMARY KEY(version_id, source_id)) WITHOUT ROWID;"
    /* customers and re-screening (screen/rescreen.c, docs/rescreening.md) */
    "CREATE TABLE IF NOT EXISTS customer("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL, schema TEXT, birth_date TEXT, country TEXT, gender TEXT,"
    "  id_number TEXT,"
    "  sha256 TEXT NOT NULL,"
    "  keys BLOB NOT NULL,"
    "  added_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  screened_run INTEGER);"
    "CREATE TABLE IF NOT EXISTS screening_run("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL, finished_at TEXT NOT NULL,"
    "  full INTEGER NOT NULL, threshold REAL NOT NULL, keys_fp TEXT NOT NULL,"
    "  versions TEXT NOT NULL,"
    "  customers INTEGER, screened_in_full INTEGER, screened_changed INTEGER,"
    "  entities_changed INTEGER, entities_removed INTEGER,"
    "  alerts_new INTEGER, alerts_known INTEGER, alerts_delisted INTEGER, seconds REAL);"
    "CREATE TABLE IF NOT EXISTS run_version("
    "  run_id INTEGER NOT NULL REFERENCES screening_run(id),"
    "  source TEXT NOT NULL,"
    "  version_id INTEGER NOT NULL REFERENCES list_version(id),"
    "  PRIMARY KEY(run_id, source)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS alert("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id TEXT NOT NULL, customer_sha256 TEXT NOT NULL,"
    "  source TEXT NOT NULL, source_id TEXT NOT NULL,"
    "  version_id INTEGER NOT NULL, doc_id INTEGER NOT NULL,"
    "  schema TEXT, entity_name TEXT, matched_name TEXT,"
    "  score REAL NOT NULL, explanation TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open',"
    "  run_id INTEGER NOT NULL REFERENCES screening_run(id),"
    "  created_at TEXT NOT NULL,"
    "  previous INTEGER REFERENCES alert(id),"
    "  assignee TEXT);"
    "CREATE INDEX IF NOT EXISTS alert_pair ON alert(customer_id, source, source_id);"
    "CREATE INDEX IF NOT EXISTS alert_status ON alert(status);"
    "CREATE TABLE IF NOT EXISTS decision("
    "  id INTEGER PRIMARY KEY,"
    "  alert_id INTEGER NOT NULL REFERENCES alert(id),"
    "  decision TEXT NOT NULL, note TEXT NOT NULL, by TEXT,"
    "  decided_at TEXT NOT NULL, versions TEXT NOT NULL, state TEXT);"
    "CREATE INDEX IF NOT EXISTS decision_alert ON decision(alert_id);"
    /* who may use vigil serve, and their keys (keys.c): a key is kept only
     * as its argon2id hash, found by the first characters of its secret */
    "CREATE TABLE IF NOT EXISTS user("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS api_key("
    "  id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES user(id),"
    "  hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);";

/* The rest of it (a C string has a bounded length). */
static const char *const schema_sql_2 =
    /* vigil serve's batches, owned by who started them, and their result
     * lines (batches.c) */
    "CREATE TABLE IF NOT EXISTS batch("
    "  id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,"
    "  total INTEGER NOT NULL, rows INTEGER NOT NULL, failed INTEGER NOT NULL,"
    "  threshold REAL NOT NULL);"
    "CREATE TABLE IF NOT EXISTS batch_line("
    "  batch_id TEXT NOT NULL, n INTEGER NOT NULL, line TEXT NOT NULL,"
    "  PRIMARY KEY(batch_id, n)) WITHOUT ROWID;"
    /* case work (cases.c): every step on an alert or a customer, appended
     * and never changed: the triggers refuse any update or delete */
    "CREATE TABLE IF NOT EXISTS audit("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,"
    "  alert_id INTEGER, customer_id TEXT, note TEXT, detail TEXT, versions TEXT);"
    "CREATE INDEX IF NOT EXISTS audit_alert ON audit(alert_id);"
    "CREATE INDEX IF NOT EXISTS audit_customer ON audit(customer_id);"
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    /* screened payment messages (messages.c): each with its decision and
     * the screening's answer; a held one's hits are alerts whose customer
     * is "msg:ID" */
    "CREATE TABLE IF NOT EXISTS message("
    "  id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, type TEXT NOT NULL,"
    "  msg_id TEXT, end_to_end_id TEXT, uetr TEXT, decision TEXT NOT NULL,"
    "  result TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS message_uetr ON message(uetr);"
    /* the queue's order: status, then the strongest hits first */
    "CREATE INDEX IF NOT EXISTS alert_queue ON alert(status, score DESC, id);";

/* Columns added since a table was first made: added to an older database
 * when it is opened for writing. */
static const struct {
    const char *table, *column, *decl;
} added_columns[] = {
    {"alert", "assignee", "TEXT"},
    {"decision", "state", "TEXT"}, /* NULL: a final decision; proposed, approved, returned */
};
#define NADDED "2"

/* The schema's tables, and its indexes: a database that holds others is not
 * one of ours. */
#define TABLES                                                                                 \
    "'meta','list_version','entity_doc','version_entity','customer','screening_run',"          \
    "'run_version','alert','decision','user','api_key','batch','batch_line','audit',"          \
    "'message'"
#define NTABLES "15"
#define INDEXES                                                                                \
    "'list_version_source','alert_pair','alert_status','decision_alert','audit_alert',"        \
    "'audit_customer','audit_no_update','audit_no_delete','alert_queue','message_uetr'"
/* the added columns that a database has, as SQL counting them */
#define HAS_ADDED                                                                              \
    "(SELECT count(*) FROM pragma_table_info('alert') WHERE name='assignee') + (SELECT "       \
    "count(*) FROM pragma_table_info('decision') WHERE name='state')"

int vigil__db_fail(vigil_db *db, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
    va_end(ap);
    return rc;
}

int vigil__db_sqlfail(vigil_db *db, const char *what)
{
    return vigil__db_fail(db, VIGIL_ERR_DB, "%s: %s", what,
                          db->sql ? sqlite3_errmsg(db->sql) : "no database");
}

void vigil__now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *vigil__col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return s ? json_string((const char *)s) : json_null();
}

json_t *vigil__col_int(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? json_null()
               : json_integer(sqlite3_column_int64(st, col));
}

json_t *vigil__col_json(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    json_t *v = s ? json_loads((const char *)s, 0, NULL) : NULL;
    return v ? v : json_null();
}

int vigil__dump_json(vigil_db *db, json_t *v, char **json)
{
    *json = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    return *json ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
}

int vigil__decision_args(vigil_db *db, const char *decision, const char *note)
{
    if (!decision ||
        (strcmp(decision, "true-match") != 0 && strcmp(decision, "false-positive") != 0))
        return vigil__db_fail(db, VIGIL_ERR_ARG,
                              "a decision is true-match or false-positive, not \"%s\"",
                              decision ? decision : "");
    if (!note || !*note)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "a decision needs a note saying why");
    return VIGIL_OK;
}

const char *vigil_errmsg(const vigil_db *db)
{
    return db ? db->errmsg : "no database handle";
}

static int check_schema(vigil_db *db)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(db->sql, "SELECT value FROM meta WHERE key='schema'", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_NOTADB)
            return vigil__db_fail(db, VIGIL_ERR_DB, "not a vigil database: %s",
                                  sqlite3_errmsg(db->sql));
        return vigil__db_fail(db, VIGIL_ERR_DB, "not a vigil database (%s)",
                              sqlite3_errmsg(db->sql));
    }
    rc = sqlite3_step(st);
    int ok = rc == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), SCHEMA_VERSION) == 0;
    sqlite3_finalize(st);
    if (!ok)
        return vigil__db_fail(db, VIGIL_ERR_DB, "not a vigil database of schema %s",
                              SCHEMA_VERSION);
    return VIGIL_OK;
}

/* SQLite's busy handler: called while another connection holds the lock,
 * count from 0 for each wait; returns 1 to wait on, 0 to give up. */
static int busy(void *arg, int count)
{
    vigil_db *db = arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (count == 0) {
        db->wait_t0 = now;
        db->told = 0;
    }
    double waited = (double)(now.tv_sec - db->wait_t0.tv_sec) +
                    (double)(now.tv_nsec - db->wait_t0.tv_nsec) / 1e9;
    if (waited >= db->lock_wait)
        return 0;
    if (db->waiting && (int)waited > db->told) {
        db->told = (int)waited;
        db->waiting(db->waiting_ctx, db->told);
    }
    sqlite3_sleep(count < 10 ? 10 : 100);
    return 1;
}

int vigil_db_wait_for_lock(vigil_db *db, int seconds, void (*waiting)(void *ctx, int waited),
                           void *ctx)
{
    if (!db || !db->sql)
        return VIGIL_ERR_ARG;
    db->lock_wait = seconds > 0 ? seconds : VIGIL_LOCK_WAIT;
    db->waiting = waiting;
    db->waiting_ctx = ctx;
    sqlite3_busy_handler(db->sql, busy, db);
    return VIGIL_OK;
}

/* Adds the columns of added_columns that an older database lacks (its
 * tables exist: a new database gets them from schema_sql). */
static int add_columns(vigil_db *db, char **err)
{
    for (size_t i = 0; i < sizeof(added_columns) / sizeof(added_columns[0]); i++) {
        char sql[256];
        snprintf(
            sql, sizeof(sql),
            "SELECT (SELECT count(*) FROM sqlite_master WHERE type='table' AND name='%s'), "
            "(SELECT count(*) FROM pragma_table_info('%s') WHERE name='%s')",
            added_columns[i].table, added_columns[i].table, added_columns[i].column);
        sqlite3_stmt *st = NULL;
        int table = 0, has = 0;
        if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            table = sqlite3_column_int(st, 0);
            has = sqlite3_column_int(st, 1);
        }
        sqlite3_finalize(st);
        if (!table || has)
            continue;
        snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", added_columns[i].table,
                 added_columns[i].column, added_columns[i].decl);
        int rc = sqlite3_exec(db->sql, sql, NULL, NULL, err);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

int vigil_db_open(const char *path, int flags, vigil_db **out)
{
    *out = NULL;
    if (!path)
        return VIGIL_ERR_ARG;
    vigil_db *db = calloc(1, sizeof(*db));
    if (!db)
        return VIGIL_ERR_NOMEM;
    *out = db;
    db->readonly = (flags & VIGIL_OPEN_READONLY) != 0;
    int oflags =
        db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path, &db->sql, oflags, NULL) != SQLITE_OK)
        return vigil__db_fail(db, VIGIL_ERR_DB, "%s: cannot open database: %s", path,
                              db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
    vigil_db_wait_for_lock(db, 0, NULL, NULL);
    sqlite3_exec(db->sql, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    if (!db->readonly) {
        char *err = NULL;
        /* The schema is created only in an empty database or ours. */
        sqlite3_stmt *st = NULL;
        int n = -1;
        if (sqlite3_prepare_v2(db->sql,
                               "SELECT count(*) FROM sqlite_master WHERE name NOT IN "
                               "(" TABLES "," INDEXES ") AND name NOT LIKE 'sqlite_%'",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (n != 0)
            return vigil__db_fail(db, VIGIL_ERR_DB, "%s: not a vigil database%s%s", path,
                                  n < 0 ? ": " : " (it holds other tables)",
                                  n < 0 ? sqlite3_errmsg(db->sql) : "");
        /* A database set up by this schema already needs no write to open
         * (a write would wait here for a re-screening run's lock, before
         * the caller could say how long to wait): only reads */
        int ready = 0;
        if (sqlite3_prepare_v2(db->sql,
                               "SELECT (SELECT count(*) FROM sqlite_master WHERE type='table' "
                               "AND name IN (" TABLES ")) = " NTABLES
                               " AND (SELECT value FROM meta "
                               "WHERE key='schema') = '" SCHEMA_VERSION "'",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            ready = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_exec(db->sql, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;", NULL,
                     NULL, NULL);
        if (!ready &&
            (sqlite3_exec(db->sql, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) != SQLITE_OK ||
             add_columns(db, &err) != SQLITE_OK ||
             sqlite3_exec(db->sql, schema_sql, NULL, NULL, &err) != SQLITE_OK ||
             sqlite3_exec(db->sql, schema_sql_2, NULL, NULL, &err) != SQLITE_OK ||
             sqlite3_exec(
                 db->sql,
                 "INSERT OR IGNORE INTO meta(key,value) VALUES('schema','" SCHEMA_VERSION "')",
                 NULL, NULL, &err) != SQLITE_OK)) {
            vigil__db_fail(db, VIGIL_ERR_DB, "%s: cannot set up the database: %s", path,
                           err ? err : sqlite3_errmsg(db->sql));
            sqlite3_free(err);
            return VIGIL_ERR_DB;
        }
    }
    int rc = check_schema(db);
    if (rc != VIGIL_OK) {
        char msg[sizeof(db->errmsg)];
        snprintf(msg, sizeof(msg), "%s", db->errmsg);
        return vigil__db_fail(db, rc, "%s: %s", path, msg);
    }
    return VIGIL_OK;
}

void vigil_db_close(vigil_db *db)
{
    if (!db)
        return;
    sqlite3_close_v2(db->sql);
    free(db);
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

void vigil__version_row(sqlite3_stmt *st, int c, vigil_list_version *v)
{
    memset(v, 0, sizeof(*v));
    v->id = sqlite3_column_int64(st, c);
    copy_col(v->source, sizeof(v->source), st, c + 1);
    copy_col(v->format, sizeof(v->format), st, c + 2);
    copy_col(v->sha256, sizeof(v->sha256), st, c + 3);
    copy_col(v->published, sizeof(v->published), st, c + 4);
    copy_col(v->loaded_at, sizeof(v->loaded_at), st, c + 5);
    copy_col(v->files, sizeof(v->files), st, c + 6);
    v->entities = sqlite3_column_int64(st, c + 7);
    v->persons = sqlite3_column_int64(st, c + 8);
    v->organizations = sqlite3_column_int64(st, c + 9);
    v->vessels = sqlite3_column_int64(st, c + 10);
    v->airplanes = sqlite3_column_int64(st, c + 11);
    v->skipped = sqlite3_column_int64(st, c + 12);
}

int vigil_versions(vigil_db *db, vigil_list_version **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!db)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT " VIGIL__VERSION_COLS " FROM list_version ORDER BY id", -1,
                           &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "listing versions");
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            vigil_list_version *nv = realloc(*out, cap * sizeof(**out));
            if (!nv) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                *n = 0;
                return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
            }
            *out = nv;
        }
        vigil__version_row(st, 0, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return vigil__db_sqlfail(db, "listing versions");
    }
    return VIGIL_OK;
}

int vigil_entity_json(vigil_db *db, const char *source, const char *source_id,
                      int64_t version_id, char **json)
{
    *json = NULL;
    if (!db || !source || !source_id)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    int64_t vid = version_id;
    if (vid == 0) {
        /* the current version of the source: its latest */
        if (sqlite3_prepare_v2(db->sql, "SELECT max(id) FROM list_version WHERE source=?", -1,
                               &st, NULL) != SQLITE_OK)
            return vigil__db_sqlfail(db, "finding the current version");
        sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            vid = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (vid == 0)
            return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no version of list \"%s\" is loaded",
                                  source);
    }
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT d.doc, " VIGIL__VERSION_COLS_OF(
                "v.") " FROM version_entity ve "
                      "JOIN entity_doc d ON d.id = ve.doc_id "
                      "JOIN list_version v ON v.id = ve.version_id "
                      "WHERE ve.version_id = ? AND v.source = ? AND ve.source_id = ?",
            -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading an entity");
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, source_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return vigil__db_sqlfail(db, "reading an entity");
        /* say where it was last seen, if anywhere */
        int64_t last = 0;
        if (sqlite3_prepare_v2(db->sql,
                               "SELECT max(v.id) FROM version_entity ve JOIN list_version v ON "
                               "v.id = ve.version_id WHERE v.source = ? AND ve.source_id = ?",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, source_id, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                last = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        if (last)
            return vigil__db_fail(db, VIGIL_ERR_NOTFOUND,
                                  "%s:%s is not in version %lld of %s; version %lld holds it",
                                  source, source_id, (long long)vid, source, (long long)last);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "%s:%s is not in version %lld", source,
                              source_id, (long long)vid);
    }
    json_error_t jerr;
    json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, &jerr);
    vigil_list_version v;
    vigil__version_row(st, 1, &v);
    sqlite3_finalize(st);
    if (!doc)
        return vigil__db_fail(db, VIGIL_ERR_DB, "stored entity %s:%s is corrupt: %s", source,
                              source_id, jerr.text);
    json_t *ver = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)v.id,
                            "source", v.source, "format", v.format, "published", v.published,
                            "loaded_at", v.loaded_at, "sha256", v.sha256, "files", v.files);
    json_object_set_new(doc, "version", ver);
    *json = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    return *json ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
}

char *vigil__dup_text(const unsigned char *s)
{
    return s ? strdup((const char *)s) : NULL;
}

int vigil__meta_get(vigil_db *db, const char *key, char *out, size_t size)
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

int vigil__meta_set(vigil_db *db, const char *key, const char *value)
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

int vigil__db_exec(vigil_db *db, const char *sql, const char *what)
{
    return sqlite3_exec(db->sql, sql, NULL, NULL, NULL) == SQLITE_OK
               ? VIGIL_OK
               : vigil__db_sqlfail(db, what);
}

int vigil__db_begin(vigil_db *db)
{
    if (db->readonly)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "the database is open read-only");
    return vigil__db_exec(db, "BEGIN IMMEDIATE", "starting a transaction");
}

int vigil__db_finish(vigil_db *db, int rc)
{
    if (rc == VIGIL_OK)
        return vigil__db_exec(db, "COMMIT", "committing");
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int64_t vigil__db_count(vigil_db *db, const char *sql, int64_t a, int64_t b)
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

char *vigil__current_versions(vigil_db *db)
{
    vigil_list_version *vs = NULL;
    size_t n = 0;
    json_t *arr = json_array();
    if (vigil_versions(db, &vs, &n) == VIGIL_OK) {
        /* the current version of each source: the last one listed */
        for (size_t i = 0; i < n; i++) {
            int later = 0;
            for (size_t k = i + 1; k < n; k++)
                later |= strcmp(vs[k].source, vs[i].source) == 0;
            if (!later)
                json_array_append_new(arr,
                                      json_pack("{s:s,s:I,s:s,s:s}", "source", vs[i].source,
                                                "version", (json_int_t)vs[i].id, "published",
                                                vs[i].published, "sha256", vs[i].sha256));
        }
    }
    vigil_free(vs);
    char *s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

const char *vigil__db_path(vigil_db *db)
{
    return sqlite3_db_filename(db->sql, "main");
}
