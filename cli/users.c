/*
 * users.c - vigil users and vigil keys: who may use vigil serve, with which
 * role, and their API keys (the library keeps only their hashes:
 * src/store/keys.c, docs/security.md).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "users.h"

int vigil_cli_users(vigil_db *db, const char *what, const char *name, const char *role,
                    int json)
{
    int rc;
    if (!strcmp(what, "add")) {
        if (!role) {
            fprintf(stderr, "vigil users add: give --role screen|analyst|reviewer|admin\n");
            return 2;
        }
        rc = vigil_user_add(db, name, role);
        if (rc == VIGIL_OK)
            printf("user %s added, role %s\n", name, role);
    } else if (!strcmp(what, "disable")) {
        rc = vigil_user_disable(db, name);
        if (rc == VIGIL_OK)
            printf("user %s disabled: none of its keys is accepted\n", name);
    } else {
        char *text = NULL;
        rc = vigil_users_json(db, &text);
        if (rc == VIGIL_OK && json) {
            printf("%s\n", text);
        } else if (rc == VIGIL_OK) {
            json_t *users = json_loads(text, 0, NULL);
            size_t i, k;
            json_t *u, *key;
            printf("%-24s %-9s %-8s keys\n", "user", "role", "state");
            json_array_foreach(users, i, u)
            {
                printf("%-24s %-9s %-8s", json_string_value(json_object_get(u, "name")),
                       json_string_value(json_object_get(u, "role")),
                       json_is_true(json_object_get(u, "disabled")) ? "disabled" : "enabled");
                json_array_foreach(json_object_get(u, "keys"), k, key) printf(
                    " %s%s", json_string_value(json_object_get(key, "id")),
                    json_is_null(json_object_get(key, "revoked_at")) ? "" : " (revoked)");
                printf("\n");
            }
            json_decref(users);
        }
        vigil_free(text);
    }
    if (rc != VIGIL_OK)
        fprintf(stderr, "vigil users: %s\n", vigil_errmsg(db));
    return rc == VIGIL_OK ? 0 : rc == VIGIL_ERR_ARG ? 2 : 1;
}

int vigil_cli_keys(vigil_db *db, const char *what, const char *arg)
{
    int rc;
    if (!strcmp(what, "create")) {
        char *key = NULL, id[15];
        rc = vigil_key_create(db, arg, &key, id);
        if (rc == VIGIL_OK) {
            printf("%s\n", key);
            fprintf(stderr,
                    "vigil keys: key %s made for %s; it is shown this once and kept only as "
                    "its hash: give it as \"Authorization: Bearer KEY\"\n",
                    id, arg);
        }
        vigil_free(key);
    } else {
        rc = vigil_key_revoke(db, arg);
        if (rc == VIGIL_OK)
            printf("key %s revoked\n", arg);
    }
    if (rc != VIGIL_OK)
        fprintf(stderr, "vigil keys: %s\n", vigil_errmsg(db));
    return rc == VIGIL_OK ? 0 : 1;
}
