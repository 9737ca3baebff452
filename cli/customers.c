/*
 * customers.c - the customer store's commands: vigil customers import,
 * rescreen, alerts, runs. Built only on the public API; the work is
 * vigil_customers_put, vigil_rescreen and friends (src/screen/rescreen.c).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "customers.h"

static void import_block(void *ctx, const vigil_cli_record *r, size_t n)
{
    vigil_cli_import *im = ctx;
    if (im->failed)
        return;
    vigil_customer *cs = calloc(n, sizeof(*cs));
    int *st = calloc(n, sizeof(int));
    if (!cs || !st) {
        snprintf(im->error, sizeof(im->error), "out of memory");
        im->failed = 1;
        free(cs);
        free(st);
        return;
    }
    for (size_t i = 0; i < n; i++)
        cs[i] = (vigil_customer){r[i].error ? NULL : r[i].id,
                                 r[i].name,
                                 r[i].schema,
                                 r[i].dob,
                                 r[i].country,
                                 r[i].gender,
                                 r[i].id_number};
    int rc = vigil_customers_put(im->db, cs, n, st);
    if (rc != VIGIL_OK) {
        snprintf(im->error, sizeof(im->error), "%s", vigil_errmsg(im->db));
        im->failed = 1;
    }
    for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
        im->rows++;
        if (st[i] >= 0 && st[i] <= 2) {
            im->counts[st[i]]++;
            continue;
        }
        im->refused++;
        const char *why = r[i].error                  ? r[i].error
                          : !r[i].id || !*r[i].id     ? "no id"
                          : !r[i].name || !*r[i].name ? "no name"
                                                      : "unknown schema (Person, Organization, "
                                                        "Company, Vessel, Airplane)";
        if (im->on_refused)
            im->on_refused(im->ctx, r[i].row, r[i].id, why);
    }
    if (im->on_block)
        im->on_block(im->ctx, im);
    free(cs);
    free(st);
}

int vigil_cli_customers_read(FILE *in, const char *format, vigil_cli_import *im)
{
    int rc = vigil_cli_read_records(in, format, import_block, im);
    return rc != 0 || im->failed ? -1 : 0;
}

static void print_refused(void *ctx, long long row, const char *id, const char *why)
{
    fprintf(stderr, "vigil customers import: %s: row %lld%s%s: %s\n", (const char *)ctx, row,
            id ? ", id " : "", id ? id : "", why);
}

int vigil_cli_customers_import(vigil_db *db, const char *path, const char *format)
{
    FILE *in = stdin;
    if (path && strcmp(path, "-") != 0 && !(in = fopen(path, "rb"))) {
        fprintf(stderr, "vigil customers import: cannot open %s\n", path);
        return 1;
    }
    const char *name = path && strcmp(path, "-") ? path : "standard input";
    vigil_cli_import im = {.db = db, .on_refused = print_refused, .ctx = (void *)name};
    int rc = vigil_cli_customers_read(in, format, &im);
    if (in != stdin)
        fclose(in);
    if (im.failed)
        fprintf(stderr, "vigil customers import: %s: %s\n", name, im.error);
    int64_t held = 0;
    vigil_customers_count(db, &held);
    printf("%lld added, %lld changed, %lld unchanged, %lld refused; %lld customers held\n",
           im.counts[VIGIL_CUSTOMER_ADDED], im.counts[VIGIL_CUSTOMER_CHANGED],
           im.counts[VIGIL_CUSTOMER_UNCHANGED], im.refused, (long long)held);
    return rc != 0 || im.refused ? 1 : 0;
}

int vigil_cli_rescreen(vigil_db *db, const vigil_rescreen_options *opt, int json)
{
    vigil_rescreen_result r;
    int rc = vigil_rescreen(db, opt, &r);
    if (rc != VIGIL_OK) {
        fprintf(stderr, "vigil rescreen: %s\n", vigil_errmsg(db));
        return 1;
    }
    if (json) {
        json_t *o = json_pack(
            "{s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "run", (json_int_t)r.run_id,
            "full", r.full, "customers", (json_int_t)r.customers, "screened_in_full",
            (json_int_t)r.screened_in_full, "screened_changed", (json_int_t)r.screened_changed,
            "entities_changed", (json_int_t)r.entities_changed, "entities_removed",
            (json_int_t)r.entities_removed, "alerts_new", (json_int_t)r.alerts_new,
            "alerts_known", (json_int_t)r.alerts_known, "alerts_delisted",
            (json_int_t)r.alerts_delisted, "seconds", r.seconds);
        json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
        return 0;
    }
    printf("run %lld (%s) in %.2f s\n", (long long)r.run_id,
           r.full ? "everyone against every list" : "what changed", r.seconds);
    printf("lists      %lld entities new or changed, %lld removed since the last run\n",
           (long long)r.entities_changed, (long long)r.entities_removed);
    printf("customers  %lld held: %lld against every list, %lld against the changed entities\n",
           (long long)r.customers, (long long)r.screened_in_full,
           (long long)r.screened_changed);
    printf("alerts     %lld new, %lld already known, %lld closed as delisted\n",
           (long long)r.alerts_new, (long long)r.alerts_known, (long long)r.alerts_delisted);
    return 0;
}

/* After a call that gave JSON text (rc, text): says why it failed (1); with
 * json, prints the text (0); else sets *arr to it parsed, for a table (0). */
