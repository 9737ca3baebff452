/*
 * update.h - vigil update (update.c), for main.c.
 */
#ifndef VIGIL_CLI_UPDATE_H
#define VIGIL_CLI_UPDATE_H

#include "vigil.h"

/* Downloads and loads each list of sources ("eu,un,uk,ofac"; NULL or "":
 * all) into the database at db_path, one transaction each, refusing a list
 * that shrank by more than max_shrink (0: no check). Prints a line per list.
 * Returns 0, or 1 when any list failed (the others are loaded). */
int vigil_cli_update(const char *db_path, const char *sources, double max_shrink,
                     const vigil_load_options *base);

#endif
