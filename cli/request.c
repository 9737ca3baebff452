/*
 * request.c - reading a POST /match body (yente's shape) into queries, with
 * every bound checked: valid UTF-8, a JSON object, at most VIGIL_MAX_QUERIES
 * queries of at most VIGIL_MAX_QUERY_NAMES names, known schemas, strings
 * where strings belong. jansson reads the JSON. Design: docs/api.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

const char *const vigil_request_schemas[] = {"Person", "Organization", "Company", "LegalEntity",
                                             "Vessel", "Airplane",     "Thing",   NULL};

int vigil_request_schema_known(const char *s)
{
    for (int i = 0; s && vigil_request_schemas[i]; i++)
        if (strcmp(vigil_request_schemas[i], s) == 0)
            return 1;
    return 0;
}

int vigil_utf8_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t k;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1;
            min = 0x80;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2;
            min = 0x800;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3;
            min = 0x10000;
            c &= 0x07;
        } else
            return 0;
        if (n - i <= k)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
            c = c << 6 | (p[i + j] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        i += k + 1;
    }
    return 1;
}

static int fail(char *msg, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *msg, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return 400;
}

/* The first string of property p of props, or NULL; -1 in *bad when p is
 * there but not a list of strings. */
static const char *first_of(json_t *props, const char *p, int *bad)
{
    json_t *v = json_object_get(props, p);
    if (!v)
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (!json_is_array(v)) {
        *bad = 1;
        return NULL;
    }
    size_t i;
    json_t *x;
    const char *first = NULL;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x)) {
            *bad = 1;
            return NULL;
        }
        if (!first && *json_string_value(x))
            first = json_string_value(x);
    }
    return first;
}

static int add_names(vigil_match_query *q, json_t *v, char *msg, size_t cap)
{
    if (!v)
        return 0;
    if (json_is_string(v)) {
        if (*json_string_value(v) && q->nnames < VIGIL_MAX_QUERY_NAMES)
            q->names[q->nnames++] = json_string_value(v);
        return 0;
    }
    if (!json_is_array(v))
        return fail(msg, cap, "query \"%s\": names must be a list of strings", q->key);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x))
            return fail(msg, cap, "query \"%s\": names must be a list of strings", q->key);
        if (!*json_string_value(x))
            continue;
        if (q->nnames == VIGIL_MAX_QUERY_NAMES)
            return fail(msg, cap, "query \"%s\": more than %d names", q->key,
                        VIGIL_MAX_QUERY_NAMES);
        q->names[q->nnames++] = json_string_value(x);
    }
    return 0;
}

static int parse_query(const char *key, json_t *v, vigil_match_query *q, char *msg, size_t cap)
{
    memset(q, 0, sizeof(*q));
    q->key = key;
    q->echo = v;
    if (!json_is_object(v))
        return fail(msg, cap, "query \"%s\" is not an object", key);
    /* yente's EntityExample: the schema is required (422 without it, as a
     * request that does not validate); Thing, the root schema, is any */
    json_t *schema = json_object_get(v, "schema");
    if (!json_is_string(schema)) {
        fail(msg, cap,
             "query \"%s\": schema is required, a string: Person, Organization, Company, "
             "LegalEntity, Vessel, Airplane, or Thing for any",
             key);
        return 422;
    }
    if (!vigil_request_schema_known(json_string_value(schema)))
        return fail(msg, cap,
                    "query \"%s\": unknown schema \"%.64s\" (Person, Organization, Company, "
                    "LegalEntity, Vessel, Airplane, Thing)",
                    key, json_string_value(schema));
    if (strcmp(json_string_value(schema), "Thing") != 0)
        q->schema = json_string_value(schema);
    json_t *props = json_object_get(v, "properties");
    if (!json_is_object(props))
        return fail(msg, cap, "query \"%s\" has no properties object", key);
    int rc = add_names(q, json_object_get(props, "name"), msg, cap);
    if (!rc)
        rc = add_names(q, json_object_get(props, "alias"), msg, cap);
    if (rc)
        return rc;
    if (!q->nnames)
        return fail(msg, cap, "query \"%s\" has no name (properties.name)", key);
    int bad = 0;
    q->birth_date = first_of(props, "birthDate", &bad);
    static const char *const countries[] = {"nationality", "citizenship", "country",
                                            "jurisdiction", NULL};
    for (int i = 0; countries[i] && !q->country; i++)
        q->country = first_of(props, countries[i], &bad);
    q->gender = first_of(props, "gender", &bad);
    static const char *const ids[] = {"idNumber",  "passportNumber", "registrationNumber",
                                      "imoNumber", "taxNumber",      "innCode",
                                      NULL};
    for (int i = 0; ids[i] && !q->id_number; i++)
        q->id_number = first_of(props, ids[i], &bad);
    if (bad)
        return fail(msg, cap,
                    "query \"%s\": property values must be strings or lists of strings", key);
    return 0;
}

int vigil_match_request_parse(const char *body, size_t len, vigil_match_request *out, char *msg,
                              size_t cap)
{
    memset(out, 0, sizeof(*out));
    if (!vigil_utf8_ok(body, len))
        return fail(msg, cap, "the body is not valid UTF-8");
    json_error_t err;
    out->doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!out->doc)
        return fail(msg, cap, "the body is not JSON: %s (line %d, column %d)", err.text,
                    err.line, err.column);
    json_t *queries = json_object_get(out->doc, "queries");
    int rc = 0;
    if (!json_is_object(out->doc) || !json_is_object(queries))
        rc = fail(msg, cap, "the body must be an object with a \"queries\" object");
    else if (json_object_size(queries) == 0)
        rc = fail(msg, cap, "no queries");
    else if (json_object_size(queries) > VIGIL_MAX_QUERIES)
        rc = fail(msg, cap, "%zu queries: at most %d in one request", json_object_size(queries),
                  VIGIL_MAX_QUERIES);
    if (!rc) {
        out->q = calloc(json_object_size(queries), sizeof(vigil_match_query));
        if (!out->q)
            rc = fail(msg, cap, "out of memory");
    }
    const char *key;
    json_t *v;
    if (!rc)
        json_object_foreach(queries, key, v)
        {
            if ((rc = parse_query(key, v, &out->q[out->n], msg, cap)) != 0)
                break;
            out->n++;
        }
    if (rc)
        vigil_match_request_free(out);
    return rc;
}

void vigil_match_request_free(vigil_match_request *r)
{
    if (!r)
        return;
    json_decref(r->doc);
    free(r->q);
    memset(r, 0, sizeof(*r));
}
