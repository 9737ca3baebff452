/*
 * test_rescreen.c - the customer store, re-screening what changed, alerts
 * and decisions (src/screen/rescreen.c), with the two real OFAC versions.
 */
#include <stdlib.h>

#include "store/store.h"
#include "test.h"

static vigil_db *fresh_2019(char **path)
{
    const char *files[] = {shared_path("lists/ofac/sdn-csv-2019-01")};
    return load_fresh(path, files, 1, 0);
}

static int load_2022(vigil_db *db)
{
    const char *p[] = {shared_path("lists/ofac/sdn-csv-2022-01")};
    return vigil_load(db, p, 1, NULL, NULL, NULL);
}

/* The alerts as JSON (checked). */
static json_t *alerts(vigil_db *db, int open_only)
{
    char *s = NULL;
    CHECK_INT(vigil_alerts_json(db, open_only, &s), VIGIL_OK);
    json_t *a = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    CHECK(json_is_array(a));
    return a;
}

/* The id of the latest alert of customer on entity, and its status. */
static long long alert_of(json_t *as, const char *customer, const char *entity_id,
                          const char **status)
{
    size_t i;
    json_t *a;
    json_array_foreach(as, i, a)
    {
        if (!strcmp(json_string_value(json_object_get(json_object_get(a, "customer"), "id")),
                    customer) &&
            !strcmp(
                json_string_value(json_object_get(json_object_get(a, "entity"), "source_id")),
                entity_id)) {
            if (status)
                *status = json_string_value(json_object_get(a, "status"));
            return json_integer_value(json_object_get(a, "id"));
        }
    }
    return 0;
}

void test_customers_put(void)
{
    char *path = temp_db_path();
    vigil_db *db = NULL;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    vigil_customer cs[] = {
        {"c1", "Jasmeet Hakimzada", "Person", NULL, NULL, NULL, NULL},
        {"c2", "ACME Trading LLC", "Organization", NULL, "AE", NULL, NULL},
        {NULL, "No Id", NULL, NULL, NULL, NULL, NULL},
        {"c4", "", NULL, NULL, NULL, NULL, NULL},
        {"c5", "Bad Schema", "Martian", NULL, NULL, NULL, NULL},
    };
    int st[5];
    CHECK_INT(vigil_customers_put(db, cs, 5, st), VIGIL_OK);
    CHECK_INT(st[0], VIGIL_CUSTOMER_ADDED);
    CHECK_INT(st[1], VIGIL_CUSTOMER_ADDED);
    CHECK_INT(st[2], VIGIL_ERR_ARG);
    CHECK_INT(st[3], VIGIL_ERR_ARG);
    CHECK_INT(st[4], VIGIL_ERR_ARG);
    int64_t n = 0;
    CHECK_INT(vigil_customers_count(db, &n), VIGIL_OK);
    CHECK_INT(n, 2);
    /* the same again: unchanged; a field changed, or one dropped: changed */
    CHECK_INT(vigil_customers_put(db, cs, 2, st), VIGIL_OK);
    CHECK_INT(st[0], VIGIL_CUSTOMER_UNCHANGED);
    CHECK_INT(st[1], VIGIL_CUSTOMER_UNCHANGED);
    vigil_customer again[] = {
        {"c1", "Jasmeet Hakimzada", "Person", "1980", NULL, NULL, NULL},
        {"c2", "ACME Trading LLC", "Organization", NULL, NULL, NULL, NULL}};
    CHECK_INT(vigil_customers_put(db, again, 2, st), VIGIL_OK);
    CHECK_INT(st[0], VIGIL_CUSTOMER_CHANGED);
    CHECK_INT(st[1], VIGIL_CUSTOMER_CHANGED);
    CHECK_INT(vigil_customers_count(db, &n), VIGIL_OK);
    CHECK_INT(n, 2);
    /* no lists yet: a run is refused, and says why */
    vigil_rescreen_result r;
    CHECK_INT(vigil_rescreen(db, NULL, &r), VIGIL_ERR_NOTFOUND);
    CHECK_CONTAINS(vigil_errmsg(db), "no lists loaded");
    vigil_db_close(db);
    remove_db(path);
}

