/*
 * cases.c - case work over HTTP (docs/api.md): the alert queue and one alert,
 * assignment, decisions (under four eyes with --four-eyes: proposed by one
 * user, approved or returned by another of the reviewer role), the
 * customers, customer imports and re-screening runs as background tasks with
 * their progress, list differences, and the audit trail as JSON or CSV. The
 * work is the store's (src/store/cases.c); this file reads arguments, calls
 * it with the request's user, and answers.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../customers.h"
#include "server.h"

#define MAX_TASKS 64

/* A customer import or a re-screening run, in the background. */
typedef struct {
    char id[40];
    char owner[65];
    const char *kind; /* "import", "rescreen" */
    pthread_mutex_t mu;
    int done, failed;
    long long rows;  /* records read so far (a run: customers) */
    long long total; /* a run: customers held; 0: not known */
    char *summary;   /* JSON, once done */
    char *body;      /* an import's upload */
    size_t len;
    vigil_rescreen_options ro;
    json_t *refused; /* an import's first refused records */
} task;

static task *tasks[MAX_TASKS];
static pthread_mutex_t tasks_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rescreen_mu = PTHREAD_MUTEX_INITIALIZER; /* one run at a time */

/* The answer for a store call that gave rc (json on success, taken). */
static enum MHD_Result answer(struct MHD_Connection *c, vigil_db *db, int rc, char *json,
                              int *status)
{
    if (rc == VIGIL_OK) {
        enum MHD_Result ok =
            send_text(c, *status = 200, strdup(json ? json : "{}"), "application/json");
        vigil_free(json);
        return ok;
    }
    vigil_free(json);
    int st = rc == VIGIL_ERR_NOTFOUND ? 404 : rc == VIGIL_ERR_ARG ? 400 : 500;
    return send_error(c, *status = st, db ? vigil_errmsg(db) : "cannot open the database");
}

static const char *arg(struct MHD_Connection *c, const char *key)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    return v && *v ? v : NULL;
}

/* A whole number of the query string in [lo, hi], or def; -1 when malformed. */
static long long int_arg(struct MHD_Connection *c, const char *key, long long lo, long long hi,
                         long long def)
{
    const char *v = arg(c, key);
    if (!v)
        return def;
    char *end;
    long long n = strtoll(v, &end, 10);
    return *end || n < lo || n > hi ? -1 : n;
}

/* The alert id at the start of rest ("12", "12/decision"), 0 when none. */
static long long alert_id(const char *rest, const char **tail)
{
    char *end;
    long long id = strtoll(rest, &end, 10);
    if (end == rest || id <= 0 || (*end && *end != '/'))
        return 0;
    *tail = *end ? end + 1 : "";
    return id;
}

/* The request's body as a JSON object, or NULL after a 400. */
static json_t *body_object(struct MHD_Connection *c, req *r, int *status, enum MHD_Result *ok)
{
    json_error_t err;
    json_t *o = r->len ? json_loadb(r->body, r->len, 0, &err) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        *ok = send_error(c, *status = 400, "the body is a JSON object");
        return NULL;
    }
    return o;
}

/* ---------------------------------------------------------------- alerts */

enum MHD_Result vigil_srv_alerts(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status)
{
    (void)r;
    (void)rest;
    long long limit = int_arg(c, "limit", 1, 1000, 50),
              offset = int_arg(c, "offset", 0, 1e12, 0);
    long long age = int_arg(c, "max_age_days", 1, 36500, 0);
    double min_score = 0;
    if (limit < 0 || offset < 0 || age < 0 ||
        vigil_srv_num_arg(c, "min_score", 0, 1, 0, &min_score))
        return send_error(c, *status = 400,
                          "limit is 1 to 1000, offset 0 or more, max_age_days 1 or more, "
                          "min_score 0 to 1");
    vigil_alert_filter f = {
        .status = arg(c, "status"),
        .source = arg(c, "list"),
        .programme = arg(c, "programme"),
        .min_score = min_score,
        .max_age_days = (int)age,
        .assignee = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "assignee"),
        .customer = arg(c, "customer"),
        .limit = (int)limit,
        .offset = (int)offset};
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc = db ? vigil_alert_queue(db, &f, &json) : VIGIL_ERR_DB;
    enum MHD_Result ok = answer(c, db, rc, json, status);
    vigil_db_close(db);
    return ok;
}

