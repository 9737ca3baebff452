/*
 * vigil_pg.c - the vigil extension for PostgreSQL: screening inside the
 * database, with the engine `vigil load` saves (DB.engine), named by the
 * setting vigil.engine. Design and use: docs/postgres.md.
 *
 * Built on the public API only (include/vigil.h), as the vigil command is.
 * Each backend (and each parallel worker) maps the engine file read-only
 * with vigil_engine_open_file, so that they share one copy of its pages
 * through the page cache; each builds only the small tables pointing into
 * it. The file's identity (device, inode, size, modification time) is
 * looked at once per statement: when `vigil load` has replaced it (a
 * rename, so a reader never sees half a file), the next statement maps the
 * new one and lets the old go.
 *
 * The library allocates with malloc and never calls back into PostgreSQL:
 * every result is copied into PostgreSQL's memory and freed before any
 * error is raised, so that an ereport's long jump leaks nothing.
 */
#include "postgres.h"

#include <string.h>
#include <sys/stat.h>

#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "vigil.h"

PG_MODULE_MAGIC;

#define MAX_RESULTS 100 /* vigil.screen's max_results: at most this */

void _PG_init(void);

/* the setting vigil.engine: the saved engine's file */
static char *engine_setting = NULL;

/* the engine this backend has mapped, and what it knows of its file */
static vigil_engine *engine = NULL;
static char engine_path[MAXPGPATH];
static struct stat engine_stat;
static TimestampTz checked_at = 0; /* the statement that last looked at the file */

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Makes e, mapped from path (whose stat is st), the engine screened with,
 * looked at for the statement that began at at; the one before is let go. */
static void keep_engine(vigil_engine *e, const char *path, const struct stat *st,
                        TimestampTz at)
{
    vigil_engine_close(engine);
    engine = e;
    strlcpy(engine_path, path, sizeof(engine_path));
    engine_stat = *st;
    checked_at = at;
}

/* Loaded by shared_preload_libraries, in the postmaster: what every backend
 * would build for itself is built once here, and the backends it forks
 * inherit it, sharing its pages for as long as nothing writes them (and
 * nothing does: the name data, the legal forms and the engine's tables are
 * read-only once built). The name data is built by a first comparison; the
 * engine, when vigil.engine names one, is mapped, and a backend keeps it
 * until the file is replaced. What fails here is only logged: the backends
 * try again, and say why. */
static void preload(void)
{
    vigil_comparison c;
    if (vigil_compare("Person", "Александр Бастрыкин", "Alexander Bastrykin", 0, 0, &c) ==
        VIGIL_OK)
        vigil_comparison_free(&c);
    const char *path = engine_setting ? engine_setting : "";
    if (!*path)
        return;
    struct stat st;
    char err[256] = "";
    vigil_engine *e = NULL;
    if (stat(path, &st) != 0)
        snprintf(err, sizeof(err), "%s", strerror(errno));
    else
        vigil_engine_open_file(path, &e, err, sizeof(err));
    if (!e) {
        ereport(WARNING,
                (errmsg("vigil: engine file \"%s\" not mapped at start: %s", path, err)));
        return;
    }
    keep_engine(e, path, &st, 0); /* each backend's first statement looks again */
    ereport(LOG, (errmsg("vigil: engine file \"%s\" mapped at start: %zu entities", path,
                         vigil_engine_entities(e))));
}

void _PG_init(void)
{
    DefineCustomStringVariable(
        "vigil.engine", "The saved screening engine vigil screens with.",
        "The file `vigil load --db DB` writes next to its database: DB.engine.",
        &engine_setting, "", PGC_SUSET, 0, NULL, NULL, NULL);
    MarkGUCPrefixReserved("vigil");
    if (process_shared_preload_libraries_in_progress)
        preload();
}

/* The engine to screen with: the one mapped, unless the statement is new
 * and the file named is another or has been replaced. Raises an error when
 * there is none to be had. */
