/*
 * opts.h - the vigil command's options (opts.c) and help text (usage.c).
 */
#ifndef VIGIL_CLI_OPTS_H
#define VIGIL_CLI_OPTS_H

#include <stdio.h>

/* Every command's options, once: each command names those it takes (a
 * table of its own in main.c), and vigil_cli_parse_opts reads them by one
 * table of specifications (opts.c). */
typedef struct {
    const char *db;
    int lenient, json, store;
    const char *published;
    long long version;
    const char *schema;
    double threshold;
    int explain;
    const char *names[8];
    int nnames;
    const char *legal_forms;
    const char *dob, *country, *gender, *id, *source;
    long long limit;
    long long threads;
    const char *format;
    const char *listen, *admin_token, *access_log, *host, *tls_cert, *tls_key;
    long long port;
    int no_auth, four_eyes;
    long long key_rate, key_concurrency, max_connections, body_memory, batch_days;
    long long header_timeout, body_timeout;
    int force;
    double max_shrink;
    int open_only, full;
    const char *note, *by, *role;
} vigil_cli_opts;

/* Parses the options a command takes (allowed: their names, NULL-ended);
 * returns the index of the first argument, or -1 after a message (bad
 * usage). --help prints the help and exits. */
int vigil_cli_parse_opts(int argc, char **argv, vigil_cli_opts *o, const char *cmd,
                         const char *const *allowed);
/* The database a command opens with no --db: $VIGIL_DB, or vigil.db. */
const char *vigil_cli_default_db(void);
/* Prints the help text (usage.c) to f. */
void vigil_cli_usage(FILE *f);

#endif
