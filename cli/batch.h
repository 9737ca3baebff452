/*
 * batch.h - vigil batch (batch.c), for main.c.
 */
#ifndef VIGIL_CLI_BATCH_H
#define VIGIL_CLI_BATCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "vigil.h"

/* Screens the records of path ("-" or NULL: standard input) as format
 * ("csv", "jsonl", NULL: detected) and writes one JSON line per record to
 * standard output. *failed counts the records that got an error line.
 * Returns 0, or -1 when the input could not be read at all. */
int vigil_cli_batch(const vigil_engine *e, const char *path, const char *format,
                    double threshold, size_t limit, int threads, long long *failed);

/* The same, reading an open stream (not closed). */
int vigil_cli_batch_file(const vigil_engine *e, FILE *in, const char *format, double threshold,
                         size_t limit, int threads, long long *failed);

/* Where a batch writes and reports, for callers other than the command. */
typedef struct {
    FILE *out;    /* the JSON lines; NULL: standard output */
    size_t block; /* records screened together; 0: 4096 */
    /* after each block: records written so far, and of them failed */
    void (*on_block)(void *ctx, long long rows, long long failed);
    void *ctx;
} vigil_cli_batch_io;

/* As vigil_cli_batch_file, writing as io says (io NULL: as the command, to
 * standard output with a progress line and a summary on standard error;
 * otherwise neither). */
int vigil_cli_batch_stream(const vigil_engine *e, FILE *in, const char *format,
                           double threshold, size_t limit, int threads,
                           const vigil_cli_batch_io *io, long long *failed);

/* One record of a batch input as read: the fields NULL when absent, error
 * set (and the fields maybe not) when the record could not be read. */
typedef struct {
    long long row; /* from 1, the header not counted */
    const char *id, *name, *schema, *dob, *country, *gender, *id_number;
    const char *error;
} vigil_cli_record;

typedef void (*vigil_cli_records_fn)(void *ctx, const vigil_cli_record *recs, size_t n);

/* Reads in as vigil batch does (format "csv", "jsonl", NULL: detected) and
 * hands the records to fn in blocks, in order; they live until fn returns.
 * Returns 0, or -1 (out of memory). */
int vigil_cli_read_records(FILE *in, const char *format, vigil_cli_records_fn fn, void *ctx);

/* The hits as the JSON array screen --json and batch print: source,
 * source_id, schema, name, matched_name, score, match, explanation. The
 * caller owns the reference. */
json_t *vigil_cli_hits_json(const vigil_hits *hits);

#endif
