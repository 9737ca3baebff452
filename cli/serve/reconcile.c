/*
 * reconcile.c - the W3C Reconciliation Service API (version 0.2, as
 * OpenRefine speaks it, at yente's paths): the service manifest, a batch of
 * reconciliation queries (a form field "queries", or a JSON body), entity
 * suggest, the types and properties it knows, and data extension (a form
 * field "extend"). Queries are screened like /match; entities are in
 * FollowTheMoney's form, so an extension gives any of their properties.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

#define MAX_RECONCILE 100 /* queries in one batch, as /match */

/* The properties vigil holds, with the schema that defines each in
 * FollowTheMoney (suggest/property names them as yente does, SCHEMA:NAME). */
static const struct {
    const char *id, *name, *schema;
} props[] = {{"name", "Name", "Thing"},
             {"alias", "Other name", "Thing"},
             {"birthDate", "Date of birth", "Person"},
             {"birthPlace", "Place of birth", "Person"},
             {"nationality", "Nationality", "Person"},
             {"country", "Country", "Thing"},
             {"gender", "Gender", "Person"},
             {"idNumber", "ID number", "LegalEntity"},
             {"passportNumber", "Passport number", "Person"},
             {"registrationNumber", "Registration number", "LegalEntity"},
             {"imoNumber", "IMO number", "Vessel"},
             {"address", "Address", "Thing"},
             {"position", "Position", "Person"},
             {"programId", "Programme", "Thing"},
             {"notes", "Notes", "Thing"},
             {"topics", "Topics", "Thing"},
             {NULL, NULL, NULL}};

/* The schemas a reconciliation query may have as its type: those a query
 * may name but the root, Thing, which is no type of entity anyone lists. */
static int matchable(int i)
{
    return strcmp(vigil_request_schemas[i], "Thing") != 0;
}

/* Answers v (taken) as JSON, 200. */
static enum MHD_Result send_json(struct MHD_Connection *c, json_t *v, int *status)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    return text ? send_text(c, *status = 200, text, "application/json")
                : send_error(c, *status = 500, "out of memory");
}

/* The value of form field key in an application/x-www-form-urlencoded body
 * (or the query string), decoded, malloc'd; NULL when absent. */
static char *form_field(struct MHD_Connection *c, const req *r, const char *key)
{
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    if (q)
        return strdup(q);
    size_t kl = strlen(key);
    for (size_t at = 0; r->body && at < r->len;) {
        const char *amp = memchr(r->body + at, '&', r->len - at);
        size_t n = amp ? (size_t)(amp - (r->body + at)) : r->len - at;
        if (n > kl && strncmp(r->body + at, key, kl) == 0 && r->body[at + kl] == '=') {
            char *v = malloc(n - kl);
            if (!v)
                return NULL;
            memcpy(v, r->body + at + kl + 1, n - kl - 1);
            v[n - kl - 1] = '\0';
            for (char *p = v; *p; p++)
                if (*p == '+')
                    *p = ' ';
            MHD_http_unescape(v);
            return v;
        }
        at += n + 1;
    }
    return NULL;
}

/* A service of the manifest: {"service_url": base, "service_path": path}. */
static json_t *service(const char *base, const char *path)
{
    return json_pack("{s:s,s:s}", "service_url", base, "service_path", path);
}

/* GET /reconcile/{dataset}: the service manifest. */
static enum MHD_Result manifest(struct MHD_Connection *c, const char *dataset, int *status)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    const char *scheme = vigil_srv_opts->tls_cert ? "https" : "http";
    char root[300], base[400], view[400], space[400];
    snprintf(root, sizeof(root), "%s://%.200s", scheme, host ? host : "127.0.0.1");
    snprintf(base, sizeof(base), "%s/reconcile/%s", root, dataset);
    snprintf(view, sizeof(view), "%s/#/entity/{{id}}", root);
    snprintf(space, sizeof(space), "%s/entities/", root);
    json_t *dt = json_array();
    for (int i = 0; vigil_request_schemas[i]; i++)
        if (matchable(i))
            json_array_append_new(dt, json_pack("{s:s,s:s}", "id", vigil_request_schemas[i],
                                                "name", vigil_request_schemas[i]));
    json_t *m = json_object();
    json_object_set_new(m, "versions", json_pack("[s]", "0.2"));
    json_object_set_new(m, "name", json_string("vigil sanctions screening"));
    json_object_set_new(m, "identifierSpace", json_string(space));
    json_object_set_new(m, "schemaSpace",
                        json_string("https://followthemoney.tech/explorer/schemata/"));
    json_object_set_new(m, "defaultTypes", dt);
    json_object_set_new(m, "view", json_pack("{s:s}", "url", view));
    json_object_set_new(m, "preview",
                        json_pack("{s:s,s:i,s:i}", "url", view, "width", 600, "height", 400));
    json_object_set_new(m, "suggest",
                        json_pack("{s:o,s:o,s:o}", "entity", service(base, "/suggest/entity"),
                                  "type", service(base, "/suggest/type"), "property",
                                  service(base, "/suggest/property")));
    json_object_set_new(m, "extend",
                        json_pack("{s:o,s:[{s:s,s:s,s:s,s:i}]}", "propose_properties",
                                  service(base, "/extend/property"), "property_settings",
                                  "name", "limit", "label", "Values", "type", "number",
                                  "default", 0));
    return send_json(c, m, status);
}