static const vigil_engine *get_engine(void)
{
    const char *path = engine_setting ? engine_setting : "";
    TimestampTz stmt = GetCurrentStatementStartTimestamp();
    if (engine && stmt == checked_at && strcmp(path, engine_path) == 0)
        return engine;
    if (!*path)
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("vigil.engine is not set"),
                 errhint("Set it to the engine file `vigil load --db DB` writes, DB.engine "
                         "(ALTER SYSTEM SET vigil.engine = '/path/DB.engine')")));
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        ereport(ERROR,
                (errcode(e == ENOENT ? ERRCODE_UNDEFINED_FILE : ERRCODE_IO_ERROR),
                 errmsg("vigil engine file \"%s\" cannot be read: %s", path, strerror(e)),
                 errhint("`vigil load --db DB` writes DB.engine; vigil.engine names it")));
    }
    if (engine && strcmp(path, engine_path) == 0 && same_file(&st, &engine_stat)) {
        checked_at = stmt;
        return engine;
    }
    char err[256];
    vigil_engine *e = NULL;
    int rc = vigil_engine_open_file(path, &e, err, sizeof(err));
    if (rc != VIGIL_OK)
        ereport(ERROR,
                (errcode(rc == VIGIL_ERR_NOMEM ? ERRCODE_OUT_OF_MEMORY
                         : rc == VIGIL_ERR_IO  ? ERRCODE_IO_ERROR
                                               : ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("vigil engine file \"%s\" cannot be used: %s", path, err),
                 errhint("`vigil load --db DB` writes DB.engine again with this build")));
    keep_engine(e, path, &st, stmt);
    return engine;
}

/* Argument i as a C string in PostgreSQL's memory, or NULL when it is NULL. */
static char *arg_text(FunctionCallInfo fcinfo, int i)
{
    return PG_ARGISNULL(i) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(i));
}

static void bad_arg(const char *fn, const char *what)
{
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s: %s", fn, what)));
}

/* The schema s as vigil reads it, or an error naming the ones it knows. */
static const char *check_schema(const char *fn, const char *s)
{
    static const char *const known[] = {"Person", "Organization", "Company", "LegalEntity",
                                        "Vessel", "Airplane",     NULL};
    for (int i = 0; s && known[i]; i++)
        if (pg_strcasecmp(s, known[i]) == 0)
            return known[i];
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s: unknown schema \"%s\"", fn, s ? s : ""),
                    errhint("Person, Organization, Company, LegalEntity, Vessel or Airplane")));
    return NULL;
}

/* 1 when g is a gender vigil reads: male or female (it weighs them), or
 * one that says neither (it passes it over, as vigil batch does). */
static int gender_known(const char *g)
{
    static const char *const known[] = {"male",    "female", "m", "f", "other",
                                        "unknown", "x",      "u", NULL};
    for (int i = 0; known[i]; i++)
        if (pg_strcasecmp(g, known[i]) == 0)
            return 1;
    return 0;
}

/* A copy of the hits in PostgreSQL's memory, so that the library's can be
 * freed before anything can raise an error. */
typedef struct {
    char source[16], source_id[64], name[256], matched[256];
    double score;
    bool match;
    char *explanation; /* palloc'd */
} hit_copy;

PG_FUNCTION_INFO_V1(vigil_pg_screen);

/* vigil.screen(name, schema, birth_date, country, gender, id_number,
 * threshold, max_results): the hits of one name, best first. */