void test_rescreen_ofac_versions(void)
{
    char *path;
    vigil_db *db = fresh_2019(&path);
    if (!db)
        return;
    /* 21845 was designated after 2019; 10263 delisted by 2022; 10138 and
     * 10153 changed (10153: its programmes only); c4 nobody */
    vigil_customer cs[] = {
        {"c1", "Jasmeet Hakimzada", "Person", NULL, NULL, NULL, NULL},
        {"c2", "John Jairo Gallego Valencia", "Person", NULL, NULL, NULL, NULL},
        {"c3", "Oleg Slizhevsky", "Person", NULL, NULL, NULL, NULL},
        {"c4", "Jane Ordinary", "Person", "1980-01-01", NULL, NULL, NULL},
        {"c5", "Defense Industries Organization", "Organization", NULL, NULL, NULL, NULL},
    };
    CHECK_INT(vigil_customers_put(db, cs, 5, NULL), VIGIL_OK);
    /* the first run: everyone against everything */
    vigil_rescreen_result r;
    CHECK_INT(vigil_rescreen(db, NULL, &r), VIGIL_OK);
    CHECK_INT(r.run_id, 1);
    CHECK(r.full);
    CHECK_INT(r.screened_in_full, 5);
    CHECK_INT(r.entities_changed, 7379);
    CHECK_INT(r.alerts_new, 3);
    json_t *as = alerts(db, 0);
    const char *status = NULL;
    long long a2 = alert_of(as, "c2", "10263", &status);
    long long a3 = alert_of(as, "c3", "10138", NULL);
    long long a5 = alert_of(as, "c5", "10153", NULL);
    CHECK(a2 && a3 && a5);
    CHECK_STR(status, "open");
    CHECK(!alert_of(as, "c1", "21845", NULL));
    /* each alert names its run's list versions and explains its score */
    json_t *first = json_array_get(as, 0);
    CHECK_INT(json_integer_value(json_object_get(
                  json_array_get(json_object_get(json_object_get(first, "run"), "versions"), 0),
                  "version")),
              1);
    CHECK(json_object_get(json_object_get(first, "explanation"), "name") != NULL);
    json_decref(as);
    /* decisions: a note is required, and only the two outcomes */
    CHECK_INT(vigil_decide(db, a5, "false-positive", "", "ana"), VIGIL_ERR_ARG);
    CHECK_INT(vigil_decide(db, a5, "maybe", "why not", "ana"), VIGIL_ERR_ARG);
    CHECK_INT(vigil_decide(db, 9999, "true-match", "x", "ana"), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_decide(db, a5, "false-positive", "a different body", "ana"), VIGIL_OK);
    CHECK_INT(vigil_decide(db, a3, "true-match", "same man", "ana"), VIGIL_OK);
    /* nothing changed: nothing screened */
    CHECK_INT(vigil_rescreen(db, NULL, &r), VIGIL_OK);
    CHECK(!r.full);
    CHECK_INT(r.screened_in_full + r.screened_changed + r.entities_changed, 0);
    CHECK_INT(r.alerts_new, 0);
    /* a full run with both sides unchanged: the false positive stays closed */
    vigil_rescreen_options full = {.full = 1};
    CHECK_INT(vigil_rescreen(db, &full, &r), VIGIL_OK);
    CHECK_INT(r.screened_in_full, 5);
    CHECK_INT(r.alerts_new, 0);
    CHECK_INT(r.alerts_known, 3);
    /* the 2022 list: exactly what changed is screened */
    CHECK_INT(load_2022(db), VIGIL_OK);
    CHECK_INT(vigil_rescreen(db, NULL, &r), VIGIL_OK);
    CHECK(!r.full);
    CHECK_INT(r.entities_changed, 1858 + 843);
    CHECK_INT(r.entities_removed, 261);
    CHECK_INT(r.screened_in_full, 0);
    CHECK(r.screened_changed >= 1 && r.screened_changed <= 5);
    CHECK_INT(r.alerts_new, 2);      /* c1 newly listed; c5's entity changed: reopened */
    CHECK_INT(r.alerts_delisted, 1); /* c2's entity left the list */
    as = alerts(db, 0);
    long long a1 = alert_of(as, "c1", "21845", &status);
    CHECK(a1 > 0);
    CHECK_STR(status, "open");
    alert_of(as, "c2", "10263", &status);
    CHECK_STR(status, "delisted");
    alert_of(as, "c3", "10138", &status);
    CHECK_STR(status, "true-match"); /* decided: not raised again */
    long long a5b = alert_of(as, "c5", "10153", &status);
    CHECK(a5b > a5);
    CHECK_STR(status, "open");
    size_t i;
    json_t *a;
    json_array_foreach(as, i, a)
    {
        if (json_integer_value(json_object_get(a, "id")) == a5b)
            CHECK_INT(json_integer_value(json_object_get(a, "previous")), a5);
        if (json_integer_value(json_object_get(a, "id")) == a5) {
            json_t *d = json_array_get(json_object_get(a, "decisions"), 0);
            CHECK_STR(json_string_value(json_object_get(d, "decision")), "false-positive");
            CHECK_STR(json_string_value(json_object_get(d, "note")), "a different body");
            CHECK_STR(json_string_value(json_object_get(d, "by")), "ana");
            /* decided on the 2019 version */
            CHECK_INT(json_integer_value(json_object_get(
                          json_array_get(json_object_get(d, "versions"), 0), "version")),
                      1);
        }
    }
    json_decref(as);
    /* a false positive decided, then the customer changes: raised again */
    CHECK_INT(vigil_decide(db, a5b, "false-positive", "still a different body", NULL),
              VIGIL_OK);
    vigil_customer moved = cs[4];
    moved.country = "IR";
    CHECK_INT(vigil_customers_put(db, &moved, 1, NULL), VIGIL_OK);
    CHECK_INT(vigil_rescreen(db, NULL, &r), VIGIL_OK);
    CHECK_INT(r.screened_in_full, 1);
    CHECK_INT(r.screened_changed, 0);
    CHECK_INT(r.alerts_new, 1);
    as = alerts(db, 1);
    CHECK_INT(json_array_size(as), 2); /* c1's, and c5's again */
    CHECK(alert_of(as, "c5", "10153", NULL) > a5b);
    json_decref(as);
    /* the runs, in order, with their versions */
    char *s = NULL;
    CHECK_INT(vigil_runs_json(db, &s), VIGIL_OK);
    json_t *runs = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    CHECK_INT(json_array_size(runs), 5);
    json_t *r4 = json_array_get(runs, 3);
    CHECK_INT(json_integer_value(json_object_get(r4, "entities_changed")), 2701);
    CHECK_INT(json_integer_value(json_object_get(
                  json_array_get(json_object_get(r4, "versions"), 0), "version")),
              2);
    json_decref(runs);
    vigil_db_close(db);
    remove_db(path);
}

