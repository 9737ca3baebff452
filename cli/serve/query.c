/*
 * query.c - the screening endpoints: POST /match/{dataset} (yente's match
 * API), GET /search/{dataset}, GET /entities/{source}:{id}, GET /catalog, and
 * the arguments they share (the lists to screen, numbers in bounds).
 */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../request.h"
#include "server.h"

/* Screens every name of q into *out (zeroed here), keeping each entity's
 * best hit (vigil_hits_merge) and leaving out those of exclude_schema.
 * Returns VIGIL_OK, or an error code (then *out is empty). */
int vigil_srv_screen_query(const vigil_engine *e, const vigil_match_query *q,
                           const char *sources, double threshold, size_t limit,
                           const char *exclude_schema, vigil_hits *out)
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

/* Each worker thread's reader of entities (FollowTheMoney's form for the
 * results), opened at its first result, closed when the thread ends. */
#define FTM_CACHE 2048 /* entities a worker keeps in FollowTheMoney's form */
typedef struct {
    vigil_db *db;
    vigil_entity_reader *r;
    /* what was read, until the next reload: the same entities come back in
     * result after result (an id, its form; open addressing) */
    unsigned gen;
    char *ids[FTM_CACHE], *forms[FTM_CACHE];
    int held;
} thread_reader;

static void cache_clear(thread_reader *t)
{
    for (int i = 0; i < FTM_CACHE; i++) {
        free(t->ids[i]);
        free(t->forms[i]);
        t->ids[i] = t->forms[i] = NULL;
    }
    t->held = 0;
}
static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void reader_free(void *p)
{
    thread_reader *t = p;
    cache_clear(t);
    vigil_entity_reader_close(t->r);
    vigil_db_close(t->db);
    free(t);
}

static void reader_init(void)
{
    pthread_key_create(&reader_key, reader_free);
}

static thread_reader *reader(void)
{
    pthread_once(&reader_once, reader_init);
    thread_reader *t = pthread_getspecific(reader_key);
    if (t) {
        unsigned gen = vigil_srv_generation();
        if (t->gen != gen) { /* other lists since: forget what was read */
            cache_clear(t);
            t->gen = gen;
        }
        return t;
    }
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->gen = vigil_srv_generation();
    if (vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &t->db) != VIGIL_OK ||
        vigil_entity_reader_open(t->db, &t->r) != VIGIL_OK) {
        vigil_db_close(t->db);
        t->db = NULL;
    }
    pthread_setspecific(reader_key, t);
    return t;
}

/* id's FollowTheMoney form (kept by the thread's reader; NULL: unknown). */
const char *vigil_srv_ftm_form(const vigil_hit *h)
{
    thread_reader *t = reader();
    if (!t || !t->r)
        return NULL;
    char id[96];
    snprintf(id, sizeof(id), "%s:%s", h->source, h->source_id);
    uint32_t k = (uint32_t)(vigil_hash64(id, strlen(id)) % FTM_CACHE);
    for (int probe = 0; probe < 8; probe++, k = (k + 1) % FTM_CACHE)
        if (t->ids[k] && strcmp(t->ids[k], id) == 0)
            return t->forms[k];
        else if (!t->ids[k])
            break;
    if (t->held >= FTM_CACHE * 3 / 4) { /* full enough: start again */
        cache_clear(t);
        k = (uint32_t)(vigil_hash64(id, strlen(id)) % FTM_CACHE);
    }
    char *form = NULL;
    if (vigil_entity_reader_ftm(t->r, h->source, h->source_id, &form) != VIGIL_OK || !form ||
        form[0] != '{' || form[1] != '"') {
        vigil_free(form);
        return NULL;
    }
    while (t->ids[k])
        k = (k + 1) % FTM_CACHE;
    t->ids[k] = strdup(id);
    t->forms[k] = form;
    t->held++;
    return form;
}

/* yente's features: the score of each part of the comparison, from the
 * explanation (the name's score, each piece of evidence's effect). */
static void write_features(sb *b, const char *explanation)
{
    json_t *x = explanation ? json_loads(explanation, 0, NULL) : NULL;
    sb_printf(b, "{\"name\":%.4f",
              json_number_value(json_object_get(json_object_get(x, "name"), "score")));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(x, "evidence"), i, e)
    {
        json_t *eff = json_object_get(e, "effect");
        const char *kind = json_string_value(json_object_get(e, "kind"));
        if (kind && json_is_number(eff)) {
            sb_cat(b, ",");
            sb_str(b, kind);
            sb_printf(b, ":%.4f", json_number_value(eff));
        } else if (kind) { /* decisive */
            sb_cat(b, ",");
            sb_str(b, kind);
            sb_cat(b, ":1.0");
        }
    }
    sb_cat(b, "}");
    json_decref(x);
}

