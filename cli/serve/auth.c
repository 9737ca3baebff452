/*
 * auth.c - who sends a request, and whether they may: API keys (the
 * Authorization header) and the page's sessions (a cookie), checked against
 * the users and keys in the database (src/store/keys.c), and the per-key
 * limits on rate and requests in flight. docs/security.md says why each
 * choice is made; in short:
 *   - a key is verified whole by argon2 once, then remembered by its id with
 *     a SHA-256 digest of the whole key, compared in constant time; that it
 *     is still good (not revoked, its user enabled) is asked of the database
 *     again when it was last asked over KEY_RECHECK seconds ago, so a revoked
 *     key stops working within that time, without argon2 on every request;
 *   - a key id with no key behind it costs one indexed read, no argon2; a
 *     wrong key for a real id is refused by its digest once the right one is
 *     known, else argon2 runs at most once a second for that id;
 *   - a session is 128 random bits in an HttpOnly, SameSite=Strict cookie
 *     (Secure under TLS); a POST made with it must also carry its CSRF token
 *     in X-CSRF-Token, which another site's page can neither read nor send.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define KEY_RECHECK 1.0      /* seconds a verified key is trusted before asking again */
#define BAD_KEY_PAUSE 1.0    /* seconds after a failed argon2 for an id before the next */
#define MAX_KEYS 512         /* keys remembered */
#define MAX_SESSIONS 4096    /* sessions at once */
#define SESSION_IDLE 1800.0  /* seconds a session lives unused */
#define SESSION_LIFE 28800.0 /* seconds a session lives at most (8 h) */

typedef struct {
    char id[15];
    unsigned char digest[32]; /* SHA-256 of the whole key, once verified */
    int verified;
    vigil_srv_who who;
    double checked;   /* when the database last said it is good */
    double bad_until; /* a failed argon2: none again before this */
    double used;
    double tokens, tokens_at; /* the rate limit's bucket */
    int inflight;
} key_entry;

typedef struct {
    char sid[33], csrf[33];
    vigil_srv_who who;
    double created, used;
} session;