static int take_json(vigil_db *db, const char *cmd, int rc, char *text, int json, json_t **arr)
{
    *arr = NULL;
    if (rc != VIGIL_OK) {
        fprintf(stderr, "vigil %s: %s\n", cmd, vigil_errmsg(db));
        return 1;
    }
    if (json)
        puts(text);
    else
        *arr = json_loads(text, 0, NULL);
    vigil_free(text);
    return 0;
}

int vigil_cli_alerts(vigil_db *db, int open_only, int json)
{
    char *text = NULL;
    json_t *arr;
    int rc = vigil_alerts_json(db, open_only, &text);
    if (take_json(db, "alerts", rc, text, json, &arr) != 0)
        return 1;
    if (!arr)
        return 0;
    size_t i;
    json_t *a;
    json_array_foreach(arr, i, a)
    {
        json_t *c = json_object_get(a, "customer"), *e = json_object_get(a, "entity");
        const char *cname = json_string_value(json_object_get(c, "name"));
        printf("%6lld  %-14s %.3f  %s (%s)  ~  %s:%s %s",
               (long long)json_integer_value(json_object_get(a, "id")),
               json_string_value(json_object_get(a, "status")),
               json_real_value(json_object_get(a, "score")),
               json_string_value(json_object_get(c, "id")), cname ? cname : "no longer held",
               json_string_value(json_object_get(e, "source")),
               json_string_value(json_object_get(e, "source_id")),
               json_string_value(json_object_get(e, "name")));
        const char *m = json_string_value(json_object_get(a, "matched_name"));
        const char *en = json_string_value(json_object_get(e, "name"));
        if (m && en && strcmp(m, en) != 0)
            printf("  [as %s]", m);
        printf("\n");
    }
    if (!json_array_size(arr))
        printf("no %salerts\n", open_only ? "open " : "");
    json_decref(arr);
    return 0;
}

int vigil_cli_runs(vigil_db *db, int json)
{
    char *text = NULL;
    json_t *arr;
    int rc = vigil_runs_json(db, &text);
    if (take_json(db, "runs", rc, text, json, &arr) != 0)
        return 1;
    if (!arr)
        return 0;
    size_t i;
    json_t *r;
    json_array_foreach(arr, i, r)
    {
        printf("%4lld  %s  %-5s  %lld customers (%lld in full, %lld against %lld changed "
               "entities)  %lld new alerts  %.2f s\n",
               (long long)json_integer_value(json_object_get(r, "id")),
               json_string_value(json_object_get(r, "started_at")),
               json_is_true(json_object_get(r, "full")) ? "full" : "delta",
               (long long)json_integer_value(json_object_get(r, "customers")),
               (long long)json_integer_value(json_object_get(r, "screened_in_full")),
               (long long)json_integer_value(json_object_get(r, "screened_changed")),
               (long long)json_integer_value(json_object_get(r, "entities_changed")),
               (long long)json_integer_value(json_object_get(r, "alerts_new")),
               json_real_value(json_object_get(r, "seconds")));
    }
    if (!json_array_size(arr))
        printf("no runs yet (vigil rescreen)\n");
    json_decref(arr);
    return 0;
}
