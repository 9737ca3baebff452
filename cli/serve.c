/*
 * serve.c - vigil serve: the screening engine over HTTP, built on the public
 * API only. libmicrohttpd does the HTTP (a pool of worker threads, one per
 * core by default); this file routes, bounds, screens and writes JSON.
 *
 * The engine is shared read-only by the workers behind a reference count: a
 * reload (SIGHUP, or POST /admin/reload with the admin token) builds or reads
 * the new engine beside the old one, swaps the pointer under a mutex, and the
 * old engine is closed by the last request still using it, so no request
 * fails or sees half a list. SIGTERM stops accepting connections, lets the
 * requests in flight finish (10 s at most), then exits.
 *
 * Bounds: a body over 1 MiB gets 413, over 100 queries 400, headers over
 * 32 KiB are refused by libmicrohttpd, idle connections close after 30 s.
 * Every error is a JSON object {"error": "...", "status": N}. Endpoints and
 * examples: docs/api.md.
 */
#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "request.h"
#include "serve.h"
#include "vigil.h"
#include "web.h"

#define MAX_BODY (1u << 20)
#define MAX_BATCH_BODY (16u << 20) /* a batch upload: about 200,000 customers */
#define MAX_JOBS 16
#define LAT_RING 8192 /* latencies kept for /metrics */

/* ---------------------------------------------------------------- engine */

typedef struct {
    vigil_engine *e;
    atomic_int refs;
    char sources[16][16]; /* the lists it screens, read once from its versions */
    int nsources;
} holder;

static pthread_mutex_t cur_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t reload_mu = PTHREAD_MUTEX_INITIALIZER;
static holder *cur;
static const vigil_serve_opts *opts;

static holder *acquire(void)
{
    pthread_mutex_lock(&cur_mu);
    holder *h = cur;
    if (h)
        atomic_fetch_add(&h->refs, 1);
    pthread_mutex_unlock(&cur_mu);
    return h;
}

static void release(holder *h)
{
    if (h && atomic_fetch_sub(&h->refs, 1) == 1) {
        vigil_engine_close(h->e);
        free(h);
    }
}

/* Opens the engine of the current lists and makes it current. 0, or -1 with
 * a message in msg. */
