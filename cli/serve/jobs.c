/*
 * jobs.c - batch jobs: a CSV or JSON-lines upload (the web page's batch)
 * screened in the background by vigil batch's own code (cli/batch.c). The
 * results go to the database as they are made (src/store/batches.c), owned
 * by the user who uploaded them, under an id of 128 random bits; their
 * progress is polled, and they are streamed back a line at a time, as JSON
 * lines or CSV, never copied whole into memory. Another user's batch is
 * answered as no batch at all.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../batch.h"
#include "server.h"

#define MAX_RUNNING 4 /* batches screened at once, all users */
#define STREAM_BLOCK (32 * 1024)

/* A batch being screened. */
typedef struct {
    char id[40];
    char owner[65];
    char *body;
    size_t len;
    double threshold;
    size_t limit;
    vigil_db *db; /* its own connection, for its writes */
    FILE *out;    /* the block being written (a memory stream) */
    char *buf;
    size_t size;
    long long rows; /* records screened so far */
    int failed_write;
} job;

static job *running[MAX_RUNNING];
static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;

static void job_free(job *j)
{
    if (!j)
        return;
    vigil_srv_body_release(j->body, j->len);
    if (j->out)
        fclose(j->out);
    free(j->buf);
    vigil_db_close(j->db);
    free(j);
}

/* After each block of records: its lines to the database, the stream
 * rewound for the next. */
static void job_block(void *ctx, long long rows, long long failed)
{
    job *j = ctx;
    if (rows >= 0)
        j->rows = rows;
    fflush(j->out);
    if (!j->failed_write &&
        vigil_batch_append(j->db, j->id, j->buf, j->size, j->rows, failed) != VIGIL_OK) {
        fprintf(stderr, "vigil serve: batch %s: %s\n", j->id, vigil_errmsg(j->db));
        j->failed_write = 1;
    }
    fseek(j->out, 0, SEEK_SET);
}

static void *job_run(void *arg)
{
    job *j = arg;
    holder *h = vigil_srv_acquire();
    long long failed = 0;
    FILE *in = h ? fmemopen(j->body, j->len, "r") : NULL;
    if (in) {
        vigil_cli_batch_io io = {j->out, 64, job_block, j};
        vigil_cli_batch_stream(h->e, in, NULL, j->threshold, j->limit, 0, &io, &failed);
        fclose(in);
        job_block(j, -1, failed); /* what the last block left */
    }
    vigil_srv_release(h);
    if (vigil_batch_finish(j->db, j->id, j->rows, failed) != VIGIL_OK)
        fprintf(stderr, "vigil serve: batch %s: %s\n", j->id, vigil_errmsg(j->db));
    pthread_mutex_lock(&jobs_mu);
    for (int i = 0; i < MAX_RUNNING; i++)
        if (running[i] == j)
            running[i] = NULL;
    pthread_mutex_unlock(&jobs_mu);
    job_free(j);
    vigil_thread_done();
    return NULL;
}

enum MHD_Result vigil_srv_batch_start(struct MHD_Connection *c, const char *rest, req *r,
                                      int *status)
{
    (void)rest;
    double threshold, limit;
    if (vigil_srv_num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD, &threshold) ||
        vigil_srv_num_arg(c, "limit", 1, 100, 5, &limit))
        return send_error(c, *status = 400, "threshold is a number in (0, 1], limit 1 to 100");
    if (!r->len)
        return send_error(c, *status = 400, "upload a CSV with a header, or JSON lines");
    job *j = calloc(1, sizeof(*j));
    if (!j)
        return send_error(c, *status = 500, "out of memory");
    j->threshold = threshold;
    j->limit = (size_t)limit;
    snprintf(j->owner, sizeof(j->owner), "%s", r->who.user);
    long long total = 0;
    for (size_t i = 0; i < r->len; i++)
        total += r->body[i] == '\n';
    total += r->body[r->len - 1] != '\n';
    if (r->body[0] != '{')
        total--; /* a CSV's header */
    /* an id nobody can guess: 128 bits from the kernel's random source (a
     * sequence number and the time were found in 1,806 guesses) */
    j->id[0] = 'b';
    if (vigil_srv_random_hex(j->id + 1) != 0) {
        job_free(j);
        return send_error(c, *status = 500, "no random bytes for the batch's id");
    }
    j->db = vigil_srv_open_db(1);
    j->out = j->db ? open_memstream(&j->buf, &j->size) : NULL;
    if (!j->out) {
        job_free(j);
        return send_error(c, *status = 500, "cannot open the database for the batch");
    }
    long long expired;
    vigil_batch_expire(j->db, vigil_srv_opts->batch_days, &expired);
    vigil_batch_info b = {0};
    snprintf(b.id, sizeof(b.id), "%s", j->id);
    snprintf(b.owner, sizeof(b.owner), "%s", j->owner);
    b.total = total;
    b.threshold = threshold;
    int slot = -1;
    pthread_mutex_lock(&jobs_mu);
    for (int i = 0; i < MAX_RUNNING && slot < 0; i++)
        if (!running[i])
            slot = i;
    if (slot >= 0)
        running[slot] = j;
    pthread_mutex_unlock(&jobs_mu);
    if (slot < 0) {
        job_free(j);
        return send_error_with(c, *status = 503,
                               "the server is screening as many batches as it may: try again "
                               "shortly",
                               "Retry-After", "30");
    }
    int ok = vigil_batch_create(j->db, &b) == VIGIL_OK;
    if (ok) { /* the body is the job's now; it counts against the bodies' memory until freed */
        j->body = r->body;
        j->len = r->len;
        r->body = NULL;
        r->len = 0;
    }
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = ok && pthread_create(&th, &attr, job_run, j) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        if (ok)
            vigil_batch_finish(j->db, j->id, 0, 0);
        pthread_mutex_lock(&jobs_mu);
        running[slot] = NULL;
        pthread_mutex_unlock(&jobs_mu);
        job_free(j);
        return send_error(c, *status = 500, "cannot start the batch");
    }
    sb o = {0};
    sb_cat(&o, "{\"id\":");
    sb_str(&o, b.id);
    sb_printf(&o, ",\"status\":\"running\",\"total\":%lld}", total);
    return send_sb(c, *status = 202, &o);
}

