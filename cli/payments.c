/*
 * payments.c - vigil screen-message and vigil batch --format payments
 * (docs/payments.md): payment messages read from a file, standard input or
 * every file of a folder, screened against the lists, one decision each.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "payments.h"

#define PAY_MAX_INPUT ((size_t)1 << 30) /* bytes of one input file */
#define BLOCK 2048                      /* messages screened together */

char *vigil_cli_with_message_id(const char *json, long long id)
{
    size_t len = json ? strlen(json) : 0;
    if (len < 2 || json[0] != '{')
        return NULL;
    size_t n = len + 32;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "{\"message_id\":%lld%s%s", id, json[1] == '}' ? "" : ",", json + 1);
    return out;
}

/* Reads all of f (at most PAY_MAX_INPUT bytes) into a malloc'd buffer. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                return NULL;
            }
            break;
        }
        if (cap >= PAY_MAX_INPUT) {
            free(buf);
            errno = EFBIG;
            return NULL;
        }
        char *more = realloc(buf, cap * 2 + 1);
        if (!more)
            free(buf);
        buf = more;
        cap *= 2;
    }
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static char *read_path(const char *path, size_t *len)
{
    FILE *f = (!path || !strcmp(path, "-")) ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = slurp(f, len);
    if (f != stdin)
        fclose(f);
    return buf;
}

/* The line of data[off], from 1. */
static long line_at(const char *data, size_t off, size_t from, long line)
{
    for (size_t i = from; i < off; i++)
        line += data[i] == '\n';
    return line;
}

/* One message of a batch: where it is, and its answer once screened. */
typedef struct {
    const char *data;
    size_t len;
    const char *file;
    long index, line;
    char *out, *result; /* the JSON line; the screening's answer, to keep */
    int held, failed;
} item;

typedef struct {
    const vigil_payments *p;
    double threshold;
    item *items;
    size_t n;
    atomic_size_t next;
} work;

/* Screens one message into its JSON line. */
static void screen_item(const vigil_payments *p, double threshold, item *it)
{
    vigil_message *m = NULL;
    char msg[600];
    int rc = vigil_message_read(it->data, it->len, &m, msg, sizeof(msg));
    char *res = NULL;
    if (rc == VIGIL_OK)
        rc = vigil_message_screen(p, m, threshold, &res, &it->held);
    vigil_message_free(m);
    json_t *line = json_pack("{s:s,s:I,s:I}", "file", it->file ? it->file : "-", "index",
                             (json_int_t)it->index, "line", (json_int_t)it->line);
    if (rc == VIGIL_OK) {
        it->result = strdup(res);
        json_t *r = json_loads(res, 0, NULL);
        json_object_set_new(line, "status", json_string("ok"));
        json_object_update(line, r);
        json_decref(r);
    } else {
        it->failed = 1;
        json_object_set_new(line, "status", json_string("error"));
        json_object_set_new(line, "error",
                            json_string(rc == VIGIL_ERR_FORMAT || rc == VIGIL_ERR_LIMIT
                                            ? msg
                                            : vigil_strerror(rc)));
    }
    vigil_free(res);
    it->out = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
}

static void *worker(void *arg)
{
    work *w = arg;
    size_t i;
    while ((i = atomic_fetch_add(&w->next, 1)) < w->n)
        screen_item(w->p, w->threshold, &w->items[i]);
    return NULL;
}

typedef struct {
    const vigil_payments *p;
    double threshold;
    int threads;
    vigil_db *store; /* where messages are kept, or NULL */
    item block[BLOCK];
    size_t n;
    long long messages, held, failed;
} batch;

