/*
 * bench_peers.c - vigil side by side with what users would otherwise build
 * (issue 8), on the same names, the same queries, in one run:
 *
 * - PostgreSQL with pg_trgm and fuzzystrmatch, as a team builds it itself:
 *   the names lower-cased in a table with a GIN trigram index and a
 *   double-metaphone column; a query's candidates are the names within
 *   trigram similarity 0.3 (the `%` operator, on the index) and the names of
 *   the same double metaphone; a candidate's score is the better of its
 *   trigram similarity and its Levenshtein similarity (1 - distance / longer
 *   length) when the metaphones agree; an entity's score is its best name's.
 * - a brute-force scan: every query compared by Jaro-Winkler (on the
 *   case-folded names) with every name.
 * - vigil (vigil_screen).
 *
 * Names: every name of the current UN, EU, UK and OFAC 2022 lists (63,000).
 * Queries, names only (and the schema, which every system uses to compare
 * persons with persons): the positives of bench_screen (bench/positives.h,
 * 10,702 variants of listed names: typing errors, reorderings, dropped
 * middle names, original scripts, other romanisations, organisations,
 * vessels) and the 2,000 synthetic persons of ../shared/eval/screening.
 * For each system and threshold: recall (the entity among the hits at or
 * above it), recall at rank 1, false alerts (a synthetic person with any
 * hit), pair accuracy on ../shared/eval/names/name-pairs-dev.csv and the
 * share of cross-script-pairs.csv judged a match. vigil runs at its default
 * threshold (0.85); each peer at the lowest threshold where it alerts on no
 * more synthetic persons than vigil, and (second table) at the highest
 * where it finds as many positives (or its lowest, 0.30, when none does).
 * A fourth row gives vigil the synthetic persons' date of birth,
 * nationality and gender, as a customer record has them.
 * Speed: single-query p50 and p99 on one thread over 1,000 of the queries,
 * throughput over all of them with 2 threads (PostgreSQL: 2 connections),
 * and the time to build each system's search structure from the names and
 * its size.
 *
 * Usage: bench_peers [CONNINFO [RESULTS.md [CHART.svg]]]; without CONNINFO
 * PostgreSQL is left out. bench/peers.sh sets up a PostgreSQL server on
 * loopback for it (make bench).
 */
#include <libpq-fe.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "bench.h"
#include "internal.h"
#include "positives.h"

#define TOPK 10
#define SAMPLE 1000
#define GRID 141 /* thresholds 0.30, 0.305, ... 1.00 */
#define NSYS 4   /* vigil, PostgreSQL, the scan, vigil with the other evidence */

static double grid_t(int g)
{
    return 0.30 + 0.005 * g;
}

/* ---------------------------------------------------------------- data */

typedef struct {
    char *text;
    uint32_t *cp; /* case-folded code points, for the scan */
    int ncp;
    uint32_t ent;
    int cls;
    char src[8]; /* the list: eu, un, uk, ofac */
} lname;

typedef struct {
    char key[96]; /* source:source_id */
} lent;

static lname *names;
static size_t nnames, names_cap;
static lent *ents;
static size_t nents;

typedef struct {
    char *name;
    const char *schema;
    int cls;
    int expect;                   /* entity index, or -1 for a synthetic person */
    int kind;                     /* of bench_kinds, or -1 */
    char *dob, *country, *gender; /* a synthetic person's, for vigil with evidence */
} query;

static query *queries;
static size_t nq, nq_cap;

/* Per system and query: the expected entity's score (0: not among the top
 * hits), whether it is at rank 1, and the top score. */
typedef struct {
    float *exp, *top;
    uint8_t *rank1;
    double build_s, mem_mb, p50_us, p99_us, qps;
    int ran;
    double pair_acc; /* at the operating threshold; < 0: not measured */
    float *pair_score;
} results;

static results res[NSYS];
static const char *const sys_name[NSYS] = {
    "vigil", "PostgreSQL pg_trgm + fuzzystrmatch", "brute-force Jaro-Winkler",
    "vigil, negatives with date of birth, nationality, gender"};
static const char *const short_name[NSYS] = {"vigil", "PostgreSQL trigram", "brute-force JW",
                                             "vigil + dob, country"};

static int cls_of(const char *schema)
{
    if (!strcmp(schema, "Person"))
        return 0;
    if (!strcmp(schema, "Vessel") || !strcmp(schema, "Airplane"))
        return 2;
    return 1;
}

static int ent_index(const char *key)
{
    /* entities are added in key order by the loader below: bsearch */
    size_t lo = 0, hi = nents;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ents[mid].key, key);
        if (!c)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int cmp_ent(const void *a, const void *b)
{
    return strcmp(((const lent *)a)->key, ((const lent *)b)->key);
}