static key_entry keys[MAX_KEYS];
static session sessions[MAX_SESSIONS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;    /* keys and sessions */
static pthread_mutex_t db_mu = PTHREAD_MUTEX_INITIALIZER; /* db */
static vigil_db *db;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int vigil_srv_auth_start(char *msg, size_t cap)
{
    if (!vigil_srv_opts->auth)
        return 0;
    int rc = vigil_db_open(vigil_srv_opts->db, VIGIL_OPEN_READONLY, &db);
    if (rc != VIGIL_OK) {
        snprintf(msg, cap, "cannot read the users and keys: %s",
                 db ? vigil_errmsg(db) : vigil_strerror(rc));
        vigil_db_close(db);
        db = NULL;
        return -1;
    }
    return 0;
}

void vigil_srv_auth_end(void)
{
    vigil_db_close(db);
    db = NULL;
}

static void sha256(const char *s, unsigned char out[32])
{
    unsigned int n = 32;
    EVP_Digest(s, strlen(s), out, &n, EVP_sha256(), NULL);
}

/* The entry of id, or NULL; with mu held. */
static key_entry *key_find(const char *id)
{
    for (int i = 0; i < MAX_KEYS; i++)
        if (keys[i].id[0] && strcmp(keys[i].id, id) == 0)
            return &keys[i];
    return NULL;
}

/* An entry for id: its own, a free one, or the least recently used; with mu
 * held. One in use by requests in flight is not taken from them. */
static key_entry *key_slot(const char *id)
{
    key_entry *e = key_find(id), *old = NULL;
    if (e)
        return e;
    for (int i = 0; i < MAX_KEYS; i++) {
        if (!keys[i].id[0])
            return &keys[i];
        if (!keys[i].inflight && (!old || keys[i].used < old->used))
            old = &keys[i];
    }
    if (old)
        memset(old, 0, sizeof(*old));
    return old;
}

/* Checks a key given whole. 0 with *who filled, or 401 with *why. */
static int check_key(const char *key, vigil_srv_who *who, const char **why)
{
    *why = "the API key is wrong, revoked, or its user disabled";
    if (strlen(key) != 70 || strncmp(key, "vigil_", 6) != 0) {
        *why = "an API key is \"vigil_\" and 64 hex digits";
        return 401;
    }
    char id[15];
    snprintf(id, sizeof(id), "%.14s", key);
    unsigned char dg[32];
    sha256(key, dg);
    double t = now_s();
    pthread_mutex_lock(&mu);
    key_entry *e = key_find(id);
    int same = e && e->verified && CRYPTO_memcmp(e->digest, dg, 32) == 0;
    if (e && e->verified && !same) { /* the right key of this id is known: not this */
        pthread_mutex_unlock(&mu);
        return 401;
    }
    if (same && t - e->checked < KEY_RECHECK) {
        e->used = t;
        *who = e->who;
        pthread_mutex_unlock(&mu);
        return 0;
    }
    if (e && !same && t < e->bad_until) {
        pthread_mutex_unlock(&mu);
        return 401;
    }
    pthread_mutex_unlock(&mu);
    /* the database: a cheap read for a key known to be this one, argon2 else */
    vigil_srv_who w = {{0}, 0, {0}, 0};
    pthread_mutex_lock(&db_mu);
    int rc = same ? vigil_key_check(db, id, w.user, &w.role)
                  : vigil_key_verify(db, key, w.user, &w.role);
    pthread_mutex_unlock(&db_mu);
    snprintf(w.key_id, sizeof(w.key_id), "%s", id);
    pthread_mutex_lock(&mu);
    e = key_slot(id);
    if (e && rc == VIGIL_OK) {
        if (!e->id[0])
            e->tokens = -1; /* a full bucket, filled at its first request */
        snprintf(e->id, sizeof(e->id), "%s", id);
        memcpy(e->digest, dg, 32);
        e->verified = 1;
        e->who = w;
        e->checked = e->used = t;
    } else if (e) {
        snprintf(e->id, sizeof(e->id), "%s", id);
        e->verified = 0;
        e->bad_until = t + BAD_KEY_PAUSE;
        e->used = t;
    }
    pthread_mutex_unlock(&mu);
    if (rc != VIGIL_OK)
        return 401;
    *who = w;
    return 0;
}

/* Whether the key behind a session is still good; with mu held, the
 * database asked without it. */
static int key_still_good(vigil_srv_who *who)
{
    double t = now_s();
    key_entry *e = key_find(who->key_id);
    if (e && e->verified && t - e->checked < KEY_RECHECK) {
        *who = e->who;
        return 1;
    }
    pthread_mutex_unlock(&mu);
    vigil_srv_who w = *who;
    pthread_mutex_lock(&db_mu);
    int rc = vigil_key_check(db, who->key_id, w.user, &w.role);
    pthread_mutex_unlock(&db_mu);
    pthread_mutex_lock(&mu);
    e = key_find(who->key_id);
    if (e && e->verified && rc == VIGIL_OK) {
        e->checked = t;
        e->who.role = w.role;
    } else if (e && rc != VIGIL_OK)
        e->verified = 0;
    if (rc == VIGIL_OK)
        who->role = w.role;
    return rc == VIGIL_OK;
}

/* The session of sid, or NULL; with mu held. */
static session *session_find(const char *sid)
{
    if (!sid || strlen(sid) != 32)
        return NULL;
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (sessions[i].sid[0] && CRYPTO_memcmp(sessions[i].sid, sid, 33) == 0)
            return &sessions[i];
    return NULL;
}

int vigil_srv_identify(struct MHD_Connection *c, int post, vigil_srv_who *who, const char **why)
{
    memset(who, 0, sizeof(*who));
    *why = NULL;
    if (!vigil_srv_opts->auth) {
        snprintf(who->user, sizeof(who->user), "anonymous");
        who->role = VIGIL_ROLE_ADMIN;
        return 0;
    }
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (auth) {
        const char *key = strncmp(auth, "Bearer ", 7) == 0   ? auth + 7
                          : strncmp(auth, "ApiKey ", 7) == 0 ? auth + 7
                                                             : NULL;
        if (!key) {
            *why = "Authorization takes \"Bearer KEY\" or \"ApiKey KEY\"";
            return 401;
        }
        return check_key(key, who, why);
    }
    const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vigil_session");
    if (!sid) {
        *why = "sign in: an API key in Authorization: Bearer KEY, or the page's session";
        return 401;
    }
    double t = now_s();
    pthread_mutex_lock(&mu);
    session *s = session_find(sid);
    if (s && (t - s->used > SESSION_IDLE || t - s->created > SESSION_LIFE)) {
        memset(s, 0, sizeof(*s));
        s = NULL;
    }
    if (!s) {
        pthread_mutex_unlock(&mu);
        *why = "the session has ended: sign in again";
        return 401;
    }
    vigil_srv_who w = s->who;
    char csrf[33];
    memcpy(csrf, s->csrf, sizeof(csrf));
    int good = key_still_good(&w);
    s = session_find(sid); /* mu was let go of while the database was asked */
    if (s && good) {
        s->used = t;
        s->who.role = w.role;
    } else if (s)
        memset(s, 0, sizeof(*s));
    pthread_mutex_unlock(&mu);
    if (!s || !good) {
        *why = "the session's key is revoked or its user disabled: sign in again";
        return 401;
    }
    if (post) {
        const char *given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!given || strlen(given) != 32 || CRYPTO_memcmp(given, csrf, 32) != 0) {
            *why = "a POST with the session cookie must carry its X-CSRF-Token";
            return 403;
        }
    }
    *who = w;
    who->via_cookie = 1;
    return 0;
}

