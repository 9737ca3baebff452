/*
 * load.c - vigil_load: list files into new list versions, all in one
 * transaction. Design: docs/store.md; formats: docs/lists.md.
 *
 * The paths are first grouped into units (one file, or one OFAC CSV set: the
 * .csv files of one folder), each becoming one version. A unit whose content
 * hash a version of its source already has is not loaded again. Any failure
 * rolls the whole load back, so the database keeps its last good versions.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"

typedef struct {
    char **paths;
    size_t n;
} unit;

typedef struct {
    unit *u;
    size_t n, cap;
} units;

typedef struct {
    vigil_db *db;
    int64_t version_id;
    const char *source;
    sqlite3_stmt *get_doc, *put_doc, *put_ve, *replace_ve, *del_ve;
    int copied; /* delta: rows of the previous version copied */
    int64_t emitted;
} sink_ctx;

static int has_ext(const char *path, const char *const *exts)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return 0;
    for (; *exts; exts++)
        if (vigil__ieq(dot + 1, *exts))
            return 1;
    return 0;
}

static const char *const list_exts[] = {"xml", "csv", "json", "jsonl", "ndjson", NULL};
static const char *const csv_exts[] = {"csv", NULL};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char *d = malloc(n + 2);
    if (!d)
        return NULL;
    if (slash)
        memcpy(d, path, n);
    else
        d[n++] = '.';
    d[n] = '\0';
    return d;
}

/* Adds path to a unit: .csv files join the unit of other .csv files of the
 * same folder (an OFAC set); any other file is a unit of its own. */
static int add_file(units *us, const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return VIGIL_ERR_NOMEM;
    if (has_ext(path, csv_exts)) {
        char *d = dir_of(path);
        for (size_t i = 0; d && i < us->n; i++) {
            unit *u = &us->u[i];
            char *ud = dir_of(u->paths[0]);
            int same = ud && has_ext(u->paths[0], csv_exts) && strcmp(ud, d) == 0;
            free(ud);
            if (same) {
                char **np = realloc(u->paths, (u->n + 1) * sizeof(char *));
                if (!np) {
                    free(d);
                    free(copy);
                    return VIGIL_ERR_NOMEM;
                }
                u->paths = np;
                u->paths[u->n++] = copy;
                qsort(u->paths, u->n, sizeof(char *), cmp_str);
                free(d);
                return VIGIL_OK;
            }
        }
        free(d);
    }
    if (us->n == us->cap) {
        size_t cap = us->cap ? us->cap * 2 : 8;
        unit *nu = realloc(us->u, cap * sizeof(unit));
        if (!nu) {
            free(copy);
            return VIGIL_ERR_NOMEM;
        }
        us->u = nu;
        us->cap = cap;
    }
    us->u[us->n].paths = malloc(sizeof(char *));
    if (!us->u[us->n].paths) {
        free(copy);
        return VIGIL_ERR_NOMEM;
    }
    us->u[us->n].paths[0] = copy;
    us->u[us->n].n = 1;
    us->n++;
    return VIGIL_OK;
}

static void free_units(units *us)
{
    for (size_t i = 0; i < us->n; i++) {
        for (size_t k = 0; k < us->u[i].n; k++)
            free(us->u[i].paths[k]);
        free(us->u[i].paths);
    }
    free(us->u);
}

