/*
 * test_units.c - unit tests of the small pieces: text helpers, dates,
 * countries, identifier types, format detection. Dates and countries are
 * golden tables in tests/data/.
 */
#include <stdlib.h>

#include "test.h"

void test_squeeze(void)
{
    char a[] = "  Saddam \t Hussein\nAl-Tikriti  ";
    CHECK_STR(vigil__squeeze(a), "Saddam Hussein Al-Tikriti");
    char b[] = "\xC2\xA0Jal\xC2\xA0Vahini\xE2\x80\x83";
    CHECK_STR(vigil__squeeze(b), "Jal Vahini");
    char c[] = "   ";
    CHECK_STR(vigil__squeeze(c), "");
}

void test_utf8_valid(void)
{
    size_t bad = 99;
    CHECK(vigil__utf8_valid("Бастрыкин", strlen("Бастрыкин"), &bad));
    CHECK(!vigil__utf8_valid("ab\xC3", 3, &bad));
    CHECK_INT(bad, 2);
    CHECK(!vigil__utf8_valid("ab\xC0\xAF", 4, &bad));   /* overlong */
    CHECK(!vigil__utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
    CHECK(!vigil__utf8_valid("\xFF", 1, &bad));
    CHECK(vigil__utf8_valid("\xF0\x9F\x98\x80", 4, &bad));
}

void test_nfc_and_script(void)
{
    char *s = vigil__nfc("Orba\xCC\x81n"); /* a + combining acute */
    CHECK_STR(s, "Orb\xC3\xA1n");
    free(s);
    CHECK_STR(vigil__script_of("Алексaндр"), "Cyrillic"); /* homoglyph a inside */
    CHECK_STR(vigil__script_of("صدام حسين"), "Arabic");
    CHECK_STR(vigil__script_of("12 Main St"), "Latin");
    CHECK_STR(vigil__script_of("123"), "");
}

/* Splits a tab-separated line in place into at most n fields. */
static int split_tabs(char *line, char **f, int n)
{
    int k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < n; p++)
        if (*p == '\t') {
            *p = '\0';
            f[k++] = p + 1;
        }
    for (int i = 0; i < k; i++)
        f[i][strcspn(f[i], "\r\n")] = '\0';
    return k;
}

void test_dates_golden(void)
{
    FILE *f = fopen("tests/data/dates.tsv", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[512];
    int cases = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#')
            continue;
        char *fld[4] = {"", "", "", ""};
        split_tabs(line, fld, 4);
        vigil__date d;
        int ok = vigil__date_parse(fld[0], &d);
        cases++;
        if (strcmp(fld[1], "-") == 0) {
            if (ok)
                test_fail(__FILE__, __LINE__, "\"%s\" parsed, expected no date", fld[0]);
            continue;
        }
        if (!ok) {
            test_fail(__FILE__, __LINE__, "\"%s\" did not parse, expected %s", fld[0], fld[1]);
            continue;
        }
        char iso[16], to[8] = "";
        vigil__date_iso(&d, iso, sizeof(iso));
        if (d.year_to)
            snprintf(to, sizeof(to), "%d", d.year_to);
        if (strcmp(iso, fld[1]) || strcmp(to, fld[2]) ||
            d.circa != (strcmp(fld[3], "circa") == 0))
            test_fail(__FILE__, __LINE__, "\"%s\": got %s/%s/%s, expected %s/%s/%s", fld[0],
                      iso, to, d.circa ? "circa" : "", fld[1], fld[2], fld[3]);
    }
    fclose(f);
    CHECK(cases >= 25);
}

void test_countries_golden(void)
{
    FILE *f = fopen("tests/data/countries.tsv", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[512];
    int cases = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#')
            continue;
        char *fld[2] = {"", ""};
        split_tabs(line, fld, 2);
        const char *code = vigil__country_code(fld[0]);
        const char *want = strcmp(fld[1], "-") == 0 ? NULL : fld[1];
        cases++;
        if ((code == NULL) != (want == NULL) || (code && strcmp(code, want) != 0))
            test_fail(__FILE__, __LINE__, "country \"%s\": got %s, expected %s", fld[0],
                      code ? code : "unknown", want ? want : "unknown");
    }
    fclose(f);
    CHECK(cases >= 35);
}

void test_id_types(void)
{
    CHECK_STR(vigil__id_type("National passport"), "passport");
    CHECK_STR(vigil__id_type("Cedula No."), "national_id");
    CHECK_STR(vigil__id_type("NIT #"), "tax_id");
    CHECK_STR(vigil__id_type("Vessel Registration Identification IMO"), "imo");
    CHECK_STR(vigil__id_type("Business Registration Number"), "registration");
    CHECK_STR(vigil__id_type("National Identification Number"), "national_id");
    CHECK_STR(vigil__id_type("Driver's License No."), "driving_licence");
    CHECK_STR(vigil__id_type("id"), "national_id");
    CHECK_STR(vigil__id_type("Something else"), "other");
}