/* One reconciliation query (a W3C query object) as a match query. NULL
 * query string: 400 with why. */
static int read_query(json_t *q, vigil_match_query *mq, const char **why)
{
    memset(mq, 0, sizeof(*mq));
    const char *text = json_string_value(json_object_get(q, "query"));
    if (!text || !*text || !vigil_utf8_ok(text, strlen(text))) {
        *why = "each query has a \"query\": the name to reconcile";
        return 400;
    }
    mq->names[0] = text;
    mq->nnames = 1;
    json_t *type = json_object_get(q, "type");
    const char *t = json_is_string(type) ? json_string_value(type)
                                         : json_string_value(json_array_get(type, 0));
    if (t && *t) {
        if (!vigil_request_schema_known(t)) {
            *why = "a type is Person, Organization, Company, LegalEntity, Vessel, Airplane or "
                   "Thing";
            return 400;
        }
        mq->schema = strcmp(t, "Thing") != 0 ? t : NULL;
    }
    /* properties: [{"pid": "birthDate", "v": "1953-08-27"}, ...] */
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(q, "properties"), i, p)
    {
        const char *pid = json_string_value(json_object_get(p, "pid"));
        json_t *v = json_object_get(p, "v");
        const char *val =
            json_is_string(v) ? json_string_value(v) : json_string_value(json_array_get(v, 0));
        if (!pid || !val || !vigil_utf8_ok(val, strlen(val)))
            continue;
        if (strchr(pid, ':')) /* a qualified name, "Person:birthDate" */
            pid = strchr(pid, ':') + 1;
        if (!strcmp(pid, "birthDate"))
            mq->birth_date = val;
        else if (!strcmp(pid, "nationality") || !strcmp(pid, "country") ||
                 !strcmp(pid, "jurisdiction"))
            mq->country = val;
        else if (!strcmp(pid, "gender"))
            mq->gender = val;
        else if (strstr(pid, "Number") || !strcmp(pid, "idNumber"))
            mq->id_number = val;
        else if ((!strcmp(pid, "name") || !strcmp(pid, "alias")) &&
                 mq->nnames < VIGIL_MAX_QUERY_NAMES)
            mq->names[mq->nnames++] = val;
    }
    return 0;
}

/* The candidates of one query, as W3C reconciliation results. */
static json_t *candidates(const holder *h, const vigil_match_query *mq, const char *sources,
                          size_t limit)
{
    vigil_hits res;
    json_t *out = json_array();
    if (vigil_srv_screen_query(h->e, mq, sources, VIGIL_DEFAULT_THRESHOLD, limit, NULL, &res) !=
        VIGIL_OK)
        return out;
    for (size_t k = 0; k < res.n; k++) {
        const vigil_hit *x = &res.hits[k];
        char id[96];
        snprintf(id, sizeof(id), "%s:%s", x->source, x->source_id);
        json_array_append_new(out, json_pack("{s:s,s:s,s:[{s:s,s:s}],s:f,s:b,s:s}", "id", id,
                                             "name", x->name, "type", "id", x->schema, "name",
                                             x->schema, "score", x->score * 100.0, "match",
                                             x->match, "description", x->source));
    }
    vigil_hits_free(&res);
    return out;
}

