/*
 * main.c - the vigil command. Built only on the public API (include/vigil.h).
 * Each subcommand is a function cmd_NAME; `vigil help` lists them.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "customers.h"
#include "serve.h"
#include "update.h"
#include "vigil.h"

/* in parts: C99 bounds a string literal at 4095 bytes */
static const char *const usage_text[] = {
    "vigil " VIGIL_VERSION " - sanctions screening\n"
    "\n"
    "Usage: vigil COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Commands:\n"
    "  load [--db PATH] [--lenient] [--published DATE] [--names FILE]...\n"
    "       [--legal-forms FILE] FILE|DIR...\n"
    "        Load official list files (EU, UN, UK, OFAC, FollowTheMoney) into the\n"
    "        database, each as a new list version. Formats are detected from content.\n"
    "        A folder is read whole; the .csv files of one folder are one OFAC set.\n"
    "        Content already held makes no new version. All files load in one\n"
    "        transaction: on any error nothing is written. Then the screening\n"
    "        engine is built and saved next to the database (PATH.engine), so that\n"
    "        screen and batch start at once; give the same name data as to them.\n"
    "          --lenient         skip records without an id or a name (counted)\n"
    "                            instead of refusing the file\n"
    "          --published DATE  publication date (YYYY-MM-DD) for files that carry\n"
    "                            none (the OFAC CSV set)\n"
    "  lists [--db PATH] [--json]\n"
    "        The list versions held, with counts by schema.\n"
    "  show [--db PATH] [--version N] [--json] SOURCE:SOURCE_ID\n"
    "        One entity, every field, and the list version it came from (by default\n"
    "        the current, latest version of its source).\n"
    "  compare [--schema S] [--threshold T] [--explain] [--names FILE]...\n"
    "          [--legal-forms FILE] NAME1 NAME2\n"
    "        How alike two names are: JSON {\"score\", \"match\", \"explanation\"}.\n"
    "        S is Person (default), Organization, Company, Vessel or Airplane; match is\n"
    "        the decision at T (default 0.85, the threshold screening uses). The\n"
    "        explanation (always given; --explain indents it) says which parts were\n"
    "        paired, how each scored and why.\n"
    "          --names FILE  given-name data: equivalents (\"a, b, c => Q1\" lines,\n"
    "                        plain or .gz) or nickname groups (.csv); also taken\n"
    "                        from $VIGIL_NAMES, a colon-separated list of files\n"
    "          --legal-forms FILE  more legal forms, in the layout of org_types.yml;\n"
    "                        also taken from $VIGIL_LEGAL_FORMS\n",
    "  screen [--db PATH] [--schema S] [--dob DATE] [--country C] [--gender G]\n"
    "         [--id ID] [--source LIST,...] [--threshold T] [--limit N] [--json]\n"
    "         [--names FILE]... [--legal-forms FILE] NAME\n"
    "        The listed entities NAME may be, best first, against the current version\n"
    "        of every list loaded: score, match at T (default 0.85), the entity, the\n"
    "        name that matched; with --json every result's explanation and the list\n"
    "        versions screened. With no --schema, a --dob or --gender means a person:\n"
    "        only persons are screened.\n"
    "  batch [--db PATH] [--threshold T] [--limit N] [--threads N]\n"
    "        [--format jsonl|csv] [--names FILE]... [--legal-forms FILE] [FILE|-]\n"
    "        Screens every record of FILE (or standard input): CSV with a header\n"
    "        (id, name or full_name, schema or type, dob or date_of_birth or\n"
    "        birth_date, country or nationality, gender, id_number; any order,\n"
    "        other columns ignored) or JSON lines with the same keys (a record with\n"
    "        no schema but a date of birth or a gender is screened as a person); --format\n"
    "        names the input's format (detected otherwise). Writes one JSON line per\n"
    "        record, in input order: {\"row\", \"id\", \"status\": \"ok\", \"results\"}\n"
    "        or {\"row\", \"status\": \"error\", \"error\"}; results as screen --json,\n"
    "        at most N (default 5). A progress line on standard error when it is a\n"
    "        terminal. Exit status 1 when any record failed.\n"
    "  update [--db PATH] [--source eu,un,uk,ofac] [--max-shrink F] [--force]\n"
    "        Downloads the current official lists (or $VIGIL_URL_EU, _UN, _UK, _OFAC)\n"
    "        and loads each as a new version, one list at a time: a failed download or\n"
    "        a broken file leaves that list as it was, and the others still update.\n"
    "        A list with fewer than (1 - F) times its current entities (F 0.5) is held\n"
    "        back unless --force. Exit status 1 when any list failed.\n"
    "  diff [--db PATH] [--json] SOURCE [OLD_VERSION NEW_VERSION]\n"
    "        What changed in a list between two versions (by default its two latest):\n"
    "        entities added, removed and changed, with the fields that changed.\n",
    "  customers [--db PATH] [--format jsonl|csv] [--names FILE]... import FILE|-\n"
    "  customers [--db PATH] count\n"
    "        Keeps customers in the database, by id: the same CSV or JSON lines as\n"
    "        batch (id and name required). New and changed customers are screened\n"
    "        against every list by the next rescreen. A refused record gets a line\n"
    "        on standard error; the others are kept (exit status 1).\n"
    "  rescreen [--db PATH] [--threshold T] [--full] [--threads N] [--json]\n"
    "           [--names FILE]... [--legal-forms FILE]\n"
    "        Screens what changed since the last run: new and changed customers\n"
    "        against every list, the others against the entities added or changed\n"
    "        since (--full: everyone against everything). Records the run, its list\n"
    "        versions and an alert per new hit at T (default 0.85).\n"
    "  alerts [--db PATH] [--open] [--json]\n"
    "        The alerts, newest first, with their decisions (--json: explanations\n"
    "        and the list versions of each screening and decision).\n"
    "  decide [--db PATH] --note TEXT [--by NAME] ALERT_ID true-match|false-positive\n"
    "        Records an analyst's decision (by NAME, else $USER). A false positive\n"
    "        stays closed until the customer or the entity changes.\n"
    "  runs [--db PATH] [--json]\n"
    "        The re-screening runs: when, which list versions, what was screened.\n"
    "  serve [--db PATH] [--listen ADDR] [--port N] [--threads N]\n"
    "        [--admin-token TOKEN] [--access-log FILE|-] [--names FILE]...\n"
    "        [--legal-forms FILE]\n"
    "        The HTTP API (docs/api.md) on ADDR:N (default 127.0.0.1:8080), N worker\n"
    "        threads (default one per core): POST /match/{dataset} (OpenSanctions\n"
    "        yente's request and response), GET /search/{dataset}?q=NAME,\n"
    "        GET /entities/{source}:{id}, GET /catalog, /healthz, /readyz, /metrics.\n"
    "        SIGHUP, or POST /admin/reload with \"Authorization: Bearer TOKEN\"\n"
    "        (--admin-token or $VIGIL_ADMIN_TOKEN), reloads the lists without\n"
    "        failing a request; SIGTERM lets requests in flight finish, then stops.\n"
    "        --access-log writes a line per request (- for standard error).\n"
    "  help  This text.\n"
    "\n"
    "The database is --db PATH, else $VIGIL_DB, else ./vigil.db.\n"
    "Exit status: 0 success, 1 failure, 2 bad usage.\n"};

