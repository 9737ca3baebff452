/*
 * fuzz_batch.c - libFuzzer target for vigil batch's input (CSV with a
 * header, JSON lines) and the screening of what it reads; see
 * batch_target.h. Its corpus, fuzz/corpus/batch, is replayed by make test.
 * The result lines go to /dev/null.
 */
#include <stdint.h>

#include "batch_target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!freopen("/dev/null", "w", stdout))
        return 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_batch(data, size);
    return 0;
}
