/*
 * fuzz_uk.c - libFuzzer target for the uk list parser (see targets.h).
 * Build and run: make fuzz. Its corpus, fuzz/corpus/uk, is replayed by make test.
 */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_one(&vigil__fmt_uk, data, size, size > 0 && (data[0] & 1));
    return 0;
}