/* Every name of the current versions, with its entity and class. */
static void read_names(const char *db_path)
{
    sqlite3 *sql;
    sqlite3_open_v2(db_path, &sql, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(sql,
                       "SELECT d.doc FROM version_entity ve JOIN entity_doc d ON d.id = "
                       "ve.doc_id WHERE ve.version_id IN (SELECT max(id) FROM list_version "
                       "GROUP BY source)",
                       -1, &st, NULL);
    size_t ents_cap = 0;
    json_t **docs = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        if (nents == ents_cap) {
            ents_cap = ents_cap ? ents_cap * 2 : 32768;
            ents = realloc(ents, ents_cap * sizeof(lent));
            docs = realloc(docs, ents_cap * sizeof(json_t *));
        }
        snprintf(ents[nents].key, sizeof(ents[0].key), "%s:%s",
                 json_string_value(json_object_get(doc, "source")),
                 json_string_value(json_object_get(doc, "source_id")));
        docs[nents++] = doc;
    }
    sqlite3_finalize(st);
    sqlite3_close(sql);
    /* sorted by key, the documents with them */
    size_t *order = malloc(nents * sizeof(size_t));
    lent *sorted = malloc(nents * sizeof(lent));
    memcpy(sorted, ents, nents * sizeof(lent));
    qsort(sorted, nents, sizeof(lent), cmp_ent);
    for (size_t i = 0; i < nents; i++) {
        size_t lo = 0, hi = nents;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(sorted[mid].key, ents[i].key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        order[i] = lo;
    }
    for (size_t i = 0; i < nents; i++) {
        json_t *doc = docs[i];
        int cls = cls_of(json_string_value(json_object_get(doc, "schema")));
        size_t k;
        json_t *nm;
        json_array_foreach(json_object_get(doc, "names"), k, nm)
        {
            const char *t = json_string_value(json_object_get(nm, "name"));
            if (!t || !*t)
                continue;
            if (nnames == names_cap) {
                names_cap = names_cap ? names_cap * 2 : 65536;
                names = realloc(names, names_cap * sizeof(lname));
            }
            names[nnames] = (lname){strdup(t), NULL, 0, (uint32_t)order[i], cls, ""};
            snprintf(names[nnames].src, sizeof(names[0].src), "%s",
                     json_string_value(json_object_get(doc, "source")));
            nnames++;
        }
        json_decref(doc);
    }
    free(ents);
    ents = sorted;
    free(order);
    free(docs);
}

static query *add_query(const char *name, const char *schema, int expect, int kind)
{
    if (nq == nq_cap) {
        nq_cap = nq_cap ? nq_cap * 2 : 16384;
        queries = realloc(queries, nq_cap * sizeof(query));
    }
    queries[nq] = (query){strdup(name), schema, cls_of(schema), expect, kind, NULL, NULL, NULL};
    return &queries[nq++];
}

static void positive(int kind, const char *name, const char *schema, const char *src,
                     const char *id, void *ctx)
{
    (void)ctx;
    char key[96];
    snprintf(key, sizeof(key), "%s:%s", src, id);
    int e = ent_index(key);
    if (e >= 0)
        add_query(name, schema, e, kind);
}

static void negative(char **f, void *ctx)
{
    (void)ctx;
    query *q = add_query(f[0], "Person", -1, -1);
    q->dob = strdup(f[5]);
    q->country = strdup(f[7]);
    q->gender = strdup(f[4]);
}

/* ---------------------------------------------------------------- pairs */

typedef struct {
    char *a, *b, *schema;
    int match;
    int cross; /* from cross-script-pairs.csv: all matches, the names in two scripts */
} pair;
static pair *pairs;
static int npairs, ncross;

static void pair_row(char **f, int n, void *ctx)
{
    (void)ctx;
    if (n < 4 || !strcmp(f[0], "schema") || npairs == 4096)
        return;
    pairs[npairs++] =
        (pair){strdup(f[1]), strdup(f[2]), strdup(f[0]), !strcmp(f[3], "true"), 0};
}

static void cross_row(char **f, int n, void *ctx)
{
    (void)ctx;
    if (n < 3 || f[0][0] == '#' || !f[0][0] || npairs == 4096)
        return;
    pairs[npairs++] = (pair){strdup(f[0]), strdup(f[1]), strdup("Person"), 1, 1};
    ncross++;
}

/* The judged pairs, then the cross-script ones (all matches). */
static void read_pairs(const char *shared)
{
    char path[1024];
    pairs = calloc(4096, sizeof(pair));
    snprintf(path, sizeof(path), "%s/eval/names/name-pairs-dev.csv", shared);
    bench_each_csv_row(path, pair_row, NULL);
    snprintf(path, sizeof(path), "%s/eval/names/cross-script-pairs.csv", shared);
    bench_each_csv_row(path, cross_row, NULL);
}

/* ------------------------------------------------------------- scoring */

/* Keeps the best score per entity among the top: a small array, the best
 * TOPK entities of a query. */
typedef struct {
    int ent[TOPK];
    float s[TOPK];
    int n;
} topk;

static void top_add(topk *t, int ent, float s)
{
    for (int i = 0; i < t->n; i++)
        if (t->ent[i] == ent) {
            if (s > t->s[i])
                t->s[i] = s;
            return;
        }
    if (t->n < TOPK) {
        t->ent[t->n] = ent;
        t->s[t->n++] = s;
        return;
    }
    int lo = 0;
    for (int i = 1; i < t->n; i++)
        if (t->s[i] < t->s[lo])
            lo = i;
    if (s > t->s[lo]) {
        t->ent[lo] = ent;
        t->s[lo] = s;
    }
}

static void record(results *r, size_t qi, const topk *t)
{
    float top = 0, exp = 0;
    for (int i = 0; i < t->n; i++) {
        top = t->s[i] > top ? t->s[i] : top;
        if (t->ent[i] == queries[qi].expect)
            exp = t->s[i];
    }
    r->top[qi] = top;
    r->exp[qi] = exp;
    r->rank1[qi] = exp > 0 && exp >= top;
}

/* --------------------------------------------------------------- vigil */

static vigil_engine *engine;

static void vigil_query_one(size_t qi, topk *t, int evidence)
{
    const query *x = &queries[qi];
    vigil_query q = {x->name,
                     x->schema,
                     evidence ? x->dob : NULL,
                     evidence ? x->country : NULL,
                     evidence ? x->gender : NULL,
                     NULL,
                     NULL,
                     0.3,
                     TOPK};
    vigil_hits h;
    t->n = 0;
    if (vigil_screen(engine, &q, &h) != VIGIL_OK)
        return;
    for (size_t i = 0; i < h.n; i++) {
        char key[96];
        snprintf(key, sizeof(key), "%s:%s", h.hits[i].source, h.hits[i].source_id);
        top_add(t, ent_index(key), (float)h.hits[i].score);
    }
    vigil_hits_free(&h);
}

/* ---------------------------------------------------- brute-force scan */

static int fold(const char *s, uint32_t *out, int cap)
{
    UChar u[1024], f[1024];
    int32_t n = 0;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(u, 1024, &n, s, -1, &e);
    if (U_FAILURE(e))
        return 0;
    int32_t m = u_strFoldCase(f, 1024, u, n, U_FOLD_CASE_DEFAULT, &e);
    if (U_FAILURE(e))
        return 0;
    int32_t k = 0;
    /* int32_t and uint32_t may alias: the code points are never negative */
    u_strToUTF32((UChar32 *)out, cap, &k, f, m, &e);
    return U_SUCCESS(e) || e == U_BUFFER_OVERFLOW_ERROR ? (k < cap ? k : cap) : 0;
}

static void brute_build(void)
{
    for (size_t i = 0; i < nnames; i++) {
        uint32_t cp[512];
        int n = fold(names[i].text, cp, 512);
        names[i].cp = malloc((size_t)(n ? n : 1) * sizeof(uint32_t));
        memcpy(names[i].cp, cp, (size_t)n * sizeof(uint32_t));
        names[i].ncp = n;
    }
}

static double jw(const uint32_t *a, int n, const uint32_t *b, int m)
{
    if (n <= 64 && m <= 64)
        return vigil__jaro_winkler_short(a, (size_t)n, b, (size_t)m);
    return vigil__jaro_winkler(a, (size_t)n, b, (size_t)m);
}

static void brute_query_one(size_t qi, topk *t)
{
    uint32_t q[512];
    int n = fold(queries[qi].name, q, 512);
    t->n = 0;
    int cls = queries[qi].cls;
    for (size_t i = 0; i < nnames; i++)
        if (names[i].cls == cls)
            top_add(t, (int)names[i].ent, (float)jw(q, n, names[i].cp, names[i].ncp));
}

/* ---------------------------------------------------------- PostgreSQL */

static const char *conninfo;

static const char *const pg_query_sql =
    "WITH q AS (SELECT lower($1) AS t, dmetaphone($1) AS d) "
    "SELECT ent, max(score) AS s FROM ("
    " SELECT n.ent, similarity(n.norm, q.t) AS score FROM names n, q"
    "  WHERE n.norm % q.t AND n.cls = $2::int"
    " UNION ALL"
    " SELECT n.ent, 1.0 - levenshtein(left(n.norm, 255), left(q.t, 255))::float8"
    "   / greatest(length(n.norm), length(q.t), 1) FROM names n, q"
    "  WHERE q.d <> '' AND n.dm = q.d AND n.cls = $2::int"
    ") c GROUP BY ent ORDER BY s DESC LIMIT 10";

static PGconn *pg_connect(void)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench_peers: PostgreSQL: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PGresult *r = PQexec(c, "SET pg_trgm.similarity_threshold = 0.3");
    PQclear(r);
    r = PQexec(c, "SET client_min_messages = warning");
    PQclear(r);
    r = PQprepare(c, "match", pg_query_sql, 2, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "bench_peers: PostgreSQL: %s", PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        return NULL;
    }
    PQclear(r);
    return c;
}