/* Adds the list files under folder dir, in name order, depth first. */
static int add_dir(vigil_db *db, units *us, const char *dir, int depth)
{
    if (depth > 16)
        return vigil__db_fail(db, VIGIL_ERR_LIMIT, "%s: folders nested too deep", dir);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return vigil__db_fail(db, VIGIL_ERR_IO, "%s: cannot read folder", dir);
    int rc = VIGIL_OK;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == VIGIL_OK && name[0] != '.') {
            size_t len = strlen(dir) + strlen(name) + 2;
            char *path = malloc(len);
            if (!path)
                rc = VIGIL_ERR_NOMEM;
            else {
                snprintf(path, len, "%s/%s", dir, name);
                struct stat st;
                if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                    rc = add_dir(db, us, path, depth + 1);
                else if (has_ext(path, list_exts))
                    rc = add_file(us, path);
                free(path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int sink(vigil__parse *p, json_t *e);

static int copy_parent(sink_ctx *s)
{
    sqlite3_stmt *st = NULL;
    const char *sql = "INSERT INTO version_entity(version_id, source_id, doc_id) "
                      "SELECT ?1, source_id, doc_id FROM version_entity WHERE version_id = "
                      "(SELECT max(id) FROM list_version WHERE source = ?2 AND id < ?1)";
    if (sqlite3_prepare_v2(s->db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(s->db, "copying the previous version");
    sqlite3_bind_int64(st, 1, s->version_id);
    sqlite3_bind_text(st, 2, s->source, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return vigil__db_sqlfail(s->db, "copying the previous version");
    char upd[256];
    snprintf(upd, sizeof(upd),
             "UPDATE list_version SET parent_id = (SELECT max(id) FROM list_version l2 "
             "WHERE l2.source = list_version.source AND l2.id < %lld) WHERE id = %lld",
             (long long)s->version_id, (long long)s->version_id);
    if (sqlite3_exec(s->db->sql, upd, NULL, NULL, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(s->db, "recording the delta's parent");
    s->copied = 1;
    return VIGIL_OK;
}

static int sink(vigil__parse *p, json_t *e)
{
    sink_ctx *s = p->sink_ctx;
    int rc;
    if (p->is_delta && !s->copied && (rc = copy_parent(s)) != VIGIL_OK) {
        snprintf(p->err, sizeof(p->err), "%s", s->db->errmsg);
        return rc;
    }
    if (p->is_delta && p->op == VIGIL__OP_DEL) {
        sqlite3_reset(s->del_ve);
        sqlite3_bind_int64(s->del_ve, 1, s->version_id);
        sqlite3_bind_text(s->del_ve, 2, p->del_id, -1, SQLITE_STATIC);
        if (sqlite3_step(s->del_ve) != SQLITE_DONE)
            return vigil__parse_fail(p, p->cur_path, p->cur_line, "database: %s",
                                     sqlite3_errmsg(s->db->sql));
        return 0;
    }
    /* Parsers add members in a fixed order, so the same record always gives
     * the same text and hash; no key sorting needed. */
    char *doc = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!doc)
        return vigil__parse_fail(p, p->cur_path, p->cur_line, "out of memory");
    vigil__file f = {NULL, doc, strlen(doc)};
    char hex[65];
    vigil__sha256_files(&f, 1, hex);
    /* the document is stored once, whichever versions hold it */
    int64_t doc_id = 0;
    sqlite3_reset(s->get_doc);
    sqlite3_bind_text(s->get_doc, 1, hex, -1, SQLITE_STATIC);
    rc = sqlite3_step(s->get_doc);
    if (rc == SQLITE_ROW) {
        doc_id = sqlite3_column_int64(s->get_doc, 0);
        rc = SQLITE_DONE;
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(s->put_doc);
        sqlite3_bind_text(s->put_doc, 1, hex, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->put_doc, 2, json_string_value(json_object_get(e, "schema")), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(s->put_doc, 3, doc, -1, SQLITE_STATIC);
        rc = sqlite3_step(s->put_doc);
        doc_id = sqlite3_last_insert_rowid(s->db->sql);
        sqlite3_reset(s->put_doc);
    }
    sqlite3_reset(s->get_doc);
    free(doc);
    if (rc != SQLITE_DONE)
        return vigil__parse_fail(p, p->cur_path, p->cur_line, "database: %s",
                                 sqlite3_errmsg(s->db->sql));
    sqlite3_stmt *ve = p->is_delta ? s->replace_ve : s->put_ve;
    const char *id = json_string_value(json_object_get(e, "source_id"));
    sqlite3_reset(ve);
    sqlite3_bind_int64(ve, 1, s->version_id);
    sqlite3_bind_text(ve, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ve, 3, doc_id);
    rc = sqlite3_step(ve);
    sqlite3_reset(ve);
    if (rc == SQLITE_CONSTRAINT)
        return vigil__parse_skip(p, p->cur_path, p->cur_line, "id %s given twice", id);
    if (rc != SQLITE_DONE)
        return vigil__parse_fail(p, p->cur_path, p->cur_line, "database: %s",
                                 sqlite3_errmsg(s->db->sql));
    s->emitted++;
    return 0;
}

static int prepare(vigil_db *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db->sql, sql, -1, st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "preparing the load");
    return VIGIL_OK;
}

static int find_version(vigil_db *db, const char *sql_where, int64_t id, const char *source,
                        const char *hash, vigil_list_version *v)
{
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT " VIGIL__VERSION_COLS " FROM list_version WHERE %s",
             sql_where);
    sqlite3_stmt *st = NULL;
    if (prepare(db, sql, &st) != VIGIL_OK)
        return -1;
    if (source) {
        sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_int64(st, 1, id);
    }
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        vigil__version_row(st, 0, v);
    sqlite3_finalize(st);
    return found;
}

/* Counts the version's entities by schema and records them. */
static int finish_version(vigil_db *db, int64_t vid, const char *published, int64_t skipped)
{
    const char *sql =
        "UPDATE list_version SET published = nullif(?2, ''), skipped = ?3, "
        "entities = (SELECT count(*) FROM version_entity WHERE version_id = ?1), "
        "persons = (SELECT count(*) FROM version_entity ve JOIN entity_doc d ON d.id = "
        "  ve.doc_id WHERE ve.version_id = ?1 AND d.schema = 'Person'), "
        "organizations = (SELECT count(*) FROM version_entity ve JOIN entity_doc d ON d.id = "
        "  ve.doc_id WHERE ve.version_id = ?1 AND d.schema IN ('Organization','Company')), "
        "vessels = (SELECT count(*) FROM version_entity ve JOIN entity_doc d ON d.id = "
        "  ve.doc_id WHERE ve.version_id = ?1 AND d.schema = 'Vessel'), "
        "airplanes = (SELECT count(*) FROM version_entity ve JOIN entity_doc d ON d.id = "
        "  ve.doc_id WHERE ve.version_id = ?1 AND d.schema = 'Airplane') "
        "WHERE id = ?1";
    sqlite3_stmt *st = NULL;
    if (prepare(db, sql, &st) != VIGIL_OK)
        return VIGIL_ERR_DB;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, published, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, skipped);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VIGIL_OK : vigil__db_sqlfail(db, "counting entities");
}

/* VIGIL_OK, or VIGIL_ERR_LIMIT (with a message) when a new version of
 * source with n entities has fewer than (1 - max_shrink) times the previous
 * version's. */
static int shrink_check(vigil_db *db, const char *source, int64_t vid, int64_t n,
                        double max_shrink, const char *path)
{
    sqlite3_stmt *st = NULL;
    int64_t prev = -1;
    if (sqlite3_prepare_v2(db->sql,
                           "SELECT entities FROM list_version WHERE source = ? AND id < ? "
                           "ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, vid);
        if (sqlite3_step(st) == SQLITE_ROW)
            prev = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (prev > 0 && (double)n < (1.0 - max_shrink) * (double)prev)
        return vigil__db_fail(db, VIGIL_ERR_LIMIT,
                              "%s: held back: %lld entities where the current %s list has %lld "
                              "(more than %.0f%% fewer); load it with --force if that is right",
                              path, (long long)n, source, (long long)prev, max_shrink * 100);
    return VIGIL_OK;
}

static int load_unit(vigil_db *db, const unit *u, const vigil_load_options *opt,
                     vigil_list_version *out)
{
    int rc = VIGIL_OK;
    vigil__file *files = calloc(u->n, sizeof(vigil__file));
    char *bufs[64] = {0};
    if (!files)
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    if (u->n > 64) {
        free(files);
        return vigil__db_fail(db, VIGIL_ERR_LIMIT, "%s: more than 64 files in one set",
                              u->paths[0]);
    }
    for (size_t i = 0; i < u->n && rc == VIGIL_OK; i++) {
        size_t len;
        rc = vigil__read_file(u->paths[i], &bufs[i], &len, db->errmsg, sizeof(db->errmsg));
        files[i].path = u->paths[i];
        files[i].data = bufs[i];
        files[i].len = len;
    }
    const vigil__list_format *fmt = NULL;
    char hash[65] = "";
    char names[512] = "";
    sink_ctx s;
    memset(&s, 0, sizeof(s));
    s.db = db;
    if (rc == VIGIL_OK) {
        fmt = vigil__detect(files[0].data, files[0].len);
        s.source = fmt ? fmt->source : "";
        vigil__sha256_files(files, u->n, hash);
        size_t k = 0;
        for (size_t i = 0; i < u->n && k < sizeof(names); i++)
            k += (size_t)snprintf(names + k, sizeof(names) - k, "%s%s", i ? ";" : "",
                                  u->paths[i]);
        if (fmt && fmt->set)
            fmt = fmt->set; /* a file of a set: the set is read (OFAC's from its sdn.csv) */
        if (*s.source) {
            int found = find_version(db, "source = ?1 AND sha256 = ?2", 0, s.source, hash, out);
            if (found < 0)
                rc = VIGIL_ERR_DB;
            else if (found) {
                out->is_new = 0;
                goto done;
            }
        }
    }
    if (rc == VIGIL_OK) {
        char now[32];
        vigil__now_iso(now);
        sqlite3_stmt *st = NULL;
        rc = prepare(db,
                     "INSERT INTO list_version(source, format, files, sha256, loaded_at) "
                     "VALUES(?,?,?,?,?)",
                     &st);
        if (rc == VIGIL_OK) {
            sqlite3_bind_text(st, 1, *s.source ? s.source : "unknown", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, fmt ? fmt->name : "unknown", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, names, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = vigil__db_sqlfail(db, "recording the version");
            sqlite3_finalize(st);
            s.version_id = sqlite3_last_insert_rowid(db->sql);
        }
    }
    if (rc == VIGIL_OK)
        rc = prepare(db, "SELECT id FROM entity_doc WHERE sha256 = ?", &s.get_doc);
    if (rc == VIGIL_OK)
        rc = prepare(db, "INSERT INTO entity_doc(sha256, schema, doc) VALUES(?,?,?)",
                     &s.put_doc);
    if (rc == VIGIL_OK)
        rc = prepare(db,
                     "INSERT INTO version_entity(version_id, source_id, doc_id) VALUES(?,?,?)",
                     &s.put_ve);
    if (rc == VIGIL_OK)
        rc = prepare(db,
                     "INSERT OR REPLACE INTO version_entity(version_id, source_id, doc_id) "
                     "VALUES(?,?,?)",
                     &s.replace_ve);
    if (rc == VIGIL_OK)
        rc = prepare(db, "DELETE FROM version_entity WHERE version_id = ? AND source_id = ?",
                     &s.del_ve);
    if (rc == VIGIL_OK) {
        vigil__parse p;
        memset(&p, 0, sizeof(p));
        p.files = files;
        p.nfiles = u->n;
        p.lenient = opt && opt->lenient;
        p.sink = sink;
        p.sink_ctx = &s;
        rc = vigil__parse_run(&p, fmt);
        if (rc == VIGIL_OK && p.is_delta && !s.copied)
            rc = copy_parent(&s);
        if (rc != VIGIL_OK) {
            if (p.err[0])
                vigil__db_fail(db, rc, "%s", p.err);
        } else if (s.emitted == 0 && !p.is_delta) {
            rc = vigil__db_fail(db, VIGIL_ERR_FORMAT, "%s: no entities in the file%s%s",
                                u->paths[0], p.skipped ? "; first skipped: " : "",
                                p.skipped ? p.first_skip : "");
        } else if (opt && opt->max_shrink > 0 && !p.is_delta &&
                   (rc = shrink_check(db, s.source, s.version_id, s.emitted, opt->max_shrink,
                                      u->paths[0])) != VIGIL_OK) {
            /* held back: the message is on db */
        } else {
            const char *published = p.published;
            if (!*published && opt && opt->published)
                published = opt->published;
            rc = finish_version(db, s.version_id, published, p.skipped);
        }
    }
    if (rc == VIGIL_OK) {
        int found = find_version(db, "id = ?1", s.version_id, NULL, NULL, out);
        if (found <= 0)
            rc = vigil__db_sqlfail(db, "reading the new version");
        out->is_new = 1;
    }
done:
    sqlite3_finalize(s.get_doc);
    sqlite3_finalize(s.put_doc);
    sqlite3_finalize(s.put_ve);
    sqlite3_finalize(s.replace_ve);
    sqlite3_finalize(s.del_ve);
    for (size_t i = 0; i < u->n; i++)
        free(bufs[i]);
    free(files);
    return rc;
}

int vigil_load(vigil_db *db, const char *const *paths, size_t npaths,
               const vigil_load_options *opt, vigil_list_version **versions, size_t *n)
{
    if (versions)
        *versions = NULL;
    if (n)
        *n = 0;
    if (!db || (!paths && npaths))
        return VIGIL_ERR_ARG;
    if (db->readonly)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "the database is open read-only");
    if (opt && opt->published) {
        vigil__date d;
        if (!vigil__date_parse(opt->published, &d) || !d.day)
            return vigil__db_fail(db, VIGIL_ERR_ARG,
                                  "publication date \"%s\" is not YYYY-MM-DD", opt->published);
    }
    units us = {NULL, 0, 0};
    int rc = VIGIL_OK;
    for (size_t i = 0; i < npaths && rc == VIGIL_OK; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0)
            rc = vigil__db_fail(db, VIGIL_ERR_IO, "%s: no such file or folder", paths[i]);
        else if (S_ISDIR(st.st_mode)) {
            size_t before = us.n;
            rc = add_dir(db, &us, paths[i], 0);
            if (rc == VIGIL_OK && us.n == before)
                rc = vigil__db_fail(db, VIGIL_ERR_IO, "%s: no list files in this folder",
                                    paths[i]);
        } else
            rc = add_file(&us, paths[i]);
    }
    vigil_list_version *out = NULL;
    if (rc == VIGIL_OK && us.n) {
        out = calloc(us.n, sizeof(*out));
        if (!out)
            rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    }
    if (rc == VIGIL_OK &&
        sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "starting the load");
    else if (rc == VIGIL_OK) {
        for (size_t i = 0; i < us.n && rc == VIGIL_OK; i++)
            rc = load_unit(db, &us.u[i], opt, &out[i]);
        if (rc == VIGIL_OK && sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = vigil__db_sqlfail(db, "committing the load");
        if (rc != VIGIL_OK)
            sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    }
    if (rc == VIGIL_OK && versions) {
        *versions = out;
        out = NULL;
        if (n)
            *n = us.n;
    }
    free(out);
    free_units(&us);
    return rc;
}