static void write_result(sb *b, const vigil_hit *h)
{
    sb_cat(b, "{\"id\":");
    char id[96];
    snprintf(id, sizeof(id), "%s:%s", h->source, h->source_id);
    sb_str(b, id);
    sb_cat(b, ",\"schema\":");
    sb_str(b, h->schema);
    /* the entity in FollowTheMoney's form, as yente gives it with a result */
    const char *ftm = vigil_srv_ftm_form(h);
    if (ftm) {
        size_t n = strlen(ftm);
        sb_cat(b, ",");
        sb_put(b, ftm + 1, n - 2); /* its members, without its braces */
    } else {
        sb_cat(b, ",\"caption\":");
        sb_str(b, h->name);
        sb_cat(b, ",\"properties\":{\"name\":[");
        sb_str(b, h->name);
        if (strcmp(h->name, h->matched_name) != 0) {
            sb_cat(b, ",");
            sb_str(b, h->matched_name);
        }
        sb_cat(b, "]},\"datasets\":[");
        sb_str(b, h->source);
        sb_cat(b, "],\"referents\":[],\"target\":true,\"first_seen\":null,\"last_seen\":null,"
                  "\"last_change\":null");
    }
    sb_cat(b, ",\"matched_name\":");
    sb_str(b, h->matched_name);
    sb_printf(b, ",\"score\":%.4f,\"match\":%s,\"features\":", h->score,
              h->match ? "true" : "false");
    write_features(b, h->explanation);
    sb_printf(b, ",\"explanations\":%s}", h->explanation ? h->explanation : "{}");
}

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
int vigil_srv_sources_of(struct MHD_Connection *c, const holder *h, const char *dataset,
                         char *out, size_t cap, char *msg, size_t mcap)
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

int vigil_srv_num_arg(struct MHD_Connection *c, const char *key, double lo, double hi,
                      double def, double *out)
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

/* vigil's features, as yente's FeatureDocs (GET /algorithms, and each
 * /match response's "matcher"): what the explanation of a result scores. */
#define FEATURE_DOCS                                                                           \
    "{\"name\":{\"description\":\"the name comparison's score\",\"coefficient\":1.0,\"url\":"  \
    "\"docs/matching.md\"},\"birth_date\":{\"description\":\"the date of birth: the same "     \
    "(+0.06 at most), near, or different (-0.15)\",\"coefficient\":0.06,\"url\":"              \
    "\"docs/screening.md\"},\"country\":{\"description\":\"the nationality or country: the "   \
    "same (+0.03) or not (-0.05)\",\"coefficient\":0.03,\"url\":\"docs/screening.md\"},"       \
    "\"identifier\":{\"description\":\"an identifier the same on both sides: decisive\","      \
    "\"coefficient\":1.0,\"url\":\"docs/screening.md\"}}"

int vigil_srv_algorithm_known(const char *name)
{
    return strcmp(name, "vigil") == 0 || strcmp(name, "best") == 0 ||
           strcmp(name, "default") == 0;
}

enum MHD_Result vigil_srv_algorithms(struct MHD_Connection *c, const char *rest, req *r,
                                     int *status)
{
    (void)rest;
    (void)r;
    /* yente's AlgorithmResponse: vigil's one algorithm, its features those the
     * explanation of every result names */
    static const char *const body =
        "{\"algorithms\":[{\"name\":\"vigil\",\"description\":\"vigil's matcher: names "
        "compared word by word across scripts and romanisations (given-name equivalents, "
        "nicknames, legal forms, typing errors), then the date of birth, country, gender and "
        "identifiers as evidence that raises or lowers the score (docs/matching.md, "
        "docs/screening.md)\",\"features\":" FEATURE_DOCS "}],\"default\":\"vigil\","
        "\"best\":\"vigil\"}";
    return send_text(c, *status = 200, strdup(body), "application/json");
}

/* The query as yente echoes it (its EntityExample of the entity it made):
 * every property a list of strings, countries as lower-case codes (those
 * that are no country left out). */
static json_t *normalised_query(json_t *q)
{
    static const char *const countries[] = {"nationality",  "citizenship",  "country",
                                            "jurisdiction", "birthCountry", NULL};
    json_t *out = json_object();
    json_t *id = json_object_get(q, "id");
    if (json_is_string(id))
        json_object_set(out, "id", id);
    json_t *schema = json_object_get(q, "schema");
    json_object_set_new(
        out, "schema", json_is_string(schema) ? json_copy(schema) : json_string("LegalEntity"));
    json_t *props = json_object(), *v;
    const char *key;
    json_object_foreach(json_object_get(q, "properties"), key, v)
    {
        int country = 0;
        for (int i = 0; countries[i]; i++)
            country |= strcmp(countries[i], key) == 0;
        json_t *list = json_array(), *x;
        size_t i;
        json_t *one = json_is_array(v) ? NULL : v;
        for (i = 0; (x = one ? (i == 0 ? one : NULL) : json_array_get(v, i)) != NULL; i++) {
            const char *s = json_string_value(x);
            if (!s || !*s)
                continue;
            const char *code = country ? vigil_country_code(s) : NULL;
            if (country && !code)
                continue; /* as yente: a country that is none is dropped */
            char lc[4] = "";
            for (int k = 0; code && k < 3 && code[k]; k++)
                lc[k] = (char)(code[k] >= 'A' && code[k] <= 'Z' ? code[k] + 32 : code[k]);
            json_array_append_new(list, json_string(code ? lc : s));
        }
        json_object_set_new(props, key, list);
    }
    json_object_set_new(out, "properties", props);
    return out;
}

/* A date or a time as yente's changed_since takes it: YYYY-MM-DD, then
 * optionally THH, :MM, :SS. */
static int iso_time_ok(const char *s)
{
    static const char *const shapes[] = {"dddd-dd-dd", "dddd-dd-ddTdd", "dddd-dd-ddTdd:dd",
                                         "dddd-dd-ddTdd:dd:dd"};
    for (int i = 0; i < 4; i++) {
        const char *p = shapes[i], *q = s;
        while (*p && *q && (*p == 'd' ? (*q >= '0' && *q <= '9') : *p == *q))
            p++, q++;
        if (!*p && !*q)
            return 1;
    }
    return 0;
}

