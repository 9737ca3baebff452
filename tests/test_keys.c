/*
 * test_keys.c - users and API keys: roles, a key found whole or not at all,
 * revoked keys and disabled users refused, no key kept in the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

void test_users_and_keys(void)
{
    char *path = temp_db_path();
    vigil_db *db;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    CHECK_INT(vigil_role_of("analyst"), VIGIL_ROLE_ANALYST);
    CHECK_INT(vigil_role_of("root"), 0);
    CHECK_INT(vigil_user_add(db, "ana@bank", "analyst"), VIGIL_OK);
    CHECK_INT(vigil_user_add(db, "ana@bank", "admin"), VIGIL_ERR_ARG); /* once */
    CHECK_INT(vigil_user_add(db, "bob", "root"), VIGIL_ERR_ARG);
    CHECK_INT(vigil_user_add(db, "bad name", "screen"), VIGIL_ERR_ARG);
    CHECK_INT(vigil_user_add(db, "rita", "reviewer"), VIGIL_OK);
    char *key = NULL, id[15];
    CHECK_INT(vigil_key_create(db, "nobody", &key, id), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_key_create(db, "ana@bank", &key, id), VIGIL_OK);
    if (!key) {
        test_fail(__FILE__, __LINE__, "no key made");
        vigil_db_close(db);
        remove_db(path);
        return;
    }
    /* 256 random bits: "vigil_" and 64 hex digits; its id its first 14 characters */
    CHECK_INT(strlen(key), 6 + 64);
    CHECK(strncmp(key, "vigil_", 6) == 0 && strncmp(key, id, 14) == 0 && strlen(id) == 14);
    char user[65];
    int role = 0;
    CHECK_INT(vigil_key_verify(db, key, user, &role), VIGIL_OK);
    CHECK_STR(user, "ana@bank");
    CHECK_INT(role, VIGIL_ROLE_ANALYST);
    /* the whole key or nothing: a prefix, one character off, one more */
    char bad[128];
    snprintf(bad, sizeof(bad), "%.40s", key);
    CHECK_INT(vigil_key_verify(db, bad, user, &role), VIGIL_ERR_NOTFOUND);
    snprintf(bad, sizeof(bad), "%s", key);
    bad[50] = bad[50] == 'a' ? 'b' : 'a';
    CHECK_INT(vigil_key_verify(db, bad, user, &role), VIGIL_ERR_NOTFOUND);
    CHECK(role == 0 && user[0] == '\0');
    snprintf(bad, sizeof(bad), "%sa", key);
    CHECK_INT(vigil_key_verify(db, bad, user, &role), VIGIL_ERR_NOTFOUND);
    /* the list names keys by id, never the key */
    char *json = NULL;
    CHECK_INT(vigil_users_json(db, &json), VIGIL_OK);
    CHECK_CONTAINS(json, "\"name\":\"ana@bank\",\"role\":\"analyst\"");
    CHECK_CONTAINS(json, id);
    CHECK(json && !strstr(json, key));
    vigil_free(json);
    /* and the database holds only its hash (its file and its WAL) */
    for (int w = 0; w < 2; w++) {
        char file[4200];
        snprintf(file, sizeof(file), "%s%s", path, w ? "-wal" : "");
        FILE *f = fopen(file, "rb");
        char *all = calloc(1, 1 << 22);
        size_t n = f && all ? fread(all, 1, (1 << 22) - 1, f) : 0;
        if (f)
            fclose(f);
        CHECK(w || n > 0);
        int found = 0;
        for (size_t i = 0; all && i + 20 <= n && !found; i++)
            found = memcmp(all + i, key + 14, 20) == 0;
        CHECK(!found);
        free(all);
    }
    /* a second key of the same user, then revoking the first */
    char *key2 = NULL, id2[15];
    CHECK_INT(vigil_key_create(db, "ana@bank", &key2, id2), VIGIL_OK);
    CHECK_INT(vigil_key_revoke(db, id), VIGIL_OK);
    CHECK_INT(vigil_key_revoke(db, id), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_key_verify(db, key, user, &role), VIGIL_ERR_NOTFOUND);
    CHECK_INT(key2 ? vigil_key_verify(db, key2, user, &role) : -1, VIGIL_OK);
    /* a disabled user's keys are all refused */
    CHECK_INT(vigil_user_disable(db, "ana@bank"), VIGIL_OK);
    CHECK_INT(vigil_user_disable(db, "nobody"), VIGIL_ERR_NOTFOUND);
    CHECK_INT(key2 ? vigil_key_verify(db, key2, user, &role) : -1, VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_key_verify(db, "not a key at all", user, &role), VIGIL_ERR_NOTFOUND);
    vigil_free(key);
    vigil_free(key2);
    vigil_db_close(db);
    remove_db(path);
}

