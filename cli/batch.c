/*
 * batch.c - vigil batch: screening a file of customers, in order, in
 * parallel. Built only on the public API.
 *
 * Input: CSV with a header (columns by name, any order: id, name or
 * full_name, schema or type, dob or date_of_birth or birth_date, country or
 * nationality, gender, id_number; others ignored) or JSON lines with the same
 * keys. Output: one JSON line per input record, in input order. Records are
 * read and screened in blocks, so memory stays bounded however long the file.
 */
#include <csv.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"

#define BLOCK 4096
#define MAX_LINE (1 << 20)

enum { F_ID, F_NAME, F_SCHEMA, F_DOB, F_COUNTRY, F_GENDER, F_IDNUM, NFIELDS };

static const char *const aliases[NFIELDS][4] = {
    {"id", NULL},
    {"name", "full_name", NULL},
    {"schema", "type", NULL},
    {"dob", "date_of_birth", "birth_date", NULL},
    {"country", "nationality", NULL},
    {"gender", NULL},
    {"id_number", NULL},
};

typedef struct {
    char *f[NFIELDS];
    char *error; /* set: the record is bad, this says why */
} record;

typedef struct {
    const vigil_engine *e;
    double threshold;
    size_t limit;
    int threads;
    record recs[BLOCK];
    char *out[BLOCK];
    size_t block; /* records screened together (at most BLOCK) */
    const vigil_cli_batch_io *io;
    vigil_cli_records_fn sink; /* set: records go to it, not screened */
    void *sink_ctx;
    const char *who; /* the command, in messages */
    size_t n;
    _Atomic size_t next;
    long long row; /* rows written so far */
    long long failed;
    long long input_size, input_read;
    double started, last_progress;
    int progress;
    /* CSV state */
    int header_done;
    int col[64]; /* column -> field, or -1 */
    int ncols;
    record cur;
    int cur_col;
} batch;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int field_of(const char *name)
{
    for (int f = 0; f < NFIELDS; f++)
        for (int k = 0; aliases[f][k]; k++)
            if (strcmp(name, aliases[f][k]) == 0)
                return f;
    return -1;
}

json_t *vigil_cli_hits_json(const vigil_hits *hits)
{
    json_t *res = json_array();
    for (size_t i = 0; i < hits->n; i++) {
        const vigil_hit *h = &hits->hits[i];
        json_t *why = json_loads(h->explanation, 0, NULL);
        json_array_append_new(
            res, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:b,s:o}", "source", h->source,
                           "source_id", h->source_id, "schema", h->schema, "name", h->name,
                           "matched_name", h->matched_name, "score", h->score, "match",
                           h->match, "explanation", why ? why : json_object()));
    }
    return res;
}

static char *screen_one(batch *b, const record *r, long long row)
{
    json_t *line = json_object();
    json_object_set_new(line, "row", json_integer(row));
    if (r->f[F_ID])
        json_object_set_new(line, "id", json_string(r->f[F_ID]));
    const char *err = r->error;
    vigil_hits hits = {NULL, 0};
    if (!err && (!r->f[F_NAME] || !*r->f[F_NAME]))
        err = "no name";
    if (!err) {
        vigil_query q = {r->f[F_NAME],   r->f[F_SCHEMA], r->f[F_DOB], r->f[F_COUNTRY],
                         r->f[F_GENDER], r->f[F_IDNUM],  NULL,        b->threshold,
                         b->limit};
        if (q.schema && !*q.schema)
            q.schema = NULL;
        int rc = vigil_screen(b->e, &q, &hits);
        if (rc == VIGIL_ERR_ARG)
            err = "unknown schema (Person, Organization, Company, Vessel, Airplane)";
        else if (rc != VIGIL_OK)
            err = vigil_strerror(rc);
    }
    char *results = err ? NULL : vigil_hits_json(&hits);
    if (!err && !results)
        err = vigil_strerror(VIGIL_ERR_NOMEM);
    vigil_hits_free(&hits);
    if (err) {
        json_object_set_new(line, "status", json_string("error"));
        json_object_set_new(line, "error", json_string(err));
    } else {
        json_object_set_new(line, "status", json_string("ok"));
    }
    /* what was screened, so that a line is read without its input beside it */
    static const struct {
        int f;
        const char *key;
    } echo[] = {{F_NAME, "name"},       {F_SCHEMA, "schema"}, {F_DOB, "birth_date"},
                {F_COUNTRY, "country"}, {F_GENDER, "gender"}, {F_IDNUM, "id_number"}};
    json_t *query = json_object();
    for (size_t i = 0; i < sizeof(echo) / sizeof(echo[0]); i++)
        if (r->f[echo[i].f] && *r->f[echo[i].f])
            json_object_set_new(query, echo[i].key, json_string(r->f[echo[i].f]));
    if (json_object_size(query))
        json_object_set_new(line, "query", query);
    else
        json_decref(query);
    char *head = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    if (!head || !results) {
        vigil_free(results);
        return head;
    }
    /* the results, already JSON text, go in as the last member: the head's
     * closing brace becomes ,"results":[...]} */
    size_t hn = strlen(head), rn = strlen(results);
    char *s = realloc(head, hn + rn + 16);
    if (s) {
        memcpy(s + hn - 1, ",\"results\":", 11);
        memcpy(s + hn - 1 + 11, results, rn);
        memcpy(s + hn - 1 + 11 + rn, "}", 2);
    } else
        free(head);
    vigil_free(results);
    return s;
}

