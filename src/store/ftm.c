/*
 * ftm.c - an entity as yente answers it (FollowTheMoney's form, yente's
 * EntityResponse): the properties from the document (src/model/ftm.c), and
 * what only the store knows: when the entity was first and last seen in its
 * list's versions and when it last changed, and its referents, the other
 * lists' entries of the same designation (linked by UN reference numbers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* The text of the single row sql gives (?1, ?2, ?3 bound), or NULL. */
static json_t *one_text(vigil_db *db, const char *sql, const char *a, const char *b,
                        const char *c)
{
    sqlite3_stmt *st = NULL;
    json_t *out = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    const char *args[] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (args[i])
            sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = json_string((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* The entries of the current versions whose UN references include ref, as
 * "source:source_id", into arr (not self). */
static void linked(vigil_db *db, const char *ref, const char *self, json_t *arr)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT DISTINCT v.source || ':' || ve.source_id FROM version_entity "
            "ve JOIN list_version v ON v.id = ve.version_id JOIN entity_doc d ON "
            "d.id = ve.doc_id, json_each(d.doc, '$.un_references') r WHERE "
            "ve.version_id IN (SELECT max(id) FROM list_version GROUP BY source) "
            "AND r.value = ?1",
            -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        size_t i;
        json_t *v;
        int have = strcmp(id, self) == 0;
        json_array_foreach(arr, i, v) have |= strcmp(json_string_value(v), id) == 0;
        if (!have)
            json_array_append_new(arr, json_string(id));
    }
    sqlite3_finalize(st);
}

json_t *vigil__ftm_entity(vigil_db *db, json_t *doc, int with_referents)
{
    const char *source = json_string_value(json_object_get(doc, "source"));
    const char *sid = json_string_value(json_object_get(doc, "source_id"));
    if (!source || !sid)
        return NULL;
    char id[256];
    snprintf(id, sizeof(id), "%s:%s", source, sid);
    json_t *referents = json_array();
    size_t i;
    json_t *v;
    if (strcmp(source, "un") == 0) {
        if (with_referents)
            linked(db, sid, id, referents);
    } else
        json_array_foreach(json_object_get(doc, "un_references"), i, v)
        {
            char un[128];
            snprintf(un, sizeof(un), "un:%s", json_string_value(v));
            json_array_append_new(referents, json_string(un));
            if (with_referents)
                linked(db, json_string_value(v), id, referents);
        }
    static const char *const seen =
        "SELECT %s(v.loaded_at) FROM version_entity ve JOIN list_version v ON v.id = "
        "ve.version_id WHERE v.source = ?1 AND ve.source_id = ?2";
    char sql[512];
    snprintf(sql, sizeof(sql), seen, "min");
    json_t *first = one_text(db, sql, source, sid, NULL);
    snprintf(sql, sizeof(sql), seen, "max");
    json_t *last = one_text(db, sql, source, sid, NULL);
    /* when the entry took the content it has now */
    json_t *change = one_text(
        db,
        "SELECT min(v.loaded_at) FROM version_entity ve JOIN list_version v ON v.id = "
        "ve.version_id WHERE v.source = ?1 AND ve.source_id = ?2 AND ve.doc_id = (SELECT "
        "ve2.doc_id FROM version_entity ve2 JOIN list_version v2 ON v2.id = ve2.version_id "
        "WHERE v2.source = ?1 AND ve2.source_id = ?2 ORDER BY v2.id DESC LIMIT 1)",
        source, sid, NULL);
    return json_pack("{s:s,s:s,s:s,s:o,s:[s],s:o,s:b,s:o,s:o,s:o}", "id", id, "caption",
                     vigil__ftm_caption(doc), "schema",
                     json_string_value(json_object_get(doc, "schema")), "properties",
                     vigil__ftm_properties(doc), "datasets", source, "referents", referents,
                     "target", 1, "first_seen", first ? first : json_null(), "last_seen",
                     last ? last : json_null(), "last_change", change ? change : json_null());
}

int vigil_entity_ftm_json(vigil_db *db, const char *source, const char *source_id, char **json)
{
    *json = NULL;
    char *mine = NULL;
    int rc = vigil_entity_json(db, source, source_id, 0, &mine);
    if (rc != VIGIL_OK)
        return rc;
    json_t *doc = json_loads(mine, 0, NULL);
    vigil_free(mine);
    json_t *ftm = doc ? vigil__ftm_entity(db, doc, 1) : NULL;
    if (ftm) { /* vigil's own fields beside yente's, under names yente does not use */
        const char *key;
        json_t *v;
        json_object_foreach(doc, key, v) if (!json_object_get(ftm, key))
            json_object_set(ftm, key, v);
    }
    json_decref(doc);
    return vigil__dump_json(db, ftm, json);
}

struct vigil_entity_reader {
    vigil_db *db;
    sqlite3_stmt *st;
};

int vigil_entity_reader_open(vigil_db *db, vigil_entity_reader **out)
{
    *out = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    vigil_entity_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    r->db = db;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT d.doc FROM version_entity ve JOIN entity_doc d ON d.id = "
                           "ve.doc_id WHERE ve.version_id = (SELECT max(id) FROM list_version "
                           "WHERE source = ?1) AND ve.source_id = ?2",
                           -1, &r->st, NULL) != SQLITE_OK) {
        free(r);
        return vigil__db_sqlfail(db, "reading entities");
    }
    *out = r;
    return VIGIL_OK;
}