static int reload(char *msg, size_t cap)
{
    pthread_mutex_lock(&reload_mu);
    vigil_db *db;
    vigil_engine *e = NULL;
    int rc = vigil_db_open(opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_engine_open(db, &e);
    if (rc != VIGIL_OK)
        snprintf(msg, cap, "%s", db ? vigil_errmsg(db) : vigil_strerror(rc));
    vigil_db_close(db);
    holder *h = e ? calloc(1, sizeof(*h)) : NULL;
    if (e && !h) {
        vigil_engine_close(e);
        snprintf(msg, cap, "out of memory");
    }
    if (h) {
        h->e = e;
        atomic_init(&h->refs, 1);
        json_t *vers = json_loads(vigil_engine_versions(e), 0, NULL);
        size_t i;
        json_t *v;
        json_array_foreach(vers, i, v)
        {
            const char *src = json_string_value(json_object_get(v, "source"));
            if (src && h->nsources < 16)
                snprintf(h->sources[h->nsources++], sizeof(h->sources[0]), "%s", src);
        }
        json_decref(vers);
        pthread_mutex_lock(&cur_mu);
        holder *old = cur;
        cur = h;
        pthread_mutex_unlock(&cur_mu);
        release(old);
    }
    pthread_mutex_unlock(&reload_mu);
    return h ? 0 : -1;
}

/* --------------------------------------------------------------- metrics */

enum {
    EP_MATCH,
    EP_SEARCH,
    EP_ENTITY,
    EP_CATALOG,
    EP_HEALTH,
    EP_READY,
    EP_METRICS,
    EP_RELOAD,
    EP_ROOT,
    EP_BATCH,
    EP_PAGE,
    EP_OTHER,
    NEP
};
static const char *const ep_names[NEP] = {"match",   "search", "entities", "catalog",
                                          "healthz", "readyz", "metrics",  "reload",
                                          "api",     "batch",  "page",     "other"};
static const int codes[] = {200, 202, 400, 401, 403, 404, 405, 409, 413, 500, 503};
#define NCODES (int)(sizeof(codes) / sizeof(codes[0]))
static atomic_ullong counts[NEP][NCODES + 1];
static _Atomic double lat_ring[LAT_RING];
static atomic_ullong lat_n;
static atomic_int in_flight;

static void count(int ep, int status, double seconds)
{
    int k = 0;
    while (k < NCODES && codes[k] != status)
        k++;
    atomic_fetch_add(&counts[ep][k], 1);
    unsigned long long i = atomic_fetch_add(&lat_n, 1);
    atomic_store(&lat_ring[i % LAT_RING], seconds);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ------------------------------------------------------------ JSON text */

typedef struct {
    char *s;
    size_t n, cap;
    int err;
} sb;

static void sb_put(sb *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (b->n + n + 1 > nc)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns) {
            b->err = 1;
            return;
        }
        b->s = ns;
        b->cap = nc;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_cat(sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sb *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        sb_put(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1); /* a long argument: the list versions */
    if (!big) {
        b->err = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(b, big, (size_t)n);
    free(big);
}

/* s (valid UTF-8: the engine's and the request's strings are) as a JSON
 * string: quotes, backslashes and control characters escaped. */
static void sb_str(sb *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_put(b, "\"", 1);
    const char *run = s ? s : "";
    const char *p = run;
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        sb_put(b, run, (size_t)(p - run));
        run = p + 1;
        char e[6] = {'\\', (char)ch, 0, 0, 0, 0};
        if (ch < 0x20) {
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[ch >> 4];
            e[5] = hex[ch & 15];
        }
        sb_put(b, e, ch < 0x20 ? 6 : 2);
    }
    sb_put(b, run, (size_t)(p - run));
    sb_put(b, "\"", 1);
}

/* ------------------------------------------------------------- responses */

typedef struct {
    char *body;
    size_t len;
    int too_big;
    struct timespec t0;
} req;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Queues text (malloc'd; taken) as the response with status. */
static enum MHD_Result send_text(struct MHD_Connection *c, int status, char *text,
                                 const char *type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_sb(struct MHD_Connection *c, int status, sb *b)
{
    if (b->err || !b->s) {
        free(b->s);
        const char *oom = "{\"error\":\"out of memory\",\"status\":500}";
        return send_text(c, 500, strdup(oom), "application/json");
    }
    return send_text(c, status, b->s, "application/json");
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
    sb b = {0};
    sb_cat(&b, "{\"error\":");
    sb_str(&b, msg);
    sb_printf(&b, ",\"status\":%d}", status);
    return send_sb(c, status, &b);
}

/* --------------------------------------------------------------- screening */

/* Screens every name of q into *out (zeroed here), keeping each entity's
 * best hit (vigil_hits_merge) and leaving out those of exclude_schema.
 * Returns VIGIL_OK, or an error code (then *out is empty). */
static int screen_query(const vigil_engine *e, const vigil_match_query *q, const char *sources,
                        double threshold, size_t limit, const char *exclude_schema,
                        vigil_hits *out)
{
    memset(out, 0, sizeof(*out));
    for (int k = 0; k < q->nnames; k++) {
        vigil_query vq = {q->names[k],  q->schema, q->birth_date, q->country, q->gender,
                          q->id_number, sources,   threshold,     limit};
        vigil_hits hits;
        int rc = vigil_screen(e, &vq, &hits);
        if (rc == VIGIL_OK && exclude_schema) {
            size_t kept = 0;
            for (size_t i = 0; i < hits.n; i++) {
                if (strcmp(exclude_schema, hits.hits[i].schema) == 0)
                    free(hits.hits[i].explanation);
                else
                    hits.hits[kept++] = hits.hits[i];
            }
            hits.n = kept;
        }
        /* the cut to the limit once all names are in */
        if (rc == VIGIL_OK)
            rc = vigil_hits_merge(out, &hits, k == q->nnames - 1 ? limit : 0);
        vigil_hits_free(&hits);
        if (rc != VIGIL_OK) {
            vigil_hits_free(out);
            return rc;
        }
    }
    return VIGIL_OK;
}

static void write_result(sb *b, const vigil_hit *h)
{
    sb_cat(b, "{\"id\":");
    char id[96];
    snprintf(id, sizeof(id), "%s:%s", h->source, h->source_id);
    sb_str(b, id);
    sb_cat(b, ",\"caption\":");
    sb_str(b, h->name);
    sb_cat(b, ",\"schema\":");
    sb_str(b, h->schema);
    sb_cat(b, ",\"properties\":{\"name\":[");
    sb_str(b, h->name);
    if (strcmp(h->name, h->matched_name) != 0) {
        sb_cat(b, ",");
        sb_str(b, h->matched_name);
    }
    sb_cat(b, "]},\"datasets\":[");
    sb_str(b, h->source);
    sb_printf(b, "],\"matched_name\":");
    sb_str(b, h->matched_name);
    sb_printf(b, ",\"score\":%.4f,\"match\":%s,\"explanations\":%s}", h->score,
              h->match ? "true" : "false", h->explanation ? h->explanation : "{}");
}

/* ------------------------------------------------------------- arguments */

typedef struct {
    char values[16][32];
    int n;
} multi;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    multi *m = cls;
    const char *want = m->values[15]; /* the key asked for, kept in the last slot */
    if (value && strcmp(key, want) == 0 && m->n < 15)
        snprintf(m->values[m->n++], sizeof(m->values[0]), "%s", value);
    return MHD_YES;
}

static void get_multi(struct MHD_Connection *c, const char *key, multi *m)
{
    memset(m, 0, sizeof(*m));
    snprintf(m->values[15], sizeof(m->values[15]), "%s", key);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, m);
}

static int in_multi(const multi *m, const char *s)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->values[i], s) == 0)
            return 1;
    return 0;
}