static int has_any(json_t *props, const char *prop, const multi *m);

/* Whether a /match result stays: its topics among topics (none given: any),
 * its id and referents not among exclude_ids, and (changed_since) changed
 * at or after since. */
static int match_keep(const vigil_hit *h, const multi *topics, const multi *exclude_ids,
                      const char *since)
{
    char id[96];
    snprintf(id, sizeof(id), "%s:%s", h->source, h->source_id);
    if (in_multi(exclude_ids, id))
        return 0;
    if (!topics->n && !exclude_ids->n && !since)
        return 1;
    const char *text = vigil_srv_ftm_form(h);
    json_t *form = text ? json_loads(text, 0, NULL) : NULL;
    int keep = !topics->n || has_any(json_object_get(form, "properties"), "topics", topics);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(form, "referents"), i, v) keep &=
        !in_multi(exclude_ids, json_string_value(v));
    if (since) {
        const char *ch = json_string_value(json_object_get(form, "last_change"));
        keep &= ch && strncmp(ch, since, strlen(since)) >= 0;
    }
    json_decref(form);
    return keep;
}

enum MHD_Result vigil_srv_match(struct MHD_Connection *c, const char *dataset, req *r,
                                int *status)
{
    holder *h = vigil_srv_acquire();
    if (!h)
        return send_error(c, *status = 503, "no lists loaded");
    char msg[512], sources[512];
    double threshold, limit;
    vigil_match_request mr;
    const char *exs = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "exclude_schema");
    enum MHD_Result ok;
    const char *algo = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "algorithm");
    const char *changed =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "changed_since");
    double cutoff = 0;
    if (vigil_srv_num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD, &threshold) ||
        vigil_srv_num_arg(c, "limit", 1, 500, 5, &limit) ||
        vigil_srv_num_arg(c, "cutoff", 0, 1.0, 0, &cutoff)) {
        ok = send_error(c, *status = 422,
                        "threshold is a number in (0, 1], cutoff in [0, 1], limit 1 to 500");
    } else if (algo && !vigil_srv_algorithm_known(algo)) {
        snprintf(msg, sizeof(msg),
                 "unknown algorithm \"%.100s\": this server has \"vigil\" (GET /algorithms; "
                 "\"best\" and \"default\" name it too)",
                 algo);
        ok = send_error(c, *status = 400, msg);
    } else if ((*status = vigil_srv_sources_of(c, h, dataset, sources, sizeof(sources), msg,
                                               sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
    } else if (changed && !iso_time_ok(changed)) {
        ok = send_error(c, *status = 422,
                        "changed_since is a date or a time: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS");
    } else if ((*status = vigil_match_request_parse(r->body ? r->body : "", r->len, &mr, msg,
                                                    sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
    } else if (json_object_size(json_object_get(mr.doc, "config")) ||
               json_object_size(json_object_get(mr.doc, "weights"))) {
        /* yente's: a config key its algorithm does not have is 400; vigil's
         * algorithm has none, and no weights to change (docs/matching.md) */
        vigil_match_request_free(&mr);
        ok = send_error(c, *status = 400,
                        "vigil's algorithm takes no config and no weights: its rules and "
                        "weights are fixed and documented (docs/matching.md)");
    } else {
        multi topics, exclude_ids;
        get_multi(c, "topics", &topics);
        get_multi(c, "exclude_entity_ids", &exclude_ids);
        sb b = {0};
        sb_cat(&b, "{\"responses\":{");
        for (int i = 0; i < mr.n && !b.err; i++) {
            vigil_hits res;
            int rc = vigil_srv_screen_query(h->e, &mr.q[i], sources, threshold, (size_t)limit,
                                            exs, &res);
            sb_str(&b, mr.q[i].key);
            if (rc != VIGIL_OK) {
                sb_printf(&b, ":{\"status\":500,\"error\":");
                sb_str(&b, vigil_strerror(rc));
                sb_cat(&b, "}");
            } else {
                sb_cat(&b, ":{\"status\":200,\"results\":[");
                /* cutoff: as yente, no result under it (never over the threshold) */
                double floor = cutoff < threshold ? cutoff : threshold;
                size_t shown = 0;
                for (size_t k = 0; k < res.n; k++) {
                    if (cutoff > 0 && res.hits[k].score < floor)
                        continue;
                    if (!match_keep(&res.hits[k], &topics, &exclude_ids, changed))
                        continue;
                    if (shown++)
                        sb_cat(&b, ",");
                    write_result(&b, &res.hits[k]);
                }
                json_t *norm = normalised_query(mr.q[i].echo);
                char *echo = json_dumps(norm, JSON_COMPACT | JSON_PRESERVE_ORDER);
                json_decref(norm);
                sb_printf(&b,
                          "],\"total\":{\"value\":%zu,\"relation\":\"eq\"},\"query\":", shown);
                sb_cat(&b, echo ? echo : "{}");
                sb_cat(&b, "}");
                free(echo);
            }
            if (i + 1 < mr.n)
                sb_cat(&b, ",");
            vigil_hits_free(&res);
        }
        sb_printf(&b,
                  "},\"matcher\":" FEATURE_DOCS
                  ",\"limit\":%d,\"threshold\":%.4g,\"versions\":%s}",
                  (int)limit, threshold, vigil_engine_versions(h->e));
        vigil_match_request_free(&mr);
        ok = send_sb(c, *status = 200, &b);
    }
    vigil_srv_release(h);
    return ok;
}

#define SEARCH_DEPTH 100 /* candidates a search screens at least */

/* /search's filters, as yente's: countries=, topics= (repeatable: any of
 * them), datasets= (any), filter=PROPERTY:VALUE (repeatable: each must hold,
 * or any with filter_op=OR), target= (every listed entity is a target), and
 * changed_since= (its last change at or after). */
typedef struct {
    multi countries, topics, datasets, filters;
    int any_filter; /* filter_op=OR */
    int target;     /* -1: either; 0 or 1 */
    const char *since;
} search_filter;

/* Reads f from the request; 422 and a message when a value is not one
 * yente takes. */
static int search_filter_read(struct MHD_Connection *c, search_filter *f, const char **why)
{
    get_multi(c, "countries", &f->countries);
    get_multi(c, "topics", &f->topics);
    get_multi(c, "datasets", &f->datasets);
    get_multi(c, "filter", &f->filters);
    const char *op = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "filter_op");
    const char *target = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "target");
    f->since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "changed_since");
    f->any_filter = op && strcasecmp(op, "OR") == 0;
    f->target = !target                        ? -1
                : strcmp(target, "true") == 0  ? 1
                : strcmp(target, "false") == 0 ? 0
                                               : -2;
    if (op && !f->any_filter && strcasecmp(op, "AND") != 0)
        *why = "filter_op is AND or OR";
    else if (f->target == -2)
        *why = "target is true or false";
    else if (f->since && !iso_time_ok(f->since))
        *why = "changed_since is a date or a time: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS";
    else
        return 0;
    return 422;
}