static void flush(batch *b)
{
    work w = {b->p, b->threshold, b->block, b->n, 0};
    pthread_t th[64];
    int started = 0;
    for (int t = 1; t < b->threads && t < 64 && (size_t)t < b->n; t++)
        if (pthread_create(&th[started], NULL, worker, &w) == 0)
            started++;
    worker(&w);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->block[i];
        int64_t id = 0;
        if (b->store && it->result &&
            vigil_message_store(b->store, it->result, &id) != VIGIL_OK) {
            fprintf(stderr, "vigil batch: keeping message %ld of %s: %s\n", it->index,
                    it->file ? it->file : "-", vigil_errmsg(b->store));
            it->failed = 1;
        }
        char *line = id && it->out ? vigil_cli_with_message_id(it->out, (long long)id) : NULL;
        if (line) { /* its id, first in the line */
            free(it->out);
            it->out = line;
        }
        free(it->result);
        printf("%s\n",
               it->out ? it->out : "{\"status\":\"error\",\"error\":\"out of memory\"}");
        free(it->out);
        b->messages++;
        b->held += it->held;
        b->failed += it->failed || !it->out;
    }
    b->n = 0;
}

/* Every message of one file's content into the batch. */
static void add_file(batch *b, const char *file, const char *data, size_t len)
{
    size_t at = 0, end, from = 0;
    long index = 0, line = 1;
    while ((at = vigil_messages_next(data, len, at, &end)) < len) {
        line = line_at(data, at, from, line);
        from = at;
        item *it = &b->block[b->n++];
        memset(it, 0, sizeof(*it));
        it->data = data + at;
        it->len = end - at;
        it->file = file;
        it->index = ++index;
        it->line = line;
        if (b->n == BLOCK)
            flush(b);
        at = end;
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int vigil_cli_batch_payments(const vigil_engine *e, const char *path, double threshold,
                             int threads, const char *store_db, long long *failed)
{
    vigil_payments *p = NULL;
    if (vigil_payments_open(e, &p) != VIGIL_OK) {
        fprintf(stderr, "vigil batch: out of memory\n");
        return -1;
    }
    batch *b = calloc(1, sizeof(*b));
    if (!b) {
        vigil_payments_close(p);
        return -1;
    }
    b->p = p;
    b->threshold = threshold;
    b->threads = threads > 0 ? threads : 1;
    if (store_db && vigil_db_open(store_db, 0, &b->store) != VIGIL_OK) {
        fprintf(stderr, "vigil batch: %s\n", vigil_errmsg(b->store));
        vigil_db_close(b->store);
        free(b);
        vigil_payments_close(p);
        return -1;
    }
    struct stat st;
    int rc = 0;
    /* the files: path itself, or a folder's regular files by name */
    char **files = NULL;
    size_t nfiles = 0;
    if (path && strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            size_t n = strlen(path) + strlen(de->d_name) + 2;
            char *full = malloc(n);
            char **more = realloc(files, (nfiles + 1) * sizeof(char *));
            if (!full || !more) {
                free(full);
                if (more)
                    files = more;
                rc = -1;
                break;
            }
            files = more;
            snprintf(full, n, "%s/%s", path, de->d_name);
            struct stat fs;
            if (stat(full, &fs) == 0 && S_ISREG(fs.st_mode))
                files[nfiles++] = full;
            else
                free(full);
        }
        if (d)
            closedir(d);
        else
            rc = -1;
        qsort(files, nfiles, sizeof(char *), by_name);
    } else {
        files = malloc(sizeof(char *));
        if (files)
            files[nfiles++] = strdup(path ? path : "-");
        if (!files || !files[0])
            rc = -1;
    }
    for (size_t i = 0; i < nfiles && rc == 0; i++) {
        size_t len = 0;
        char *data = read_path(files[i], &len);
        if (!data) {
            fprintf(stderr, "vigil batch: %s: %s\n", files[i], strerror(errno));
            b->failed++;
            continue;
        }
        add_file(b, files[i], data, len);
        flush(b); /* the block points into this file's content */
        free(data);
    }
    if (rc != 0)
        fprintf(stderr, "vigil batch: cannot read %s\n", path ? path : "standard input");
    else
        fprintf(stderr, "vigil batch: %lld messages, %lld held, %lld failed\n", b->messages,
                b->held, b->failed);
    *failed = b->failed;
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    vigil_db_close(b->store);
    free(b);
    vigil_payments_close(p);
    return rc;
}

static const char *or_dash(json_t *v)
{
    return json_string_value(v) ? json_string_value(v) : "-";
}

/* The human form of a screening answer. */
static void print_result(json_t *r)
{
    json_t *m = json_object_get(r, "message");
    printf("%s  %s  msg %s  end-to-end %s  uetr %s\n",
           strcmp(json_string_value(json_object_get(r, "decision")), "hold") == 0 ? "HOLD"
                                                                                  : "PASS",
           json_string_value(json_object_get(m, "type")), or_dash(json_object_get(m, "msg_id")),
           or_dash(json_object_get(m, "end_to_end_id")), or_dash(json_object_get(m, "uetr")));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(r, "hits"), i, h)
    {
        const char *src = json_string_value(json_object_get(h, "source"));
        printf("  %-12s %s (line %lld) \"%s\"", json_string_value(json_object_get(h, "kind")),
               json_string_value(json_object_get(h, "path")),
               (long long)json_integer_value(json_object_get(h, "line")),
               json_string_value(json_object_get(h, "value")));
        if (src)
            printf("  ~ %s:%s %s", src, json_string_value(json_object_get(h, "source_id")),
                   json_string_value(json_object_get(h, "entity_name")));
        printf("  %.3f\n", json_number_value(json_object_get(h, "score")));
        json_t *why = json_array_get(json_object_get(h, "reasons"), 0);
        if (why)
            printf("               %s\n", json_string_value(why));
    }
    printf("%zu parties, %zu texts screened\n", json_array_size(json_object_get(m, "parties")),
           json_array_size(json_object_get(m, "texts")));
}

