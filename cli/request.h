/*
 * request.h - the body of a POST /match request (request.c), for cli/serve/ and
 * the fuzz target. The shape is OpenSanctions yente's:
 *   {"queries": {"q1": {"schema": "Person",
 *                       "properties": {"name": [...], "birthDate": [...], ...}}}}
 * Design: docs/api.md.
 */
#ifndef VIGIL_CLI_REQUEST_H
#define VIGIL_CLI_REQUEST_H

#include <jansson.h>
#include <stddef.h>

#define VIGIL_MAX_QUERIES 100    /* queries in one request */
#define VIGIL_MAX_QUERY_NAMES 20 /* names in one query */

/* One query: pointers into the parsed document (valid while it lives). */
typedef struct {
    const char *key;    /* "q1" */
    const char *schema; /* as given, checked; NULL: any (Thing) */
    const char *names[VIGIL_MAX_QUERY_NAMES];
    int nnames;
    const char *birth_date, *country, *gender, *id_number; /* the first of each, or NULL */
    json_t *echo;                                          /* the query object as sent */
} vigil_match_query;

typedef struct {
    json_t *doc;
    vigil_match_query *q;
    int n;
} vigil_match_request;

/* Parses body (len bytes, not NUL-terminated): valid UTF-8 JSON of the shape
 * above, at most VIGIL_MAX_QUERIES queries of at most VIGIL_MAX_QUERY_NAMES
 * names, each with a known schema. Returns 0 and fills out (free with
 * vigil_match_request_free), or 400 (422: a query without a schema, as
 * yente) with a message in msg (cap bytes). */
int vigil_match_request_parse(const char *body, size_t len, vigil_match_request *out, char *msg,
                              size_t cap);
void vigil_match_request_free(vigil_match_request *r);

/* The schemas a query may name (NULL-ended), and whether s is one. */
extern const char *const vigil_request_schemas[];
int vigil_request_schema_known(const char *s);

/* 1 when s[0..n) is valid UTF-8. */
int vigil_utf8_ok(const char *s, size_t n);

#endif