/* Whether any value of props[prop] is one of m's (lower case compared). */
static int has_any(json_t *props, const char *prop, const multi *m)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(props, prop), i, v)
    {
        for (int k = 0; k < m->n && json_is_string(v); k++)
            if (strcasecmp(json_string_value(v), m->values[k]) == 0)
                return 1;
    }
    return 0;
}

/* Whether the entity (its schema, list and FollowTheMoney form) passes f. */
static int search_keep(const search_filter *f, const char *schema, const char *source,
                       json_t *form)
{
    json_t *props = json_object_get(form, "properties");
    if (f->countries.n && !has_any(props, "country", &f->countries) &&
        !has_any(props, "nationality", &f->countries) &&
        !has_any(props, "jurisdiction", &f->countries))
        return 0;
    if (f->topics.n && !has_any(props, "topics", &f->topics))
        return 0;
    if (f->datasets.n && !in_multi(&f->datasets, source))
        return 0;
    if (f->target == 0) /* a listed entity is a target */
        return 0;
    if (f->since) {
        const char *ch = json_string_value(json_object_get(form, "last_change"));
        if (!ch || strncmp(ch, f->since, strlen(f->since)) < 0)
            return 0;
    }
    int held = 0, tried = 0;
    for (int k = 0; k < f->filters.n; k++) {
        const char *colon = strchr(f->filters.values[k], ':');
        if (!colon)
            continue;
        char prop[32];
        snprintf(prop, sizeof(prop), "%.*s", (int)(colon - f->filters.values[k]),
                 f->filters.values[k]);
        multi one = {.n = 1};
        snprintf(one.values[0], sizeof(one.values[0]), "%s", colon + 1);
        tried++;
        held += strcmp(prop, "schema") == 0 ? strcasecmp(schema, colon + 1) == 0
                                            : has_any(props, prop, &one);
    }
    return !tried || (f->any_filter ? held > 0 : held == tried);
}

/* yente's facets over the results kept: countries, topics, datasets (given
 * unless facets= names others), and schema (when asked). */
#define NFACETS 4
typedef struct {
    json_t *counts[NFACETS]; /* value -> count */
} facet_counts;
static const char *const facet_names[NFACETS] = {"countries", "topics", "datasets", "schema"};
static const char *const facet_labels[NFACETS] = {"Countries", "Topics", "Data sources",
                                                  "Entity types"};

static void facet_add(facet_counts *fc, int f, const char *value)
{
    if (!value)
        return;
    if (!fc->counts[f])
        fc->counts[f] = json_object();
    json_t *n = json_object_get(fc->counts[f], value);
    json_object_set_new(fc->counts[f], value, json_integer(json_integer_value(n) + 1));
}

static void facets_count(facet_counts *fc, const char *schema, const char *source, json_t *form)
{
    json_t *props = json_object_get(form, "properties");
    json_t *seen = json_object();
    static const char *const cprops[] = {"country", "nationality", "jurisdiction"};
    for (int p = 0; p < 3; p++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(props, cprops[p]), i, v)
        {
            const char *s = json_string_value(v);
            if (s && !json_object_get(seen, s)) {
                json_object_set_new(seen, s, json_true());
                facet_add(fc, 0, s);
            }
        }
    }
    json_decref(seen);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(props, "topics"), i, v)
        facet_add(fc, 1, json_string_value(v));
    facet_add(fc, 2, source);
    facet_add(fc, 3, schema);
}