Datum vigil_pg_screen(PG_FUNCTION_ARGS)
{
    static const char *const fn = "vigil.screen";
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    if (PG_ARGISNULL(0))
        PG_RETURN_VOID(); /* no name: no hits, as for any NULL */
    char *name = arg_text(fcinfo, 0);
    char *schema = arg_text(fcinfo, 1);
    char *dob = arg_text(fcinfo, 2);
    char *country = arg_text(fcinfo, 3);
    char *gender = arg_text(fcinfo, 4);
    char *id_number = arg_text(fcinfo, 5);
    double threshold = PG_ARGISNULL(6) ? 0 : PG_GETARG_FLOAT4(6);
    int max_results = PG_ARGISNULL(7) ? 5 : PG_GETARG_INT32(7);

    if (strspn(name, " \t\r\n") == strlen(name))
        bad_arg(fn, "name is empty");
    if (strlen(name) > 4096)
        bad_arg(fn, "name is longer than 4096 bytes");
    if (schema)
        schema = (char *)check_schema(fn, schema);
    if (dob && *dob && !vigil_date_valid(dob))
        ereport(ERROR, (errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                        errmsg("%s: birth_date \"%s\" is not a date", fn, dob),
                        errhint("1953-08-27, 27/08/1953, 1953-08 or 1953")));
    if (country && *country && !vigil_country_code(country))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: country \"%s\" is not a country vigil knows", fn, country),
                        errhint("An ISO 3166 code (RU, RUS) or a name (Russia)")));
    if (gender && *gender && !gender_known(gender))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: gender \"%s\" is not one vigil reads", fn, gender),
                        errhint("male, female, m, f; or other, unknown, x, u (not said)")));
    if (!PG_ARGISNULL(6) && !(threshold > 0 && threshold <= 1))
        bad_arg(fn, "threshold must be above 0 and at most 1");
    if (max_results < 1 || max_results > MAX_RESULTS)
        bad_arg(fn, "max_results must be from 1 to 100");

    const vigil_engine *e = get_engine();
    vigil_query q = {name,
                     schema,
                     dob && *dob ? dob : NULL,
                     country && *country ? country : NULL,
                     gender && *gender ? gender : NULL,
                     id_number && *id_number ? id_number : NULL,
                     NULL,
                     threshold,
                     (size_t)max_results};
    vigil_hits hits;
    int rc = vigil_screen(e, &q, &hits);
    if (rc == VIGIL_ERR_ARG)
        PG_RETURN_VOID(); /* a name with nothing to screen in it ("-", "?") */
    if (rc != VIGIL_OK)
        ereport(ERROR,
                (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: %s", fn, vigil_strerror(rc))));
    hit_copy *c = palloc0(sizeof(hit_copy) * (hits.n ? hits.n : 1));
    for (size_t i = 0; i < hits.n; i++) {
        const vigil_hit *h = &hits.hits[i];
        strlcpy(c[i].source, h->source, sizeof(c[i].source));
        strlcpy(c[i].source_id, h->source_id, sizeof(c[i].source_id));
        strlcpy(c[i].name, h->name, sizeof(c[i].name));
        strlcpy(c[i].matched, h->matched_name, sizeof(c[i].matched));
        c[i].score = h->score;
        c[i].match = h->match != 0;
        c[i].explanation = pstrdup(h->explanation ? h->explanation : "{}");
    }
    size_t n = hits.n;
    vigil_hits_free(&hits);
    for (size_t i = 0; i < n; i++) {
        Datum values[7];
        bool nulls[7] = {false};
        values[0] = CStringGetTextDatum(c[i].source);
        values[1] = CStringGetTextDatum(c[i].source_id);
        values[2] = CStringGetTextDatum(c[i].name);
        values[3] = CStringGetTextDatum(c[i].matched);
        values[4] = Float4GetDatum((float4)c[i].score);
        values[5] = BoolGetDatum(c[i].match);
        values[6] = DirectFunctionCall1(jsonb_in, CStringGetDatum(c[i].explanation));
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(vigil_pg_compare);

/* vigil.compare(a, b, schema): how alike two names are, 0 to 1. */
Datum vigil_pg_compare(PG_FUNCTION_ARGS)
{
    static const char *const fn = "vigil.compare";
    char *a = text_to_cstring(PG_GETARG_TEXT_PP(0));
    char *b = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const char *schema = check_schema(fn, text_to_cstring(PG_GETARG_TEXT_PP(2)));
    if (strlen(a) > 4096 || strlen(b) > 4096)
        bad_arg(fn, "a name is longer than 4096 bytes");
    vigil_comparison c;
    int rc = vigil_compare(schema, a, b, 0, 0, &c);
    if (rc == VIGIL_ERR_ARG)
        PG_RETURN_FLOAT4(0); /* a name with no words: like nothing */
    if (rc != VIGIL_OK)
        ereport(ERROR,
                (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: %s", fn, vigil_strerror(rc))));
    double score = c.score;
    vigil_comparison_free(&c);
    PG_RETURN_FLOAT4((float4)score);
}

PG_FUNCTION_INFO_V1(vigil_pg_engine_info);

/* vigil.engine_info(): the engine file, when it was written, what it holds,
 * and its list versions as JSON (what vigil.lists reads). */
Datum vigil_pg_engine_info(PG_FUNCTION_ARGS)
{
    const vigil_engine *e = get_engine();
    TupleDesc desc;
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("vigil.engine_info: called where no row is wanted")));
    desc = BlessTupleDesc(desc);
    Datum values[6];
    bool nulls[6] = {false};
    values[0] = CStringGetTextDatum(engine_path);
    values[1] = Int64GetDatum((int64)engine_stat.st_size);
    values[2] = TimestampTzGetDatum(time_t_to_timestamptz(engine_stat.st_mtim.tv_sec));
    values[3] = Int64GetDatum((int64)vigil_engine_entities(e));
    values[4] = Int64GetDatum((int64)vigil_engine_names(e));
    values[5] =
        DirectFunctionCall1(jsonb_in, CStringGetDatum(pstrdup(vigil_engine_versions(e))));
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

PG_FUNCTION_INFO_V1(vigil_pg_source_entities);

/* vigil.source_entities(source): how many of the engine's entities are of
 * that list. */
Datum vigil_pg_source_entities(PG_FUNCTION_ARGS)
{
    char *source = text_to_cstring(PG_GETARG_TEXT_PP(0));
    PG_RETURN_INT64((int64)vigil_engine_source_entities(get_engine(), source));
}
