/*
 * server.h - what the files of vigil serve (cli/serve/) share. The server is
 * built on the public API only; its files, each one job:
 *   holder.c   the engine being served, shared by the workers, and its reload;
 *              the database connection and the random ids the others use
 *   routes.c   the route table (routing, metric labels and the /api listing
 *              walk it) and the small endpoints
 *   query.c    /match, /search, /entities, /catalog: screening and arguments
 *   auth.c     who sends a request (keys, the page's sessions), per-key limits
 *   cases.c    case work: alerts, decisions (four eyes), customers, imports
 *              and runs as tasks, list differences, the audit trail
 *   reconcile.c the W3C reconciliation API (OpenRefine)
 *   jobs.c     batch jobs (POST /batch, GET /batch/{id}[/results.csv|.jsonl]),
 *              kept in the database for their owner
 *   metrics.c  request counts and latencies, GET /metrics
 *   daemon.c   the HTTP daemon (libmicrohttpd), bodies, signals, shutdown
 *   text.h     the text buffer and the responses
 * Endpoints and examples: docs/api.md.
 */
#ifndef VIGIL_SRV_SERVER_H
#define VIGIL_SRV_SERVER_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../request.h"
#include "../serve.h"
#include "text.h"
#include "vigil.h"

#define MAX_BODY (1u << 20)
#define MAX_BATCH_BODY (16u << 20) /* a batch upload: about 200,000 customers */

/* The options vigil serve was started with (daemon.c). */
extern const vigil_serve_opts *vigil_srv_opts;
/* Frees a request body of len bytes, counted against --body-memory. */
void vigil_srv_body_release(char *body, size_t len);

/* ------------------------------------------------------ holder.c */

/* An engine being served, with the lists it screens, read once from its
 * versions; shared by reference count. */
typedef struct {
    vigil_engine *e;
    atomic_int refs;
    char sources[16][16];
    int nsources;
    /* GET /search without q: every entity of the engine's lists, in a short
     * form (what the listing's filters, facets and sort read), made by the
     * first listing (query.c) and freed with the holder */
    pthread_mutex_t listed_mu;
    char **listed;
    size_t nlisted;
    /* POST /screen/message: the engine's payment screener, made by the
     * first message (payments.c, under listed_mu) and closed with it */
    vigil_payments *payments;
} holder;

/* The current engine, held (NULL: none); let go of it. */
holder *vigil_srv_acquire(void);
void vigil_srv_release(holder *h);
/* Opens the engine of the current lists and makes it current. 0, or -1 with
 * a message in msg. */
int vigil_srv_reload(char *msg, size_t cap);
/* How many times the engine was swapped in: what a worker keeps from the
 * database (the entities of results) is good while this stays. */
unsigned vigil_srv_generation(void);
/* A connection to the server's database (read-only unless write), waiting
 * up to a minute for another's write lock; NULL after a message on
 * standard error. */
vigil_db *vigil_srv_open_db(int write);
/* 128 random bits from the kernel as 32 hex digits (out: 33 bytes): an id
 * nobody can guess (batches, tasks, sessions). 0, or -1 without them. */
int vigil_srv_random_hex(char out[33]);
/* Lets go of the current engine (at the end). */
void vigil_srv_drop(void);

/* ------------------------------------------------------ routes.c */

/* An endpoint's handler: rest is the URL after its path. */
typedef enum MHD_Result (*vigil_srv_fn)(struct MHD_Connection *c, const char *rest, req *r,
                                        int *status);
typedef struct {
    const char *path;  /* "/match/": a prefix when it ends in '/', else the whole path */
    int method;        /* 0: GET (or HEAD), 1: POST, 2: DELETE */
    const char *label; /* the endpoint label of its metrics */
    int role;          /* the least role that may call it (VIGIL_ROLE_*); 0: anyone, or
                          the handler asks itself */
    vigil_srv_fn fn;
    const char *doc[3]; /* how /api lists it */
} vigil_srv_route;
/* The route table, and its length; requests that no route takes are counted
 * as "page" (the web page's files) or "other". */
extern const vigil_srv_route vigil_srv_routes[];
extern const int vigil_srv_nroutes;
#define VIGIL_SRV_EP_PAGE vigil_srv_nroutes
#define VIGIL_SRV_EP_OTHER (vigil_srv_nroutes + 1)
/* Answers one request: *ep the route index (or PAGE, OTHER), *status the
 * HTTP status sent. */
enum MHD_Result vigil_srv_route_request(struct MHD_Connection *c, const char *url,
                                        const char *method, req *r, int *ep, int *status);

/* 1 when given is scheme followed by exactly want (an Authorization header
 * and a token), compared over the whole of want in constant time. */
int vigil_srv_token_equal(const char *given, const char *scheme, const char *want);

/* ------------------------------------------------------ auth.c */

/* Opens what keys are checked against (with --no-auth: nothing). 0, or -1
 * with a message. */
int vigil_srv_auth_start(char *msg, size_t cap);
void vigil_srv_auth_end(void);
/* Who sent the request (post: it is a POST, which a session must back with
 * its CSRF token): 0 with *who filled, else 401 or 403 with *why. Without
 * authentication everyone is "anonymous" with the admin role. */