/* An extension: {"ids": [...], "properties": [{"id": ...}]}. */
static enum MHD_Result extend(struct MHD_Connection *c, const char *spec, int *status)
{
    json_t *e = json_loads(spec, 0, NULL);
    json_t *ids = json_object_get(e, "ids"), *ps = json_object_get(e, "properties");
    if (!json_is_array(ids) || !json_is_array(ps) || json_array_size(ids) > 1000) {
        json_decref(e);
        return send_error(c, *status = 400,
                          "extend is {\"ids\": [...], \"properties\": [{\"id\": ...}]}");
    }
    json_t *meta = json_array(), *rows = json_object();
    size_t i, k;
    json_t *p, *id;
    json_array_foreach(ps, k, p)
    {
        const char *pid = json_string_value(json_object_get(p, "id"));
        const char *name = pid;
        for (int j = 0; pid && props[j].id; j++)
            if (!strcmp(props[j].id, pid))
                name = props[j].name;
        json_array_append_new(meta, json_pack("{s:s?,s:s?}", "id", pid, "name", name));
    }
    json_array_foreach(ids, i, id)
    {
        const char *s = json_string_value(id);
        const char *colon = s ? strchr(s, ':') : NULL;
        json_t *row = json_object();
        json_t *form = NULL;
        if (colon && colon - s < 16 && strlen(colon + 1) < 64) {
            vigil_hit hh;
            memset(&hh, 0, sizeof(hh));
            snprintf(hh.source, sizeof(hh.source), "%.*s", (int)(colon - s), s);
            snprintf(hh.source_id, sizeof(hh.source_id), "%s", colon + 1);
            const char *text = vigil_srv_ftm_form(&hh);
            form = text ? json_loads(text, 0, NULL) : NULL;
        }
        json_array_foreach(ps, k, p)
        {
            const char *pid = json_string_value(json_object_get(p, "id"));
            json_t *vals = json_array(), *v;
            size_t j;
            json_array_foreach(
                json_object_get(json_object_get(form, "properties"), pid ? pid : ""), j, v)
                json_array_append_new(vals, json_pack("{s:O}", "str", v));
            if (pid)
                json_object_set_new(row, pid, vals);
            else
                json_decref(vals);
        }
        json_decref(form);
        if (s)
            json_object_set_new(rows, s, row);
        else
            json_decref(row);
    }
    json_decref(e);
    return send_json(c, json_pack("{s:o,s:o}", "meta", meta, "rows", rows), status);
}

/* Whether a suggestion of id and label answers prefix (case ignored); an
 * empty prefix answers nothing, as yente. */
static int answers(const char *prefix, const char *id, const char *label)
{
    size_t n = strlen(prefix);
    return n && (strncasecmp(id, prefix, n) == 0 || strncasecmp(label, prefix, n) == 0);
}

/* GET /extend/property?type=&limit=: the properties an extension can give
 * for entities of type (Person when none), sorted by name. */
static enum MHD_Result propose(struct MHD_Connection *c, int *status)
{
    const char *type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "type");
    const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    if (!type || !*type)
        type = "Person";
    if (!vigil_request_schema_known(type))
        return send_error(c, *status = 400,
                          "unknown type: Person, Organization, Company, "
                          "LegalEntity, Vessel, Airplane or Thing");
    long limit = lim ? strtol(lim, NULL, 10) : 0;
    int person = !strcmp(type, "Person"), vessel = !strcmp(type, "Vessel");
    json_t *out = json_array();
    for (int j = 0; props[j].id && (limit <= 0 || (long)json_array_size(out) < limit); j++) {
        const char *s = props[j].schema;
        if (!strcmp(s, "Thing") || (!strcmp(s, "Person") && person) ||
            (!strcmp(s, "Vessel") && vessel) ||
            (!strcmp(s, "LegalEntity") && strcmp(type, "Thing") && !vessel &&
             strcmp(type, "Airplane")))
            json_array_append_new(
                out, json_pack("{s:s,s:s}", "id", props[j].id, "name", props[j].name));
    }
    return send_json(
        c, json_pack("{s:i,s:s,s:o}", "limit", (int)limit, "type", type, "properties", out),
        status);
}

/* GET /reconcile/{dataset}/suggest/{entity|type|property}?prefix= and
 * /extend/property. */
