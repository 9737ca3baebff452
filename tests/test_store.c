/*
 * test_store.c - list versions, and bad input: every refusal names file,
 * line and reason, and leaves the database exactly as it was.
 */
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>
#include <time.h>

#include "test.h"

void test_same_content_no_new_version(void)
{
    char *path;
    const char *files[] = {shared_path("lists/un/un-consolidated-2026-02-27.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version *vs = NULL;
    size_t n = 0;
    CHECK_INT(vigil_load(db, files, 1, NULL, &vs, &n), VIGIL_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(vs[0].is_new, 0);
        CHECK_INT(vs[0].id, 1);
    }
    vigil_free(vs);
    long long versions, rows;
    db_counts(db, &versions, &rows);
    CHECK_INT(versions, 1);
    /* a copy of the same bytes under another name is the same content */
    char *data;
    size_t len;
    char msg[256];
    CHECK_INT(vigil__read_file(files[0], &data, &len, msg, sizeof(msg)), VIGIL_OK);
    char *copy = temp_file(".xml", data, len);
    free(data);
    const char *again[] = {copy};
    CHECK_INT(vigil_load(db, again, 1, NULL, &vs, &n), VIGIL_OK);
    CHECK_INT(n == 1 ? vs[0].is_new : -1, 0);
    vigil_free(vs);
    unlink(copy);
    free(copy);
    vigil_db_close(db);
    remove_db(path);
}

void test_versions_kept_and_current(void)
{
    char *path;
    const char *files[] = {shared_path("lists/ofac/sdn-csv-2019-01"),
                           shared_path("lists/ofac/sdn-csv-2022-01")};
    vigil_db *db = load_fresh(&path, files, 2, 0);
    if (!db)
        return;
    vigil_list_version *vs = NULL;
    size_t n = 0;
    CHECK_INT(vigil_versions(db, &vs, &n), VIGIL_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(vs[0].entities, 7379);
        CHECK_INT(vs[1].entities, 8976);
        CHECK_STR(vs[0].source, "ofac");
        CHECK(vs[1].id > vs[0].id);
    }
    vigil_free(vs);
    /* 30607 was designated after 2019: current version has it, the old not */
    char *s = NULL;
    CHECK_INT(vigil_entity_json(db, "ofac", "30607", 0, &s), VIGIL_OK);
    vigil_free(s);
    s = NULL;
    CHECK_INT(vigil_entity_json(db, "ofac", "30607", 1, &s), VIGIL_ERR_NOTFOUND);
    vigil_free(s);
    /* an entity unchanged between versions is stored once */
    json_t *a = NULL, *b = NULL;
    s = NULL;
    if (vigil_entity_json(db, "ofac", "36", 1, &s) == VIGIL_OK)
        a = json_loads(s, 0, NULL);
    vigil_free(s);
    s = NULL;
    if (vigil_entity_json(db, "ofac", "36", 2, &s) == VIGIL_OK)
        b = json_loads(s, 0, NULL);
    vigil_free(s);
    CHECK(a && b);
    if (a && b) {
        json_object_del(a, "version");
        json_object_del(b, "version");
        CHECK(json_equal(a, b));
    }
    json_decref(a);
    json_decref(b);
    vigil_db_close(db);
    remove_db(path);
}

/* Loads a temporary file with content data into a database holding the UN
 * list; checks that it fails with rc and a message containing want, and that
 * the database still holds exactly the UN version. */
static void refused(const char *suffix, const char *data, size_t len, int rc, const char *want)
{
    char *path;
    const char *un[] = {shared_path("lists/un/un-consolidated-2026-02-27.xml")};
    vigil_db *db = load_fresh(&path, un, 1, 0);
    if (!db)
        return;
    long long v0, r0, v1, r1;
    db_counts(db, &v0, &r0);
    char *file = temp_file(suffix, data, len);
    const char *files[] = {file};
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), rc);
    CHECK_CONTAINS(vigil_errmsg(db), file);
    CHECK_CONTAINS(vigil_errmsg(db), want);
    db_counts(db, &v1, &r1);
    CHECK_INT(v1, v0);
    CHECK_INT(r1, r0);
    unlink(file);
    free(file);
    vigil_db_close(db);
    remove_db(path);
}

void test_bad_malformed_xml(void)
{
    const char *x =
        "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n"
        "<INDIVIDUAL><REFERENCE_NUMBER>X</REFERENCE_NUMBER>\n"
        "<FIRST_NAME>A</SECOND_NAME>\n</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";
    refused(".xml", x, strlen(x), VIGIL_ERR_FORMAT, ":5: malformed XML");
}

