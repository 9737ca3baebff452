/*
 * web.h - the analysts' page (web/), embedded in the binary at build time by
 * scripts/embed-web into build/web_assets.c, served by cli/serve/routes.c.
 */
#ifndef VIGIL_CLI_WEB_H
#define VIGIL_CLI_WEB_H

#include <stddef.h>

typedef struct {
    const char *path; /* "/index.html" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
} vigil_web_file;

/* The files, ended by one whose path is NULL. */
extern const vigil_web_file vigil_web_files[];

#endif