#define CSV_HEADER "row,id,status,error,source,source_id,schema,name,matched_name,score,match\n"

/* One JSON result line as CSV: a line per result (one with the record's
 * status and no result when it has none). */
static void line_csv(sb *b, const char *line, size_t n)
{
    json_t *o = json_loadb(line, n, 0, NULL);
    if (!o)
        return;
    char row[32];
    snprintf(row, sizeof(row), "%lld",
             (long long)json_integer_value(json_object_get(o, "row")));
    json_t *res = json_object_get(o, "results");
    size_t k = json_array_size(res);
    for (size_t i = 0; i < (k ? k : 1); i++) {
        json_t *h = json_array_get(res, i);
        char score[32] = "";
        if (h)
            snprintf(score, sizeof(score), "%.4f",
                     json_number_value(json_object_get(h, "score")));
        sb_csv_field(b, row, 0);
        sb_csv_field(b, json_string_value(json_object_get(o, "id")), 0);
        sb_csv_field(b, json_string_value(json_object_get(o, "status")), 0);
        sb_csv_field(b, json_string_value(json_object_get(o, "error")), 0);
        static const char *const keys[] = {"source", "source_id", "schema", "name",
                                           "matched_name"};
        for (int f = 0; f < 5; f++)
            sb_csv_field(b, h ? json_string_value(json_object_get(h, keys[f])) : NULL, 0);
        sb_csv_field(b, score, 0);
        sb_csv_field(b, h ? (json_is_true(json_object_get(h, "match")) ? "true" : "false") : "",
                     1);
    }
    json_decref(o);
}

/* A result being streamed: its own read connection and reader, and what
 * is made but not yet sent. */
