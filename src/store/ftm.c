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

/* A column as a JSON string, or NULL. */
static json_t *col_text(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? NULL
               : json_string((const char *)sqlite3_column_text(st, i));
}

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

/* The form of doc with its times given (each a string or NULL; taken). */
static json_t *ftm_form(vigil_db *db, json_t *doc, int with_referents, json_t *first,
                        json_t *last, json_t *change)
{
    const char *source = json_string_value(json_object_get(doc, "source"));
    const char *sid = json_string_value(json_object_get(doc, "source_id"));
    if (!source || !sid) {
        json_decref(first);
        json_decref(last);
        json_decref(change);
        return NULL;
    }
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
    json_t *props = vigil__ftm_properties(doc);
    if (with_referents) { /* the entity whole, as yente nests its designation */
        json_t *sanction = vigil__ftm_sanction(doc);
        json_t *times[3] = {first, last, change};
        static const char *const names[3] = {"first_seen", "last_seen", "last_change"};
        for (int t = 0; t < 3; t++) /* the designation is seen when its entry is */
            json_object_set_new(sanction, names[t],
                                times[t] ? json_copy(times[t]) : json_null());
        json_object_set_new(props, "sanctions", json_pack("[o]", sanction));
    }
    return json_pack("{s:s,s:s,s:s,s:o,s:[s],s:o,s:b,s:o,s:o,s:o}", "id", id, "caption",
                     vigil__ftm_caption(doc), "schema",
                     json_string_value(json_object_get(doc, "schema")), "properties", props,
                     "datasets", source, "referents", referents, "target", 1, "first_seen",
                     first ? first : json_null(), "last_seen", last ? last : json_null(),
                     "last_change", change ? change : json_null());
}

/* An entry's times, as SQL over its list's versions: the aggregate agg of
 * the load times of the versions of list src (an SQL expression) holding
 * the entry sid, and more conditions in extra, as a scalar subquery. First
 * seen is the min, last seen the max, last change the min over the
 * versions holding the document of the latest (the content it has now). */
#define SEEN(agg, src, sid, extra)                                                             \
    "(SELECT " agg "(v2.loaded_at) FROM version_entity ve2 JOIN list_version v2 ON v2.id = "   \
    "ve2.version_id WHERE v2.source = " src " AND ve2.source_id = " sid extra ")"
/* the same for one entry, ?1 the list and ?2 its id */
#define FIRST_SEEN_SQL "SELECT " SEEN("min", "?1", "?2", "")
#define LAST_SEEN_SQL "SELECT " SEEN("max", "?1", "?2", "")
/* the same three for the entry of the row ve of version v */
#define ROW_TIMES                                                                              \
    SEEN("min", "v.source", "ve.source_id", "")                                                \
    ", " SEEN("max", "v.source", "ve.source_id",                                               \
              "") ", " SEEN("min", "v.source", "ve.source_id", " AND ve2.doc_id = ve.doc_id")
#define CHANGE_SQL                                                                             \
    "SELECT " SEEN("min", "?1", "?2",                                                          \
                   " AND ve2.doc_id = (SELECT ve3.doc_id FROM version_entity ve3 JOIN "        \
                   "list_version v3 ON v3.id = ve3.version_id WHERE v3.source = ?1 AND "       \
                   "ve3.source_id = ?2 ORDER BY v3.id DESC LIMIT 1)")

json_t *vigil__ftm_entity(vigil_db *db, json_t *doc, int with_referents)
{
    const char *source = json_string_value(json_object_get(doc, "source"));
    const char *sid = json_string_value(json_object_get(doc, "source_id"));
    if (!source || !sid)
        return NULL;
    return ftm_form(db, doc, with_referents, one_text(db, FIRST_SEEN_SQL, source, sid, NULL),
                    one_text(db, LAST_SEEN_SQL, source, sid, NULL),
                    one_text(db, CHANGE_SQL, source, sid, NULL));
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
    sqlite3_stmt *st, *times[3]; /* the document; first seen, last seen, last change */
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
    const char *const times[3] = {FIRST_SEEN_SQL, LAST_SEEN_SQL, CHANGE_SQL};
    int ok =
        sqlite3_prepare_v2(db->sql,
                           "SELECT d.doc FROM version_entity ve JOIN entity_doc d ON d.id = "
                           "ve.doc_id WHERE ve.version_id = (SELECT max(id) FROM "
                           "list_version WHERE source = ?1) AND ve.source_id = ?2",
                           -1, &r->st, NULL) == SQLITE_OK;
    for (int i = 0; i < 3 && ok; i++)
        ok = sqlite3_prepare_v2(db->sql, times[i], -1, &r->times[i], NULL) == SQLITE_OK;
    if (!ok) {
        vigil_entity_reader_close(r);
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
    json_t *when[3];
    for (int t = 0; t < 3; t++) {
        sqlite3_bind_text(r->times[t], 1, source, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(r->times[t], 2, source_id, -1, SQLITE_TRANSIENT);
        when[t] = sqlite3_step(r->times[t]) == SQLITE_ROW ? col_text(r->times[t], 0) : NULL;
        sqlite3_reset(r->times[t]);
    }
    /* the form without the id and schema, which the caller writes first */
    json_t *ftm = ftm_form(r->db, doc, 0, when[0], when[1], when[2]);
    json_object_del(ftm, "id");
    json_object_del(ftm, "schema");
    json_decref(doc);
    return vigil__dump_json(r->db, ftm, json);
}

void vigil_entity_reader_close(vigil_entity_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->st);
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(r->times[i]);
    free(r);
}

int vigil_entities_each(vigil_db *db, const char *sources, const char *schema,
                        int (*fn)(void *ctx, const char *json), void *ctx)
{
    if (!db || !sources || !fn)
        return VIGIL_ERR_ARG;
    /* the times of every entry in one statement: SEEN correlated with the
     * row (ROW_TIMES; the current version's document is the latest) */
    static const char *const sql =
        "SELECT d.doc, " ROW_TIMES " FROM version_entity ve JOIN list_version v ON v.id = "
        "ve.version_id JOIN entity_doc d ON d.id = ve.doc_id WHERE ve.version_id IN (SELECT "
        "max(id) FROM list_version GROUP BY source) AND instr(',' || ?1 || ',', ',' || "
        "v.source || ',') > 0 AND (?2 IS NULL OR d.schema = ?2) ORDER BY v.source, "
        "ve.source_id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "listing entities");
    sqlite3_bind_text(st, 1, sources, -1, SQLITE_STATIC);
    if (schema)
        sqlite3_bind_text(st, 2, schema, -1, SQLITE_STATIC);
    int rc = VIGIL_OK, step = SQLITE_DONE, stop = 0;
    while (rc == VIGIL_OK && !stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        json_t *e =
            doc ? ftm_form(db, doc, 0, col_text(st, 1), col_text(st, 2), col_text(st, 3))
                : NULL;
        json_decref(doc);
        char *text = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(e);
        if (!text)
            rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
        else
            stop = fn(ctx, text);
        free(text);
    }
    if (rc == VIGIL_OK && !stop && step != SQLITE_DONE)
        rc = vigil__db_sqlfail(db, "listing entities");
    sqlite3_finalize(st);
    return rc;
}