static int pg_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "bench_peers: PostgreSQL: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok ? 0 : -1;
}

/* Escapes s for COPY's text format into out. */
static void copy_escape(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 3 < cap; s++) {
        if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r') {
            out[k++] = '\\';
            out[k++] = *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\';
        } else
            out[k++] = *s;
    }
    out[k] = '\0';
}

static int pg_build(double *seconds, double *mb, char *version, size_t vsize)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench_peers: PostgreSQL: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, "SHOW server_version");
    snprintf(version, vsize, "%s",
             PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "?");
    PQclear(r);
    double t0 = bench_now();
    int rc =
        pg_exec(c, "DROP TABLE IF EXISTS names") ||
        pg_exec(c, "CREATE EXTENSION IF NOT EXISTS pg_trgm") ||
        pg_exec(c, "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch") ||
        pg_exec(
            c, "CREATE TABLE names(ent int, cls int, src text, name text, norm text, dm text)");
    r = rc ? NULL : PQexec(c, "COPY names(ent, cls, src, name) FROM STDIN");
    if (!rc && PQresultStatus(r) != PGRES_COPY_IN)
        rc = -1;
    PQclear(r);
    for (size_t i = 0; !rc && i < nnames; i++) {
        char esc[2048], line[2200];
        copy_escape(names[i].text, esc, sizeof(esc));
        int n = snprintf(line, sizeof(line), "%u\t%d\t%s\t%s\n", names[i].ent, names[i].cls,
                         names[i].src, esc);
        if (PQputCopyData(c, line, n) != 1)
            rc = -1;
    }
    if (!rc && PQputCopyEnd(c, NULL) != 1)
        rc = -1;
    while (!rc && (r = PQgetResult(c)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "bench_peers: COPY: %s", PQerrorMessage(c));
            rc = -1;
        }
        PQclear(r);
    }
    rc = rc || pg_exec(c, "UPDATE names SET norm = lower(name), dm = dmetaphone(name)") ||
         pg_exec(c, "CREATE INDEX names_trgm ON names USING gin (norm gin_trgm_ops)") ||
         pg_exec(c, "CREATE INDEX names_dm ON names (dm)") ||
         pg_exec(c, "VACUUM ANALYZE names");
    *seconds = bench_now() - t0;
    r = PQexec(c, "SELECT pg_total_relation_size('names')");
    *mb = PQresultStatus(r) == PGRES_TUPLES_OK ? atof(PQgetvalue(r, 0, 0)) / 1048576.0 : 0;
    PQclear(r);
    PQfinish(c);
    return rc ? -1 : 0;
}

static PGconn *pg_conns[2];

static void pg_query_one_on(PGconn *c, size_t qi, topk *t)
{
    char cls[4];
    snprintf(cls, sizeof(cls), "%d", queries[qi].cls);
    const char *params[2] = {queries[qi].name, cls};
    PGresult *r = PQexecPrepared(c, "match", 2, params, NULL, NULL, 0);
    t->n = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++)
            top_add(t, atoi(PQgetvalue(r, i, 0)), (float)atof(PQgetvalue(r, i, 1)));
    else if (qi == 0)
        fprintf(stderr, "bench_peers: PostgreSQL: %s", PQerrorMessage(c));
    PQclear(r);
}

static void pg_pairs(results *r)
{
    PGconn *c = pg_conns[0];
    PGresult *p = PQprepare(
        c, "pair",
        "SELECT greatest(similarity(lower($1), lower($2)), CASE WHEN dmetaphone($1) <> '' AND "
        "dmetaphone($1) = dmetaphone($2) THEN 1.0 - levenshtein(left(lower($1), 255), "
        "left(lower($2), 255))::float8 / greatest(length($1), length($2), 1) ELSE 0 END)",
        2, NULL);
    PQclear(p);
    for (int i = 0; i < npairs; i++) {
        const char *params[2] = {pairs[i].a, pairs[i].b};
        PGresult *q = PQexecPrepared(c, "pair", 2, params, NULL, NULL, 0);
        r->pair_score[i] =
            PQresultStatus(q) == PGRES_TUPLES_OK ? (float)atof(PQgetvalue(q, 0, 0)) : 0;
        PQclear(q);
    }
}

/* ------------------------------------------------------------- running */

typedef struct {
    int sys, thread, nthreads;
} run_arg;

static void query_one(int sys, int thread, size_t qi, topk *t)
{
    if (sys == 0 || sys == 3)
        vigil_query_one(qi, t, sys == 3);
    else if (sys == 1)
        pg_query_one_on(pg_conns[thread], qi, t);
    else
        brute_query_one(qi, t);
}

