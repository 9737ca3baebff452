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
 * Bounds (docs/security.md): a body over 1 MiB gets 413 (a batch's: 16
 * MiB), over 100 queries 400, a URL over 8 KiB 414, headers over 32 KiB 431;
 * all bodies held at once are within --body-memory (more: 503); a request's
 * headers must be whole within --header-timeout (10 s) of its start and its
 * body within --body-timeout (60 s) of its headers, else its connection is
 * cut by the sweeper; an idle
 * connection closes after IDLE_TIMEOUT; the connections at once are below
 * the process's file limit (raised to its ceiling), and one over them is
 * closed as it is accepted. Every error is a JSON object {"error": "...",
 * "status": N}. Endpoints and examples: docs/api.md.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

const vigil_serve_opts *vigil_srv_opts;

#define IDLE_TIMEOUT 10 /* seconds a connection may say nothing */

static atomic_size_t body_bytes; /* of the bodies held now, all connections */

void vigil_srv_body_release(char *body, size_t len)
{
    if (body)
        atomic_fetch_sub(&body_bytes, len);
    free(body);
}

/* ------------------------------------------------ connection deadlines */

/* A connection, from its accept to its close: what it is waiting for and
 * since when, so that the sweeper can cut it when it is late. libmicrohttpd
 * knows only an idle timeout, which a client sending a byte now and then
 * never meets. */
enum { WAIT_HEADERS, WAIT_BODY, ANSWERING };
typedef struct conn {
    MHD_socket fd;
    atomic_int phase;
    atomic_llong since_ms;
    int cut;
    struct conn *prev, *next;
} conn;

static conn *conns;
static pthread_mutex_t conns_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int sweeping;
static atomic_long cut_count;

static long long mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void set_phase(struct MHD_Connection *c, int phase)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn *k = ci ? ci->socket_context : NULL;
    if (!k)
        return;
    atomic_store(&k->since_ms, mono_ms());
    atomic_store(&k->phase, phase);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn *k = calloc(1, sizeof(*k));
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!k || !ci) {
            free(k);
            return;
        }
        k->fd = ci->connect_fd;
        atomic_init(&k->phase, WAIT_HEADERS);
        atomic_init(&k->since_ms, mono_ms());
        pthread_mutex_lock(&conns_mu);
        k->next = conns;
        if (conns)
            conns->prev = k;
        conns = k;
        pthread_mutex_unlock(&conns_mu);
        *socket_context = k;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        /* told before libmicrohttpd closes the socket: while k is listed,
         * its fd is still this connection's */
        conn *k = *socket_context;
        pthread_mutex_lock(&conns_mu);
        if (k->prev)
            k->prev->next = k->next;
        else
            conns = k->next;
        if (k->next)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&conns_mu);
        free(k);
        *socket_context = NULL;
    }
}

/* Every second: connections late with their headers or body are shut
 * down; libmicrohttpd then sees them end and closes them itself. */
static void *sweeper(void *arg)
{
    (void)arg;
    long long header_ms = vigil_srv_opts->header_timeout * 1000LL;
    long long body_ms = vigil_srv_opts->body_timeout * 1000LL;
    while (atomic_load(&sweeping)) {
        usleep(250000);
        long long now = mono_ms();
        pthread_mutex_lock(&conns_mu);
        for (conn *k = conns; k; k = k->next) {
            int ph = atomic_load(&k->phase);
            long long age = now - atomic_load(&k->since_ms);
            if (!k->cut && ((ph == WAIT_HEADERS && age > header_ms) ||
                            (ph == WAIT_BODY && age > body_ms))) {
                shutdown(k->fd, SHUT_RDWR);
                k->cut = 1;
                atomic_fetch_add(&cut_count, 1);
            }
        }
        pthread_mutex_unlock(&conns_mu);
    }
    return NULL;
}