static void facets_write(sb *b, const facet_counts *fc, struct MHD_Connection *c)
{
    multi want;
    get_multi(c, "facets", &want);
    sb_cat(b, "{");
    int first = 1;
    for (int f = 0; f < NFACETS; f++) {
        if (want.n ? !in_multi(&want, facet_names[f]) : f == 3)
            continue;
        sb_printf(b, "%s\"%s\":{\"label\":\"%s\",\"values\":[", first ? "" : ",",
                  facet_names[f], facet_labels[f]);
        first = 0;
        const char *key;
        json_t *n;
        int k = 0;
        json_object_foreach(fc->counts[f], key, n)
        {
            sb_cat(b, k++ ? ",{\"name\":" : "{\"name\":");
            sb_str(b, key);
            sb_cat(b, ",\"label\":");
            sb_str(b, key);
            sb_printf(b, ",\"count\":%lld}", (long long)json_integer_value(n));
        }
        sb_cat(b, "]}");
    }
    sb_cat(b, "}");
}

static void facets_free(facet_counts *fc)
{
    for (int f = 0; f < NFACETS; f++)
        json_decref(fc->counts[f]);
}

/* The first of yente's /search arguments vigil does not take, or NULL: said
 * so rather than answered as if it had been read. fuzzy: vigil's search is
 * always by name similarity, never by exact terms. */
static const char *unsupported_search_arg(struct MHD_Connection *c)
{
    const char *fuzzy = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "fuzzy");
    const char *simple = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "simple");
    if (fuzzy && strcmp(fuzzy, "true") != 0)
        return "fuzzy=false";
    if (simple && strcmp(simple, "true") != 0 && strcmp(simple, "false") != 0)
        return "simple other than true or false";
    return NULL;
}

/* One entity a search keeps: a screening hit (q given) or, for a listing,
 * a listed entity's id; its sort key; its place among those found. */
typedef struct {
    const vigil_hit *hit;
    char *id, *key;
    size_t order;
} found;

typedef struct {
    found *v;
    size_t n, cap;
    int err;
} founds;

static void founds_add(founds *fs, const vigil_hit *hit, const char *id, const char *key)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 64;
        found *v = realloc(fs->v, cap * sizeof(*v));
        if (!v) {
            fs->err = 1;
            return;
        }
        fs->v = v;
        fs->cap = cap;
    }
    found *f = &fs->v[fs->n];
    f->hit = hit;
    f->id = id ? strdup(id) : NULL;
    f->key = strdup(key ? key : "");
    f->order = fs->n++;
    fs->err |= (id && !f->id) || !f->key;
}

static void founds_free(founds *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].id);
        free(fs->v[i].key);
    }
    free(fs->v);
}

/* sort=FIELD[:asc|:desc], as yente's: by one of the entity's times or its
 * caption; without it, by score (a search) or by list and id (a listing). */
typedef struct {
    char field[16];
    int desc;
} search_sort;

static int sort_read(struct MHD_Connection *c, search_sort *so)
{
    memset(so, 0, sizeof(*so));
    const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "sort");
    if (!s)
        return 0;
    static const char *const fields[] = {"first_seen", "last_seen", "last_change", "caption",
                                         NULL};
    size_t n = strcspn(s, ":");
    const char *dir = s[n] == ':' ? s + n + 1 : "asc";
    for (int i = 0; fields[i]; i++)
        if (strlen(fields[i]) == n && strncmp(fields[i], s, n) == 0 &&
            (strcmp(dir, "asc") == 0 || strcmp(dir, "desc") == 0)) {
            snprintf(so->field, sizeof(so->field), "%s", fields[i]);
            so->desc = strcmp(dir, "desc") == 0;
            return 0;
        }
    return 422;
}

/* By sort key, ascending or descending; among equals, in the order found. */
static int by_order(const found *a, const found *b)
{
    return (a->order > b->order) - (a->order < b->order);
}

static int by_key_asc(const void *x, const void *y)
{
    const found *a = x, *b = y;
    int d = strcmp(a->key, b->key);
    return d ? d : by_order(a, b);
}

static int by_key_desc(const void *x, const void *y)
{
    const found *a = x, *b = y;
    int d = strcmp(b->key, a->key);
    return d ? d : by_order(a, b);
}

static void founds_sort(founds *fs, const search_sort *so)
{
    if (so->field[0] && fs->n > 1)
        qsort(fs->v, fs->n, sizeof(*fs->v), so->desc ? by_key_desc : by_key_asc);
}

/* Whether an entity of schema is one of want (NULL: any): LegalEntity is a
 * person, an organisation or a company, as in FollowTheMoney. */
static int schema_within(const char *schema, const char *want)
{
    if (!want)
        return 1;
    if (!schema)
        return 0;
    if (strcmp(want, "LegalEntity") == 0)
        return strcmp(schema, "Vessel") != 0 && strcmp(schema, "Airplane") != 0;
    return strcmp(schema, want) == 0;
}

/* What a search gathers: the filters, the sort, the facets, the found; for a
 * listing, the lists and the schema asked for. */
typedef struct {
    const search_filter *f;
    const search_sort *so;
    const char *sources, *schema;
    char within[520]; /* a listing's lists, ",eu,un,", to find ",SOURCE," in */
    facet_counts fc;
    founds fs;
} gather;

/* Keeps one entity (schema, list, parsed form) when it passes the filters. */
static void gather_one(gather *g, const vigil_hit *hit, const char *schema, const char *source,
                       const char *id, json_t *form)
{
    if (!search_keep(g->f, schema, source, form))
        return;
    facets_count(&g->fc, schema, source, form);
    const char *key =
        g->so->field[0] ? json_string_value(json_object_get(form, g->so->field)) : NULL;
    founds_add(&g->fs, hit, id, key);
}

