/*
 * helpers.c - what many tests need: paths into ../shared, temporary
 * databases and files, and JSON lookups.
 */
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

const char *shared_path(const char *rel)
{
    static char ring[8][1024];
    static int k;
    const char *root = getenv("SHARED");
    char *buf = ring[k++ % 8];
    snprintf(buf, sizeof(ring[0]), "%s/%s", root && *root ? root : "../shared", rel);
    return buf;
}

char *temp_db_path(void)
{
    char tmpl[] = "/tmp/vigil-test-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0) {
        close(fd);
        unlink(tmpl);
    }
    return strdup(tmpl);
}

void remove_db(char *path)
{
    if (!path)
        return;
    vigil__remove_db_files(path);
    free(path);
}

vigil_db *load_fresh(char **path, const char *const *paths, size_t n, int lenient)
{
    *path = temp_db_path();
    vigil_db *db = NULL;
    int rc = vigil_db_open(*path, 0, &db);
    if (rc != VIGIL_OK) {
        test_fail(__FILE__, __LINE__, "open: %s", vigil_errmsg(db));
        vigil_db_close(db);
        return NULL;
    }
    vigil_load_options opt = {lenient, NULL, 0};
    rc = vigil_load(db, paths, n, &opt, NULL, NULL);
    if (rc != VIGIL_OK) {
        test_fail(__FILE__, __LINE__, "load: %s", vigil_errmsg(db));
        vigil_db_close(db);
        return NULL;
    }
    return db;
}

json_t *entity(vigil_db *db, const char *source, const char *id)
{
    char *s = NULL;
    if (vigil_entity_json(db, source, id, 0, &s) != VIGIL_OK) {
        test_fail(__FILE__, __LINE__, "entity %s:%s: %s", source, id, vigil_errmsg(db));
        return NULL;
    }
    json_t *j = json_loads(s, 0, NULL);
    vigil_free(s);
    return j;
}

char *temp_file(const char *suffix, const char *data, size_t len)
{
    char tmpl[256];
    snprintf(tmpl, sizeof(tmpl), "/tmp/vigil-test-XXXXXX%s", suffix);
    int fd = mkstemps(tmpl, (int)strlen(suffix));
    if (fd < 0)
        return NULL;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fd);
    return strdup(tmpl);
}

int has_string(json_t *o, const char *key, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, key), i,
                       v) if (json_is_string(v) &&
                              strcmp(json_string_value(v), s) == 0) return 1;
    return 0;
}

int has_object(json_t *o, const char *key, const char *field, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, key), i, v)
    {
        const char *f = json_string_value(json_object_get(v, field));
        if (f && strcmp(f, s) == 0)
            return 1;
    }
    return 0;
}

void db_counts(vigil_db *db, long long *versions, long long *rows)
{
    vigil_list_version *vs = NULL;
    size_t n = 0;
    *versions = -1;
    *rows = 0;
    if (vigil_versions(db, &vs, &n) != VIGIL_OK)
        return;
    *versions = (long long)n;
    for (size_t i = 0; i < n; i++)
        *rows += vs[i].entities;
    vigil_free(vs);
}

/* ---- CSV rows through libcsv, for the evaluation files ---- */
#include <csv.h>

typedef struct {
    char *f[16];
    int n;
    void (*row)(char **, int, void *);
    void *ud;
    int rows;
} csv_state;

static void csv_field(void *s, size_t len, void *data)
{
    csv_state *c = data;
    if (c->n < 16) {
        c->f[c->n] = malloc(len + 1);
        if (c->f[c->n]) {
            if (len)
                memcpy(c->f[c->n], s, len);
            c->f[c->n][len] = '\0';
        }
        c->n++;
    }
}

static void csv_row(int term, void *data)
{
    (void)term;
    csv_state *c = data;
    int n = c->n < 16 ? c->n : 16;
    int ok = 1;
    for (int i = 0; i < n; i++)
        ok &= c->f[i] != NULL;
    if (ok && n > 0 && c->f[0][0] != '#')
        c->row(c->f, n, c->ud), c->rows++;
    for (int i = 0; i < n; i++)
        free(c->f[i]);
    c->n = 0;
}

/* keep spaces at the ends of fields: the vectors have some */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

int read_csv(const char *path, void (*row)(char **, int, void *), void *ud)
{
    char *data;
    size_t len;
    char msg[256];
    if (vigil__read_file(path, &data, &len, msg, sizeof(msg)) != VIGIL_OK) {
        test_fail(__FILE__, __LINE__, "%s", msg);
        return -1;
    }
    struct csv_parser p;
    csv_init(&p, 0);
    csv_set_space_func(&p, no_space);
    csv_state c = {{0}, 0, row, ud, 0};
    csv_parse(&p, data, len, csv_field, csv_row, &c);
    csv_fini(&p, csv_field, csv_row, &c);
    csv_free(&p);
    free(data);
    return c.rows;
}
