/*
 * lib.c - the library-wide entry points, which belong to no subsystem: the
 * result codes' words, the version, freeing what the library handed out,
 * and a thread's goodbye.
 */
#include <stdlib.h>

#include "../internal.h"
#include "../payments/payments.h"

const char *vigil_strerror(int rc)
{
    switch (rc) {
    case VIGIL_OK:
        return "ok";
    case VIGIL_ERR_NOMEM:
        return "out of memory";
    case VIGIL_ERR_IO:
        return "i/o error";
    case VIGIL_ERR_FORMAT:
        return "bad list file";
    case VIGIL_ERR_DB:
        return "database error";
    case VIGIL_ERR_NOTFOUND:
        return "not found";
    case VIGIL_ERR_ARG:
        return "bad argument";
    case VIGIL_ERR_LIMIT:
        return "over a limit";
    default:
        return "unknown error";
    }
}

const char *vigil_version(void)
{
    return VIGIL_VERSION;
}

void vigil_free(void *p)
{
    free(p);
}

void vigil_thread_done(void)
{
    vigil__translit_release();
    vigil__pay_release();
    vigil__screen_thread_done();
}