enum MHD_Result vigil_srv_alert(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    (void)r;
    const char *tail;
    long long id = alert_id(rest, &tail);
    if (!id || *tail)
        return send_error(c, *status = 404, "an alert is /alerts/{id}, its id a number");
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc = db ? vigil_alert_get(db, id, &json) : VIGIL_ERR_DB;
    enum MHD_Result ok = answer(c, db, rc, json, status);
    vigil_db_close(db);
    return ok;
}

/* POST /alerts/{id}/assign {"to"}, /decision {"decision", "note"}, /review
 * {"approve", "note"} (the reviewer role). */
enum MHD_Result vigil_srv_alert_act(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status)
{
    const char *tail;
    long long id = alert_id(rest, &tail);
    int assign = strcmp(tail, "assign") == 0, decide = strcmp(tail, "decision") == 0,
        review = strcmp(tail, "review") == 0;
    if (!id || (!assign && !decide && !review))
        return send_error(c, *status = 404,
                          "POST /alerts/{id}/assign, /alerts/{id}/decision or "
                          "/alerts/{id}/review");
    if (review && r->who.role < VIGIL_ROLE_REVIEWER)
        return send_error(c, *status = 403, "reviewing a decision needs the reviewer role");
    enum MHD_Result ok = MHD_NO;
    json_t *o = body_object(c, r, status, &ok);
    if (!o)
        return ok;
    const char *note = json_string_value(json_object_get(o, "note"));
    vigil_db *db = vigil_srv_open_db(1);
    int rc = VIGIL_ERR_DB;
    if (db && assign) {
        json_t *to = json_object_get(o, "to");
        if (to && !json_is_null(to) && !json_is_string(to))
            rc = VIGIL_ERR_ARG;
        else
            rc = vigil_alert_assign(db, id, json_string_value(to), r->who.user);
    } else if (db && decide) {
        const char *d = json_string_value(json_object_get(o, "decision"));
        rc = vigil_srv_opts->four_eyes ? vigil_propose(db, id, d, note, r->who.user)
                                       : vigil_decide(db, id, d, note, r->who.user);
    } else if (db && review) {
        json_t *ap = json_object_get(o, "approve");
        rc = json_is_boolean(ap) ? vigil_review(db, id, json_is_true(ap), note, r->who.user)
                                 : VIGIL_ERR_ARG;
    }
    json_decref(o);
    if (db && rc == VIGIL_ERR_ARG && !*vigil_errmsg(db))
        ok = send_error(c, *status = 400,
                        assign ? "{\"to\": a user's name, or null}"
                               : "{\"approve\": true or false, \"note\": \"why\"}");
    else if (rc == VIGIL_OK) {
        char *json = NULL;
        rc = vigil_alert_get(db, id, &json);
        ok = answer(c, db, rc, json, status);
    } else
        ok = answer(c, db, rc, NULL, status);
    vigil_db_close(db);
    return ok;
}

/* ------------------------------------------------------------- customers */

enum MHD_Result vigil_srv_customers(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status)
{
    (void)rest;
    (void)r;
    long long limit = int_arg(c, "limit", 1, 1000, 50),
              offset = int_arg(c, "offset", 0, 1e12, 0);
    if (limit < 0 || offset < 0)
        return send_error(c, *status = 400, "limit is 1 to 1000, offset 0 or more");
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc = db ? vigil_customers_json(db, arg(c, "q"), (int)limit, (int)offset, &json)
                : VIGIL_ERR_DB;
    enum MHD_Result ok = answer(c, db, rc, json, status);
    vigil_db_close(db);
    return ok;
}

enum MHD_Result vigil_srv_customer(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status)
{
    (void)r;
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc = db ? vigil_customer_get(db, rest, &json) : VIGIL_ERR_DB;
    enum MHD_Result ok = answer(c, db, rc, json, status);
    vigil_db_close(db);
    return ok;
}

/* ----------------------------------------------------------------- tasks */

static void task_free(task *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    vigil_srv_body_release(t->body, t->len);
    free(t->summary);
    json_decref(t->refused);
    free(t);
}

static void task_refused(void *ctx, long long row, const char *id, const char *why)
{
    task *t = ctx;
    pthread_mutex_lock(&t->mu);
    if (json_array_size(t->refused) < 100)
        json_array_append_new(t->refused, json_pack("{s:I,s:s?,s:s}", "row", (json_int_t)row,
                                                    "id", id, "error", why));
    pthread_mutex_unlock(&t->mu);
}

static void task_block(void *ctx, const vigil_cli_import *im)
{
    task *t = ctx;
    pthread_mutex_lock(&t->mu);
    t->rows = im->rows;
    pthread_mutex_unlock(&t->mu);
}

