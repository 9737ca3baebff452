/*
 * payments.h - vigil screen-message and vigil batch --format payments
 * (payments.c), for main.c.
 */
#ifndef VIGIL_CLI_PAYMENTS_H
#define VIGIL_CLI_PAYMENTS_H

#include "vigil.h"

/* Screens the one message of path ("-" or NULL: standard input) and prints
 * the decision and the hits (as JSON with as_json); keeps it in the
 * database store_db (NULL: not kept), a held one's hits as alerts. Returns
 * the exit status: 0 passed, 3 held, 1 it could not be read, screened or
 * kept. */
int vigil_cli_screen_message(const vigil_engine *e, const char *path, int as_json,
                             double threshold, const char *store_db);

/* Screens every message of path (a file of one or many messages, a folder
 * of such files, "-" or NULL: standard input) on threads, one JSON line per
 * message in order (each kept in store_db when not NULL, its line then
 * naming its "message_id"), and a summary on standard error. *failed counts the
 * messages that got an error line (and files that could not be read).
 * Returns 0, or -1 when the input could not be read at all. */
int vigil_cli_batch_payments(const vigil_engine *e, const char *path, double threshold,
                             int threads, const char *store_db, long long *failed);

/* The screening's JSON object json with the kept message's id first:
 * {"message_id": id, ...}. Returns malloc'd text, or NULL (out of memory,
 * or json is no object). */
char *vigil_cli_with_message_id(const char *json, long long id);

#endif
