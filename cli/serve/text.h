/*
 * text.h - what every file of the server writes with: a growing text buffer
 * with JSON string escaping (sb), a request's state (req), and the three
 * ways to answer (text, a buffer as JSON, a JSON error {"error", "status"}).
 * Small enough to be inline; the library's own JSON writer is internal to it
 * and the server is built on the public API only.
 */
#ifndef VIGIL_SRV_TEXT_H
#define VIGIL_SRV_TEXT_H

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *s;
    size_t n, cap;
    int err;
} sb;

static inline void sb_put(sb *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (b->n + n + 1 > nc)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns) {
            b->err = 1;
            return;
        }
        b->s = ns;
        b->cap = nc;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static inline void sb_cat(sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static inline void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void sb_printf(sb *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        sb_put(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1); /* a long argument: the list versions */
    if (!big) {
        b->err = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(b, big, (size_t)n);
    free(big);
}

/* s (valid UTF-8: the engine's and the request's strings are) as a JSON
 * string: quotes, backslashes and control characters escaped. */
static inline void sb_str(sb *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_put(b, "\"", 1);
    const char *run = s ? s : "";
    const char *p = run;
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        sb_put(b, run, (size_t)(p - run));
        run = p + 1;
        char e[6] = {'\\', (char)ch, 0, 0, 0, 0};
        if (ch < 0x20) {
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[ch >> 4];
            e[5] = hex[ch & 15];
        }
        sb_put(b, e, ch < 0x20 ? 6 : 2);
    }
    sb_put(b, run, (size_t)(p - run));
    sb_put(b, "\"", 1);
}

/* Who sent a request (auth.c): a user with a role, and the key used (""
 * for none: the server runs without authentication). */
typedef struct {
    char user[65];
    int role;
    char key_id[15];
    int via_cookie; /* the page's session, not a key */
} vigil_srv_who;

/* One CSV field, quoted when it must be, and a ',' or (last) a newline
 * after it. A cell a spreadsheet would read as a formula (=, +, -, @, a tab
 * or a carriage return first) is written as text: a quote before it, and
 * quoted (OWASP's advice on CSV injection). NULL: an empty cell. */
static inline void sb_csv_field(sb *b, const char *s, int last)
{
    int formula = s && *s && strchr("=+-@\t\r", *s);
    if (s && (formula || strpbrk(s, ",\"\r\n"))) {
        sb_put(b, "\"", 1);
        if (formula)
            sb_put(b, "'", 1);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                sb_put(b, "\"", 1);
            sb_put(b, p, 1);
        }
        sb_put(b, "\"", 1);
    } else if (s)
        sb_cat(b, s);
    sb_cat(b, last ? "\n" : ",");
}

typedef struct {
    char *body;
    size_t len, cap;
    vigil_srv_who who; /* once a route has asked (role 0: nobody yet) */
    int admitted;      /* counted in its key's requests in flight */
    int too_big;
    int too_long; /* 414 (the URL) or 431 (the headers), 0: neither */
    int bad_host; /* its Host is not one the server answers to */
    struct timespec t0;
} req;

static inline double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The headers every response carries: the page may load only its own files
 * and call only this server, never be framed, never have its types
 * guessed, and send no referrer. */
/* The request's trace id, as yente sends it (X-Trace-Id): the trace-id of
 * the W3C traceparent header the client sent, or a new one (holder.c). */
void vigil_srv_trace_id(struct MHD_Connection *c, char out[33]);

static inline void add_security_headers(struct MHD_Connection *c, struct MHD_Response *r)
{
    char trace[33];
    vigil_srv_trace_id(c, trace);
    MHD_add_response_header(r, "X-Trace-Id", trace);
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                            "base-uri 'none'; form-action 'self'");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

/* Queues n bytes of buf (malloc'd; taken) as the response with status: its
 * type, up to two more headers (a name NULL: none) and the security headers. */
static inline enum MHD_Result send_buffer(struct MHD_Connection *c, int status, char *buf,
                                          size_t n, const char *type, const char *h1,
                                          const char *v1, const char *h2, const char *v2)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(n, buf, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    if (h1)
        MHD_add_response_header(r, h1, v1);
    if (h2)
        MHD_add_response_header(r, h2, v2);
    add_security_headers(c, r);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Queues text (malloc'd; taken) as the response with status. */
static inline enum MHD_Result send_text(struct MHD_Connection *c, int status, char *text,
                                        const char *type)
{
    return send_buffer(c, status, text, strlen(text), type, NULL, NULL, NULL, NULL);
}

/* The answer when an answer could not be made. */
static inline enum MHD_Result send_oom(struct MHD_Connection *c)
{
    return send_text(
        c, 500,
        strdup("{\"error\":\"out of memory\",\"detail\":\"out of memory\",\"status\":500}"),
        "application/json");
}

static inline enum MHD_Result send_sb(struct MHD_Connection *c, int status, sb *b)
{
    if (b->err || !b->s) {
        free(b->s);
        return send_oom(c);
    }
    return send_text(c, status, b->s, "application/json");
}

/* A JSON error {"error": msg, "detail": msg, "status": status}, with one more header
 * (name NULL: none), e.g. Retry-After on a 429. */
static inline enum MHD_Result send_error_with(struct MHD_Connection *c, int status,
                                              const char *msg, const char *name,
                                              const char *value)
{
    sb b = {0};
    sb_cat(&b, "{\"error\":");
    sb_str(&b, msg);
    sb_cat(&b, ",\"detail\":"); /* yente's name for it (its ErrorResponse) */
    sb_str(&b, msg);
    sb_printf(&b, ",\"status\":%d}", status);
    if (b.err || !b.s) {
        free(b.s);
        return send_oom(c);
    }
    return send_buffer(c, status, b.s, b.n, "application/json", name, value, NULL, NULL);
}

static inline enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
    return send_error_with(c, status, msg, NULL, NULL);
}

#endif
