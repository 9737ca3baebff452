/*
 * main.c - the vigil command. Built only on the public API (include/vigil.h).
 * Each subcommand is a function cmd_NAME; `vigil help` lists them.
 */
#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "customers.h"
#include "opts.h"
#include "payments.h"
#include "print.h"
#include "serve.h"
#include "update.h"
#include "users.h"
#include "vigil.h"

static int fail_db(vigil_db *db, int rc)
{
    fprintf(stderr, "vigil: %s\n", db ? vigil_errmsg(db) : vigil_strerror(rc));
    return 1;
}

/* Said while a write waits for another process's lock (a re-screening run
 * holds it for the whole run): after a second, then every 30. */
static void waiting(void *ctx, int waited)
{
    (void)ctx;
    if (waited == 1 || waited % 30 == 0)
        fprintf(stderr,
                "vigil: waiting for the database's write lock (a re-screening run or a load "
                "holds it): %d s, at most %d\n",
                waited, VIGIL_LOCK_WAIT);
}

static int open_db(const char *path, int flags, vigil_db **db)
{
    int rc = vigil_db_open(path, flags, db);
    if (rc != VIGIL_OK) {
        fail_db(*db, rc);
        vigil_db_close(*db);
        *db = NULL;
        return rc;
    }
    vigil_db_wait_for_lock(*db, 0, waiting, NULL);
    return rc;
}

static void print_version_line(const vigil_list_version *v)
{
    printf("%5lld  %-5s %-17s %-10s %8lld  %lld persons, %lld organizations, %lld vessels, "
           "%lld airplanes",
           (long long)v->id, v->source, v->format, v->published[0] ? v->published : "-",
           (long long)v->entities, (long long)v->persons, (long long)v->organizations,
           (long long)v->vessels, (long long)v->airplanes);
    if (v->skipped)
        printf("; %lld records skipped", (long long)v->skipped);
    printf("  (loaded %s)\n", v->loaded_at);
}

static int load_names(const vigil_cli_opts *o);

static int cmd_load(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db",    "lenient",     "published",
                                          "names", "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "load", allowed);
    if (first < 0 || first >= argc) {
        if (first >= 0)
            fprintf(stderr, "vigil load: give one or more list files or folders\n");
        return 2;
    }
    vigil_db *db;
    if (open_db(o.db, 0, &db) != VIGIL_OK)
        return 1;
    vigil_load_options lo = {o.lenient, o.published, 0};
    vigil_list_version *vs = NULL;
    size_t n = 0;
    int rc =
        vigil_load(db, (const char *const *)argv + first, (size_t)(argc - first), &lo, &vs, &n);
    if (rc != VIGIL_OK) {
        fail_db(db, rc);
        fprintf(stderr, "vigil: nothing was loaded; the database is as it was\n");
        vigil_db_close(db);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const vigil_list_version *v = &vs[i];
        if (v->is_new) {
            char skipped[64] = "";
            if (v->skipped)
                snprintf(skipped, sizeof(skipped), ", %lld records skipped",
                         (long long)v->skipped);
            printf("loaded   %s version %lld from %s: %lld entities (%lld persons, %lld "
                   "organizations, %lld vessels, %lld airplanes)%s, published %s\n",
                   v->source, (long long)v->id, v->files, (long long)v->entities,
                   (long long)v->persons, (long long)v->organizations, (long long)v->vessels,
                   (long long)v->airplanes, skipped, v->published[0] ? v->published : "-");
        } else
            printf("unchanged %s: %s is already held as version %lld\n", v->source, v->files,
                   (long long)v->id);
    }
    vigil_free(vs);
    /* the screening engine built now and saved next to the database, so that
     * screening starts at once (it is built again if the file goes missing) */
    if (load_names(&o) != 0) {
        vigil_db_close(db);
        return 1;
    }
    vigil_engine *e = NULL;
    rc = vigil_engine_open(db, &e);
    if (rc != VIGIL_OK) {
        fail_db(db, rc);
        vigil_db_close(db);
        vigil_names_unload();
        return 1;
    }
    printf("engine   %zu entities, %zu names indexed\n", vigil_engine_entities(e),
           vigil_engine_names(e));
    vigil_engine_close(e);
    vigil_names_unload();
    vigil_db_close(db);
    return 0;
}

