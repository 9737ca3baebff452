/*
 * test.h - the test harness: checks that print both sides, tests registered
 * in one list (TEST_LIST below), one runner (main.c) that prints
 * "N passed, M failed". Each test is a function; it passes when none of its
 * checks failed.
 */
#ifndef VIGIL_TEST_H
#define VIGIL_TEST_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "vigil.h"

extern int test_failures; /* failed checks in the running test */

void test_fail(const char *file, int line, const char *fmt, ...) VIGIL__PRINTF(3, 4);

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            test_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond);                          \
    } while (0)

#define CHECK_INT(a, b)                                                                        \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ != b_)                                                                          \
            test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_);           \
    } while (0)

#define CHECK_PTR(a, b)                                                                        \
    do {                                                                                       \
        const void *a_ = (a), *b_ = (b);                                                       \
        if (a_ != b_)                                                                          \
            test_fail(__FILE__, __LINE__, "%s == %s: %p != %p", #a, #b, a_, b_);               \
    } while (0)

#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                 \
            test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b,                \
                      a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                 \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                            \
    do {                                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                                \
        if (!h_ || !strstr(h_, n_))                                                            \
            test_fail(__FILE__, __LINE__, "%s contains \"%s\": it is \"%s\"", #hay, n_,        \
                      h_ ? h_ : "(null)");                                                     \
    } while (0)

/* Helpers (helpers.c). */
const char *shared_path(const char *rel); /* $SHARED/rel in a static ring buffer */
/* The four lists' engine (test_screen.c), made once; NULL after a failure. */
vigil_engine *test_engine(void);
char *temp_db_path(void);   /* a fresh path; remove_db() removes its files */
void remove_db(char *path); /* and frees path */
/* Opens a fresh database and loads the paths; NULL (with a failed check) on error. */
vigil_db *load_fresh(char **path, const char *const *paths, size_t n, int lenient);
/* The entity as JSON (from vigil_entity_json), or NULL with a failed check. */
json_t *entity(vigil_db *db, const char *source, const char *id);
/* Writes data to a new temporary file whose name ends in suffix; returns its path. */
char *temp_file(const char *suffix, const char *data, size_t len);
/* Array member `key` of o contains a string equal to s / an object whose
 * member field equals s. */
int has_string(json_t *o, const char *key, const char *s);
int has_object(json_t *o, const char *key, const char *field, const char *s);
/* Calls row for each CSV row of path (rows starting with '#' skipped).
 * Returns the number of rows, -1 when the file cannot be read. */
int read_csv(const char *path, void (*row)(char **f, int n, void *ud), void *ud);
/* Number of versions and of version_entity rows, to see a database unchanged. */
void db_counts(vigil_db *db, long long *versions, long long *rows);

/* Frees the engine test_screen.c builds once. */
void test_screen_release(void);

/* Every test, once. X(name) */
#define TEST_LIST(X)                                                                           \
    X(test_squeeze)                                                                            \
    X(test_utf8_valid)                                                                         \
    X(test_nfc_and_script)                                                                     \
    X(test_dates_golden)                                                                       \
    X(test_countries_golden)                                                                   \
    X(test_id_types)                                                                           \
    X(test_detect_real_files)                                                                  \
    X(test_json_writer)                                                                        \
    X(test_un_counts_and_qdi276)                                                               \
    X(test_eu_full_counts_and_bastrykin)                                                       \
    X(test_eu_fragment_putin)                                                                  \
    X(test_eu_sample_strict_refused)                                                           \
    X(test_eu_sample_lenient)                                                                  \
    X(test_uk_counts_and_name_types)                                                           \
    X(test_uk_sample_details)                                                                  \
    X(test_ofac_2022_counts_and_remarks)                                                       \
    X(test_ofac_csv_files_given_together)                                                      \
    X(test_ofac_xml_consolidated)                                                              \
    X(test_ofac_advanced_refused)                                                              \
    X(test_ftm_entities)                                                                       \
    X(test_ftm_delta)                                                                          \
    X(test_same_content_no_new_version)                                                        \
    X(test_versions_kept_and_current)                                                          \
    X(test_diff_ofac_versions)                                                                 \
    X(test_store_entities_each)                                                                \
    X(test_bad_malformed_xml)                                                                  \
    X(test_bad_truncated_file)                                                                 \
    X(test_bad_unknown_format)                                                                 \
    X(test_bad_invalid_utf8)                                                                   \
    X(test_bad_entity_without_name)                                                            \
    X(test_bad_huge_field)                                                                     \
    X(test_bad_csv_rows)                                                                       \
    X(test_bad_json_lines)                                                                     \
    X(test_bad_input_keeps_database)                                                           \
    X(test_not_a_vigil_database)                                                               \
    X(test_show_missing_entity)                                                                \
    X(test_metric_vectors)                                                                     \
    X(test_compare_issue_examples)                                                             \
    X(test_compare_cross_script)                                                               \
    X(test_compare_legal_forms)                                                                \
    X(test_legal_form_table_honoured)                                                          \
    X(test_legal_data_current)                                                                 \
    X(test_compare_explanation)                                                                \
    X(test_compare_family_names_and_numbers)                                                   \
    X(test_screen_real_entities)                                                               \
    X(test_screen_evidence)                                                                    \
    X(test_screen_lone_listed_word)                                                            \
    X(test_screen_heldout_classes)                                                             \
    X(test_compare_arabic_script)                                                              \
    X(test_score_floor_exact)                                                                  \
    X(test_compare_heldout_classes)                                                            \
    X(test_compare_org_phonetic_chance)                                                        \
    X(test_compare_foreign_abbreviations)                                                      \
    X(test_screen_filters_and_errors)                                                          \
    X(test_screen_small_list)                                                                  \
    X(test_screen_saved_engine)                                                                \
    X(test_screen_engine_file)                                                                 \
    X(test_screen_bracketed_tail)                                                              \
    X(test_screen_hits_json)                                                                   \
    X(test_screen_suggest)                                                                     \
    X(test_payments_samples)                                                                   \
    X(test_payments_written)                                                                   \
    X(test_payments_refused)                                                                   \
    X(test_payments_screened)                                                                  \
    X(test_screen_negatives_few_alerts)                                                        \
    X(test_customers_put)                                                                      \
    X(test_rescreen_ofac_versions)                                                             \
    X(test_rescreen_misses_nothing)                                                            \
    X(test_alert_rule)                                                                         \
    X(test_case_work)                                                                          \
    X(test_wait_for_write_lock)                                                                \
    X(test_users_and_keys)                                                                     \
    X(test_key_check)                                                                          \
    X(test_batches)

#define DECLARE_TEST(name) void name(void);
TEST_LIST(DECLARE_TEST)

#endif