/* One listed entity (its form as text) for a listing. */
static int gather_listed(void *ctx, const char *json)
{
    gather *g = ctx;
    json_t *form = json_loads(json, 0, NULL);
    const char *schema = json_string_value(json_object_get(form, "schema"));
    const char *source =
        json_string_value(json_array_get(json_object_get(form, "datasets"), 0));
    char list[24];
    snprintf(list, sizeof(list), ",%s,", source ? source : "");
    if (source && strstr(g->within, list) && schema_within(schema, g->schema))
        gather_one(g, NULL, schema, source, json_string_value(json_object_get(form, "id")),
                   form);
    json_decref(form);
    return g->fs.err;
}

/* The properties a listing's short form keeps: those its filters and facets
 * read. */
static const char *const short_props[] = {"country", "nationality", "jurisdiction", "topics",
                                          NULL};

/* vigil_entities_each's callback making the holder's short forms. */
static int shorten(void *ctx, const char *json)
{
    holder *h = ctx;
    json_t *e = json_loads(json, 0, NULL), *keep = json_object();
    json_t *props = json_object_get(e, "properties");
    for (int i = 0; short_props[i]; i++) {
        json_t *v = json_object_get(props, short_props[i]);
        if (v)
            json_object_set(keep, short_props[i], v);
    }
    json_object_set_new(e, "properties", keep);
    json_object_del(e, "referents");
    char *text = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(e);
    char **more = text ? realloc(h->listed, (h->nlisted + 1) * sizeof(char *)) : NULL;
    if (!more) {
        free(text);
        return 1;
    }
    h->listed = more;
    h->listed[h->nlisted++] = text;
    return 0;
}

/* Makes the holder's short forms of every entity of its lists, once (the
 * first listing pays a scan of the store; the next ones read memory).
 * Returns 0, or -1 when they cannot be made. */
static int listed_ready(holder *h)
{
    pthread_mutex_lock(&h->listed_mu);
    if (!h->nlisted) {
        char all[512];
        size_t k = 0;
        all[0] = '\0';
        for (int i = 0; i < h->nsources; i++)
            k +=
                (size_t)snprintf(all + k, sizeof(all) - k, "%s%s", k ? "," : "", h->sources[i]);
        vigil_db *db = NULL;
        int rc = vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db);
        if (rc == VIGIL_OK)
            rc = vigil_entities_each(db, all, NULL, shorten, h);
        vigil_db_close(db);
        if (rc != VIGIL_OK) {
            for (size_t i = 0; i < h->nlisted; i++)
                free(h->listed[i]);
            free(h->listed);
            h->listed = NULL;
            h->nlisted = 0;
        }
    }
    int ok = h->nlisted ? 0 : -1;
    pthread_mutex_unlock(&h->listed_mu);
    return ok;
}

/* A listing: the entities of g's lists and schema, filtered, from the short
 * forms, or from the store when a filter names a property they lack. */
static int list_all(holder *h, gather *g)
{
    int short_ok = 1;
    for (int k = 0; k < g->f->filters.n; k++) {
        const char *v = g->f->filters.values[k];
        size_t n = strcspn(v, ":");
        int known = n == 6 && strncmp(v, "schema", 6) == 0;
        for (int i = 0; short_props[i] && !known; i++)
            known = strlen(short_props[i]) == n && strncmp(short_props[i], v, n) == 0;
        short_ok &= known;
    }
    if (short_ok && listed_ready(h) == 0) {
        for (size_t i = 0; i < h->nlisted && !g->fs.err; i++)
            gather_listed(g, h->listed[i]);
        return g->fs.err ? VIGIL_ERR_NOMEM : VIGIL_OK;
    }
    vigil_db *db = NULL;
    int rc = vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_entities_each(db, g->sources, NULL, gather_listed, g);
    vigil_db_close(db);
    return rc;
}

/* The schema a search names, for the engine or the store: NULL for any. */
static const char *any_schema(const char *schema)
{
    return !schema || !*schema || strcmp(schema, "Thing") == 0 ? NULL : schema;
}

