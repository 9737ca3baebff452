/*
 * jobs.c - batch jobs: a CSV or JSON-lines upload (the web page's batch)
 * screened in the background by vigil batch's own code (cli/batch.c), its
 * progress polled, its results fetched as JSON lines or CSV once done.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../batch.h"
#include "server.h"

#define MAX_JOBS 16

/* A CSV or JSON-lines upload screened in the background (the web page's
 * batch): its progress polled, its results fetched once done. At most
 * MAX_JOBS are kept; the oldest finished one makes room. */
typedef struct {
    char id[40];        /* "b" and 32 hex digits: 128 random bits */
    pthread_mutex_t mu; /* guards the fields below */
    int done;
    long long rows, failed, total;
    char *out; /* the JSON lines, once done */
    size_t outlen;
    char *body;
    size_t len;
    double threshold;
    size_t limit;
    unsigned long long seq;
} job;

static job *jobs[MAX_JOBS];
static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long job_seq;

static void job_free(job *j)
{
    if (!j)
        return;
    pthread_mutex_destroy(&j->mu);
    free(j->out);
    free(j->body);
    free(j);
}

static void job_block(void *ctx, long long rows, long long failed)
{
    job *j = ctx;
    pthread_mutex_lock(&j->mu);
    j->rows = rows;
    j->failed = failed;
    pthread_mutex_unlock(&j->mu);
}

static void *job_run(void *arg)
{
    job *j = arg;
    holder *h = vigil_srv_acquire();
    char *buf = NULL;
    size_t size = 0;
    long long failed = 0;
    FILE *in = h ? fmemopen(j->body, j->len, "r") : NULL;
    FILE *out = in ? open_memstream(&buf, &size) : NULL;
    if (out) {
        vigil_cli_batch_io io = {out, 64, job_block, j};
        vigil_cli_batch_stream(h->e, in, NULL, j->threshold, j->limit, 0, &io, &failed);
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    vigil_srv_release(h);
    pthread_mutex_lock(&j->mu);
    j->out = buf ? buf : strdup("");
    j->outlen = buf ? size : 0;
    j->failed = failed;
    j->done = 1;
    free(j->body);
    j->body = NULL;
    pthread_mutex_unlock(&j->mu);
    vigil_thread_done();
    return NULL;
}

/* The job of id, or NULL; returns with jobs_mu held (the caller unlocks it),
 * so that the job cannot be replaced while it is read. */
static job *job_find(const char *id)
{
    pthread_mutex_lock(&jobs_mu);
    for (int i = 0; i < MAX_JOBS; i++)
        if (jobs[i] && strcmp(jobs[i]->id, id) == 0)
            return jobs[i];
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
    pthread_mutex_init(&j->mu, NULL);
    j->body = r->body;
    j->len = r->len;
    r->body = NULL;
    j->threshold = threshold;
    j->limit = (size_t)limit;
    for (size_t i = 0; i < j->len; i++)
        j->total += j->body[i] == '\n';
    j->total += j->len && j->body[j->len - 1] != '\n';
    if (j->len && j->body[0] != '{')
        j->total--; /* a CSV's header */
    /* an id nobody can guess: 128 bits from the kernel's random source (a
     * sequence number and the time were found in 1,806 guesses) */
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
        job_free(j);
        return send_error(c, *status = 500, "no random bytes for the batch's id");
    }
    j->id[0] = 'b';
    for (int i = 0; i < 16; i++)
        snprintf(j->id + 1 + 2 * i, 3, "%02x", rnd[i]);
    int slot = -1;
    pthread_mutex_lock(&jobs_mu);
    j->seq = ++job_seq;
    for (int i = 0; i < MAX_JOBS && slot < 0; i++)
        if (!jobs[i])
            slot = i;
    for (int i = 0; i < MAX_JOBS && slot < 0; i++) {
        pthread_mutex_lock(&jobs[i]->mu);
        int old = jobs[i]->done && jobs[i]->seq + MAX_JOBS / 2 <= job_seq;
        pthread_mutex_unlock(&jobs[i]->mu);
        if (old)
            slot = i;
    }
    job *evicted = slot >= 0 ? jobs[slot] : NULL;
    if (slot >= 0)
        jobs[slot] = j;
    pthread_mutex_unlock(&jobs_mu);
    job_free(evicted);
    if (slot < 0) {
        job_free(j);
        return send_error(c, *status = 503, "too many batches at once: try again shortly");
    }
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&th, &attr, job_run, j) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        pthread_mutex_lock(&j->mu);
        j->done = 1;
        j->out = strdup("");
        pthread_mutex_unlock(&j->mu);
        return send_error(c, *status = 500, "cannot start the batch");
    }
    sb b = {0};
    sb_cat(&b, "{\"id\":");
    sb_str(&b, j->id);
    sb_printf(&b, ",\"status\":\"running\",\"total\":%lld}", j->total);
    return send_sb(c, *status = 202, &b);
}