static void task_progress(void *ctx, int64_t read, int64_t total)
{
    task *t = ctx;
    pthread_mutex_lock(&t->mu);
    t->rows = read;
    t->total = total;
    pthread_mutex_unlock(&t->mu);
}

static void *task_run(void *arg)
{
    task *t = arg;
    vigil_db *db = vigil_srv_open_db(1);
    json_t *sum = NULL;
    int failed = !db;
    if (db && strcmp(t->kind, "import") == 0) {
        vigil_cli_import im = {
            .db = db, .on_refused = task_refused, .on_block = task_block, .ctx = t};
        FILE *in = fmemopen(t->body, t->len, "r");
        int rc = in ? vigil_cli_customers_read(in, NULL, &im) : -1;
        if (in)
            fclose(in);
        int64_t held = 0;
        vigil_customers_count(db, &held);
        pthread_mutex_lock(&t->mu);
        sum = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:O}", "rows", (json_int_t)im.rows, "added",
                        (json_int_t)im.counts[VIGIL_CUSTOMER_ADDED], "changed",
                        (json_int_t)im.counts[VIGIL_CUSTOMER_CHANGED], "unchanged",
                        (json_int_t)im.counts[VIGIL_CUSTOMER_UNCHANGED], "refused",
                        (json_int_t)im.refused, "customers", (json_int_t)held, "refused_rows",
                        t->refused);
        pthread_mutex_unlock(&t->mu);
        if (rc != 0) {
            failed = 1;
            json_object_set_new(sum, "error",
                                json_string(im.failed ? im.error : "the upload is unreadable"));
        }
        if (rc == 0) {
            char detail[160];
            snprintf(detail, sizeof(detail), "%lld added, %lld changed, %lld refused",
                     im.counts[VIGIL_CUSTOMER_ADDED], im.counts[VIGIL_CUSTOMER_CHANGED],
                     im.refused);
            if (vigil_audit_add(db, t->owner, "imported", NULL, NULL, detail) != VIGIL_OK)
                fprintf(stderr, "vigil serve: %s\n", vigil_errmsg(db));
        }
    } else if (db) {
        vigil_rescreen_result res;
        t->ro.progress = task_progress;
        t->ro.progress_ctx = t;
        pthread_mutex_lock(&rescreen_mu);
        int rc = vigil_rescreen(db, &t->ro, &res);
        pthread_mutex_unlock(&rescreen_mu);
        if (rc == VIGIL_OK)
            sum = json_pack(
                "{s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "run", (json_int_t)res.run_id,
                "full", res.full, "customers", (json_int_t)res.customers, "screened_in_full",
                (json_int_t)res.screened_in_full, "screened_changed",
                (json_int_t)res.screened_changed, "entities_changed",
                (json_int_t)res.entities_changed, "entities_removed",
                (json_int_t)res.entities_removed, "alerts_new", (json_int_t)res.alerts_new,
                "alerts_known", (json_int_t)res.alerts_known, "alerts_delisted",
                (json_int_t)res.alerts_delisted, "seconds", res.seconds);
        else {
            failed = 1;
            sum = json_pack("{s:s}", "error", vigil_errmsg(db));
        }
    }
    char *text = sum ? json_dumps(sum, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(sum);
    vigil_db_close(db);
    pthread_mutex_lock(&t->mu);
    t->summary = text ? text : strdup("{\"error\":\"cannot open the database\"}");
    t->failed = failed;
    t->done = 1;
    vigil_srv_body_release(t->body, t->len);
    t->body = NULL;
    t->len = 0;
    pthread_mutex_unlock(&t->mu);
    vigil_thread_done();
    return NULL;
}