static int cmd_lists(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "json", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "lists", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil lists: takes no arguments\n");
        return 2;
    }
    vigil_db *db;
    if (open_db(o.db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK)
        return 1;
    vigil_list_version *vs = NULL;
    size_t n = 0;
    int rc = vigil_versions(db, &vs, &n);
    if (rc != VIGIL_OK) {
        fail_db(db, rc);
        vigil_db_close(db);
        return 1;
    }
    if (o.json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const vigil_list_version *v = &vs[i];
            json_array_append_new(
                arr,
                json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:{s:I,s:I,s:I,s:I},s:I}", "id",
                          (json_int_t)v->id, "source", v->source, "format", v->format,
                          "published", v->published, "loaded_at", v->loaded_at, "sha256",
                          v->sha256, "files", v->files, "entities", (json_int_t)v->entities,
                          "counts", "Person", (json_int_t)v->persons, "Organization",
                          (json_int_t)v->organizations, "Vessel", (json_int_t)v->vessels,
                          "Airplane", (json_int_t)v->airplanes, "skipped",
                          (json_int_t)v->skipped));
        }
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", s ? s : "[]");
        free(s);
        json_decref(arr);
    } else if (n == 0) {
        printf("no list versions loaded (vigil load FILE|DIR...)\n");
    } else {
        printf("%5s  %-5s %-17s %-10s %8s  %s\n", "id", "list", "format", "published",
               "entities", "by schema");
        for (size_t i = 0; i < n; i++)
            print_version_line(&vs[i]);
    }
    vigil_free(vs);
    vigil_db_close(db);
    return 0;
}

static int cmd_show(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "json", "version", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "show", allowed);
    if (first < 0 || first != argc - 1) {
        if (first >= 0)
            fprintf(stderr, "vigil show: give one SOURCE:SOURCE_ID, e.g. un:QDi.276\n");
        return 2;
    }
    char key[512];
    snprintf(key, sizeof(key), "%s", argv[first]);
    char *colon = strchr(key, ':');
    if (!colon || colon == key || !colon[1]) {
        fprintf(stderr, "vigil show: \"%s\" is not SOURCE:SOURCE_ID, e.g. un:QDi.276\n",
                argv[first]);
        return 2;
    }
    *colon = '\0';
    vigil_db *db;
    if (open_db(o.db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK)
        return 1;
    char *json = NULL;
    int rc = vigil_entity_json(db, key, colon + 1, o.version, &json);
    if (rc != VIGIL_OK) {
        fail_db(db, rc);
        vigil_db_close(db);
        return 1;
    }
    if (o.json) {
        printf("%s\n", json);
    } else {
        json_t *doc = json_loads(json, 0, NULL);
        if (doc)
            vigil_cli_print_entity(doc);
        json_decref(doc);
    }
    vigil_free(json);
    vigil_db_close(db);
    return 0;
}

/* Loads the given-name data of --names and $VIGIL_NAMES, and the legal forms
 * of --legal-forms or $VIGIL_LEGAL_FORMS. 0, or 1 after a message. */
