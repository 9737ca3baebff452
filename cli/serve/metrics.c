/*
 * metrics.c - what GET /metrics says, in Prometheus' text format: requests
 * by endpoint label (the route table's) and status, the latency of the last
 * requests, the entities screened, the requests in flight.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define LAT_RING 8192 /* latencies kept for /metrics */

static const int codes[] = {200, 202, 400, 401, 403, 404, 405, 409, 413, 414, 431, 500, 503};
#define NCODES (int)(sizeof(codes) / sizeof(codes[0]))
/* per route (and page, other) and status */
static atomic_ullong counts[64][NCODES + 1];
static _Atomic double lat_ring[LAT_RING];
static atomic_ullong lat_n;
atomic_int vigil_srv_in_flight;

void vigil_srv_count(int ep, int status, double seconds)
{
    if (ep < 0 || ep >= 64)
        ep = VIGIL_SRV_EP_OTHER;
    int k = 0;
    while (k < NCODES && codes[k] != status)
        k++;
    atomic_fetch_add(&counts[ep][k], 1);
    unsigned long long i = atomic_fetch_add(&lat_n, 1);
    atomic_store(&lat_ring[i % LAT_RING], seconds);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum MHD_Result vigil_srv_metrics(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status)
{
    (void)rest;
    (void)r;
    sb b = {0};
    sb_cat(&b, "# HELP vigil_requests_total Requests answered, by endpoint and status.\n"
               "# TYPE vigil_requests_total counter\n");
    /* by endpoint label: routes sharing one (POST /batch, GET /batch/{id})
     * are summed, page and other come last */
    for (int e = 0; e <= VIGIL_SRV_EP_OTHER; e++) {
        const char *label = e < vigil_srv_nroutes    ? vigil_srv_routes[e].label
                            : e == VIGIL_SRV_EP_PAGE ? "page"
                                                     : "other";
        int first = 1;
        for (int x = 0; x < e && x < vigil_srv_nroutes; x++)
            first &= strcmp(vigil_srv_routes[x].label, label) != 0;
        if (!first)
            continue;
        for (int k = 0; k <= NCODES; k++) {
            unsigned long long n = 0;
            for (int x = e; x <= VIGIL_SRV_EP_OTHER; x++)
                if (x == e ||
                    (x < vigil_srv_nroutes && strcmp(vigil_srv_routes[x].label, label) == 0))
                    n += atomic_load(&counts[x][k]);
            if (!n)
                continue;
            if (k < NCODES)
                sb_printf(&b, "vigil_requests_total{endpoint=\"%s\",code=\"%d\"} %llu\n", label,
                          codes[k], n);
            else
                sb_printf(&b, "vigil_requests_total{endpoint=\"%s\",code=\"other\"} %llu\n",
                          label, n);
        }
    }
    unsigned long long total = atomic_load(&lat_n);
    size_t n = total < LAT_RING ? (size_t)total : LAT_RING;
    double *lat = malloc((n ? n : 1) * sizeof(double));
    for (size_t i = 0; lat && i < n; i++)
        lat[i] = atomic_load(&lat_ring[i]);
    if (lat && n)
        qsort(lat, n, sizeof(double), cmp_d);
    sb_printf(&b,
              "# HELP vigil_request_duration_seconds Latency of the last %d requests.\n"
              "# TYPE vigil_request_duration_seconds summary\n",
              LAT_RING);
    static const double qs[] = {0.5, 0.9, 0.99};
    for (int i = 0; i < 3; i++)
        sb_printf(&b, "vigil_request_duration_seconds{quantile=\"%g\"} %.6f\n", qs[i],
                  lat && n ? lat[(size_t)(qs[i] * (double)(n - 1))] : 0.0);
    sb_printf(&b, "vigil_request_duration_seconds_count %llu\n", total);
    free(lat);
    holder *h = vigil_srv_acquire();
    sb_printf(&b,
              "# HELP vigil_entities Entities in the lists being screened.\n"
              "# TYPE vigil_entities gauge\nvigil_entities %zu\n"
              "# HELP vigil_requests_in_flight Requests being answered.\n"
              "# TYPE vigil_requests_in_flight gauge\nvigil_requests_in_flight %d\n",
              h ? vigil_engine_entities(h->e) : 0, atomic_load(&vigil_srv_in_flight));
    vigil_srv_release(h);
    if (b.err || !b.s) {
        free(b.s);
        return send_error(c, *status = 500, "out of memory");
    }
    return send_text(c, *status = 200, b.s, "text/plain; version=0.0.4");
}