/* ---- a run of what changed misses nothing a full run finds ---- */

typedef struct {
    vigil_customer *cs;
    char (*text)[2][160];
    size_t n, cap, rows;
} people;

static void add_person(people *p, const char *id, const char *name, const char *schema)
{
    if (p->n == p->cap)
        return;
    snprintf(p->text[p->n][0], sizeof(p->text[0][0]), "%s", id);
    snprintf(p->text[p->n][1], sizeof(p->text[0][1]), "%s", name);
    p->cs[p->n] =
        (vigil_customer){p->text[p->n][0], p->text[p->n][1], schema, NULL, NULL, NULL, NULL};
    p->n++;
}

static void negative_row(char **f, int n, void *ud)
{
    people *p = ud;
    if (n < 8 || !strcmp(f[0], "full_name") || p->rows++ % 2)
        return;
    char id[32];
    snprintf(id, sizeof(id), "n%zu", p->n);
    add_person(p, id, f[0], "Person");
}

/* The (customer, entity) pairs of the open and decided alerts. */
static json_t *pairs(vigil_db *db)
{
    json_t *as = alerts(db, 0), *set = json_object();
    size_t i;
    json_t *a;
    json_array_foreach(as, i, a)
    {
        if (!strcmp(json_string_value(json_object_get(a, "status")), "delisted"))
            continue;
        char key[256];
        snprintf(key, sizeof(key), "%s|%s",
                 json_string_value(json_object_get(json_object_get(a, "customer"), "id")),
                 json_string_value(json_object_get(json_object_get(a, "entity"), "source_id")));
        json_object_set_new(set, key, json_true());
    }
    json_decref(as);
    return set;
}