int vigil_srv_session_open(const char *key, vigil_srv_who *who, char sid[33], char csrf[33],
                           const char **why)
{
    int st = check_key(key, who, why);
    if (st)
        return st;
    if (vigil_srv_random_hex(sid) || vigil_srv_random_hex(csrf)) {
        *why = "no random bytes for the session";
        return 500;
    }
    double t = now_s();
    pthread_mutex_lock(&mu);
    session *s = NULL;
    for (int i = 0; i < MAX_SESSIONS && !s; i++)
        if (!sessions[i].sid[0] || t - sessions[i].used > SESSION_IDLE ||
            t - sessions[i].created > SESSION_LIFE)
            s = &sessions[i];
    if (s) {
        memcpy(s->sid, sid, 33);
        memcpy(s->csrf, csrf, 33);
        s->who = *who;
        s->created = s->used = t;
    }
    pthread_mutex_unlock(&mu);
    if (!s) {
        *why = "too many sessions at once: try again later";
        return 503;
    }
    return 0;
}

int vigil_srv_session_csrf(const char *sid, char csrf[33])
{
    pthread_mutex_lock(&mu);
    session *s = session_find(sid);
    if (s)
        memcpy(csrf, s->csrf, 33);
    pthread_mutex_unlock(&mu);
    return s ? 0 : -1;
}

void vigil_srv_session_close(const char *sid)
{
    pthread_mutex_lock(&mu);
    session *s = session_find(sid);
    if (s)
        memset(s, 0, sizeof(*s));
    pthread_mutex_unlock(&mu);
}

int vigil_srv_admit(const vigil_srv_who *who, int *retry_after)
{
    *retry_after = 0;
    if (!who->key_id[0] || (!vigil_srv_opts->key_rate && !vigil_srv_opts->key_concurrency))
        return 0;
    double t = now_s(), rate = vigil_srv_opts->key_rate, burst = 2 * rate;
    pthread_mutex_lock(&mu);
    key_entry *e = key_find(who->key_id);
    int st = 0;
    if (e && rate > 0) {
        if (e->tokens < 0) {
            e->tokens = burst;
            e->tokens_at = t;
        }
        e->tokens += (t - e->tokens_at) * rate;
        if (e->tokens > burst)
            e->tokens = burst;
        e->tokens_at = t;
        if (e->tokens < 1) {
            st = 429;
            *retry_after = 1;
        } else
            e->tokens -= 1;
    }
    if (e && !st && vigil_srv_opts->key_concurrency &&
        e->inflight >= vigil_srv_opts->key_concurrency) {
        st = 429;
        *retry_after = 1;
    }
    if (e && !st)
        e->inflight++;
    pthread_mutex_unlock(&mu);
    return st;
}

void vigil_srv_leave(const vigil_srv_who *who)
{
    if (!who->key_id[0])
        return;
    pthread_mutex_lock(&mu);
    key_entry *e = key_find(who->key_id);
    if (e && e->inflight > 0)
        e->inflight--;
    pthread_mutex_unlock(&mu);
}