static void *run_part(void *arg)
{
    run_arg *a = arg;
    topk t;
    for (size_t qi = (size_t)a->thread; qi < nq; qi += (size_t)a->nthreads) {
        query_one(a->sys, a->thread, qi, &t);
        record(&res[a->sys], qi, &t);
    }
    vigil_thread_done();
    return NULL;
}

/* All queries on 2 threads (their scores kept), then the latency sample on
 * one. */
static void run_system(int sys)
{
    results *r = &res[sys];
    double t0 = bench_now();
    pthread_t th[2];
    run_arg args[2] = {{sys, 0, 2}, {sys, 1, 2}};
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, run_part, &args[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    r->qps = (double)nq / (bench_now() - t0);
    double *lat = malloc(SAMPLE * sizeof(double));
    size_t step = nq / SAMPLE ? nq / SAMPLE : 1;
    int n = 0;
    topk t;
    for (size_t qi = 0; qi < nq && n < SAMPLE; qi += step) {
        double s = bench_now();
        query_one(sys, 0, qi, &t);
        lat[n++] = bench_now() - s;
    }
    qsort(lat, (size_t)n, sizeof(double), bench_cmp_double);
    r->p50_us = lat[n / 2] * 1e6;
    r->p99_us = lat[n * 99 / 100] * 1e6;
    free(lat);
    r->ran = 1;
}

/* The peak resident memory of process pid (0: this one), in MB. */
static double peak_rss_mb(long pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), pid ? "/proc/%ld/status" : "/proc/self/status", pid);
    FILE *f = fopen(path, "r");
    double mb = 0;
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmHWM:", 6))
            mb = atof(line + 6) / 1024.0;
    if (f)
        fclose(f);
    return mb;
}

static double heap_mb(void)
{
    struct mallinfo2 m = mallinfo2();
    return (double)(m.uordblks + m.hblkhd) / 1048576.0;
}

/* ------------------------------------------------------------- measures */

typedef struct {
    double recall, rank1, fp;
    int found, npos, alerts, nneg;
    int kind_found[BENCH_KINDS], kind_n[BENCH_KINDS];
} measure;

static measure measure_at(const results *r, double t)
{
    measure m = {0};
    for (size_t i = 0; i < nq; i++) {
        const query *q = &queries[i];
        if (q->expect >= 0) {
            int hit = r->exp[i] >= t - 1e-9;
            m.npos++;
            m.found += hit;
            m.rank1 += hit && r->rank1[i];
            m.kind_n[q->kind]++;
            m.kind_found[q->kind] += hit;
        } else {
            m.nneg++;
            m.alerts += r->top[i] >= t - 1e-9;
        }
    }
    m.recall = (double)m.found / (m.npos ? m.npos : 1);
    m.rank1 /= m.npos ? m.npos : 1;
    m.fp = (double)m.alerts / (m.nneg ? m.nneg : 1);
    return m;
}

/* Accuracy on the judged pairs at t (cross: the share of cross-script pairs
 * found instead). */
static double pair_accuracy(const results *r, double t, int cross)
{
    int ok = 0, n = 0;
    for (int i = 0; i < npairs; i++)
        if (pairs[i].cross == cross) {
            n++;
            ok += (r->pair_score[i] >= t - 1e-9) == pairs[i].match;
        }
    return (double)ok / (n ? n : 1);
}

/* The highest threshold where r finds at least `found` positives; when
 * none does, the lowest threshold (*short_of set). */
static double threshold_for_recall(const results *r, int found, int *short_of)
{
    *short_of = 0;
    for (int g = GRID - 1; g >= 0; g--)
        if (measure_at(r, grid_t(g)).found >= found)
            return grid_t(g);
    *short_of = 1;
    return grid_t(0);
}

/* The lowest threshold where r alerts on at most `alerts` negatives. */
static double threshold_for_fp(const results *r, int alerts)
{
    for (int g = 0; g < GRID; g++)
        if (measure_at(r, grid_t(g)).alerts <= alerts)
            return grid_t(g);
    return 1.0;
}

/* ---------------------------------------------------------------- chart */

static void write_chart(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    /* x: false alerts, log scale from 0.05% (0 is drawn there) to 100%; y:
     * recall, by the log of what is missed, from 0.5 to 0.9999 */
    const double W = 780, H = 500, L = 70, R = 210, T = 30, B = 60;
    const double pw = W - L - R, ph = H - T - B;
#define X(fp) (L + (log10((fp) > 0.0005 ? (fp) : 0.0005) - log10(0.0005)) / -log10(0.0005) * pw)
#define Y(rc)                                                                                  \
    (T + ph -                                                                                  \
     ((-log10(1 - (rc) > 0.0001 ? 1 - (rc) : 0.0001)) - log10(2.0)) / (4 - log10(2.0)) * ph)
    static const char *const colour[NSYS] = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e"};
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"%.0f\" y=\"18\" font-size=\"14\">Recall against false alerts as the "
            "threshold moves (names only)</text>\n",
            W, H, L);
    static const double xt[] = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.10, 0.5, 1.0};
    for (size_t i = 0; i < sizeof(xt) / sizeof(xt[0]); i++)
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s%g%%</text>\n",
                X(xt[i]), T, X(xt[i]), T + ph, X(xt[i]), T + ph + 16, i ? "" : "\u2264",
                xt[i] * 100);
    static const double yt[] = {0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999};
    for (size_t i = 0; i < sizeof(yt) / sizeof(yt[0]); i++)
        fprintf(f,
                "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                L, Y(yt[i]), L + pw, Y(yt[i]), L - 6, Y(yt[i]) + 4, yt[i]);
    fprintf(
        f,
        "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">false alerts on 2,000 synthetic "
        "persons (log scale)</text>\n"
        "<text x=\"16\" y=\"%.0f\" transform=\"rotate(-90 16 %.0f)\" "
        "text-anchor=\"middle\">recall on 10,702 variants of listed names (log of "
        "misses)</text>\n"
        "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
        "stroke=\"#444\"/>\n",
        L + pw / 2, H - 20, T + ph / 2, T + ph / 2, L, T, pw, ph);
    for (int s = 0; s < NSYS; s++) {
        if (!res[s].ran)
            continue;
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                colour[s]);
        for (int g = 0; g < GRID; g++) {
            measure m = measure_at(&res[s], grid_t(g));
            fprintf(f, "%.1f,%.1f ", X(m.fp), Y(m.recall));
        }
        fprintf(f, "\"/>\n");
        double t = s == 0 || s == 3 ? VIGIL_DEFAULT_THRESHOLD : -1;
        if (t > 0) {
            measure m = measure_at(&res[s], t);
            fprintf(f,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\">0.85</text>\n",
                    X(m.fp), Y(m.recall), colour[s], X(m.fp) + 8, Y(m.recall) + 14);
        }
        fprintf(f,
                "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" "
                "stroke-width=\"3\"/><text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
                L + pw + 14, T + 20 + s * 22.0, L + pw + 34, T + 20 + s * 22.0, colour[s],
                L + pw + 40, T + 24 + s * 22.0, short_name[s]);
    }
    fprintf(f, "</svg>\n");
    fclose(f);