static void *worker(void *arg)
{
    batch *b = arg;
    size_t i;
    while ((i = atomic_fetch_add(&b->next, 1)) < b->n)
        b->out[i] = screen_one(b, &b->recs[i], b->row + (long long)i + 1);
    vigil_thread_done();
    return NULL;
}

static void progress(batch *b, int final)
{
    if (!b->progress)
        return;
    double t = now();
    if (!final && t - b->last_progress < 0.25)
        return;
    b->last_progress = t;
    double rate = (double)b->row / (t - b->started > 1e-9 ? t - b->started : 1e-9);
    if (b->input_size > 0) {
        double part = (double)b->input_read / (double)b->input_size;
        double eta = part > 0 ? (t - b->started) * (1.0 - part) / part : 0;
        fprintf(stderr, "\r%lld records, %.0f/s, %3.0f%%, about %.0f s left   ", b->row, rate,
                part * 100, eta);
    } else {
        fprintf(stderr, "\r%lld records, %.0f/s   ", b->row, rate);
    }
    if (final)
        fprintf(stderr, "\n");
}

static void free_records(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        for (int f = 0; f < NFIELDS; f++)
            free(b->recs[i].f[f]);
        free(b->recs[i].error);
        memset(&b->recs[i], 0, sizeof(record));
    }
    b->row += (long long)b->n;
    b->n = 0;
}

/* Hands the records held to the sink. */
static void sink_block(batch *b)
{
    vigil_cli_record rs[BLOCK];
    for (size_t i = 0; i < b->n; i++) {
        char **f = b->recs[i].f;
        rs[i] = (vigil_cli_record){b->row + (long long)i + 1,
                                   f[F_ID],
                                   f[F_NAME],
                                   f[F_SCHEMA],
                                   f[F_DOB],
                                   f[F_COUNTRY],
                                   f[F_GENDER],
                                   f[F_IDNUM],
                                   b->recs[i].error};
    }
    if (b->n)
        b->sink(b->sink_ctx, rs, b->n);
    free_records(b);
}

/* Screens the records held, in parallel, and writes their lines in order. */
static void flush_block(batch *b)
{
    if (b->sink) {
        sink_block(b);
        return;
    }
    atomic_store(&b->next, 0);
    int nt = b->threads > 1 ? b->threads : 1;
    pthread_t th[64];
    int started = 0;
    for (int i = 1; i < nt && i < 64; i++)
        if (pthread_create(&th[started], NULL, worker, b) == 0)
            started++;
    worker(b);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    FILE *out = b->io && b->io->out ? b->io->out : stdout;
    for (size_t i = 0; i < b->n; i++) {
        if (b->out[i]) {
            fputs(b->out[i], out);
            fputc('\n', out);
            if (strstr(b->out[i], "\"status\":\"error\""))
                b->failed++;
        } else {
            fprintf(out, "{\"row\":%lld,\"status\":\"error\",\"error\":\"out of memory\"}\n",
                    b->row + (long long)i + 1);
            b->failed++;
        }
        free(b->out[i]);
        b->out[i] = NULL;
    }
    free_records(b);
    if (b->io && b->io->on_block)
        b->io->on_block(b->io->ctx, b->row, b->failed);
    fflush(stdout);
    progress(b, 0);
}

static void push(batch *b, record *r)
{
    b->recs[b->n++] = *r;
    memset(r, 0, sizeof(*r));
    if (b->n == b->block)
        flush_block(b);
}

/* ---- CSV ---- */

static void csv_field(void *s, size_t len, void *data)
{
    batch *b = data;
    int c = b->cur_col++;
    if (!b->header_done) {
        if (c < 64) {
            char *name = dupn(s ? s : "", s ? len : 0);
            b->col[c] = name ? field_of(name) : -1;
            b->ncols = c + 1;
            free(name);
        }
        return;
    }
    if (s && memchr(s, '\0', len)) {
        /* a NUL would cut the field where it stands: that record is refused */
        if (!b->cur.error)
            b->cur.error = strdup("a NUL byte inside a field");
        return;
    }
    if (c < b->ncols && b->col[c] >= 0 && s && len) {
        int f = b->col[c];
        free(b->cur.f[f]);
        b->cur.f[f] = dupn(s, len);
    }
}