static void usage(FILE *f)
{
    for (size_t i = 0; i < sizeof(usage_text) / sizeof(usage_text[0]); i++)
        fputs(usage_text[i], f);
}

static const char *default_db(void)
{
    const char *env = getenv("VIGIL_DB");
    return env && *env ? env : "vigil.db";
}

static int fail_db(vigil_db *db, int rc)
{
    fprintf(stderr, "vigil: %s\n", db ? vigil_errmsg(db) : vigil_strerror(rc));
    return 1;
}

static int open_db(const char *path, int flags, vigil_db **db)
{
    int rc = vigil_db_open(path, flags, db);
    if (rc != VIGIL_OK) {
        fail_db(*db, rc);
        vigil_db_close(*db);
        *db = NULL;
    }
    return rc;
}

enum {
    OPT_DB = 1000,
    OPT_LENIENT,
    OPT_PUBLISHED,
    OPT_JSON,
    OPT_VERSION,
    OPT_SCHEMA,
    OPT_THRESHOLD,
    OPT_EXPLAIN,
    OPT_NAMES,
    OPT_LEGAL,
    OPT_DOB,
    OPT_COUNTRY,
    OPT_GENDER,
    OPT_ID,
    OPT_SOURCE,
    OPT_LIMIT,
    OPT_THREADS,
    OPT_FORMAT,
    OPT_LISTEN,
    OPT_PORT,
    OPT_ADMIN_TOKEN,
    OPT_ACCESS_LOG,
    OPT_FORCE,
    OPT_MAX_SHRINK,
    OPT_OPEN,
    OPT_FULL,
    OPT_NOTE,
    OPT_BY
};