static int load_names(const vigil_cli_opts *o)
{
    char env[4096];
    const char *e = getenv("VIGIL_NAMES");
    snprintf(env, sizeof(env), "%s", e ? e : "");
    const char *files[8 + 16];
    int n = 0;
    for (int i = 0; i < o->nnames; i++)
        files[n++] = o->names[i];
    for (char *save = NULL, *f = strtok_r(env, ":", &save); f && n < 24;
         f = strtok_r(NULL, ":", &save))
        files[n++] = f;
    for (int i = 0; i < n; i++) {
        int rc = vigil_names_load(files[i]);
        if (rc < 0) {
            fprintf(stderr, "vigil: given-name data %s: %s\n", files[i], vigil_strerror(rc));
            return 1;
        }
    }
    const char *legal = o->legal_forms ? o->legal_forms : getenv("VIGIL_LEGAL_FORMS");
    if (legal && *legal) {
        int rc = vigil_legal_forms_load(legal);
        if (rc < 0) {
            fprintf(stderr, "vigil: legal forms %s: %s\n", legal, vigil_strerror(rc));
            return 1;
        }
    }
    return 0;
}

static int cmd_compare(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"schema", "threshold",   "explain",
                                          "names",  "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "compare", allowed);
    if (first < 0 || first != argc - 2) {
        if (first >= 0)
            fprintf(stderr, "vigil compare: give two names\n");
        return 2;
    }
    if (load_names(&o) != 0)
        return 1;
    vigil_comparison r;
    int rc = vigil_compare(o.schema, argv[first], argv[first + 1], o.threshold, 1, &r);
    if (rc != VIGIL_OK) {
        if (rc == VIGIL_ERR_ARG)
            fprintf(stderr,
                    "vigil compare: unknown schema \"%s\" (Person, Organization, "
                    "Company, Vessel, Airplane)\n",
                    o.schema ? o.schema : "");
        else
            fprintf(stderr, "vigil compare: %s\n", vigil_strerror(rc));
        return rc == VIGIL_ERR_ARG ? 2 : 1;
    }
    json_t *why = json_loads(r.explanation, 0, NULL);
    json_t *out = json_pack("{s:f,s:b,s:o}", "score", r.score, "match", r.match, "explanation",
                            why ? why : json_object());
    char *s = json_dumps(out, (o.explain ? JSON_INDENT(2) : JSON_COMPACT) |
                                  JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(3));
    printf("%s\n", s ? s : "{}");
    free(s);
    json_decref(out);
    vigil_comparison_free(&r);
    vigil_names_unload();
    return 0;
}

/* Loads the name data of o, opens the database read-only and builds the
 * engine. NULL after a message (the name data then unloaded). */