/* Keeps a screened message in the database at path. Returns 0, or -1
 * after a message. */
static int store(const char *path, const char *result, int64_t *id)
{
    vigil_db *db = NULL;
    int rc = vigil_db_open(path, 0, &db);
    if (rc == VIGIL_OK)
        rc = vigil_message_store(db, result, id);
    if (rc != VIGIL_OK)
        fprintf(stderr, "vigil: keeping the message in %s: %s\n", path,
                db ? vigil_errmsg(db) : vigil_strerror(rc));
    vigil_db_close(db);
    return rc == VIGIL_OK ? 0 : -1;
}

int vigil_cli_screen_message(const vigil_engine *e, const char *path, int as_json,
                             double threshold, const char *store_db)
{
    size_t len = 0;
    char *data = read_path(path, &len);
    if (!data) {
        fprintf(stderr, "vigil screen-message: %s: %s\n", path ? path : "-", strerror(errno));
        return 1;
    }
    vigil_message *m = NULL;
    char msg[600];
    int rc = vigil_message_read(data, len, &m, msg, sizeof(msg));
    free(data);
    if (rc != VIGIL_OK) {
        fprintf(stderr, "vigil screen-message: %s: %s\n", path ? path : "-",
                rc == VIGIL_ERR_FORMAT || rc == VIGIL_ERR_LIMIT ? msg : vigil_strerror(rc));
        return 1;
    }
    vigil_payments *p = NULL;
    char *res = NULL;
    int held = 0;
    rc = vigil_payments_open(e, &p);
    if (rc == VIGIL_OK)
        rc = vigil_message_screen(p, m, threshold, &res, &held);
    vigil_payments_close(p);
    vigil_message_free(m);
    if (rc != VIGIL_OK) {
        fprintf(stderr, "vigil screen-message: %s\n", vigil_strerror(rc));
        return 1;
    }
    int64_t id = 0;
    if (store_db && store(store_db, res, &id) != 0) {
        vigil_free(res);
        return 1;
    }
    json_t *r = json_loads(res, 0, NULL);
    vigil_free(res);
    if (id)
        json_object_set_new(r, "message_id", json_integer((json_int_t)id));
    if (as_json) {
        char *s = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
        printf("%s\n", s ? s : "{}");
        free(s);
    } else {
        print_result(r);
        if (id)
            printf("kept as message %lld%s\n", (long long)id,
                   held ? ": its hits are alerts in the queue" : "");
    }
    json_decref(r);
    return held ? 3 : 0;
}