enum MHD_Result vigil_srv_search(struct MHD_Connection *c, const char *dataset, req *r,
                                 int *status)
{
    (void)r;
    holder *h = vigil_srv_acquire();
    if (!h)
        return send_error(c, *status = 503, "no lists loaded");
    char msg[512], sources[512];
    double threshold, limit, offset;
    const char *unsupported, *why = NULL;
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    const char *schema = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "schema");
    search_filter sf;
    search_sort so;
    enum MHD_Result ok;
    if (q && (strlen(q) > 1000 || !vigil_utf8_ok(q, strlen(q)))) {
        ok = send_error(c, *status = 400, "q is a name: UTF-8, at most 1000 bytes");
    } else if (vigil_srv_num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD,
                                 &threshold) ||
               vigil_srv_num_arg(c, "limit", 0, 500, 10, &limit) ||
               vigil_srv_num_arg(c, "offset", 0, 9500, 0, &offset)) {
        ok = send_error(c, *status = 422,
                        "threshold is a number in (0, 1], limit 0 to 500, offset 0 to 9500");
    } else if ((*status = vigil_srv_sources_of(c, h, dataset, sources, sizeof(sources), msg,
                                               sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
    } else if ((unsupported = unsupported_search_arg(c)) != NULL) {
        snprintf(msg, sizeof(msg),
                 "%s: vigil does not take it (docs/api.md, \"Switching from yente\")",
                 unsupported);
        ok = send_error(c, *status = 400, msg);
    } else if (schema && *schema && !vigil_request_schema_known(schema)) {
        ok = send_error(c, *status = 400,
                        "unknown schema (Person, Organization, Company, LegalEntity, Vessel, "
                        "Airplane, Thing)");
    } else if ((*status = search_filter_read(c, &sf, &why)) != 0 ||
               (*status = sort_read(c, &so)) != 0) {
        ok = send_error(c, *status,
                        why ? why
                            : "sort is FIELD, FIELD:asc or FIELD:desc, FIELD one of "
                              "first_seen, last_seen, last_change, caption");
    } else {
        gather g = {.f = &sf, .so = &so, .sources = sources, .schema = any_schema(schema)};
        snprintf(g.within, sizeof(g.within), ",%s,", sources);
        vigil_hits res = {0};
        int rc = VIGIL_OK, listing = !q || !*q;
        size_t depth = 0;
        if (listing) {
            rc = list_all(h, &g); /* as yente, without q: the dataset's entities */
        } else {
            vigil_match_query mq;
            memset(&mq, 0, sizeof(mq));
            mq.names[0] = q;
            mq.nnames = 1;
            mq.schema = any_schema(schema);
            mq.birth_date = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "birthDate");
            mq.country = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "country");
            /* candidates enough for a page at offset and a total that means
             * something: at least SEARCH_DEPTH, "gte" when that many were found */
            depth = (size_t)(limit + offset) > SEARCH_DEPTH ? (size_t)(limit + offset)
                                                            : SEARCH_DEPTH;
            const char *exs =
                MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "exclude_schema");
            rc = vigil_srv_screen_query(h->e, &mq, sources, threshold, depth,
                                        exs && *exs ? exs : NULL, &res);
            for (size_t k = 0; rc == VIGIL_OK && k < res.n; k++) {
                const char *text = vigil_srv_ftm_form(&res.hits[k]);
                json_t *form = text ? json_loads(text, 0, NULL) : NULL;
                gather_one(&g, &res.hits[k], res.hits[k].schema, res.hits[k].source, NULL,
                           form);
                json_decref(form);
            }
        }
        if (rc == VIGIL_OK && g.fs.err)
            rc = VIGIL_ERR_NOMEM;
        if (rc != VIGIL_OK) {
            ok = send_error(c, *status = 500, vigil_strerror(rc));
        } else {
            founds_sort(&g.fs, &so);
            vigil_db *db = NULL; /* a listing's page, read whole */
            if (listing &&
                vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db) != VIGIL_OK)
                db = NULL;
            char source[32];
            const char *colon;
            sb b = {0};
            sb_cat(&b, "{\"query\":");
            sb_str(&b, q ? q : "");
            sb_cat(&b, ",\"results\":[");
            size_t shown = 0;
            for (size_t k = (size_t)offset; k < g.fs.n && shown < (size_t)limit; k++) {
                const found *f = &g.fs.v[k];
                char *full = NULL;
                if (f->hit) {
                    sb_cat(&b, shown++ ? "," : "");
                    write_result(&b, f->hit);
                } else if (db && (colon = strchr(f->id, ':')) != NULL &&
                           snprintf(source, sizeof(source), "%.*s", (int)(colon - f->id),
                                    f->id) > 0 &&
                           vigil_entity_ftm_json(db, source, colon + 1, &full) == VIGIL_OK) {
                    sb_cat(&b, shown++ ? "," : "");
                    sb_cat(&b, full);
                }
                vigil_free(full);
            }
            vigil_db_close(db);
            sb_printf(&b,
                      "],\"limit\":%d,\"offset\":%d,\"total\":{\"value\":%zu,\"relation\":"
                      "\"%s\"},\"facets\":",
                      (int)limit, (int)offset, g.fs.n,
                      !listing && res.n >= depth ? "gte" : "eq");
            facets_write(&b, &g.fc, c);
            sb_printf(&b, ",\"versions\":%s}", vigil_engine_versions(h->e));
            ok = send_sb(c, *status = 200, &b);
        }
        facets_free(&g.fc);
        founds_free(&g.fs);
        vigil_hits_free(&res);
    }
    vigil_srv_release(h);
    return ok;
}

enum MHD_Result vigil_srv_entity(struct MHD_Connection *c, const char *path, req *r,
                                 int *status)
{
    (void)r;
    /* {id}, or {id}/adjacent (yente's: the entity and those it links to;
     * the lists give no links between entries, so none) */
    char id[256];
    const char *adj = strstr(path, "/adjacent");
    int adjacent = adj && adj[9] == '\0';
    snprintf(id, sizeof(id), "%.*s", (int)(adjacent ? (size_t)(adj - path) : strlen(path)),
             path);
    const char *colon = strchr(id, ':');
    /* as yente, an id that names no entity is 404, whatever its shape */
    if (!colon || colon == id || !colon[1] || strlen(id) > 200 ||
        !vigil_utf8_ok(id, strlen(id)))
        return send_error(
            c, *status = 404,
            "no such entity: an entity's id is SOURCE:SOURCE_ID, e.g. un:QDi.276");
    char source[32];
    snprintf(source, sizeof(source), "%.*s", (int)(colon - id), id);
    vigil_db *db;
    char *json = NULL;
    int rc = vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_entity_ftm_json(db, source, colon + 1, &json);
    enum MHD_Result ok;
    if (rc == VIGIL_OK && adjacent) {
        sb b = {0};
        sb_cat(&b, "{\"entity\":");
        sb_cat(&b, json);
        sb_cat(&b, ",\"adjacent\":{}}");
        vigil_free(json);
        ok = send_sb(c, *status = 200, &b);
    } else if (rc == VIGIL_OK)
        ok = send_text(c, *status = 200, json, "application/json");
    else if (rc == VIGIL_ERR_NOTFOUND)
        ok = send_error(c, *status = 404, "no such entity");
    else
        ok = send_error(c, *status = 500, db ? vigil_errmsg(db) : vigil_strerror(rc));
    vigil_db_close(db);
    return ok;
}