/* The sources to screen: dataset ("default": every loaded list), narrowed by
 * include_dataset and exclude_dataset. Writes them comma-separated into out;
 * 404 when dataset is not a loaded list. */
static int sources_of(struct MHD_Connection *c, const holder *h, const char *dataset, char *out,
                      size_t cap, char *msg, size_t mcap)
{
    multi inc, exc;
    get_multi(c, "include_dataset", &inc);
    get_multi(c, "exclude_dataset", &exc);
    int all = strcmp(dataset, "default") == 0 || strcmp(dataset, "sanctions") == 0;
    int found = all;
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < h->nsources; i++) {
        const char *s = h->sources[i];
        found |= strcmp(dataset, s) == 0;
        if (!(all || strcmp(dataset, s) == 0) || (inc.n && !in_multi(&inc, s)) ||
            in_multi(&exc, s))
            continue;
        k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? "," : "", s);
        if (k >= cap)
            break;
    }
    if (!found) {
        snprintf(msg, mcap,
                 "no list \"%.64s\" is loaded (default: all; or eu, un, uk, ofac, ...)",
                 dataset);
        return 404;
    }
    if (!out[0])
        snprintf(out, cap, "-"); /* every list left out: none matches */
    return 0;
}

/* A number argument of the query string, or def; 1 when it is malformed. */
static int num_arg(struct MHD_Connection *c, const char *key, double lo, double hi, double def,
                   double *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    *out = def;
    if (!v)
        return 0;
    char *end;
    double d = strtod(v, &end);
    if (*end || end == v || !isfinite(d) || d < lo || d > hi)
        return 1;
    *out = d;
    return 0;
}