int vigil_srv_identify(struct MHD_Connection *c, int post, vigil_srv_who *who,
                       const char **why);
/* Signs in with key: a new session (sid and csrf, 32 hex digits each). 0,
 * or a status with *why. */
int vigil_srv_session_open(const char *key, vigil_srv_who *who, char sid[33], char csrf[33],
                           const char **why);
/* The CSRF token of session sid: 0, or -1 when there is no such session. */
int vigil_srv_session_csrf(const char *sid, char csrf[33]);
void vigil_srv_session_close(const char *sid);
/* Counts a request of who against its key's limits: 0 (and it is in flight
 * until vigil_srv_leave), or 429 with the seconds to wait. */
int vigil_srv_admit(const vigil_srv_who *who, int *retry_after);
void vigil_srv_leave(const vigil_srv_who *who);

/* ------------------------------------------------------ query.c */

enum MHD_Result vigil_srv_match(struct MHD_Connection *c, const char *dataset, req *r,
                                int *status);
enum MHD_Result vigil_srv_search(struct MHD_Connection *c, const char *dataset, req *r,
                                 int *status);
enum MHD_Result vigil_srv_entity(struct MHD_Connection *c, const char *path, req *r,
                                 int *status);
/* Screens every name of q against sources (comma-separated), best hit per
 * entity, at most limit; exclude_schema: leave that schema out (NULL: none). */
int vigil_srv_screen_query(const vigil_engine *e, const vigil_match_query *q,
                           const char *sources, double threshold, size_t limit,
                           const char *exclude_schema, vigil_hits *out);
/* The sources a dataset names (with include_dataset and exclude_dataset),
 * comma-separated into out; 0, or 404 with msg. */
int vigil_srv_sources_of(struct MHD_Connection *c, const holder *h, const char *dataset,
                         char *out, size_t cap, char *msg, size_t mcap);
/* The hit's entity in FollowTheMoney's form (kept by the worker until the
 * next reload), or NULL. */
const char *vigil_srv_ftm_form(const vigil_hit *h);
/* The W3C reconciliation service (reconcile.c): /reconcile/{dataset}[/...]. */
enum MHD_Result vigil_srv_screen_message(struct MHD_Connection *c, const char *rest, req *r,
                                         int *status);
enum MHD_Result vigil_srv_message(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status);
enum MHD_Result vigil_srv_reconcile(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status);
/* 1 when name is an algorithm of this server (vigil's, or yente's names
 * for the default). */
int vigil_srv_algorithm_known(const char *name);
enum MHD_Result vigil_srv_algorithms(struct MHD_Connection *c, const char *rest, req *r,
                                     int *status);
enum MHD_Result vigil_srv_manifest(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status);
enum MHD_Result vigil_srv_catalog(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status);
/* A number argument of the query string in [lo, hi], or def; 1 when it is
 * malformed. */
int vigil_srv_num_arg(struct MHD_Connection *c, const char *key, double lo, double hi,
                      double def, double *out);

/* ------------------------------------------------------ jobs.c */

enum MHD_Result vigil_srv_batch_start(struct MHD_Connection *c, const char *rest, req *r,
                                      int *status);
enum MHD_Result vigil_srv_batch_get(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status);
enum MHD_Result vigil_srv_batch_list(struct MHD_Connection *c, const char *rest, req *r,
                                     int *status);
enum MHD_Result vigil_srv_batch_delete(struct MHD_Connection *c, const char *rest, req *r,
                                       int *status);
/* Ends the batches a stopped server left and deletes the old ones. */
void vigil_srv_jobs_start(void);
/* Waits for the batches still running (30 s at most). */
void vigil_srv_jobs_end(void);

/* ------------------------------------------------------ cases.c */

enum MHD_Result vigil_srv_alerts(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status);
enum MHD_Result vigil_srv_alert(struct MHD_Connection *c, const char *rest, req *r,
                                int *status);
enum MHD_Result vigil_srv_alert_act(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status);
enum MHD_Result vigil_srv_customers(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status);
enum MHD_Result vigil_srv_customer(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status);
enum MHD_Result vigil_srv_import(struct MHD_Connection *c, const char *rest, req *r,
                                 int *status);
enum MHD_Result vigil_srv_rescreen(struct MHD_Connection *c, const char *rest, req *r,
                                   int *status);
enum MHD_Result vigil_srv_task(struct MHD_Connection *c, const char *rest, req *r, int *status);
enum MHD_Result vigil_srv_runs(struct MHD_Connection *c, const char *rest, req *r, int *status);
enum MHD_Result vigil_srv_diff(struct MHD_Connection *c, const char *rest, req *r, int *status);
enum MHD_Result vigil_srv_audit(struct MHD_Connection *c, const char *rest, req *r,
                                int *status);
enum MHD_Result vigil_srv_audit_csv(struct MHD_Connection *c, const char *rest, req *r,
                                    int *status);
/* Waits for the imports and runs still going (30 s at most) and frees them. */
void vigil_srv_tasks_end(void);

/* ------------------------------------------------------ metrics.c */

/* Requests being answered. */
extern atomic_int vigil_srv_in_flight;
/* Counts a request of route ep answered with status in seconds. */
void vigil_srv_count(int ep, int status, double seconds);
enum MHD_Result vigil_srv_metrics(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status);

#endif