static vigil_engine *open_engine(const vigil_cli_opts *o)
{
    if (load_names(o) != 0)
        return NULL;
    vigil_db *db;
    if (open_db(o->db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK) {
        vigil_names_unload();
        return NULL;
    }
    vigil_engine *e = NULL;
    int rc = vigil_engine_open(db, &e);
    if (rc != VIGIL_OK) {
        fail_db(db, rc);
        e = NULL;
        vigil_names_unload();
    }
    vigil_db_close(db);
    return e;
}

static int cmd_screen(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {
        "db",        "schema", "dob",  "country", "gender",      "id", "source",
        "threshold", "limit",  "json", "names",   "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "screen", allowed);
    if (first < 0 || first != argc - 1) {
        if (first >= 0)
            fprintf(stderr, "vigil screen: give one name\n");
        return 2;
    }
    vigil_engine *e = open_engine(&o);
    if (!e)
        return 1;
    int rc;
    vigil_query q = {argv[first], o.schema, o.dob,       o.country,      o.gender,
                     o.id,        o.source, o.threshold, (size_t)o.limit};
    vigil_hits hits;
    rc = vigil_screen(e, &q, &hits);
    if (rc != VIGIL_OK) {
        fprintf(stderr, "vigil screen: %s\n",
                rc == VIGIL_ERR_ARG ? "unknown schema (Person, Organization, Company, Vessel, "
                                      "Airplane)"
                                    : vigil_strerror(rc));
        vigil_engine_close(e);
        vigil_names_unload();
        return rc == VIGIL_ERR_ARG ? 2 : 1;
    }
    if (o.json) {
        json_t *res = vigil_cli_hits_json(&hits);
        json_t *vers = json_loads(vigil_engine_versions(e), 0, NULL);
        json_t *doc = json_pack("{s:s,s:o,s:o}", "query", q.name, "versions",
                                vers ? vers : json_array(), "results", res);
        char *s =
            json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
        printf("%s\n", s ? s : "{}");
        free(s);
        json_decref(doc);
    } else if (hits.n == 0) {
        printf("no listed entity is alike \"%s\" (%zu entities screened)\n", q.name,
               vigil_engine_entities(e));
    } else {
        printf("%6s  %-5s  %-22s %-12s %s\n", "score", "match", "entity", "schema",
               "name (matched name)");
        for (size_t i = 0; i < hits.n; i++) {
            const vigil_hit *h = &hits.hits[i];
            char id[96];
            snprintf(id, sizeof(id), "%s:%s", h->source, h->source_id);
            printf("%6.3f  %-5s  %-22s %-12s %s", h->score, h->match ? "MATCH" : "-", id,
                   h->schema, h->name);
            if (strcmp(h->name, h->matched_name) != 0)
                printf("  (%s)", h->matched_name);
            printf("\n");
        }
        printf("screened against %s\n", vigil_engine_versions(e));
    }
    vigil_hits_free(&hits);
    vigil_engine_close(e);
    vigil_names_unload();
    return 0;
}

static int cmd_batch(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db",    "threshold",   "limit", "threads", "format",
                                          "names", "legal-forms", "store", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "batch", allowed);
    if (first < 0 || first < argc - 1) {
        if (first >= 0)
            fprintf(stderr,
                    "vigil batch: give at most one input file (or - for standard input)\n");
        return 2;
    }
    vigil_engine *e = open_engine(&o);
    if (!e)
        return 1;
    int rc;
    long long failed = 0;
    long threads = o.threads;
    if (!threads) {
        threads = sysconf(_SC_NPROCESSORS_ONLN);
        if (threads < 1)
            threads = 1;
        if (threads > 64)
            threads = 64;
    }
    if (o.format && !strcmp(o.format, "payments"))
        rc = vigil_cli_batch_payments(
            e, first < argc ? argv[first] : NULL, o.threshold, (int)threads,
            o.store ? (o.db ? o.db : vigil_cli_default_db()) : NULL, &failed);
    else
        rc = vigil_cli_batch(e, first < argc ? argv[first] : NULL, o.format, o.threshold,
                             (size_t)o.limit, (int)threads, &failed);
    vigil_engine_close(e);
    vigil_names_unload();
    return rc != 0 || failed ? 1 : 0;
}

static int cmd_screen_message(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db",    "threshold",   "json", "store",
                                          "names", "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "screen-message", allowed);
    if (first < 0 || first < argc - 1) {
        if (first >= 0)
            fprintf(stderr, "vigil screen-message: give one message file (or - for standard "
                            "input)\n");
        return 2;
    }
    vigil_engine *e = open_engine(&o);
    if (!e)
        return 1;
    int rc = vigil_cli_screen_message(e, first < argc ? argv[first] : NULL, o.json, o.threshold,
                                      o.store ? (o.db ? o.db : vigil_cli_default_db()) : NULL);
    vigil_engine_close(e);
    vigil_names_unload();
    return rc;
}

static int cmd_diff(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "json", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "diff", allowed);
    if (first < 0 || (argc - first != 1 && argc - first != 3)) {
        if (first >= 0)
            fprintf(stderr, "vigil diff: give SOURCE, or SOURCE OLD_VERSION NEW_VERSION\n");
        return 2;
    }
    long long ov = 0, nv = 0;
    if (argc - first == 3) {
        char *e1, *e2;
        ov = strtoll(argv[first + 1], &e1, 10);
        nv = strtoll(argv[first + 2], &e2, 10);
        if (*e1 || *e2 || ov <= 0 || nv <= 0) {
            fprintf(stderr, "vigil diff: versions are numbers (vigil lists shows them)\n");
            return 2;
        }
    }
    vigil_db *db;
    if (open_db(o.db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK)
        return 1;
    char *json = NULL;
    int rc = vigil_diff(db, argv[first], ov, nv, &json);
    if (rc != VIGIL_OK) {
        fail_db(db, rc);
        vigil_db_close(db);
        return 1;
    }
    vigil_db_close(db);
    json_t *d = json_loads(json, 0, NULL);
    if (o.json || !d) {
        printf("%s\n", json);
    } else {
        json_t *c = json_object_get(d, "counts");
        json_t *vo = json_object_get(d, "old"), *vn = json_object_get(d, "new");
        printf(
            "%s: version %lld (published %s) to version %lld (published %s): %lld added, %lld "
            "removed, %lld changed\n",
            argv[first], (long long)json_integer_value(json_object_get(vo, "id")),
            json_string_value(json_object_get(vo, "published")),
            (long long)json_integer_value(json_object_get(vn, "id")),
            json_string_value(json_object_get(vn, "published")),
            (long long)json_integer_value(json_object_get(c, "added")),
            (long long)json_integer_value(json_object_get(c, "removed")),
            (long long)json_integer_value(json_object_get(c, "changed")));
        static const char *const kinds[] = {"added", "removed", "changed"};
        for (int k = 0; k < 3; k++) {
            size_t i;
            json_t *e;
            json_array_foreach(json_object_get(d, kinds[k]), i, e)
            {
                printf("%-8s %s:%s  %s", kinds[k], argv[first],
                       json_string_value(json_object_get(e, "id")),
                       json_string_value(json_object_get(e, "name")));
                const char *f;
                json_t *x;
                int n = 0;
                json_object_foreach(json_object_get(e, "fields"), f, x)
                    printf("%s%s", n++ ? ", " : "  [", f);
                printf("%s\n", n ? "]" : "");
            }
        }
    }
    json_decref(d);
    vigil_free(json);
    return 0;
}

static int cmd_update(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db",      "source", "force",       "max-shrink",
                                          "lenient", "names",  "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "update", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil update: takes options only (--source eu,un,uk,ofac)\n");
        return 2;
    }
    vigil_load_options base = {o.lenient, NULL, 0};
    double shrink = o.force ? 0 : o.max_shrink > 0 ? o.max_shrink : 0.5;
    int rc = vigil_cli_update(o.db, o.source, shrink, &base);
    /* the screening engine saved again for what is now current */
    vigil_db *db;
    if (load_names(&o) == 0 && vigil_db_open(o.db, 0, &db) == VIGIL_OK) {
        vigil_engine *e = NULL;
        if (vigil_engine_open(db, &e) == VIGIL_OK)
            printf("engine   %zu entities, %zu names indexed\n", vigil_engine_entities(e),
                   vigil_engine_names(e));
        vigil_engine_close(e);
        vigil_db_close(db);
        vigil_names_unload();
    }
    return rc;
}