static enum MHD_Result catalog(struct MHD_Connection *c, int manifest, int *status);

enum MHD_Result vigil_srv_catalog(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status)
{
    (void)rest;
    (void)r;
    return catalog(c, 0, status);
}

/* GET /manifest: as yente's, the datasets this server loads (no catalogs:
 * the lists are loaded by vigil load, not fetched on a schedule). */
enum MHD_Result vigil_srv_manifest(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status)
{
    (void)rest;
    (void)r;
    return catalog(c, 1, status);
}

static enum MHD_Result catalog(struct MHD_Connection *c, int manifest, int *status)
{
    vigil_db *db;
    vigil_list_version *v = NULL;
    size_t n = 0;
    int rc = vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc == VIGIL_OK)
        rc = vigil_versions(db, &v, &n);
    if (rc != VIGIL_OK) {
        enum MHD_Result ok =
            send_error(c, *status = 500, db ? vigil_errmsg(db) : vigil_strerror(rc));
        vigil_db_close(db);
        return ok;
    }
    vigil_db_close(db);
    holder *h = vigil_srv_acquire();
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
    /* yente's DataCatalogModel beside it: each list a dataset, "default"
     * the collection of them all; the index is the engine being served */
    static const struct {
        const char *name, *title, *url;
    } lists[] = {
        {"un", "UN Security Council Consolidated List",
         "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"},
        {"eu", "EU Financial Sanctions Files (consolidated list)",
         "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-"
         "entities-subject-to-eu-financial-sanctions"},
        {"uk", "UK Sanctions List",
         "https://www.gov.uk/government/publications/the-uk-sanctions-list"},
        {"ofac", "OFAC Specially Designated Nationals (SDN) List",
         "https://ofac.treasury.gov/"
         "specially-designated-nationals-and-blocked-persons-list-sdn-"
         "human-readable-lists"},
        {"ftm", "FollowTheMoney entities", "https://www.opensanctions.org/docs/bulk/"},
    };
    sb_cat(&b, "],\"datasets\":[");
    for (int i = 0; h && i < h->nsources; i++) {
        const char *title = h->sources[i], *url = NULL;
        for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
            if (strcmp(lists[k].name, h->sources[i]) == 0) {
                title = lists[k].title;
                url = lists[k].url;
            }
        const vigil_list_version *cur = NULL;
        for (size_t k = 0; k < n; k++)
            if (strcmp(v[k].source, h->sources[i]) == 0)
                cur = &v[k];
        char version[64];
        snprintf(version, sizeof(version), "%s",
                 cur ? (cur->published[0] ? cur->published : cur->loaded_at) : "");
        sb_cat(&b, i ? ",{\"name\":" : "{\"name\":");
        sb_str(&b, h->sources[i]);
        sb_cat(&b, ",\"title\":");
        sb_str(&b, title);
        sb_cat(&b, ",\"summary\":null,\"url\":");
        if (url)
            sb_str(&b, url);
        else
            sb_cat(&b, "null");
        sb_cat(&b, ",\"load\":true,\"entities_url\":null,\"version\":");
        sb_str(&b, version);
        sb_cat(&b, ",\"index_version\":");
        sb_str(&b, version);
        sb_cat(&b, ",\"index_current\":true,\"children\":[]}");
    }
    sb_cat(&b, h && h->nsources ? ",{\"name\":\"default\"" : "{\"name\":\"default\"");
    sb_cat(&b, ",\"title\":\"Every list loaded\",\"summary\":null,\"url\":null,\"load\":"
               "true,\"entities_url\":null,\"version\":\"\",\"index_version\":null,"
               "\"index_current\":true,\"children\":[");
    for (int i = 0; h && i < h->nsources; i++) {
        if (i)
            sb_cat(&b, ",");
        sb_str(&b, h->sources[i]);
    }
    sb_cat(&b, "]}],\"current\":[");
    for (int i = 0; h && i < h->nsources; i++) {
        sb_str(&b, h->sources[i]);
        sb_cat(&b, ",");
    }
    sb_cat(&b, "\"default\"],\"outdated\":[],\"index_stale\":false}");
    vigil_free(v);
    vigil_srv_release(h);
    if (manifest && !b.err && b.s) {
        json_t *all = json_loads(b.s, 0, NULL);
        json_t *m = json_object();
        json_object_set_new(m, "schedule", json_null());
        json_object_set_new(m, "catalogs", json_array());
        json_object_set(m, "datasets", json_object_get(all, "datasets"));
        json_decref(all);
        free(b.s);
        char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(m);
        return text ? send_text(c, *status = 200, text, "application/json")
                    : send_error(c, *status = 500, "out of memory");
    }
    return send_sb(c, *status = 200, &b);
}