typedef struct {
    vigil_db *db;
    vigil_batch_reader *rd;
    int csv, eof;
    sb pending;
    size_t off;
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream *s = cls;
    while (s->pending.n - s->off < max && !s->eof) {
        const char *line;
        size_t n;
        int rc = vigil_batch_read_next(s->rd, &line, &n);
        if (rc < 0)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (rc == 0) {
            s->eof = 1;
            break;
        }
        if (s->csv)
            line_csv(&s->pending, line, n);
        else {
            sb_put(&s->pending, line, n);
            sb_put(&s->pending, "\n", 1);
        }
        if (s->pending.err)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t have = s->pending.n - s->off;
    if (!have)
        return s->eof ? MHD_CONTENT_READER_END_OF_STREAM : 0;
    size_t k = have < max ? have : max;
    memcpy(buf, s->pending.s + s->off, k);
    s->off += k;
    if (s->off == s->pending.n)
        s->pending.n = s->off = 0;
    return (ssize_t)k;
}

static void stream_free(void *cls)
{
    stream *s = cls;
    vigil_batch_read_close(s->rd);
    vigil_db_close(s->db);
    free(s->pending.s);
    free(s);
}

/* The owner's batch of id, in *b; or an error answer already queued
 * (*db NULL). */
static vigil_db *find_batch(struct MHD_Connection *c, const char *id, req *r,
                            vigil_batch_info *b, enum MHD_Result *ok, int *status)
{
    vigil_db *db = vigil_srv_open_db(0);
    if (!db) {
        *ok = send_error(c, *status = 500, "cannot read the database");
        return NULL;
    }
    if (vigil_batch_get(db, id, r->who.user, b) != VIGIL_OK) {
        vigil_db_close(db);
        *ok = send_error(c, *status = 404, "no such batch");
        return NULL;
    }
    return db;
}

static void batch_json(sb *o, const vigil_batch_info *b)
{
    sb_cat(o, "{\"id\":");
    sb_str(o, b->id);
    sb_cat(o, ",\"status\":");
    sb_str(o, b->status);
    sb_printf(o, ",\"rows\":%lld,\"failed\":%lld,\"total\":%lld,\"created_at\":", b->rows,
              b->failed, b->total);
    sb_str(o, b->created_at);
    sb_cat(o, ",\"finished_at\":");
    if (b->finished_at[0])
        sb_str(o, b->finished_at);
    else
        sb_cat(o, "null");
    sb_cat(o, "}");
}

enum MHD_Result vigil_srv_batch_get(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status)
{
    char id[40];
    size_t idn = strcspn(rest, "/");
    snprintf(id, sizeof(id), "%.*s", (int)(idn < 39 ? idn : 39), rest);
    const char *what = rest[idn] == '/' ? rest + idn + 1 : "";
    vigil_batch_info b;
    enum MHD_Result ok = MHD_NO;
    vigil_db *db = find_batch(c, id, r, &b, &ok, status);
    if (!db)
        return ok;
    if (!*what) {
        vigil_db_close(db);
        sb o = {0};
        batch_json(&o, &b);
        return send_sb(c, *status = 200, &o);
    }
    int csv = strcmp(what, "results.csv") == 0;
    if (!csv && strcmp(what, "results.jsonl") != 0) {
        vigil_db_close(db);
        return send_error(c, *status = 404, "a batch has results.jsonl and results.csv");
    }
    if (strcmp(b.status, "running") == 0) {
        vigil_db_close(db);
        return send_error(c, *status = 409, "the batch is still running");
    }
    stream *s = calloc(1, sizeof(*s));
    if (!s || vigil_batch_read_open(db, id, &s->rd) != VIGIL_OK) {
        free(s);
        vigil_db_close(db);
        return send_error(c, *status = 500, "cannot read the batch's results");
    }
    s->db = db;
    s->csv = csv;
    if (csv)
        sb_cat(&s->pending, CSV_HEADER);
    struct MHD_Response *resp = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, s, stream_free);
    if (!resp) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type",
                            csv ? "text/csv; charset=utf-8"
                                : "application/x-ndjson; charset=utf-8");
    char disp[96];
    snprintf(disp, sizeof(disp), "attachment; filename=\"vigil-%s.%s\"", id,
             csv ? "csv" : "jsonl");
    MHD_add_response_header(resp, "Content-Disposition", disp);
    add_security_headers(c, resp);
    ok = MHD_queue_response(c, (unsigned)(*status = 200), resp);
    MHD_destroy_response(resp);
    return ok;
}

enum MHD_Result vigil_srv_batch_list(struct MHD_Connection *c, const char *rest, req *r,
                                     int *status)
{
    (void)rest;
    vigil_db *db = vigil_srv_open_db(0);
    char *json = NULL;
    int rc = db ? vigil_batches_json(db, r->who.user, &json) : VIGIL_ERR_DB;
    vigil_db_close(db);
    if (rc != VIGIL_OK)
        return send_error(c, *status = 500, "cannot read the batches");
    sb o = {0};
    sb_cat(&o, "{\"batches\":");
    sb_cat(&o, json);
    sb_cat(&o, "}");
    vigil_free(json);
    return send_sb(c, *status = 200, &o);
}

enum MHD_Result vigil_srv_batch_delete(struct MHD_Connection *c, const char *rest, req *r,
                                       int *status)
{
    vigil_db *db = vigil_srv_open_db(1);
    if (!db)
        return send_error(c, *status = 500, "cannot open the database");
    int rc = vigil_batch_delete(db, rest, r->who.user);
    vigil_db_close(db);
    if (rc == VIGIL_ERR_NOTFOUND)
        return send_error(c, *status = 404, "no such finished batch");
    if (rc != VIGIL_OK)
        return send_error(c, *status = 500, "cannot delete the batch");
    return send_text(c, *status = 200, strdup("{\"deleted\":true}"), "application/json");
}

void vigil_srv_jobs_start(void)
{
    vigil_db *db = vigil_srv_open_db(1);
    long long n = 0;
    if (db && vigil_batch_expire(db, vigil_srv_opts->batch_days, &n) == VIGIL_OK && n)
        fprintf(stderr, "vigil serve: %lld batches over %d days old deleted\n", n,
                vigil_srv_opts->batch_days);
    vigil_db_close(db);
}

void vigil_srv_jobs_end(void)
{
    /* batches still running hold the engine: wait for them (30 s at most);
     * one still running then is left to the process's end, never freed
     * under it (the database marks it interrupted later) */
    for (int k = 0; k < 3000; k++) {
        int any = 0;
        pthread_mutex_lock(&jobs_mu);
        for (int i = 0; i < MAX_RUNNING; i++)
            any |= running[i] != NULL;
        pthread_mutex_unlock(&jobs_mu);
        if (!any)
            return;
        usleep(10000);
    }
}
