/*
 * store.h - the database handle, shared by the store's files.
 */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <sqlite3.h>

#include "../internal.h"

struct vigil_db {
    sqlite3 *sql;
    int readonly;
    char errmsg[1024];
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

#endif
