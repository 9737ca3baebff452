/*
 * keys.c - users and their API keys, for vigil serve (docs/security.md). A
 * key is 256 random bits from the kernel, written "vigil_" and 64 hex digits;
 * its first 14 characters are its id (how it is found), and the database
 * keeps only the argon2id hash of the whole key (libargon2, OWASP's
 * parameters: 19 MiB, 2 passes), which argon2 compares in constant time.
 */
#include <argon2.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "store.h"

#define KEY_PREFIX "vigil_"
#define KEY_HEX 64    /* 32 random bytes */
#define KEY_ID_LEN 14 /* "vigil_" and 8 hex digits */
#define T_COST 2
#define M_COST (19 * 1024) /* KiB */
#define PARALLEL 1
#define SALT_LEN 16
#define HASH_LEN 32

static const char *const roles[] = {NULL, "screen", "analyst", "reviewer", "admin"};

int vigil_role_of(const char *name)
{
    for (int r = 1; name && r <= VIGIL_ROLE_ADMIN; r++)
        if (strcmp(name, roles[r]) == 0)
            return r;
    return 0;
}

static int name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("._@-", s[i]))
            return 0;
    return 1;
}

/* The id of user name, 0 when there is none, -1 on a database error. */
static int64_t user_id(vigil_db *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, "SELECT id FROM user WHERE name=?", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

/* Runs sql with text arguments a, b, c (NULL: unbound); the rows changed,
 * or -1. */
static int exec_args(vigil_db *db, const char *sql, const char *a, const char *b, const char *c)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    const char *args[] = {a, b, c};
    for (int i = 0; i < 3 && args[i]; i++)
        sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(db->sql) : -1;
    sqlite3_finalize(st);
    return rc;
}

int vigil_user_add(vigil_db *db, const char *name, const char *role)
{
    if (!db)
        return VIGIL_ERR_ARG;
    if (!name_ok(name))
        return vigil__db_fail(db, VIGIL_ERR_ARG,
                              "a user's name is 1 to 64 letters, digits and . _ @ -");
    if (!vigil_role_of(role))
        return vigil__db_fail(db, VIGIL_ERR_ARG,
                              "a role is screen, analyst, reviewer or admin, not \"%s\"",
                              role ? role : "");
    int64_t id = user_id(db, name);
    if (id < 0)
        return vigil__db_sqlfail(db, "reading the users");
    if (id > 0)
        return vigil__db_fail(db, VIGIL_ERR_ARG, "there is a user %s already", name);
    char at[32];
    vigil__now_iso(at);
    if (exec_args(db, "INSERT INTO user(name, role, created_at) VALUES(?1, ?2, ?3)", name, role,
                  at) != 1)
        return vigil__db_sqlfail(db, "adding the user");
    return VIGIL_OK;
}

int vigil_user_disable(vigil_db *db, const char *name)
{
    if (!db || !name)
        return VIGIL_ERR_ARG;
    int n = exec_args(db, "UPDATE user SET disabled=1 WHERE name=?1", name, NULL, NULL);
    if (n < 0)
        return vigil__db_sqlfail(db, "disabling the user");
    return n ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no user %s", name);
}

int vigil_users_json(vigil_db *db, char **json)
{
    *json = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT u.name, u.role, u.disabled, u.created_at, k.id, k.created_at, "
            "k.revoked_at FROM user u LEFT JOIN api_key k ON k.user_id = u.id "
            "ORDER BY u.name, k.created_at",
            -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the users");
    json_t *arr = json_array(), *cur = NULL;
    const char *last = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!cur || strcmp(last, name) != 0) {
            cur = json_pack("{s:s, s:s, s:b, s:s, s:[]}", "name", name, "role",
                            (const char *)sqlite3_column_text(st, 1), "disabled",
                            sqlite3_column_int(st, 2), "created_at",
                            (const char *)sqlite3_column_text(st, 3), "keys");
            json_array_append_new(arr, cur);
            last = json_string_value(json_object_get(cur, "name"));
        }
        if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
            const unsigned char *rev = sqlite3_column_text(st, 6);
            json_array_append_new(
                json_object_get(cur, "keys"),
                json_pack("{s:s, s:s, s:o}", "id", (const char *)sqlite3_column_text(st, 4),
                          "created_at", (const char *)sqlite3_column_text(st, 5), "revoked_at",
                          rev ? json_string((const char *)rev) : json_null()));
        }
    }
    sqlite3_finalize(st);
    *json = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(arr);
    return *json ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
}

