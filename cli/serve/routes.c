/*
 * routes.c - the route table: one row per endpoint (its path, its method, its
 * metric label, its handler, how /api lists it), which routing, the metrics
 * and the /api listing all walk; and the small endpoints (/healthz, /readyz,
 * /admin/reload, /api). A new endpoint is a handler and a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

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

/* POST /admin/reload, and yente's POST /updatez (yente: the token may come
 * as ?token=, and a wrong one is 403). */
static enum MHD_Result reload(struct MHD_Connection *c, req *r, int *status, int yente)
{
    /* an admin's key (or session), or the admin token; without
     * authentication, the token only */
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    const char *token = vigil_srv_opts->admin_token;
    int by_token = token && *token && vigil_srv_token_equal(auth, "Bearer ", token);
    if (yente && !by_token) {
        /* yente's /updatez: the token as ?token=, any other answer 403 */
        const char *given = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
        by_token = token && *token && vigil_srv_token_equal(given, "", token);
        if (!by_token && (given || !auth))
            return send_error(c, *status = 403,
                              !token || !*token
                                  ? "updating over HTTP is off (start with --admin-token)"
                                  : "the token is wrong or missing (?token= or "
                                    "Authorization: Bearer)");
    }
    if (!by_token && !vigil_srv_opts->auth) {
        if (!token || !*token)
            return send_error(c, *status = 403,
                              "reloading over HTTP is off (start with --admin-token)");
        return send_error(c, *status = 401, "Authorization: Bearer TOKEN is wrong or missing");
    }
    if (by_token)
        snprintf(r->who.user, sizeof(r->who.user), "admin-token");
    else {
        const char *why;
        int st = vigil_srv_identify(c, 1, &r->who, &why);
        if (st)
            return send_error_with(c, *status = st, why, st == 401 ? "WWW-Authenticate" : NULL,
                                   "Bearer");
        if (r->who.role < VIGIL_ROLE_ADMIN)
            return send_error(c, *status = 403, "reloading the lists needs the admin role");
    }
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

static enum MHD_Result do_reload(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status)
{
    (void)rest;
    return reload(c, r, status, 0);
}

static enum MHD_Result do_updatez(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status)
{
    (void)rest;
    return reload(c, r, status, 1);
}

static const char *role_name(int role)
{
    static const char *const names[] = {"none", "screen", "analyst", "reviewer", "admin"};
    return names[role >= 0 && role <= VIGIL_ROLE_ADMIN ? role : 0];
}

/* {"auth", "user", "role", "csrf"} */
static enum MHD_Result send_session(struct MHD_Connection *c, int status,
                                    const vigil_srv_who *w, const char *csrf,
                                    const char *cookie)
{
    sb b = {0};
    sb_printf(&b, "{\"auth\":%s,\"user\":", vigil_srv_opts->auth ? "true" : "false");
    sb_str(&b, w->user);
    sb_printf(&b, ",\"role\":\"%s\",\"four_eyes\":%s,\"csrf\":", role_name(w->role),
              vigil_srv_opts->four_eyes ? "true" : "false");
    sb_str(&b, csrf);
    sb_cat(&b, "}");
    if (b.err || !b.s) {
        free(b.s);
        return send_oom(c);
    }
    return send_buffer(c, status, b.s, b.n, "application/json", "Cache-Control", "no-store",
                       cookie ? "Set-Cookie" : NULL, cookie);
}

/* The session cookie's attributes: never read by the page's script, never
 * sent by another site's page, and under TLS never sent in clear. */
static void cookie_attrs(char *out, size_t cap, const char *sid, int max_age)
{
    snprintf(out, cap, "vigil_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", sid,
             max_age, vigil_srv_opts->tls_cert ? "; Secure" : "");
}

/* POST /session {"key": "vigil_..."}: signs the page in. */
static enum MHD_Result do_sign_in(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status)
{
    (void)rest;
    if (!vigil_srv_opts->auth)
        return send_session(c, *status = 200,
                            &(vigil_srv_who){"anonymous", VIGIL_ROLE_ADMIN, "", 0}, "", NULL);
    /* only JSON: another site's form can post text, never application/json
     * (that needs CORS, which is off), so no one signs a user in as another */
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!type || strncasecmp(type, "application/json", 16) != 0)
        return send_error(c, *status = 415, "sign in with Content-Type: application/json");
    json_error_t jerr;
    json_t *o = r->len ? json_loadb(r->body, r->len, 0, &jerr) : NULL;
    const char *key = json_string_value(json_object_get(o, "key"));
    if (!key) {
        json_decref(o);
        return send_error(c, *status = 400, "send {\"key\": \"vigil_...\"}");
    }
    char sid[33], csrf[33], cookie[160];
    const char *why;
    int st = vigil_srv_session_open(key, &r->who, sid, csrf, &why);
    json_decref(o);
    if (st)
        return send_error(c, *status = st, why);
    cookie_attrs(cookie, sizeof(cookie), sid, 28800);
    return send_session(c, *status = 200, &r->who, csrf, cookie);
}

