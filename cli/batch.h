/*
 * batch.h - vigil batch (batch.c), for main.c.
 */
#ifndef VIGIL_CLI_BATCH_H
#define VIGIL_CLI_BATCH_H

#include <stddef.h>

#include "vigil.h"

/* Screens the records of path ("-" or NULL: standard input) as format
 * ("csv", "jsonl", NULL: detected) and writes one JSON line per record to
 * standard output. *failed counts the records that got an error line.
 * Returns 0, or -1 when the input could not be read at all. */
int vigil_cli_batch(const vigil_engine *e, const char *path, const char *format,
                    double threshold, size_t limit, int threads, long long *failed);

#endif