/* One CSV field, quoted when it must be. */
static void csv_field(sb *b, const char *s, int last)
{
    /* a cell a spreadsheet would read as a formula (=, +, -, @, a tab or a
     * carriage return first) is written as text: a quote before it, and
     * quoted (OWASP's advice on CSV injection) */
    int formula = s && *s && strchr("=+-@\t\r", *s);
    if (s && (formula || strpbrk(s, ",\"\r\n"))) {
        sb_put(b, "\"", 1);
        if (formula)
            sb_put(b, "'", 1);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                sb_put(b, "\"", 1);
            sb_put(b, p, 1);
        }
        sb_put(b, "\"", 1);
    } else if (s)
        sb_cat(b, s);
    sb_cat(b, last ? "\n" : ",");
}

/* The JSON lines as CSV: a line per result (one with the record's status
 * and no result when it has none). */
static void results_csv(sb *b, const char *jsonl, size_t len)
{
    sb_cat(b, "row,id,status,error,source,source_id,schema,name,matched_name,score,match\n");
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(jsonl + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (jsonl + at)) : len - at;
        json_t *o = json_loadb(jsonl + at, n, 0, NULL);
        at += n + 1;
        if (!o)
            continue;
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
            csv_field(b, row, 0);
            csv_field(b, json_string_value(json_object_get(o, "id")), 0);
            csv_field(b, json_string_value(json_object_get(o, "status")), 0);
            csv_field(b, json_string_value(json_object_get(o, "error")), 0);
            static const char *const keys[] = {"source", "source_id", "schema", "name",
                                               "matched_name"};
            for (int f = 0; f < 5; f++)
                csv_field(b, h ? json_string_value(json_object_get(h, keys[f])) : NULL, 0);
            csv_field(b, score, 0);
            csv_field(
                b, h ? (json_is_true(json_object_get(h, "match")) ? "true" : "false") : "", 1);
        }
        json_decref(o);
    }
}

/* Answers a GET of batch j (NULL: none) for what ("", results.csv,
 * results.jsonl). */
static enum MHD_Result batch_answer(struct MHD_Connection *c, job *j, const char *what,
                                    int *status)
{
    if (!j)
        return send_error(c, *status = 404, "no such batch");
    pthread_mutex_lock(&j->mu);
    int done = j->done;
    long long rows = j->rows, failed = j->failed, total = j->total;
    pthread_mutex_unlock(&j->mu);
    if (!*what) {
        sb b = {0};
        sb_cat(&b, "{\"id\":");
        sb_str(&b, j->id);
        sb_printf(&b, ",\"status\":\"%s\",\"rows\":%lld,\"failed\":%lld,\"total\":%lld}",
                  done ? "done" : "running", rows, failed, total);
        return send_sb(c, *status = 200, &b);
    }
    int csv = strcmp(what, "results.csv") == 0;
    if (!csv && strcmp(what, "results.jsonl") != 0)
        return send_error(c, *status = 404, "a batch has results.jsonl and results.csv");
    if (!done)
        return send_error(c, *status = 409, "the batch is still running");
    /* a finished job's output no longer changes */
    sb b = {0};
    if (csv)
        results_csv(&b, j->out, j->outlen);
    else
        sb_put(&b, j->out, j->outlen);
    if (b.err || !b.s) {
        free(b.s);
        b.s = strdup("");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(b.n, b.s, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(b.s);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type",
                            csv ? "text/csv; charset=utf-8"
                                : "application/x-ndjson; charset=utf-8");
    char disp[96];
    snprintf(disp, sizeof(disp), "attachment; filename=\"vigil-%s.%s\"", j->id,
             csv ? "csv" : "jsonl");
    MHD_add_response_header(r, "Content-Disposition", disp);
    add_security_headers(r);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)(*status = 200), r);
    MHD_destroy_response(r);
    return ok;
}

enum MHD_Result vigil_srv_batch_get(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status)
{
    (void)r;
    char id[40];
    size_t idn = strcspn(rest, "/");
    snprintf(id, sizeof(id), "%.*s", (int)(idn < 39 ? idn : 39), rest);
    const char *what = rest[idn] == '/' ? rest + idn + 1 : "";
    job *j = job_find(id);
    enum MHD_Result ok = batch_answer(c, j, what, status);
    pthread_mutex_unlock(&jobs_mu);
    return ok;
}

void vigil_srv_jobs_end(void)
{
    /* batches still running hold the engine: wait for them (30 s at most);
     * one still running then is left to the process's end, never freed under it */
    for (int i = 0; i < MAX_JOBS; i++) {
        int done = 0;
        for (int k = 0; jobs[i] && k < 3000 && !done; k++) {
            pthread_mutex_lock(&jobs[i]->mu);
            done = jobs[i]->done;
            pthread_mutex_unlock(&jobs[i]->mu);
            if (!done)
                usleep(10000);
        }
        if (done) {
            job_free(jobs[i]);
            jobs[i] = NULL;
        }
    }
}