/* GET /session: who the page is signed in as, and its CSRF token. */
static enum MHD_Result do_session(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status)
{
    (void)rest;
    const char *why;
    int st = vigil_srv_identify(c, 0, &r->who, &why);
    if (st)
        return send_error(c, *status = st, why);
    char csrf[33] = "";
    const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vigil_session");
    if (r->who.via_cookie && vigil_srv_session_csrf(sid, csrf) != 0)
        return send_error(c, *status = 401, "the session has ended: sign in again");
    return send_session(c, *status = 200, &r->who, csrf, NULL);
}

/* DELETE /session: signs out. */
static enum MHD_Result do_sign_out(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status)
{
    (void)rest;
    const char *why;
    int st = vigil_srv_identify(c, 1, &r->who, &why);
    if (st)
        return send_error(c, *status = st, why);
    const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vigil_session");
    if (sid)
        vigil_srv_session_close(sid);
    char cookie[160];
    cookie_attrs(cookie, sizeof(cookie), "", 0);
    return send_session(c, *status = 200, &r->who, "", cookie);
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
    return ready
               ? send_text(c, *status = 200, strdup("{\"status\":\"ok\"}"), "application/json")
               : send_error(c, *status = 503, "no lists loaded");
}

static enum MHD_Result do_api(struct MHD_Connection *c, const char *rest, req *r, int *status);