static int cmd_customers(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "format", "names", "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "customers", allowed);
    int import = first >= 0 && first < argc && strcmp(argv[first], "import") == 0;
    int count = first >= 0 && first < argc && strcmp(argv[first], "count") == 0;
    if (first < 0 || !((import && argc - first == 2) || (count && argc - first == 1))) {
        if (first >= 0)
            fprintf(stderr, "vigil customers: give import FILE (or -), or count\n");
        return 2;
    }
    vigil_db *db;
    if (load_names(&o) != 0 || open_db(o.db, count ? VIGIL_OPEN_READONLY : 0, &db) != VIGIL_OK)
        return 1;
    int rc = 0;
    if (import)
        rc = vigil_cli_customers_import(db, argv[first + 1], o.format);
    else {
        int64_t n = 0;
        if (vigil_customers_count(db, &n) != VIGIL_OK)
            rc = fail_db(db, VIGIL_ERR_DB);
        else
            printf("%lld\n", (long long)n);
    }
    vigil_db_close(db);
    vigil_names_unload();
    return rc;
}

static int cmd_rescreen(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db",   "threshold", "threads",     "full",
                                          "json", "names",     "legal-forms", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "rescreen", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil rescreen: takes options only\n");
        return 2;
    }
    vigil_db *db;
    if (load_names(&o) != 0 || open_db(o.db, 0, &db) != VIGIL_OK)
        return 1;
    vigil_rescreen_options ro = {
        .threshold = o.threshold, .full = o.full, .threads = (int)o.threads};
    int rc = vigil_cli_rescreen(db, &ro, o.json);
    vigil_db_close(db);
    vigil_names_unload();
    return rc;
}

