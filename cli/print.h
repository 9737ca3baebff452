/*
 * print.h - printing an entity for vigil show (print.c).
 */
#ifndef VIGIL_CLI_PRINT_H
#define VIGIL_CLI_PRINT_H

#include <jansson.h>

/* Prints the entity document doc, every field, to standard output. */
void vigil_cli_print_entity(json_t *doc);

#endif
