/*
 * daemon.c - vigil serve: the screening engine over HTTP, built on the public
 * API only. libmicrohttpd does the HTTP (a pool of worker threads, one per
 * core by default); this file starts it, gathers request bodies within their
 * bounds, hands each request to the route table (routes.c), logs and counts
 * it, and waits for signals. The other files: server.h.
 *
 * The engine is shared read-only by the workers behind a reference count: a
 * reload (SIGHUP, or POST /admin/reload with the admin token) builds or reads
 * the new engine beside the old one, swaps the pointer under a mutex, and the
 * old engine is closed by the last request still using it, so no request
 * fails or sees half a list. SIGTERM stops accepting connections, lets the
 * requests in flight finish (10 s at most), then exits.
 *
 * Bounds: a body over 1 MiB gets 413, over 100 queries 400, headers over
 * 32 KiB are refused by libmicrohttpd, idle connections close after 30 s.
 * Every error is a JSON object {"error": "...", "status": N}. Endpoints and
 * examples: docs/api.md.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

const vigil_serve_opts *vigil_srv_opts;

#define MAX_URL 8192 /* longer: 414, as JSON */
#define MAX_HEADERS                                                                            \
    32768 /* all header lines: more is 431, as JSON (over the connection's
                             64 KiB, libmicrohttpd refuses them itself) */

static enum MHD_Result add_header_len(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    size_t *n = cls;
    *n += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* 1 when the request's Host (its name, without the port) is one the server
 * answers to: --host's names; without them, on a loopback address, only
 * loopback names (a page of another site that resolves its own name to
 * 127.0.0.1, DNS rebinding, is refused); elsewhere any. */
static int host_allowed(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    const char *list = vigil_srv_opts->hosts;
    if (!list && strncmp(vigil_srv_opts->listen, "127.", 4) != 0)
        return 1;
    if (!list)
        list = "127.0.0.1,localhost,[::1]";
    if (!h)
        return 0;
    size_t n = h[0] == '[' ? strcspn(h, "]") + (strchr(h, ']') ? 1 : 0) : strcspn(h, ":");
    for (const char *p = list; *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && strncasecmp(p, h, n) == 0)
            return 1;
        p += l + (p[l] == ',');
    }
    return 0;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        atomic_fetch_add(&vigil_srv_in_flight, 1);
        size_t headers = 0, target = strlen(url); /* the path, and its query string's */
        MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_len, &headers);
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_header_len, &target);
        r->too_long = target > MAX_URL ? 414 : headers > MAX_HEADERS ? 431 : 0;
        r->bad_host = !host_allowed(c);
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        size_t max = strncmp(url, "/batch", 6) == 0 ? MAX_BATCH_BODY : MAX_BODY;
        if (r->too_big || r->len + n > max) {
            r->too_big = 1;
            return MHD_YES;
        }
        char *nb = realloc(r->body, r->len + n + 1);
        if (!nb)
            return MHD_NO;
        r->body = nb;
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = '\0';
        return MHD_YES;
    }
    int ep = VIGIL_SRV_EP_OTHER, status = 500;
    enum MHD_Result ok = vigil_srv_route_request(c, url, method, r, &ep, &status);
    double t = since(&r->t0);
    vigil_srv_count(ep, status, t);
    if (vigil_srv_opts->access_log) {
        time_t now = time(NULL);
        struct tm tm;
        char when[32];
        gmtime_r(&now, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(vigil_srv_opts->access_log, "%s %s %s %d %.0fus %zu\n", when, method, url,
                status, t * 1e6, r->len);
    }
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    req *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
        *con_cls = NULL;
        atomic_fetch_sub(&vigil_srv_in_flight, 1);
    }
}

/* A PEM file's text, malloc'd (at most 1 MiB), or NULL. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n == (1 << 20) - 1) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int vigil_cli_serve(const vigil_serve_opts *o)
{
    vigil_srv_opts = o;
    /* the signals are waited for by this thread alone: the workers, started
     * after this, inherit the mask */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    char msg[1024];
    if (vigil_srv_reload(msg, sizeof(msg)) != 0) {
        fprintf(stderr, "vigil serve: %s\n", msg);
        return 1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->listen, &addr.sin_addr) != 1) {
        fprintf(stderr, "vigil serve: --listen takes an IPv4 address, not \"%s\"\n", o->listen);
        vigil_srv_drop();
        return 2;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : cores > 0 ? (unsigned)cores : 1;
    /* TLS: both PEM files read whole, the protocol versions limited to 1.2
     * and 1.3 (GnuTLS priorities) */
    char *cert = NULL, *key = NULL;
    if ((o->tls_cert != NULL) != (o->tls_key != NULL)) {
        fprintf(stderr, "vigil serve: --tls-cert and --tls-key go together\n");
        vigil_srv_drop();
        return 2;
    }
    if (o->tls_cert && (!(cert = read_pem(o->tls_cert)) || !(key = read_pem(o->tls_key)))) {
        fprintf(stderr, "vigil serve: cannot read %s\n", cert ? o->tls_key : o->tls_cert);
        free(cert);
        vigil_srv_drop();
        return 1;
    }
    if (cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        fprintf(stderr, "vigil serve: this libmicrohttpd has no TLS\n");
        free(cert);
        free(key);
        vigil_srv_drop();
        return 1;
    }
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
        {MHD_OPTION_HTTPS_PRIORITIES, 0,
         (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE"},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_OptionItem none[] = {{MHD_OPTION_END, 0, NULL}};
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC |
            (cert ? MHD_USE_TLS : 0),
        0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_ARRAY, cert ? tls : none,
        MHD_OPTION_END);
    if (!d) {
        free(cert);
        free(key);
        fprintf(stderr, "vigil serve: cannot listen on %s:%d\n", o->listen, o->port);
        vigil_srv_drop();
        return 1;
    }
    holder *h = vigil_srv_acquire();
    fprintf(stderr,
            "vigil serve: listening on %s://%s:%d/ with %u threads, %zu entities of %s\n",
            cert ? "https" : "http", o->listen, o->port, threads, vigil_engine_entities(h->e),
            vigil_engine_versions(h->e));
    vigil_srv_release(h);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            if (vigil_srv_reload(msg, sizeof(msg)) != 0)
                fprintf(stderr, "vigil serve: reload failed, the lists stay as they were: %s\n",
                        msg);
            else
                fprintf(stderr, "vigil serve: reloaded\n");
            continue;
        }
        break;
    }
    /* stop accepting; let the requests in flight finish (10 s at most) */
    MHD_socket fd = MHD_quiesce_daemon(d);
    for (int i = 0; i < 1000 && atomic_load(&vigil_srv_in_flight) > 0; i++)
        usleep(10000);
    MHD_stop_daemon(d);
    free(cert); /* libmicrohttpd read them while it ran */
    free(key);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    vigil_srv_jobs_end();
    vigil_srv_drop();
    fprintf(stderr, "vigil serve: stopped\n");
    return 0;
}