static void csv_row(int term, void *data)
{
    (void)term;
    batch *b = data;
    if (!b->header_done) {
        b->header_done = 1;
        int has_name = 0;
        for (int c = 0; c < b->ncols; c++)
            has_name |= b->col[c] == F_NAME;
        if (!has_name)
            fprintf(stderr, "%s: the CSV header has no name or full_name column\n", b->who);
    } else {
        if (b->cur_col != b->ncols && !b->cur.error) {
            char msg[96];
            snprintf(msg, sizeof(msg), "%d fields, the header has %d", b->cur_col, b->ncols);
            b->cur.error = strdup(msg);
        }
        push(b, &b->cur);
    }
    b->cur_col = 0;
}

static int read_csv(batch *b, FILE *in)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        b->input_read += (long long)n;
        if (csv_parse(&p, buf, n, csv_field, csv_row, b) != n) {
            fprintf(stderr, "%s: malformed CSV after record %lld: %s\n", b->who,
                    b->row + (long long)b->n, csv_strerror(csv_error(&p)));
            break;
        }
    }
    csv_fini(&p, csv_field, csv_row, b);
    csv_free(&p);
    return 0;
}

/* ---- JSON lines ---- */

static void json_record(batch *b, const char *line, size_t len)
{
    record r;
    memset(&r, 0, sizeof(r));
    json_error_t err;
    json_t *o = len > MAX_LINE ? NULL : json_loadb(line, len, 0, &err);
    if (!o || !json_is_object(o)) {
        char msg[200];
        snprintf(msg, sizeof(msg), "not a JSON object: %s",
                 len > MAX_LINE ? "line too long"
                 : o            ? "another JSON value"
                                : err.text);
        r.error = strdup(msg);
    } else {
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v)
        {
            int f = field_of(k);
            if (f < 0)
                continue;
            char num[64];
            const char *s = json_string_value(v);
            if (!s && json_is_integer(v)) {
                snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
                s = num;
            }
            if (s) {
                free(r.f[f]);
                r.f[f] = strdup(s);
            }
        }
    }
    json_decref(o);
    push(b, &r);
}

static int read_jsonl(batch *b, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        b->input_read += n;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue;
        json_record(b, line, len);
    }
    free(line);
    return 0;
}

/* Reads every record of in (format as given, or detected), then hands on
 * the last block. */
static int read_input(batch *b, FILE *in, const char *format)
{
    int jsonl;
    if (format)
        jsonl = strcmp(format, "jsonl") == 0;
    else {
        int c;
        do
            c = fgetc(in);
        while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
        jsonl = c == '{';
        if (c != EOF)
            ungetc(c, in);
    }
    int rc = jsonl ? read_jsonl(b, in) : read_csv(b, in);
    flush_block(b);
    return rc;
}

int vigil_cli_read_records(FILE *in, const char *format, vigil_cli_records_fn fn, void *ctx)
{
    batch *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->block = BLOCK;
    b->sink = fn;
    b->sink_ctx = ctx;
    b->who = "vigil customers import";
    int rc = read_input(b, in, format);
    free(b);
    return rc;
}

int vigil_cli_batch(const vigil_engine *e, const char *path, const char *format,
                    double threshold, size_t limit, int threads, long long *failed)
{
    FILE *in = stdin;
    if (path && strcmp(path, "-") != 0) {
        in = fopen(path, "rb");
        if (!in) {
            fprintf(stderr, "vigil batch: cannot open %s\n", path);
            return -1;
        }
    }
    int rc = vigil_cli_batch_file(e, in, format, threshold, limit, threads, failed);
    if (in != stdin)
        fclose(in);
    return rc;
}

int vigil_cli_batch_file(const vigil_engine *e, FILE *in, const char *format, double threshold,
                         size_t limit, int threads, long long *failed)
{
    return vigil_cli_batch_stream(e, in, format, threshold, limit, threads, NULL, failed);
}

int vigil_cli_batch_stream(const vigil_engine *e, FILE *in, const char *format,
                           double threshold, size_t limit, int threads,
                           const vigil_cli_batch_io *io, long long *failed)
{
    batch *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->io = io;
    b->who = "vigil batch";
    b->block = io && io->block > 0 && io->block < BLOCK ? io->block : BLOCK;
    b->e = e;
    b->threshold = threshold;
    b->limit = limit ? limit : 5;
    b->threads = threads;
    b->started = now();
    b->progress = !io && isatty(2);
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
        b->input_size = st.st_size;
    int rc = read_input(b, in, format);
    progress(b, 1);
    *failed = b->failed;
    long long rows = b->row;
    free(b);
    if (!io)
        fprintf(stderr, "vigil batch: %lld records screened, %lld failed, against %s\n", rows,
                *failed, vigil_engine_versions(e));
    return rc;
}