/* ----------------------------------------------------------- batch jobs */

/* A CSV or JSON-lines upload screened in the background (the web page's
 * batch): its progress polled, its results fetched once done. At most
 * MAX_JOBS are kept; the oldest finished one makes room. */
typedef struct {
    char id[24];
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
    holder *h = acquire();
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
    release(h);
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

static enum MHD_Result job_start(struct MHD_Connection *c, req *r, int *status)
{
    double threshold, limit;
    if (num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD, &threshold) ||
        num_arg(c, "limit", 1, 100, 5, &limit))
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
    int slot = -1;
    time_t now = time(NULL);
    pthread_mutex_lock(&jobs_mu);
    j->seq = ++job_seq;
    snprintf(j->id, sizeof(j->id), "b%llx%lx", j->seq, (long)now & 0xFFFFF);
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
    if (s && strpbrk(s, ",\"\r\n")) {
        sb_put(b, "\"", 1);
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
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)(*status = 200), r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result do_batch_get(struct MHD_Connection *c, const char *rest, int *status)
{
    char id[32];
    size_t idn = strcspn(rest, "/");
    snprintf(id, sizeof(id), "%.*s", (int)(idn < 31 ? idn : 31), rest);
    const char *what = rest[idn] == '/' ? rest + idn + 1 : "";
    job *j = job_find(id);
    enum MHD_Result ok = batch_answer(c, j, what, status);
    pthread_mutex_unlock(&jobs_mu);
    return ok;
}

/* A file of the page (web/), or NULL. */
static const vigil_web_file *page_file(const char *url)
{
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    for (const vigil_web_file *f = vigil_web_files; f->path; f++)
        if (strcmp(f->path, url) == 0)
            return f;
    return NULL;
}

/* ---------------------------------------------------------------- routes */

static enum MHD_Result do_match(struct MHD_Connection *c, const char *dataset, req *r,
                                int *status)
{
    holder *h = acquire();
    if (!h)
        return send_error(c, *status = 503, "no lists loaded");
    char msg[512], sources[512];
    double threshold, limit;
    vigil_match_request mr;
    const char *exs = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "exclude_schema");
    enum MHD_Result ok;
    if (num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD, &threshold) ||
        num_arg(c, "limit", 1, 500, 5, &limit)) {
        ok = send_error(c, *status = 400, "threshold is a number in (0, 1], limit 1 to 500");
    } else if ((*status = sources_of(c, h, dataset, sources, sizeof(sources), msg,
                                     sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
    } else if ((*status = vigil_match_request_parse(r->body ? r->body : "", r->len, &mr, msg,
                                                    sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
    } else {
        sb b = {0};
        sb_cat(&b, "{\"responses\":{");
        for (int i = 0; i < mr.n && !b.err; i++) {
            vigil_hits res;
            int rc = screen_query(h->e, &mr.q[i], sources, threshold, (size_t)limit, exs, &res);
            sb_str(&b, mr.q[i].key);
            if (rc != VIGIL_OK) {
                sb_printf(&b, ":{\"status\":500,\"error\":");
                sb_str(&b, vigil_strerror(rc));
                sb_cat(&b, "}");
            } else {
                sb_cat(&b, ":{\"status\":200,\"results\":[");
                for (size_t k = 0; k < res.n; k++) {
                    if (k)
                        sb_cat(&b, ",");
                    write_result(&b, &res.hits[k]);
                }
                char *echo = json_dumps(mr.q[i].echo, JSON_COMPACT);
                sb_printf(&b,
                          "],\"total\":{\"value\":%zu,\"relation\":\"eq\"},\"query\":", res.n);
                sb_cat(&b, echo ? echo : "{}");
                sb_cat(&b, "}");
                free(echo);
            }
            if (i + 1 < mr.n)
                sb_cat(&b, ",");
            vigil_hits_free(&res);
        }
        sb_printf(&b, "},\"limit\":%d,\"threshold\":%.4g,\"versions\":%s}", (int)limit,
                  threshold, vigil_engine_versions(h->e));
        vigil_match_request_free(&mr);
        ok = send_sb(c, *status = 200, &b);
    }
    release(h);
    return ok;
}

static enum MHD_Result do_search(struct MHD_Connection *c, const char *dataset, int *status)
{
    holder *h = acquire();
    if (!h)
        return send_error(c, *status = 503, "no lists loaded");
    char msg[512], sources[512];
    double threshold, limit;
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    const char *schema = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "schema");
    enum MHD_Result ok;
    if (!q || !*q || strlen(q) > 1000 || !vigil_utf8_ok(q, strlen(q))) {
        ok = send_error(c, *status = 400,
                        "give a name to search for: ?q=NAME (UTF-8, at most "
                        "1000 bytes)");
    } else if (num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD, &threshold) ||
               num_arg(c, "limit", 1, 500, 10, &limit)) {
        ok = send_error(c, *status = 400, "threshold is a number in (0, 1], limit 1 to 500");
    } else if ((*status = sources_of(c, h, dataset, sources, sizeof(sources), msg,
                                     sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
    } else {
        vigil_match_query mq;
        memset(&mq, 0, sizeof(mq));
        mq.names[0] = q;
        mq.nnames = 1;
        mq.schema = schema && *schema ? schema : NULL;
        mq.birth_date = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "birthDate");
        mq.country = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "country");
        vigil_hits res;
        int rc = screen_query(h->e, &mq, sources, threshold, (size_t)limit, NULL, &res);
        if (rc != VIGIL_OK) {
            ok = send_error(c, *status = rc == VIGIL_ERR_ARG ? 400 : 500,
                            rc == VIGIL_ERR_ARG ? "unknown schema (Person, Organization, "
                                                  "Company, LegalEntity, Vessel, Airplane)"
                                                : vigil_strerror(rc));
        } else {
            sb b = {0};
            sb_cat(&b, "{\"query\":");
            sb_str(&b, q);
            sb_cat(&b, ",\"results\":[");
            for (size_t k = 0; k < res.n; k++) {
                if (k)
                    sb_cat(&b, ",");
                write_result(&b, &res.hits[k]);
            }
            sb_printf(&b, "],\"total\":{\"value\":%zu,\"relation\":\"eq\"},\"versions\":%s}",
                      res.n, vigil_engine_versions(h->e));
            vigil_hits_free(&res);
            ok = send_sb(c, *status = 200, &b);
        }
    }
    release(h);
    return ok;
}

static enum MHD_Result do_entity(struct MHD_Connection *c, const char *id, int *status)
{
    const char *colon = strchr(id, ':');
    if (!colon || colon == id || !colon[1] || strlen(id) > 200 ||
        !vigil_utf8_ok(id, strlen(id)))
        return send_error(c, *status = 400, "an entity is SOURCE:SOURCE_ID, e.g. un:QDi.276");
    char source[32];
    snprintf(source, sizeof(source), "%.*s", (int)(colon - id), id);
    vigil_db *db;
    char *json = NULL;
    int rc = vigil_db_open(opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_entity_json(db, source, colon + 1, 0, &json);
    enum MHD_Result ok;
    if (rc == VIGIL_OK)
        ok = send_text(c, *status = 200, json, "application/json");
    else if (rc == VIGIL_ERR_NOTFOUND)
        ok = send_error(c, *status = 404, "no such entity");
    else
        ok = send_error(c, *status = 500, db ? vigil_errmsg(db) : vigil_strerror(rc));
    vigil_db_close(db);
    return ok;
}

static enum MHD_Result do_catalog(struct MHD_Connection *c, int *status)
{
    vigil_db *db;
    vigil_list_version *v = NULL;
    size_t n = 0;
    int rc = vigil_db_open(opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_versions(db, &v, &n);
    if (rc != VIGIL_OK) {
        enum MHD_Result ok =
            send_error(c, *status = 500, db ? vigil_errmsg(db) : vigil_strerror(rc));
        vigil_db_close(db);
        return ok;
    }
    vigil_db_close(db);
    holder *h = acquire();
    sb b = {0};
    sb_cat(&b, "{\"screening\":");
    sb_cat(&b, h ? vigil_engine_versions(h->e) : "[]");
    sb_cat(&b, ",\"versions\":[");
    for (size_t i = 0; i < n; i++) {
        sb_cat(&b, i ? ",{\"id\":" : "{\"id\":");
        sb_printf(&b, "%lld,\"source\":", (long long)v[i].id);
        sb_str(&b, v[i].source);
        sb_cat(&b, ",\"format\":");
        sb_str(&b, v[i].format);
        sb_cat(&b, ",\"published\":");
        sb_str(&b, v[i].published);
        sb_cat(&b, ",\"loaded_at\":");
        sb_str(&b, v[i].loaded_at);
        sb_cat(&b, ",\"sha256\":");
        sb_str(&b, v[i].sha256);
        sb_printf(&b,
                  ",\"entities\":%lld,\"persons\":%lld,\"organizations\":%lld,\"vessels\":%lld,"
                  "\"airplanes\":%lld}",
                  (long long)v[i].entities, (long long)v[i].persons,
                  (long long)v[i].organizations, (long long)v[i].vessels,
                  (long long)v[i].airplanes);
    }
    sb_cat(&b, "]}");
    vigil_free(v);
    release(h);
    return send_sb(c, *status = 200, &b);
}

static enum MHD_Result do_metrics(struct MHD_Connection *c, int *status)
{
    sb b = {0};
    sb_cat(&b, "# HELP vigil_requests_total Requests answered, by endpoint and status.\n"
               "# TYPE vigil_requests_total counter\n");
    for (int e = 0; e < NEP; e++)
        for (int k = 0; k <= NCODES; k++) {
            unsigned long long n = atomic_load(&counts[e][k]);
            if (n) {
                if (k < NCODES)
                    sb_printf(&b, "vigil_requests_total{endpoint=\"%s\",code=\"%d\"} %llu\n",
                              ep_names[e], codes[k], n);
                else
                    sb_printf(&b, "vigil_requests_total{endpoint=\"%s\",code=\"other\"} %llu\n",
                              ep_names[e], n);
            }
        }
    unsigned long long total = atomic_load(&lat_n);
    size_t n = total < LAT_RING ? (size_t)total : LAT_RING;
    double *lat = malloc((n ? n : 1) * sizeof(double));
    for (size_t i = 0; lat && i < n; i++)
        lat[i] = atomic_load(&lat_ring[i]);
    if (lat && n)
        qsort(lat, n, sizeof(double), cmp_d);
    sb_printf(&b,
              "# HELP vigil_request_duration_seconds Latency of the last %d requests.\n"
              "# TYPE vigil_request_duration_seconds summary\n",
              LAT_RING);
    static const double qs[] = {0.5, 0.9, 0.99};
    for (int i = 0; i < 3; i++)
        sb_printf(&b, "vigil_request_duration_seconds{quantile=\"%g\"} %.6f\n", qs[i],
                  lat && n ? lat[(size_t)(qs[i] * (double)(n - 1))] : 0.0);
    sb_printf(&b, "vigil_request_duration_seconds_count %llu\n", total);
    free(lat);
    holder *h = acquire();
    sb_printf(&b,
              "# HELP vigil_entities Entities in the lists being screened.\n"
              "# TYPE vigil_entities gauge\nvigil_entities %zu\n"
              "# HELP vigil_requests_in_flight Requests being answered.\n"
              "# TYPE vigil_requests_in_flight gauge\nvigil_requests_in_flight %d\n",
              h ? vigil_engine_entities(h->e) : 0, atomic_load(&in_flight));
    release(h);
    if (b.err || !b.s) {
        free(b.s);
        return send_error(c, *status = 500, "out of memory");
    }
    return send_text(c, *status = 200, b.s, "text/plain; version=0.0.4");
}

static enum MHD_Result do_reload(struct MHD_Connection *c, int *status)
{
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!opts->admin_token || !*opts->admin_token)
        return send_error(c, *status = 403,
                          "reloading over HTTP is off (start with --admin-token)");
    char want[512];
    snprintf(want, sizeof(want), "Bearer %s", opts->admin_token);
    /* compared in constant time */
    size_t la = auth ? strlen(auth) : 0, lw = strlen(want);
    unsigned diff = (unsigned)(la != lw);
    for (size_t i = 0; i < lw; i++)
        diff |= (unsigned)(i < la ? (unsigned char)auth[i] : 0) ^ (unsigned char)want[i];
    if (diff)
        return send_error(c, *status = 401, "Authorization: Bearer TOKEN is wrong or missing");
    char msg[1024];
    if (reload(msg, sizeof(msg)) != 0)
        return send_error(c, *status = 500, msg);
    holder *h = acquire();
    sb b = {0};
    sb_printf(&b, "{\"reloaded\":true,\"entities\":%zu,\"versions\":%s}",
              h ? vigil_engine_entities(h->e) : 0, h ? vigil_engine_versions(h->e) : "[]");
    release(h);
    return send_sb(c, *status = 200, &b);
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method,
                             req *r, int *ep, int *status)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int post = strcmp(method, "POST") == 0;
    if (r->too_big) {
        *ep = EP_OTHER;
        return send_error(c, *status = 413,
                          strncmp(url, "/batch", 6) == 0 ? "the upload is larger than 16 MiB"
                                                         : "the body is larger than 1 MiB");
    }
    const vigil_web_file *page = get ? page_file(url) : NULL;
    if (page) {
        *ep = EP_PAGE;
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            page->len, (void *)page->data, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        MHD_add_response_header(resp, "Content-Type", page->type);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        enum MHD_Result ok = MHD_queue_response(c, (unsigned)(*status = 200), resp);
        MHD_destroy_response(resp);
        return ok;
    }
    struct {
        const char *prefix;
        int ep, exact, want_post;
    } routes[] = {{"/match/", EP_MATCH, 0, 1},     {"/search/", EP_SEARCH, 0, 0},
                  {"/entities/", EP_ENTITY, 0, 0}, {"/catalog", EP_CATALOG, 1, 0},
                  {"/healthz", EP_HEALTH, 1, 0},   {"/readyz", EP_READY, 1, 0},
                  {"/metrics", EP_METRICS, 1, 0},  {"/admin/reload", EP_RELOAD, 1, 1},
                  {"/batch", EP_BATCH, 1, 1},      {"/batch/", EP_BATCH, 0, 0},
                  {"/api", EP_ROOT, 1, 0}};
    *ep = EP_OTHER;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        size_t n = strlen(routes[i].prefix);
        if (routes[i].exact ? strcmp(url, routes[i].prefix) != 0
                            : strncmp(url, routes[i].prefix, n) != 0 || !url[n])
            continue;
        *ep = routes[i].ep;
        if (routes[i].want_post ? !post : !get)
            return send_error(c, *status = 405, routes[i].want_post ? "use POST" : "use GET");
        const char *rest = url + n;
        switch (routes[i].ep) {
        case EP_MATCH:
            return do_match(c, rest, r, status);
        case EP_SEARCH:
            return do_search(c, rest, status);
        case EP_ENTITY:
            return do_entity(c, rest, status);
        case EP_CATALOG:
            return do_catalog(c, status);
        case EP_HEALTH:
            return send_text(c, *status = 200, strdup("{\"status\":\"ok\"}"),
                             "application/json");
        case EP_READY: {
            holder *h = acquire();
            int ready = h != NULL;
            release(h);
            return ready ? send_text(c, *status = 200, strdup("{\"status\":\"ready\"}"),
                                     "application/json")
                         : send_error(c, *status = 503, "no lists loaded");
        }
        case EP_METRICS:
            return do_metrics(c, status);
        case EP_RELOAD:
            return do_reload(c, status);
        case EP_BATCH:
            return routes[i].want_post ? job_start(c, r, status)
                                       : do_batch_get(c, rest, status);
        default:
            return send_text(
                c, *status = 200,
                strdup("{\"service\":\"vigil\",\"endpoints\":[\"POST /match/{dataset}\","
                       "\"GET /search/{dataset}?q=\",\"GET /entities/{source}:{id}\","
                       "\"GET /catalog\",\"GET /healthz\",\"GET /readyz\","
                       "\"GET /metrics\",\"POST /admin/reload\",\"POST /batch\","
                       "\"GET /batch/{id}\",\"GET /batch/{id}/results.csv\","
                       "\"GET /batch/{id}/results.jsonl\",\"GET /\"],"
                       "\"docs\":\"docs/api.md\"}"),
                "application/json");
        }
    }
    return send_error(c, *status = 404, "no such endpoint (GET /api lists them)");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        atomic_fetch_add(&in_flight, 1);
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        size_t max = strncmp(url, "/batch", 6) == 0 ? MAX_BATCH_BODY : MAX_BODY;
        if (r->too_big || r->len + n > max) {
            r->too_big = 1;
            return MHD_YES;
        }
        char *nb = realloc(r->body, r->len + n + 1);
        if (!nb)
            return MHD_NO;
        r->body = nb;
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = '\0';
        return MHD_YES;
    }
    int ep = EP_OTHER, status = 500;
    enum MHD_Result ok = route(c, url, method, r, &ep, &status);
    double t = since(&r->t0);
    count(ep, status, t);
    if (opts->access_log) {
        time_t now = time(NULL);
        struct tm tm;
        char when[32];
        gmtime_r(&now, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(opts->access_log, "%s %s %s %d %.0fus %zu\n", when, method, url, status,
                t * 1e6, r->len);
    }
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    req *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
        *con_cls = NULL;
        atomic_fetch_sub(&in_flight, 1);
    }
}

