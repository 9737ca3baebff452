/*
 * payments.h - vigil screen-message and vigil batch --format payments
 * (payments.c), for main.c.
 */
#ifndef VIGIL_CLI_PAYMENTS_H
#define VIGIL_CLI_PAYMENTS_H

#include "vigil.h"

/* Screens the one message of path ("-" or NULL: standard input) and prints
 * the decision and the hits (as JSON with as_json). Returns the exit status:
 * 0 passed, 3 held, 1 it could not be read or screened. */
int vigil_cli_screen_message(const vigil_engine *e, const char *path, int as_json,
                             double threshold);

/* Screens every message of path (a file of one or many messages, a folder
 * of such files, "-" or NULL: standard input) on threads, one JSON line per
 * message in order, and a summary on standard error. *failed counts the
 * messages that got an error line (and files that could not be read).
 * Returns 0, or -1 when the input could not be read at all. */
int vigil_cli_batch_payments(const vigil_engine *e, const char *path, double threshold,
                             int threads, long long *failed);

#endif