/* Starts t in the background: the 202 answer, or an error. */
static enum MHD_Result task_start(struct MHD_Connection *c, task *t, int *status)
{
    t->id[0] = 't';
    if (vigil_srv_random_hex(t->id + 1) != 0) {
        task_free(t);
        return send_error(c, *status = 500, "no random bytes for the task's id");
    }
    int slot = -1;
    task *old = NULL;
    pthread_mutex_lock(&tasks_mu);
    for (int i = 0; i < MAX_TASKS && slot < 0; i++)
        if (!tasks[i])
            slot = i;
    for (int i = 0; i < MAX_TASKS && slot < 0; i++) { /* the first finished one makes room */
        pthread_mutex_lock(&tasks[i]->mu);
        int done = tasks[i]->done;
        pthread_mutex_unlock(&tasks[i]->mu);
        if (done) {
            slot = i;
            old = tasks[i];
        }
    }
    if (slot >= 0)
        tasks[slot] = t;
    pthread_mutex_unlock(&tasks_mu);
    task_free(old);
    if (slot < 0) {
        task_free(t);
        return send_error_with(c, *status = 503, "too many tasks running: try again shortly",
                               "Retry-After", "30");
    }
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&th, &attr, task_run, t) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        pthread_mutex_lock(&t->mu);
        t->done = t->failed = 1;
        t->summary = strdup("{\"error\":\"cannot start the task\"}");
        pthread_mutex_unlock(&t->mu);
        return send_error(c, *status = 500, "cannot start the task");
    }
    sb b = {0};
    sb_cat(&b, "{\"id\":");
    sb_str(&b, t->id);
    sb_printf(&b, ",\"kind\":\"%s\",\"status\":\"running\"}", t->kind);
    return send_sb(c, *status = 202, &b);
}

static task *task_new(const char *kind, req *r)
{
    task *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    pthread_mutex_init(&t->mu, NULL);
    t->kind = kind;
    t->refused = json_array();
    snprintf(t->owner, sizeof(t->owner), "%s", r->who.user);
    return t;
}

enum MHD_Result vigil_srv_import(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status)
{
    (void)rest;
    if (!r->len)
        return send_error(c, *status = 400, "upload a CSV with a header, or JSON lines");
    task *t = task_new("import", r);
    if (!t)
        return send_error(c, *status = 500, "out of memory");
    t->body = r->body; /* the task's now, counted against the bodies' memory until freed */
    t->len = r->len;
    r->body = NULL;
    r->len = 0;
    return task_start(c, t, status);
}

enum MHD_Result vigil_srv_rescreen(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status)
{
    (void)rest;
    double threshold;
    if (vigil_srv_num_arg(c, "threshold", 0.01, 1.0, 0, &threshold))
        return send_error(c, *status = 400, "threshold is a number in (0, 1]");
    const char *full = arg(c, "full");
    task *t = task_new("rescreen", r);
    if (!t)
        return send_error(c, *status = 500, "out of memory");
    t->ro.threshold = threshold;
    t->ro.full = full && (strcmp(full, "1") == 0 || strcmp(full, "true") == 0);
    return task_start(c, t, status);
}

enum MHD_Result vigil_srv_task(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    pthread_mutex_lock(&tasks_mu);
    task *t = NULL;
    for (int i = 0; i < MAX_TASKS && !t; i++)
        if (tasks[i] && strcmp(tasks[i]->id, rest) == 0 &&
            strcmp(tasks[i]->owner, r->who.user) == 0)
            t = tasks[i];
    sb b = {0};
    if (t) {
        pthread_mutex_lock(&t->mu);
        sb_cat(&b, "{\"id\":");
        sb_str(&b, t->id);
        sb_printf(&b,
                  ",\"kind\":\"%s\",\"status\":\"%s\",\"rows\":%lld,\"total\":%lld,"
                  "\"summary\":%s}",
                  t->kind,
                  !t->done    ? "running"
                  : t->failed ? "failed"
                              : "done",
                  t->rows, t->total, t->summary ? t->summary : "null");
        pthread_mutex_unlock(&t->mu);
    }
    pthread_mutex_unlock(&tasks_mu);
    if (!t)
        return send_error(c, *status = 404, "no such task");
    return send_sb(c, *status = 200, &b);
}

void vigil_srv_tasks_end(void)
{
    for (int k = 0; k < 3000; k++) {
        int running = 0;
        pthread_mutex_lock(&tasks_mu);
        for (int i = 0; i < MAX_TASKS; i++)
            if (tasks[i]) {
                pthread_mutex_lock(&tasks[i]->mu);
                running += !tasks[i]->done;
                pthread_mutex_unlock(&tasks[i]->mu);
            }
        pthread_mutex_unlock(&tasks_mu);
        if (!running)
            break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&tasks_mu);
    for (int i = 0; i < MAX_TASKS; i++) {
        int done = 1;
        if (tasks[i]) {
            pthread_mutex_lock(&tasks[i]->mu);
            done = tasks[i]->done;
            pthread_mutex_unlock(&tasks[i]->mu);
        }
        if (done) { /* one still running is left to the process's end */
            task_free(tasks[i]);
            tasks[i] = NULL;
        }
    }
    pthread_mutex_unlock(&tasks_mu);
}

/* ------------------------------------------------------ runs, diffs, trail */

