/*
 * report.c - how a list parser reports: a failure with file, line and
 * reason; a record skipped (lenient mode) or refused; a checked entity handed
 * to the sink. The parsers call these; nothing here knows a format.
 */
#include <stdio.h>

#include "../internal.h"

int vigil__parse_fail(vigil__parse *p, const char *path, size_t line, const char *fmt, ...)
{
    char reason[VIGIL__ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (line)
        snprintf(p->err, sizeof(p->err), "%s:%zu: %s", path, line, reason);
    else
        snprintf(p->err, sizeof(p->err), "%s: %s", path, reason);
    return VIGIL_ERR_FORMAT;
}

int vigil__parse_skip(vigil__parse *p, const char *path, size_t line, const char *fmt, ...)
{
    char reason[VIGIL__ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (!p->lenient)
        return vigil__parse_fail(p, path, line, "%s", reason);
    if (p->skipped++ == 0)
        snprintf(p->first_skip, sizeof(p->first_skip), "%s:%zu: %s", path, line, reason);
    return 0;
}

int vigil__parse_emit(vigil__parse *p, json_t *e, const char *path, size_t line)
{
    if (!e)
        return vigil__parse_fail(p, path, line, "out of memory");
    const char *why = vigil__ent_check(e);
    int rc;
    if (why) {
        rc = vigil__parse_skip(p, path, line, "%s", why);
    } else {
        p->cur_path = path;
        p->cur_line = line;
        rc = p->sink(p, e);
    }
    json_decref(e);
    return rc;
}