void test_rescreen_misses_nothing(void)
{
    /* customers: names of entities added and changed by 2022 (with a typo
     * in every other one), and synthetic people listed nowhere */
    char *pa, *pb;
    vigil_db *a = fresh_2019(&pa);
    if (!a)
        return;
    CHECK_INT(load_2022(a), VIGIL_OK);
    char *s = NULL;
    CHECK_INT(vigil_diff(a, "ofac", 0, 0, &s), VIGIL_OK);
    json_t *d = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    people p = {calloc(1200, sizeof(vigil_customer)), calloc(1200, sizeof(*p.text)), 0, 1200,
                0};
    const char *kinds[] = {"added", "changed"};
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(d, kinds[k]), i, e)
        {
            if (i % 5 || p.n >= 600)
                continue;
            char name[160], id[32];
            snprintf(name, sizeof(name), "%s", json_string_value(json_object_get(e, "name")));
            size_t len = strlen(name);
            if ((i / 5) % 2 && len > 6) { /* two letters swapped */
                char c = name[len / 2];
                name[len / 2] = name[len / 2 + 1];
                name[len / 2 + 1] = c;
            }
            snprintf(id, sizeof(id), "%c%zu", kinds[k][0], i);
            add_person(&p, id, name, NULL);
        }
    }
    json_decref(d);
    read_csv(shared_path("eval/screening/negatives-dev-global.csv"), negative_row, &p);
    CHECK(p.n > 700);
    /* a: 2019, a run, then 2022 and a run of what changed */
    vigil_db_close(a);
    remove_db(pa);
    a = fresh_2019(&pa);
    vigil_rescreen_result r;
    CHECK_INT(vigil_customers_put(a, p.cs, p.n, NULL), VIGIL_OK);
    CHECK_INT(vigil_rescreen(a, NULL, &r), VIGIL_OK);
    CHECK_INT(load_2022(a), VIGIL_OK);
    CHECK_INT(vigil_rescreen(a, NULL, &r), VIGIL_OK);
    CHECK(!r.full);
    CHECK(r.screened_changed > 0 && r.screened_changed < (int64_t)p.n);
    /* b: 2022 only, everyone against everything */
    const char *f22[] = {shared_path("lists/ofac/sdn-csv-2022-01")};
    vigil_db *b = load_fresh(&pb, f22, 1, 0);
    if (b) {
        CHECK_INT(vigil_customers_put(b, p.cs, p.n, NULL), VIGIL_OK);
        CHECK_INT(vigil_rescreen(b, NULL, &r), VIGIL_OK);
        CHECK(r.full);
        json_t *pa_set = pairs(a), *pb_set = pairs(b);
        CHECK(json_object_size(pb_set) > 200);
        const char *key;
        json_t *v;
        int missed = 0;
        json_object_foreach(pb_set, key, v)
        {
            if (!json_object_get(pa_set, key)) {
                if (missed++ < 5)
                    test_fail(__FILE__, __LINE__,
                              "the full run alerts on %s, the delta run not", key);
            }
        }
        CHECK_INT(missed, 0);
        json_decref(pa_set);
        json_decref(pb_set);
        vigil_db_close(b);
        remove_db(pb);
    }
    free(p.cs);
    free(p.text);
    vigil_db_close(a);
    remove_db(pa);
}

