/*
 * server.h - what the files of vigil serve (cli/serve/) share. The server is
 * built on the public API only; its files, each one job:
 *   holder.c   the engine being served, shared by the workers, and its reload
 *   routes.c   the route table (routing, metric labels and the /api listing
 *              walk it) and the small endpoints
 *   query.c    /match, /search, /entities, /catalog: screening and arguments
 *   jobs.c     batch jobs (POST /batch, GET /batch/{id}[/results.csv|.jsonl])
 *   metrics.c  request counts and latencies, GET /metrics
 *   daemon.c   the HTTP daemon (libmicrohttpd), bodies, signals, shutdown
 *   text.h     the text buffer and the responses
 * Endpoints and examples: docs/api.md.
 */
#ifndef VIGIL_SRV_SERVER_H
#define VIGIL_SRV_SERVER_H

#include <microhttpd.h>
#include <stdatomic.h>

#include "../serve.h"
#include "text.h"
#include "vigil.h"

#define MAX_BODY (1u << 20)
#define MAX_BATCH_BODY (16u << 20) /* a batch upload: about 200,000 customers */

/* The options vigil serve was started with (daemon.c). */
extern const vigil_serve_opts *vigil_srv_opts;

/* ------------------------------------------------------ holder.c */

/* An engine being served, with the lists it screens, read once from its
 * versions; shared by reference count. */
typedef struct {
    vigil_engine *e;
    atomic_int refs;
    char sources[16][16];
    int nsources;
} holder;

/* The current engine, held (NULL: none); let go of it. */
holder *vigil_srv_acquire(void);
void vigil_srv_release(holder *h);
/* Opens the engine of the current lists and makes it current. 0, or -1 with
 * a message in msg. */
int vigil_srv_reload(char *msg, size_t cap);
/* Lets go of the current engine (at the end). */
void vigil_srv_drop(void);

/* ------------------------------------------------------ routes.c */

/* An endpoint's handler: rest is the URL after its path. */
typedef enum MHD_Result (*vigil_srv_fn)(struct MHD_Connection *c, const char *rest, req *r,
                                        int *status);
typedef struct {
    const char *path;  /* "/match/": a prefix when it ends in '/', else the whole path */
    int post;          /* 1: POST, else GET (or HEAD) */
    const char *label; /* the endpoint label of its metrics */
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

/* ------------------------------------------------------ query.c */

enum MHD_Result vigil_srv_match(struct MHD_Connection *c, const char *dataset, req *r,
                                int *status);
enum MHD_Result vigil_srv_search(struct MHD_Connection *c, const char *dataset, req *r,
                                 int *status);
enum MHD_Result vigil_srv_entity(struct MHD_Connection *c, const char *id, req *r, int *status);
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
/* Waits for the batches still running (30 s at most) and frees them. */
void vigil_srv_jobs_end(void);

/* ------------------------------------------------------ metrics.c */

/* Requests being answered. */
extern atomic_int vigil_srv_in_flight;
/* Counts a request of route ep answered with status in seconds. */
void vigil_srv_count(int ep, int status, double seconds);
enum MHD_Result vigil_srv_metrics(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status);

#endif