static const struct option long_opts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"lenient", no_argument, NULL, OPT_LENIENT},
    {"published", required_argument, NULL, OPT_PUBLISHED},
    {"json", no_argument, NULL, OPT_JSON},
    {"version", required_argument, NULL, OPT_VERSION},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"names", required_argument, NULL, OPT_NAMES},
    {"legal-forms", required_argument, NULL, OPT_LEGAL},
    {"dob", required_argument, NULL, OPT_DOB},
    {"country", required_argument, NULL, OPT_COUNTRY},
    {"gender", required_argument, NULL, OPT_GENDER},
    {"id", required_argument, NULL, OPT_ID},
    {"source", required_argument, NULL, OPT_SOURCE},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"port", required_argument, NULL, OPT_PORT},
    {"admin-token", required_argument, NULL, OPT_ADMIN_TOKEN},
    {"access-log", required_argument, NULL, OPT_ACCESS_LOG},
    {"force", no_argument, NULL, OPT_FORCE},
    {"max-shrink", required_argument, NULL, OPT_MAX_SHRINK},
    {"open", no_argument, NULL, OPT_OPEN},
    {"full", no_argument, NULL, OPT_FULL},
    {"note", required_argument, NULL, OPT_NOTE},
    {"by", required_argument, NULL, OPT_BY},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

typedef struct {
    const char *db;
    int lenient, json;
    const char *published;
    long long version;
    const char *schema;
    double threshold;
    int explain;
    const char *names[8];
    int nnames;
    const char *legal_forms;
    const char *dob, *country, *gender, *id, *source;
    long limit;
    long threads;
    const char *format;
    const char *listen, *admin_token, *access_log;
    long port;
    int force;
    double max_shrink;
    int open_only, full;
    const char *note, *by;
} opts;

/* Parses options allowed by `allowed` (a string of OPT_ letters); returns the
 * index of the first argument, or -1 on bad usage. */
static int parse_opts(int argc, char **argv, opts *o, const char *cmd, const int *allowed)
{
    memset(o, 0, sizeof(*o));
    o->db = default_db();
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        int ok = c == 'h';
        for (const int *a = allowed; *a && !ok; a++)
            ok = *a == c;
        if (!ok || c == '?') {
            fprintf(stderr, "vigil %s: unknown option %s\n", cmd, argv[optind - 1]);
            return -1;
        }
        switch (c) {
        case 'h':
            usage(stdout);
            exit(0);
        case OPT_DB:
            o->db = optarg;
            break;
        case OPT_LENIENT:
            o->lenient = 1;
            break;
        case OPT_PUBLISHED:
            o->published = optarg;
            break;
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_VERSION: {
            char *end;
            o->version = strtoll(optarg, &end, 10);
            if (*end || o->version <= 0) {
                fprintf(stderr, "vigil %s: --version takes a version id\n", cmd);
                return -1;
            }
            break;
        }
        case OPT_SCHEMA:
            o->schema = optarg;
            break;
        case OPT_THRESHOLD: {
            char *end;
            o->threshold = strtod(optarg, &end);
            if (*end || o->threshold <= 0 || o->threshold > 1) {
                fprintf(stderr, "vigil %s: --threshold takes a number in (0, 1]\n", cmd);
                return -1;
            }
            break;
        }
        case OPT_EXPLAIN:
            o->explain = 1;
            break;
        case OPT_NAMES:
            if (o->nnames == 8) {
                fprintf(stderr, "vigil %s: at most 8 --names files\n", cmd);
                return -1;
            }
            o->names[o->nnames++] = optarg;
            break;
        case OPT_LEGAL:
            o->legal_forms = optarg;
            break;
        case OPT_DOB:
            o->dob = optarg;
            break;
        case OPT_COUNTRY:
            o->country = optarg;
            break;
        case OPT_GENDER:
            o->gender = optarg;
            break;
        case OPT_ID:
            o->id = optarg;
            break;
        case OPT_SOURCE:
            o->source = optarg;
            break;
        case OPT_THREADS: {
            char *end;
            o->threads = strtol(optarg, &end, 10);
            if (*end || o->threads < 1 || o->threads > 64) {
                fprintf(stderr, "vigil %s: --threads takes a number from 1 to 64\n", cmd);
                return -1;
            }
            break;
        }
        case OPT_FORMAT:
            if (strcmp(optarg, "jsonl") != 0 && strcmp(optarg, "csv") != 0) {
                fprintf(stderr, "vigil %s: --format is jsonl or csv\n", cmd);
                return -1;
            }
            o->format = optarg;
            break;
        case OPT_FORCE:
            o->force = 1;
            break;
        case OPT_OPEN:
            o->open_only = 1;
            break;
        case OPT_FULL:
            o->full = 1;
            break;
        case OPT_NOTE:
            o->note = optarg;
            break;
        case OPT_BY:
            o->by = optarg;
            break;
        case OPT_MAX_SHRINK: {
            char *end;
            o->max_shrink = strtod(optarg, &end);
            if (*end || o->max_shrink <= 0 || o->max_shrink >= 1) {
                fprintf(stderr, "vigil %s: --max-shrink takes a fraction in (0, 1)\n", cmd);
                return -1;
            }
            break;
        }
        case OPT_LISTEN:
            o->listen = optarg;
            break;
        case OPT_ADMIN_TOKEN:
            o->admin_token = optarg;
            break;
        case OPT_ACCESS_LOG:
            o->access_log = optarg;
            break;
        case OPT_PORT: {
            char *end;
            o->port = strtol(optarg, &end, 10);
            if (*end || o->port < 1 || o->port > 65535) {
                fprintf(stderr, "vigil %s: --port takes a number from 1 to 65535\n", cmd);
                return -1;
            }
            break;
        }
        case OPT_LIMIT: {
            char *end;
            o->limit = strtol(optarg, &end, 10);
            if (*end || o->limit <= 0 || o->limit > 1000) {
                fprintf(stderr, "vigil %s: --limit takes a number from 1 to 1000\n", cmd);
                return -1;
            }
            break;
        }
        default:
            return -1;
        }
    }
    return optind;
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

