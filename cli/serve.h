/*
 * serve.h - vigil serve (cli/serve/), for main.c. Design: docs/api.md.
 */
#ifndef VIGIL_CLI_SERVE_H
#define VIGIL_CLI_SERVE_H

#include <stdio.h>

typedef struct {
    const char *db;     /* database path */
    const char *listen; /* IPv4 address to listen on */
    int port;
    int threads;             /* worker threads; 0: one per core */
    const char *admin_token; /* for POST /admin/reload; NULL: the endpoint is off */
    FILE *access_log;        /* one line per request; NULL: none */
    const char *hosts;       /* the Host names answered, comma-separated; NULL: on loopback
                                127.0.0.1, localhost and ::1, elsewhere any */
    const char *tls_cert;    /* PEM files: both given, it speaks TLS 1.2 and 1.3 only */
    const char *tls_key;
    int auth;            /* 1: every endpoint but /healthz, /readyz, /api and the page's
                            files needs a key or a session (--no-auth: 0, loopback only) */
    int four_eyes;       /* a decision over HTTP is a proposal another user reviews */
    int key_rate;        /* requests a second per key, twice that in a burst; 0: no limit */
    int key_concurrency; /* requests in flight per key; 0: no limit */
    int max_connections; /* connections at once; 0: from the file limit */
    size_t body_memory;  /* bytes of request bodies held at once, all connections */
    int batch_days;      /* days a finished batch's results are kept */
    int header_timeout;  /* seconds for a request's headers to arrive whole */
    int body_timeout;    /* seconds for its body, once its headers are in */
} vigil_serve_opts;

/* Serves until SIGTERM or SIGINT (in-flight requests finish first); SIGHUP
 * reloads the lists. The name data must be loaded. Returns the exit status. */
int vigil_cli_serve(const vigil_serve_opts *o);

#endif