/* vigil_key_check: a key id still good, without its hash; gone once revoked. */
void test_key_check(void)
{
    char *path = temp_db_path();
    vigil_db *db;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    CHECK_INT(vigil_user_add(db, "sam", "screen"), VIGIL_OK);
    char *key = NULL, id[15], user[65];
    int role = 0;
    CHECK_INT(vigil_key_create(db, "sam", &key, id), VIGIL_OK);
    CHECK_INT(vigil_key_check(db, id, user, &role), VIGIL_OK);
    CHECK_STR(user, "sam");
    CHECK_INT(role, VIGIL_ROLE_SCREEN);
    CHECK_INT(vigil_key_check(db, "vigil_00000000", user, &role), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_key_revoke(db, id), VIGIL_OK);
    CHECK_INT(vigil_key_check(db, id, user, &role), VIGIL_ERR_NOTFOUND);
    CHECK_INT(role, 0);
    vigil_free(key);
    vigil_db_close(db);
    remove_db(path);
}

/* Batches: owned, appended a block at a time, read back line by line in
 * order, private to their owner, deleted whole, aged out. */
void test_batches(void)
{
    char *path = temp_db_path();
    vigil_db *db;
    CHECK_INT(vigil_db_open(path, 0, &db), VIGIL_OK);
    vigil_batch_info b = {.id = "b00", .owner = "ana", .total = 3, .threshold = 0.85};
    CHECK_INT(vigil_batch_create(db, &b), VIGIL_OK);
    CHECK_INT(vigil_batch_create(db, &b), VIGIL_ERR_DB); /* an id once */
    CHECK_INT(vigil_batch_append(db, "b00", "{\"row\":1}\n{\"row\":2}\n", 20, 2, 0), VIGIL_OK);
    CHECK_INT(vigil_batch_append(db, "b00", "{\"row\":3}\n", 10, 3, 1), VIGIL_OK);
    vigil_batch_info got;
    CHECK_INT(vigil_batch_get(db, "b00", "ana", &got), VIGIL_OK);
    CHECK_STR(got.status, "running");
    CHECK_INT(got.rows, 3);
    CHECK_INT(got.failed, 1);
    CHECK_INT(vigil_batch_get(db, "b00", "bob", &got), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_batch_delete(db, "b00", "ana"), VIGIL_ERR_NOTFOUND); /* still running */
    CHECK_INT(vigil_batch_finish(db, "b00", 3, 1), VIGIL_OK);
    CHECK_INT(vigil_batch_get(db, "b00", NULL, &got), VIGIL_OK);
    CHECK_STR(got.status, "done");
    CHECK(got.finished_at[0] != '\0');
    vigil_batch_reader *rd = NULL;
    CHECK_INT(vigil_batch_read_open(db, "b00", &rd), VIGIL_OK);
    const char *line;
    size_t n;
    char all[64] = "";
    while (rd && vigil_batch_read_next(rd, &line, &n) == 1)
        snprintf(all + strlen(all), sizeof(all) - strlen(all), "%.*s|", (int)n, line);
    vigil_batch_read_close(rd);
    CHECK_STR(all, "{\"row\":1}|{\"row\":2}|{\"row\":3}|");
    char *json = NULL;
    CHECK_INT(vigil_batches_json(db, "ana", &json), VIGIL_OK);
    CHECK(json && strstr(json, "\"id\":\"b00\""));
    vigil_free(json);
    CHECK_INT(vigil_batches_json(db, "bob", &json), VIGIL_OK);
    CHECK_STR(json, "[]");
    vigil_free(json);
    long long gone = -1;
    CHECK_INT(vigil_batch_expire(db, 1, &gone), VIGIL_OK); /* finished today: kept */
    CHECK_INT(gone, 0);
    CHECK_INT(vigil_batch_delete(db, "b00", "bob"), VIGIL_ERR_NOTFOUND);
    CHECK_INT(vigil_batch_delete(db, "b00", "ana"), VIGIL_OK);
    CHECK_INT(vigil_batch_get(db, "b00", NULL, &got), VIGIL_ERR_NOTFOUND);
    vigil_db_close(db);
    remove_db(path);
}