void test_bad_truncated_file(void)
{
    char *data;
    size_t len;
    char msg[256];
    CHECK_INT(vigil__read_file(shared_path("lists/eu/eu-fsf-rebuilt-2026-08-14.xml"), &data,
                               &len, msg, sizeof(msg)),
              VIGIL_OK);
    if (len > 500000) {
        size_t cut = 500000;
        refused(".xml", data, cut, VIGIL_ERR_FORMAT, "malformed XML");
    }
    free(data);
    /* an OFAC sdn.csv cut inside a quoted field */
    const char *csv =
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
        ",-0- ,-0- \n173,\"ANGLO-CARIBBEAN CO";
    refused(".csv", csv, strlen(csv), VIGIL_ERR_FORMAT, ":2: malformed CSV");
}

void test_bad_unknown_format(void)
{
    const char *t = "This is not a sanctions list.\nJust text.\n";
    refused(".xml", t, strlen(t), VIGIL_ERR_FORMAT, ":1: unknown format");
    const char *x = "<?xml version=\"1.0\"?>\n<catalog><book/></catalog>\n";
    refused(".xml", x, strlen(x), VIGIL_ERR_FORMAT, "unknown format");
    refused(".xml", "", 0, VIGIL_ERR_FORMAT, "unknown format");
    /* an internal DTD is refused as such, entities or not */
    const char *dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n"
                      "<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;\">\n]>\n"
                      "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>\n";
    refused(".xml", dtd, strlen(dtd), VIGIL_ERR_FORMAT, "an internal DTD");
}

void test_bad_invalid_utf8(void)
{
    const char *x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Designations>\n<Designation>\n"
        "<UniqueID>X1</UniqueID>\n<Names><Name><Name6>M\xFF\xFEller</Name6>"
        "<NameType>Primary Name</NameType></Name></Names>\n</Designation>\n"
        "</Designations>\n";
    refused(".xml", x, strlen(x), VIGIL_ERR_FORMAT, ":5: malformed XML");
    const char *c =
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
        ",-0- ,-0- \n173,\"ANGLO\xC3\x28 CO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- "
        ",-0- ,-0- ,-0- \n";
    refused(".csv", c, strlen(c), VIGIL_ERR_FORMAT, ":2: invalid UTF-8");
    const char *j = "{\"id\": \"a\", \"schema\": \"Person\", \"caption\": \"ok\"}\n"
                    "{\"id\": \"b\", \"schema\": \"Person\", \"caption\": \"\xC3\x28\"}\n";
    refused(".json", j, strlen(j), VIGIL_ERR_FORMAT, ":2: malformed JSON");
}

void test_bad_entity_without_name(void)
{
    const char *x =
        "<?xml version=\"1.0\"?>\n<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\">\n"
        "<sanctionEntity logicalId=\"1\"><subjectType code=\"person\"/>\n"
        "<nameAlias wholeName=\"Ok Name\" strong=\"true\"/></sanctionEntity>\n"
        "<sanctionEntity logicalId=\"2\"><subjectType code=\"person\"/>\n"
        "<nameAlias wholeName=\"\" firstName=\"\" strong=\"true\"/></sanctionEntity>\n"
        "</export>\n";
    refused(".xml", x, strlen(x), VIGIL_ERR_FORMAT, ":5: record without a name");
}

void test_bad_huge_field(void)
{
    size_t big = 10u << 20; /* 10 MB */
    const char *head = "<?xml version=\"1.0\"?>\n<Designations>\n<Designation>\n"
                       "<UniqueID>X1</UniqueID>\n<OtherInformation>";
    const char *tail = "</OtherInformation><Names><Name><Name6>A</Name6></Name></Names>"
                       "</Designation>\n</Designations>\n";
    size_t n = strlen(head) + big + strlen(tail);
    char *x = malloc(n);
    memcpy(x, head, strlen(head));
    memset(x + strlen(head), 'a', big);
    memcpy(x + strlen(head) + big, tail, strlen(tail));
    refused(".xml", x, n, VIGIL_ERR_FORMAT, "huge text node"); /* libxml2's own bound */
    /* 1 MB: under libxml2's bound, over ours */
    size_t mb = 1u << 20;
    memcpy(x + strlen(head) + mb, tail, strlen(tail));
    refused(".xml", x, strlen(head) + mb + strlen(tail), VIGIL_ERR_FORMAT,
            ":3: field <OtherInformation> longer than");
    /* the same in a CSV remark */
    const char *chead =
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
        ",-0- ,\"";
    n = strlen(chead) + big + 2;
    char *c = realloc(x, n);
    memcpy(c, chead, strlen(chead));
    memset(c + strlen(chead), 'a', big);
    memcpy(c + strlen(chead) + big, "\"\n", 2);
    refused(".csv", c, n, VIGIL_ERR_FORMAT, ":1:");
    free(c);
}

