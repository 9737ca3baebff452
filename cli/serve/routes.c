/*
 * routes.c - the route table: one row per endpoint (its path, its method, its
 * metric label, its handler, how /api lists it), which routing, the metrics
 * and the /api listing all walk; and the small endpoints (/healthz, /readyz,
 * /admin/reload, /api). A new endpoint is a handler and a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../web.h"
#include "server.h"

/* A file of the page (web/), or NULL. */
static const vigil_web_file *page_file(const char *url)
{
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    for (const vigil_web_file *f = vigil_web_files; f->path; f++)
        if (strcmp(f->path, url) == 0)
            return f;
    return NULL;
}

int vigil_srv_token_equal(const char *given, const char *scheme, const char *want)
{
    size_t ls = strlen(scheme), lw = strlen(want);
    if (!given || strncmp(given, scheme, ls) != 0)
        return 0;
    given += ls;
    /* every byte of the whole token compared, whatever was given: the time
     * depends on the token's length only, never on how much of it matched */
    size_t lg = strlen(given);
    unsigned diff = (unsigned)(lg != lw);
    for (size_t i = 0; i < lw; i++)
        diff |= (unsigned)(i < lg ? (unsigned char)given[i] : 0) ^ (unsigned char)want[i];
    return diff == 0;
}

static enum MHD_Result do_reload(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status)
{
    (void)rest;
    (void)r;
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!vigil_srv_opts->admin_token || !*vigil_srv_opts->admin_token)
        return send_error(c, *status = 403,
                          "reloading over HTTP is off (start with --admin-token)");
    if (!vigil_srv_token_equal(auth, "Bearer ", vigil_srv_opts->admin_token))
        return send_error(c, *status = 401, "Authorization: Bearer TOKEN is wrong or missing");
    char msg[1024];
    if (vigil_srv_reload(msg, sizeof(msg)) != 0)
        return send_error(c, *status = 500, msg);
    holder *h = vigil_srv_acquire();
    sb b = {0};
    sb_printf(&b, "{\"reloaded\":true,\"entities\":%zu,\"versions\":%s}",
              h ? vigil_engine_entities(h->e) : 0, h ? vigil_engine_versions(h->e) : "[]");
    vigil_srv_release(h);
    return send_sb(c, *status = 200, &b);
}

static enum MHD_Result do_health(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status)
{
    (void)rest;
    (void)r;
    return send_text(c, *status = 200, strdup("{\"status\":\"ok\"}"), "application/json");
}

static enum MHD_Result do_ready(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    (void)rest;
    (void)r;
    holder *h = vigil_srv_acquire();
    int ready = h != NULL;
    vigil_srv_release(h);
    return ready ? send_text(c, *status = 200, strdup("{\"status\":\"ready\"}"),
                             "application/json")
                 : send_error(c, *status = 503, "no lists loaded");
}

static enum MHD_Result do_api(struct MHD_Connection *c, const char *rest, req *r, int *status);

/* Every endpoint, in the order a URL is tried against them. */
const vigil_srv_route vigil_srv_routes[] = {
    {"/match/", 1, "match", vigil_srv_match, {"POST /match/{dataset}"}},
    {"/search/", 0, "search", vigil_srv_search, {"GET /search/{dataset}?q="}},
    {"/entities/", 0, "entities", vigil_srv_entity, {"GET /entities/{source}:{id}"}},
    {"/catalog", 0, "catalog", vigil_srv_catalog, {"GET /catalog"}},
    {"/healthz", 0, "healthz", do_health, {"GET /healthz"}},
    {"/readyz", 0, "readyz", do_ready, {"GET /readyz"}},
    {"/metrics", 0, "metrics", vigil_srv_metrics, {"GET /metrics"}},
    {"/admin/reload", 1, "reload", do_reload, {"POST /admin/reload"}},
    {"/batch", 1, "batch", vigil_srv_batch_start, {"POST /batch"}},
    {"/batch/",
     0,
     "batch",
     vigil_srv_batch_get,
     {"GET /batch/{id}", "GET /batch/{id}/results.csv", "GET /batch/{id}/results.jsonl"}},
    {"/api", 0, "api", do_api, {"GET /api"}},
};
const int vigil_srv_nroutes = (int)(sizeof(vigil_srv_routes) / sizeof(vigil_srv_routes[0]));

/* GET /api: the table, as JSON, and the page. */
static enum MHD_Result do_api(struct MHD_Connection *c, const char *rest, req *r, int *status)
{
    (void)rest;
    (void)r;
    sb b = {0};
    sb_cat(&b, "{\"service\":\"vigil\",\"endpoints\":[");
    for (int i = 0; i < vigil_srv_nroutes; i++)
        for (int d = 0; d < 3 && vigil_srv_routes[i].doc[d]; d++) {
            sb_str(&b, vigil_srv_routes[i].doc[d]);
            sb_cat(&b, ",");
        }
    sb_cat(&b, "\"GET /\"],\"docs\":\"docs/api.md\"}");
    return send_sb(c, *status = 200, &b);
}

enum MHD_Result vigil_srv_route_request(struct MHD_Connection *c, const char *url,
                                        const char *method, req *r, int *ep, int *status)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int post = strcmp(method, "POST") == 0;
    if (r->bad_host) {
        *ep = VIGIL_SRV_EP_OTHER;
        return send_error(c, *status = 400,
                          "this server does not answer to that Host (--host)");
    }
    if (r->too_long) {
        *ep = VIGIL_SRV_EP_OTHER;
        return send_error(c, *status = r->too_long,
                          r->too_long == 414 ? "the URL is longer than 8 KiB"
                                             : "the headers are larger than 32 KiB");
    }
    if (r->too_big) {
        *ep = VIGIL_SRV_EP_OTHER;
        return send_error(c, *status = 413,
                          strncmp(url, "/batch", 6) == 0 ? "the upload is larger than 16 MiB"
                                                         : "the body is larger than 1 MiB");
    }
    const vigil_web_file *page = get ? page_file(url) : NULL;
    if (page) {
        *ep = VIGIL_SRV_EP_PAGE;
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            page->len, (void *)page->data, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        MHD_add_response_header(resp, "Content-Type", page->type);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        add_security_headers(resp);
        enum MHD_Result ok = MHD_queue_response(c, (unsigned)(*status = 200), resp);
        MHD_destroy_response(resp);
        return ok;
    }
    *ep = VIGIL_SRV_EP_OTHER;
    for (int i = 0; i < vigil_srv_nroutes; i++) {
        const vigil_srv_route *x = &vigil_srv_routes[i];
        size_t n = strlen(x->path);
        int prefix = x->path[n - 1] == '/';
        if (prefix ? strncmp(url, x->path, n) != 0 || !url[n] : strcmp(url, x->path) != 0)
            continue;
        *ep = i;
        if (x->post ? !post : !get)
            return send_error(c, *status = 405, x->post ? "use POST" : "use GET");
        return x->fn(c, url + n, r, status);
    }
    return send_error(c, *status = 404, "no such endpoint (GET /api lists them)");
}