int vigil_key_create(vigil_db *db, const char *user, char **key, char id[15])
{
    *key = NULL;
    id[0] = '\0';
    if (!db || !user)
        return VIGIL_ERR_ARG;
    int64_t uid = user_id(db, user);
    if (uid < 0)
        return vigil__db_sqlfail(db, "reading the users");
    if (uid == 0)
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no user %s", user);
    unsigned char rnd[KEY_HEX / 2], salt[SALT_LEN];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd) ||
        getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
        return vigil__db_fail(db, VIGIL_ERR_IO, "no random bytes for the key");
    char *k = malloc(sizeof(KEY_PREFIX) + KEY_HEX);
    if (!k)
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    memcpy(k, KEY_PREFIX, sizeof(KEY_PREFIX) - 1);
    for (size_t i = 0; i < sizeof(rnd); i++)
        snprintf(k + sizeof(KEY_PREFIX) - 1 + 2 * i, 3, "%02x", rnd[i]);
    char encoded[256];
    if (argon2id_hash_encoded(T_COST, M_COST, PARALLEL, k, strlen(k), salt, sizeof(salt),
                              HASH_LEN, encoded, sizeof(encoded)) != ARGON2_OK) {
        free(k);
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "hashing the key failed");
    }
    snprintf(id, 15, "%.*s", KEY_ID_LEN, k);
    char at[32], uids[24];
    vigil__now_iso(at);
    snprintf(uids, sizeof(uids), "%lld", (long long)uid);
    sqlite3_stmt *st = NULL;
    int rc = VIGIL_OK;
    if (sqlite3_prepare_v2(db->sql,
                           "INSERT INTO api_key(id, user_id, hash, created_at) "
                           "VALUES(?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        rc = vigil__db_sqlfail(db, "storing the key");
    else {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, uid);
        sqlite3_bind_text(st, 3, encoded, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vigil__db_sqlfail(db, "storing the key");
    }
    sqlite3_finalize(st);
    if (rc != VIGIL_OK) {
        free(k);
        id[0] = '\0';
        return rc;
    }
    *key = k;
    return VIGIL_OK;
}

int vigil_key_revoke(vigil_db *db, const char *id)
{
    if (!db || !id)
        return VIGIL_ERR_ARG;
    char at[32];
    vigil__now_iso(at);
    int n = exec_args(db, "UPDATE api_key SET revoked_at=?2 WHERE id=?1 AND revoked_at IS NULL",
                      id, at, NULL);
    if (n < 0)
        return vigil__db_sqlfail(db, "revoking the key");
    return n ? VIGIL_OK : vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "no key %s to revoke", id);
}

/* The key of id if it is good (not revoked, its user enabled): VIGIL_OK
 * with its user, role and, when hash is given, its argon2 hash (malloc'd);
 * else VIGIL_ERR_NOTFOUND or VIGIL_ERR_DB. */
static int key_lookup(vigil_db *db, const char *id, char user[65], int *role, char **hash)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db->sql,
            "SELECT k.hash, u.name, u.role FROM api_key k JOIN user u ON u.id = "
            "k.user_id WHERE k.id = ?1 AND k.revoked_at IS NULL AND u.disabled = 0",
            -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the keys");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = VIGIL_ERR_NOTFOUND;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(user, 65, "%s", (const char *)sqlite3_column_text(st, 1));
        *role = vigil_role_of((const char *)sqlite3_column_text(st, 2));
        rc = VIGIL_OK;
        if (hash && !(*hash = strdup((const char *)sqlite3_column_text(st, 0))))
            rc = VIGIL_ERR_NOMEM;
    }
    sqlite3_finalize(st);
    return rc;
}

int vigil_key_verify(vigil_db *db, const char *key, char user[65], int *role)
{
    user[0] = '\0';
    *role = 0;
    if (!db || !key)
        return VIGIL_ERR_ARG;
    if (strlen(key) != sizeof(KEY_PREFIX) - 1 + KEY_HEX ||
        strncmp(key, KEY_PREFIX, sizeof(KEY_PREFIX) - 1) != 0)
        return vigil__db_fail(db, VIGIL_ERR_NOTFOUND, "not a key");
    char id[KEY_ID_LEN + 1];
    snprintf(id, sizeof(id), "%.*s", KEY_ID_LEN, key);
    char *hash = NULL;
    int rc = key_lookup(db, id, user, role, &hash);
    if (rc == VIGIL_OK && argon2id_verify(hash, key, strlen(key)) != ARGON2_OK)
        rc = VIGIL_ERR_NOTFOUND;
    free(hash);
    if (rc == VIGIL_OK)
        return rc;
    user[0] = '\0';
    *role = 0;
    return rc == VIGIL_ERR_DB ? rc : vigil__db_fail(db, rc, "no such key, or it is revoked");
}

int vigil_key_check(vigil_db *db, const char *id, char user[65], int *role)
{
    user[0] = '\0';
    *role = 0;
    if (!db || !id)
        return VIGIL_ERR_ARG;
    int rc = key_lookup(db, id, user, role, NULL);
    if (rc != VIGIL_OK) {
        user[0] = '\0';
        *role = 0;
    }
    return rc;
}