int vigil_cli_serve(const vigil_serve_opts *o)
{
    opts = o;
    /* the signals are waited for by this thread alone: the workers, started
     * after this, inherit the mask */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    char msg[1024];
    if (reload(msg, sizeof(msg)) != 0) {
        fprintf(stderr, "vigil serve: %s\n", msg);
        return 1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->listen, &addr.sin_addr) != 1) {
        fprintf(stderr, "vigil serve: --listen takes an IPv4 address, not \"%s\"\n", o->listen);
        release(cur);
        return 2;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : cores > 0 ? (unsigned)cores : 1;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC, 0, NULL,
        NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "vigil serve: cannot listen on %s:%d\n", o->listen, o->port);
        release(cur);
        return 1;
    }
    holder *h = acquire();
    fprintf(
        stderr, "vigil serve: listening on http://%s:%d/ with %u threads, %zu entities of %s\n",
        o->listen, o->port, threads, vigil_engine_entities(h->e), vigil_engine_versions(h->e));
    release(h);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            if (reload(msg, sizeof(msg)) != 0)
                fprintf(stderr, "vigil serve: reload failed, the lists stay as they were: %s\n",
                        msg);
            else
                fprintf(stderr, "vigil serve: reloaded\n");
            continue;
        }
        break;
    }
    /* stop accepting; let the requests in flight finish (10 s at most) */
    MHD_socket fd = MHD_quiesce_daemon(d);
    for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
        usleep(10000);
    MHD_stop_daemon(d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
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
    release(cur);
    cur = NULL;
    fprintf(stderr, "vigil serve: stopped\n");
    return 0;
}
