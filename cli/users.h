/*
 * users.h - vigil users and vigil keys (users.c), for main.c.
 */
#ifndef VIGIL_CLI_USERS_H
#define VIGIL_CLI_USERS_H

#include "vigil.h"

/* vigil users add NAME (role), list (json: as JSON), disable NAME. The exit
 * status. */
int vigil_cli_users(vigil_db *db, const char *what, const char *name, const char *role,
                    int json);
/* vigil keys create USER (the key on standard output, once), revoke ID. */
int vigil_cli_keys(vigil_db *db, const char *what, const char *arg);

#endif
