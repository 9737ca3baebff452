/*
 * bench_hostile.c - vigil serve under hostile clients (issue 15): in one run,
 *   1. normal clients alone: POST /match throughput, p99, failures;
 *   2. the same while 4,200 idle clients, 4,200 slow-header clients (a header
 *      line a second, never the end) and 500 slow-body clients (a 1 MiB body
 *      sent but for its last byte, then a byte a second) are held open, each
 *      reconnected when the server cuts it, as an attacker would;
 *   3. the server's peak resident memory, and its memory once they have left.
 * Targets: normal throughput under attack at least 80% of alone, no failed
 * normal request, peak RSS under 512 MB.
 *
 * Usage: bench_hostile [VIGIL_BINARY] (default build/vigil; lists from $SHARED/lists, default
 * ../shared/lists). It starts the server itself, as installed (defaults, no
 * authentication on loopback so that the normal clients need no key), on a
 * free loopback port, with the four official lists.
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NORMAL 16 /* normal clients, one keep-alive connection each */
#define IDLE 4200
#define SLOW_HEADER 4200
#define SLOW_BODY 500
#define PHASE_SECONDS 10
#define RSS_BUDGET_MB 512

static int port;
static atomic_int running_normal;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int dial(int nonblock)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (nonblock)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* ------------------------------------------------------------ normal */

typedef struct {
    double *lat;
    size_t n, cap;
    long ok, failed;
} normal_stats;

static const char *const QUERY =
    "{\"queries\":{\"q\":{\"schema\":\"Person\",\"properties\":{\"name\":[\"Alexander "
    "Bastrykin\"],\"birthDate\":[\"1953-08-27\"]}}}}";

/* One request on fd; 1 when a 200 came back whole. */
static int one_request(int fd)
{
    char req[512];
    int n = snprintf(req, sizeof(req),
                     "POST /match/default HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     strlen(QUERY), QUERY);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
        return 0;
    static __thread char buf[1 << 16];
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        ssize_t k = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
        if (k <= 0)
            return 0;
        have += (size_t)k;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (!end && have >= sizeof(buf) - 1)
            return 0;
    }
    int ok = strncmp(buf, "HTTP/1.1 200", 12) == 0;
    const char *cl = strcasestr(buf, "Content-Length:");
    if (!cl || cl > end)
        return 0;
    size_t want = (size_t)strtoul(cl + 15, NULL, 10), body = have - (size_t)(end + 4 - buf);
    while (body < want) {
        ssize_t k = recv(fd, buf, sizeof(buf), 0);
        if (k <= 0)
            return 0;
        body += (size_t)k;
    }
    return ok;
}