static int cmd_alerts(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "open", "json", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "alerts", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil alerts: takes options only (--open, --json)\n");
        return 2;
    }
    vigil_db *db;
    if (open_db(o.db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK)
        return 1;
    int rc = vigil_cli_alerts(db, o.open_only, o.json);
    vigil_db_close(db);
    return rc;
}

static int cmd_runs(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "json", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "runs", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil runs: takes options only (--json)\n");
        return 2;
    }
    vigil_db *db;
    if (open_db(o.db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK)
        return 1;
    int rc = vigil_cli_runs(db, o.json);
    vigil_db_close(db);
    return rc;
}

static int cmd_decide(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "note", "by", NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "decide", allowed);
    char *end = NULL;
    long long id = first >= 0 && argc - first == 2 ? strtoll(argv[first], &end, 10) : 0;
    if (first < 0 || argc - first != 2 || !end || *end || id <= 0 ||
        (strcmp(argv[first + 1], "true-match") && strcmp(argv[first + 1], "false-positive")) ||
        !o.note || !*o.note) {
        if (first >= 0)
            fprintf(stderr,
                    "vigil decide: give ALERT_ID true-match|false-positive --note TEXT\n");
        return 2;
    }
    const char *by = o.by ? o.by : getenv("USER");
    vigil_db *db;
    if (open_db(o.db, 0, &db) != VIGIL_OK)
        return 1;
    int rc = vigil_decide(db, id, argv[first + 1], o.note, by);
    if (rc != VIGIL_OK)
        fail_db(db, rc);
    else
        printf("alert %lld: %s\n", id, argv[first + 1]);
    vigil_db_close(db);
    return rc == VIGIL_OK ? 0 : 1;
}

static int cmd_serve(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {
        "db",          "listen",     "port",           "threads",         "host",
        "tls-cert",    "tls-key",    "admin-token",    "access-log",      "names",
        "legal-forms", "no-auth",    "key-rate",       "key-concurrency", "max-connections",
        "body-memory", "batch-days", "header-timeout", "body-timeout",    "four-eyes",
        NULL};
    int first = vigil_cli_parse_opts(argc, argv, &o, "serve", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil serve: takes options only\n");
        return 2;
    }
    if (load_names(&o) != 0)
        return 1;
    FILE *log = NULL;
    if (o.access_log && strcmp(o.access_log, "-") != 0) {
        log = fopen(o.access_log, "a");
        if (!log) {
            fprintf(stderr, "vigil serve: cannot open the access log %s\n", o.access_log);
            vigil_names_unload();
            return 1;
        }
        setvbuf(log, NULL, _IOLBF, 0);
    } else if (o.access_log)
        log = stderr;
    const char *token = o.admin_token ? o.admin_token : getenv("VIGIL_ADMIN_TOKEN");
    vigil_serve_opts so = {
        .db = o.db,
        .listen = o.listen ? o.listen : "127.0.0.1",
        .port = o.port ? (int)o.port : 8080,
        .threads = (int)o.threads,
        .admin_token = token,
        .access_log = log,
        .hosts = o.host,
        .tls_cert = o.tls_cert,
        .tls_key = o.tls_key,
        .auth = !o.no_auth,
        .four_eyes = o.four_eyes,
        .key_rate = o.key_rate ? (int)o.key_rate : 1000,
        .key_concurrency = o.key_concurrency ? (int)o.key_concurrency : 64,
        .max_connections = (int)o.max_connections,
        .body_memory = (size_t)(o.body_memory ? o.body_memory : 128) << 20,
        .batch_days = o.batch_days ? (int)o.batch_days : 7,
        .header_timeout = o.header_timeout ? (int)o.header_timeout : 10,
        .body_timeout = o.body_timeout ? (int)o.body_timeout : 60,
    };
    int rc = vigil_cli_serve(&so);
    if (log && log != stderr)
        fclose(log);
    vigil_names_unload();
    vigil_thread_done();
    return rc;
}

