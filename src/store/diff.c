/*
 * diff.c - what changed in a list between two of its versions: entities
 * added, removed, and changed, with the fields that changed. The store keeps
 * each version as a map from source id to a content-addressed document, so
 * an entity changed exactly when its document did; only those documents are
 * read and compared, member by member. Design: docs/store.md, "Differences".
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* The version id of source, number `back` from the latest (0: the latest),
 * or 0. */
static int64_t nth_latest(vigil_db *db, const char *source, int back)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT id FROM list_version WHERE source = ? ORDER BY id DESC "
                           "LIMIT 1 OFFSET ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, back);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return id;
}

/* The version id as a JSON object of its row, or NULL when it is not a
 * version of source. */
static json_t *version_of(vigil_db *db, const char *source, int64_t id)
{
    sqlite3_stmt *st = NULL;
    json_t *o = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT " VIGIL__VERSION_COLS " FROM list_version WHERE id = ? AND "
                           "source = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            vigil_list_version v;
            vigil__version_row(st, 0, &v);
            o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)v.id, "format",
                          v.format, "published", v.published, "loaded_at", v.loaded_at,
                          "sha256", v.sha256, "entities", (json_int_t)v.entities);
        }
    }
    sqlite3_finalize(st);
    return o;
}

/* The first name of an entity document, for people reading the diff. */
static const char *caption(json_t *doc)
{
    const char *s = json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "names"), 0), "name"));
    return s ? s : "";
}

static int in_array(json_t *arr, json_t *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) if (json_equal(x, v)) return 1;
    return 0;
}

/* The members of two documents of one entity that differ: lists as the
 * values added and removed, anything else as old and new. */
static json_t *fields_changed(json_t *a, json_t *b)
{
    json_t *out = json_object();
    json_t *keys = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) json_object_set(keys, k, json_null());
    json_object_foreach(b, k, v) json_object_set(keys, k, json_null());
    json_object_foreach(keys, k, v)
    {
        json_t *x = json_object_get(a, k), *y = json_object_get(b, k);
        if (json_equal(x, y) || !strcmp(k, "source") || !strcmp(k, "source_id"))
            continue;
        if ((!x || json_is_array(x)) && (!y || json_is_array(y))) {
            json_t *add = json_array(), *del = json_array();
            size_t i;
            json_t *e;
            json_array_foreach(y, i, e) if (!x || !in_array(x, e)) json_array_append(add, e);
            json_array_foreach(x, i, e) if (!y || !in_array(y, e)) json_array_append(del, e);
            json_object_set_new(out, k, json_pack("{s:o,s:o}", "added", add, "removed", del));
        } else {
            json_object_set_new(
                out, k,
                json_pack("{s:O,s:O}", "old", x ? x : json_null(), "new", y ? y : json_null()));
        }
    }
    json_decref(keys);
    return out;
}

/* The documents of one version as an object: source id -> doc id. */
static int ids_of(vigil_db *db, int64_t version, json_t *map)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT source_id, doc_id FROM version_entity WHERE version_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading a version");
    sqlite3_bind_int64(st, 1, version);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(map, (const char *)sqlite3_column_text(st, 0),
                            json_integer(sqlite3_column_int64(st, 1)));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VIGIL_OK : vigil__db_sqlfail(db, "reading a version");
}

static json_t *doc_of(vigil_db *db, sqlite3_stmt *st, json_int_t id)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    json_t *d = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        d = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
    (void)db;
    return d;
}

int vigil_diff(vigil_db *db, const char *source, int64_t old_id, int64_t new_id, char **json)
{
    *json = NULL;
    if (!db || !source || (old_id && !new_id) || (!old_id && new_id))
        return VIGIL_ERR_ARG;
    if (!old_id) {
        new_id = nth_latest(db, source, 0);
        old_id = nth_latest(db, source, 1);
        if (!old_id)
            return vigil__db_fail(db, VIGIL_ERR_NOTFOUND,
                                  "%s has %s version: a difference needs two", source,
                                  new_id ? "one" : "no");
    }
    json_t *vo = version_of(db, source, old_id), *vn = version_of(db, source, new_id);
    if (!vo || !vn) {
        json_decref(vo);
        json_decref(vn);
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no version %lld of %s",
                              (long long)(vo ? new_id : old_id), source);
    }
    json_t *a = json_object(), *b = json_object();
    int rc = ids_of(db, old_id, a);
    if (rc == VIGIL_OK)
        rc = ids_of(db, new_id, b);
    sqlite3_stmt *get = NULL;
    if (rc == VIGIL_OK && sqlite3_prepare_v2(db->sql, "SELECT doc FROM entity_doc WHERE id = ?",
                                             -1, &get, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "reading entities");
    json_t *added = json_array(), *removed = json_array(), *changed = json_array();
    const char *id;
    json_t *v;
    if (rc == VIGIL_OK) {
        json_object_foreach(b, id, v)
        {
            json_t *old = json_object_get(a, id);
            if (old && json_integer_value(old) == json_integer_value(v))
                continue;
            json_t *nd = doc_of(db, get, json_integer_value(v));
            if (!old) {
                json_array_append_new(added,
                                      json_pack("{s:s,s:s}", "id", id, "name", caption(nd)));
            } else {
                json_t *od = doc_of(db, get, json_integer_value(old));
                json_array_append_new(changed,
                                      json_pack("{s:s,s:s,s:o}", "id", id, "name", caption(nd),
                                                "fields", fields_changed(od, nd)));
                json_decref(od);
            }
            json_decref(nd);
        }
        json_object_foreach(a, id, v)
        {
            if (json_object_get(b, id))
                continue;
            json_t *od = doc_of(db, get, json_integer_value(v));
            json_array_append_new(removed,
                                  json_pack("{s:s,s:s}", "id", id, "name", caption(od)));
            json_decref(od);
        }
    }
    sqlite3_finalize(get);
    json_decref(a);
    json_decref(b);
    if (rc != VIGIL_OK) {
        json_decref(vo);
        json_decref(vn);
        json_decref(added);
        json_decref(removed);
        json_decref(changed);
        return rc;
    }
    json_t *out = json_pack(
        "{s:s,s:o,s:o,s:{s:I,s:I,s:I},s:o,s:o,s:o}", "source", source, "old", vo, "new", vn,
        "counts", "added", (json_int_t)json_array_size(added), "removed",
        (json_int_t)json_array_size(removed), "changed", (json_int_t)json_array_size(changed),
        "added", added, "removed", removed, "changed", changed);
    *json = out ? json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(out);
    return *json ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
}
