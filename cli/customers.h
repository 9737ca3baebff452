/*
 * customers.h - vigil customers, rescreen, alerts, decide, runs
 * (customers.c), for main.c.
 */
#ifndef VIGIL_CLI_CUSTOMERS_H
#define VIGIL_CLI_CUSTOMERS_H

#include "vigil.h"

/* Reading customers into the store, as vigil customers import and the
 * server's POST /customers/import do: the counts so far, and what to call
 * for each refused record and after each block. */
typedef struct vigil_cli_import {
    vigil_db *db;
    long long rows;      /* records read */
    long long counts[3]; /* unchanged, added, changed (VIGIL_CUSTOMER_*) */
    long long refused;
    int failed; /* the store failed: the rest is not read into it */
    char error[256];
    void (*on_refused)(void *ctx, long long row, const char *id, const char *why);
    void (*on_block)(void *ctx, const struct vigil_cli_import *im);
    void *ctx;
} vigil_cli_import;

/* Reads in (format "csv", "jsonl", NULL: detected) into im->db. 0, or -1
 * (unreadable input, or the store failed: im->error). */
int vigil_cli_customers_read(FILE *in, const char *format, vigil_cli_import *im);

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