/* vigil users add NAME --role R | list | disable NAME; vigil keys create USER |
 * revoke ID (argv[0] says which). */
static int cmd_users(int argc, char **argv)
{
    vigil_cli_opts o;
    static const char *const allowed[] = {"db", "role", "json", NULL};
    int keys = strcmp(argv[0], "keys") == 0;
    int first = vigil_cli_parse_opts(argc, argv, &o, argv[0], allowed);
    const char *what = first >= 0 && first < argc ? argv[first] : "";
    int want = !strcmp(what, "list") ? 1 : 2; /* the words it takes */
    if (first < 0 || argc - first != want ||
        (keys ? strcmp(what, "create") && strcmp(what, "revoke")
              : strcmp(what, "add") && strcmp(what, "list") && strcmp(what, "disable"))) {
        if (first >= 0)
            fprintf(stderr, keys ? "vigil keys: give create USER or revoke ID\n"
                                 : "vigil users: give add NAME --role ROLE, list or disable "
                                   "NAME\n");
        return 2;
    }
    vigil_db *db;
    if (open_db(o.db, !strcmp(what, "list") ? VIGIL_OPEN_READONLY : 0, &db) != VIGIL_OK)
        return 1;
    const char *arg = want == 2 ? argv[first + 1] : NULL;
    int rc =
        keys ? vigil_cli_keys(db, what, arg) : vigil_cli_users(db, what, arg, o.role, o.json);
    vigil_db_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        vigil_cli_usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        vigil_cli_usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("vigil %s\n", vigil_version());
        return 0;
    }
    if (!strcmp(cmd, "load"))
        return cmd_load(argc - 1, argv + 1);
    if (!strcmp(cmd, "lists"))
        return cmd_lists(argc - 1, argv + 1);
    if (!strcmp(cmd, "show"))
        return cmd_show(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "screen"))
        return cmd_screen(argc - 1, argv + 1);
    if (!strcmp(cmd, "screen-message"))
        return cmd_screen_message(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch"))
        return cmd_batch(argc - 1, argv + 1);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "update"))
        return cmd_update(argc - 1, argv + 1);
    if (!strcmp(cmd, "customers"))
        return cmd_customers(argc - 1, argv + 1);
    if (!strcmp(cmd, "rescreen"))
        return cmd_rescreen(argc - 1, argv + 1);
    if (!strcmp(cmd, "alerts"))
        return cmd_alerts(argc - 1, argv + 1);
    if (!strcmp(cmd, "decide"))
        return cmd_decide(argc - 1, argv + 1);
    if (!strcmp(cmd, "runs"))
        return cmd_runs(argc - 1, argv + 1);
    if (!strcmp(cmd, "users") || !strcmp(cmd, "keys"))
        return cmd_users(argc - 1, argv + 1);
    fprintf(stderr, "vigil: unknown command \"%s\" (vigil help lists them)\n", cmd);
    return 2;
}