static int load_names(const opts *o);

static int cmd_load(int argc, char **argv)
{
    opts o;
    static const int allowed[] = {OPT_DB, OPT_LENIENT, OPT_PUBLISHED, OPT_NAMES, OPT_LEGAL, 0};
    int first = parse_opts(argc, argv, &o, "load", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB, OPT_JSON, 0};
    int first = parse_opts(argc, argv, &o, "lists", allowed);
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

static void print_strings(const char *label, json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v))
            printf("  %-16s %s\n", i == 0 ? label : "", json_string_value(v));
    }
}

static void print_objects(const char *label, json_t *arr)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        printf("  %-16s", i == 0 ? label : "");
        const char *k;
        json_t *v;
        int first = 1;
        json_object_foreach(o, k, v)
        {
            if (json_is_string(v))
                printf("%s%s: %s", first ? " " : "; ", k, json_string_value(v));
            else if (json_is_true(v))
                printf("%s%s", first ? " " : "; ", k);
            first = 0;
        }
        printf("\n");
    }
}

static void print_entity(json_t *doc)
{
    json_t *ver = json_object_get(doc, "version");
    printf("%s:%s  %s\n", json_string_value(json_object_get(doc, "source")),
           json_string_value(json_object_get(doc, "source_id")),
           json_string_value(json_object_get(doc, "schema")));
    json_t *names = json_object_get(doc, "names");
    size_t i;
    json_t *n;
    printf("  names\n");
    json_array_foreach(names, i, n)
    {
        const char *lang = json_string_value(json_object_get(n, "lang"));
        const char *script = json_string_value(json_object_get(n, "script"));
        printf("    %-14s %s", json_string_value(json_object_get(n, "kind")),
               json_string_value(json_object_get(n, "name")));
        if (script || lang)
            printf("  [%s%s%s]", script ? script : "", script && lang ? ", " : "",
                   lang ? lang : "");
        printf("\n");
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v)
    {
        if (!strcmp(key, "names") || !strcmp(key, "version") || !strcmp(key, "source") ||
            !strcmp(key, "source_id") || !strcmp(key, "schema"))
            continue;
        if (json_is_string(v))
            printf("  %-16s %s\n", key, json_string_value(v));
        else if (json_is_array(v) && json_array_size(v) && json_is_object(json_array_get(v, 0)))
            print_objects(key, v);
        else if (json_is_array(v))
            print_strings(key, v);
    }
    printf("  from version %lld of %s (%s, published %s, loaded %s)\n",
           (long long)json_integer_value(json_object_get(ver, "id")),
           json_string_value(json_object_get(ver, "source")),
           json_string_value(json_object_get(ver, "format")),
           json_string_value(json_object_get(ver, "published"))[0]
               ? json_string_value(json_object_get(ver, "published"))
               : "-",
           json_string_value(json_object_get(ver, "loaded_at")));
}

