/*
 * fuzz_list.c - the libFuzzer target of every list format: make fuzz builds
 * it once per corpus folder fuzz/corpus/NAME that is a format's fuzz corpus
 * in src/lists/formats.c's table (build/fuzz/NAME, with VIGIL_FUZZ_FORMAT
 * "NAME"), so a new format needs no target of its own. The corpora are
 * replayed by make test (fuzz/replay.c walks the same table).
 */
#include <stdio.h>
#include <stdlib.h>

#include "targets.h"

#ifndef VIGIL_FUZZ_FORMAT
#error "build with -DVIGIL_FUZZ_FORMAT='\"NAME\"' (make fuzz does)"
#endif

static const vigil__list_format *fmt;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (const vigil__list_format *const *f = vigil__list_formats; *f && !fmt; f++)
        if ((*f)->fuzz && strcmp((*f)->fuzz, VIGIL_FUZZ_FORMAT) == 0)
            fmt = *f;
    if (!fmt) {
        fprintf(stderr, "fuzz_list: no list format has the fuzz corpus %s\n",
                VIGIL_FUZZ_FORMAT);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_one(fmt, data, size, size > 0 && (data[0] & 1));
    return 0;
}
