/*
 * test_lists.c - every real list file in ../shared/lists loaded for real:
 * exact counts, and known entities checked field by field.
 */
#include <stdlib.h>

#include "test.h"

static json_t *name_of(json_t *e, const char *name)
{
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(e, "names"), i, n)
    {
        if (strcmp(json_string_value(json_object_get(n, "name")), name) == 0)
            return n;
    }
    test_fail(__FILE__, __LINE__, "no name \"%s\" in %s", name,
              json_string_value(json_object_get(e, "source_id")));
    return NULL;
}

static const char *kind_of(json_t *e, const char *name)
{
    return json_string_value(json_object_get(name_of(e, name), "kind"));
}

static vigil_list_version only_version(vigil_db *db)
{
    vigil_list_version *vs = NULL, v;
    size_t n = 0;
    memset(&v, 0, sizeof(v));
    CHECK_INT(vigil_versions(db, &vs, &n), VIGIL_OK);
    CHECK_INT(n, 1);
    if (n >= 1)
        v = vs[n - 1];
    vigil_free(vs);
    return v;
}

void test_un_counts_and_qdi276(void)
{
    char *path;
    const char *files[] = {shared_path("lists/un/un-consolidated-2026-02-27.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_STR(v.source, "un");
    CHECK_STR(v.format, "un-sc-xml");
    CHECK_STR(v.published, "2026-02-27");
    CHECK_INT(v.persons, 730);
    CHECK_INT(v.organizations, 273);
    CHECK_INT(v.entities, 1003);
    json_t *e = entity(db, "un", "QDi.276");
    CHECK_STR(json_string_value(json_object_get(e, "schema")), "Person");
    CHECK_STR(kind_of(e, "AKRAM TURKI HISHAN AL-MAZIDIH"), "primary");
    CHECK_STR(kind_of(e, "أكرم تركي هاشم المزيده"), "original_script");
    CHECK_STR(
        json_string_value(json_object_get(name_of(e, "أكرم تركي هاشم المزيده"), "script")),
        "Arabic");
    CHECK_STR(kind_of(e, "Abu Jarrah"), "weak_alias");
    CHECK_STR(kind_of(e, "Akram Turki Al-Hishan"), "alias");
    CHECK(has_object(e, "birth_dates", "date", "1974"));
    CHECK(has_object(e, "birth_dates", "date", "1975"));
    CHECK(has_string(e, "programmes", "Al-Qaida"));
    CHECK_STR(json_string_value(json_object_get(e, "listed_on")), "2010-03-11");
    CHECK(has_string(e, "countries", "SY"));
    CHECK(has_string(e, "countries", "IQ"));
    CHECK_INT(json_integer_value(json_object_get(json_object_get(e, "version"), "id")), v.id);
    json_decref(e);
    /* an entity: no gender, no birth date, organisation schema */
    e = entity(db, "un", "QDe.115");
    CHECK_STR(json_string_value(json_object_get(e, "schema")), "Organization");
    CHECK(json_array_size(json_object_get(e, "names")) > 5);
    json_decref(e);
    /* a BETWEEN date of birth keeps its range */
    e = entity(db, "un", "CDi.001");
    CHECK(has_string(e, "nationalities", "CD"));
    CHECK(has_object(e, "birth_dates", "date", "1971"));
    CHECK_STR(json_string_value(json_object_get(e, "gender")), "male");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_eu_full_counts_and_bastrykin(void)
{
    char *path;
    const char *files[] = {shared_path("lists/eu/eu-fsf-rebuilt-2026-08-14.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 8017);
    CHECK_INT(v.persons + v.organizations, 8017);
    CHECK_STR(v.published, "2026-08-14");
    json_t *e = entity(db, "eu", "14980080");
    CHECK_STR(kind_of(e, "Alexander (Alexandr) Ivanovich BASTRYKIN"), "primary");
    /* the real list writes two Latin "a" inside the Cyrillic name; kept as is */
    json_t *cy = name_of(e, "Алексaндр Ивaнович БАСТРЫКИН");
    CHECK_STR(json_string_value(json_object_get(cy, "script")), "Cyrillic");
    CHECK_STR(json_string_value(json_object_get(cy, "lang")), "ru");
    CHECK(has_object(e, "birth_dates", "date", "1953-08-27"));
    CHECK(has_string(e, "nationalities", "RU"));
    CHECK(has_string(e, "programmes", "HR"));
    CHECK(has_string(e, "legal_basis", "2020/1998"));
    CHECK_STR(json_string_value(json_object_get(e, "gender")), "male");
    CHECK_STR(json_string_value(json_object_get(e, "listed_on")), "2021-03-02");
    CHECK(has_object(e, "identifiers", "number", "782618375392"));
    CHECK(has_string(e, "positions",
                     "Chairman of the Investigative Committee of the Russian Federation"));
    CHECK_CONTAINS(json_string_value(json_array_get(json_object_get(e, "remarks"), 0)),
                   "Navalny");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_eu_fragment_putin(void)
{
    char *path;
    const char *files[] = {shared_path("lists/eu/eu-fsf-official-fragment-putin.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    json_t *e = entity(db, "eu", "135909");
    CHECK_STR(kind_of(e, "Vladimir Vladimirovitj PUTIN"), "primary");
    CHECK_STR(
        json_string_value(json_object_get(name_of(e, "Vladimir Vladimirovitj PUTIN"), "lang")),
        "sv");
    CHECK_STR(kind_of(e, "Vladimir Vladimirovich PUTIN"), "alias");
    CHECK(has_object(e, "birth_dates", "date", "1952-10-07"));
    CHECK(has_object(e, "birth_places", "country", "RU"));
    CHECK(has_string(e, "programmes", "UKR"));
    CHECK(has_string(e, "positions", "President of the Russian Federation"));
    CHECK_STR(json_string_value(json_object_get(e, "listed_on")), "2022-02-25");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_eu_sample_strict_refused(void)
{
    char *path = temp_db_path();
    vigil_db *db = NULL;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    const char *files[] = {shared_path("lists/eu/eu-fsf-official-sample-2026-08-05.xml")};
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), VIGIL_ERR_FORMAT);
    /* the synthetic nameless entity starts on line 181 */
    CHECK_CONTAINS(vigil_errmsg(db), "eu-fsf-official-sample-2026-08-05.xml:181:");
    CHECK_CONTAINS(vigil_errmsg(db), "without a name");
    long long versions, rows;
    db_counts(db, &versions, &rows);
    CHECK_INT(versions, 0);
    vigil_db_close(db);
    remove_db(path);
}

void test_eu_sample_lenient(void)
{
    char *path;
    const char *files[] = {shared_path("lists/eu/eu-fsf-official-sample-2026-08-05.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 1);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 4);
    CHECK_INT(v.skipped, 1);
    CHECK_STR(v.published, "2026-08-05");
    json_t *e = entity(db, "eu", "13");
    CHECK_STR(kind_of(e, "Saddam Hussein Al-Tikriti"), "primary");
    CHECK_STR(json_string_value(json_object_get(name_of(e, "Abou Ali"), "lang")), "fr");
    CHECK(has_object(e, "birth_dates", "date", "1937-04-28"));
    CHECK(has_object(e, "birth_places", "place", "al-Awja, near Tikrit"));
    CHECK(has_string(e, "nationalities", "IQ"));
    CHECK_STR(json_string_value(json_object_get(e, "reference")), "EU.27.28");
    CHECK(has_string(e, "remarks", "UNSC RESOLUTION 1483"));
    json_decref(e);
    e = entity(db, "eu", "191");
    CHECK(has_object(e, "identifiers", "number", "488555"));
    CHECK(has_object(e, "identifiers", "type", "passport"));
    CHECK_INT(json_array_size(json_object_get(e, "birth_dates")), 2);
    CHECK(has_string(e, "programmes", "TERR"));
    json_decref(e);
    e = entity(db, "eu", "980");
    CHECK_STR(json_string_value(json_object_get(e, "schema")), "Organization");
    CHECK(has_object(e, "addresses", "address",
                     "9935 South 76th Avenue, Unit 1, 60455, Bridgeview, Illinois"));
    CHECK(has_object(e, "addresses", "country", "US"));
    json_decref(e);
    e = entity(db, "eu", "330");
    json_t *bg = name_of(e, "Организация за подпомагане на Ulema, Пакистан");
    CHECK_STR(json_string_value(json_object_get(bg, "lang")), "bg");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_uk_counts_and_name_types(void)
{
    char *path;
    const char *files[] = {shared_path("lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 6046);
    CHECK_INT(v.persons, 3883);
    CHECK_INT(v.organizations, 1531);
    CHECK_INT(v.vessels, 632);
    CHECK_STR(v.published, "2026-04-16");
    json_t *e = entity(db, "uk", "AFG0001");
    CHECK_STR(kind_of(e, "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE"), "primary");
    CHECK_STR(kind_of(e, "Haji Alim Hawala"), "alias");
    CHECK(has_string(e, "un_references", "TAe.010"));
    CHECK_STR(json_string_value(json_object_get(e, "listed_on")), "2012-06-29");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_uk_sample_details(void)
{
    char *path = temp_db_path();
    vigil_db *db = NULL;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    const char *files[] = {
        shared_path("lists/uk/uk-sanctions-list-official-sample-2026-08-14.xml")};
    /* strict: the synthetic designation without UniqueID is refused by line */
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), VIGIL_ERR_FORMAT);
    CHECK_CONTAINS(vigil_errmsg(db), "uk-sanctions-list-official-sample-2026-08-14.xml:353:");
    CHECK_CONTAINS(vigil_errmsg(db), "without an id");
    vigil_load_options lenient = {1, NULL, 0};
    CHECK_INT(vigil_load(db, files, 1, &lenient, NULL, NULL), VIGIL_OK);
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 4);
    CHECK_INT(v.skipped, 1);
    json_t *e = entity(db, "uk", "AFG0011");
    CHECK_STR(kind_of(e, "ABDUL LATIF MANSUR"), "primary");
    CHECK_STR(kind_of(e, "Abdul Latif MANSOOR"), "alias");
    CHECK_STR(kind_of(e, "عبد اللطيف منصور"), "original_script");
    /* "dd/mm/1968", and "12/11/1967" given twice: two dates */
    CHECK_INT(json_array_size(json_object_get(e, "birth_dates")), 2);
    CHECK(has_object(e, "birth_dates", "date", "1968"));
    CHECK(has_object(e, "birth_dates", "date", "1967-11-12"));
    CHECK(has_object(e, "identifiers", "number", "D0009720")); /* leading space gone */
    CHECK(has_string(e, "nationalities", "AF"));
    CHECK(has_string(e, "titles", "Maulavi"));
    CHECK(has_object(e, "addresses", "address", "Darul Aman, Kabul"));
    CHECK(has_object(e, "birth_places", "place", "Zurmat District, Paktia Province"));
    CHECK(has_string(e, "un_references", "TAi.007"));
    json_decref(e);
    e = entity(db, "uk", "AQD0128");
    CHECK_STR(kind_of(e, "AKRAM TURKI HISHAN AL-MAZIDIH"), "primary"); /* "Primary name" */
    CHECK_STR(kind_of(e, "Abu Akram"), "weak_alias");
    CHECK(has_object(e, "identifiers", "number", "0075258"));
    json_decref(e);
    e = entity(db, "uk", "AQD0377");
    CHECK_STR(json_string_value(json_object_get(e, "schema")), "Organization");
    json_decref(e);
    e = entity(db, "uk", "DPR0075");
    CHECK_STR(json_string_value(json_object_get(e, "schema")), "Vessel");
    CHECK_STR(json_string_value(json_object_get(e, "imo")), "9562233");
    CHECK_STR(json_string_value(json_object_get(e, "flag")), "Comoros");
    CHECK_STR(kind_of(e, "Petrel 8"), "primary");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_ofac_2022_counts_and_remarks(void)
{
    char *path;
    const char *files[] = {shared_path("lists/ofac/sdn-csv-2022-01")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 8976);
    CHECK_INT(v.persons, 4620);
    CHECK_INT(v.organizations, 3673);
    CHECK_INT(v.vessels, 406);
    CHECK_INT(v.airplanes, 277);
    CHECK_STR(v.format, "ofac-sdn-csv");
    CHECK_STR(v.published, ""); /* the CSV set carries no date */
    json_t *e = entity(db, "ofac", "28263");
    CHECK_STR(kind_of(e, "TIAN, Yinyin"), "primary");
    CHECK(has_object(e, "birth_dates", "date", "1986-07-12"));
    CHECK(has_string(e, "nationalities", "CN"));
    CHECK_STR(json_string_value(json_object_get(e, "gender")), "male");
    CHECK(has_object(e, "identifiers", "number", "321284198607120616"));
    /* this a.k.a. is cut in sdn.csv and finished in sdn_comments.csv */
    CHECK_STR(kind_of(e, "snowsjohn"), "weak_alias");
    CHECK(has_string(e, "programmes", "DPRK3"));
    CHECK(has_string(e, "programmes", "CYBER2"));
    CHECK(has_string(e, "linked_to", "LAZARUS GROUP"));
    json_decref(e);
    e = entity(db, "ofac", "30607");
    CHECK(has_object(e, "birth_dates", "date", "1971-05-03"));
    CHECK(has_object(e, "birth_places", "country", "KG"));
    CHECK(has_string(e, "nationalities", "KG"));
    CHECK(has_object(e, "identifiers", "number", "1340572"));
    json_decref(e);
    e = entity(db, "ofac", "306");
    CHECK_STR(kind_of(e, "BANCO NACIONAL DE CUBA"), "primary");
    CHECK_STR(kind_of(e, "NATIONAL BANK OF CUBA"), "alias");
    CHECK_STR(kind_of(e, "BNC"), "weak_alias");
    CHECK(has_object(e, "addresses", "country", "CH"));
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_ofac_csv_files_given_together(void)
{
    char *path;
    const char *files[] = {shared_path("lists/ofac/sdn-csv-2019-01/sdn.csv"),
                           shared_path("lists/ofac/sdn-csv-2019-01/alt.csv"),
                           shared_path("lists/ofac/sdn-csv-2019-01/add.csv"),
                           shared_path("lists/ofac/sdn-csv-2019-01/sdn_comments.csv")};
    vigil_db *db = load_fresh(&path, files, 4, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 7379);
    /* ten sdn_comments.csv rows name entries that are not in this sdn.csv */
    CHECK_INT(v.skipped, 10);
    CHECK_CONTAINS(v.files, "alt.csv");
    CHECK_CONTAINS(v.files, "sdn_comments.csv");
    vigil_db_close(db);
    remove_db(path);
    /* alt.csv alone cannot be read */
    path = temp_db_path();
    db = NULL;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    const char *alt[] = {shared_path("lists/ofac/sdn-csv-2019-01/alt.csv")};
    CHECK_INT(vigil_load(db, alt, 1, NULL, NULL, NULL), VIGIL_ERR_FORMAT);
    CHECK_CONTAINS(vigil_errmsg(db), "needs its sdn.csv");
    vigil_db_close(db);
    remove_db(path);
}

void test_ofac_xml_consolidated(void)
{
    char *path;
    const char *files[] = {
        shared_path("lists/ofac/consolidated-xml/non-sdn-consolidated-2024-06-05.xml")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 443);
    /* Publish_Date is month first: "05/06/2024" (the file's name says 06-05) */
    CHECK_STR(v.published, "2024-05-06");
    CHECK_STR(v.format, "ofac-sdn-xml");
    json_t *e = entity(db, "ofac", "9639");
    CHECK_STR(kind_of(e, "HANIYA, Ismail Abdul Salah"), "primary");
    CHECK_STR(kind_of(e, "HANIYYA, Ismaeel"), "alias");
    CHECK(has_object(e, "birth_dates", "date", "1962"));
    CHECK(has_string(e, "programmes", "NS-PLC"));
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_ofac_advanced_refused(void)
{
    char *path = temp_db_path();
    vigil_db *db = NULL;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    const char *files[] = {shared_path("lists/ofac/enhanced-xml/irgc-subset-2024-08-28.xml")};
    CHECK_INT(vigil_load(db, files, 1, NULL, NULL, NULL), VIGIL_ERR_FORMAT);
    CHECK_CONTAINS(vigil_errmsg(db), "advanced XML");
    vigil_db_close(db);
    remove_db(path);
}

void test_ftm_entities(void)
{
    char *path;
    const char *files[] = {shared_path("lists/ftm/zala.entities.ftm.json")};
    vigil_db *db = load_fresh(&path, files, 1, 0);
    if (!db)
        return;
    vigil_list_version v = only_version(db);
    CHECK_INT(v.entities, 17);
    CHECK_INT(v.persons, 6);
    json_t *e = entity(db, "ftm", "NK-2Tbri3s6GgNtAwsSXh4qpL");
    CHECK_STR(kind_of(e, "Maria Aleksandrovna Osetrova"), "primary");
    CHECK_STR(json_string_value(
                  json_object_get(name_of(e, "Захарова Мария Александровна"), "script")),
              "Cyrillic");
    CHECK(has_object(e, "birth_dates", "date", "1988-01-07"));
    CHECK(has_string(e, "nationalities", "RU"));
    CHECK(has_object(e, "identifiers", "number", "183116181362"));
    CHECK_STR(json_string_value(json_object_get(e, "gender")), "female");
    json_decref(e);
    vigil_db_close(db);
    remove_db(path);
}

void test_ftm_delta(void)
{
    char *path;
    const char *files[] = {shared_path("lists/ftm/zala.entities.ftm.json"),
                           shared_path("lists/ftm/entities.delta.json")};
    vigil_db *db = load_fresh(&path, files, 2, 0);
    if (!db)
        return;
    vigil_list_version *vs = NULL;
    size_t n = 0;
    CHECK_INT(vigil_versions(db, &vs, &n), VIGIL_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(vs[0].entities, 17);
        /* 17 kept, plus the delta's screenable ADD/MOD not deleted later */
        CHECK_INT(vs[1].entities, 593);
        CHECK_INT(vs[1].persons, 457);
    }
    vigil_free(vs);
    /* the first version still holds what it held */
    char *s = NULL;
    CHECK_INT(vigil_entity_json(db, "ftm", "NK-2Tbri3s6GgNtAwsSXh4qpL", 1, &s), VIGIL_OK);
    vigil_free(s);
    vigil_db_close(db);
    remove_db(path);
}