/* The name of the format of a file of ../shared ("" when unknown), with its
 * CSV field count for the files of a CSV set. */
static const char *detect_file(const char *rel, int *csv_fields)
{
    char *data = NULL;
    size_t len = 0;
    char msg[256];
    *csv_fields = 0;
    if (vigil__read_file(shared_path(rel), &data, &len, msg, sizeof(msg)) != VIGIL_OK) {
        test_fail(__FILE__, __LINE__, "%s", msg);
        return "";
    }
    const vigil__list_format *f = vigil__detect(data, len);
    free(data);
    if (f)
        *csv_fields = f->csv_fields;
    return f ? f->name : "";
}

void test_detect_real_files(void)
{
    static const struct {
        const char *file, *format;
        int csv_fields;
    } cases[] = {
        {"lists/un/un-consolidated-2026-02-27.xml", "un-sc-xml", 0},
        {"lists/eu/eu-fsf-rebuilt-2026-08-14.xml", "eu-fsf-xml", 0},
        {"lists/eu/eu-fsf-official-sample-2026-08-05.xml", "eu-fsf-xml", 0},
        {"lists/eu/eu-fsf-official-fragment-putin.xml", "eu-fsf-xml", 0},
        {"lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml", "uk-sanctions-xml", 0},
        {"lists/ofac/sdn-csv-2022-01/sdn.csv", "ofac-sdn-csv", 12},
        {"lists/ofac/sdn-csv-2022-01/alt.csv", "ofac-sdn-csv", 5},
        {"lists/ofac/sdn-csv-2022-01/add.csv", "ofac-sdn-csv", 6},
        {"lists/ofac/sdn-csv-2022-01/sdn_comments.csv", "ofac-sdn-csv", 2},
        {"lists/ofac/consolidated-xml/non-sdn-consolidated-2024-06-05.xml", "ofac-sdn-xml", 0},
        {"lists/ofac/enhanced-xml/irgc-subset-2024-08-28.xml", "ofac-advanced-xml", 0},
        {"lists/ftm/zala.entities.ftm.json", "ftm-jsonl", 0},
        {"lists/un/sc-sanctions.xsd", "", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int fields = 0;
        CHECK_STR(detect_file(cases[i].file, &fields), cases[i].format);
        CHECK_INT(fields, cases[i].csv_fields);
    }
    CHECK_PTR(vigil__detect("", 0), NULL);
    CHECK_PTR(vigil__detect("hello, world\n", 13), NULL);
}

/* The explanation writer's text is JSON that jansson reads back as written. */
void test_json_writer(void)
{
    vigil__json w = {0};
    vigil__json_obj(&w);
    vigil__json_key(&w, "s");
    vigil__json_str(&w, "a\"b\\c\n\t\x01 \xc3\xa9");
    vigil__json_key(&w, "list");
    vigil__json_arr(&w);
    vigil__json_num(&w, 0.93456);
    vigil__json_num(&w, -0.15);
    vigil__json_num(&w, 1.0 / 0.0);
    vigil__json_bool(&w, 1);
    vigil__json_str(&w, NULL);
    vigil__json_obj(&w);
    vigil__json_obj_end(&w);
    vigil__json_arr_end(&w);
    vigil__json_key(&w, "raw");
    vigil__json_raw(&w, "[1,2]");
    vigil__json_obj_end(&w);
    char *text = vigil__json_finish(&w);
    CHECK_STR(
        text,
        "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001 \xc3\xa9\",\"list\":[0.9346,-0.15,0,true,\"\",{}],"
        "\"raw\":[1,2]}");
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    CHECK(v != NULL);
    CHECK_STR(json_string_value(json_object_get(v, "s")), "a\"b\\c\n\t\x01 \xc3\xa9");
    CHECK_INT(json_array_size(json_object_get(v, "list")), 6);
    json_decref(v);
    free(text);
    /* numbers: at most four decimals, no trailing zeros */
    vigil__json_arr(&w);
    double nums[] = {1.0, 12.5, -0.00001, 0.05, 0.99999, 2e9, -3.14159, 0.0};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        vigil__json_num(&w, nums[i]);
    vigil__json_arr_end(&w);
    text = vigil__json_finish(&w);
    CHECK_STR(text, "[1,12.5,0,0.05,1,2e+09,-3.1416,0]");
    free(text);
    /* a container left open, or too deep: no text */
    vigil__json_obj(&w);
    CHECK(vigil__json_finish(&w) == NULL);
    for (int i = 0; i < VIGIL__JW_DEPTH + 1; i++)
        vigil__json_arr(&w);
    for (int i = 0; i < VIGIL__JW_DEPTH + 1; i++)
        vigil__json_arr_end(&w);
    CHECK(vigil__json_finish(&w) == NULL);
}