/* Every endpoint, in the order a URL is tried against them. */
const vigil_srv_route vigil_srv_routes[] = {
    {"/match/", 1, "match", VIGIL_ROLE_SCREEN, vigil_srv_match, {"POST /match/{dataset}"}},
    {"/screen/message",
     1,
     "screen",
     VIGIL_ROLE_SCREEN,
     vigil_srv_screen_message,
     {"POST /screen/message"}},
    {"/messages/",
     0,
     "messages",
     VIGIL_ROLE_ANALYST,
     vigil_srv_message,
     {"GET /messages/{id}"}},
    {"/search/",
     0,
     "search",
     VIGIL_ROLE_SCREEN,
     vigil_srv_search,
     {"GET /search/{dataset}?q="}},
    {"/entities/",
     0,
     "entities",
     VIGIL_ROLE_SCREEN,
     vigil_srv_entity,
     {"GET /entities/{source}:{id}", "GET /entities/{source}:{id}/adjacent"}},
    {"/catalog", 0, "catalog", VIGIL_ROLE_SCREEN, vigil_srv_catalog, {"GET /catalog"}},
    {"/algorithms", 0, "algorithms", 0, vigil_srv_algorithms, {"GET /algorithms"}},
    {"/manifest", 0, "catalog", VIGIL_ROLE_SCREEN, vigil_srv_manifest, {"GET /manifest"}},
    {"/reconcile/",
     0,
     "reconcile",
     VIGIL_ROLE_SCREEN,
     vigil_srv_reconcile,
     {"GET /reconcile/{dataset}", "GET /reconcile/{dataset}/suggest/{kind}",
      "GET /reconcile/{dataset}/extend/property"}},
    {"/reconcile/",
     1,
     "reconcile",
     VIGIL_ROLE_SCREEN,
     vigil_srv_reconcile,
     {"POST /reconcile/{dataset}"}},
    {"/healthz", 0, "healthz", 0, do_health, {"GET /healthz"}},
    {"/readyz", 0, "readyz", 0, do_ready, {"GET /readyz"}},
    {"/metrics", 0, "metrics", VIGIL_ROLE_ADMIN, vigil_srv_metrics, {"GET /metrics"}},
    {"/admin/reload", 1, "reload", 0, do_reload, {"POST /admin/reload"}},
    {"/updatez", 1, "reload", 0, do_updatez, {"POST /updatez"}},
    {"/session", 1, "session", 0, do_sign_in, {"POST /session"}},
    {"/session", 0, "session", 0, do_session, {"GET /session"}},
    {"/session", 2, "session", 0, do_sign_out, {"DELETE /session"}},
    {"/batch", 1, "batch", VIGIL_ROLE_ANALYST, vigil_srv_batch_start, {"POST /batch"}},
    {"/batch", 0, "batch", VIGIL_ROLE_ANALYST, vigil_srv_batch_list, {"GET /batch"}},
    {"/batch/",
     0,
     "batch",
     VIGIL_ROLE_ANALYST,
     vigil_srv_batch_get,
     {"GET /batch/{id}", "GET /batch/{id}/results.csv", "GET /batch/{id}/results.jsonl"}},
    {"/batch/", 2, "batch", VIGIL_ROLE_ANALYST, vigil_srv_batch_delete, {"DELETE /batch/{id}"}},
    {"/alerts", 0, "alerts", VIGIL_ROLE_ANALYST, vigil_srv_alerts, {"GET /alerts"}},
    {"/alerts/", 0, "alerts", VIGIL_ROLE_ANALYST, vigil_srv_alert, {"GET /alerts/{id}"}},
    {"/alerts/",
     1,
     "alerts",
     VIGIL_ROLE_ANALYST,
     vigil_srv_alert_act,
     {"POST /alerts/{id}/assign", "POST /alerts/{id}/decision", "POST /alerts/{id}/review"}},
    {"/customers", 0, "customers", VIGIL_ROLE_ANALYST, vigil_srv_customers, {"GET /customers"}},
    {"/customers/import",
     1,
     "customers",
     VIGIL_ROLE_ANALYST,
     vigil_srv_import,
     {"POST /customers/import"}},
    {"/customers/",
     0,
     "customers",
     VIGIL_ROLE_ANALYST,
     vigil_srv_customer,
     {"GET /customers/{id}"}},
    {"/runs", 0, "runs", VIGIL_ROLE_ANALYST, vigil_srv_runs, {"GET /runs"}},
    {"/runs", 1, "runs", VIGIL_ROLE_ANALYST, vigil_srv_rescreen, {"POST /runs"}},
    {"/tasks/", 0, "tasks", VIGIL_ROLE_ANALYST, vigil_srv_task, {"GET /tasks/{id}"}},
    {"/diff/", 0, "diff", VIGIL_ROLE_ANALYST, vigil_srv_diff, {"GET /diff/{list}"}},
    {"/audit", 0, "audit", VIGIL_ROLE_REVIEWER, vigil_srv_audit, {"GET /audit"}},
    {"/audit.csv", 0, "audit", VIGIL_ROLE_REVIEWER, vigil_srv_audit_csv, {"GET /audit.csv"}},
    {"/api", 0, "api", 0, do_api, {"GET /api"}},
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
    int m = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? 0
            : strcmp(method, "POST") == 0                             ? 1
            : strcmp(method, "DELETE") == 0                           ? 2
                                                                      : -1;
    int get = m == 0, post = m != 0; /* a session backs all but a GET with its CSRF token */
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
    if (r->too_big == 503) {
        *ep = VIGIL_SRV_EP_OTHER;
        return send_error_with(c, *status = 503,
                               "the server holds as many request bodies as it may: try again "
                               "shortly",
                               "Retry-After", "5");
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
        add_security_headers(c, resp);
        enum MHD_Result ok = MHD_queue_response(c, (unsigned)(*status = 200), resp);
        MHD_destroy_response(resp);
        return ok;
    }
    *ep = VIGIL_SRV_EP_OTHER;
    int wrong_method = -1;
    for (int i = 0; i < vigil_srv_nroutes; i++) {
        const vigil_srv_route *x = &vigil_srv_routes[i];
        size_t n = strlen(x->path);
        int prefix = x->path[n - 1] == '/';
        if (prefix ? strncmp(url, x->path, n) != 0 || !url[n] : strcmp(url, x->path) != 0)
            continue;
        if (x->method != m) { /* the same path may have a row for each method */
            if (wrong_method < 0)
                wrong_method = i;
            continue;
        }
        *ep = i;
        if (x->role) {
            const char *why;
            int st = vigil_srv_identify(c, post, &r->who, &why);
            if (st)
                return send_error_with(c, *status = st, why,
                                       st == 401 ? "WWW-Authenticate" : NULL, "Bearer");
            if (r->who.role < x->role) {
                char msg[96];
                snprintf(msg, sizeof(msg), "this endpoint needs the %s role; %s has %s",
                         role_name(x->role), r->who.user, role_name(r->who.role));
                return send_error(c, *status = 403, msg);
            }
            int retry;
            if ((st = vigil_srv_admit(&r->who, &retry)) != 0)
                return send_error_with(c, *status = st,
                                       "too many requests for this key: slow down",
                                       "Retry-After", "1");
            r->admitted = r->who.key_id[0] != 0;
        }
        return x->fn(c, url + n, r, status);
    }
    if (wrong_method >= 0) {
        *ep = wrong_method;
        return send_error(c, *status = 405, "not a method of this endpoint (GET /api)");
    }
    return send_error(c, *status = 404, "no such endpoint (GET /api lists them)");
}