void test_bad_csv_rows(void)
{
    const char *c = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
                    ",-0- ,-0- \n37,\"SHORT ROW\",-0- \n";
    /* a 3-field row in an sdn.csv */
    refused(".csv", c, strlen(c), VIGIL_ERR_FORMAT, ":2: 3 fields, expected 12");
    const char *d = "36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
                    "x7,\"B\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    refused(".csv", d, strlen(d), VIGIL_ERR_FORMAT, ":2: ent_num \"x7\" is not a number");
    /* a NUL inside a name would cut it ("AL ZAWAHIRI," for "AL ZAWAHIRI, Dr. Ayman") */
    static const char z[] =
        "36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
        "6366,\"AL ZAWAHIRI,\0 Dr. Ayman\",individual,\"SDGT\",-0- ,-0- ,-0- ,"
        "-0- ,-0- ,-0- ,-0- ,-0- \n";
    refused(".csv", z, sizeof(z) - 1, VIGIL_ERR_FORMAT, ":2: a NUL byte inside field 2");
}

void test_bad_json_lines(void)
{
    const char *j = "{\"id\": \"a\", \"schema\": \"Person\", \"caption\": \"Ok\"}\n"
                    "{\"id\": \"b\", \"schema\": \"Person\", \"caption\": \"Cut\n";
    refused(".json", j, strlen(j), VIGIL_ERR_FORMAT, ":2: malformed JSON");
    const char *k = "{\"id\": \"a\", \"schema\": \"Person\", \"caption\": \"Ok\"}\n"
                    "{\"op\": \"DEL\", \"entity\": {\"id\": \"a\"}}\n";
    refused(".json", k, strlen(k), VIGIL_ERR_FORMAT, ":2: a delta operation among entities");
    const char *m = "{\"id\": \"a\", \"caption\": \"No schema\"}\n";
    refused(".json", m, strlen(m), VIGIL_ERR_FORMAT, ":1: entity a without a schema");
}

void test_bad_input_keeps_database(void)
{
    /* a good file and a broken one in one load: neither is kept */
    char *path;
    const char *un[] = {shared_path("lists/un/un-consolidated-2026-02-27.xml")};
    vigil_db *db = load_fresh(&path, un, 1, 0);
    if (!db)
        return;
    const char *bad = "<Designations><Designation><UniqueID>X</UniqueID></Designation>";
    char *file = temp_file(".xml", bad, strlen(bad));
    const char *files[] = {shared_path("lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml"),
                           file};
    CHECK_INT(vigil_load(db, files, 2, NULL, NULL, NULL), VIGIL_ERR_FORMAT);
    long long versions, rows;
    db_counts(db, &versions, &rows);
    CHECK_INT(versions, 1);
    CHECK_INT(rows, 1003);
    char *s = NULL;
    CHECK_INT(vigil_entity_json(db, "uk", "AFG0001", 0, &s), VIGIL_ERR_NOTFOUND);
    vigil_free(s);
    /* the database still works: the UK list alone loads */
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), VIGIL_OK);
    db_counts(db, &versions, &rows);
    CHECK_INT(versions, 2);
    unlink(file);
    free(file);
    vigil_db_close(db);
    remove_db(path);
    /* a missing file */
    path = temp_db_path();
    db = NULL;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    const char *missing[] = {"/nonexistent/list.xml"};
    CHECK_INT(vigil_load(db, missing, 1, NULL, NULL, NULL), VIGIL_ERR_IO);
    CHECK_CONTAINS(vigil_errmsg(db), "/nonexistent/list.xml");
    vigil_db_close(db);
    remove_db(path);
}