static enum MHD_Result suggest(struct MHD_Connection *c, const holder *h, const char *sources,
                               const char *what, int *status)
{
    const char *prefix = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "prefix");
    if (!prefix)
        prefix = "";
    if (!strcmp(what, "extend/property"))
        return propose(c, status);
    if (strlen(prefix) > 200 || !vigil_utf8_ok(prefix, strlen(prefix)))
        return send_error(c, *status = 400,
                          "prefix is a name's beginning: UTF-8, at most 200 "
                          "bytes");
    json_t *out = json_array();
    if (!strcmp(what, "suggest/entity")) {
        vigil_hits res;
        if (*prefix && vigil_suggest(h->e, prefix, sources, 10, &res) == VIGIL_OK) {
            for (size_t k = 0; k < res.n; k++) {
                const vigil_hit *x = &res.hits[k];
                char id[96];
                snprintf(id, sizeof(id), "%s:%s", x->source, x->source_id);
                json_array_append_new(out,
                                      json_pack("{s:s,s:s,s:[{s:s,s:s}],s:s}", "id", id, "name",
                                                x->name, "type", "id", x->schema, "name",
                                                x->schema, "description", x->source));
            }
            vigil_hits_free(&res);
        }
    } else if (!strcmp(what, "suggest/type")) {
        for (int j = 0; vigil_request_schemas[j]; j++)
            if (matchable(j) &&
                answers(prefix, vigil_request_schemas[j], vigil_request_schemas[j]))
                json_array_append_new(out,
                                      json_pack("{s:s,s:s}", "id", vigil_request_schemas[j],
                                                "name", vigil_request_schemas[j]));
    } else if (!strcmp(what, "suggest/property")) {
        for (int j = 0; props[j].id; j++)
            if (answers(prefix, props[j].id, props[j].name)) {
                char qname[64];
                snprintf(qname, sizeof(qname), "%s:%s", props[j].schema, props[j].id);
                json_array_append_new(
                    out, json_pack("{s:s,s:s}", "id", qname, "name", props[j].name));
            }
    } else {
        json_decref(out);
        return send_error(c, *status = 404,
                          "the service has suggest/entity, suggest/type, suggest/property and "
                          "extend/property");
    }
    return send_json(c, json_pack("{s:s,s:o}", "prefix", prefix, "result", out), status);
}

enum MHD_Result vigil_srv_reconcile(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status)
{
    char dataset[64];
    size_t dn = strcspn(rest, "/");
    snprintf(dataset, sizeof(dataset), "%.*s", (int)(dn < 63 ? dn : 63), rest);
    const char *what = rest[dn] == '/' ? rest + dn + 1 : "";
    holder *h = vigil_srv_acquire();
    if (!h)
        return send_error(c, *status = 503, "no lists loaded");
    char msg[512], sources[512];
    enum MHD_Result ok;
    if ((*status = vigil_srv_sources_of(c, h, dataset, sources, sizeof(sources), msg,
                                        sizeof(msg))) != 0) {
        ok = send_error(c, *status, msg);
        vigil_srv_release(h);
        return ok;
    }
    if (*what) {
        ok = suggest(c, h, sources, what, status);
        vigil_srv_release(h);
        return ok;
    }
    char *queries = form_field(c, r, "queries");
    char *ext = queries ? NULL : form_field(c, r, "extend");
    if (!queries && !ext && r->len && r->body[0] == '{')
        queries = strndup(r->body, r->len); /* a JSON body: the queries themselves */
    if (ext) {
        ok = extend(c, ext, status);
    } else if (!queries) {
        ok = manifest(c, dataset, status);
    } else {
        json_t *qs = json_loads(queries, 0, NULL);
        json_t *out = json_object();
        const char *key, *why = NULL;
        json_t *q;
        int st = json_is_object(qs) && json_object_size(qs) <= MAX_RECONCILE ? 0 : 400;
        if (st)
            why = "queries is a JSON object of at most 100 queries: {\"q0\": {\"query\": "
                  "\"NAME\"}}";
        json_object_foreach(qs, key, q)
        {
            vigil_match_query mq;
            if (st || (st = read_query(q, &mq, &why)) != 0)
                break;
            json_int_t lim = json_integer_value(json_object_get(q, "limit"));
            json_object_set_new(out, key,
                                json_pack("{s:o}", "result",
                                          candidates(h, &mq, sources,
                                                     lim > 0 && lim <= 100 ? (size_t)lim : 5)));
        }
        json_decref(qs);
        if (st) {
            json_decref(out);
            ok = send_error(c, *status = st, why);
        } else {
            ok = send_json(c, out, status);
        }
    }
    free(queries);
    free(ext);
    vigil_srv_release(h);
    return ok;
}