#undef X
#undef Y
}

/* ---------------------------------------------------------------- report */

static void machine(char *out, size_t size)
{
    char model[256] = "?", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "model name", 10)) {
            char *c = strchr(line, ':');
            snprintf(model, sizeof(model), "%s", c ? c + 2 : line);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    double gib = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE) / 1073741824.0;
    struct utsname u;
    uname(&u);
    snprintf(out, size, "%s, %ld cores, %.0f GiB, %s %s", model, cores, gib, u.sysname,
             u.release);
}

typedef struct {
    double t;
    measure m;
    double acc, cross;
    int short_of; /* the peer never reaches the recall asked: its best */
} point;

/* v with its unit, and its ratio to vigil's (inverse: vigil's to it) for a
 * peer. */
static void cell_ratio(char *out, size_t size, int decimals, const char *unit, double v,
                       double vigil_v, int s, int inverse)
{
    int k = snprintf(out, size, "%.*f%s", decimals, v, unit);
    if (s != 0 && s != 3 && vigil_v > 0 && v > 0)
        snprintf(out + k, size - (size_t)k, inverse ? " (1/%.0f)" : " (%.1fx)",
                 inverse ? vigil_v / v : v / vigil_v);
}

/* The main table: each system at its point, with speed and size. */
static void print_table(FILE *f, const char *title, const point pts[NSYS], int md)
{
    const results *v = &res[0];
    fprintf(f, "%s%s\n\n", md ? "### " : "", title);
    if (md)
        fprintf(f, "| system | threshold | recall | at rank 1 | false alerts | pair accuracy | "
                   "cross-script pairs | p50 | p99 | queries/s, 2 threads | build | size |\n"
                   "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    else
        fprintf(f, "%-22s %6s %8s %7s %14s %6s %6s %16s %16s %13s %13s %13s\n", "system",
                "thresh", "recall", "rank1", "false alerts", "pairs", "cross", "p50", "p99",
                "q/s", "build", "size");
    for (int s = 0; s < NSYS; s++) {
        const results *r = &res[s];
        if (!r->ran)
            continue;
        const point *p = &pts[s];
        char fp[48], p50[48], p99[48], qps[48], build[48], size[48], rec[48];
        snprintf(fp, sizeof(fp), "%d (%.2f%%)", p->m.alerts, p->m.fp * 100);
        snprintf(rec, sizeof(rec), "%.4f%s", p->m.recall, p->short_of ? "*" : "");
        cell_ratio(p50, sizeof(p50), 0, " µs", r->p50_us, v->p50_us, s, 0);
        cell_ratio(p99, sizeof(p99), 0, " µs", r->p99_us, v->p99_us, s, 0);
        cell_ratio(qps, sizeof(qps), 0, "", r->qps, v->qps, s, 1);
        cell_ratio(build, sizeof(build), 2, " s", r->build_s, v->build_s, s, 0);
        cell_ratio(size, sizeof(size), 0, " MB", r->mem_mb, v->mem_mb, s, 0);
        if (s == 3) { /* the same engine as the first row: only the false alerts differ */
            const char *same = md ? "as above" : "-";
            snprintf(p50, sizeof(p50), "%s", same);
            snprintf(p99, sizeof(p99), "%s", same);
            snprintf(qps, sizeof(qps), "%s", same);
            snprintf(build, sizeof(build), "%s", same);
            snprintf(size, sizeof(size), "%s", same);
        }
        if (md)
            fprintf(f,
                    "| %s | %.3f | %s | %.4f | %s | %.3f | %.0f%% | %s | %s | %s | %s | %s |\n",
                    sys_name[s], p->t, rec, p->m.rank1, fp, p->acc, p->cross * 100, p50, p99,
                    qps, build, size);
        else
            fprintf(f, "%-22s %6.3f %8s %7.4f %14s %6.3f %5.0f%% %16s %16s %13s %13s %13s\n",
                    short_name[s], p->t, rec, p->m.rank1, fp, p->acc, p->cross * 100, p50, p99,
                    qps, build, size);
    }
    fprintf(f, "\n");
}

/* Recall by kind of positive, each system at its point. */
static void print_kinds(FILE *f, const point pts[NSYS], int md)
{
    if (md) {
        fprintf(f, "| positives |");
        for (int s = 0; s < 3; s++)
            if (res[s].ran)
                fprintf(f, " %s (%.3f) |", short_name[s], pts[s].t);
        fprintf(f, "\n|---|");
        for (int s = 0; s < 3; s++)
            if (res[s].ran)
                fprintf(f, "---|");
        fprintf(f, "\n");
    } else {
        fprintf(f, "%-22s", "recall by kind");
        for (int s = 0; s < 3; s++)
            if (res[s].ran)
                fprintf(f, " %20s", short_name[s]);
        fprintf(f, "\n");
    }
    for (int k = 0; k < BENCH_KINDS; k++) {
        fprintf(f, md ? "| %s (%d) |" : "%-22s", bench_kinds[k], pts[0].m.kind_n[k]);
        for (int s = 0; s < 3; s++)
            if (res[s].ran) {
                const measure *m = &pts[s].m;
                double v = (double)m->kind_found[k] / (m->kind_n[k] ? m->kind_n[k] : 1);
                fprintf(f, md ? " %.4f |" : " %20.4f", v);
            }
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

/* ------------------------------------------------- development halves */

/* The development halves of ../shared/eval/screening, each query as vigil
 * screens it installed (vigil batch: the row's schema, date of birth,
 * nationality and gender; the list it is screened against) and as the
 * PostgreSQL team's query would (the same list, persons with persons when
 * the row says so, else every class). */
enum { DEV_EUCYR, DEV_UK2UN, DEV_TYPOS, DEV_NEG, DEV_SETS };
static const char *const dev_set_name[DEV_SETS] = {"EU Cyrillic -> UK", "UK -> UN", "UN typos",
                                                   "negatives-dev-extra"};
typedef struct {
    char *name, *schema, *dob, *country, *gender, *src;
    int cls; /* -1: any */
    int expect, set;
} dquery;
static dquery *dq;
static size_t ndq, ndq_cap;
static float *dev_score
    [2]; /* vigil, PostgreSQL: the expected entity's (positives), the top (negatives) */

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static void dev_add(const char *name, const char *schema, const char *dob, const char *country,
                    const char *gender, const char *src, const char *expect, int set)
{
    int e = -1;
    if (expect) {
        e = ent_index(expect);
        if (e < 0)
            return;
    }
    if (ndq == ndq_cap) {
        ndq_cap = ndq_cap ? ndq_cap * 2 : 16384;
        dq = realloc(dq, ndq_cap * sizeof(dquery));
    }
    dq[ndq++] = (dquery){strdup(name),
                         dup_or_null(schema),
                         dup_or_null(dob),
                         dup_or_null(country),
                         dup_or_null(gender),
                         dup_or_null(src),
                         schema && *schema ? cls_of(schema) : -1,
                         e,
                         set};
}

static void dev_crosslist(char **f, int n, void *ctx)
{
    (void)ctx;
    /* id,full_name,date_of_birth,schema,screen_against,expect_source,expect_id */
    if (n < 7 || strcmp(f[0], "id") == 0)
        return;
    char key[96];
    snprintf(key, sizeof(key), "%s:%s", f[5], f[6]);
    dev_add(f[1], f[3], f[2], NULL, NULL, f[4], key,
            strncmp(f[0], "eucyr2uk", 8) == 0 ? DEV_EUCYR : DEV_UK2UN);
}

static void dev_typo(char **f, int n, void *ctx)
{
    (void)ctx;
    /* id,full_name,date_of_birth,nationality,expect_source,expect_id */
    if (n < 6 || strcmp(f[0], "id") == 0)
        return;
    char key[96];
    snprintf(key, sizeof(key), "%s:%s", f[4], f[5]);
    dev_add(f[1], NULL, f[2], f[3], NULL, NULL, key, DEV_TYPOS);
}

static void dev_negative(char **f, int n, void *ctx)
{
    (void)ctx;
    /* id,full_name,gender,date_of_birth,nationality */
    if (n < 5 || strcmp(f[0], "id") == 0)
        return;
    dev_add(f[1], NULL, f[3], f[4], f[2], NULL, NULL, DEV_NEG);
}

static float dev_vigil(const dquery *x)
{
    vigil_query q = {x->name, x->schema, x->dob, x->country, x->gender,
                     NULL,    x->src,    0.3,    TOPK};
    vigil_hits h;
    float best = 0;
    if (vigil_screen(engine, &q, &h) != VIGIL_OK)
        return 0;
    for (size_t i = 0; i < h.n; i++) {
        char key[96];
        snprintf(key, sizeof(key), "%s:%s", h.hits[i].source, h.hits[i].source_id);
        if (x->expect < 0 || ent_index(key) == x->expect)
            best = (float)h.hits[i].score > best ? (float)h.hits[i].score : best;
    }
    vigil_hits_free(&h);
    return best;
}

static const char *const pg_dev_sql =
    "WITH q AS (SELECT lower($1) AS t, dmetaphone($1) AS d) "
    "SELECT ent, max(score) AS s FROM ("
    " SELECT n.ent, similarity(n.norm, q.t) AS score FROM names n, q"
    "  WHERE n.norm % q.t AND ($2::int < 0 OR n.cls = $2::int) AND ($3 = '' OR n.src = $3)"
    " UNION ALL"
    " SELECT n.ent, 1.0 - levenshtein(left(n.norm, 255), left(q.t, 255))::float8"
    "   / greatest(length(n.norm), length(q.t), 1) FROM names n, q"
    "  WHERE q.d <> '' AND n.dm = q.d AND ($2::int < 0 OR n.cls = $2::int)"
    "  AND ($3 = '' OR n.src = $3)"
    ") c GROUP BY ent ORDER BY s DESC LIMIT 10";

static float dev_pg(PGconn *c, const dquery *x)
{
    char cls[8];
    snprintf(cls, sizeof(cls), "%d", x->cls);
    const char *params[3] = {x->name, cls, x->src ? x->src : ""};
    PGresult *r = PQexecPrepared(c, "match_dev", 3, params, NULL, NULL, 0);
    float best = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++)
            if (x->expect < 0 || atoi(PQgetvalue(r, i, 0)) == x->expect) {
                float v = (float)atof(PQgetvalue(r, i, 1));
                best = v > best ? v : best;
            }
    PQclear(r);
    return best;
}

typedef struct {
    int sys, thread;
} dev_arg;

static void *dev_part(void *arg)
{
    dev_arg *a = arg;
    for (size_t i = (size_t)a->thread; i < ndq; i += 2)
        dev_score[a->sys][i] =
            a->sys == 0 ? dev_vigil(&dq[i]) : dev_pg(pg_conns[a->thread], &dq[i]);
    vigil_thread_done();
    return NULL;
}

static void dev_run(int sys)
{
    dev_score[sys] = calloc(ndq ? ndq : 1, sizeof(float));
    pthread_t th[2];
    dev_arg args[2] = {{sys, 0}, {sys, 1}};
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, dev_part, &args[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
}

/* The share of set found (positives) or alerting (negatives) at t. */
static double dev_rate(int sys, int set, double t)
{
    long n = 0, k = 0;
    for (size_t i = 0; i < ndq; i++)
        if (dq[i].set == set) {
            n++;
            k += dev_score[sys][i] >= t - 1e-9;
        }
    return n ? (double)k / (double)n : 0;
}

static long dev_count(int set)
{
    long n = 0;
    for (size_t i = 0; i < ndq; i++)
        n += dq[i].set == set;
    return n;
}

/* Writes the curve of both systems on the development halves to f. */
static void dev_print(FILE *f, int have_pg)
{
    fprintf(f, "| threshold |");
    for (int sys = 0; sys < (have_pg ? 2 : 1); sys++)
        for (int s = 0; s < DEV_SETS; s++)
            fprintf(f, " %s %s (%ld) |", sys ? "pg_trgm" : "vigil", dev_set_name[s],
                    dev_count(s));
    fprintf(f, "\n|---|");
    for (int c = 0; c < (have_pg ? 2 : 1) * DEV_SETS; c++)
        fprintf(f, "---|");
    fprintf(f, "\n");
    for (int g = 0; g <= 14; g++) {
        double t = 0.30 + 0.05 * g;
        fprintf(f, "| %.2f%s |", t,
                fabs(t - VIGIL_DEFAULT_THRESHOLD) < 1e-9 ? " (vigil's)" : "");
        for (int sys = 0; sys < (have_pg ? 2 : 1); sys++)
            for (int s = 0; s < DEV_SETS; s++)
                fprintf(f, " %.2f%% |", 100.0 * dev_rate(sys, s, t));
        fprintf(f, "\n");
    }
    if (!have_pg)
        return;
    /* PostgreSQL at the false alerts vigil raises at its threshold */
    double fp = dev_rate(0, DEV_NEG, VIGIL_DEFAULT_THRESHOLD), tp = 1.0;
    for (int g = 0; g < GRID; g++)
        if (dev_rate(1, DEV_NEG, grid_t(g)) <= fp + 1e-12) {
            tp = grid_t(g);
            break;
        }
    fprintf(
        f,
        "\nAt the false alerts vigil raises at 0.85 (%.2f%%), pg_trgm's lowest threshold that "
        "alerts no more is %.3f; there it finds",
        100.0 * fp, tp);
    for (int s = 0; s < DEV_NEG; s++)
        fprintf(f, " %s %.2f%%%s", dev_set_name[s], 100.0 * dev_rate(1, s, tp),
                s + 1 < DEV_NEG ? "," : "");
    fprintf(f, " (vigil:");
    for (int s = 0; s < DEV_NEG; s++)
        fprintf(f, " %.2f%%%s", 100.0 * dev_rate(0, s, VIGIL_DEFAULT_THRESHOLD),
                s + 1 < DEV_NEG ? "," : ")");
    fprintf(f, ".\n");
}

int main(int argc, char **argv)
{
    conninfo = argc > 1 && *argv[1] ? argv[1] : NULL;
    const char *results_path = argc > 2 ? argv[2] : NULL;
    const char *chart_path = argc > 3 ? argv[3] : NULL;
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char db_path[64];
    vigil_db *db = bench_four_lists(shared, db_path, sizeof(db_path));
    if (!db)
        return 1;
    read_names(db_path);
    bench_each_positive(db_path, positive, NULL);
    bench_each_negative(shared, negative, NULL);
    read_pairs(shared);
    printf("peers: %zu names of %zu entities; %zu queries; %d judged pairs, %d cross-script\n",
           nnames, nents, nq, npairs - ncross, ncross);
    for (int s = 0; s < NSYS; s++) {
        res[s].exp = calloc(nq, sizeof(float));
        res[s].top = calloc(nq, sizeof(float));
        res[s].rank1 = calloc(nq, 1);
        res[s].pair_score = calloc((size_t)npairs + 1, sizeof(float));
        res[s].pair_acc = -1;
    }

    /* vigil: the engine built from the database (not the saved one) */
    char saved[96];
    snprintf(saved, sizeof(saved), "%s.engine", db_path);
    remove(saved);
    double m0 = heap_mb(), t0 = bench_now();
    if (vigil_engine_open(db, &engine) != VIGIL_OK) {
        fprintf(stderr, "bench_peers: %s\n", vigil_errmsg(db));
        return 1;
    }
    res[0].build_s = bench_now() - t0;
    res[0].mem_mb = heap_mb() - m0;
    run_system(0);
    for (int i = 0; i < npairs; i++) {
        vigil_comparison c;
        if (vigil_compare(pairs[i].schema, pairs[i].a, pairs[i].b, 0, 0, &c) == VIGIL_OK)
            res[0].pair_score[i] = (float)c.score;
        vigil_comparison_free(&c);
    }
    double vigil_rss = peak_rss_mb(0);
    {
        char path[1024];
        snprintf(path, sizeof(path), "%s/eval/screening/positives-crosslist-dev.csv", shared);
        bench_each_csv_row(path, dev_crosslist, NULL);
        snprintf(path, sizeof(path), "%s/eval/screening/positives-un-typos-dev.csv", shared);
        bench_each_csv_row(path, dev_typo, NULL);
        snprintf(path, sizeof(path), "%s/eval/screening/negatives-dev-extra.csv", shared);
        bench_each_csv_row(path, dev_negative, NULL);
        dev_run(0);
        printf("peers: vigil on the %zu queries of the development halves done\n", ndq);
    }
    printf("peers: vigil done (%.0f queries/s)\n", res[0].qps);
    fflush(stdout);

    /* the brute-force scan */
    m0 = heap_mb();
    t0 = bench_now();
    brute_build();
    res[2].build_s = bench_now() - t0;
    res[2].mem_mb = heap_mb() - m0;
    run_system(2);
    for (int i = 0; i < npairs; i++) {
        uint32_t a[512], b[512];
        int na = fold(pairs[i].a, a, 512), nb = fold(pairs[i].b, b, 512);
        res[2].pair_score[i] = (float)jw(a, na, b, nb);
    }
    printf("peers: brute-force scan done (%.0f queries/s)\n", res[2].qps);
    fflush(stdout);

    /* PostgreSQL */
    char pg_version[64] = "";
    double pg_rss = 0;
    if (conninfo) {
        if (pg_build(&res[1].build_s, &res[1].mem_mb, pg_version, sizeof(pg_version)) != 0 ||
            !(pg_conns[0] = pg_connect()) || !(pg_conns[1] = pg_connect()))
            return 1;
        run_system(1);
        for (int i = 0; i < 2; i++) {
            PGresult *r = PQexec(pg_conns[i], "SELECT pg_backend_pid()");
            if (PQresultStatus(r) == PGRES_TUPLES_OK)
                pg_rss += peak_rss_mb(atol(PQgetvalue(r, 0, 0)));
            PQclear(r);
        }
        pg_pairs(&res[1]);
        printf("peers: PostgreSQL %s done (%.0f queries/s)\n", pg_version, res[1].qps);
        for (int i = 0; i < 2; i++)
            PQclear(PQprepare(pg_conns[i], "match_dev", pg_dev_sql, 3, NULL));
        dev_run(1);
        printf("peers: PostgreSQL on the development halves done\n");
        PQfinish(pg_conns[0]);
        PQfinish(pg_conns[1]);
    }

    /* vigil with the synthetic persons' other evidence: the same engine */
    res[3] = res[0];
    res[3].exp = calloc(nq, sizeof(float));
    res[3].top = calloc(nq, sizeof(float));
    res[3].rank1 = calloc(nq, 1);
    run_system(3);

    /* vigil at its threshold; each peer where it alerts as little, and
     * where it finds as many names written in Latin script (no peer matches
     * across scripts) */
    point by_fp[NSYS], by_recall[NSYS];
    measure mv = measure_at(&res[0], VIGIL_DEFAULT_THRESHOLD);
    for (int s = 0; s < NSYS; s++) {
        int own = s == 0 || s == 3, short_of = 0;
        double t1 = own ? VIGIL_DEFAULT_THRESHOLD : threshold_for_fp(&res[s], mv.alerts);
        double t2 =
            own ? VIGIL_DEFAULT_THRESHOLD : threshold_for_recall(&res[s], mv.found, &short_of);
        by_fp[s] = (point){t1, measure_at(&res[s], t1), pair_accuracy(&res[s], t1, 0),
                           pair_accuracy(&res[s], t1, 1), 0};
        by_recall[s] = (point){t2, measure_at(&res[s], t2), pair_accuracy(&res[s], t2, 0),
                               pair_accuracy(&res[s], t2, 1), short_of};
    }
    char mach[512], when[64];
    machine(mach, sizeof(mach));
    time_t now = time(NULL);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
    static const char *const t_fp =
        "At the false alerts vigil raises at its default threshold, 0.85 (each peer at its "
        "lowest threshold that alerts no more)";
    static const char *const t_recall =
        "At the recall vigil reaches at 0.85 (each peer at its highest threshold that finds as "
        "many; * none does: its lowest threshold, 0.30, and what it finds there)";
    printf("\nmachine: %s; %s\n\n", mach, when);
    print_table(stdout, t_fp, by_fp, 0);
    print_kinds(stdout, by_fp, 0);
    print_table(stdout, t_recall, by_recall, 0);
    printf("\nDevelopment halves:\n");
    dev_print(stdout, conninfo != NULL);

    if (results_path) {
        FILE *f = fopen(results_path, "w");
        if (f) {
            fprintf(
                f,
                "# vigil against the tools users would otherwise pick\n\n"
                "Written by `bench/bench_peers` (`make bench`, or `make bench-peers` alone); "
                "do not edit by hand.\n\n"
                "- Machine: %s\n- Date: %s\n- PostgreSQL: %s, pg_trgm and "
                "fuzzystrmatch, on loopback\n- Data: every name of the UN, EU, UK and "
                "OFAC 2022 lists in ../shared (%zu names of %zu entities)\n"
                "- Queries, names only (and the schema: persons are compared with "
                "persons): %d variants of listed names (positives: typing errors, "
                "reorderings, dropped middle names, original scripts, ICU romanisations, "
                "organisations, vessels; bench/positives.h) and %d synthetic persons "
                "listed nowhere (negatives, ../shared/eval/screening). The last vigil row "
                "gives the negatives their date of birth, nationality and gender too, as "
                "a customer record has them (the positives carry none).\n"
                "- PostgreSQL is queried as a team would build it: names lower-cased, "
                "candidates within trigram similarity 0.3 (`%%`, GIN index) or of the same "
                "double metaphone (b-tree index), scored by the better of trigram "
                "similarity and Levenshtein similarity (when the metaphones agree). The "
                "scan compares the case-folded query with every case-folded name by "
                "Jaro-Winkler.\n"
                "- Recall: the listed entity is among the 10 best hits at or above the "
                "threshold; at rank 1: and none scores higher. False alerts: negatives "
                "with any hit at or above the threshold. Pair accuracy: the %d judged "
                "pairs of ../shared/eval/names/name-pairs-dev.csv decided at the same "
                "threshold; cross-script pairs: the share of the %d pairs of "
                "cross-script-pairs.csv (a name and the same name in another script) "
                "judged a match there.\n"
                "- Speed: p50 and p99 of %d of the queries one after another on one "
                "thread (PostgreSQL: one connection, the round trip on loopback); "
                "queries/s: all %zu queries on 2 threads (PostgreSQL: 2 connections). "
                "Build: from the names to a searchable structure (vigil: its engine from "
                "its database; PostgreSQL: COPY, lower-casing, double metaphone, the "
                "indexes, VACUUM ANALYZE; the scan: case folding). Size: vigil's engine "
                "in memory, PostgreSQL's table and indexes (pg_total_relation_size), the "
                "scan's arrays. In brackets: the ratio to vigil in the same run.\n\n",
                mach, when, conninfo ? pg_version : "not run", nnames, nents, mv.npos, mv.nneg,
                npairs - ncross, ncross, SAMPLE, nq);
            print_table(f, t_fp, by_fp, 1);
            fprintf(f, "Recall by kind of positive, at the thresholds above:\n\n");
            print_kinds(f, by_fp, 1);
            print_table(f, t_recall, by_recall, 1);
            fprintf(f,
                    "Peak resident memory: this benchmark's process after vigil's part, "
                    "%.0f MB (the four lists read from their database and the engine built); "
                    "PostgreSQL's two backends after the queries, %.0f MB together (shared "
                    "buffers they touched included; the server's other processes not).\n\n",
                    vigil_rss, pg_rss);
            fprintf(f, "![recall against false alerts](%s)\n\n",
                    chart_path
                        ? (strrchr(chart_path, '/') ? strrchr(chart_path, '/') + 1 : chart_path)
                        : "recall-fp.svg");
            fprintf(f,
                    "Each curve is one system as its threshold moves from 0.30 to 1.00 (the "
                    "trigram index returns no candidate under 0.30; vigil returns none under "
                    "0.60); the dots are vigil at 0.85. Up and to the left is better.\n");
            fprintf(f,
                    "\n### The development halves of ../shared/eval/screening, as installed\n\n"
                    "Each query as `vigil batch` screens it (its schema, date of birth, "
                    "nationality and gender when the row has them, the list it is screened "
                    "against) and as the PostgreSQL query above would (the same list; persons "
                    "with persons when the row names the schema, else every class). Positives: "
                    "the expected entity at or above the threshold among the 10 best; "
                    "negatives: any hit at or above it. The share at each threshold:\n\n");
            dev_print(f, conninfo != NULL);
            fclose(f);
        }
    }
    if (chart_path)
        write_chart(chart_path);

    vigil_engine_close(engine);
    vigil_db_close(db);
    vigil__remove_db_files(db_path);
    return 0;
}