void test_not_a_vigil_database(void)
{
    const char *junk = "this is not a database, just some bytes that are long enough.....";
    char *file = temp_file(".db", junk, strlen(junk));
    vigil_db *db = NULL;
    CHECK(vigil_db_open(file, 0, &db) != VIGIL_OK);
    CHECK_CONTAINS(vigil_errmsg(db), "not a");
    vigil_db_close(db);
    db = NULL;
    CHECK(vigil_db_open(file, VIGIL_OPEN_READONLY, &db) != VIGIL_OK);
    vigil_db_close(db);
    unlink(file);
    free(file);
    db = NULL;
    CHECK(vigil_db_open("/nonexistent/dir/x.db", VIGIL_OPEN_READONLY, &db) != VIGIL_OK);
    CHECK_CONTAINS(vigil_errmsg(db), "/nonexistent/dir/x.db");
    vigil_db_close(db);
    vigil_db_close(NULL); /* a no-op */
}

void test_show_missing_entity(void)
{
    char *path;
    const char *un[] = {shared_path("lists/un/un-consolidated-2026-02-27.xml")};
    vigil_db *db = load_fresh(&path, un, 1, 0);
    if (!db)
        return;
    char *s = NULL;
    CHECK_INT(vigil_entity_json(db, "un", "QDi.999999", 0, &s), VIGIL_ERR_NOTFOUND);
    CHECK(s == NULL);
    CHECK_INT(vigil_entity_json(db, "eu", "1", 0, &s), VIGIL_ERR_NOTFOUND);
    CHECK_CONTAINS(vigil_errmsg(db), "no version of list \"eu\"");
    vigil_db_close(db);
    remove_db(path);
}

/* 1 when the array arr holds an object whose field is s. */
static int has_member(json_t *arr, const char *field, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *v = json_string_value(json_object_get(e, field));
        if (v && !strcmp(v, s))
            return 1;
    }
    return 0;
}

/* The two real OFAC versions (2019-01, 2022-01): entities added and removed
 * (counted apart from the sdn.csv files' ent_num columns: 1,858 and 261),
 * changed (843), and what changed for two of them. */
void test_diff_ofac_versions(void)
{
    char *path;
    const char *files[] = {shared_path("lists/ofac/sdn-csv-2019-01"),
                           shared_path("lists/ofac/sdn-csv-2022-01")};
    vigil_db *db = load_fresh(&path, files, 2, 0);
    if (!db)
        return;
    char *s = NULL;
    CHECK_INT(vigil_diff(db, "ofac", 0, 0, &s), VIGIL_OK);
    json_t *d = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    json_t *c = json_object_get(d, "counts");
    CHECK_INT(json_integer_value(json_object_get(c, "added")), 1858);
    CHECK_INT(json_integer_value(json_object_get(c, "removed")), 261);
    CHECK_INT(json_integer_value(json_object_get(c, "changed")), 843);
    CHECK_INT(json_array_size(json_object_get(d, "added")), 1858);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(d, "old"), "entities")), 7379);
    /* 30607 was designated after 2019 */
    CHECK(has_member(json_object_get(d, "added"), "id", "30607"));
    /* 906: Havana International Bank renamed HAVIN BANK LIMITED */
    json_t *bank = NULL, *abbas = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(d, "changed"), i, e)
    {
        const char *id = json_string_value(json_object_get(e, "id"));
        if (!strcmp(id, "906"))
            bank = e;
        if (!strcmp(id, "2674"))
            abbas = e;
    }
    json_t *names = json_object_get(json_object_get(bank, "fields"), "names");
    CHECK(has_member(json_object_get(names, "added"), "name", "HAVIN BANK LIMITED"));
    CHECK(has_member(json_object_get(names, "removed"), "name",
                     "HAVANA INTERNATIONAL BANK, LTD."));
    /* 2674 (Abu Abbas): programme SDT became SDGT, nothing else */
    json_t *f = json_object_get(abbas, "fields");
    CHECK_INT(json_object_size(f), 1);
    json_t *prog = json_object_get(f, "programmes");
    CHECK_STR(json_string_value(json_array_get(json_object_get(prog, "added"), 0)), "SDGT");
    CHECK_STR(json_string_value(json_array_get(json_object_get(prog, "removed"), 0)), "SDT");
    json_decref(d);
    /* versions named, the other way round, and wrong ones */
    CHECK_INT(vigil_diff(db, "ofac", 2, 1, &s), VIGIL_OK);
    d = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(d, "counts"), "added")), 261);
    json_decref(d);
    CHECK_INT(vigil_diff(db, "ofac", 1, 99, &s), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_diff(db, "eu", 0, 0, &s), VIGIL_ERR_NOTFOUND);
    CHECK_CONTAINS(vigil_errmsg(db), "a difference needs two");
    vigil_db_close(db);
    remove_db(path);
}