static int cmd_show(int argc, char **argv)
{
    opts o;
    static const int allowed[] = {OPT_DB, OPT_JSON, OPT_VERSION, 0};
    int first = parse_opts(argc, argv, &o, "show", allowed);
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
            print_entity(doc);
        json_decref(doc);
    }
    vigil_free(json);
    vigil_db_close(db);
    return 0;
}

/* Loads the given-name data of --names and $VIGIL_NAMES, and the legal forms
 * of --legal-forms or $VIGIL_LEGAL_FORMS. 0, or 1 after a message. */
static int load_names(const opts *o)
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
    opts o;
    static const int allowed[] = {OPT_SCHEMA, OPT_THRESHOLD, OPT_EXPLAIN,
                                  OPT_NAMES,  OPT_LEGAL,     0};
    int first = parse_opts(argc, argv, &o, "compare", allowed);
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
static vigil_engine *open_engine(const opts *o)
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
    opts o;
    static const int allowed[] = {
        OPT_DB,        OPT_SCHEMA, OPT_DOB,  OPT_COUNTRY, OPT_GENDER, OPT_ID, OPT_SOURCE,
        OPT_THRESHOLD, OPT_LIMIT,  OPT_JSON, OPT_NAMES,   OPT_LEGAL,  0};
    int first = parse_opts(argc, argv, &o, "screen", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB,     OPT_THRESHOLD, OPT_LIMIT, OPT_THREADS,
                                  OPT_FORMAT, OPT_NAMES,     OPT_LEGAL, 0};
    int first = parse_opts(argc, argv, &o, "batch", allowed);
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
    rc = vigil_cli_batch(e, first < argc ? argv[first] : NULL, o.format, o.threshold,
                         (size_t)o.limit, (int)threads, &failed);
    vigil_engine_close(e);
    vigil_names_unload();
    return rc != 0 || failed ? 1 : 0;
}

static int cmd_diff(int argc, char **argv)
{
    opts o;
    static const int allowed[] = {OPT_DB, OPT_JSON, 0};
    int first = parse_opts(argc, argv, &o, "diff", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB,      OPT_SOURCE, OPT_FORCE, OPT_MAX_SHRINK,
                                  OPT_LENIENT, OPT_NAMES,  OPT_LEGAL, 0};
    int first = parse_opts(argc, argv, &o, "update", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB, OPT_FORMAT, OPT_NAMES, OPT_LEGAL, 0};
    int first = parse_opts(argc, argv, &o, "customers", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB,   OPT_THRESHOLD, OPT_THREADS, OPT_FULL,
                                  OPT_JSON, OPT_NAMES,     OPT_LEGAL,   0};
    int first = parse_opts(argc, argv, &o, "rescreen", allowed);
    if (first < 0 || first != argc) {
        if (first >= 0)
            fprintf(stderr, "vigil rescreen: takes options only\n");
        return 2;
    }
    vigil_db *db;
    if (load_names(&o) != 0 || open_db(o.db, 0, &db) != VIGIL_OK)
        return 1;
    vigil_rescreen_options ro = {o.threshold, o.full, (int)o.threads};
    int rc = vigil_cli_rescreen(db, &ro, o.json);
    vigil_db_close(db);
    vigil_names_unload();
    return rc;
}

static int cmd_alerts(int argc, char **argv)
{
    opts o;
    static const int allowed[] = {OPT_DB, OPT_OPEN, OPT_JSON, 0};
    int first = parse_opts(argc, argv, &o, "alerts", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB, OPT_JSON, 0};
    int first = parse_opts(argc, argv, &o, "runs", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB, OPT_NOTE, OPT_BY, 0};
    int first = parse_opts(argc, argv, &o, "decide", allowed);
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
    opts o;
    static const int allowed[] = {OPT_DB,      OPT_LISTEN,      OPT_PORT,
                                  OPT_THREADS, OPT_ADMIN_TOKEN, OPT_ACCESS_LOG,
                                  OPT_NAMES,   OPT_LEGAL,       0};
    int first = parse_opts(argc, argv, &o, "serve", allowed);
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
    vigil_serve_opts so = {o.db,
                           o.listen ? o.listen : "127.0.0.1",
                           o.port ? (int)o.port : 8080,
                           (int)o.threads,
                           token,
                           log};
    int rc = vigil_cli_serve(&so);
    if (log && log != stderr)
        fclose(log);
    vigil_names_unload();
    vigil_thread_done();
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
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
    fprintf(stderr, "vigil: unknown command \"%s\" (vigil help lists them)\n", cmd);
    return 2;
}