/* How many connections to take at once: --max-connections, else the file
 * limit (its soft limit raised to its ceiling first) less what the process
 * needs besides (the database, the log, the engine's file). */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    rlim_t have = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        have = rl.rlim_cur;
    }
    rlim_t most = have > 512 ? have - 256 : have / 2;
    if (vigil_srv_opts->max_connections > 0 && (rlim_t)vigil_srv_opts->max_connections < most)
        return (unsigned)vigil_srv_opts->max_connections;
    return (unsigned)(most > 65536 ? 65536 : most);
}

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
        set_phase(c, WAIT_BODY);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        size_t max = strncmp(url, "/batch", 6) == 0 ? MAX_BATCH_BODY : MAX_BODY;
        if (r->too_big)
            return MHD_YES;
        if (r->len + n > max) {
            r->too_big = 413;
            return MHD_YES;
        }
        /* every body held at once within --body-memory: past it, 503 */
        if (atomic_fetch_add(&body_bytes, n) + n > vigil_srv_opts->body_memory) {
            atomic_fetch_sub(&body_bytes, n);
            r->too_big = 503;
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            /* room for the whole body at once when its length is announced
             * (one allocation, from its own pages: freed, they go back to
             * the system), else twice what it has */
            const char *cl =
                MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            size_t want = cl ? (size_t)strtoull(cl, NULL, 10) + 1 : 0;
            size_t cap = r->cap ? r->cap * 2 : 4096;
            if (want > cap && want <= max + 1)
                cap = want;
            if (cap < r->len + n + 1)
                cap = r->len + n + 1;
            char *nb = realloc(r->body, cap);
            if (!nb) {
                atomic_fetch_sub(&body_bytes, n);
                return MHD_NO;
            }
            r->body = nb;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = '\0';
        return MHD_YES;
    }
    set_phase(c, ANSWERING);
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
        fprintf(vigil_srv_opts->access_log, "%s %s %s %d %.0fus %zu %s\n", when, method, url,
                status, t * 1e6, r->len, r->who.user[0] ? r->who.user : "-");
    }
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    req *r = *con_cls;
    set_phase(c, WAIT_HEADERS); /* the next request's, on a kept-alive connection */
    if (r) {
        if (r->admitted)
            vigil_srv_leave(&r->who);
        vigil_srv_body_release(r->body, r->len);
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
    /* a fixed threshold: every block of 128 KiB or more (a large body, a
     * batch's upload) is mapped apart and returned to the system when
     * freed, instead of the threshold rising after the first free and such
     * blocks staying in the heap for good */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    char msg[1024];
    int loopback = strncmp(o->listen, "127.", 4) == 0;
    if (!o->auth && !loopback) {
        fprintf(stderr, "vigil serve: --no-auth is for a loopback address only; beyond it "
                        "every client needs a key (vigil keys create)\n");
        return 2;
    }
    if (vigil_srv_reload(msg, sizeof(msg)) != 0 ||
        vigil_srv_auth_start(msg, sizeof(msg)) != 0) {
        fprintf(stderr, "vigil serve: %s\n", msg);
        vigil_srv_drop();
        return 1;
    }
    vigil_srv_jobs_start();
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->listen, &addr.sin_addr) != 1) {
        fprintf(stderr, "vigil serve: --listen takes an IPv4 address, not \"%s\"\n", o->listen);
        vigil_srv_auth_end();
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
        vigil_srv_auth_end();
        vigil_srv_drop();
        return 2;
    }
    if (o->tls_cert && (!(cert = read_pem(o->tls_cert)) || !(key = read_pem(o->tls_key)))) {
        fprintf(stderr, "vigil serve: cannot read %s\n", cert ? o->tls_key : o->tls_cert);
        free(cert);
        vigil_srv_auth_end();
        vigil_srv_drop();
        return 1;
    }
    if (cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        fprintf(stderr, "vigil serve: this libmicrohttpd has no TLS\n");
        free(cert);
        free(key);
        vigil_srv_auth_end();
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
    unsigned max_conns = connection_limit();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC |
            (cert ? MHD_USE_TLS : 0),
        0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)IDLE_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT, max_conns,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_ARRAY, cert ? tls : none,
        MHD_OPTION_END);
    if (!d) {
        free(cert);
        free(key);
        fprintf(stderr, "vigil serve: cannot listen on %s:%d\n", o->listen, o->port);
        vigil_srv_auth_end();
        vigil_srv_drop();
        return 1;
    }
    pthread_t sweep;
    atomic_store(&sweeping, 1);
    int swept = pthread_create(&sweep, NULL, sweeper, NULL) == 0;
    holder *h = vigil_srv_acquire();
    fprintf(stderr,
            "vigil serve: listening on %s://%s:%d/ with %u threads, at most %u connections, "
            "%s, %zu entities of %s\n",
            cert ? "https" : "http", o->listen, o->port, threads, max_conns,
            o->auth ? "keys required" : "no authentication (--no-auth)",
            vigil_engine_entities(h->e), vigil_engine_versions(h->e));
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
    atomic_store(&sweeping, 0);
    if (swept)
        pthread_join(sweep, NULL);
    free(cert); /* libmicrohttpd read them while it ran */
    free(key);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    vigil_srv_jobs_end();
    vigil_srv_tasks_end();
    vigil_srv_auth_end();
    vigil_srv_drop();
    fprintf(stderr, "vigil serve: stopped\n");
    return 0;
}
