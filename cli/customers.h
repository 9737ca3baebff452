/*
 * customers.h - vigil customers, rescreen, alerts, decide, runs
 * (customers.c), for main.c.
 */
#ifndef VIGIL_CLI_CUSTOMERS_H
#define VIGIL_CLI_CUSTOMERS_H

#include "vigil.h"

/* Imports the customers of path ("-": standard input), format "csv",
 * "jsonl" or NULL (detected), printing a line per refused record and a
 * summary. Returns the exit status: 0, or 1 (a record refused, or a failure). */
int vigil_cli_customers_import(vigil_db *db, const char *path, const char *format);

/* Runs vigil_rescreen and prints what it did (json: as JSON). Exit status. */
int vigil_cli_rescreen(vigil_db *db, const vigil_rescreen_options *opt, int json);

/* Prints the alerts (open_only: the open ones) as a table or JSON. */
int vigil_cli_alerts(vigil_db *db, int open_only, int json);

/* Prints the re-screening runs as a table or JSON. */
int vigil_cli_runs(vigil_db *db, int json);

#endif