static int told_waited;
static void note_wait(void *ctx, int waited)
{
    (void)ctx;
    told_waited = waited;
}

/* A write waits for another process's write lock as long as it is told,
 * saying how long it has waited, then fails with a reason; opening an
 * existing database takes no lock at all. */
void test_wait_for_write_lock(void)
{
    char *path = temp_db_path();
    vigil_db *db;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    vigil_db_close(db);
    sqlite3 *other;
    CHECK_INT(sqlite3_open(path, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other,
                           "BEGIN IMMEDIATE; INSERT OR REPLACE INTO meta(key, value) "
                           "VALUES('held', 'yes')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK); /* while the lock is held */
    CHECK_INT(vigil_db_wait_for_lock(db, 2, note_wait, NULL), VIGIL_OK);
    CHECK_INT(vigil_db_wait_for_lock(NULL, 2, NULL, NULL), VIGIL_ERR_ARG);
    static const char ftm[] =
        "{\"id\":\"w1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Test Person\"]}}\n";
    char *file = temp_file(".json", ftm, sizeof(ftm) - 1);
    const char *files[] = {file};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    told_waited = 0;
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), VIGIL_ERR_DB);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(waited >= 1.9 && waited < 10);
    CHECK_INT(told_waited, 1);
    CHECK_CONTAINS(vigil_errmsg(db), "locked");
    /* once the lock is let go, the same load goes through */
    CHECK_INT(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), VIGIL_OK);
    sqlite3_close(other);
    vigil_db_close(db);
    unlink(file);
    free(file);
    remove_db(path);
}

/* vigil_entities_each: every entity of the current versions in
 * FollowTheMoney's form with its times, one schema, and stopping early;
 * vigil_entity_ftm_json nests the entity's designation. */
typedef struct {
    int n, persons, timed, stop_at;
} each_count;

static int count_each(void *ctx, const char *json)
{
    each_count *c = ctx;
    json_t *e = json_loads(json, 0, NULL);
    c->n++;
    c->persons += e && strcmp(json_string_value(json_object_get(e, "schema")), "Person") == 0;
    c->timed += e && json_is_string(json_object_get(e, "first_seen")) &&
                json_is_string(json_object_get(e, "last_change")) &&
                json_is_object(json_object_get(e, "properties"));
    json_decref(e);
    return c->stop_at && c->n == c->stop_at;
}

void test_store_entities_each(void)
{
    char *path;
    const char *un[] = {shared_path("lists/un/un-consolidated-2026-02-27.xml")};
    vigil_db *db = load_fresh(&path, un, 1, 0);
    if (!db)
        return;
    each_count all = {0}, persons = {0}, some = {.stop_at = 5}, none = {0};
    CHECK_INT(vigil_entities_each(db, "un", NULL, count_each, &all), VIGIL_OK);
    CHECK_INT(all.n, 1003);
    CHECK_INT(all.timed, 1003);
    CHECK_INT(vigil_entities_each(db, "un", "Person", count_each, &persons), VIGIL_OK);
    CHECK_INT(persons.n, all.persons);
    CHECK_INT(persons.persons, persons.n);
    CHECK_INT(vigil_entities_each(db, "un", NULL, count_each, &some), VIGIL_OK);
    CHECK_INT(some.n, 5);
    CHECK_INT(vigil_entities_each(db, "eu", NULL, count_each, &none), VIGIL_OK);
    CHECK_INT(none.n, 0);
    CHECK_INT(vigil_entities_each(db, NULL, NULL, count_each, &none), VIGIL_ERR_ARG);
    char *json = NULL;
    CHECK_INT(vigil_entity_ftm_json(db, "un", "QDi.276", &json), VIGIL_OK);
    json_t *e = json ? json_loads(json, 0, NULL) : NULL;
    json_t *s =
        json_array_get(json_object_get(json_object_get(e, "properties"), "sanctions"), 0);
    CHECK_STR(json_string_value(json_object_get(s, "schema")), "Sanction");
    CHECK_STR(json_string_value(json_object_get(s, "id")), "un:QDi.276:sanction");
    CHECK_STR(json_string_value(json_array_get(
                  json_object_get(json_object_get(s, "properties"), "authority"), 0)),
              "United Nations Security Council");
    json_decref(e);
    vigil_free(json);
    vigil_db_close(db);
    remove_db(path);
}