static void *normal_client(void *arg)
{
    normal_stats *s = arg;
    int fd = dial(0);
    while (atomic_load(&running_normal)) {
        if (fd < 0 && (fd = dial(0)) < 0) {
            s->failed++;
            usleep(10000);
            continue;
        }
        double t0 = now_s();
        struct timeval tv = {5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        if (!one_request(fd)) {
            s->failed++;
            close(fd);
            fd = -1;
            continue;
        }
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 4096;
            s->lat = realloc(s->lat, s->cap * sizeof(double));
        }
        s->lat[s->n++] = now_s() - t0;
        s->ok++;
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs the normal clients for PHASE_SECONDS: requests a second, p99 (s), failures. */
static void normal_phase(double *rps, double *p99, long *failed)
{
    pthread_t th[NORMAL];
    normal_stats st[NORMAL];
    memset(st, 0, sizeof(st));
    atomic_store(&running_normal, 1);
    double t0 = now_s();
    for (int i = 0; i < NORMAL; i++)
        pthread_create(&th[i], NULL, normal_client, &st[i]);
    sleep(PHASE_SECONDS);
    atomic_store(&running_normal, 0);
    for (int i = 0; i < NORMAL; i++)
        pthread_join(th[i], NULL);
    double secs = now_s() - t0;
    size_t n = 0;
    long ok = 0;
    *failed = 0;
    for (int i = 0; i < NORMAL; i++)
        n += st[i].n;
    double *all = malloc((n ? n : 1) * sizeof(double));
    size_t k = 0;
    for (int i = 0; i < NORMAL; i++) {
        memcpy(all + k, st[i].lat, st[i].n * sizeof(double));
        k += st[i].n;
        ok += st[i].ok;
        *failed += st[i].failed;
        free(st[i].lat);
    }
    qsort(all, n, sizeof(double), cmp_d);
    *rps = (double)ok / secs;
    *p99 = n ? all[(size_t)((double)(n - 1) * 0.99)] : 0;
    free(all);
}

/* ----------------------------------------------------------- hostile */

enum { H_IDLE, H_HEADER, H_BODY };
typedef struct {
    int fd, kind;
} hostile;

static hostile hs[IDLE + SLOW_HEADER + SLOW_BODY];
static int nhs;
static atomic_int attacking;
static atomic_long reconnects, held_peak;

static int hostile_open(int kind)
{
    int fd = dial(1);
    if (fd < 0)
        return -1;
    if (kind == H_HEADER) {
        const char *s = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        (void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
    } else if (kind == H_BODY) {
        const char *s = "POST /match/default HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        "application/json\r\nContent-Length: 1048576\r\n\r\n";
        (void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
        static char chunk[65536];
        memset(chunk, ' ', sizeof(chunk));
        size_t sent = 0, want = 1048575;
        for (int tries = 0; sent < want && tries < 2000; tries++) {
            size_t k = want - sent < sizeof(chunk) ? want - sent : sizeof(chunk);
            ssize_t w = send(fd, chunk, k, MSG_NOSIGNAL);
            if (w > 0)
                sent += (size_t)w;
            else if (errno == EAGAIN)
                usleep(1000);
            else
                break;
        }
    }
    return fd;
}

/* Holds the hostile clients open: a byte or a header line a second from the
 * slow ones, and a new connection for each the server cuts. */
static void *attacker(void *arg)
{
    (void)arg;
    double last_tick = 0;
    while (atomic_load(&attacking)) {
        usleep(100000);
        double t = now_s();
        int tick = t - last_tick >= 1.0;
        if (tick)
            last_tick = t;
        long held = 0;
        for (int i = 0; i < nhs; i++) {
            char b;
            int dead = hs[i].fd < 0;
            if (!dead) {
                ssize_t k = recv(hs[i].fd, &b, 1, MSG_DONTWAIT);
                dead = k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
            }
            if (!dead && tick && hs[i].kind != H_IDLE) {
                const char *s = hs[i].kind == H_HEADER ? "X-Slow: 1\r\n" : " ";
                ssize_t w = send(hs[i].fd, s, strlen(s), MSG_NOSIGNAL);
                dead = w < 0 && errno != EAGAIN;
            }
            if (dead) {
                if (hs[i].fd >= 0)
                    close(hs[i].fd);
                hs[i].fd = hostile_open(hs[i].kind);
                atomic_fetch_add(&reconnects, 1);
            }
            held += hs[i].fd >= 0;
        }
        if (held > atomic_load(&held_peak))
            atomic_store(&held_peak, held);
    }
    return NULL;
}

/* -------------------------------------------------------------- main */

static long rss_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, field, strlen(field)) == 0)
            kb = strtol(line + strlen(field) + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &n) != 0)
        return 18080;
    close(fd);
    return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        fprintf(stderr, "usage: bench_hostile [VIGIL_BINARY]  (default build/vigil)\n");
        return 2;
    }
    const char *vigil = argc == 2 ? argv[1] : "build/vigil";
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char dir[] = "/tmp/vigil-hostile-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char db[128], cmd[4096];
    snprintf(db, sizeof(db), "%s/v.db", dir);
    snprintf(cmd, sizeof(cmd),
             "%s load --db %s %s/lists/un/un-consolidated-2026-02-27.xml "
             "%s/lists/eu/eu-fsf-rebuilt-2026-08-14.xml "
             "%s/lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml "
             "%s/lists/ofac/sdn-csv-2022-01 >/dev/null 2>&1",
             vigil, db, shared, shared, shared, shared);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench_hostile: vigil load failed\n");
        return 1;
    }
    port = free_port();
    char ports[16];
    snprintf(ports, sizeof(ports), "%d", port);
    char log[160];
    snprintf(log, sizeof(log), "%s/server.err", dir);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            dup2(fd, 2);
        execl(vigil, vigil, "serve", "--db", db, "--port", ports, "--no-auth", (char *)NULL);
        _exit(127);
    }
    int up = 0;
    for (int i = 0; i < 600 && !up; i++) {
        int fd = dial(0);
        if (fd >= 0) {
            up = 1;
            close(fd);
        } else
            usleep(100000);
    }
    if (!up) {
        fprintf(stderr, "bench_hostile: the server did not start (%s)\n", log);
        kill(pid, SIGKILL);
        return 1;
    }
    sleep(1);
    printf("vigil serve on %ld cores, 4 official lists, defaults (--no-auth on loopback); "
           "%d normal keep-alive clients, POST /match/default, %d s a phase\n",
           sysconf(_SC_NPROCESSORS_ONLN), NORMAL, PHASE_SECONDS);
    long rss0 = rss_kb(pid, "VmRSS:");
    double rps_a, p99_a, rps_b, p99_b;
    long fail_a, fail_b;
    normal_phase(&rps_a, &p99_a, &fail_a);
    printf("alone:          %8.0f requests/s, p99 %6.2f ms, %ld failed; server RSS %ld MB\n",
           rps_a, p99_a * 1e3, fail_a, rss_kb(pid, "VmRSS:") / 1024);

    double t0 = now_s();
    for (int i = 0; i < IDLE + SLOW_HEADER + SLOW_BODY; i++) {
        int kind = i < IDLE ? H_IDLE : i < IDLE + SLOW_HEADER ? H_HEADER : H_BODY;
        hs[nhs].kind = kind;
        hs[nhs].fd = hostile_open(kind);
        nhs++;
    }
    long opened = 0;
    for (int i = 0; i < nhs; i++)
        opened += hs[i].fd >= 0;
    printf("hostile:        %ld of %d connections opened in %.1f s (%d idle, %d slow-header, "
           "%d slow-body with 1 MiB less a byte sent)\n",
           opened, nhs, now_s() - t0, IDLE, SLOW_HEADER, SLOW_BODY);
    pthread_t att;
    atomic_store(&attacking, 1);
    pthread_create(&att, NULL, attacker, NULL);
    sleep(2);
    normal_phase(&rps_b, &p99_b, &fail_b);
    long peak_during = rss_kb(pid, "VmHWM:");
    atomic_store(&attacking, 0);
    pthread_join(att, NULL);
    printf("under attack:   %8.0f requests/s, p99 %6.2f ms, %ld failed; hostile connections "
           "held at most %ld at once, %ld reconnected after the server cut them\n",
           rps_b, p99_b * 1e3, fail_b, atomic_load(&held_peak), atomic_load(&reconnects));
    for (int i = 0; i < nhs; i++)
        if (hs[i].fd >= 0)
            close(hs[i].fd);
    sleep(3);
    long rss_after = rss_kb(pid, "VmRSS:");
    double fd_check_rps, fd_check_p99;
    long fd_check_fail;
    normal_phase(&fd_check_rps, &fd_check_p99, &fd_check_fail);
    double ratio = rps_a > 0 ? rps_b / rps_a : 0;
    printf("after they left: %7.0f requests/s, p99 %6.2f ms, %ld failed\n", fd_check_rps,
           fd_check_p99 * 1e3, fd_check_fail);
    printf("server RSS: %ld MB at the start, peak %ld MB (budget %d MB), %ld MB 3 s after the "
           "hostile clients left\n",
           rss0 / 1024, peak_during / 1024, RSS_BUDGET_MB, rss_after / 1024);
    int pass = ratio >= 0.8 && fail_b == 0 && peak_during / 1024 < RSS_BUDGET_MB;
    printf("normal throughput under attack: %.0f%% of alone (target >= 80%%), %ld failed "
           "(target 0), peak RSS %s the budget: %s\n",
           ratio * 100, fail_b, peak_during / 1024 < RSS_BUDGET_MB ? "within" : "over",
           pass ? "PASS" : "FAIL");
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_hostile: could not remove %s\n", dir);
    return pass ? 0 : 1;
}