int vigil_entity_reader_ftm(vigil_entity_reader *r, const char *source, const char *source_id,
                            char **json)
{
    *json = NULL;
    if (!r || !source || !source_id)
        return VIGIL_ERR_ARG;
    sqlite3_bind_text(r->st, 1, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->st, 2, source_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(r->st);
    json_t *doc = rc == SQLITE_ROW
                      ? json_loads((const char *)sqlite3_column_text(r->st, 0), 0, NULL)
                      : NULL;
    sqlite3_reset(r->st);
    if (!doc)
        return rc == SQLITE_ROW || rc == SQLITE_DONE
                   ? VIGIL_ERR_NOTFOUND
                   : vigil__db_sqlfail(r->db, "reading an entity");
    json_t *ftm = json_pack("{s:s,s:o,s:[s],s:o,s:b}", "caption", vigil__ftm_caption(doc),
                            "properties", vigil__ftm_properties(doc), "datasets", source,
                            "referents", json_array(), "target", 1);
    size_t i;
    json_t *v;
    if (ftm && strcmp(source, "un") != 0)
        json_array_foreach(json_object_get(doc, "un_references"), i, v)
        {
            char un[128];
            snprintf(un, sizeof(un), "un:%s", json_string_value(v));
            json_array_append_new(json_object_get(ftm, "referents"), json_string(un));
        }
    json_decref(doc);
    return vigil__dump_json(r->db, ftm, json);
}

void vigil_entity_reader_close(vigil_entity_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->st);
    free(r);
}

int vigil_entities_page(vigil_db *db, const char *sources, const char *schema, int limit,
                        int offset, char **json)
{
    *json = NULL;
    if (!db || !sources || limit < 1 || offset < 0)
        return VIGIL_ERR_ARG;
    static const char *const from =
        " FROM version_entity ve JOIN list_version v ON v.id = ve.version_id JOIN entity_doc d "
        "ON d.id = ve.doc_id WHERE ve.version_id IN (SELECT max(id) FROM list_version GROUP BY "
        "source) AND instr(',' || ?1 || ',', ',' || v.source || ',') > 0 AND (?2 IS NULL OR "
        "d.schema = ?2)";
    char sql[1024];
    sqlite3_stmt *cnt = NULL, *st = NULL;
    snprintf(sql, sizeof(sql), "SELECT count(*)%s", from);
    int ok = sqlite3_prepare_v2(db->sql, sql, -1, &cnt, NULL) == SQLITE_OK;
    snprintf(sql, sizeof(sql),
             "SELECT d.doc%s ORDER BY v.source, ve.source_id LIMIT %d OFFSET %d", from, limit,
             offset);
    ok = ok && sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK;
    if (!ok) {
        sqlite3_finalize(cnt);
        return vigil__db_sqlfail(db, "listing entities");
    }
    sqlite3_stmt *both[] = {cnt, st};
    for (int i = 0; i < 2; i++) {
        sqlite3_bind_text(both[i], 1, sources, -1, SQLITE_STATIC);
        if (schema)
            sqlite3_bind_text(both[i], 2, schema, -1, SQLITE_STATIC);
    }
    json_int_t total = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
    sqlite3_finalize(cnt);
    json_t *results = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        json_t *e = doc ? vigil__ftm_entity(db, doc, 0) : NULL;
        if (e)
            json_array_append_new(results, e);
        json_decref(doc);
    }
    sqlite3_finalize(st);
    return vigil__dump_json(db, json_pack("{s:I,s:o}", "total", total, "results", results),
                            json);
}