/* When a closed alert reopens: the rule alone, every case. */
void test_alert_rule(void)
{
    /* no alert yet: a new one */
    CHECK_INT(vigil__alert_rule(NULL, 0, 0), VIGIL__ALERT_NEW);
    CHECK_INT(vigil__alert_rule("", 1, 1), VIGIL__ALERT_NEW);
    /* still open: refreshed with what was seen last, whatever changed */
    CHECK_INT(vigil__alert_rule("open", 1, 1), VIGIL__ALERT_REFRESH);
    CHECK_INT(vigil__alert_rule("open", 0, 0), VIGIL__ALERT_REFRESH);
    /* a true match stays decided */
    CHECK_INT(vigil__alert_rule("true-match", 0, 0), VIGIL__ALERT_KEEP);
    /* a false positive holds while neither side changed */
    CHECK_INT(vigil__alert_rule("false-positive", 1, 1), VIGIL__ALERT_KEEP);
    CHECK_INT(vigil__alert_rule("false-positive", 0, 1), VIGIL__ALERT_NEW);
    CHECK_INT(vigil__alert_rule("false-positive", 1, 0), VIGIL__ALERT_NEW);
    /* a status this build does not know reopens rather than hides */
    CHECK_INT(vigil__alert_rule("escalated", 1, 1), VIGIL__ALERT_NEW);
}

/* Case work on real alerts (OFAC 2019): the queue and its filters, one alert
 * whole, assignment, four eyes (the proposer's own review refused), a
 * returned proposal open again, the audit trail append-only. */
