/*
 * batch_target.h - running one input through vigil batch's reader and
 * screening (cli/batch.c), against an engine built once from a small UN list
 * written here. For fuzz_batch.c and the corpus replay.
 */
#ifndef VIGIL_FUZZ_BATCH_H
#define VIGIL_FUZZ_BATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/batch.h"
#include "internal.h"
#include "vigil.h"

static vigil_engine *batch_engine;

static const char batch_list[] =
    "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:00Z\">"
    "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>AKRAM TURKI</FIRST_NAME><SECOND_NAME>AL-MAZIDIH"
    "</SECOND_NAME><REFERENCE_NUMBER>QDi.276</REFERENCE_NUMBER><NATIONALITY><VALUE>Iraq</VALUE>"
    "</NATIONALITY><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1975</"
    "YEAR>"
    "</INDIVIDUAL_DATE_OF_BIRTH><INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport"
    "</TYPE_OF_DOCUMENT><NUMBER>A123456</NUMBER></INDIVIDUAL_DOCUMENT></INDIVIDUAL>"
    "</INDIVIDUALS><ENTITIES><ENTITY><FIRST_NAME>AL RASHID TRUST</FIRST_NAME>"
    "<REFERENCE_NUMBER>QDe.005</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>\n";

/* Builds the engine once; 0, or -1. */
static int batch_init(void)
{
    if (batch_engine)
        return 0;
    char dir[] = "/tmp/vigil-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    char list[64], db_path[64];
    snprintf(list, sizeof(list), "%s/un.xml", dir);
    snprintf(db_path, sizeof(db_path), "%s/v.db", dir);
    FILE *f = fopen(list, "w");
    if (!f)
        return -1;
    fputs(batch_list, f);
    fclose(f);
    vigil_db *db = NULL;
    const char *files[] = {list};
    int rc = vigil_db_open(db_path, 0, &db);
    if (rc == VIGIL_OK)
        rc = vigil_load(db, files, 1, NULL, NULL, NULL);
    if (rc == VIGIL_OK)
        rc = vigil_engine_open(db, &batch_engine);
    vigil_db_close(db);
    unlink(list);
    vigil__remove_db_files(db_path);
    rmdir(dir);
    return rc == VIGIL_OK ? 0 : -1;
}

__attribute__((unused)) static void batch_done(void)
{
    vigil_engine_close(batch_engine);
    batch_engine = NULL;
}

/* The first byte picks the format (detected, csv, jsonl) and the threads. */
__attribute__((unused)) static void fuzz_batch(const uint8_t *data, size_t size)
{
    if (size < 2 || batch_init() != 0)
        return;
    static const char *const formats[] = {NULL, "csv", "jsonl"};
    FILE *in = fmemopen((void *)(data + 1), size - 1, "rb");
    if (!in)
        return;
    long long failed = 0;
    vigil_cli_batch_file(batch_engine, in, formats[data[0] % 3], 0, 3, 1 + (data[0] >> 7),
                         &failed);
    fclose(in);
}

#endif