static enum MHD_Result send_csv(struct MHD_Connection *c, sb *b, const char *name, int *status);

enum MHD_Result vigil_srv_runs(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    (void)rest;
    (void)r;
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc = db ? vigil_runs_json(db, &json) : VIGIL_ERR_DB;
    enum MHD_Result ok = answer(c, db, rc, json, status);
    vigil_db_close(db);
    return ok;
}

/* GET /diff/{source}?from=&to= (the two latest versions by default). */
enum MHD_Result vigil_srv_diff(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    (void)r;
    long long from = int_arg(c, "from", 1, 9e18, 0), to = int_arg(c, "to", 1, 9e18, 0);
    if (from < 0 || to < 0 || strchr(rest, '/'))
        return send_error(c, *status = 400,
                          "GET /diff/{list}?from=VERSION&to=VERSION (version ids)");
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc = db ? vigil_diff(db, rest, from, to, &json) : VIGIL_ERR_DB;
    enum MHD_Result ok = answer(c, db, rc, json, status);
    vigil_db_close(db);
    return ok;
}

/* GET /audit[.csv]?alert=&customer=&limit=&offset= */
static enum MHD_Result audit(struct MHD_Connection *c, int csv, int *status)
{
    long long alert = int_arg(c, "alert", 1, 9e18, 0), limit = int_arg(c, "limit", 1, 1e9, 0),
              offset = int_arg(c, "offset", 0, 1e12, 0);
    if (alert < 0 || limit < 0 || offset < 0)
        return send_error(c, *status = 400, "alert is an alert's id; limit, offset numbers");
    vigil_db *db = vigil_srv_open_db(1);
    char *json = NULL;
    int rc =
        db ? vigil_audit_json(db, alert, arg(c, "customer"), (int)limit, (int)offset, &json)
           : VIGIL_ERR_DB;
    if (rc != VIGIL_OK || !csv) {
        enum MHD_Result ok = MHD_NO;
        if (rc == VIGIL_OK) {
            sb b = {0};
            sb_cat(&b, "{\"trail\":");
            sb_cat(&b, json);
            sb_cat(&b, "}");
            vigil_free(json);
            ok = send_sb(c, *status = 200, &b);
        } else
            ok = answer(c, db, rc, json, status);
        vigil_db_close(db);
        return ok;
    }
    vigil_db_close(db);
    json_t *arr = json_loads(json, 0, NULL);
    vigil_free(json);
    sb b = {0};
    sb_cat(&b, "id,at,user,action,alert_id,customer_id,note,detail,versions\n");
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        char id[32], aid[32] = "";
        snprintf(id, sizeof(id), "%lld",
                 (long long)json_integer_value(json_object_get(e, "id")));
        if (json_is_integer(json_object_get(e, "alert_id")))
            snprintf(aid, sizeof(aid), "%lld",
                     (long long)json_integer_value(json_object_get(e, "alert_id")));
        char *vers = json_dumps(json_object_get(e, "versions"), JSON_COMPACT | JSON_ENCODE_ANY);
        sb_csv_field(&b, id, 0);
        static const char *const keys[] = {"at", "user", "action"};
        for (int k = 0; k < 3; k++)
            sb_csv_field(&b, json_string_value(json_object_get(e, keys[k])), 0);
        sb_csv_field(&b, aid, 0);
        sb_csv_field(&b, json_string_value(json_object_get(e, "customer_id")), 0);
        sb_csv_field(&b, json_string_value(json_object_get(e, "note")), 0);
        sb_csv_field(&b, json_string_value(json_object_get(e, "detail")), 0);
        sb_csv_field(&b, vers && strcmp(vers, "null") ? vers : NULL, 1);
        free(vers);
    }
    json_decref(arr);
    if (b.err || !b.s) {
        free(b.s);
        return send_error(c, *status = 500, "out of memory");
    }
    return send_csv(c, &b, "vigil-audit.csv", status);
}

enum MHD_Result vigil_srv_audit(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    (void)rest;
    (void)r;
    return audit(c, 0, status);
}

enum MHD_Result vigil_srv_audit_csv(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status)
{
    (void)rest;
    (void)r;
    return audit(c, 1, status);
}

/* Queues b (taken) as a CSV attachment named name. */
static enum MHD_Result send_csv(struct MHD_Connection *c, sb *b, const char *name, int *status)
{
    char disp[128];
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
    return send_buffer(c, *status = 200, b->s, b->n, "text/csv; charset=utf-8",
                       "Content-Disposition", disp, NULL, NULL);
}