void test_case_work(void)
{
    char *path = NULL;
    vigil_db *db = fresh_2019(&path);
    if (!db)
        return;
    vigil_customer cs[] = {
        {"c2", "John Jairo Gallego Valencia", "Person", NULL, NULL, NULL, NULL},
        {"c3", "Oleg Slizhevsky", "Person", NULL, NULL, NULL, NULL},
        {"c5", "Defense Industries Organization", "Organization", NULL, NULL, NULL, NULL},
    };
    CHECK_INT(vigil_customers_put(db, cs, 3, NULL), VIGIL_OK);
    vigil_rescreen_result r;
    CHECK_INT(vigil_rescreen(db, NULL, &r), VIGIL_OK);
    CHECK_INT(r.alerts_new, 3);
    char *s = NULL;
    vigil_alert_filter all = {0};
    CHECK_INT(vigil_alert_queue(db, &all, &s), VIGIL_OK);
    json_t *q = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    CHECK_INT(json_integer_value(json_object_get(q, "total")), 3);
    json_t *alerts_arr = json_object_get(q, "alerts");
    /* strongest first */
    CHECK(json_real_value(json_object_get(json_array_get(alerts_arr, 0), "score")) >=
          json_real_value(json_object_get(json_array_get(alerts_arr, 2), "score")));
    long long a5 = 0, a3 = 0;
    size_t i;
    json_t *a;
    json_array_foreach(alerts_arr, i, a)
    {
        const char *cid =
            json_string_value(json_object_get(json_object_get(a, "customer"), "id"));
        if (!strcmp(cid, "c5"))
            a5 = json_integer_value(json_object_get(a, "id"));
        if (!strcmp(cid, "c3"))
            a3 = json_integer_value(json_object_get(a, "id"));
    }
    json_decref(q);
    CHECK(a5 && a3);
    /* filters: a customer's, a score floor, an unknown status refused */
    vigil_alert_filter one = {.customer = "c5"};
    CHECK_INT(vigil_alert_queue(db, &one, &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"total\":1"));
    vigil_free(s);
    vigil_alert_filter high = {.min_score = 1.01};
    CHECK_INT(vigil_alert_queue(db, &high, &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"total\":0"));
    vigil_free(s);
    vigil_alert_filter bad = {.status = "sleeping"};
    CHECK_INT(vigil_alert_queue(db, &bad, &s), VIGIL_ERR_ARG);
    /* one alert whole: the entity's document and the run's versions */
    CHECK_INT(vigil_alert_get(db, a5, &s), VIGIL_OK);
    json_t *al = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    CHECK(json_is_object(json_object_get(json_object_get(al, "entity"), "document")));
    CHECK(json_array_size(json_object_get(json_object_get(al, "run"), "versions")) == 1);
    CHECK_STR(json_string_value(
                  json_object_get(json_array_get(json_object_get(al, "trail"), 0), "action")),
              "opened");
    json_decref(al);
    CHECK_INT(vigil_alert_get(db, 99999, &s), VIGIL_ERR_NOTFOUND);
    /* assignment */
    CHECK_INT(vigil_alert_assign(db, a5, "ana", "rita"), VIGIL_OK);
    vigil_alert_filter mine = {.assignee = "ana"};
    CHECK_INT(vigil_alert_queue(db, &mine, &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"total\":1"));
    vigil_free(s);
    /* four eyes: ana proposes, ana cannot approve, rita approves */
    CHECK_INT(vigil_propose(db, a5, "false-positive", "", "ana"), VIGIL_ERR_ARG);
    CHECK_INT(vigil_propose(db, a5, "false-positive", "another body, other country", "ana"),
              VIGIL_OK);
    CHECK_INT(vigil_propose(db, a5, "true-match", "again", "bob"), VIGIL_ERR_ARG); /* pending */
    CHECK_INT(vigil_review(db, a5, 1, "agreed", "ana"), VIGIL_ERR_ARG);
    CHECK(strstr(vigil_errmsg(db), "four eyes") != NULL);
    CHECK_INT(vigil_review(db, a5, 1, "agreed", "rita"), VIGIL_OK);
    CHECK_INT(vigil_alert_get(db, a5, &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"status\":\"false-positive\"") &&
          strstr(s, "\"state\":\"approved\""));
    vigil_free(s);
    /* a returned proposal: open again */
    CHECK_INT(vigil_propose(db, a3, "true-match", "same name", "ana"), VIGIL_OK);
    CHECK_INT(vigil_review(db, a3, 0, "", "rita"), VIGIL_ERR_ARG); /* a note is required */
    CHECK_INT(vigil_review(db, a3, 0, "check the date of birth first", "rita"), VIGIL_OK);
    vigil_alert_filter open = {.customer = "c3"};
    CHECK_INT(vigil_alert_queue(db, &open, &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"status\":\"open\""));
    vigil_free(s);
    /* the trail: every step, in order, and no way to change it */
    CHECK_INT(vigil_audit_json(db, a5, NULL, 0, 0, &s), VIGIL_OK);
    json_t *t = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    const char *want[] = {"opened", "assigned", "proposed", "approved"};
    CHECK_INT(json_array_size(t), 4);
    for (size_t k = 0; k < 4 && k < json_array_size(t); k++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(t, k), "action")), want[k]);
    CHECK_STR(json_string_value(json_object_get(json_array_get(t, 3), "user")), "rita");
    json_decref(t);
    CHECK(sqlite3_exec(db->sql, "UPDATE audit SET user='mallory'", NULL, NULL, NULL) !=
          SQLITE_OK);
    CHECK(sqlite3_exec(db->sql, "DELETE FROM audit", NULL, NULL, NULL) != SQLITE_OK);
    /* customers: search by name, one with its alerts */
    CHECK_INT(vigil_customers_json(db, "slizhev", 0, 0, &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"total\":1") && strstr(s, "\"id\":\"c3\""));
    vigil_free(s);
    CHECK_INT(vigil_customers_json(db, "%", 0, 0, &s), VIGIL_OK); /* LIKE's % taken as itself */
    CHECK(s && strstr(s, "\"total\":0"));
    vigil_free(s);
    CHECK_INT(vigil_customer_get(db, "c5", &s), VIGIL_OK);
    CHECK(s && strstr(s, "\"alerts\":[{") && strstr(s, "\"trail\":[{"));
    vigil_free(s);
    CHECK_INT(vigil_customer_get(db, "nobody", &s), VIGIL_ERR_NOTFOUND);
    vigil_db_close(db);
    remove_db(path);
}
